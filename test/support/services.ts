/**
 * Test services: the real createServices (real migrations, the demo seed, real keys) with an
 * injectable clock, on a store of their own. Each call gets its own database, so test files can
 * run in parallel:
 *
 * - SQLite (default): a fresh temporary DATA_DIR;
 * - PostgreSQL when `TEST_STORE=postgres` (with `DATABASE_URL`): a fresh schema on that server,
 *   reached through `?options=-c search_path=<schema>` and dropped on `dispose()`. This is how
 *   `npm test` runs the data layer's integration tests a second time (scripts/test.ts).
 *
 * A test that passes `STORE` itself in `env` keeps what it asked for.
 */
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { loadConfig } from "../../app/.server/config";
import { createLogger } from "../../app/.server/log";
import type { RateLimiter } from "../../app/.server/rate-limit/types";
import type { Services } from "../../app/.server/context";
import { createServices } from "../../app/.server/services";

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
  /**
   * The environment that reaches the same store and secrets from another process (a script
   * spawned by the test): DATA_DIR, and on PostgreSQL STORE, DATABASE_URL and the secrets.
   */
  storeEnv: Record<string, string>;
  /** Closes the services and deletes the data directory (and the PostgreSQL schema). */
  dispose(): Promise<void>;
}

/** Which store `makeTestServices` uses when a test does not choose: TEST_STORE=sqlite|postgres. */
export function testStore(): "sqlite" | "postgres" {
  const chosen = process.env.TEST_STORE ?? "sqlite";
  if (chosen !== "sqlite" && chosen !== "postgres") throw new Error(`TEST_STORE must be sqlite or postgres, not ${chosen}`);
  if (chosen === "postgres" && !process.env.DATABASE_URL) throw new Error("TEST_STORE=postgres needs DATABASE_URL=postgres://…");
  return chosen;
}

/** A new, empty schema on `DATABASE_URL`: its URL (search_path set) and how to drop it. */
export async function createPostgresSchema(prefix = "yz_t"): Promise<{ schema: string; url: string; drop(): Promise<void> }> {
  const base = process.env.DATABASE_URL;
  if (!base) throw new Error("DATABASE_URL is not set");
  const schema = `${prefix}_${process.pid}_${randomBytes(5).toString("hex")}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  try {
    await admin.query(`create schema ${schema}`);
  } finally {
    await admin.end();
  }
  const url = new URL(base);
  url.searchParams.set("options", `-c search_path=${schema}`);
  return {
    schema,
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: base });
      await client.connect();
      try {
        await client.query(`drop schema if exists ${schema} cascade`);
      } finally {
        await client.end();
      }
    },
  };
}

export async function makeTestServices(options: { env?: Record<string, string>; clock?: TestClock; limiter?: RateLimiter } = {}): Promise<TestServices> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "yz-test-"));
  const clock = options.clock ?? testClock();
  const storeEnv: Record<string, string> = { DATA_DIR: dataDir };
  let dropSchema: (() => Promise<void>) | null = null;
  if (options.env?.STORE === undefined && testStore() === "postgres") {
    const created = await createPostgresSchema();
    dropSchema = created.drop;
    Object.assign(storeEnv, { STORE: "postgres", DATABASE_URL: created.url });
  }
  if ((options.env?.STORE ?? storeEnv.STORE) === "postgres") {
    // Several processes on one PostgreSQL share their secrets explicitly (config.ts insists).
    Object.assign(storeEnv, {
      SIGNING_SECRET: options.env?.SIGNING_SECRET ?? randomBytes(32).toString("base64url"),
      DEVICE_SALT: options.env?.DEVICE_SALT ?? randomBytes(32).toString("base64url"),
    });
  }
  const dispose = async () => {
    fs.rmSync(dataDir, { recursive: true, force: true });
    await dropSchema?.();
  };
  let services: Services;
  try {
    const config = loadConfig({
      NODE_ENV: "test",
      LOG_LEVEL: "silent",
      SQLITE_SYNCHRONOUS: "NORMAL",
      PUBLIC_URL: "https://survey.test",
      ...storeEnv,
      ...options.env,
    });
    services = await createServices(config, {
      now: clock.now,
      log: createLogger("silent"),
      limiter: options.limiter,
      surveysDir: fileURLToPath(new URL("../../surveys", import.meta.url)),
    });
  } catch (error) {
    await dispose();
    throw error;
  }
  return Object.assign(services, {
    clock,
    dataDir,
    storeEnv: { ...storeEnv, ...(options.env?.STORE ? pickStore(options.env) : {}) },
    async dispose() {
      await services.close();
      await dispose();
    },
  });
}

function pickStore(env: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of ["STORE", "DATABASE_URL", "SIGNING_SECRET", "DEVICE_SALT"]) {
    const value = env[name];
    if (value !== undefined) out[name] = value;
  }
  return out;
}
