/**
 * The import worker's entry: one file in, one `ImportResult` out, then the thread ends. Runs
 * inside a worker thread started by ./index.ts (bundled to build/import-worker.js for
 * production by scripts/build-server.ts), with its own heap limit.
 */
import { parentPort, workerData } from "node:worker_threads";
import { importEvaluationFile } from "../evaluation-import";
import { WorkerJobSchema, type WorkerReply } from "./protocol";

async function run(): Promise<WorkerReply> {
  const job = WorkerJobSchema.parse(workerData);
  const result = await importEvaluationFile(job.fileName, job.bytes, job.limits);
  return { result };
}

run().then(
  (reply) => parentPort?.postMessage(reply),
  (error: unknown) => parentPort?.postMessage({ failure: error instanceof Error ? `${error.name}: ${error.message}` : String(error) } satisfies WorkerReply),
);
