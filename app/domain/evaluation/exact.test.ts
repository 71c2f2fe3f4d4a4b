import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  cmp,
  countToReach,
  cvSquared,
  cvSums,
  dec,
  div,
  eq,
  formatDeciding,
  formatExact,
  formatSqrt,
  formatSqrtDeciding,
  int,
  mul,
  plainExact,
  roundScaled,
  roundSqrtScaled,
  sqrtCompare,
  toNumber,
} from "./exact";
import { exactDispersion, weightedDispersion } from "./statistics";

describe("exact decimals", () => {
  it("reads a number as the decimal it is written as", () => {
    expect(dec(0.6)).toEqual({ n: 3n, d: 5n });
    expect(dec(214.2)).toEqual({ n: 1071n, d: 5n });
    expect(dec(1.1)).toEqual({ n: 11n, d: 10n });
    expect(dec(1e-7)).toEqual({ n: 1n, d: 10_000_000n });
    expect(dec(-2.5)).toEqual({ n: -5n, d: 2n });
    expect(dec(1e21)).toEqual({ n: 10n ** 21n, d: 1n });
    // 0.1 + 0.2 is the double 0.30000000000000004 and is read as that decimal, not as 0.3.
    expect(eq(dec(0.1 + 0.2), dec(0.3))).toBe(false);
    // 2.3 × 0.85 is the double 1.9549999999999998; the exact product is the floor 1.955.
    expect(2.3 * 0.85).not.toBe(1.955);
    expect(eq(mul(dec(2.3), dec(0.85)), dec(1.955))).toBe(true);
    expect(eq(mul(dec(4.2), dec(0.85)), dec(3.57))).toBe(true);
  });
  it("round-trips: the nearest double of an exact decimal is that decimal", () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e12, max: 1e12 }), fc.integer({ min: 0, max: 6 }), (m, k) => {
        const x = Number(`${String(m)}e-${String(k)}`);
        expect(toNumber(dec(x))).toBe(x);
      }),
    );
    expect(toNumber(div(dec(214.2), int(56)))).toBe(3.825);
    expect(toNumber(div(int(2), int(3)))).toBe(2 / 3);
  });
  it("rounds half away from zero exactly and writes fixed decimals", () => {
    expect(roundScaled(dec(1.005), 2)).toBe(101n);
    expect(roundScaled(dec(0.0005), 3)).toBe(1n);
    expect(roundScaled(dec(-0.125), 2)).toBe(-13n);
    expect(formatExact(dec(0.5), 3)).toBe("0.500");
    expect(formatExact(div(int(1), int(3)), 4)).toBe("0.3333");
    expect(plainExact(dec(0.85))).toBe("0.85");
    expect(plainExact(int(2000))).toBe("2000");
  });
  it("shows enough decimals for the printed figure to decide as the exact one", () => {
    // 0.5004 against ≤ 0.5 would print 0.500 at 3 places; it prints 0.5004.
    expect(formatDeciding(dec(0.5004), 3, "<=", dec(0.5))).toBe("0.5004");
    expect(formatDeciding(dec(4.9999), 2, ">=", int(5))).toBe("4.9999");
    expect(formatDeciding(dec(4.5), 2, ">=", int(5))).toBe("4.50");
    expect(formatSqrtDeciding(dec(0.2504), 3, "<=", dec(0.5))).toBe("0.5004");
  });
  it("counts what reaches a rate exactly", () => {
    expect(countToReach(7, 9, dec(0.85))).toBe(1); // 7.65 − 7 → 1
    expect(countToReach(17, 20, dec(0.85))).toBe(0);
    expect(countToReach(16, 20, dec(0.85))).toBe(1);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000 }), fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 0, max: 10_000 }), (den, permille, seed) => {
        const num = seed % (den + 1);
        const rate = dec(permille / 1000);
        const k = countToReach(num, den, rate);
        expect(cmp(div(int(num + k), int(den)), rate)).toBeGreaterThanOrEqual(0);
        if (k > 0) expect(cmp(div(int(num + k - 1), int(den)), rate)).toBeLessThan(0);
      }),
    );
  });
});

describe("exact 差异系数", () => {
  const pointArb = fc.record({ students: fc.integer({ min: 1, max: 3000 }), cents: fc.integer({ min: 0, max: 1_000_000 }) });
  it("agrees with the floating-point formula to rounding error", () => {
    fc.assert(
      fc.property(fc.array(pointArb, { minLength: 1, maxLength: 40 }), (pts) => {
        const exact = exactDispersion(pts.map((p) => ({ students: p.students, value: div(int(p.cents), int(100)) })));
        const float = weightedDispersion(pts.map((p) => ({ students: p.students, value: p.cents / 100 })));
        expect(exact.reason).toBe(float.reason);
        if (float.cv === null || exact.cv === null) expect(exact.cv).toBe(float.cv);
        else expect(exact.cv).toBeCloseTo(float.cv, 9);
      }),
    );
  });
  it("is exactly 0.5 for two equal units with values 1 : 3, and exactly 0.45 for 11 : 29", () => {
    const half = cvSquared(
      cvSums([
        { students: 120, value: div(dec(550), int(120)) },
        { students: 120, value: div(dec(1650), int(120)) },
      ]),
    );
    expect(half).toEqual({ n: 1n, d: 4n });
    expect(sqrtCompare(half ?? int(1), "<=", dec(0.5))).toBe(true);
    const junior = cvSquared(
      cvSums([
        { students: 7, value: int(11) },
        { students: 7, value: int(29) },
      ]),
    );
    expect(junior && eq(junior, mul(dec(0.45), dec(0.45)))).toBe(true);
  });
  it("rounds √(CV²) half-up exactly", () => {
    expect(formatSqrt({ n: 1n, d: 4n }, 3)).toBe("0.500");
    expect(roundSqrtScaled(dec(0.25050025), 3)).toBe(501n); // √ = 0.5005 exactly → 0.501
    expect(roundSqrtScaled(dec(0.25049), 3)).toBe(500n);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000_000 }), fc.integer({ min: 1, max: 10_000_000 }), fc.integer({ min: 0, max: 5 }), (n, d, k) => {
        const square = div(int(n), int(d));
        const m = roundSqrtScaled(square, k);
        // m − ½ ≤ 10^k·√r < m + ½, checked on squares.
        const f = 10n ** BigInt(2 * k);
        const lower = m === 0n || (2n * m - 1n) ** 2n * square.d <= 4n * f * square.n;
        const upper = (2n * m + 1n) ** 2n * square.d > 4n * f * square.n;
        expect(lower && upper).toBe(true);
      }),
    );
  });
});
