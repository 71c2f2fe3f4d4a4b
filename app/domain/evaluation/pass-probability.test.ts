import { describe, expect, it } from "vitest";
import {
  additionalSatisfied,
  betaBinomialLogPmf,
  betaBinomialTail,
  betaCdf,
  betaQuantile,
  countyPassProbability,
  binomialTail,
  designEffect,
  logGamma,
  officialPassCount,
  officialPasses,
  passChance,
  passChanceOf,
  passLevel,
  probabilityWords,
  safeLine,
} from "./pass-probability";
import { DEFAULT_PASS_PROBABILITY_SETTINGS as S, DEFAULT_SAMPLE_PLAN_SETTINGS } from "./settings";
import { buildSamplePlan } from "../sample-plan";
import type { ItemRate, SatisfactionCell } from "../satisfaction";

const UNIFORM = { alpha: 1, beta: 1 };

describe("special functions", () => {
  it("log-gamma agrees with factorials and Γ(1/2) = √π", () => {
    let lnFact = 0;
    for (let n = 1; n <= 170; n += 1) {
      lnFact += Math.log(n);
      expect(logGamma(n + 1)).toBeCloseTo(lnFact, 9);
    }
    expect(logGamma(0.5)).toBeCloseTo(Math.log(Math.sqrt(Math.PI)), 12);
  });
  it("the Beta cdf matches closed forms: I_x(1, 1) = x, I_x(2, 3) by polynomial, symmetry", () => {
    for (const x of [0.1, 0.37, 0.5, 0.85, 0.99]) {
      expect(betaCdf(x, 1, 1)).toBeCloseTo(x, 12);
      // I_x(2, 3) = 6x² − 8x³ + 3x⁴
      expect(betaCdf(x, 2, 3)).toBeCloseTo(6 * x ** 2 - 8 * x ** 3 + 3 * x ** 4, 12);
      expect(betaCdf(x, 40, 7) + betaCdf(1 - x, 7, 40)).toBeCloseTo(1, 12);
    }
    expect(betaQuantile(0.5, 30, 30)).toBeCloseTo(0.5, 9);
    expect(betaQuantile(0.975, 1, 1)).toBeCloseTo(0.975, 9);
  });
  it("Beta-binomial with α = β = 1 is uniform on 0…n: P(K ≥ k) = (n − k + 1)/(n + 1)", () => {
    for (const [n, k] of [
      [10, 3],
      [500, 425],
      [504, 429],
      [1, 1],
    ] as const)
      expect(betaBinomialTail(n, k, 1, 1)).toBeCloseTo((n - k + 1) / (n + 1), 10);
  });
  it("the tail by term ratios equals the sum of the log-gamma pmf term by term", () => {
    for (const [n, kMin, a, b] of [
      [504, 429, 600.5, 95.2],
      [60, 51, 27.2, 6.4],
      [1000, 850, 1.5, 1.5],
      [20, 17, 1, 1],
    ] as const) {
      let direct = 0;
      for (let k = kMin; k <= n; k += 1) direct += Math.exp(betaBinomialLogPmf(n, k, a, b));
      expect(betaBinomialTail(n, kMin, a, b)).toBeCloseTo(direct, 10);
    }
  });
  it("Beta-binomial is symmetric for α = β: P(K ≥ n/2 + 1) = P(K ≤ n/2 − 1)", () => {
    const up = betaBinomialTail(100, 51, 7.5, 7.5);
    const down = 1 - betaBinomialTail(100, 50, 7.5, 7.5);
    expect(up).toBeCloseTo(down, 10);
  });
  it("Beta-binomial tends to the binomial as the posterior concentrates (α + β → ∞)", () => {
    const kMin = officialPassCount(500, 0.85);
    const binom = binomialTail(500, kMin, 0.86);
    expect(betaBinomialTail(500, kMin, 0.86 * 1e9, 0.14 * 1e9)).toBeCloseTo(binom, 6);
  });
  it("the binomial tail: n = 1, and a hand-computed case P(Bin(4, ½) ≥ 3) = 5/16", () => {
    expect(binomialTail(1, 1, 0.3)).toBeCloseTo(0.3, 14);
    expect(binomialTail(4, 3, 0.5)).toBeCloseTo(5 / 16, 14);
    expect(binomialTail(4, 0, 0.5)).toBe(1);
    expect(binomialTail(4, 5, 0.5)).toBe(0);
  });
});

describe("the official threshold on exact integers", () => {
  it("k* = ⌈0.85·n⌉: 100k* ≥ 85n and 100(k* − 1) < 85n for every n up to 2000", () => {
    for (let n = 1; n <= 2000; n += 1) {
      const k = officialPassCount(n, 0.85);
      expect(100 * k >= 85 * n).toBe(true);
      expect(100 * (k - 1) < 85 * n).toBe(true);
      expect(officialPasses(k, n, 0.85)).toBe(true);
      expect(officialPasses(k - 1, n, 0.85)).toBe(false);
    }
    expect(officialPassCount(20, 0.85)).toBe(17);
    expect(officialPassCount(504, 0.85)).toBe(429); // 428.4 → 429
  });
});

