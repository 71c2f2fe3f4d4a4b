import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { groupDesignShares, rakeSatisfaction, weightingTexts, WEIGHTING_CAVEAT, type RakingCell } from "./raking";
import { DEFAULT_SAMPLE_PLAN_SETTINGS as PLAN, DEFAULT_WEIGHTING_SETTINGS as W, type WeightingSettings } from "./evaluation/settings";
import { LOCATIONS, RESPONDENT_GROUPS, type Location, type RespondentGroup } from "./vocabulary";

const cell = (group: RespondentGroup, location: Location | null, grade: number | null, valid: number, satisfied: number): RakingCell => ({
  group,
  location,
  grade,
  valid,
  satisfied,
});
const must = <T>(v: T | null | undefined): T => {
  if (v === null || v === undefined) throw new Error("expected a value");
  return v;
};

describe("design shares", () => {
  it("家长 50%, the other six groups 1/12 each; weights change the split", () => {
    const s = groupDesignShares(PLAN);
    expect(s.parent).toBe(0.5);
    for (const g of RESPONDENT_GROUPS.filter((x) => x !== "parent")) expect(s[g]).toBeCloseTo(1 / 12, 15);
    const t = groupDesignShares({ parentMinShare: 0.6, otherGroupWeights: { student: 2, teacher: 1, principal: 1 } });
    expect(t.student).toBeCloseTo(0.2, 15);
    expect(t.teacher).toBeCloseTo(0.1, 15);
    expect(t.deputy).toBe(0);
  });
});

