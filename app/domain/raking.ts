/**
 * Weighting the 社会认可度 self-assessment to the official sample design by raking (iterative
 * proportional fitting, IPF; issue 14 item 2, decision record 0025). The self-assessment's sample
 * is whoever answered; the official sample is designed (./sample-plan.ts). Raking gives every
 * valid questionnaire of a cell the same weight w so that the weighted sample has the design's
 * shares on each margin:
 *
 * - 调查对象 (all questionnaires): 家长 `parentMinShare` (50%), the other six groups the rest in
 *   proportion to `otherGroupWeights` (equal by default) — the plan's rule;
 * - 城区/镇区/乡村 within 家长, and within 学生, 教师 and 校长 together (with a known location): in
 *   proportion to the county's 常住人口 split, when the county has one — the plan's location cells
 *   are these two summed;
 * - 年级段 (grade bands, default 1–3/4–6/7–9) within 家长 and within 学生 (known grade inside the
 *   plan's grades): each band in proportion to the number of planned grades in it (the plan's
 *   grades are equal), so parents' three bands are a third each and students' (grades 3–9)
 *   1/7, 3/7, 3/7.
 *
 * A margin is a set of target shares over a domain of cells. One raking step for category k of a
 * margin with domain D multiplies the weights of k's cells by t_k · W_D ÷ W_k, where W_X = Σ w·n
 * over cells X (n = valid questionnaires); for 调查对象, W_D is the number of valid
 * questionnaires N, so the weights keep averaging 1. A sweep rakes every margin in turn, then
 * trims the weights to [trim.min, trim.max] × the mean weight; raking stops when every category's
 * weighted share is within `tolerance` of its target (converged) or after `maxIterations` sweeps
 * (not converged: reported, with the largest deviation). With one margin this is exactly
 * post-stratification, reached in one sweep.
 *
 * Empty cells: a category with a positive target and no valid questionnaire cannot be reached.
 * It is reported (`unreachable`) and the margin's other targets are rescaled to sum to 1 — never
 * a division by zero. A category with a target of 0 (a group weighted 0 by a province's settings)
 * gives its questionnaires weight 0: they are outside the design and are left out of the
 * estimate, the weights' range and n_eff.
 *
 * Figures: weighted satisfied share p_w = Σ w·s ÷ Σ w·n (s = satisfied); Kish's effective sample
 * size n_eff = (Σ w·n)² ÷ Σ w²·n; the weights' min and max relative to their mean (1).
 *
 * This is an estimate for the self-assessment, shown beside the official rule's unweighted rate:
 * the verdict stays with the exact unweighted count (decision record 0007). Pure; works on the
 * aggregated cells (./satisfaction.ts), never on per-response rows.
 */
import { RESPONDENT_GROUP_LABELS, RESPONDENT_GROUPS, LOCATION_LABELS, LOCATIONS, type Location, type RespondentGroup } from "./vocabulary";
import type { SamplePlanSettings, WeightingSettings } from "./evaluation/settings";
import type { SatisfactionCell } from "./satisfaction";
import { formatFixed } from "./evaluation/display";

export type RakingDimension = "group" | "location" | "parent_grade" | "student_grade";

export interface RakingCategory {
  key: string;
  /** Chinese name: "家长", "城区", "家长（子女1–3年级）". */
  label: string;
  /** The design's share within the margin's domain (0–1), rescaled over reachable categories. */
  targetShare: number;
  /** The share the design gives before rescaling (0–1). */
  designShare: number;
  /** Share of valid questionnaires in the domain (0–1), before weighting. */
  unweightedShare: number;
  /** Share of the weighted questionnaires in the domain after raking (0–1). */
  weightedShare: number;
  /** False when the category has a positive design share and no valid questionnaire. */
  reachable: boolean;
}

export interface RakingMargin {
  dimension: RakingDimension;
  /** "调查对象", "城区/镇区/乡村", "家长子女年级段", "学生年级段". */
  label: string;
  categories: RakingCategory[];
}

