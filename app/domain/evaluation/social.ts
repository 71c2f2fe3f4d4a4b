/**
 * 社会认可度 of one county (spec §4): 综合满意度 of valid questionnaires against 85%, for all and for
 * parents (申报表 表Ⅵ), the breakdowns (group, questionnaire, location, grade, school), per-item
 * rates, the sample plan's coverage, and the county status:
 *
 * - `not_evaluated`: no valid questionnaire (or no satisfaction data at all);
 * - `sample_insufficient`: the sample is short of the plan (see SamplePlanSettings
 *   .insufficientWhen) — neither pass nor fail, whatever the rate;
 * - `pass` / `fail`: 综合满意度 ≥ 85% or not, decided exactly (satisfied·20 ≥ 17·valid for 85%).
 *
 * Without 常住人口 the plan cannot be built and the sample cannot be checked: the part is
 * `not_evaluated` (never `pass` on whatever questionnaires happen to be in), `sampleChecked` is
 * false and the reasons say so, with the rate for reference.
 */
import {
  breakdown,
  breakdownLabels,
  itemRates,
  rateEstimate,
  sumCounts,
  table6Row,
  type BreakdownRow,
  type ItemRate,
  type ItemScoreCount,
  type RateEstimate,
  type SatisfactionCell,
  type Table6Row,
} from "../satisfaction";
import { rakeSatisfaction, weightingTexts, type RakingResult, type WeightingTexts } from "../raking";
import { buildSamplePlan, sampleCoverage, type SampleCoverage, type SamplePlan } from "../sample-plan";
import { gradeLabel } from "../grade-label";
import type { BorderlineFlag } from "./display";
import { countToReachRate, percentDeciding, ratioOf, rateBorderline, rateOk, thresholdPercent, type Shortfall } from "./items";
import { dec, plainExact } from "./exact";
import type { CountyInput } from "./input";
import { countyPassProbability, type PassProbabilityResult } from "./pass-probability";
import type { SatisfactionRule } from "../satisfaction-rule";
import type { DisplaySettings, SamplePlanSettings, SatisfactionSettings } from "./settings";

function plainPerMille(perMille: number): string {
  return plainExact(dec(perMille));
}

export const SELF_ASSESSMENT_NOTICE = "本平台社会认可度为县级自评/模拟测评结果，不是国家督导评估的官方结果";

/** A raking result with the sentences the page and the CLI print. */
export type SatisfactionWeighting = RakingResult & WeightingTexts;

export interface SatisfactionResult {
  status: "pass" | "fail" | "sample_insufficient" | "not_evaluated";
  notice: string;
  /** The rule that decided which questionnaires are satisfied. */
  rule: SatisfactionRule | null;
  threshold: number;
  /** All groups: n = valid questionnaires, rate = 综合满意度 (0–1). */
  overall: RateEstimate;
  /** 申报表 表Ⅵ: 全体 and 家长. */
  table6: { all: Table6Row; parents: Table6Row };
  byGroup: BreakdownRow[];
  byQuestionnaire: BreakdownRow[];
  byLocation: BreakdownRow[];
  /** Students' grade (key "student:5") and parents' children's grade ("parent:5"). */
  byGrade: BreakdownRow[];
  bySchool: BreakdownRow[];
  items: ItemRate[];
  plan: SamplePlan | null;
  coverage: SampleCoverage | null;
  sampleChecked: boolean;
  /**
   * 国家抽样的把握 (./pass-probability.ts): the chance an official draw of n_official reaches the
   * threshold, its credible interval, safe line and what to add; per group and item. Null without
   * valid questionnaires or an official sample size (no 常住人口 and no campaign setting).
   */
  passProbability: PassProbabilityResult | null;
  /**
   * The satisfied share weighted to the official design by raking (../raking.ts, decision record
   * 0025), beside the unweighted rate the verdict uses; county-level figures only. Null without
   * valid questionnaires.
   */
  weighting: SatisfactionWeighting | null;
  reasons: string[];
  shortfalls: Shortfall[];
  borderline: BorderlineFlag[];
}

export interface SatisfactionData {
  cells: SatisfactionCell[];
  items: ItemScoreCount[];
  rule: SatisfactionRule;
}

/**
 * Evaluates one county's 社会认可度 from count rows (already restricted to the county or not:
 * rows of other counties are ignored). `data` null → not evaluated.
 */
