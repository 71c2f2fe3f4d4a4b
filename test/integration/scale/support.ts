/**
 * The scale-out tests drive the real server as separate processes (scripts/lib/server-process.ts,
 * production mode) the way phones do: a device cookie and a signed start time minted with the
 * secrets the servers were given, a fresh idempotency key per submission, answers of a parent.
 *
 * Stores: a DATA_DIR the test owns (so a server can be killed and started again on it), or a
 * PostgreSQL schema of its own; Redis under a key prefix of its own. Everything is removed
 * afterwards.
 */
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Redis as IORedis } from "ioredis";
import { newDeviceCookie, readDeviceId } from "../../../app/.server/collect/device";
import { createKeys, type Keys } from "../../../app/.server/keys";
import { scopeKey, signLink, type LinkScope } from "../../../app/.server/collect/link-token";
import { signStarted } from "../../../app/.server/collect/started-token";
import { createDb } from "../../../db/create-db";
import type { Database } from "../../../db/schema";
import { startServerProcess, type ServerProcess } from "../../../scripts/lib/server-process";
import { parentAnswers } from "../../support/requests";
import { createPostgresSchema } from "../../support/services";
import type { Kysely } from "kysely";

export const DATABASE_URL = process.env.DATABASE_URL;
export const REDIS_URL = process.env.REDIS_URL;

/** Primary schools of the demo campaign: a parent of a third-grader answers on any of them. */
export const PRIMARY_LINKS: LinkScope[] = ["spt01", "spt02", "zn01", "zn02", "hy01", "hy02"].map((schoolId) => ({
  campaignId: "zw2026",
  countyId: schoolId.startsWith("spt") ? "640502" : schoolId.startsWith("zn") ? "640521" : "640522",
  schoolId,
  questionnaireId: "social",
}));

/** A store several server processes (or several lives of one) can share. */
export interface SharedStore {
  kind: "sqlite" | "postgres";
  /** Environment every server on this store gets (store, secrets). */
  env: Record<string, string>;
  keys: Keys;
  dataDir: string;
  /** A Kysely handle on the store, for checking what was stored. */
  open(): Kysely<Database>;
  dispose(): Promise<void>;
}

export async function sharedStore(kind: "sqlite" | "postgres"): Promise<SharedStore> {
  const signing = randomBytes(32).toString("base64url");
  const deviceSalt = randomBytes(32).toString("base64url");
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "yz-scale-"));
  const schema = kind === "postgres" ? await createPostgresSchema("yz_scale") : null;
  const env: Record<string, string> = {
    SIGNING_SECRET: signing,
    DEVICE_SALT: deviceSalt,
    DATA_DIR: dataDir,
    ...(schema ? { STORE: "postgres", DATABASE_URL: schema.url } : { STORE: "sqlite", SQLITE_SYNCHRONOUS: "FULL" }),
  };
  return {
    kind,
    env,
    keys: createKeys({ signing, deviceSalt }),
    dataDir,
    open: () =>
      schema ? createDb({ kind: "postgres", url: schema.url }) : createDb({ kind: "sqlite", file: path.join(dataDir, "survey.sqlite"), synchronous: "FULL" }),
    async dispose() {
      fs.rmSync(dataDir, { recursive: true, force: true });
      await schema?.drop();
    },
  };
}

/** A Redis key prefix of our own, and the deletion of every key under it. */
export function redisPrefix(): { prefix: string; env: Record<string, string>; clear(): Promise<void> } {
  const prefix = `yztest:scale:${process.pid}:${randomBytes(4).toString("hex")}`;
  return {
    prefix,
    env: { RATE_LIMIT_BACKEND: "redis", REDIS_URL: REDIS_URL ?? "", RATE_LIMIT_KEY_PREFIX: prefix },
    async clear() {
      const redis = new IORedis(REDIS_URL ?? "", { lazyConnect: true, maxRetriesPerRequest: 1 });
      await redis.connect();
      let cursor = "0";
      do {
        const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 1000);
        cursor = next;
        if (keys.length > 0) await redis.del(...keys);
      } while (cursor !== "0");
      await redis.quit();
    },
  };
}

/** Starts the real server on `store` (the client address read from X-Real-IP). */
export function startApp(store: SharedStore, env: Record<string, string> = {}): Promise<ServerProcess> {
  return startServerProcess({ ...store.env, TRUST_PROXY: "X-Real-IP", SEED_DEMO: "true", ...env });
}

/** Ends a server that is still running (SIGTERM) and removes the empty directory it was given. */
export async function stopApp(server: ServerProcess): Promise<void> {
  if (server.child.exitCode === null && server.child.signalCode === null) {
    const exited = new Promise((resolve) => server.child.once("exit", resolve));
    server.child.kill("SIGTERM");
    await exited;
  }
  fs.rmSync(server.dataDir, { recursive: true, force: true });
}

export interface Submission {
  path: string;
  cookie: string;
  address: string;
  key: string;
  body: string;
}

/** A parent's submission on `scope` from a new device (or `cookie`), with a fresh key. */
export function submission(keys: Keys, scope: LinkScope, address: string, cookie?: string): Submission {
  const key = randomBytes(16).toString("base64url");
  const device = cookie ?? newDeviceCookie(keys, false).setCookie.split(";")[0] ?? "";
  const started = signStarted(keys, { scopeKey: scopeKey(scope), deviceId: readDeviceId(keys, device) ?? "" }, Date.now() - 240_000);
  return {
    path: `/s/${signLink(keys, scope)}/submit`,
    cookie: device,
    address,
    key,
    body: JSON.stringify({ version: 1, idempotencyKey: key, started, answers: parentAnswers() }),
  };
}

export function deviceCookie(keys: Keys): string {
  return newDeviceCookie(keys, false).setCookie.split(";")[0] ?? "";
}

export interface Answer {
  status: number;
  body: Record<string, unknown> | null;
}

/** POSTs a submission; a network failure (server gone) is status 0. */
export async function post(baseUrl: string, s: Submission): Promise<Answer> {
  try {
    const res = await fetch(`${baseUrl}${s.path}`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Cookie: s.cookie, "X-Real-IP": s.address },
      body: s.body,
    });
    const text = await res.text();
    let body: Record<string, unknown> | null = null;
    try {
      const parsed: unknown = JSON.parse(text);
      if (typeof parsed === "object" && parsed !== null) body = Object.fromEntries(Object.entries(parsed));
    } catch {
      body = null;
    }
    return { status: res.status, body };
  } catch {
    return { status: 0, body: null };
  }
}

/** Stored responses by idempotency key (how many rows each key has) and their item rows. */
export async function storedByKey(db: Kysely<Database>, keys: readonly string[]): Promise<{ rows: Map<string, number>; itemsPerResponse: number[] }> {
  const rows = new Map<string, number>();
  const itemsPerResponse: number[] = [];
  for (let i = 0; i < keys.length; i += 500) {
    const slice = keys.slice(i, i + 500);
    const found = await db
      .selectFrom("responses")
      .leftJoin("response_items", "response_items.response_id", "responses.id")
      .select((eb) => ["responses.idempotency_key as key", "responses.id as id", eb.fn.count<number>("response_items.item").as("items")])
      .where("responses.idempotency_key", "in", slice)
      .groupBy(["responses.idempotency_key", "responses.id"])
      .execute();
    for (const f of found) {
      rows.set(f.key, (rows.get(f.key) ?? 0) + 1);
      itemsPerResponse.push(Number(f.items));
    }
  }
  return { rows, itemsPerResponse };
}
