/**
 * The embedded default: an in-process limiter for one process, with the semantics and result
 * shape of @upstash/ratelimit's `fixedWindow` and `slidingWindow` (the sliding window is the
 * library's weighted two-window approximation: the previous window's count weighted by the part
 * of it still inside the sliding window, floored, plus the current window's count).
 * Like the library with its ephemeral cache (upstash.ts), a refused identifier stays refused
 * until the reset it was given (through that millisecond), so a client that honours Retry-After
 * is never refused twice and one that does not is refused without further counting.
 * Memory is bounded: windows older than the previous one are swept as time passes.
 */
import type { RateLimiter, RateLimitResult, RateLimitRule } from "./types";

interface Counter {
  window: number;
  count: number;
  previousCount: number;
  /** Refused until this time (the reset of the window in which it was refused). */
  blockedUntil: number;
}

const SWEEP_EVERY = 10_000;

export function createMemoryRateLimiter(now: () => number = Date.now): RateLimiter {
  const counters = new Map<string, Counter & { windowMs: number }>();
  let checks = 0;

  function sweep(at: number): void {
    for (const [key, c] of counters) {
      if (Math.floor(at / c.windowMs) > c.window + 1) counters.delete(key);
    }
  }

  return {
    async limit(name: string, rule: RateLimitRule, identifier: string): Promise<RateLimitResult> {
      const at = now();
      if (++checks % SWEEP_EVERY === 0) sweep(at);
      const window = Math.floor(at / rule.windowMs);
      const reset = (window + 1) * rule.windowMs;
      const key = `${name}\n${rule.windowMs}\n${identifier}`;
      let c = counters.get(key);
      if (!c) {
        c = { window, count: 0, previousCount: 0, blockedUntil: 0, windowMs: rule.windowMs };
        counters.set(key, c);
      } else if (c.window !== window) {
        c.previousCount = c.window === window - 1 ? c.count : 0;
        c.count = 0;
        c.window = window;
      }
      // Through the reset millisecond itself, as the library's cache does (`reset < Date.now()`).
      if (at <= c.blockedUntil) return { success: false, limit: rule.limit, remaining: 0, reset: c.blockedUntil };
      if (rule.algorithm === "fixedWindow") {
        if (c.count >= rule.limit) {
          c.blockedUntil = reset;
          return { success: false, limit: rule.limit, remaining: 0, reset };
        }
        c.count += 1;
        return { success: true, limit: rule.limit, remaining: rule.limit - c.count, reset };
      }
      const elapsed = (at % rule.windowMs) / rule.windowMs;
      const weightedPrevious = Math.floor((1 - elapsed) * c.previousCount);
      if (weightedPrevious + c.count >= rule.limit) {
        c.blockedUntil = reset;
        return { success: false, limit: rule.limit, remaining: 0, reset };
      }
      c.count += 1;
      return {
        success: true,
        limit: rule.limit,
        remaining: Math.max(0, rule.limit - (weightedPrevious + c.count)),
        reset,
      };
    },
    async close() {
      counters.clear();
    },
  };
}
