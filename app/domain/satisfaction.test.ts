import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  classifyQuestionnaire,
  itemRates,
  overallScoresSatisfying,
  rateEstimate,
  sumCounts,
  table6Row,
  tallyRecords,
  type QuestionnaireRecord,
} from "./satisfaction";
import { DEFAULT_SATISFACTION_RULE as DEFAULT_RULE, type SatisfactionRule } from "./satisfaction-rule";

function rec(
  overallScore: number | null,
  itemScores: Record<string, number | null>,
  valid = true,
  group: QuestionnaireRecord["group"] = "parent",
): QuestionnaireRecord {
  return {
    questionnaire: group === "student" ? "student" : "social",
    countyId: "C1",
    schoolId: "s1",
    group,
    grade: 4,
    location: "urban",
    overallScore,
    itemScores,
    valid,
  };
}

describe("classifying one questionnaire", () => {
  it("default rule: overall 满意 or 比较满意; 不了解 is valid but not satisfied; invalid is excluded", () => {
    expect(overallScoresSatisfying(DEFAULT_RULE)).toEqual([5, 4]);
    expect(classifyQuestionnaire(rec(4, {}), DEFAULT_RULE)).toEqual({ valid: true, satisfied: true });
    expect(classifyQuestionnaire(rec(3, {}), DEFAULT_RULE)).toEqual({ valid: true, satisfied: false });
    expect(classifyQuestionnaire(rec(null, {}), DEFAULT_RULE)).toEqual({ valid: true, satisfied: false });
    expect(classifyQuestionnaire(rec(5, {}, false), DEFAULT_RULE)).toEqual({ valid: false, satisfied: false });
  });
  it("mean rule: mean of answered items (不了解 excluded) ≥ x", () => {
    const rule: SatisfactionRule = { kind: "mean_at_least", minMeanScore: 4, includeOverall: false };
    // (5 + 3) / 2 = 4 ≥ 4 (the null is not counted as 0).
    expect(classifyQuestionnaire(rec(1, { a: 5, b: 3, c: null }), rule).satisfied).toBe(true);
    // (5 + 3 + 3) / 3 = 3.67 < 4.
    expect(classifyQuestionnaire(rec(5, { a: 5, b: 3, c: 3 }), rule).satisfied).toBe(false);
    // With the overall item: (5 + 3 + 3 + 5) / 4 = 4.
    expect(classifyQuestionnaire(rec(5, { a: 5, b: 3, c: 3 }), { ...rule, includeOverall: true }).satisfied).toBe(true);
    expect(classifyQuestionnaire(rec(null, { a: null }), rule)).toEqual({ valid: true, satisfied: false });
  });
});

