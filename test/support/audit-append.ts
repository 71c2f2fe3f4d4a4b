/**
 * A second process appending to the audit chain of the store its environment names (DATA_DIR /
 * STORE, as a script would): `node --import tsx test/support/audit-append.ts <tag> <n>` writes
 * n rows, each in a transaction of its own, as fast as it can. Used to race two processes on
 * one SQLite file (test/integration/console/audit-chain.test.ts).
 */
import { audit } from "../../app/.server/console/audit";
import { openServices } from "../../scripts/lib/cli";

const [tag = "child", count = "20"] = process.argv.slice(2);
const services = await openServices();
try {
  for (let i = 0; i < Number(count); i++) await audit(services, null, "export", { subject: `${tag}-${String(i)}`, detail: { file: `${tag}.csv` } });
} finally {
  await services.close();
}
