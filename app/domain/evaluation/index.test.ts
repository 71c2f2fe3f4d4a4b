import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { tallyRecords, type QuestionnaireRecord } from "../satisfaction";
import { evaluateCounties } from ".";
import { EvaluationInputSchema, type CountyItems, type EvaluationInput } from "./input";
import { COUNTY, inputOf, primarySchool } from "./test-helpers";

const allGood: CountyItems = {
  countyId: "C1",
  guarantee: {
    G1: { met: true },
    G2: { buildingStandardUnified: true, staffingStandardUnified: true, fundingBaselineUnified: true, equipmentStandardUnified: true },
    G7: { specialSchools: [] },
    G8: { teacherAverageSalaryYuan: 100, civilServantAverageSalaryYuan: 100, performancePayFullyApproved: true },
    G9: { teachersRequired: 10, teachersCompleted: 10 },
    G10: { met: true },
    G11: { eligibleTeachers: 100, rotatedTeachers: 10, rotatedKeyTeachers: 2 },
    G12: { fullTimeTeachers: 10, certifiedTeachers: 10 },
    G13: { primaryEntrants: 10, primaryByCatchment: 10, juniorEntrants: 20, juniorByCatchment: 19 },
    G14: { totalPlaces: 10, quotaPlaces: 5, tiltedToRural: true },
    G15: { leftBehindCareSystem: true, eligibleMigrantChildren: 20, inPublicOrPurchasedPlaces: 17 },
  },
  quality: {
    Q1: { cohortEntrants: 100, currentGrade9: 95 },
    Q2: { disabledChildren: 20, enrolled: 19 },
    Q3: { charterAllSchools: true, managementDigitised: true },
    Q5: { rating: "good" },
    Q6: { rating: "good" },
    Q7: { rating: "adequate" },
    Q8: { rating: "adequate" },
    Q9: { subjects: [{ subject: "数学", level: 3, differenceRate: 0.149 }] },
  },
  veto: Object.fromEntries(["V1", "V2", "V3", "V4", "V5", "V6", "V7"].map((v) => [v, { occurred: false }])),
};

/** A school passing every per-school rule: 1 000 students in 24 classes of 41–42, 2 + 2 rooms. */
const school = primarySchool("a", 1000, {
  classes: Array.from({ length: 24 }, (_, i) => ({ grade: (i % 6) + 1, students: i < 16 ? 42 : 41 })),
  specialRooms: [
    { kind: "music", areaM2: 96 },
    { kind: "music", areaM2: 100 },
    { kind: "art", areaM2: 90 },
    { kind: "art", areaM2: 95 },
  ],
  publicFunds: { fundedStudents: 1000, annualBudgetWanYuan: 100, teacherTrainingWanYuan: 5 },
});

/** n parent questionnaires with `satisfied` of them 满意 — all 1 to 9 grades equally. */
function parents(n: number, satisfied: number): QuestionnaireRecord[] {
  return Array.from({ length: n }, (_, i) => ({
    questionnaire: "social",
    countyId: "C1",
    schoolId: "a",
    group: "parent",
    grade: (i % 9) + 1,
    location: "urban",
    overallScore: i < satisfied ? 5 : 3,
    itemScores: {},
    valid: true,
  }));
}

function withSatisfaction(records: QuestionnaireRecord[], population: number | null): EvaluationInput {
  return inputOf([school], {
    counties: [{ ...COUNTY, residentPopulation: population, locationShare: null }],
    countyItems: [allGood],
    satisfaction: { source: "records", records },
  });
}

