/**
 * Redis faults — down, refusing, restarting, hanging — on a redis-server each test starts on a
 * free port (never the shared one). Decided behaviour (docs/rate-limiting.md): a check waits at
 * most RATE_LIMIT_TIMEOUT_MS (here 100 ms) and is then answered by the in-process limiter, with
 * one warning; limits stay enforced (never the library's "wait 5 s, then let everything
 * through"); the shared backend is probed again every RATE_LIMIT_RETRY_MS and taken back, with an
 * info line, when it answers. No assertion here is about time: the clock is injected, and what
 * is checked is who answered and what was admitted.
 */
import { once } from "node:events";
import type { Redis as IORedis } from "ioredis";
import { afterEach, describe, expect, it } from "vitest";
import { createFallbackRateLimiter, type FallbackRateLimiter } from "../../../app/.server/rate-limit/fallback";
import { connectRedis, upstashRedisOverIoredis, whenConnected } from "../../../app/.server/rate-limit/redis";
import type { RateLimitResult, RateLimitRule } from "../../../app/.server/rate-limit/types";
import { createUpstashRateLimiter } from "../../../app/.server/rate-limit/upstash";
import { callSubmit, linkToken, newDevice, validBody } from "../../support/requests";
import { makeTestServices, testClock, type TestClock, type TestServices } from "../../support/services";
import { announceSkip, NO_REDIS_REASON, uniquePrefix } from "./support/backends";
import { capturingLogger, type CapturingLogger } from "./support/log";
import { RedisServer, redisServerAvailable } from "./support/redis-server";

const REASON = NO_REDIS_REASON ?? (redisServerAvailable() ? null : "redis-server is not on PATH");
announceSkip("Redis fault tests", REASON);

const DEVICE: RateLimitRule = { limit: 5, windowMs: 600_000, algorithm: "slidingWindow" };
const RETRY_MS = 2_000;

interface Rig {
  clock: TestClock;
  log: CapturingLogger;
  client: IORedis;
  limiter: FallbackRateLimiter;
}

const servers: RedisServer[] = [];
const cleanups: Array<() => Promise<void>> = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
  for (const server of servers.splice(0)) await server.stop();
});

async function ownServer(start: boolean, args: string[] = []): Promise<RedisServer> {
  const server = start ? await RedisServer.start({ args }) : await RedisServer.notStarted({ args });
  servers.push(server);
  return server;
}

function rig(server: RedisServer): Rig {
  const clock = testClock();
  const log = capturingLogger();
  const client = connectRedis({ url: server.url, log });
  const limiter = createFallbackRateLimiter({
    primary: createUpstashRateLimiter({
      redis: upstashRedisOverIoredis(client),
      prefix: uniquePrefix("fault"),
      now: clock.now,
      onClose: async () => client.disconnect(),
    }),
    backend: "redis",
    now: clock.now,
    log,
    timeoutMs: 100,
    retryMs: RETRY_MS,
    ready: whenConnected(client),
    startTimeoutMs: 300,
  });
  cleanups.push(() => limiter.close());
  return { clock, log, client, limiter };
}

async function checks(r: Rig, n: number, id = "device"): Promise<string> {
  const results: RateLimitResult[] = [];
  for (let i = 0; i < n; i++) results.push(await r.limiter.limit("submitDevice", DEVICE, id));
  return results.map((x) => (x.success ? "ok" : "no")).join(" ");
}

async function ready(client: IORedis): Promise<void> {
  if (client.status !== "ready") await once(client, "ready");
}

function fallbackWarnings(log: CapturingLogger): string[] {
  return log.messages("warn").filter((m) => m.startsWith("rate limiter"));
}

/** After RETRY_MS one check probes the shared backend; it answers, and the limiter switches back. */
async function expectRecovery(r: Rig): Promise<void> {
  await ready(r.client);
  r.clock.advance(RETRY_MS);
  await r.limiter.limit("submitDevice", DEVICE, "after-recovery");
  expect(r.limiter.status().using).toBe("shared");
  expect(r.log.messages("info")).toContain("rate limiter: shared backend is back");
}