describe("design effect (Kish, ANOVA estimator of the ICC)", () => {
  it("schools all alike inside and wholly different from each other: ρ = 1, deff = m̄", () => {
    const d = designEffect([
      { satisfied: 10, valid: 10 },
      { satisfied: 0, valid: 10 },
    ]);
    expect(d.icc).toBe(1);
    expect(d.deff).toBe(10);
    expect(d.effectiveSampleSize).toBe(2);
  });
  it("identical schools (no between-school variance): ρ = 0, deff = 1, stated", () => {
    const d = designEffect([
      { satisfied: 5, valid: 10 },
      { satisfied: 5, valid: 10 },
      { satisfied: 5, valid: 10 },
    ]);
    expect(d.icc).toBe(0);
    expect(d.deff).toBe(1);
    expect(d.iccReason).toBe("negative_estimate");
  });
  it("degenerate cases: one school, only school-less questionnaires, no variation", () => {
    expect(designEffect([{ satisfied: 8, valid: 10 }]).iccReason).toBe("too_few_clusters");
    expect(designEffect([], { satisfied: 30, valid: 40 }).iccReason).toBe("singleton_clusters");
    expect(
      designEffect([
        { satisfied: 10, valid: 10 },
        { satisfied: 7, valid: 7 },
      ]).iccReason,
    ).toBe("no_variation");
    expect(designEffect([]).deff).toBe(1);
  });
  it("a hand-computed case: schools 9/10 and 5/10", () => {
    // S = 14, N = 20, k = 2; Σs²/m = 8.1 + 2.5 = 10.6; SSB = 10.6 − 9.8 = 0.8; SSW = 14 − 10.6 = 3.4
    // MSB = 0.8, MSW = 3.4/18, m₀ = (20 − 200/20)/1 = 10; ρ = (0.8 − 0.18889)/(0.8 + 9·0.18889) = 0.24335
    const d = designEffect([
      { satisfied: 9, valid: 10 },
      { satisfied: 5, valid: 10 },
    ]);
    const msw = 3.4 / 18;
    expect(d.icc).toBeCloseTo((0.8 - msw) / (0.8 + 9 * msw), 12);
    expect(d.meanClusterSize).toBe(10);
    expect(d.deff).toBeCloseTo(1 + 9 * d.icc, 12);
  });
  it("school-less questionnaires are clusters of one: they lower m̄", () => {
    const schools = [
      { satisfied: 9, valid: 10 },
      { satisfied: 5, valid: 10 },
    ];
    const d = designEffect(schools, { satisfied: 15, valid: 20 });
    expect(d.clusters).toBe(22);
    expect(d.meanClusterSize).toBeCloseTo((100 + 100 + 20) / 40, 12);
  });
});