export interface RakingResult {
  /** Valid questionnaires (all of the county's). */
  n: number;
  satisfied: number;
  /** satisfied ÷ n, the official rule's unweighted 综合满意度 (0–1). */
  unweightedRate: number;
  /** Σ w·s ÷ Σ w·n over questionnaires inside the design (0–1); null when none is. */
  weightedRate: number | null;
  /** Smallest and largest weight of a questionnaire inside the design, relative to the mean weight 1. */
  weights: { min: number; max: number } | null;
  /** Kish: (Σ w·n)² ÷ Σ w²·n. */
  effectiveSampleSize: number;
  /** Questionnaires inside the design (weight > 0). */
  weightedN: number;
  /** Kish's design effect of weighting, weightedN ÷ n_eff = 1 + CV² of the weights. */
  designEffect: number;
  iterations: number;
  converged: boolean;
  /** Largest |weighted share − target share| over every reachable category after the last sweep. */
  maxDeviation: number;
  /** Questionnaires whose weight ended at a trimming bound. */
  trimmed: number;
  /** Margins applied (城区/镇区/乡村 for 家长 and for 学生、教师、校长, only with the county's split and located questionnaires). */
  margins: RakingMargin[];
  /** Categories the design wants and no questionnaire is in. */
  unreachable: Array<{ dimension: RakingDimension; key: string; label: string; designShare: number }>;
  /** Questionnaires given weight 0 because their group's design share is 0. */
  outsideDesign: number;
  /** Whether the 城区/镇区/乡村 margin was applied (the county has a split and located school-based questionnaires). */
  locationApplied: boolean;
}

/** The cells raking reads: one per (group, location, grade) — schools and questionnaires are summed. */
export type RakingCell = Pick<SatisfactionCell, "group" | "location" | "grade" | "valid" | "satisfied">;

export interface RakingInput {
  cells: readonly RakingCell[];
  /** 常住人口 shares of 城区/镇区/乡村 (0–1, summing to 1); null = no location margin. */
  locationShare: Record<Location, number> | null;
}

const OTHER_GROUPS = ["student", "teacher", "principal", "deputy", "cppcc", "public"] as const;

interface WorkCell {
  group: RespondentGroup;
  location: Location | null;
  grade: number | null;
  n: number;
  s: number;
  w: number;
  /** Fixed at 0: the group's design share is 0. */
  outside: boolean;
}

interface WorkCategory {
  key: string;
  label: string;
  designShare: number;
  targetShare: number;
  members: number[];
  reachable: boolean;
}

interface WorkMargin {
  dimension: RakingDimension;
  label: string;
  /** Cells of the domain; for 调查对象 every cell. */
  domain: number[];
  categories: WorkCategory[];
  /** 调查对象: targets are of N, so the total stays N; others keep their domain's weighted total. */
  absolute: boolean;
}

/** Design shares of 调查对象: 家长 parentMinShare, the others the rest by otherGroupWeights. */
export function groupDesignShares(plan: Pick<SamplePlanSettings, "parentMinShare" | "otherGroupWeights">): Record<RespondentGroup, number> {
  const sum = OTHER_GROUPS.reduce((a, g) => a + Math.max(0, plan.otherGroupWeights[g] ?? 0), 0);
  const rest = 1 - plan.parentMinShare;
  const out: Record<RespondentGroup, number> = { parent: plan.parentMinShare, student: 0, teacher: 0, principal: 0, deputy: 0, cppcc: 0, public: 0 };
  for (const g of OTHER_GROUPS) out[g] = sum > 0 ? (rest * Math.max(0, plan.otherGroupWeights[g] ?? 0)) / sum : 0;
  return out;
}

/** The band of `grade` among `bands`, or null. */
function bandOf(grade: number | null, bands: WeightingSettings["gradeBands"]): number | null {
  if (grade === null) return null;
  const i = bands.findIndex((b) => grade >= b.min && grade <= b.max);
  return i < 0 ? null : i;
}

function weighted(cells: readonly WorkCell[], idx: readonly number[]): number {
  let t = 0;
  for (const i of idx) {
    const c = cells[i];
    if (c) t += c.w * c.n;
  }
  return t;
}

function makeMargin(
  cells: readonly WorkCell[],
  dimension: RakingDimension,
  label: string,
  domain: number[],
  categories: Array<{ key: string; label: string; share: number; members: number[] }>,
  absolute: boolean,
): WorkMargin {
  const withN = categories.map((c) => ({ ...c, n: c.members.reduce((a, i) => a + (cells[i]?.n ?? 0), 0) }));
  const reachableSum = withN.filter((c) => c.n > 0 && c.share > 0).reduce((a, c) => a + c.share, 0);
  return {
    dimension,
    label,
    domain,
    absolute,
    categories: withN.map((c) => ({
      key: c.key,
      label: c.label,
      designShare: c.share,
      targetShare: c.n > 0 && reachableSum > 0 ? c.share / reachableSum : 0,
      members: c.members,
      reachable: !(c.share > 0 && c.n === 0),
    })),
  };
}

