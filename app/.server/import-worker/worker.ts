/**
 * The import worker's entry: one file in, one `ImportResult` out, then the thread ends. Runs
 * inside a worker thread started by ./index.ts (bundled to build/import-worker.js for
 * production by scripts/build-server.ts), with its own heap limit.
 */
import { parentPort, workerData } from "node:worker_threads";
import { importEvaluationFile } from "../evaluation-import";
import { WorkerJobSchema, type WorkerReply } from "./protocol";

/** Errors sent back at most (the console shows 200): a file wrong in every row does not cost the main thread a huge message. */
const MAX_ERRORS = 200;

async function run(): Promise<WorkerReply> {
  const job = WorkerJobSchema.parse(workerData);
  const result = await importEvaluationFile(job.fileName, job.bytes, job.limits, job.knownCounties ? { knownCounties: job.knownCounties } : {});
  if (result.ok) return { result: job.omitSatisfaction ? { ...result, value: { ...result.value, satisfaction: undefined } } : result };
  if (result.errors.length <= MAX_ERRORS) return { result };
  const rest = result.errors.length - (MAX_ERRORS - 1);
  return {
    result: {
      ok: false,
      errors: [
        ...result.errors.slice(0, MAX_ERRORS - 1),
        { sheet: "文件", row: null, column: null, message: `另有 ${String(rest)} 处错误未列出，请先修正以上错误后重新导入` },
      ],
    },
  };
}

run().then(
  (reply) => parentPort?.postMessage(reply),
  (error: unknown) => parentPort?.postMessage({ failure: error instanceof Error ? `${error.name}: ${error.message}` : String(error) } satisfies WorkerReply),
);
