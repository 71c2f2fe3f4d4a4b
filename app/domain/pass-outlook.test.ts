import { describe, expect, it } from "vitest";
import { countyPassProbability, PASS_LEVEL_LABELS, passLevel, probabilityWords, type PassProbabilityResult } from "./evaluation/pass-probability";
import { DEFAULT_PASS_PROBABILITY_SETTINGS as S, DEFAULT_SAMPLE_PLAN_SETTINGS, PASS_AMBER_AT, PASS_GREEN_AT } from "./evaluation/settings";
import {
  OUTLOOK_ITEMS_SHOWN,
  passBadge,
  passOutlookView,
  satisfactionTone,
  STRUCTURE_CELLS_NAMED,
  STRUCTURE_SHORT_LABEL,
  structureBanner,
} from "./pass-outlook";
import { buildSamplePlan, sampleCoverage, type CoverageCell, type SamplePlan } from "./sample-plan";
import type { ItemRate, SatisfactionCell } from "./satisfaction";

/** The largest double below x: "one below" a cut-off, as close as a probability can be. */
function justBelow(x: number): number {
  const b = new Float64Array([x]);
  const i = new BigInt64Array(b.buffer);
  i[0] = (i[0] ?? 0n) - 1n;
  return b[0] ?? x;
}

const cell = (schoolId: string | null, valid: number, satisfied: number): SatisfactionCell => ({
  countyId: "c",
  schoolId,
  group: "parent",
  questionnaire: "social",
  location: null,
  grade: null,
  total: valid,
  invalid: 0,
  valid,
  satisfied,
});
const item = (itemId: string, answered: number, sat: number): ItemRate => ({
  itemId,
  answered,
  unknown: 0,
  satisfiedAnswers: sat,
  estimate: { n: answered, satisfied: sat, rate: sat / answered, marginOfError: null, wilson: null },
  meanScore: null,
  meanPercent: null,
  byScore: {},
});
const plan = buildSamplePlan({ residentPopulation: 336_000, locationShare: null }, DEFAULT_SAMPLE_PLAN_SETTINGS);

function engineResult(): PassProbabilityResult {
  const r = countyPassProbability(
    "c",
    [cell("a", 250, 217), cell("b", 250, 214)],
    [item("B1", 500, 400), item("B2", 4, 1), item("B3", 500, 450), item("B4", 500, 480), item("B5", 500, 490)],
    plan,
    0.85,
    S,
  );
  if (!r) throw new Error("no result");
  return r;
}

/** The engine's result with its probability (and so its level and label) replaced. */
function at(probability: number): PassProbabilityResult {
  const level = passLevel(probability, S);
  return { ...engineResult(), probability, level, levelLabel: PASS_LEVEL_LABELS[level] };
}