const gradeSpan = (a: number, b: number) => (a === b ? `${String(a)}年级` : `${String(a)}–${String(b)}年级`);

function gradeMargin(
  cells: readonly WorkCell[],
  group: "parent" | "student",
  planGrades: { min: number; max: number },
  bands: WeightingSettings["gradeBands"],
): WorkMargin | null {
  const inPlan = (g: number | null) => g !== null && g >= planGrades.min && g <= planGrades.max;
  const domain = cells.flatMap((c, i) => (c.group === group && !c.outside && c.n > 0 && inPlan(c.grade) && bandOf(c.grade, bands) !== null ? [i] : []));
  if (domain.length === 0) return null;
  const planned = (b: { min: number; max: number }) => Math.max(0, Math.min(b.max, planGrades.max) - Math.max(b.min, planGrades.min) + 1);
  const totalPlanned = bands.reduce((a, b) => a + planned(b), 0);
  if (totalPlanned === 0) return null;
  const who = RESPONDENT_GROUP_LABELS[group];
  const categories = bands
    .map((b, k) => ({ b, k }))
    .filter(({ b }) => planned(b) > 0)
    .map(({ b, k }) => ({
      key: `${String(b.min)}-${String(b.max)}`,
      label:
        group === "parent"
          ? `家长（子女${gradeSpan(Math.max(b.min, planGrades.min), Math.min(b.max, planGrades.max))}）`
          : `${who}（${gradeSpan(Math.max(b.min, planGrades.min), Math.min(b.max, planGrades.max))}）`,
      share: planned(b) / totalPlanned,
      members: domain.filter((i) => bandOf(cells[i]?.grade ?? null, bands) === k),
    }));
  return makeMargin(
    cells,
    group === "parent" ? "parent_grade" : "student_grade",
    group === "parent" ? "家长子女年级段" : "学生年级段",
    domain,
    categories,
    false,
  );
}

function deviation(cells: readonly WorkCell[], margins: readonly WorkMargin[]): number {
  let worst = 0;
  for (const m of margins) {
    const d = weighted(cells, m.domain);
    if (d <= 0) continue;
    for (const c of m.categories) {
      if (c.targetShare <= 0 && c.members.every((i) => (cells[i]?.n ?? 0) === 0)) continue;
      worst = Math.max(worst, Math.abs(weighted(cells, c.members) / d - c.targetShare));
    }
  }
  return worst;
}

/**
 * Rakes a county's cells to the design (see the module comment). Null when there is no valid
 * questionnaire. Settings: `plan` gives the design's group shares and planned grades;
 * `settings` the bands, tolerance, iteration cap and trimming bounds.
 */