describe("pass probability", () => {
  it("the issue's example: a true 86% passes an official draw of 500 about 3 times in 4; the safe line is about 87.4%", () => {
    const kMin = officialPassCount(500, 0.85);
    expect(binomialTail(500, kMin, 0.86)).toBeCloseTo(0.763, 3);
    expect(safeLine(500, 0.85, 0.95)).toBeCloseTo(0.8738, 3);
    expect(binomialTail(500, kMin, safeLine(500, 0.85, 0.95))).toBeCloseTo(0.95, 6);
  });
  it("with deff = 1 the posterior of 86% of 500 gives less than the known-share 76%: the self-assessment's own error counts", () => {
    const p = passChance(430, 500, 1, 500, 0.85, UNIFORM);
    expect(p).toBeGreaterThan(0.6);
    expect(p).toBeLessThan(binomialTail(500, officialPassCount(500, 0.85), 0.86));
  });
  it("clustering lowers the chance of a county above the line and raises it for one below", () => {
    expect(passChance(430, 500, 2.5, 500, 0.85, UNIFORM)).toBeLessThan(passChance(430, 500, 1, 500, 0.85, UNIFORM));
    expect(passChance(400, 500, 2.5, 500, 0.85, UNIFORM)).toBeGreaterThan(passChance(400, 500, 1, 500, 0.85, UNIFORM));
  });
  it("n → ∞ at a fixed share: the chance tends to the known-share binomial, and both tend to 1 above the line, 0 below", () => {
    const kMin = officialPassCount(500, 0.85);
    const p = passChance(860_000, 1_000_000, 1, 500, 0.85, UNIFORM);
    expect(p).toBeCloseTo(binomialTail(500, kMin, 0.86), 3);
    expect(passChance(9000, 10_000, 1, 20_000, 0.85, UNIFORM)).toBeGreaterThan(0.999);
    expect(passChance(8000, 10_000, 1, 20_000, 0.85, UNIFORM)).toBeLessThan(0.001);
  });
  it("a share exactly on the line with a huge sample and official draw: about one half", () => {
    expect(passChance(850_000, 1_000_000, 1, 100_000, 0.85, UNIFORM)).toBeCloseTo(0.5, 1);
  });
  it("additional satisfied questionnaires: the smallest count that reaches 95%", () => {
    const a = additionalSatisfied(430, 500, 1.5, 504, 0.85, UNIFORM, 0.95);
    expect(a).not.toBeNull();
    const n = a ?? 0;
    expect(passChance(430 + n, 500 + n, 1.5, 504, 0.85, UNIFORM)).toBeGreaterThanOrEqual(0.95);
    expect(passChance(430 + n - 1, 500 + n - 1, 1.5, 504, 0.85, UNIFORM)).toBeLessThan(0.95);
    expect(additionalSatisfied(4900, 5000, 1, 504, 0.85, UNIFORM, 0.95)).toBe(0);
  });
  it("passChanceOf puts it together: interval inside [0, 1] around the rate, level and label", () => {
    const de = designEffect([
      { satisfied: 90, valid: 100 },
      { satisfied: 80, valid: 100 },
      { satisfied: 86, valid: 100 },
    ]);
    const r = passChanceOf({ satisfied: 256, n: 300, designEffect: de, officialN: 504 }, 0.85, S);
    expect(r.credibleInterval.low).toBeLessThan(r.rate);
    expect(r.credibleInterval.high).toBeGreaterThan(r.rate);
    expect(r.officialPassCount).toBe(429);
    expect(r.level).toBe(passLevel(r.probability, S));
    expect(r.probability).toBeCloseTo(passChance(256, 300, de.deff, 504, 0.85, S.prior), 12);
  });
  it("levels: ≥ 95% green, 50–95% amber, below red", () => {
    expect(passLevel(0.95, S)).toBe("likely");
    expect(passLevel(0.9499, S)).toBe("uncertain");
    expect(passLevel(0.5, S)).toBe("uncertain");
    expect(passLevel(0.4999, S)).toBe("unlikely");
  });
  it("read aloud in steps of 5%, never 0% or 100%", () => {
    expect(probabilityWords(0.673, 0.05)).toBe("约 65%");
    expect(probabilityWords(0.676, 0.05)).toBe("约 70%");
    expect(probabilityWords(0.9999, 0.05)).toBe("95%以上");
    expect(probabilityWords(0.001, 0.05)).toBe("不足5%");
  });
});

describe("countyPassProbability", () => {
  const cell = (schoolId: string | null, group: SatisfactionCell["group"], valid: number, satisfied: number): SatisfactionCell => ({
    countyId: "c",
    schoolId,
    group,
    questionnaire: group === "student" ? "student" : group === "teacher" || group === "principal" ? "staff" : "social",
    location: null,
    grade: null,
    total: valid,
    invalid: 0,
    valid,
    satisfied,
  });
  const cells = [cell("a", "parent", 120, 110), cell("b", "parent", 100, 80), cell("a", "teacher", 30, 27), cell(null, "public", 40, 33)];
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

  it("uses the plan's n_official (⌈336 000 × 1.5‰⌉ = 504), the schools as clusters and the school-less link as singletons", () => {
    const r = countyPassProbability("c", cells, [], plan, 0.85, S);
    expect(r?.officialSampleSize).toBe(504);
    expect(r?.officialSampleSource).toBe("plan");
    expect(r?.n).toBe(290);
    expect(r?.designEffect.clusters).toBe(2 + 40);
    expect(r?.summary).toMatch(/^按目前的调查结果，国家抽样调查达到85%的把握(约为 \d+%|95%以上|不足5%)$/);
    expect(r?.details).toContain("不是保证");
  });
  it("per group: the planned official share of each group with questionnaires", () => {
    const r = countyPassProbability("c", cells, [], plan, 0.85, S);
    expect(r?.groups.map((g) => [g.group, g.officialSampleSize])).toEqual([
      ["parent", plan.byGroup.parent],
      ["teacher", plan.byGroup.teacher],
      ["public", plan.byGroup.public],
    ]);
  });
  it("per item, weakest first, the overall item left out", () => {
    const r = countyPassProbability("c", cells, [item("overall", 290, 250), item("B2", 290, 240), item("B1", 145, 140)], plan, 0.85, S);
    expect(r?.items.map((i) => i.itemId)).toEqual(["B2", "B1"]);
    expect(r?.items[1]?.officialSampleSize).toBe(252);
  });
  it("a county's own official sample size overrides the plan", () => {
    const r = countyPassProbability("c", cells, [], plan, 0.85, { ...S, officialSampleSizes: { c: 800, other: 5 } });
    expect(r?.officialSampleSize).toBe(800);
    expect(r?.officialSampleSource).toBe("setting");
    expect(r?.details).toContain("本次调查活动设定");
  });
  it("null without valid questionnaires or an official sample size", () => {
    expect(countyPassProbability("c", cells, [], null, 0.85, S)).toBeNull();
    expect(countyPassProbability("c", [], [], plan, 0.85, S)).toBeNull();
  });
});
