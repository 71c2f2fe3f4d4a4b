/**
 * The import worker's entry: one file in, one `ImportResult` out, then the thread ends. Runs
 * inside a worker thread started by ./index.ts (bundled to build/import-worker.js for
 * production by scripts/build-server.ts), with its own heap limit.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parentPort, workerData } from "node:worker_threads";
import { importEvaluationFile } from "../evaluation-import";
import { WorkerJobSchema, type WorkerReply } from "./protocol";

/** Errors sent back at most (the console shows 200): a file wrong in every row does not cost the main thread a huge message. */
const MAX_ERRORS = 200;

/**
 * Parsing is batch work and the phones' answers are not: on Linux the nice value is a thread's
 * own, so this thread lowers its to 19 (its task id from /proc/thread-self) and a file being read
 * takes a core only when the main thread does not need it. Elsewhere, or when the system refuses,
 * the worker runs at the process's priority. Decision 0008.
 */
function yieldToTheMainThread(): void {
  try {
    const tid = Number(path.basename(fs.readlinkSync("/proc/thread-self")));
    if (Number.isInteger(tid) && tid > 0) os.setPriority(tid, 19);
  } catch {
    // Not Linux, or not allowed.
  }
}

async function run(): Promise<WorkerReply> {
  yieldToTheMainThread();
  const job = WorkerJobSchema.parse(workerData);
  const result = await importEvaluationFile(job.fileName, job.bytes, job.limits, job.knownCounties ? { knownCounties: job.knownCounties } : {});
  if (result.ok) return { result: job.omitSatisfaction ? { ...result, value: { ...result.value, satisfaction: undefined } } : result };
  if (result.errors.length <= MAX_ERRORS) return { result };
  const rest = result.errors.length - (MAX_ERRORS - 1);
  return { result: { ok: false, errors: [...result.errors.slice(0, MAX_ERRORS - 1), { sheet: "文件", row: null, column: null, message: `另有 ${String(rest)} 处错误未列出，请先修正以上错误后重新导入` }] } };
}

run().then(
  (reply) => parentPort?.postMessage(reply),
  (error: unknown) => parentPort?.postMessage({ failure: error instanceof Error ? `${error.name}: ${error.message}` : String(error) } satisfies WorkerReply),
);