export function rakeSatisfaction(input: RakingInput, plan: SamplePlanSettings, settings: WeightingSettings): RakingResult | null {
  // Aggregate to (group, location, grade): schools and questionnaires do not enter the design.
  const byKey = new Map<string, WorkCell>();
  const shares = groupDesignShares(plan);
  for (const c of input.cells) {
    if (c.valid <= 0) continue;
    const key = `${c.group}\u001f${String(c.location)}\u001f${String(c.grade)}`;
    const cell = byKey.get(key);
    if (cell) {
      cell.n += c.valid;
      cell.s += c.satisfied;
    } else byKey.set(key, { group: c.group, location: c.location, grade: c.grade, n: c.valid, s: c.satisfied, w: 1, outside: shares[c.group] <= 0 });
  }
  const cells = [...byKey.values()];
  const n = cells.reduce((a, c) => a + c.n, 0);
  const satisfied = cells.reduce((a, c) => a + c.s, 0);
  if (n === 0) return null;
  for (const c of cells) if (c.outside) c.w = 0;
  const inside = cells.flatMap((c, i) => (c.outside ? [] : [i]));
  const insideN = inside.reduce((a, i) => a + (cells[i]?.n ?? 0), 0);

  const margins: WorkMargin[] = [];
  margins.push(
    makeMargin(
      cells,
      "group",
      "调查对象",
      inside,
      RESPONDENT_GROUPS.map((g) => ({ key: g, label: RESPONDENT_GROUP_LABELS[g], share: shares[g], members: inside.filter((i) => cells[i]?.group === g) })),
      true,
    ),
  );
  // 城区/镇区/乡村 within 家长, and within 学生, 教师 and 校长 together: the official draw samples
  // schools by location and parents within them, so parents are in the population's proportion —
  // which is what bounds one school's pull on the county's figure. The other three groups are
  // pooled as the plan pools them: raked one by one, a handful of 乡村 principals or students of one
  // grade band would make the margins contradict each other.
  const locationShare = input.locationShare;
  let locationApplied = false;
  if (locationShare) {
    const domains: Array<{ key: string; label: string; groups: readonly RespondentGroup[] }> = [
      { key: "parent", label: "家长", groups: ["parent"] },
      { key: "staff_student", label: "学生、教师、校长", groups: ["student", "teacher", "principal"] },
    ];
    for (const d of domains) {
      const located = inside.filter((i) => {
        const c = cells[i];
        return c !== undefined && d.groups.includes(c.group) && c.location !== null;
      });
      if (located.length === 0) continue;
      locationApplied = true;
      margins.push(
        makeMargin(
          cells,
          "location",
          `${d.label}：城区/镇区/乡村`,
          located,
          LOCATIONS.map((l) => ({
            key: `${d.key}:${l}`,
            label: `${d.label}（${LOCATION_LABELS[l]}）`,
            share: locationShare[l],
            members: located.filter((i) => cells[i]?.location === l),
          })),
          false,
        ),
      );
    }
  }
  for (const [group, grades] of [
    ["parent", plan.parentGrades],
    ["student", plan.studentGrades],
  ] as const) {
    const m = gradeMargin(cells, group, grades, settings.gradeBands);
    if (m) margins.push(m);
  }

  let iterations = 0;
  let converged = false;
  let maxDeviation = Number.POSITIVE_INFINITY;
  let lo = 0;
  let hi = Number.POSITIVE_INFINITY;
  while (iterations < settings.maxIterations) {
    iterations += 1;
    // Bounds from the mean weight at the start of the sweep; a step never pushes a weight past
    // them (bounded raking), so a category that would need more stays short instead of pulling the
    // rest of its domain out of shape.
    const startMean = weighted(cells, inside) / insideN;
    const stepLo = settings.trim.min * startMean;
    const stepHi = settings.trim.max * startMean;
    for (const m of margins) {
      const domainTotal = m.absolute ? insideN : weighted(cells, m.domain);
      if (domainTotal <= 0) continue;
      for (const cat of m.categories) {
        const current = weighted(cells, cat.members);
        if (current <= 0) continue; // unreachable: reported, never divided by
        const f = (cat.targetShare * domainTotal) / current;
        for (const i of cat.members) {
          const c = cells[i];
          if (c && c.w > 0) c.w = Math.min(stepHi, Math.max(stepLo, c.w * f));
        }
      }
    }
    // Trim to [min, max] × the mean weight of the questionnaires inside the design.
    const mean = weighted(cells, inside) / insideN;
    lo = settings.trim.min * mean;
    hi = settings.trim.max * mean;
    for (const i of inside) {
      const c = cells[i];
      if (c && c.w > 0) c.w = Math.min(hi, Math.max(lo, c.w));
    }
    maxDeviation = deviation(cells, margins);
    if (maxDeviation <= settings.tolerance) {
      converged = true;
      break;
    }
  }
  // Scale to a mean weight of 1 (shares, rate and n_eff do not change).
  const total = weighted(cells, inside);
  const scale = total > 0 ? insideN / total : 0;
  for (const c of cells) c.w *= scale;
  lo *= scale;
  hi *= scale;

  let sw = 0;
  let sw2 = 0;
  let sws = 0;
  let wMin = Number.POSITIVE_INFINITY;
  let wMax = 0;
  let trimmed = 0;
  let weightedN = 0;
  for (const c of cells) {
    if (c.w <= 0) continue;
    weightedN += c.n;
    sw += c.w * c.n;
    sw2 += c.w * c.w * c.n;
    sws += c.w * c.s;
    wMin = Math.min(wMin, c.w);
    wMax = Math.max(wMax, c.w);
    if (Math.abs(c.w - lo) <= 1e-9 * hi || Math.abs(c.w - hi) <= 1e-9 * hi) trimmed += c.n;
  }
  const nEff = sw2 > 0 ? (sw * sw) / sw2 : 0;
  const outMargins: RakingMargin[] = margins.map((m) => {
    const dw = weighted(cells, m.domain);
    const dn = m.domain.reduce((a, i) => a + (cells[i]?.n ?? 0), 0);
    return {
      dimension: m.dimension,
      label: m.label,
      categories: m.categories.map((c) => ({
        key: c.key,
        label: c.label,
        designShare: c.designShare,
        targetShare: c.targetShare,
        unweightedShare: dn > 0 ? c.members.reduce((a, i) => a + (cells[i]?.n ?? 0), 0) / dn : 0,
        weightedShare: dw > 0 ? weighted(cells, c.members) / dw : 0,
        reachable: c.reachable,
      })),
    };
  });
  return {
    n,
    satisfied,
    unweightedRate: satisfied / n,
    weightedRate: sw > 0 ? sws / sw : null,
    weights: sw > 0 ? { min: wMin, max: wMax } : null,
    effectiveSampleSize: nEff,
    weightedN,
    designEffect: nEff > 0 ? weightedN / nEff : 0,
    iterations,
    converged,
    maxDeviation: Number.isFinite(maxDeviation) ? maxDeviation : 0,
    trimmed,
    margins: outMargins,
    unreachable: outMargins.flatMap((m) =>
      m.categories.filter((c) => !c.reachable).map((c) => ({ dimension: m.dimension, key: c.key, label: c.label, designShare: c.designShare })),
    ),
    outsideDesign: n - weightedN,
    locationApplied,
  };
}