describe("the county verdict", () => {
  it("passes when all four parts pass and no veto item occurred", () => {
    // Population 6 000 → 1.5‰ = 9 questionnaires, 5 parents (⌈4.5⌉) and 4 others; with 9 parents
    // and no others the total and parents suffice (other groups are reported but do not decide).
    const r = evaluateCounties(withSatisfaction(parents(9, 8), 6000)).counties[0];
    expect(r?.parts.resource.status).toBe("pass");
    expect(r?.parts.guarantee.status).toBe("pass");
    expect(r?.parts.quality.status).toBe("pass");
    expect(r?.parts.satisfaction.status).toBe("pass"); // 8 / 9 = 88.9%
    expect(r?.verdict).toBe("pass");
    expect(r?.verdictLabel).toBe("达标（社会认可度为自评结果）");
  });
  it("fails on a veto item whatever the figures", () => {
    const input = withSatisfaction(parents(9, 8), 6000);
    const items = { ...allGood, veto: { ...allGood.veto, V6: { occurred: true, note: "学籍数据造假" } } };
    const r = evaluateCounties({ ...input, countyItems: [items] }).counties[0];
    expect(r?.verdict).toBe("fail");
    expect(r?.reasons).toContain("一票否决：V6 弄虚作假（学籍数据造假）");
  });
  it("is sample insufficient, not pass or fail, when the sample is short of the plan", () => {
    // Population 400 000 → 600 required; 9 collected.
    const r = evaluateCounties(withSatisfaction(parents(9, 2), 400_000)).counties[0];
    expect(r?.parts.satisfaction.status).toBe("sample_insufficient");
    expect(r?.verdict).toBe("sample_insufficient");
  });
  it("is not evaluated when a part has no data, and fail beats not evaluated", () => {
    const none = evaluateCounties(inputOf([school])).counties[0];
    expect(none?.verdict).toBe("not_evaluated");
    expect(none?.parts.guarantee.status).toBe("incomplete"); // G3–G6 from the school, the rest missing
    expect(none?.parts.veto.status).toBe("not_evaluated");
    const failing = evaluateCounties(inputOf([primarySchool("b", 2500)])).counties[0];
    expect(failing?.parts.guarantee.status).toBe("fail"); // G4: 2 500 > 2 000
    expect(failing?.verdict).toBe("fail");
  });
  it("a file with only one county's schools leaves the other counties not evaluated", () => {
    const input = inputOf([school], { counties: [COUNTY, { id: "C2", name: "另一县", residentPopulation: null }] });
    expect(evaluateCounties(input).counties.map((c) => c.verdict)).toEqual(["not_evaluated", "not_evaluated"]);
  });
});

describe("satisfaction with 不了解 answers and invalid questionnaires", () => {
  it("counts questionnaires: invalid excluded, 不了解 overall valid but not satisfied", () => {
    // 10 records: 7 satisfied (5 or 4), 1 overall 不了解, 1 基本满意, 1 invalid 满意.
    // total 10, invalid 1, valid 9, satisfied 7 → 77.78% < 85%; without 常住人口 the sample
    // cannot be checked, so the part is not evaluated (the rate is reported for reference).
    const base = parents(10, 0);
    const records = base.map((r, i): QuestionnaireRecord => ({
      ...r,
      overallScore: i < 4 ? 5 : i < 7 ? 4 : i === 7 ? null : i === 8 ? 3 : 5,
      valid: i !== 9,
      itemScores: { burden: i % 2 === 0 ? null : 4 },
    }));
    const s = evaluateCounties(withSatisfaction(records, null)).counties[0]?.parts.satisfaction;
    expect(s?.table6.all).toEqual({ total: 10, valid: 9, satisfied: 7, ratePercent: (100 * 7) / 9 });
    expect(s?.table6.parents).toEqual(s?.table6.all);
    expect(s?.status).toBe("not_evaluated");
    expect(s?.sampleChecked).toBe(false);
    expect(s?.reasons[0]).toBe("未填报常住人口，无法按 1.5‰ 制定样本计划、核对样本量，社会认可度不予判定（现有有效问卷 9 份，综合满意度 77.78%，仅供参考）");
    // 7 + k ≥ 0.85 × 9 = 7.65 ⇒ k = 1 more satisfied questionnaire.
    expect(s?.shortfalls[0]).toMatchObject({ code: "SAT", quantity: 1 });
    // Item "burden": valid records 0–8, odd ones answered 4 (4 answers), even ones 不了解 (5).
    expect(s?.items.find((i) => i.itemId === "burden")).toMatchObject({ answered: 4, unknown: 5, satisfiedAnswers: 4 });
  });
  it("gives the same result from pre-aggregated counts (the --campaign path) as from records", () => {
    const records = parents(40, 35);
    const fromRecords = evaluateCounties(withSatisfaction(records, 20_000));
    const { cells, items } = tallyRecords(records, { kind: "overall_in", options: ["满意", "比较满意"] });
    const countsInput: EvaluationInput = {
      ...withSatisfaction([], 20_000),
      satisfaction: { source: "counts", rule: { kind: "overall_in", options: ["满意", "比较满意"] }, cells, items },
    };
    expect(EvaluationInputSchema.safeParse(countsInput).success).toBe(true);
    const fromCounts = evaluateCounties(countsInput);
    expect(fromCounts.counties[0]?.parts.satisfaction).toEqual(fromRecords.counties[0]?.parts.satisfaction);
  });
  it("a campaign rule is a setting: mean score ≥ 4 instead of the overall item", () => {
    const records = parents(9, 0).map((r) => ({ ...r, itemScores: { a: 4, b: 5, c: null } }));
    const strict = evaluateCounties(withSatisfaction(records, 6000)).counties[0]?.parts.satisfaction;
    const byMean = evaluateCounties(withSatisfaction(records, 6000), {
      satisfaction: { rule: { kind: "mean_at_least", minMeanScore: 4, includeOverall: false } },
    }).counties[0]?.parts.satisfaction;
    expect(strict?.overall.rate).toBe(0);
    expect(byMean?.overall.rate).toBe(1);
  });
});