describe("the cut-offs", () => {
  it("are the settings' defaults: green from 95%, amber from 50%", () => {
    expect(PASS_GREEN_AT).toBe(0.95);
    expect(PASS_AMBER_AT).toBe(0.5);
    expect(S.greenAt).toBe(PASS_GREEN_AT);
    expect(S.amberAt).toBe(PASS_AMBER_AT);
    // Green is where the safe line and the questionnaires to add aim: on the safe line is green.
    expect(S.target).toBe(PASS_GREEN_AT);
  });
  it("exactly on the green cut-off is green, one below is amber 接近85%，把握不足", () => {
    expect(passOutlookView(at(PASS_GREEN_AT), String)).toMatchObject({ level: "likely", tone: "pass", headline: "达到85%，把握较大" });
    for (const p of [justBelow(PASS_GREEN_AT), 0.9499])
      expect(passOutlookView(at(p), String)).toMatchObject({ level: "uncertain", tone: "warn", headline: "接近85%，把握不足" });
  });
  it("exactly on the amber cut-off is amber (a coin toss is never green), one below is red", () => {
    expect(passOutlookView(at(PASS_AMBER_AT), String)).toMatchObject({ level: "uncertain", tone: "warn", headline: "接近85%，把握不足" });
    for (const p of [justBelow(PASS_AMBER_AT), 0.4999])
      expect(passOutlookView(at(p), String)).toMatchObject({ level: "unlikely", tone: "fail", headline: "达到85%的把握较小" });
  });
  it("words read aloud never reach the green cut-off below it", () => {
    expect(probabilityWords(PASS_GREEN_AT, 0.05, PASS_GREEN_AT)).toBe("约 95%");
    expect(probabilityWords(justBelow(PASS_GREEN_AT), 0.05, PASS_GREEN_AT)).toBe("接近但不足95%");
    expect(probabilityWords(0.925, 0.05, PASS_GREEN_AT)).toBe("接近但不足95%");
    expect(probabilityWords(0.92, 0.05, PASS_GREEN_AT)).toBe("约 90%");
    expect(probabilityWords(0.9749, 0.05, PASS_GREEN_AT)).toBe("约 95%");
    expect(probabilityWords(0.975, 0.05, PASS_GREEN_AT)).toBe("95%以上");
    expect(probabilityWords(PASS_AMBER_AT, 0.05, PASS_GREEN_AT)).toBe("约 50%");
    // Without the cut-off, the engine's plain rounding (the tests of pass-probability.ts).
    expect(probabilityWords(0.94, 0.05)).toBe("约 95%");
  });
  it("中宁县 of the demo: 86.23% self-assessed is amber, not a green 达到85%", () => {
    // 504 official questionnaires (336 000 × 1.5‰); about 86% of 1 000 valid in 20 schools.
    const cells = Array.from({ length: 20 }, (_, i) => cell(`s${String(i)}`, 50, i < 5 ? 44 : 43));
    const r = countyPassProbability("c", cells, [], plan, 0.85, S);
    const v = passOutlookView(r, String);
    expect(v?.tone).toBe("warn");
    expect(v?.summary).toMatch(/^按目前的调查结果，国家抽样调查达到85%的把握约为 \d+%$/);
    expect(passBadge("pass", v, { tone: "ok" })).toEqual({ label: "接近85%，把握不足", tone: "warn" });
  });
});

describe("passOutlookView", () => {
  it("shows the engine's figures unchanged, and the weakest items of at least 5 answers", () => {
    const r = engineResult();
    const v = passOutlookView(r, (id) => `题${id}`);
    expect(v).toMatchObject({
      probability: r.probability,
      interval: r.credibleInterval,
      safeLine: r.safeLine,
      additionalSatisfied: r.additionalSatisfied,
      summary: r.summary,
      safeLineText: r.safeLineText,
      advice: r.advice,
      officialSampleSize: 504,
      officialPassCount: 429,
      deff: r.designEffect.deff,
    });
    // B2 (4 answers) is a small cell: not shown, though it is the weakest.
    expect(v?.weakestItems.map((i) => i.itemId)).toEqual(["B1", "B3", "B4"]);
    expect(v?.weakestItems).toHaveLength(OUTLOOK_ITEMS_SHOWN);
    expect(v?.weakestItems[0]?.label).toBe("题B1");
    expect(v?.weakestItems[0]?.words).toBe(probabilityWords(v?.weakestItems[0]?.probability ?? -1, S.displayStep, S.greenAt));
    expect(v?.weakestItems[0]?.words).toBe("不足5%"); // 80% satisfied of 500 cannot reach 85%
  });
  it("null when the engine has no probability", () => {
    expect(passOutlookView(null, String)).toBeNull();
  });
});

