/**
 * The rate limiter a deployment asked for, built from validated configuration. The backend is
 * chosen by RATE_LIMIT_BACKEND only, never inferred from which URLs happen to be set:
 *
 * - `memory` (default): the in-process limiter; one process, nothing to run beside it;
 * - `redis`: @upstash/ratelimit on a self-hosted Redis (REDIS_URL) through redis.ts;
 * - `upstash`: @upstash/ratelimit on Upstash over REST (UPSTASH_REDIS_REST_URL and _TOKEN).
 *
 * The shared backends sit behind fallback.ts (≤ 200 ms, then the in-process limiter). Whatever
 * the backend, the limiter carries the configured rules (RATE_LIMITS) for `checkLimits`.
 */
import { Redis as UpstashRestRedis } from "@upstash/redis";
import type { Logger } from "../log";
import { createFallbackRateLimiter } from "./fallback";
import { createMemoryRateLimiter } from "./memory";
import { connectRedis, upstashRedisOverIoredis, whenConnected } from "./redis";
import type { RateLimitRules } from "./policy";
import type { RateLimitSettings } from "./settings";
import type { RateLimiter } from "./types";
import { createUpstashRateLimiter } from "./upstash";

export type RateLimitBackend = { backend: "memory" } | { backend: "redis"; url: string } | { backend: "upstash"; url: string; token: string };

/** The limiter enforcing `rules`, whatever `limiter` is. */
export function withRules(limiter: RateLimiter, rules: RateLimitRules): RateLimiter {
  return {
    rules,
    limit: (name, rule, identifier) => limiter.limit(name, rule, identifier),
    peek: (name, rule, identifier) => limiter.peek(name, rule, identifier),
    ready: () => limiter.ready?.() ?? Promise.resolve(),
    close: () => limiter.close(),
  };
}

export function createConfiguredRateLimiter(backend: RateLimitBackend, settings: RateLimitSettings, now: () => number, log: Logger): RateLimiter {
  switch (backend.backend) {
    case "memory":
      return withRules(createMemoryRateLimiter(now), settings.rules);
    case "redis": {
      const client = connectRedis({ url: backend.url, log });
      const shared = createUpstashRateLimiter({
        redis: upstashRedisOverIoredis(client),
        prefix: settings.keyPrefix,
        now,
        // Nothing to flush for a limiter, and QUIT would wait on a hanging server.
        onClose: async () => client.disconnect(),
      });
      return withRules(
        createFallbackRateLimiter({
          primary: shared,
          backend: "redis",
          now,
          log,
          timeoutMs: settings.timeoutMs,
          retryMs: settings.retryMs,
          ready: whenConnected(client),
        }),
        settings.rules,
      );
    }
    case "upstash": {
      const redis = new UpstashRestRedis({
        url: backend.url,
        token: backend.token,
        // No retries inside the client: a failed call falls back at once (fallback.ts).
        retry: false,
        enableTelemetry: false,
        keepAlive: true,
      });
      const shared = createUpstashRateLimiter({ redis, prefix: settings.keyPrefix, now });
      return withRules(
        createFallbackRateLimiter({
          primary: shared,
          backend: "upstash",
          now,
          log,
          timeoutMs: settings.timeoutMs,
          retryMs: settings.retryMs,
          // The first HTTPS round trip (TLS, the HTTP client loading) can take longer than the
          // timeout; PING pays it before the first check waits on it.
          ready: redis.ping(),
        }),
        settings.rules,
      );
    }
  }
}