describe("the 中卫市 demo example", () => {
  const text = readFileSync(fileURLToPath(new URL("../../../docs/zhongwei-demo-example.json", import.meta.url)), "utf8");
  const result = evaluateCounties(EvaluationInputSchema.parse(JSON.parse(text)));
  const county = (name: string) => result.counties.find((c) => c.countyName === name);
  it("中宁县 is close: two resource shortfalls at one school and one oversized class", () => {
    const zn = county("中宁县");
    expect(zn?.verdict).toBe("fail");
    expect(zn?.parts.satisfaction.status).toBe("pass");
    expect(zn?.parts.quality.status).toBe("pass");
    expect(zn?.shortfalls.summary).toEqual([
      "资源配置 L2：小学共差 1 名县级以上骨干教师",
      "资源配置 L7：全县共需增加 1 间网络多媒体教室（1 所学校）",
      "G5 中宁县第一小学（演示）：1 个班超过 45 人（共超出 2 人）",
    ]);
  });
  it("海原县 fails several indicators and one 差异系数, and its sample is short", () => {
    const hy = county("海原县");
    expect(hy?.verdict).toBe("fail");
    expect(hy?.parts.resource.units.filter((u) => u.status === "fail").length).toBeGreaterThanOrEqual(3);
    const failingCvs = (["primary", "junior"] as const).flatMap((l) =>
      Object.values(hy?.parts.resource.levels[l].cvs ?? {}).filter((c) => c.withinLimit === false),
    );
    expect(failingCvs.map((c) => [c.level, c.code])).toEqual([["primary", "L5"]]);
    expect(hy?.shortfalls.resource.cvFixes[0]?.raiseWeakest.at(-1)?.passesAfter).toBe(true);
    expect(hy?.parts.satisfaction.status).toBe("sample_insufficient");
  });
  it("沙坡头区 fails on school size alone", () => {
    const spt = county("沙坡头区");
    expect(spt?.reasons).toEqual(["【政府保障程度：未达标】", "G4 沙坡头区第一小学（演示） 义务教育阶段在校生 2150 人，超过 2000 人"]);
    expect(spt?.parts.resource.excluded.map((e) => e.schoolId)).toEqual(["spt09"]); // 教学点 36 < 50
  });
});