describe("structureBanner", () => {
  const zhongning: SamplePlan = buildSamplePlan(
    { residentPopulation: 336_000, locationShare: { urban: 0.45, town: 0.27, rural: 0.28 } },
    DEFAULT_SAMPLE_PLAN_SETTINGS,
  );
  const grades = (byGrade: Record<string, number>) => Object.fromEntries(Object.entries(byGrade));
  const collected = (over: { principal?: number; rural?: number; total?: number; parent?: number }) => ({
    total: over.total ?? 1600,
    byGroup: { parent: over.parent ?? 800, student: 200, teacher: 150, principal: over.principal ?? 42, deputy: 60, cppcc: 60, public: 60 },
    byLocation: { urban: 700, town: 400, rural: over.rural ?? 106 },
    studentByGrade: grades(zhongning.studentByGrade),
    parentByGrade: grades(zhongning.parentByGrade),
  });
  const coverageOf = (over: Parameters<typeof collected>[0]) => sampleCoverage(zhongning, collected(over), DEFAULT_SAMPLE_PLAN_SETTINGS);

  it("green only when the totals and every planned cell are reached", () => {
    expect(structureBanner(coverageOf({}))).toMatchObject({ tone: "ok", shortCells: [] });
  });
  it("中宁县: totals reached, 乡村 17/106 and 校长 17/42 short → amber, naming them", () => {
    const b = structureBanner(coverageOf({ principal: 17, rural: 17 }));
    expect(b.tone).toBe("warn");
    expect(b.shortCells).toEqual(["校长 17/42", "乡村 17/106"]);
    expect(b.text).toBe("样本总量和家长份数已达到计划，但样本结构未达到计划：校长 17/42，乡村 17/106。");
  });
  it("a cell exactly on its tolerance (90% of 42 = 37.8 → 38) is reached, one below is short", () => {
    expect(structureBanner(coverageOf({ principal: 38 })).tone).toBe("ok");
    expect(structureBanner(coverageOf({ principal: 37 }))).toMatchObject({ tone: "warn", shortCells: ["校长 37/42"] });
  });
  it("short totals are 样本不足, with the structure named too", () => {
    const b = structureBanner(coverageOf({ total: 500, principal: 17 }));
    expect(b.tone).toBe("warn");
    expect(b.text).toBe("样本不足，满意度暂不能判定达标与否。样本结构未达到计划：校长 17/42。");
  });
  it("names at most STRUCTURE_CELLS_NAMED cells, then how many there are", () => {
    const cells: CoverageCell[] = Array.from({ length: STRUCTURE_CELLS_NAMED + 2 }, (_, i) => ({
      dimension: "parent_grade",
      key: String(i),
      label: `家长（子女${String(i + 1)}年级）`,
      required: 28,
      collected: 1,
      missing: 27,
      short: true,
    }));
    const b = structureBanner({ shortCells: cells, insufficient: false });
    expect(b.text).toContain(`等共 ${String(STRUCTURE_CELLS_NAMED + 2)} 个单元`);
    expect(b.text).not.toContain(`子女${String(STRUCTURE_CELLS_NAMED + 1)}年级`);
  });
  it("no plan (no 常住人口): says so, in no colour", () => {
    expect(structureBanner(null)).toMatchObject({ tone: "none", text: "未填写常住人口，无法制定样本计划。" });
  });
});

describe("the colour and words of a 社会认可度", () => {
  const green = { tone: "pass" as const, level: "likely" as const, headline: "达到85%，把握较大" };
  const amber = { tone: "warn" as const, level: "uncertain" as const, headline: "接近85%，把握不足" };
  const red = { tone: "fail" as const, level: "unlikely" as const, headline: "达到85%的把握较小" };
  it("a pass is green only with a green probability and the structure reached", () => {
    expect(satisfactionTone("pass", green, { tone: "ok" })).toBe("pass");
    expect(passBadge("pass", green, { tone: "ok" })).toEqual({ label: "达到85%，把握较大", tone: "pass" });
    expect(passBadge("pass", green, { tone: "warn" })).toEqual({ label: STRUCTURE_SHORT_LABEL, tone: "warn" });
    expect(passBadge("pass", amber, { tone: "ok" })).toEqual({ label: "接近85%，把握不足", tone: "warn" });
    expect(passBadge("pass", red, { tone: "ok" })).toEqual({ label: "达到85%的把握较小", tone: "fail" });
    expect(passBadge("pass", null, { tone: "warn" })).toEqual({ label: STRUCTURE_SHORT_LABEL, tone: "warn" });
  });
  it("other statuses keep their own badge; fail is red, 样本不足 amber", () => {
    expect(passBadge("fail", green, { tone: "ok" })).toBeNull();
    expect(satisfactionTone("fail", green, { tone: "ok" })).toBe("fail");
    expect(satisfactionTone("sample_insufficient", green, { tone: "warn" })).toBe("warn");
    expect(satisfactionTone("not_evaluated", null, { tone: "none" })).toBeNull();
  });
});