describe.skipIf(REASON !== null)("Redis faults: limits hold and the survey keeps working", () => {
  it("down from the start: the in-process limiter answers and enforces; Redis is taken up once it starts", async () => {
    const server = await ownServer(false);
    const r = rig(server);
    await r.limiter.ready?.();
    expect(await checks(r, 7)).toBe("ok ok ok ok ok no no");
    expect(r.limiter.status()).toMatchObject({ using: "in-process", outages: 1 });
    expect(fallbackWarnings(r.log)).toHaveLength(1);

    await server.start();
    await expectRecovery(r);
    expect(await server.command("DBSIZE")).not.toBe(":0");
  });

  it("hanging from the start: start-up gives up after its timeout and the in-process limiter answers", async () => {
    const server = await ownServer(true);
    server.pause();
    const r = rig(server);
    expect(r.limiter.status().using).toBe("starting");
    expect(await checks(r, 2)).toBe("ok ok");
    await r.limiter.ready?.();
    expect(r.limiter.status()).toMatchObject({ using: "in-process", outages: 1 });
    expect(await checks(r, 4)).toBe("ok ok ok no");
    expect(fallbackWarnings(r.log)).toHaveLength(1);

    server.resume();
    await expectRecovery(r);
  });

  it("refusing (out of memory): error replies fall back; the in-process limiter takes over warm", async () => {
    const server = await ownServer(true);
    const r = rig(server);
    await r.limiter.ready?.();
    expect(await checks(r, 2)).toBe("ok ok");
    expect(r.limiter.status().using).toBe("shared");

    expect(await server.command("CONFIG SET maxmemory 1")).toBe("+OK");
    // It counted the two admitted checks all along: three more, then refusals.
    expect(await checks(r, 5)).toBe("ok ok ok no no");
    expect(r.limiter.status()).toMatchObject({ using: "in-process" });
    expect(r.limiter.status().lastError).toMatch(/OOM/);

    expect(await server.command("CONFIG SET maxmemory 0")).toBe("+OK");
    await expectRecovery(r);
  });

  it("refusing (authentication required): falls back and says why", async () => {
    const server = await ownServer(true, ["--requirepass", "not-configured-here"]);
    const r = rig(server);
    await r.limiter.ready?.();
    expect(await checks(r, 6)).toBe("ok ok ok ok ok no");
    expect(r.limiter.status().lastError).toMatch(/NOAUTH/);
    expect(fallbackWarnings(r.log)).toHaveLength(1);
  });

  it("restarting: falls back while it is away; afterwards runs the scripts again on the empty server", async () => {
    const server = await ownServer(true);
    const r = rig(server);
    await r.limiter.ready?.();
    expect(await checks(r, 2)).toBe("ok ok");
    await server.stop();
    expect(await checks(r, 4)).toBe("ok ok ok no");
    expect(r.limiter.status().using).toBe("in-process");

    await server.start();
    await expectRecovery(r);
    // The new server has neither the scripts nor the counts: NOSCRIPT was answered with EVAL.
    expect(await checks(r, 6, "new-device")).toBe("ok ok ok ok ok no");
    expect(r.limiter.status().using).toBe("shared");
  });

  it("hanging (accepts, never answers): each check waits at most the timeout, then the limits hold in-process", async () => {
    const server = await ownServer(true);
    const r = rig(server);
    await r.limiter.ready?.();
    expect(await checks(r, 2)).toBe("ok ok");
    server.pause();
    expect(await checks(r, 5)).toBe("ok ok ok no no");
    expect(r.limiter.status()).toMatchObject({ using: "in-process", outages: 1 });
    expect(r.limiter.status().lastError).toMatch(/within 100 ms/);
    // While switched, a check within RETRY_MS does not wait on the frozen server again.
    r.clock.advance(RETRY_MS - 1);
    expect(await checks(r, 1, "someone-else")).toBe("ok");

    server.resume();
    await expectRecovery(r);
  });
});

describe.skipIf(REASON !== null)("Redis faults through the real submit action", () => {
  let services: TestServices | undefined;

  afterEach(async () => {
    await services?.dispose();
    services = undefined;
  });

  for (const fault of ["down", "hanging"] as const) {
    it(`Redis ${fault}: a parent's submission is accepted and a device flood is still answered 429`, async () => {
      const server = await ownServer(fault === "hanging");
      if (fault === "hanging") server.pause();
      services = await makeTestServices({
        env: { RATE_LIMIT_BACKEND: "redis", REDIS_URL: server.url, RATE_LIMIT_TIMEOUT_MS: "100" },
      });
      const token = linkToken(services);
      const cookie = newDevice(services);
      const first = await callSubmit(services, { token, cookie, body: validBody(services) });
      expect(first.status).toBe(200);
      expect(first.body).toEqual({ ok: true, status: "accepted" });
      const statuses: number[] = [];
      for (let i = 0; i < 9; i++) statuses.push((await callSubmit(services, { token, cookie, body: validBody(services) })).status);
      expect(statuses).toEqual([409, 409, 409, 409, 429, 429, 429, 429, 429]);
      const stored = await services.db.selectFrom("responses").select("id").execute();
      expect(stored).toHaveLength(1);
    });
  }
});
