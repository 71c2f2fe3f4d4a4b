/**
 * Several instances: two app processes on two ports, started at the same moment on one empty
 * PostgreSQL schema (STORE=postgres) and one Redis key prefix (RATE_LIMIT_BACKEND=redis), each
 * with its own DATA_DIR and the same secrets — the scale-out shape of docs/deployment.md.
 *
 * - a retried submission sent to both is stored once (every answer 200, one "accepted");
 * - the limits hold across both: a device alternating between them is refused after the limit,
 *   not after twice the limit;
 * - a console session made on one works on the other, and signing out on the other ends it on
 *   both.
 *
 * Skipped, saying why, without DATABASE_URL and REDIS_URL.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { demoPassword } from "../../../app/.server/auth/demo-accounts";
import type { ServerProcess } from "../../../scripts/lib/server-process";
import {
  DATABASE_URL,
  deviceCookie,
  post,
  PRIMARY_LINKS,
  REDIS_URL,
  redisPrefix,
  sharedStore,
  startApp,
  stopApp,
  storedByKey,
  submission,
  type SharedStore,
} from "./support";

const skip = !DATABASE_URL || !REDIS_URL;
if (skip) console.warn(`Several-instances test skipped: ${!DATABASE_URL ? "DATABASE_URL" : "REDIS_URL"} is not set`);

/** The shipped submitDevice limit: 5 per device per 10 minutes (docs/rate-limiting.md). */
const DEVICE_LIMIT = 5;

describe.skipIf(skip)("two app instances on one PostgreSQL and one Redis", () => {
  let store: SharedStore;
  let redis: ReturnType<typeof redisPrefix>;
  let a: ServerProcess;
  let b: ServerProcess;
  const dirs: string[] = [];

  beforeAll(async () => {
    store = await sharedStore("postgres");
    redis = redisPrefix();
    const instance = () => {
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "yz-instance-"));
      dirs.push(dataDir);
      return startApp(store, { ...redis.env, DATA_DIR: dataDir });
    };
    // At the same moment, on an empty schema: both migrate and seed without tripping over each other.
    [a, b] = await Promise.all([instance(), instance()]);
  }, 120_000);

  afterAll(async () => {
    for (const s of [a, b]) if (s) await stopApp(s);
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
    await redis?.clear();
    await store?.dispose();
  });

  it("each has its own directory and neither generated secrets there", () => {
    expect(dirs).toHaveLength(2);
    for (const d of dirs) expect(fs.existsSync(path.join(d, "secrets.json"))).toBe(false);
    expect(a.baseUrl).not.toBe(b.baseUrl);
  });

  it("stores a retried submission sent to both instances once", async () => {
    const scope = PRIMARY_LINKS[0];
    if (!scope) throw new Error("no link");
    const s = submission(store.keys, scope, "10.20.0.1");
    // The phone's retries land on whichever instance the proxy picks, at the same time and after
    // (each counts against the device's limit of 5, so four tries and one more submission).
    const together = await Promise.all([post(a.baseUrl, s), post(b.baseUrl, s)]);
    const later = [await post(b.baseUrl, s), await post(a.baseUrl, s)];
    const answers = [...together, ...later];
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    expect(answers.filter((r) => r.body?.status === "accepted")).toHaveLength(1);
    expect(answers.filter((r) => r.body?.status === "replayed")).toHaveLength(3);
    // Another submission from the same device on the same link: 已提交, on either instance.
    const again = submission(store.keys, scope, "10.20.0.1", s.cookie);
    expect((await post(b.baseUrl, again)).body?.error).toBe("already_submitted");
    const db = store.open();
    try {
      const stored = await storedByKey(db, [s.key, again.key]);
      expect([...stored.rows.entries()]).toEqual([[s.key, 1]]);
    } finally {
      await db.destroy();
    }
  });

  it("holds the rate limits across both instances", async () => {
    const cookie = deviceCookie(store.keys);
    const statuses: number[] = [];
    for (let i = 0; i < 4 * DEVICE_LIMIT; i++) {
      const scope = PRIMARY_LINKS[i % PRIMARY_LINKS.length];
      if (!scope) throw new Error("no link");
      // Alternating instances, a new address each time: only the device limit can refuse.
      const server = i % 2 === 0 ? a : b;
      statuses.push((await post(server.baseUrl, submission(store.keys, scope, `10.21.${i}.1`, cookie))).status);
    }
    expect(statuses.filter((s) => s !== 429)).toHaveLength(DEVICE_LIMIT);
    expect(statuses.slice(DEVICE_LIMIT).every((s) => s === 429)).toBe(true);
  });

  it("shares console sessions: signed in on one, served on the other, signed out everywhere", async () => {
    const login = await fetch(`${a.baseUrl}/login`, {
      method: "POST",
      redirect: "manual",
      headers: { "Content-Type": "application/x-www-form-urlencoded", "X-Real-IP": "10.22.0.1" },
      body: new URLSearchParams({ username: "demo-city", password: demoPassword(store.keys, "demo-city") }).toString(),
    });
    expect(login.status).toBe(302);
    const cookie = (login.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
    expect(cookie).toMatch(/^yz_console=/);

    const onB = await fetch(`${b.baseUrl}/admin`, { redirect: "manual", headers: { Cookie: cookie } });
    expect(onB.status).toBe(200);
    expect(await onB.text()).toContain("中卫市教育局（演示）");

    const logout = await fetch(`${b.baseUrl}/logout`, { method: "POST", redirect: "manual", headers: { Cookie: cookie } });
    expect([302, 303]).toContain(logout.status);
    const onA = await fetch(`${a.baseUrl}/admin`, { redirect: "manual", headers: { Cookie: cookie } });
    expect(onA.status).toBe(302);
    expect(onA.headers.get("location") ?? "").toContain("/login");
  });
});
