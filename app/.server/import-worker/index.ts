/**
 * Parsing an uploaded evaluation-data or school-list file off the main thread: each file is
 * read in a fresh worker thread with its own heap limit and a wall-clock limit, at most
 * `concurrent` at a time with a short queue behind them, so one officer's file — a bomb, a
 * million rows, or only a large honest workbook — never stops the server answering parents'
 * phones. The worker applies the same caps as the CLI (../evaluation-import/limits); a worker
 * that runs out of memory, runs too long or crashes becomes one Chinese message, never a 500.
 *
 * The worker's code: in production build/import-worker.js (bundled by scripts/build-server.ts
 * next to build/server.js); from source (npm run dev, tests) ./worker.ts through tsx, which is
 * a dependency. docs/decisions/0008-uploads-in-a-worker.md.
 */
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Worker, type WorkerOptions } from "node:worker_threads";
import type { EvaluationInput } from "../../domain/evaluation/input";
import type { ImportResult } from "../evaluation-import/errors";
import { IMPORT_LIMITS, type ImportLimits } from "../evaluation-import/limits";
import type { WorkerJob, WorkerReply } from "./protocol";

export interface ImportWorkerSettings {
  /** Files parsed at the same time (each in its own worker). */
  concurrent: number;
  /** Files waiting for a worker; more than that are refused, politely. */
  queued: number;
  /** Wall-clock limit per file, from the worker's start; then it is terminated. */
  timeoutMs: number;
  /** The worker's V8 heap (old generation), MB. */
  maxOldGenerationSizeMb: number;
  maxYoungGenerationSizeMb: number;
  limits: ImportLimits;
}

/**
 * One file at a time, in a worker of at most 256 MB of heap, four waiting behind it. The
 * process serves parents' phones too: on a 2-core machine a second parse would take the core
 * the main thread answers on, and every worker's heap counts in the server's resident memory
 * (bench:abuse's target is ≤ 400 MB under attack). A file at every cap (an .xlsx streams its
 * 50 MB; CSV, held whole, is capped at 20 MB) and the heavy honest workbook (30,000 questionnaire
 * records, which needs about 200 MB) both fit; a city's real file unpacks to a
 * few MB. An officer whose file waits behind another sees the busy message past the queue.
 */
export const IMPORT_WORKER: ImportWorkerSettings = {
  concurrent: 1,
  queued: 4,
  timeoutMs: 60_000,
  maxOldGenerationSizeMb: 256,
  maxYoungGenerationSizeMb: 16,
  limits: IMPORT_LIMITS,
};

export const BUSY_MESSAGE = "服务器正在处理其他导入文件，请一两分钟后再试";

/** Why a file was not parsed although the file itself may be fine (busy, worker failure): not the file's errors. */
export type ParseOutcome = ImportResult<EvaluationInput> & { busy?: boolean };

export interface ParseLog {
  warn(message: string, fields?: Record<string, unknown>): void;
}

const refusal = (message: string, busy = false): ParseOutcome => ({
  ok: false,
  errors: [{ sheet: "文件", row: null, column: null, message }],
  ...(busy ? { busy } : {}),
});

/** Where the worker's code is, and whether it needs tsx (source) or not (built). */
function workerEntry(): { file: string; fromSource: boolean } {
  const here = fileURLToPath(import.meta.url);
  const dir = path.dirname(here);
  if (here.endsWith(".ts")) return { file: path.join(dir, "worker.ts"), fromSource: true };
  // Built: this module is inside build/server/ (the Remix server build); the worker sits in build/.
  for (const candidate of [path.join(dir, "import-worker.js"), path.join(dir, "..", "import-worker.js"), path.join(dir, "..", "..", "import-worker.js")]) {
    if (fs.existsSync(candidate)) return { file: candidate, fromSource: false };
  }
  throw new Error("build/import-worker.js is missing: run `npm run build` (scripts/build-server.ts builds it)");
}

/** Loads tsx's ESM hooks in the worker, then the TypeScript entry (from source only). */
const TSX_BOOT = `const { workerData } = require("node:worker_threads");
import(workerData.tsx).then((tsx) => { tsx.register(); return import(workerData.entry); });`;

