import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { meanOfPresent, weightedDispersion } from "./statistics";

describe("weighted 差异系数 — golden figures", () => {
  it("two units of 1000 students at 2 and 6: X̄ = 4, S = 2, CV = 0.5 exactly", () => {
    // X̄ = 0.5·2 + 0.5·6 = 4; S² = 0.5·(2−4)² + 0.5·(6−4)² = 4; S = 2; CV = 2/4 = 0.5.
    const d = weightedDispersion([
      { students: 1000, value: 2 },
      { students: 1000, value: 6 },
    ]);
    expect(d.mean).toBe(4);
    expect(d.sd).toBe(2);
    expect(d.cv).toBe(0.5);
  });
  it("two units at 5.5 and 14.5: CV = 4.5 / 10 = 0.45 exactly", () => {
    const d = weightedDispersion([
      { students: 300, value: 5.5 },
      { students: 300, value: 14.5 },
    ]);
    expect(d.cv).toBe(0.45);
  });
  it("weights by students, population form (no n − 1)", () => {
    // P = 100 + 300 = 400; X̄ = (100·2 + 300·6)/400 = 2000/400 = 5;
    // S² = (100·9 + 300·1)/400 = 1200/400 = 3; S = √3 = 1.7320508…; CV = √3/5 = 0.34641016…
    const d = weightedDispersion([
      { students: 100, value: 2 },
      { students: 300, value: 6 },
    ]);
    expect(d.mean).toBe(5);
    expect(d.cv).toBeCloseTo(Math.sqrt(3) / 5, 15);
    // The unweighted CV would be 2/4 = 0.5 and the n − 1 form √8/4 = 0.707: both wrong here.
    expect(d.cv).not.toBeCloseTo(0.5, 3);
  });
  it("degenerate cases: no units → null, one unit → 0, all zero → null (zero mean)", () => {
    expect(weightedDispersion([])).toMatchObject({ n: 0, cv: null, mean: null, reason: "no_units" });
    expect(weightedDispersion([{ students: 80, value: 3.3 }])).toMatchObject({ n: 1, cv: 0, mean: 3.3, reason: "ok" });
    expect(
      weightedDispersion([
        { students: 80, value: 0 },
        { students: 20, value: 0 },
      ]),
    ).toMatchObject({ cv: null, mean: 0, reason: "zero_mean" });
  });
  it("综合 is the plain mean of present CVs", () => {
    expect(meanOfPresent([0.1, 0.2, 0.6])).toBeCloseTo(0.3, 15);
    expect(meanOfPresent([null])).toBeNull();
  });
});

const unitArb = fc.record({
  students: fc.integer({ min: 1, max: 5000 }),
  // Realistic indicator values (0 to 10 000, three decimals): no subnormal doubles.
  value: fc.integer({ min: 0, max: 10_000_000 }).map((x) => x / 1000),
});
const unitsArb = fc.array(unitArb, { minLength: 1, maxLength: 40 });

describe("weighted 差异系数 — properties", () => {
  it("is unchanged when every value is scaled by a positive factor", () => {
    fc.assert(
      fc.property(unitsArb, fc.double({ min: 1e-3, max: 1e3, noNaN: true }), (units, k) => {
        const a = weightedDispersion(units);
        const b = weightedDispersion(units.map((u) => ({ ...u, value: u.value * k })));
        if (a.cv === null) return b.cv === null || b.mean === 0;
        expect(b.cv).not.toBeNull();
        expect(Math.abs((b.cv ?? 0) - a.cv)).toBeLessThanOrEqual(1e-9 * Math.max(1, a.cv));
        return true;
      }),
    );
  });
  it("is exactly 0 when all units have equal values", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 5000 }), { minLength: 1, maxLength: 40 }), fc.double({ min: 1e-6, max: 1e4, noNaN: true }), (ps, v) => {
        expect(weightedDispersion(ps.map((students) => ({ students, value: v }))).cv).toBe(0);
      }),
    );
  });
  it("the weighted mean equals the county total divided by its students", () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ students: fc.integer({ min: 1, max: 5000 }), total: fc.integer({ min: 0, max: 10_000_000 }) }), { minLength: 1, maxLength: 40 }),
        (rows) => {
          const d = weightedDispersion(rows.map((r) => ({ students: r.students, value: r.total / r.students })));
          const total = rows.reduce((a, r) => a + r.total, 0);
          const students = rows.reduce((a, r) => a + r.students, 0);
          expect(Math.abs((d.mean ?? 0) - total / students)).toBeLessThanOrEqual(1e-9 * Math.max(1, total / students));
        },
      ),
    );
  });
  it("adding a unit valued at the weighted mean never raises the CV, and lowers it when CV > 0", () => {
    fc.assert(
      fc.property(unitsArb, fc.integer({ min: 1, max: 5000 }), (units, p) => {
        const before = weightedDispersion(units);
        fc.pre(before.cv !== null && before.mean !== null);
        const after = weightedDispersion([...units, { students: p, value: before.mean ?? 0 }]);
        const b = before.cv ?? 0;
        const a = after.cv ?? 0;
        // Exactly: CV' = CV·√(P/(P+p)), with P ≤ 200 000 and p ≥ 1 a drop of ≥ 2.5·10⁻⁶ relative.
        expect(a).toBeLessThanOrEqual(b * (1 + 1e-12));
        if (b > 1e-9) expect(a).toBeLessThan(b);
      }),
    );
  });
});
