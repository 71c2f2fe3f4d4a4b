/**
 * The `RateLimiter` seam over @upstash/ratelimit. The same code serves both shared backends:
 * `redis` (a stock, self-hosted Redis through redis.ts) and `upstash` (Upstash's REST API
 * through @upstash/redis). One `Ratelimit` instance is kept per namespace and rule, with:
 *
 * - `timeout: 0` — the library's default waits 5 s and then *lets the request through*; here a
 *   slow or absent Redis is fallback.ts's business (≤ 200 ms, then the in-process limiter);
 * - `analytics: false` and `enableProtection: false` — analytics writes more keys, and
 *   protection downloads IP deny lists from GitHub, which is unreachable from a bureau's network;
 * - the ephemeral cache on, bounded: once an identifier is refused, later checks in the same
 *   window are refused locally without a round trip (a flood costs Redis nothing);
 * - only `fixedWindow` and `slidingWindow`, the algorithms the in-process limiter mirrors
 *   (`cachedFixedWindow` leaves keys without a TTL on stock Redis and is never used).
 */
import { Ratelimit, type Duration } from "@upstash/ratelimit";
import type { Redis } from "@upstash/redis";
import type { RateLimiter, RateLimitResult, RateLimitRule } from "./types";

/** Blocked identifiers remembered per rule before the oldest are forgotten (memory bound). */
const EPHEMERAL_CACHE_ENTRIES = 10_000;

/**
 * A Map that forgets its oldest entries past a size. The library's ephemeral cache only removes
 * an entry when that identifier is checked again, so a flood of one-off identifiers would
 * otherwise grow it without end.
 */
class BoundedMap<K, V> extends Map<K, V> {
  constructor(private readonly capacity: number) {
    super();
  }

  override set(key: K, value: V): this {
    if (!this.has(key) && this.size >= this.capacity) {
      const oldest = this.keys().next();
      if (!oldest.done) this.delete(oldest.value);
    }
    return super.set(key, value);
  }
}

export interface UpstashRateLimiterOptions {
  /** An @upstash/redis client: over REST (Upstash) or over ioredis (redis.ts). */
  redis: Redis;
  /**
   * Prefix of every key, e.g. "yz:rl"; keys are `<prefix>:<namespace>:<fw|sw>:<identifier>:<window>`,
   * and each expires on its own (PEXPIRE, set by the library's scripts).
   */
  prefix: string;
  /**
   * The clock, for tests. @upstash/ratelimit reads `Date.now()` itself, synchronously, when a
   * check starts (2.2.0: the window, the key and the ephemeral cache); an injected clock is
   * read once and stands in for `Date.now` during that synchronous start. The contract suite
   * (test/integration/rate-limit) fails if a later version reads the clock after an await.
   */
  now?: () => number;
  /** Called by `close()`, e.g. to quit the ioredis connection. */
  onClose?: () => Promise<void>;
}

function duration(ms: number): Duration {
  return `${ms} ms`;
}

function withClock<T>(now: (() => number) | undefined, start: () => T): T {
  if (now === undefined || now === Date.now) return start();
  const at = now();
  const realNow = Date.now;
  Date.now = () => at;
  try {
    return start();
  } finally {
    Date.now = realNow;
  }
}

interface Instance {
  ratelimit: Ratelimit;
  /** The key prefix given to the library (its cache is keyed `<prefix>:<identifier>`). */
  prefix: string;
  /** The library's ephemeral cache: identifier key → blocked until (ms). */
  blocked: BoundedMap<string, number>;
}

export function createUpstashRateLimiter(options: UpstashRateLimiterOptions): RateLimiter {
  const instances = new Map<string, Instance>();

  function instance(name: string, rule: RateLimitRule): Instance {
    const key = `${name}\n${rule.algorithm}\n${rule.limit}\n${rule.windowMs}`;
    let found = instances.get(key);
    if (!found) {
      const window = duration(rule.windowMs);
      // The algorithm is part of the prefix: fixed and sliding windows name their buckets alike,
      // so a tier switched from one to the other must not read the other's counters.
      const prefix = `${options.prefix}:${name}:${rule.algorithm === "fixedWindow" ? "fw" : "sw"}`;
      const blocked = new BoundedMap<string, number>(EPHEMERAL_CACHE_ENTRIES);
      const ratelimit = new Ratelimit({
        redis: options.redis,
        limiter: rule.algorithm === "fixedWindow" ? Ratelimit.fixedWindow(rule.limit, window) : Ratelimit.slidingWindow(rule.limit, window),
        prefix,
        timeout: 0,
        analytics: false,
        enableProtection: false,
        enableTelemetry: false,
        ephemeralCache: blocked,
      });
      found = { ratelimit, prefix, blocked };
      instances.set(key, found);
    }
    return found;
  }

  return {
    async limit(name: string, rule: RateLimitRule, identifier: string): Promise<RateLimitResult> {
      const { ratelimit } = instance(name, rule);
      const response = await withClock(options.now, () => ratelimit.limit(identifier));
      return { success: response.success, limit: response.limit, remaining: response.remaining, reset: response.reset };
    },
    /**
     * The library's `getRemaining` (its read-only scripts: nothing is counted), after its own
     * ephemeral cache: an identifier `limit` refused stays refused until its reset, as `limit`
     * itself would answer (the cache's rule: blocked while `reset >= now`).
     */
    async peek(name: string, rule: RateLimitRule, identifier: string): Promise<RateLimitResult> {
      const { ratelimit, prefix, blocked } = instance(name, rule);
      const at = options.now?.() ?? Date.now();
      const until = blocked.get(`${prefix}:${identifier}`);
      if (until !== undefined && until >= at) return { success: false, limit: rule.limit, remaining: 0, reset: until };
      const left = await withClock(options.now, () => ratelimit.getRemaining(identifier));
      const remaining = Math.max(0, left.remaining);
      return { success: remaining > 0, limit: left.limit, remaining, reset: left.reset };
    },
    async close() {
      instances.clear();
      await options.onClose?.();
    },
  };
}
