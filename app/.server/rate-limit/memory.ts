/**
 * The embedded default: an in-process limiter for one process, with the semantics and result
 * shape of @upstash/ratelimit's `fixedWindow` and `slidingWindow` (the sliding window is the
 * library's weighted two-window approximation: the previous window's count weighted by the part
 * of it still inside the sliding window, floored, plus the current window's count).
 * Like the library with its ephemeral cache (upstash.ts), a refused identifier stays refused
 * until the reset it was given (through that millisecond), so a client that honours Retry-After
 * is never refused twice and one that does not is refused without further counting.
 * `peek` reads the same counts without adding to them (the library's `getRemaining`), and
 * reports a held refusal as the library's cache does.
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

  /** The counter of `key`, if any, brought to the window of `at`. */
  function existing(key: string, rule: RateLimitRule, at: number): Counter | undefined {
    const window = Math.floor(at / rule.windowMs);
    const c = counters.get(key);
    if (c && c.window !== window) {
      c.previousCount = c.window === window - 1 ? c.count : 0;
      c.count = 0;
      c.window = window;
    }
    return c;
  }

  function created(key: string, rule: RateLimitRule, at: number): Counter {
    const c = { window: Math.floor(at / rule.windowMs), count: 0, previousCount: 0, blockedUntil: 0, windowMs: rule.windowMs };
    counters.set(key, c);
    return c;
  }

  return {
    async peek(name: string, rule: RateLimitRule, identifier: string): Promise<RateLimitResult> {
      const at = now();
      const reset = (Math.floor(at / rule.windowMs) + 1) * rule.windowMs;
      const c = existing(`${name}\n${rule.windowMs}\n${identifier}`, rule, at);
      if (!c) return { success: true, limit: rule.limit, remaining: rule.limit, reset };
      if (at <= c.blockedUntil) return { success: false, limit: rule.limit, remaining: 0, reset: c.blockedUntil };
      const used = rule.algorithm === "fixedWindow" ? c.count : Math.floor((1 - (at % rule.windowMs) / rule.windowMs) * c.previousCount) + c.count;
      const remaining = Math.max(0, rule.limit - used);
      return { success: remaining > 0, limit: rule.limit, remaining, reset };
    },
    async limit(name: string, rule: RateLimitRule, identifier: string): Promise<RateLimitResult> {
      const at = now();
      if (++checks % SWEEP_EVERY === 0) sweep(at);
      const window = Math.floor(at / rule.windowMs);
      const reset = (window + 1) * rule.windowMs;
      const key = `${name}\n${rule.windowMs}\n${identifier}`;
      const c = existing(key, rule, at) ?? created(key, rule, at);
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