describe("raking against closed forms", () => {
  it("one margin is post-stratification exactly, in one sweep; an empty group is reported and the others rescaled", () => {
    // County-level groups and parents without location or grade: only the 调查对象 margin applies.
    const cells = [cell("parent", null, null, 60, 30), cell("deputy", null, null, 10, 9), cell("cppcc", null, null, 5, 5), cell("public", null, null, 25, 20)];
    const r = must(rakeSatisfaction({ cells, locationShare: null }, PLAN, W));
    // Reachable design shares 1/2, 1/12 × 3 = 3/4 → targets 2/3, 1/9, 1/9, 1/9.
    const expected = (2 / 3) * 0.5 + (1 / 9) * (0.9 + 1 + 0.8);
    expect(r.weightedRate).toBeCloseTo(expected, 12);
    expect(r.unweightedRate).toBe(64 / 100);
    expect(r.iterations).toBe(1);
    expect(r.converged).toBe(true);
    expect(r.margins.map((m) => m.dimension)).toEqual(["group"]);
    expect(r.locationApplied).toBe(false);
    // Weights: target × N ÷ n — parents 10/9, deputies 10/9, committee members 20/9, the public 4/9.
    expect(must(r.weights).min).toBeCloseTo(4 / 9, 12);
    expect(must(r.weights).max).toBeCloseTo(20 / 9, 12);
    const sumW2 = 60 * (10 / 9) ** 2 + 10 * (10 / 9) ** 2 + 5 * (20 / 9) ** 2 + 25 * (4 / 9) ** 2;
    expect(r.effectiveSampleSize).toBeCloseTo(100 ** 2 / sumW2, 9);
    expect(r.designEffect).toBeCloseTo(sumW2 / 100, 9);
    expect(r.unreachable.map((u) => u.key)).toEqual(["student", "teacher", "principal"]);
    expect(r.unreachable[0]?.designShare).toBeCloseTo(1 / 12, 15);
    const t = weightingTexts(r, 2);
    expect(t.summary).toBe(`按国家抽样设计加权后的满意度为 ${(expected * 100).toFixed(2)}%（${WEIGHTING_CAVEAT}）`);
    expect(t.unreachableText).toBe(
      "以下类别没有有效问卷，加权无法达到设计比例，其余类别按比例放大：学生（设计占 8.3%）、教师（设计占 8.3%）、校长（设计占 8.3%）",
    );
    expect(t.comparison).toContain("未加权（按问卷原始统计，即达标判定所用）64.00%");
  });

  it("two margins on a 2×2 table (调查对象 × location within each group): the fitted table is the product of the margins", () => {
    // 家长/教师 × 城区/乡村 (no grades): targets 家长 6/7, 教师 1/7 of N = 100; 城区 70%, 乡村 30% within each group.
    const n = { pu: 40, pr: 30, tu: 20, tr: 10 };
    const s = { pu: 36, pr: 21, tu: 18, tr: 6 };
    const cells = [
      cell("parent", "urban", null, n.pu, s.pu),
      cell("parent", "rural", null, n.pr, s.pr),
      cell("teacher", "urban", null, n.tu, s.tu),
      cell("teacher", "rural", null, n.tr, s.tr),
    ];
    const share = { urban: 0.7, town: 0, rural: 0.3 };
    const r = must(rakeSatisfaction({ cells, locationShare: share }, PLAN, { ...W, tolerance: 1e-12, maxIterations: 1000 }));
    expect(r.converged).toBe(true);
    // Location within each group makes the fitted table the product of the margins: m = N·t_g·t_l.
    const N = 100;
    const m = { pu: N * (6 / 7) * 0.7, pr: N * (6 / 7) * 0.3, tu: N * (1 / 7) * 0.7, tr: N * (1 / 7) * 0.3 };
    const rate = (m.pu * (s.pu / n.pu) + m.pr * (s.pr / n.pr) + m.tu * (s.tu / n.tu) + m.tr * (s.tr / n.tr)) / N;
    expect(r.weightedRate).toBeCloseTo(rate, 10);
    const sumW2 = m.pu ** 2 / n.pu + m.pr ** 2 / n.pr + m.tu ** 2 / n.tu + m.tr ** 2 / n.tr;
    expect(r.effectiveSampleSize).toBeCloseTo(N ** 2 / sumW2, 8);
  });

  it("调查对象 × 家长年级段: parents 50%, their bands in proportion to the planned grades (3 of 9, 6 of 9)", () => {
    // Cells: 家长 grade 2 / grade 8 and 学生 grade 8 only → the 家长 band margin is over parents only,
    // so the crossing is 调查对象 × (家长年级段): solved in closed form below for a 2-band design.
    const bands: WeightingSettings["gradeBands"] = [
      { min: 1, max: 3 },
      { min: 4, max: 9 },
    ];
    const cells = [cell("parent", null, 2, 30, 27), cell("parent", null, 8, 10, 7), cell("student", null, 8, 60, 48)];
    const plan = { ...PLAN, otherGroupWeights: { student: 1 }, studentGrades: { min: 7, max: 9 } };
    const r = must(rakeSatisfaction({ cells, locationShare: null }, plan, { ...W, gradeBands: bands, tolerance: 1e-12, maxIterations: 1000 }));
    expect(r.converged).toBe(true);
    // 家长 50 of N = 100, bands in proportion to planned grades: 3/9 and 6/9 of parents; 学生 50 (one band).
    const parents = 50;
    expect(r.weightedRate).toBeCloseTo(((parents / 3) * 0.9 + ((2 * parents) / 3) * 0.7 + 50 * 0.8) / 100, 10);
    const bandsMargin = must(r.margins.find((x) => x.dimension === "parent_grade"));
    expect(bandsMargin.categories.map((c) => c.weightedShare)).toEqual([expect.closeTo(1 / 3, 10), expect.closeTo(2 / 3, 10)]);
  });

  it("a genuine two-way IPF (家长 × 城区/乡村 × two bands) matches the closed-form solution: the margins with the sample’s odds ratio kept", () => {
    // 家长 only, crossed 城区/乡村 × two bands: the fitted table keeps the sample's odds ratio θ.
    const bands: WeightingSettings["gradeBands"] = [
      { min: 1, max: 3 },
      { min: 4, max: 6 },
    ];
    const n = [
      [40, 20],
      [10, 30],
    ]; // rows 城区, 乡村; columns band 1, band 2
    const sat = [
      [36, 14],
      [6, 27],
    ];
    const cells = [
      cell("parent", "urban", 2, 40, 36),
      cell("parent", "urban", 5, 20, 14),
      cell("parent", "rural", 2, 10, 6),
      cell("parent", "rural", 5, 30, 27),
    ];
    const plan = { ...PLAN, parentMinShare: 1, otherGroupWeights: {}, parentGrades: { min: 1, max: 6 } };
    const r = must(
      rakeSatisfaction({ cells, locationShare: { urban: 0.6, town: 0, rural: 0.4 } }, plan, { ...W, gradeBands: bands, tolerance: 1e-13, maxIterations: 5000 }),
    );
    expect(r.converged).toBe(true);
    const N = 100;
    const R1 = 0.6 * N;
    const R2 = 0.4 * N;
    const C1 = 0.5 * N;
    const theta = (40 * 30) / (20 * 10);
    // x(R2 − C1 + x) = θ(R1 − x)(C1 − x) → (1 − θ)x² + (R2 − C1 + θ(R1 + C1))x − θR1C1 = 0.
    const a = 1 - theta;
    const b = R2 - C1 + theta * (R1 + C1);
    const c = -theta * R1 * C1;
    const roots = [(-b + Math.sqrt(b * b - 4 * a * c)) / (2 * a), (-b - Math.sqrt(b * b - 4 * a * c)) / (2 * a)];
    const x = must(roots.find((v) => v > 0 && v < Math.min(R1, C1) && v > C1 - R2));
    const m = [
      [x, R1 - x],
      [C1 - x, R2 - C1 + x],
    ];
    let expected = 0;
    for (const i of [0, 1]) for (const j of [0, 1]) expected += (must(m[i]?.[j]) * must(sat[i]?.[j])) / must(n[i]?.[j]);
    expect(r.weightedRate).toBeCloseTo(expected / N, 9);
    expect((must(m[0]?.[0]) * must(m[1]?.[1])) / (must(m[0]?.[1]) * must(m[1]?.[0]))).toBeCloseTo(theta, 9);
  });

  it("no valid questionnaire → null; a group the settings weigh 0 is outside the design (weight 0), never a division by zero", () => {
    expect(rakeSatisfaction({ cells: [cell("parent", "urban", 3, 0, 0)], locationShare: null }, PLAN, W)).toBeNull();
    const plan = { ...PLAN, otherGroupWeights: { student: 1, teacher: 1, principal: 1, deputy: 1, cppcc: 1, public: 0 } };
    const r = must(
      rakeSatisfaction(
        { cells: [cell("parent", null, null, 10, 9), cell("public", null, null, 90, 0), cell("deputy", null, null, 10, 10)], locationShare: null },
        plan,
        W,
      ),
    );
    expect(r.outsideDesign).toBe(90);
    expect(r.weightedN).toBe(20);
    expect(r.weightedRate).toBeCloseTo((0.5 * 0.9 + 0.1 * 1) / 0.6, 12);
    expect(Number.isFinite(r.effectiveSampleSize)).toBe(true);
  });

  it("trimming bounds the weights; when it binds the margins are not reached and the result says so", () => {
    // 1 parent and 99 deputies: the parent would need weight 50; trimmed to 5× the mean.
    const cells = [cell("parent", null, null, 1, 1), cell("deputy", null, null, 99, 50)];
    const plan = { ...PLAN, otherGroupWeights: { deputy: 1 } };
    const r = must(rakeSatisfaction({ cells, locationShare: null }, plan, W));
    expect(r.converged).toBe(false);
    expect(r.iterations).toBe(W.maxIterations);
    expect(must(r.weights).max / must(r.weights).min).toBeLessThanOrEqual(W.trim.max / W.trim.min + 1e-9);
    expect(r.trimmed).toBeGreaterThan(0);
    expect(weightingTexts(r, 2).convergenceText).toMatch(/^加权迭代 100 次未完全收敛/);
  });
});

