/**
 * The `upstash` backend: @upstash/ratelimit with @upstash/redis over REST, against a local
 * stand-in of Upstash's REST API in front of the real Redis (no internet here). Configured end
 * to end through RATE_LIMIT_BACKEND=upstash, and its faults: a wrong token, the service gone,
 * the service hanging.
 */
import { Redis as UpstashRestRedis } from "@upstash/redis";
import { Redis as IORedis } from "ioredis";
import { afterEach, describe, expect, it } from "vitest";
import { createFallbackRateLimiter, type FallbackRateLimiter } from "../../../app/.server/rate-limit/fallback";
import type { RateLimitRule } from "../../../app/.server/rate-limit/types";
import { createUpstashRateLimiter } from "../../../app/.server/rate-limit/upstash";
import { callSubmit, linkToken, newDevice, validBody } from "../../support/requests";
import { makeTestServices, testClock, type TestServices } from "../../support/services";
import { announceSkip, deleteUnder, keysUnder, NO_REDIS_REASON, REDIS_URL, uniquePrefix } from "./support/backends";
import { capturingLogger } from "./support/log";
import { startUpstashStandIn, type UpstashStandIn } from "./support/upstash-stand-in";

announceSkip("Upstash backend tests (stand-in in front of Redis)", NO_REDIS_REASON);

const DEVICE: RateLimitRule = { limit: 5, windowMs: 600_000, algorithm: "slidingWindow" };

describe("Upstash configuration", () => {
  it("is chosen by RATE_LIMIT_BACKEND only and needs both the REST URL and the token", async () => {
    await expect(makeTestServices({ env: { RATE_LIMIT_BACKEND: "upstash", UPSTASH_REDIS_REST_URL: "https://x.upstash.io" } })).rejects.toThrow(
      /UPSTASH_REDIS_REST_URL and UPSTASH_REDIS_REST_TOKEN/,
    );
  });

  it("refuses a REST URL that is not one, at start-up", async () => {
    await expect(
      makeTestServices({ env: { RATE_LIMIT_BACKEND: "upstash", UPSTASH_REDIS_REST_URL: "x.upstash.io", UPSTASH_REDIS_REST_TOKEN: "t" } }),
    ).rejects.toThrow(/invalid URL/);
  });
});

describe.skipIf(NO_REDIS_REASON !== null)("the upstash backend against a REST stand-in", () => {
  let standIn: UpstashStandIn | undefined;
  let services: TestServices | undefined;
  let limiter: FallbackRateLimiter | undefined;
  const inspector = () => new IORedis(REDIS_URL ?? "");

  afterEach(async () => {
    await services?.dispose();
    await limiter?.close();
    await standIn?.close();
    services = undefined;
    limiter = undefined;
    standIn = undefined;
  });

  it("serves the submit path: a parent's submission is accepted and counted in Redis over REST", async () => {
    standIn = await startUpstashStandIn({ redisUrl: REDIS_URL ?? "" });
    const prefix = uniquePrefix("upstash-e2e");
    services = await makeTestServices({
      env: {
        RATE_LIMIT_BACKEND: "upstash",
        UPSTASH_REDIS_REST_URL: standIn.url,
        UPSTASH_REDIS_REST_TOKEN: standIn.token,
        RATE_LIMIT_KEY_PREFIX: prefix,
        // The longest wait allowed, so that a slow test machine does not fall back mid-test.
        RATE_LIMIT_TIMEOUT_MS: "200",
      },
    });
    await services.limiter.ready?.();
    const token = linkToken(services);
    const cookie = newDevice(services);
    const first = await callSubmit(services, { token, cookie, body: validBody(services) });
    expect(first.body).toEqual({ ok: true, status: "accepted" });
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await callSubmit(services, { token, cookie, body: validBody(services) })).status);
    expect(statuses).toEqual([409, 409, 409, 409, 429, 429]);

    expect(standIn.commands()).toBeGreaterThan(0);
    const redis = inspector();
    try {
      const keys = await keysUnder(redis, prefix);
      // Device, address and link tiers, and the integrity counters (link, address).
      expect(keys.map((k) => k.key.split(":")[4]).sort()).toEqual(
        expect.arrayContaining(["integrityAddress", "integrityLink", "submitAddress", "submitDevice", "submitLink"]),
      );
      for (const { key, pttl } of keys) expect(pttl, key).toBeGreaterThan(0);
      await deleteUnder(redis, prefix);
    } finally {
      await redis.quit();
    }
  });

  async function upstashRig(url: string, token: string) {
    const clock = testClock();
    const log = capturingLogger();
    limiter = createFallbackRateLimiter({
      primary: createUpstashRateLimiter({
        redis: new UpstashRestRedis({ url, token, retry: false, enableTelemetry: false }),
        prefix: uniquePrefix("upstash-fault"),
        now: clock.now,
      }),
      backend: "upstash",
      now: clock.now,
      log,
      timeoutMs: 100,
      retryMs: 2_000,
    });
    const run = async (n: number) => {
      const out: string[] = [];
      for (let i = 0; i < n; i++) out.push((await limiter?.limit("submitDevice", DEVICE, "d"))?.success ? "ok" : "no");
      return out.join(" ");
    };
    return { clock, log, limiter, run };
  }

  it("a wrong token: falls back, enforces, and logs the refusal", async () => {
    standIn = await startUpstashStandIn({ redisUrl: REDIS_URL ?? "" });
    const r = await upstashRig(standIn.url, "wrong-token");
    expect(await r.run(6)).toBe("ok ok ok ok ok no");
    expect(r.limiter.status().lastError).toMatch(/Unauthorized/);
    expect(r.log.messages("warn")).toHaveLength(1);
  });

  it("the service gone: falls back at once", async () => {
    standIn = await startUpstashStandIn({ redisUrl: REDIS_URL ?? "" });
    const { url, token } = standIn;
    await standIn.close();
    standIn = undefined;
    const r = await upstashRig(url, token);
    expect(await r.run(6)).toBe("ok ok ok ok ok no");
    expect(r.limiter.status().using).toBe("in-process");
  });

  it("the service hanging: falls back after the timeout, and is taken back when it answers again", async () => {
    standIn = await startUpstashStandIn({ redisUrl: REDIS_URL ?? "" });
    const r = await upstashRig(standIn.url, standIn.token);
    expect(await r.run(2)).toBe("ok ok");
    expect(r.limiter.status().using).toBe("shared");
    standIn.hang();
    expect(await r.run(4)).toBe("ok ok ok no");
    expect(r.limiter.status()).toMatchObject({ using: "in-process" });
    expect(r.limiter.status().lastError).toMatch(/within 100 ms/);

    standIn.resume();
    r.clock.advance(2_000);
    // Upstash kept its count (2) through the outage: the third check is admitted there.
    expect(await r.run(1)).toBe("ok");
    expect(r.limiter.status().using).toBe("shared");
    expect(r.log.messages("info")).toContain("rate limiter: shared backend is back");
  });
});
