import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { apportion, buildSamplePlan, requiredSampleSize, sampleCoverage } from "./sample-plan";
import { DEFAULT_SAMPLE_PLAN_SETTINGS as S } from "./evaluation/settings";

describe("sample plan", () => {
  it("中宁县: 336 000 × 1.5‰ = 504; parents 252; the other six groups 42 each", () => {
    const plan = buildSamplePlan({ residentPopulation: 336_000, locationShare: { urban: 0.45, town: 0.27, rural: 0.28 } }, S);
    expect(plan.total).toBe(504);
    expect(plan.byGroup).toEqual({ parent: 252, student: 42, teacher: 42, principal: 42, deputy: 42, cppcc: 42, public: 42 });
    // Locations over the school-based groups 252 + 42 × 3 = 378: 0.45 × 378 = 170.1, 0.27 × 378 =
    // 102.06, 0.28 × 378 = 105.84 → floors 170, 102, 105 (377), +1 to the largest remainder (0.84).
    expect(plan.byLocation).toEqual({ urban: 170, town: 102, rural: 106 });
    // Students in grades 3–9: 42 / 7 = 6 each; parents in grades 1–9: 252 / 9 = 28 each.
    expect(Object.values(plan.studentByGrade)).toEqual([6, 6, 6, 6, 6, 6, 6]);
    expect(Object.values(plan.parentByGrade)).toEqual([28, 28, 28, 28, 28, 28, 28, 28, 28]);
  });
  it("rounds the sample up: 406 001 × 1.5‰ = 609.0015 → 610", () => {
    expect(requiredSampleSize(406_001, 1.5)).toBe(610);
    expect(requiredSampleSize(406_000, 1.5)).toBe(609);
  });
  it("caps a group at its available population and re-apportions the rest", () => {
    // 504: parents 252, 252 left for six groups; only 30 principals → 30, the other five share 222:
    // 44.4 each → 44, 44, 44, 44, 44 (220) + 2 by order → 45, 45, 44, 44, 44.
    const plan = buildSamplePlan({ residentPopulation: 336_000, locationShare: null, available: { principal: 30 } }, S);
    expect(plan.byGroup.principal).toBe(30);
    expect(plan.byGroup.student + plan.byGroup.teacher + plan.byGroup.deputy + plan.byGroup.cppcc + plan.byGroup.public).toBe(222);
    expect(plan.byLocation).toBeNull();
  });
  it("property: apportionment sums to the total and each cell is within 1 of its quota", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 5000 }), fc.array(fc.integer({ min: 1, max: 100 }), { minLength: 1, maxLength: 9 }), (total, ws) => {
        const m = apportion(
          total,
          ws.map((w, i) => [String(i), w] as const),
        );
        const sum = ws.reduce((a, b) => a + b, 0);
        expect([...m.values()].reduce((a, b) => a + b, 0)).toBe(total);
        ws.forEach((w, i) => expect(Math.abs((m.get(String(i)) ?? 0) - (total * w) / sum)).toBeLessThan(1));
      }),
    );
  });
});

describe("coverage", () => {
  const plan = buildSamplePlan({ residentPopulation: 336_000, locationShare: null }, S);
  const full = {
    total: 504,
    byGroup: { parent: 252, student: 42, teacher: 42, principal: 42, deputy: 42, cppcc: 42, public: 42 },
    byLocation: {},
    studentByGrade: { "3": 6, "4": 6, "5": 6, "6": 6, "7": 6, "8": 6, "9": 6 },
    parentByGrade: Object.fromEntries([1, 2, 3, 4, 5, 6, 7, 8, 9].map((g) => [String(g), 28])),
  };
  it("a full sample is sufficient", () => {
    expect(sampleCoverage(plan, full, S)).toMatchObject({ insufficient: false, shortCells: [] });
  });
  it("one parent short makes the county sample insufficient; a group within 10% does not", () => {
    const c = sampleCoverage(plan, { ...full, total: 503, byGroup: { ...full.byGroup, parent: 251 } }, S);
    expect(c.insufficient).toBe(true);
    expect(c.shortCells.map((x) => x.label)).toEqual(["样本总量", "家长"]);
    // 38 teachers of 42: 38 ≥ 42 × 0.9 = 37.8 → not short; 37 is.
    expect(sampleCoverage(plan, { ...full, total: 600, byGroup: { ...full.byGroup, teacher: 38 } }, S).shortCells).toEqual([]);
    const t = sampleCoverage(plan, { ...full, total: 600, byGroup: { ...full.byGroup, teacher: 37 } }, S);
    expect(t.shortCells.map((x) => [x.label, x.missing])).toEqual([["教师", 5]]);
    expect(t.insufficient).toBe(false);
    expect(sampleCoverage(plan, { ...full, total: 600, byGroup: { ...full.byGroup, teacher: 37 } }, { ...S, insufficientWhen: "any_cell" }).insufficient).toBe(
      true,
    );
  });
  it("names grade cells as the questionnaires do (五年级, not 5年级)", () => {
    const labels = sampleCoverage(plan, full, S).cells.map((c) => c.label);
    expect(labels).toContain("学生 五年级");
    expect(labels).toContain("家长（子女九年级）");
    expect(labels.some((l) => /\d年级/.test(l))).toBe(false);
  });
});
