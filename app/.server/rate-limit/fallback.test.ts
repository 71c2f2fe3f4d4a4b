/**
 * The fallback's state machine with scripted primaries (no Redis): when it switches, what it
 * logs, when it probes, when it switches back. Real timers for the short timeout; the clock
 * that paces probes is injected. No assertion is about elapsed time.
 */
import { describe, expect, it } from "vitest";
import type { Logger } from "../log";
import { createFallbackRateLimiter, MAX_TIMEOUT_MS } from "./fallback";
import type { RateLimiter, RateLimitResult, RateLimitRule } from "./types";

const RULE: RateLimitRule = { limit: 3, windowMs: 60_000, algorithm: "slidingWindow" };
const SHARED: RateLimitResult = { success: true, limit: 1000, remaining: 999, reset: 0 };

type Behaviour = "answer" | "fail" | "hang";

function scripted() {
  let behaviour: Behaviour = "answer";
  let calls = 0;
  const limiter: RateLimiter = {
    limit: () => {
      calls += 1;
      if (behaviour === "fail") return Promise.reject(new Error("ECONNREFUSED"));
      if (behaviour === "hang") return new Promise<RateLimitResult>(() => {});
      return Promise.resolve(SHARED);
    },
    peek: () => {
      calls += 1;
      if (behaviour === "fail") return Promise.reject(new Error("ECONNREFUSED"));
      if (behaviour === "hang") return new Promise<RateLimitResult>(() => {});
      return Promise.resolve(SHARED);
    },
    close: async () => {},
  };
  return {
    limiter,
    set: (b: Behaviour) => void (behaviour = b),
    calls: () => calls,
  };
}

function logger() {
  const lines: string[] = [];
  const log: Logger = {
    debug: () => {},
    info: (m) => void lines.push(`info ${m}`),
    warn: (m) => void lines.push(`warn ${m}`),
    error: (m) => void lines.push(`error ${m}`),
  };
  return { log, lines };
}

function setup(options: { ready?: Promise<unknown> } = {}) {
  let t = 1_000_000;
  const now = () => t;
  const primary = scripted();
  const { log, lines } = logger();
  const limiter = createFallbackRateLimiter({ primary: primary.limiter, backend: "redis", now, log, timeoutMs: 20, retryMs: 2_000, ...options });
  return { limiter, primary, lines, advance: (ms: number) => void (t += ms) };
}

describe("the fallback limiter", () => {
  it("answers from the shared limiter while it answers", async () => {
    const s = setup();
    expect(await s.limiter.limit("t", RULE, "a")).toEqual(SHARED);
    expect(s.limiter.status()).toMatchObject({ using: "shared", outages: 0 });
    expect(s.lines).toEqual([]);
  });

  it("switches at the first error, logs once, and stops calling the shared limiter until the retry time", async () => {
    const s = setup();
    s.primary.set("fail");
    const results = [];
    for (let i = 0; i < 5; i++) results.push((await s.limiter.limit("t", RULE, "a")).success);
    // The in-process limiter enforces the rule: 3 admitted, then refused.
    expect(results).toEqual([true, true, true, false, false]);
    expect(s.primary.calls()).toBe(1);
    expect(s.limiter.status()).toMatchObject({ using: "in-process", outages: 1, lastError: "ECONNREFUSED" });
    expect(s.lines).toEqual(["warn rate limiter: shared backend unavailable, using the in-process limiter"]);
  });

  it("answers peek like limit: from the shared limiter while it answers, else in-process, where a peek counts nothing", async () => {
    const s = setup();
    expect(await s.limiter.peek("t", RULE, "a")).toEqual(SHARED);
    s.primary.set("fail");
    // The in-process limiter has counted every limit all along, and peeks count nothing.
    await s.limiter.limit("t", RULE, "a");
    await s.limiter.limit("t", RULE, "a");
    for (let i = 0; i < 5; i++) expect(await s.limiter.peek("t", RULE, "a")).toMatchObject({ success: true, remaining: 1 });
    expect(s.limiter.status()).toMatchObject({ using: "in-process", outages: 1 });
    await s.limiter.limit("t", RULE, "a");
    expect(await s.limiter.peek("t", RULE, "a")).toMatchObject({ success: false, remaining: 0 });
  });

  it("probes once per retry interval and switches back when the shared limiter answers", async () => {
    const s = setup();
    s.primary.set("fail");
    await s.limiter.limit("t", RULE, "a");
    s.advance(2_000);
    await s.limiter.limit("t", RULE, "b");
    expect(s.primary.calls()).toBe(2);
    expect(s.limiter.status().using).toBe("in-process");
    s.primary.set("answer");
    await s.limiter.limit("t", RULE, "c");
    expect(s.primary.calls()).toBe(2);
    s.advance(2_000);
    expect(await s.limiter.limit("t", RULE, "d")).toEqual(SHARED);
    expect(s.limiter.status()).toMatchObject({ using: "shared", since: null, outages: 1 });
    expect(s.lines.at(-1)).toBe("info rate limiter: shared backend is back");
  });

  it("does not switch for one late answer, but does after three in a row", async () => {
    const s = setup();
    s.primary.set("hang");
    expect((await s.limiter.limit("t", RULE, "a")).success).toBe(true);
    expect(s.limiter.status().using).toBe("shared");
    s.primary.set("answer");
    expect(await s.limiter.limit("t", RULE, "a")).toEqual(SHARED);
    s.primary.set("hang");
    for (let i = 0; i < 3; i++) await s.limiter.limit("t", RULE, "a");
    expect(s.limiter.status()).toMatchObject({ using: "in-process", outages: 1 });
    expect(s.limiter.status().lastError).toMatch(/within 20 ms/);
    // Switched: no further waits on the hanging limiter until the retry time.
    const calls = s.primary.calls();
    await s.limiter.limit("t", RULE, "a");
    expect(s.primary.calls()).toBe(calls);
  });

  it("answers in-process while starting, and counts a failed start as an outage", async () => {
    let fail: (e: Error) => void = () => {};
    const s = setup({ ready: new Promise((_resolve, reject) => (fail = reject)) });
    expect(s.limiter.status().using).toBe("starting");
    expect((await s.limiter.limit("t", RULE, "a")).success).toBe(true);
    expect(s.primary.calls()).toBe(0);
    fail(new Error("ECONNREFUSED"));
    await s.limiter.ready?.();
    expect(s.limiter.status()).toMatchObject({ using: "in-process", outages: 1 });
  });

  it("refuses a timeout above the issue's bound of 200 ms", () => {
    const primary = scripted();
    const { log } = logger();
    expect(() =>
      createFallbackRateLimiter({ primary: primary.limiter, backend: "redis", now: Date.now, log, timeoutMs: MAX_TIMEOUT_MS + 1, retryMs: 1000 }),
    ).toThrow(RangeError);
  });
});