/** What a page and `npm run evaluate` say about the weighted rate (the same sentences). */
export interface WeightingTexts {
  /** "按国家抽样设计加权后的满意度为 86.12%（加权仅用于自评参考，达标判定仍按问卷原始统计）". */
  summary: string;
  /** Weighted beside unweighted, with the difference in points. */
  comparison: string;
  /** Weights' range and n_eff. */
  weightsText: string;
  /** Why one school pushing its parents cannot move the county's figure. */
  schoolNote: string;
  /** Categories the design wants that nobody answered in; null when none. */
  unreachableText: string | null;
  /** Said when raking stopped at maxIterations without reaching the tolerance; null otherwise. */
  convergenceText: string | null;
}

export const WEIGHTING_CAVEAT = "加权仅用于自评参考，达标判定仍按问卷原始统计";

export const WEIGHTING_SCHOOL_NOTE =
  "某一所学校动员全部家长集中填答，不能靠人数左右全县的加权满意度：加权后家长只占设计规定的份额（不少于50%），且在城区/镇区/乡村、年级段之间按常住人口和计划比例分配，一所学校的家长问卷合计不会超过其所在城乡类别家长应占的份额，人数再多也只是降低每份问卷的权数";

const pctText = (rate: number, decimals: number) => `${formatFixed(rate * 100, decimals)}%`;

/** The sentences of a raking result, percentages with `percentDecimals` places. */
export function weightingTexts(r: RakingResult, percentDecimals: number): WeightingTexts {
  const w = r.weightedRate;
  const summary =
    w === null
      ? `无法按国家抽样设计加权（没有设计内的有效问卷）（${WEIGHTING_CAVEAT}）`
      : `按国家抽样设计加权后的满意度为 ${pctText(w, percentDecimals)}（${WEIGHTING_CAVEAT}）`;
  const diff = w === null ? null : (w - r.unweightedRate) * 100;
  const comparison =
    w === null || diff === null
      ? `未加权（按问卷原始统计，即达标判定所用）${pctText(r.unweightedRate, percentDecimals)}`
      : `未加权（按问卷原始统计，即达标判定所用）${pctText(r.unweightedRate, percentDecimals)}，加权 ${pctText(w, percentDecimals)}，相差 ${diff >= 0 ? "+" : "−"}${formatFixed(Math.abs(diff), 2)} 个百分点`;
  const weightsText = r.weights
    ? `权数范围 ${formatFixed(r.weights.min, 2)}–${formatFixed(r.weights.max, 2)}（平均为 1），有效样本量约 ${String(Math.round(r.effectiveSampleSize))} 份（Kish，有效问卷 ${String(r.weightedN)} 份，加权设计效应 ${formatFixed(r.designEffect, 2)}）${r.trimmed > 0 ? `；${String(r.trimmed)} 份问卷的权数按上下限截断` : ""}`
    : "没有可加权的问卷";
  const unreachableText =
    r.unreachable.length === 0
      ? null
      : `以下类别没有有效问卷，加权无法达到设计比例，其余类别按比例放大：${r.unreachable.map((u) => `${u.label}（设计占 ${pctText(u.designShare, 1)}）`).join("、")}`;
  const convergenceText = r.converged
    ? null
    : `加权迭代 ${String(r.iterations)} 次未完全收敛（最大偏差 ${formatFixed(r.maxDeviation * 100, 2)} 个百分点，多因权数截断），加权结果仅供参考`;
  return { summary, comparison, weightsText, schoolNote: WEIGHTING_SCHOOL_NOTE, unreachableText, convergenceText };
}