/** A county with every planned category answered: counts 10–40 per cell (460–1 840 in all), rates anything. */
const countyArb = fc
  .record({
    parents: fc.array(fc.tuple(fc.integer({ min: 10, max: 40 }), fc.double({ min: 0, max: 1, noNaN: true })), { minLength: 27, maxLength: 27 }),
    others: fc.array(fc.tuple(fc.integer({ min: 10, max: 40 }), fc.double({ min: 0, max: 1, noNaN: true })), { minLength: 24, maxLength: 24 }),
    split: fc.tuple(fc.integer({ min: 1, max: 8 }), fc.integer({ min: 1, max: 8 }), fc.integer({ min: 1, max: 8 })),
  })
  .map(({ parents, others, split }) => {
    const cells: RakingCell[] = [];
    let k = 0;
    for (const l of LOCATIONS)
      for (let g = 1; g <= 9; g += 1) {
        const [v, p] = must(parents[k++]);
        cells.push(cell("parent", l, g, v, Math.round(v * p)));
      }
    k = 0;
    for (const l of LOCATIONS)
      for (const g of [3, 5, 8] as const) {
        const [v, p] = must(others[k++]);
        cells.push(cell("student", l, g, v, Math.round(v * p)));
      }
    for (const grp of ["teacher", "principal"] as const)
      for (const l of LOCATIONS) {
        const [v, p] = must(others[k++]);
        cells.push(cell(grp, l, null, v, Math.round(v * p)));
      }
    for (const grp of ["deputy", "cppcc", "public"] as const) {
      const [v, p] = must(others[k++]);
      cells.push(cell(grp, null, null, v, Math.round(v * p)));
    }
    const t = split[0] + split[1] + split[2];
    return { cells, share: { urban: split[0] / t, town: split[1] / t, rural: split[2] / t } };
  });