export function evaluateSatisfaction(
  county: CountyInput,
  data: SatisfactionData | null,
  settings: SatisfactionSettings,
  planSettings: SamplePlanSettings,
  display: DisplaySettings,
  schoolNames: ReadonlyMap<string, string>,
): SatisfactionResult {
  const cells = (data?.cells ?? []).filter((c) => c.countyId === county.id);
  const items = (data?.items ?? []).filter((c) => c.countyId === county.id);
  const z = settings.z;
  const all = sumCounts(cells);
  const parents = sumCounts(cells.filter((c) => c.group === "parent"));
  const overall = rateEstimate(all.satisfied, all.valid, z);
  const plan =
    county.residentPopulation !== null
      ? buildSamplePlan({ residentPopulation: county.residentPopulation, locationShare: county.locationShare ?? null }, planSettings)
      : null;
  const collected = {
    total: all.valid,
    byGroup: Object.fromEntries(breakdown(cells, (c) => c.group, String, z).map((r) => [r.key, r.counts.valid])),
    byLocation: Object.fromEntries(breakdown(cells, (c) => c.location, String, z).map((r) => [r.key, r.counts.valid])),
    studentByGrade: Object.fromEntries(
      breakdown(cells, (c) => (c.group === "student" && c.grade !== null ? String(c.grade) : null), String, z).map((r) => [r.key, r.counts.valid]),
    ),
    parentByGrade: Object.fromEntries(
      breakdown(cells, (c) => (c.group === "parent" && c.grade !== null ? String(c.grade) : null), String, z).map((r) => [r.key, r.counts.valid]),
    ),
  };
  const coverage = plan ? sampleCoverage(plan, collected, planSettings) : null;
  const reasons: string[] = [];
  const shortfalls: Shortfall[] = [];
  const borderline: BorderlineFlag[] = [];
  let status: SatisfactionResult["status"];
  if (data === null || all.valid === 0) {
    status = "not_evaluated";
    reasons.push(data === null ? "无社会认可度问卷数据" : "无有效问卷");
    if (!plan) reasons.push(`未填报常住人口，无法按 ${plainPerMille(planSettings.perMille)}‰ 制定样本计划`);
  } else {
    const exactRate = ratioOf(all.satisfied, all.valid);
    const passes = rateOk(exactRate, ">=", settings.threshold);
    const rateText = percentDeciding(exactRate, display.percentDecimals, ">=", settings.threshold);
    const flag = rateBorderline(`${county.name} 综合满意度`, "SAT", exactRate, settings.threshold, display.percentDecimals);
    if (flag) borderline.push(flag);
    if (!passes) {
      reasons.push(`综合满意度 ${rateText}（有效问卷 ${String(all.valid)} 份），低于 ${thresholdPercent(settings.threshold)}`);
      const k = countToReachRate(all.satisfied, all.valid, settings.threshold);
      shortfalls.push({
        code: "SAT",
        subject: county.name,
        schoolId: null,
        unitId: null,
        quantity: k,
        unit: "questionnaire",
        text: `按现有 ${String(all.valid)} 份有效问卷，还需 ${String(k)} 份评价为满意才达到 ${thresholdPercent(settings.threshold)}`,
      });
    }
    if (!coverage) {
      status = "not_evaluated";
      reasons.unshift(
        `未填报常住人口，无法按 ${plainPerMille(planSettings.perMille)}‰ 制定样本计划、核对样本量，社会认可度不予判定（现有有效问卷 ${String(all.valid)} 份，综合满意度 ${rateText}，仅供参考）`,
      );
    } else if (coverage.insufficient) {
      status = "sample_insufficient";
      reasons.unshift(`样本不足：${coverage.reasons.join("；")}`);
    } else status = passes ? "pass" : "fail";
  }
  if (coverage) {
    for (const c of coverage.shortCells) {
      shortfalls.push({
        code: "SAMPLE",
        subject: county.name,
        schoolId: null,
        unitId: null,
        quantity: c.missing,
        unit: "questionnaire",
        text: `还需收集 ${String(c.missing)} 份${c.dimension === "total" ? "" : `${c.label}`}有效问卷（计划 ${String(c.required)} 份，已收 ${String(c.collected)} 份）`,
      });
    }
  }
  const byGrade = [
    ...breakdown(
      cells,
      (c) => (c.group === "student" && c.grade !== null ? `student:${String(c.grade)}` : null),
      (k) => `学生 ${gradeLabel(k.slice(8))}`,
      z,
    ),
    ...breakdown(
      cells,
      (c) => (c.group === "parent" && c.grade !== null ? `parent:${String(c.grade)}` : null),
      (k) => `家长（子女${gradeLabel(k.slice(7))}）`,
      z,
    ),
  ];
  const rates = itemRates(items, settings.itemSatisfiedScores, z);
  const raked = rakeSatisfaction({ cells, locationShare: county.locationShare ?? null }, planSettings, settings.weighting);
  return {
    status,
    notice: SELF_ASSESSMENT_NOTICE,
    rule: data?.rule ?? null,
    threshold: settings.threshold,
    overall,
    table6: { all: table6Row(all), parents: table6Row(parents) },
    byGroup: breakdown(cells, (c) => c.group, breakdownLabels.group, z),
    byQuestionnaire: breakdown(cells, (c) => c.questionnaire, breakdownLabels.questionnaire, z),
    byLocation: breakdown(cells, (c) => c.location, breakdownLabels.location, z),
    byGrade,
    bySchool: breakdown(
      cells,
      (c) => c.schoolId,
      (k) => schoolNames.get(k) ?? k,
      z,
    ),
    items: rates,
    plan,
    coverage,
    sampleChecked: coverage !== null,
    passProbability: countyPassProbability(county.id, cells, rates, plan, settings.threshold, settings.passProbability),
    weighting: raked ? { ...raked, ...weightingTexts(raked, display.percentDecimals) } : null,
    reasons,
    shortfalls,
    borderline,
  };
}
