/**
 * One behavioural contract for every rate-limit backend: `memory` always, `redis` (the library
 * on stock Redis through the ioredis adapter) and `upstash` (over REST to a stand-in in front of
 * the same Redis) when REDIS_URL is set. The clock is injected, so windows, resets and
 * Retry-After are tested without waiting.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { checkLimits } from "../../../app/.server/rate-limit/policy";
import type { RateLimitAlgorithm, RateLimitResult, RateLimitRule } from "../../../app/.server/rate-limit/types";
import { testClock, type TestClock } from "../../support/services";
import { announceSkip, BACKENDS, type BackendUnderTest } from "./support/backends";

const WINDOW = 60_000;
const ALGORITHMS: RateLimitAlgorithm[] = ["fixedWindow", "slidingWindow"];

function rule(limit: number, algorithm: RateLimitAlgorithm = "slidingWindow", windowMs = WINDOW): RateLimitRule {
  return { limit, windowMs, algorithm };
}

function outcomes(results: RateLimitResult[]): string {
  return results.map((r) => (r.success ? `ok${r.remaining}` : "no")).join(" ");
}

for (const backend of BACKENDS) {
  announceSkip(`rate-limit contract on ${backend.name}`, backend.skip);

  describe.skipIf(backend.skip !== null)(`rate-limit contract: ${backend.name}`, () => {
    let clock: TestClock;
    let b: BackendUnderTest;
    // The test clock starts on a window boundary (10:00:00 Beijing time).
    let start: number;

    beforeEach(async () => {
      clock = testClock();
      start = clock.now();
      expect(start % WINDOW).toBe(0);
      b = await backend.make(clock);
    });

    afterEach(async () => {
      await b.dispose();
    });

    async function run(n: number, name: string, r: RateLimitRule, id: string): Promise<RateLimitResult[]> {
      const results: RateLimitResult[] = [];
      for (let i = 0; i < n; i++) results.push(await b.limiter.limit(name, r, id));
      return results;
    }

    for (const algorithm of ALGORITHMS) {
      it(`${algorithm}: admits the limit within a window, then refuses with remaining 0 and the window's reset`, async () => {
        const results = await run(7, "t", rule(5, algorithm), "device-1");
        expect(outcomes(results)).toBe("ok4 ok3 ok2 ok1 ok0 no no");
        for (const r of results) expect(r).toMatchObject({ limit: 5, reset: start + WINDOW });
      });

      it(`${algorithm}: 100 parallel checks never admit more than the limit`, async () => {
        for (const limit of [10, 37]) {
          const results = await Promise.all(Array.from({ length: 100 }, () => b.limiter.limit("par", rule(limit, algorithm), `id-${limit}`)));
          expect(results.filter((r) => r.success)).toHaveLength(limit);
          expect(results.filter((r) => !r.success).every((r) => r.remaining === 0)).toBe(true);
        }
      });

      it(`${algorithm}: counts namespaces and identifiers apart`, async () => {
        const r1 = rule(1, algorithm);
        expect((await b.limiter.limit("a", r1, "x")).success).toBe(true);
        expect((await b.limiter.limit("a", r1, "y")).success).toBe(true);
        expect((await b.limiter.limit("b", r1, "x")).success).toBe(true);
        expect((await b.limiter.limit("a", r1, "x")).success).toBe(false);
      });
    }

    it("Retry-After: checkLimits gives whole seconds to the first moment it admits again", async () => {
      const limiter = { ...b.limiter, rules: { submitDevice: rule(5) } };
      const check = () => checkLimits(limiter, [{ tier: "submitDevice", identifier: "phone" }], clock.now());
      for (let i = 0; i < 5; i++) expect(await check()).toEqual({ ok: true });
      clock.advance(15_500);
      // 44.5 s to the reset → 45; 45 s exactly → 46 (the reset millisecond itself is still refused).
      expect(await check()).toMatchObject({ ok: false, retryAfterSeconds: 45 });
      clock.set(start + 15_000);
      expect(await check()).toMatchObject({ ok: false, retryAfterSeconds: 46 });
      clock.set(start + WINDOW - 200);
      expect(await check()).toMatchObject({ ok: false, retryAfterSeconds: 1 });
      clock.set(start + WINDOW);
      expect(await check()).toMatchObject({ ok: false, retryAfterSeconds: 1 });
      // A client that waited exactly Retry-After is admitted.
      clock.set(start + WINDOW + 1);
      expect(await check()).toEqual({ ok: true });
    });

    it("fixedWindow: starts afresh at the reset", async () => {
      await run(3, "fw", rule(3, "fixedWindow"), "id");
      expect((await b.limiter.limit("fw", rule(3, "fixedWindow"), "id")).success).toBe(false);
      clock.set(start + WINDOW + 1);
      const after = await run(4, "fw", rule(3, "fixedWindow"), "id");
      expect(outcomes(after)).toBe("ok2 ok1 ok0 no");
      expect(after[0]?.reset).toBe(start + 2 * WINDOW);
    });

    it("slidingWindow: the previous window counts in proportion to its part still inside the window", async () => {
      const r10 = rule(10);
      expect(outcomes(await run(11, "sw", r10, "id"))).toBe("ok9 ok8 ok7 ok6 ok5 ok4 ok3 ok2 ok1 ok0 no");
      // Halfway through the next window: ⌊0.5 × 10⌋ = 5 of the previous window still count.
      clock.set(start + WINDOW + WINDOW / 2);
      const half = await run(6, "sw", r10, "id");
      expect(outcomes(half)).toBe("ok4 ok3 ok2 ok1 ok0 no");
      expect(half[5]?.reset).toBe(start + 2 * WINDOW);
      // Two windows on, the window before (5 admitted) has slid out entirely by its end.
      clock.set(start + 3 * WINDOW);
      expect(outcomes(await run(1, "sw", r10, "id"))).toBe("ok9");
    });

    it("a refusal holds until the reset it announced (Retry-After is honest)", async () => {
      const r10 = rule(10);
      await run(10, "hold", r10, "id");
      // 1 s into the next window: ⌊(59/60) × 10⌋ = 9 still count, so one more is admitted.
      clock.set(start + WINDOW + 1_000);
      expect(outcomes(await run(2, "hold", r10, "id"))).toBe("ok0 no");
      // 45 s in, the weighted count (2 + 1) would admit again, but the refusal stands until 2×WINDOW.
      clock.set(start + WINDOW + 45_000);
      const held = await b.limiter.limit("hold", r10, "id");
      expect(held).toMatchObject({ success: false, remaining: 0, reset: start + 2 * WINDOW });
      clock.set(start + 2 * WINDOW);
      expect((await b.limiter.limit("hold", r10, "id")).success).toBe(false);
      clock.set(start + 2 * WINDOW + 1);
      expect((await b.limiter.limit("hold", r10, "id")).success).toBe(true);
    });

    for (const algorithm of ALGORITHMS) {
      it(`${algorithm}: peek counts nothing and tells what limit would answer`, async () => {
        const r3 = rule(3, algorithm);
        for (let i = 0; i < 5; i++) expect(await b.limiter.peek("peek", r3, "id")).toEqual({ success: true, limit: 3, remaining: 3, reset: start + WINDOW });
        expect(outcomes(await run(1, "peek", r3, "id"))).toBe("ok2");
        expect(await b.limiter.peek("peek", r3, "id")).toEqual({ success: true, limit: 3, remaining: 2, reset: start + WINDOW });
        expect(outcomes(await run(2, "peek", r3, "id"))).toBe("ok1 ok0");
        expect(await b.limiter.peek("peek", r3, "id")).toEqual({ success: false, limit: 3, remaining: 0, reset: start + WINDOW });
        expect(outcomes(await run(1, "peek", r3, "id"))).toBe("no");
        expect(await b.limiter.peek("peek", r3, "id")).toMatchObject({ success: false, remaining: 0, reset: start + WINDOW });
        // Another identifier, another namespace: untouched.
        expect(await b.limiter.peek("peek", r3, "other")).toMatchObject({ success: true, remaining: 3 });
        expect(await b.limiter.peek("peek-2", r3, "id")).toMatchObject({ success: true, remaining: 3 });
        // Halfway through the next window: the fixed window starts afresh, the sliding one still
        // weighs ⌊0.5 × 3⌋ = 1 of the previous window.
        clock.set(start + WINDOW + WINDOW / 2);
        expect(await b.limiter.peek("peek", r3, "id")).toEqual({
          success: true,
          limit: 3,
          remaining: algorithm === "fixedWindow" ? 3 : 2,
          reset: start + 2 * WINDOW,
        });
      });
    }

    it("peek reports a refusal that limit holds until its reset, and 100 parallel peeks count nothing", async () => {
      const r10 = rule(10);
      await run(10, "peek-hold", r10, "id");
      clock.set(start + WINDOW + 1_000);
      expect(outcomes(await run(2, "peek-hold", r10, "id"))).toBe("ok0 no");
      // 45 s in the weighted count alone would admit, but the refusal stands until 2×WINDOW.
      clock.set(start + WINDOW + 45_000);
      expect(await b.limiter.peek("peek-hold", r10, "id")).toMatchObject({ success: false, remaining: 0, reset: start + 2 * WINDOW });
      clock.set(start + 2 * WINDOW + 1);
      expect((await b.limiter.peek("peek-hold", r10, "id")).success).toBe(true);
      const peeks = await Promise.all(Array.from({ length: 100 }, () => b.limiter.peek("peek-par", rule(5), "id")));
      expect(peeks.every((p) => p.success && p.remaining === 5)).toBe(true);
      expect(outcomes(await run(6, "peek-par", rule(5), "id"))).toBe("ok4 ok3 ok2 ok1 ok0 no");
    });

    it.skipIf(backend.name === "memory")("leaves no key without a TTL (PTTL), and none beyond two windows", async () => {
      for (const algorithm of ALGORITHMS) {
        await run(4, `ttl-${algorithm}`, rule(3, algorithm), "a");
        await Promise.all(Array.from({ length: 20 }, (_, i) => b.limiter.limit(`ttl-${algorithm}`, rule(3, algorithm), `p${i}`)));
      }
      clock.set(start + WINDOW + 1);
      await run(2, "ttl-slidingWindow", rule(3), "a");
      const keys = (await b.keys?.()) ?? [];
      expect(keys.length).toBeGreaterThan(40);
      for (const { key, pttl } of keys) {
        expect(pttl, key).toBeGreaterThan(0);
        expect(pttl, key).toBeLessThanOrEqual(2 * WINDOW + 1000);
      }
    });
  });
}