const WIDE: WeightingSettings = { ...W, trim: { min: 0.001, max: 1000 }, maxIterations: 2000 };

describe("one school pushing its parents (a fixed county)", () => {
  it("600 questionnaires at 80%; one 城区 school adds satisfied parents of grades 1–6: the weighted rate stops at the design's bound, the unweighted keeps climbing", () => {
    const share = { urban: 0.5, town: 0.25, rural: 0.25 };
    const cells: RakingCell[] = [];
    for (const l of LOCATIONS) for (let g = 1; g <= 9; g += 1) cells.push(cell("parent", l, g, Math.round(36 * share[l]), Math.round(36 * share[l] * 0.8)));
    for (const grp of ["student", "teacher", "principal"] as const)
      for (const l of LOCATIONS) cells.push(cell(grp, l, grp === "student" ? 5 : null, Math.round(32 * share[l]), Math.round(32 * share[l] * 0.8)));
    for (const grp of ["deputy", "cppcc", "public"] as const) cells.push(cell(grp, null, null, 44, 35));
    const base = must(rakeSatisfaction({ cells, locationShare: share }, PLAN, W));
    expect(base.n).toBe(552);
    // The pushed cells can carry at most 家长 50% × 城区 50% of the weight (grade bands are pooled
    // over locations, so they may take all of it), and every other cell is at 78–80%: the weighted
    // rate can gain at most that share × (100% − the lowest cell rate).
    const lowest = Math.min(...cells.map((c) => c.satisfied / c.valid));
    const bound = 0.5 * 0.5 * (1 - lowest);
    const lines: string[] = [];
    let previousUnweighted = base.unweightedRate;
    for (const per of [50, 100, 500]) {
      const pushed = must(
        rakeSatisfaction({ cells: [...cells, ...[1, 2, 3, 4, 5, 6].map((g) => cell("parent", "urban", g, per, per))], locationShare: share }, PLAN, W),
      );
      expect(pushed.converged).toBe(true);
      const weightedMove = must(pushed.weightedRate) - must(base.weightedRate);
      expect(weightedMove).toBeLessThanOrEqual(bound + 1e-3);
      expect(pushed.unweightedRate).toBeGreaterThan(previousUnweighted);
      previousUnweighted = pushed.unweightedRate;
      // The weights say what happened: the pushed cells' weights fell, n_eff fell below n.
      expect(pushed.effectiveSampleSize).toBeLessThan(pushed.n * 0.8);
      lines.push(
        `+${String(6 * per)} parents: unweighted ${(pushed.unweightedRate * 100).toFixed(2)}%, weighted ${(must(pushed.weightedRate) * 100).toFixed(2)}%, n_eff ${pushed.effectiveSampleSize.toFixed(0)} of ${String(pushed.n)}, weights ${must(pushed.weights).min.toFixed(3)}–${must(pushed.weights).max.toFixed(2)}`,
      );
    }
    // 3 000 pushed parents: unweighted about +17 points, weighted within the bound of about +5.6.
    expect(previousUnweighted - base.unweightedRate).toBeGreaterThan(0.15);
    console.info(
      `fixed county: base unweighted ${(base.unweightedRate * 100).toFixed(2)}%, weighted ${(must(base.weightedRate) * 100).toFixed(2)}%; ${lines.join("; ")}`,
    );
  });
});

