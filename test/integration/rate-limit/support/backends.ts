/**
 * The backends the contract suite runs against: `memory` always; `redis` (@upstash/ratelimit
 * through the ioredis adapter) and `upstash` (@upstash/redis over REST to a local stand-in in
 * front of the same Redis) when REDIS_URL is set. Each backend instance writes under its own key
 * prefix on the shared Redis and deletes its keys when disposed; the shared Redis is never
 * flushed.
 */
import { randomBytes } from "node:crypto";
import { Redis as UpstashRestRedis } from "@upstash/redis";
import { Redis as IORedis } from "ioredis";
import { createMemoryRateLimiter } from "../../../../app/.server/rate-limit/memory";
import { connectRedis, upstashRedisOverIoredis } from "../../../../app/.server/rate-limit/redis";
import type { RateLimiter } from "../../../../app/.server/rate-limit/types";
import { createUpstashRateLimiter } from "../../../../app/.server/rate-limit/upstash";
import { afterEach } from "vitest";
import { makeTestServices, type TestClock, type TestServices } from "../../../support/services";
import { startUpstashStandIn } from "./upstash-stand-in";

export const REDIS_URL = process.env.REDIS_URL?.trim() || undefined;

/** Prints why Redis-backed tests are skipped (console.warn: console.error would fail the run). */
export function announceSkip(what: string, reason: string | null): void {
  if (reason) console.warn(`[skipped] ${what}: ${reason}`);
}

export const NO_REDIS_REASON = REDIS_URL ? null : "REDIS_URL is not set (CI sets it; e.g. REDIS_URL=redis://127.0.0.1:6379)";

export interface KeyState {
  key: string;
  /** PTTL: ms to expiry; -1 means no TTL. */
  pttl: number;
}

export interface BackendUnderTest {
  limiter: RateLimiter;
  /** Keys this instance wrote in Redis, with their PTTL (shared backends only). */
  keys?: () => Promise<KeyState[]>;
  dispose(): Promise<void>;
}

export interface BackendFactory {
  name: "memory" | "redis" | "upstash";
  /** Why this backend is skipped here, or null. */
  skip: string | null;
  make(clock: TestClock): Promise<BackendUnderTest>;
}

export function uniquePrefix(label: string): string {
  return `yztest:${label}:${process.pid}:${randomBytes(4).toString("hex")}`;
}

/** Lists and deletes keys under a prefix on the shared Redis (SCAN, never FLUSH). */
export async function keysUnder(inspector: IORedis, prefix: string): Promise<KeyState[]> {
  const keys: string[] = [];
  let cursor = "0";
  do {
    const [next, batch] = await inspector.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 500);
    cursor = next;
    keys.push(...batch);
  } while (cursor !== "0");
  return Promise.all(keys.map(async (key) => ({ key, pttl: await inspector.pttl(key) })));
}

export async function deleteUnder(inspector: IORedis, prefix: string): Promise<void> {
  const keys = await keysUnder(inspector, prefix);
  if (keys.length > 0) await inspector.del(...keys.map((k) => k.key));
}

export const BACKENDS: BackendFactory[] = [
  {
    name: "memory",
    skip: null,
    async make(clock) {
      const limiter = createMemoryRateLimiter(clock.now);
      return { limiter, dispose: () => limiter.close() };
    },
  },
  {
    name: "redis",
    skip: NO_REDIS_REASON,
    async make(clock) {
      const url = REDIS_URL ?? "";
      const prefix = uniquePrefix("redis");
      const client = connectRedis({ url });
      const inspector = new IORedis(url);
      const limiter = createUpstashRateLimiter({ redis: upstashRedisOverIoredis(client), prefix, now: clock.now });
      return {
        limiter,
        keys: () => keysUnder(inspector, prefix),
        async dispose() {
          await limiter.close();
          await deleteUnder(inspector, prefix);
          await Promise.all([client.quit(), inspector.quit()]);
        },
      };
    },
  },
  {
    name: "upstash",
    skip: NO_REDIS_REASON,
    async make(clock) {
      const url = REDIS_URL ?? "";
      const prefix = uniquePrefix("upstash");
      const standIn = await startUpstashStandIn({ redisUrl: url });
      const inspector = new IORedis(url);
      const redis = new UpstashRestRedis({ url: standIn.url, token: standIn.token, retry: false, enableTelemetry: false });
      const limiter = createUpstashRateLimiter({ redis, prefix, now: clock.now });
      return {
        limiter,
        keys: () => keysUnder(inspector, prefix),
        async dispose() {
          await limiter.close();
          await deleteUnder(inspector, prefix);
          await standIn.close();
          await inspector.quit();
        },
      };
    },
  },
];

/** A limiter a scenario test runs on: the in-process one always, Redis when REDIS_URL is set. */
export interface LimiterVariant {
  name: string;
  skip: string | null;
  /** The environment that selects it (added to makeTestServices' env with a key prefix). */
  env(): Record<string, string>;
  /** After the test: checks what it left in Redis (`check`), then deletes its keys. */
  cleanup(prefix: string): Promise<void>;
}

/**
 * The in-process limiter and Redis, for tests that play a scenario on both. `check` sees the
 * keys a Redis run left under its prefix (e.g. that the checks reached Redis, that every
 * counter expires) before they are deleted.
 */
export function limiterVariants(check?: (keys: KeyState[]) => void): LimiterVariant[] {
  return [
    { name: "in-process limiter", skip: null, env: () => ({}), cleanup: async () => {} },
    {
      name: "Redis",
      skip: NO_REDIS_REASON,
      env: () => ({ RATE_LIMIT_BACKEND: "redis", REDIS_URL: REDIS_URL ?? "" }),
      async cleanup(prefix) {
        const inspector = new IORedis(REDIS_URL ?? "");
        try {
          check?.(await keysUnder(inspector, prefix));
          await deleteUnder(inspector, prefix);
        } finally {
          await inspector.quit();
        }
      },
    },
  ];
}

/**
 * For a describe block running on `variant`: `start(env)` opens test services on it under a key
 * prefix of its own (labelled `label`), waiting for a shared backend to be reached; after each
 * test they are disposed and the variant cleans its keys up. Call it inside the describe.
 */
export function servicesOn(variant: LimiterVariant, label: string): (env?: Record<string, string>) => Promise<TestServices> {
  let services: TestServices | undefined;
  let prefix = "";
  afterEach(async () => {
    await services?.dispose();
    services = undefined;
    await variant.cleanup(prefix);
  });
  return async (env = {}) => {
    prefix = uniquePrefix(label);
    services = await makeTestServices({ env: { ...variant.env(), RATE_LIMIT_KEY_PREFIX: prefix, ...env } });
    await services.limiter.ready?.();
    return services;
  };
}