describe("counts and rates", () => {
  // Six parent questionnaires: overall 5, 4, 3, 不了解, 5 (valid) and 5 (invalid).
  // total 6, invalid 1, valid 5, satisfied 3 (5, 4, 5) → 3 / 5 = 60%.
  // Item q1 over the valid ones: 5, 不了解, 2, 4, 4 → answered 4, unknown 1, satisfied (≥ 4) 3 → 75%;
  // mean (5 + 2 + 4 + 4) / 4 = 3.75 → 75 as a percentage.
  const records = [rec(5, { q1: 5 }), rec(4, { q1: null }), rec(3, { q1: 2 }), rec(null, { q1: 4 }), rec(5, { q1: 4 }), rec(5, { q1: 1 }, false)];
  it("tallies records into the rows SQL would return", () => {
    const { cells, items } = tallyRecords(records, DEFAULT_RULE);
    expect(cells).toHaveLength(1);
    expect(sumCounts(cells)).toEqual({ total: 6, invalid: 1, valid: 5, satisfied: 3 });
    const q1 = itemRates(items, [5, 4], 1.96).find((i) => i.itemId === "q1");
    expect(q1).toMatchObject({ answered: 4, unknown: 1, satisfiedAnswers: 3, meanScore: 3.75, meanPercent: 75 });
    expect(q1?.estimate.rate).toBe(0.75);
    // The invalid questionnaire's answer (q1 = 1) is not counted.
    expect(q1?.byScore["1"]).toBe(0);
    const overall = itemRates(items, [5, 4], 1.96)[0];
    expect(overall).toMatchObject({ itemId: "overall", answered: 4, unknown: 1 });
  });
  it("表Ⅵ columns: 问卷总数, 有效问卷数, 满意问卷数, 综合满意度%", () => {
    const row = table6Row(sumCounts(tallyRecords(records, DEFAULT_RULE).cells));
    expect(row).toEqual({ total: 6, valid: 5, satisfied: 3, ratePercent: 60 });
    expect(table6Row({ total: 2, invalid: 2, valid: 0, satisfied: 0 }).ratePercent).toBeNull();
  });
  it("margin of error at n = 1 is honest, not ±0", () => {
    // Wilson at p = 1, n = 1, z = 1.96: low = 1 / (1 + 1.96²) = 0.2065433, high = 1.
    const e = rateEstimate(1, 1, 1.96);
    expect(e.wilson?.low).toBeCloseTo(0.2065433, 6);
    expect(e.wilson?.high).toBe(1);
    expect(e.marginOfError).toBeCloseTo(1 - 0.2065433, 6);
    const none = rateEstimate(0, 1, 1.96);
    expect(none.marginOfError).toBeCloseTo(1 - 0.2065433, 6);
  });
  it("margin of error at 85% with 600 questionnaires is about ±3 points", () => {
    // 1.96 × √(0.85 × 0.15 / 600) = 1.96 × 0.0145774 = 0.0285717.
    // Wilson: centre (0.85 + 1.96²/1200) / (1 + 1.96²/600) = 0.8477733, half 0.0285675 →
    // [0.8192058, 0.8763409].
    // The margin is the larger distance from p to the Wilson bounds: 0.85 − 0.8192058 = 0.0307942
    // (the normal approximation's 0.0285717 understates the lower side).
    const e = rateEstimate(510, 600, 1.96);
    expect(e.rate).toBe(0.85);
    expect(e.marginOfError).toBeCloseTo(0.0307942, 6);
    expect(e.wilson?.low).toBeCloseTo(0.8192058, 6);
    expect(e.wilson?.high).toBeCloseTo(0.8763409, 6);
    expect(rateEstimate(0, 0, 1.96)).toMatchObject({ rate: null, marginOfError: null, wilson: null });
  });
  it("property: the Wilson interval contains the rate and stays in [0, 1]; counts add up", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100_000 }), fc.double({ min: 0, max: 1, noNaN: true }), (n, f) => {
        const s = Math.floor(n * f);
        const e = rateEstimate(s, n, 1.96);
        expect(e.wilson!.low).toBeGreaterThanOrEqual(0);
        expect(e.wilson!.high).toBeLessThanOrEqual(1);
        expect(e.wilson!.low).toBeLessThanOrEqual(e.rate! + 1e-12);
        expect(e.wilson!.high).toBeGreaterThanOrEqual(e.rate! - 1e-12);
      }),
    );
    const recordArb = fc.record({
      overall: fc.option(fc.integer({ min: 1, max: 5 })),
      valid: fc.boolean(),
      group: fc.constantFrom<QuestionnaireRecord["group"]>("parent", "teacher", "student"),
    });
    fc.assert(
      fc.property(fc.array(recordArb, { maxLength: 60 }), (rows) => {
        const rs = rows.map((r) => rec(r.overall, { a: r.overall }, r.valid, r.group));
        const c = sumCounts(tallyRecords(rs, DEFAULT_RULE).cells);
        expect(c.total).toBe(rs.length);
        expect(c.valid + c.invalid).toBe(c.total);
        expect(c.satisfied).toBe(rs.filter((r) => r.valid && r.overallScore !== null && r.overallScore >= 4).length);
      }),
    );
  });
});
