/**
 * Test services: the real createServices (real migrations, real SQLite file, real keys, the
 * demo seed) in a fresh temporary DATA_DIR, with an injectable clock. Each call gets its own
 * database, so test files can run in parallel.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { loadConfig } from "../../app/.server/config";
import { createLogger } from "../../app/.server/log";
import type { RateLimiter } from "../../app/.server/rate-limit/types";
import { createServices, type Services } from "../../app/.server/services";

export interface TestClock {
  now: () => number;
  set(ms: number): void;
  advance(ms: number): void;
}

/** A clock that stands still until told to move. Starts at 2026-03-10 10:00 Beijing time. */
export function testClock(start = Date.UTC(2026, 2, 10, 2, 0, 0)): TestClock {
  let t = start;
  return { now: () => t, set: (ms) => void (t = ms), advance: (ms) => void (t += ms) };
}

export interface TestServices extends Services {
  clock: TestClock;
  dataDir: string;
  /** Closes the services and deletes the data directory. */
  dispose(): Promise<void>;
}

export async function makeTestServices(
  options: { env?: Record<string, string>; clock?: TestClock; limiter?: RateLimiter } = {},
): Promise<TestServices> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "yz-test-"));
  const clock = options.clock ?? testClock();
  const config = loadConfig({
    DATA_DIR: dataDir,
    NODE_ENV: "test",
    LOG_LEVEL: "silent",
    SQLITE_SYNCHRONOUS: "NORMAL",
    PUBLIC_URL: "https://survey.test",
    ...options.env,
  });
  const services = await createServices(config, {
    now: clock.now,
    log: createLogger("silent"),
    limiter: options.limiter,
    surveysDir: fileURLToPath(new URL("../../surveys", import.meta.url)),
  });
  return Object.assign(services, {
    clock,
    dataDir,
    async dispose() {
      await services.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  });
}