describe("raking: properties", () => {
  it("every margin is reached within the tolerance, the weights average 1, the rate lies among the cells' rates", () => {
    fc.assert(
      fc.property(countyArb, ({ cells, share }) => {
        const r = must(rakeSatisfaction({ cells, locationShare: share }, PLAN, WIDE));
        expect(r.converged).toBe(true);
        expect(r.unreachable).toEqual([]);
        for (const m of r.margins) for (const c of m.categories) expect(Math.abs(c.weightedShare - c.targetShare)).toBeLessThanOrEqual(WIDE.tolerance * 1.0001);
        const rates = cells.filter((c) => c.valid > 0).map((c) => c.satisfied / c.valid);
        expect(must(r.weightedRate)).toBeGreaterThanOrEqual(Math.min(...rates) - 1e-12);
        expect(must(r.weightedRate)).toBeLessThanOrEqual(Math.max(...rates) + 1e-12);
        expect(r.effectiveSampleSize).toBeLessThanOrEqual(r.n + 1e-9);
        expect(must(r.weights).min).toBeLessThanOrEqual(1 + 1e-12);
        expect(must(r.weights).max).toBeGreaterThanOrEqual(1 - 1e-12);
      }),
      { numRuns: 60, seed: 14 },
    );
  });

  it("scaling every count by k changes neither the weights nor the rate", () => {
    fc.assert(
      fc.property(countyArb, fc.integer({ min: 2, max: 5 }), ({ cells, share }, k) => {
        const a = must(rakeSatisfaction({ cells, locationShare: share }, PLAN, WIDE));
        const b = must(
          rakeSatisfaction({ cells: cells.map((c) => ({ ...c, valid: c.valid * k, satisfied: c.satisfied * k })), locationShare: share }, PLAN, WIDE),
        );
        expect(must(b.weightedRate)).toBeCloseTo(must(a.weightedRate), 9);
        expect(must(b.weights).max).toBeCloseTo(must(a.weights).max, 6);
        expect(b.effectiveSampleSize / a.effectiveSampleSize).toBeCloseTo(k, 6);
      }),
      { numRuns: 30, seed: 7 },
    );
  });

  it("a school that pushes its parents: the weighted rate moves far less than the unweighted on the whole, and never past the design's cap", () => {
    let converged = 0;
    let sumWeighted = 0;
    let sumUnweighted = 0;
    fc.assert(
      fc.property(countyArb, fc.constantFrom(...LOCATIONS), fc.integer({ min: 60, max: 300 }), ({ cells, share }, where, extra) => {
        const base = must(rakeSatisfaction({ cells, locationShare: share }, PLAN, W));
        // One school's parents of grades 1–6 at `where`, every one satisfied.
        const push = (per: number) => [...cells, ...[1, 2, 3, 4, 5, 6].map((g) => cell("parent", where, g, per, per))];
        const once = must(rakeSatisfaction({ cells: push(Math.ceil(extra / 6)), locationShare: share }, PLAN, W));
        const twice = must(rakeSatisfaction({ cells: push(Math.ceil((2 * extra) / 6)), locationShare: share }, PLAN, W));
        const unweightedMove = once.unweightedRate - base.unweightedRate;
        const weightedMove = must(once.weightedRate) - must(base.weightedRate);
        // Not case by case: where the school's cells were under-represented, raking rightly gives its
        // parents more weight than their count. On the whole, and past the cap, never.
        if (once.converged) {
          sumWeighted += weightedMove;
          sumUnweighted += unweightedMove;
        }
        // Twice as many parents: the weighted rate stays under the design's cap for those cells.
        if (twice.converged) expect(must(twice.weightedRate) - must(base.weightedRate)).toBeLessThanOrEqual(0.5 * share[where] + 1e-6);
        converged += once.converged && twice.converged ? 1 : 0;
      }),
      { numRuns: 40, seed: 3 },
    );
    // The bound is not vacuous: most generated counties reach the design.
    expect(converged).toBeGreaterThan(15);
    // Over the generated counties (random location splits up to 8:1:1, random rates, pushes of 60–300
    // against 460–1 840) the weighted rate moves about half as much (0.49 measured with this seed, all 40 reaching the design);
    // the gap widens with the push, since the weighted move is capped and the unweighted is not.
    expect(sumWeighted / sumUnweighted).toBeLessThan(0.6);
    console.info(`push: weighted/unweighted move ${(sumWeighted / sumUnweighted).toFixed(3)} over ${String(converged)} counties reaching the design`);
  });
});
