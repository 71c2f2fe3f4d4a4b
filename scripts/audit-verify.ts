/**
 * npm run audit:verify [-- --head <哈希>]
 *
 * Re-computes the 操作日志's hash chain (decision 0023) in the configured store (the same
 * DATA_DIR / STORE as the server) from its first row and checks its end against the recorded
 * head. Prints `OK` with the row count and the head hash, exit 0; or the first break — the
 * row's id, what was expected and what was found — exit 1. 2 for bad arguments.
 *
 * `--head <哈希>`: a head printed earlier (on a county report or the audit page, full or its
 * first 12+ hex digits) must still be a row of the chain; a log whose newest rows were deleted
 * together with the recorded head still chains, but no longer contains that printed head.
 */
import { pathToFileURL } from "node:url";
import { findPrintedHead, verifyAuditChain } from "../app/.server/console/audit";
import type { Services } from "../app/.server/context";
import { describeChainBreak } from "../app/domain/audit-chain";
import { openServices, parseFlags } from "./lib/cli";

export interface AuditVerifyIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

export async function runAuditVerify(services: Pick<Services, "db">, argv: readonly string[], io: AuditVerifyIo): Promise<number> {
  const flags = parseFlags(argv);
  const printed = flags.get("head");
  if (printed === true || (typeof printed === "string" && !/^[0-9a-fA-F]{12,64}$/.test(printed))) {
    io.stderr("--head 须为打印的链头哈希（至少前 12 位十六进制数字）\n");
    return 2;
  }
  const verdict = await verifyAuditChain(services);
  if (!verdict.ok) {
    io.stdout(`BROKEN 操作日志哈希链在第一处断裂：${describeChainBreak(verdict.break)}\n`);
    io.stdout(`断裂前完好的记录：${String(verdict.count)} 条\n`);
    return 1;
  }
  if (typeof printed === "string") {
    const link = await findPrintedHead(services, printed.toLowerCase());
    if (!link) {
      io.stdout(`BROKEN 打印的链头 ${printed} 不在操作日志中（其后的记录连同链头被删除或改动）；当前 ${String(verdict.count)} 条，链头 ${verdict.headHash}\n`);
      return 1;
    }
    io.stdout(`打印的链头 ${printed} 是第 ${String(link.seq)} 条记录（id ${String(link.id)}），其后又有 ${String(verdict.headSeq - link.seq)} 条\n`);
  }
  io.stdout(`OK ${String(verdict.count)} 条记录，链头 ${verdict.headHash}\n`);
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const services = await openServices();
  try {
    process.exitCode = await runAuditVerify(services, process.argv.slice(2), {
      stdout: (t) => process.stdout.write(t),
      stderr: (t) => process.stderr.write(t),
    });
  } finally {
    await services.close();
  }
}
