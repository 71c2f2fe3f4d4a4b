/**
 * A second process appending to the audit chain of the store its environment names (DATA_DIR /
 * STORE, as a script would): `node --import tsx test/support/audit-append.ts <tag> <n> <startAt>`
 * opens the store, waits until `startAt` (epoch ms, so racers start together whatever their
 * start-up took), then writes n rows, each in a transaction of its own, as fast as it can.
 * Used to race processes on one store (test/integration/console/audit-chain.test.ts).
 */
import { audit } from "../../app/.server/console/audit";
import { openServices } from "../../scripts/lib/cli";

const [tag = "child", count = "20", startAt = "0"] = process.argv.slice(2);
const services = await openServices();
try {
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, Number(startAt) - Date.now())));
  for (let i = 0; i < Number(count); i++) await audit(services, null, "export", { subject: `${tag}-${String(i)}`, detail: { file: `${tag}.csv` } });
} finally {
  await services.close();
}