function startWorker(job: WorkerJob, settings: ImportWorkerSettings): Worker {
  const entry = workerEntry();
  const resourceLimits = {
    maxOldGenerationSizeMb: settings.maxOldGenerationSizeMb,
    maxYoungGenerationSizeMb: settings.maxYoungGenerationSizeMb,
    stackSizeMb: 4,
  };
  // The worker does not need the parent's flags (e.g. --import tsx of the dev server, or vitest's).
  // The job's bytes are its own copy (parseUpload): moved to the worker, not copied again.
  const common: WorkerOptions = { resourceLimits, execArgv: [], stdout: false, stderr: false, transferList: [job.bytes.buffer as ArrayBuffer] };
  if (!entry.fromSource) return new Worker(entry.file, { ...common, workerData: job });
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve("tsx/esm/api")).href;
  return new Worker(TSX_BOOT, { ...common, eval: true, workerData: { ...job, tsx, entry: pathToFileURL(entry.file).href } });
}

/** Runs one job in its own worker; resolves with the result or a Chinese refusal, never rejects. */
function runInWorker(job: WorkerJob, settings: ImportWorkerSettings, log: ParseLog | undefined): Promise<ParseOutcome> {
  return new Promise((resolve) => {
    let worker: Worker;
    try {
      worker = startWorker(job, settings);
    } catch (error) {
      log?.warn("import worker could not start", { error: error instanceof Error ? error.message : String(error) });
      resolve(refusal("服务器暂时无法处理导入文件，请稍后再试或联系管理员"));
      return;
    }
    let settled = false;
    const settle = (outcome: ParseOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void worker.terminate();
      resolve(outcome);
    };
    const timer = setTimeout(() => {
      log?.warn("import worker timed out", { fileName: job.fileName, timeoutMs: settings.timeoutMs });
      settle(refusal(`文件处理超过 ${String(Number((settings.timeoutMs / 1000).toFixed(1)))} 秒，已停止。请检查文件是否过大，或按县（区）拆分后分别导入`));
    }, settings.timeoutMs);
    worker.on("message", (reply: WorkerReply) => {
      if ("result" in reply) settle(reply.result);
      else {
        log?.warn("import worker failed", { fileName: job.fileName, failure: reply.failure });
        settle(refusal("无法读取文件，请检查文件是否损坏后重试"));
      }
    });
    worker.on("error", (error: Error & { code?: string }) => {
      if (error.code === "ERR_WORKER_OUT_OF_MEMORY") {
        log?.warn("import worker ran out of memory", { fileName: job.fileName, maxOldGenerationSizeMb: settings.maxOldGenerationSizeMb });
        settle(refusal("文件处理所需内存超过限制，已停止。请检查文件是否过大，或按县（区）拆分后分别导入"));
      } else {
        log?.warn("import worker crashed", { fileName: job.fileName, error: error.message });
        settle(refusal("无法读取文件，请检查文件是否损坏后重试"));
      }
    });
    worker.on("exit", (code) => {
      if (!settled) {
        log?.warn("import worker exited without a result", { fileName: job.fileName, code });
        settle(refusal("无法读取文件，请检查文件是否损坏后重试"));
      }
    });
  });
}

let running = 0;
const waiting: (() => void)[] = [];

/** Files being parsed and waiting now (for tests and the health of the queue). */
export function importWorkerLoad(): { running: number; waiting: number } {
  return { running, waiting: waiting.length };
}

/**
 * Parses an uploaded file (.xlsx, .zip of CSV, .csv, .json) in a worker thread within the caps.
 * `settings` overrides the defaults (tests use small ones); `omitSatisfaction` leaves the 问卷
 * records out of the result (the console keeps only the rest); `knownCounties` lets a school
 * list leave out its 县（区） sheet (../evaluation-import/assemble.ts).
 */
export async function parseUpload(
  fileName: string,
  bytes: Uint8Array,
  options: {
    settings?: Partial<ImportWorkerSettings>;
    log?: ParseLog;
    omitSatisfaction?: boolean;
    knownCounties?: readonly { id: string; name: string }[];
  } = {},
): Promise<ParseOutcome> {
  const settings: ImportWorkerSettings = { ...IMPORT_WORKER, ...options.settings };
  if (running >= settings.concurrent) {
    if (waiting.length >= settings.queued) return refusal(BUSY_MESSAGE, true);
    await new Promise<void>((resolve) => waiting.push(resolve));
  } else running += 1;
  try {
    // A copy, so the worker owns its bytes and the caller's buffer stays usable.
    const known = options.knownCounties ? { knownCounties: options.knownCounties.map((c) => ({ id: c.id, name: c.name })) } : {};
    return await runInWorker(
      { fileName, omitSatisfaction: options.omitSatisfaction ?? false, bytes: bytes.slice(), limits: settings.limits, ...known },
      settings,
      options.log,
    );
  } finally {
    const next = waiting.shift();
    // The slot passes straight to the next waiter; only when nobody waits is it freed.
    if (next) next();
    else running -= 1;
  }
}
