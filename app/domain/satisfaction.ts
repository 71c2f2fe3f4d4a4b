/**
 * 社会认可度 (spec §4) in two layers, so the same rules serve a file of questionnaires and a
 * database of a million responses:
 *
 * 1. Per questionnaire: `classifyQuestionnaire` says whether it is valid (a reviewer's flag) and,
 *    under the campaign's rule, satisfied. `overallScoresSatisfying` gives the overall scores a
 *    rule accepts, for a SQL `CASE` or a per-row flag computed at insert.
 * 2. From counts: every rate is computed from `SatisfactionCell` rows (total, invalid, valid,
 *    satisfied at the finest grain: county × school × group × questionnaire × location × grade)
 *    and `ItemScoreCount` rows (valid questionnaires' answers per item and score), which a SQL
 *    `GROUP BY` produces directly. `tallyRecords` builds the same rows from records (CLI, tests).
 *
 * Unit of counting: the questionnaire. 综合满意度 = satisfied valid ÷ valid (× 100 for %).
 * Per-item rates exclude 不了解. Each rate comes with its sample size n (valid questionnaires or
 * answered items) and a 95% margin of error. The figure is a self-assessment (自评/模拟测评),
 * never the official result.
 */
import { SCALE_SCORES, SCALE_MAX } from "./survey-scale";
import { gradeLabel } from "./grade-label";
import { LOCATION_LABELS, QUESTIONNAIRE_LABELS, RESPONDENT_GROUP_LABELS, type Location, type QuestionnaireId, type RespondentGroup } from "./vocabulary";
import type { SatisfactionRule } from "./satisfaction-rule";
import { compareExact, dec, type Rational } from "./evaluation/exact";

/** One questionnaire as the evaluation needs it (scores 1–5, `null` = 不了解 or unanswered). */
export interface QuestionnaireRecord {
  questionnaire: QuestionnaireId;
  countyId: string;
  schoolId: string | null;
  group: RespondentGroup;
  grade: number | null;
  location: Location | null;
  overallScore: number | null;
  itemScores: Record<string, number | null>;
  valid: boolean;
}

/** Counts of one cell: total = invalid + valid; satisfied ≤ valid. */
export interface SatisfactionCounts {
  total: number;
  invalid: number;
  valid: number;
  satisfied: number;
}

/** The finest-grain cell a SQL `GROUP BY` returns (one row per distinct key). */
export interface SatisfactionCell extends SatisfactionCounts {
  countyId: string;
  schoolId: string | null;
  group: RespondentGroup;
  questionnaire: QuestionnaireId;
  location: Location | null;
  grade: number | null;
}

/**
 * Answers of valid questionnaires to one item with one score (`null` = 不了解/unanswered), per
 * county, group and questionnaire. The overall item is reported under `OVERALL_ITEM_ID`.
 */
export interface ItemScoreCount {
  countyId: string;
  group: RespondentGroup;
  questionnaire: QuestionnaireId;
  itemId: string;
  score: number | null;
  count: number;
}

/** Item id under which the overall item (总体评价) appears in item counts. */
export const OVERALL_ITEM_ID = "overall";

/** Overall-item scores that a rule accepts (`overall_in`), e.g. [5, 4]; `null` for mean rules. */
export function overallScoresSatisfying(rule: SatisfactionRule): number[] | null {
  if (rule.kind !== "overall_in") return null;
  return rule.options.map((o) => SCALE_SCORES[o]).filter((s): s is number => s !== null);
}

/**
 * Valid and satisfied for one questionnaire. Invalid (reviewer's flag) → not satisfied.
 * - `overall_in`: satisfied iff the overall score is one of the rule's options' scores; an
 *   overall 不了解 (null) is valid but not satisfied.
 * - `mean_at_least`: satisfied iff the mean of the non-null item scores (plus the overall score
 *   when `includeOverall`) is ≥ `minMeanScore`; no scored answer → not satisfied.
 */
export function classifyQuestionnaire(
  record: Pick<QuestionnaireRecord, "valid" | "overallScore" | "itemScores">,
  rule: SatisfactionRule,
): { valid: boolean; satisfied: boolean } {
  if (!record.valid) return { valid: false, satisfied: false };
  if (rule.kind === "overall_in") {
    const accepted = overallScoresSatisfying(rule) ?? [];
    return { valid: true, satisfied: record.overallScore !== null && accepted.includes(record.overallScore) };
  }
  const scores = Object.values(record.itemScores).filter((s): s is number => s !== null);
  if (rule.includeOverall && record.overallScore !== null) scores.push(record.overallScore);
  if (scores.length === 0) return { valid: true, satisfied: false };
  // Exact: mean ≥ m ⇔ Σscores ≥ m·count, with m read as written (3.8 = 19/5).
  const mean: Rational = { n: BigInt(scores.reduce((a, b) => a + b, 0)), d: BigInt(scores.length) };
  return { valid: true, satisfied: compareExact(mean, ">=", dec(rule.minMeanScore)) };
}

/**
 * Turns questionnaire records into the count rows the database would return: one
 * `SatisfactionCell` per distinct (county, school, group, questionnaire, location, grade), and
 * one `ItemScoreCount` per (county, group, questionnaire, item, score) over valid questionnaires,
 * including the overall item as `OVERALL_ITEM_ID`. Rows come out in first-seen order.
 */
export function tallyRecords(records: readonly QuestionnaireRecord[], rule: SatisfactionRule): { cells: SatisfactionCell[]; items: ItemScoreCount[] } {
  const cells = new Map<string, SatisfactionCell>();
  const items = new Map<string, ItemScoreCount>();
  const bumpItem = (r: QuestionnaireRecord, itemId: string, score: number | null) => {
    const key = `${r.countyId}\u001f${r.group}\u001f${r.questionnaire}\u001f${itemId}\u001f${String(score)}`;
    const row = items.get(key);
    if (row) row.count += 1;
    else items.set(key, { countyId: r.countyId, group: r.group, questionnaire: r.questionnaire, itemId, score, count: 1 });
  };
  for (const r of records) {
    const key = `${r.countyId}\u001f${String(r.schoolId)}\u001f${r.group}\u001f${r.questionnaire}\u001f${String(r.location)}\u001f${String(r.grade)}`;
    let cell = cells.get(key);
    if (!cell) {
      cell = {
        countyId: r.countyId,
        schoolId: r.schoolId,
        group: r.group,
        questionnaire: r.questionnaire,
        location: r.location,
        grade: r.grade,
        total: 0,
        invalid: 0,
        valid: 0,
        satisfied: 0,
      };
      cells.set(key, cell);
    }
    const c = classifyQuestionnaire(r, rule);
    cell.total += 1;
    if (!c.valid) {
      cell.invalid += 1;
      continue;
    }
    cell.valid += 1;
    if (c.satisfied) cell.satisfied += 1;
    bumpItem(r, OVERALL_ITEM_ID, r.overallScore);
    for (const [itemId, score] of Object.entries(r.itemScores)) bumpItem(r, itemId, score);
  }
  return { cells: [...cells.values()], items: [...items.values()] };
}

/** Sum of count rows. */
export function sumCounts(rows: readonly SatisfactionCounts[]): SatisfactionCounts {
  const out = { total: 0, invalid: 0, valid: 0, satisfied: 0 };
  for (const r of rows) {
    out.total += r.total;
    out.invalid += r.invalid;
    out.valid += r.valid;
    out.satisfied += r.satisfied;
  }
  return out;
}

/**
 * A proportion with its uncertainty.
 * - `rate` = satisfied ÷ n (0–1); `null` when n = 0.
 * - `wilson` = the Wilson score interval, which stays inside [0, 1] and is honest near 0% and
 *   100% and for small n: centre (p + z²/2n) ÷ (1 + z²/n), half-width
 *   z ÷ (1 + z²/n) × √(p(1 − p)/n + z²/4n²).
 * - `marginOfError` = the larger distance from p to either end of the Wilson interval, so the
 *   "±" figure is never smaller than the interval says: at n = 1 with p = 100% it is ±79 points,
 *   not the ±0 of the normal approximation z·√(p(1 − p)/n). For large n the two agree (85% of
 *   600: Wilson 81.9%–87.6%, ±3.1 points; normal ±2.9 — the spec's "about ±3 points"). `null`
 *   when n = 0. No finite-population correction is applied.
 */
export interface RateEstimate {
  n: number;
  satisfied: number;
  rate: number | null;
  marginOfError: number | null;
  wilson: { low: number; high: number } | null;
}

export function rateEstimate(satisfied: number, n: number, z: number): RateEstimate {
  if (n <= 0) return { n, satisfied, rate: null, marginOfError: null, wilson: null };
  const p = satisfied / n;
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denom;
  const half = (z / denom) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  const low = Math.max(0, centre - half);
  const high = Math.min(1, centre + half);
  return { n, satisfied, rate: p, marginOfError: Math.max(p - low, high - p), wilson: { low, high } };
}

/** One row of a breakdown (by group, location, grade, school, questionnaire). */
export interface BreakdownRow {
  key: string;
  label: string;
  counts: SatisfactionCounts;
  estimate: RateEstimate;
}

/**
 * Rolls cells up by `keyOf` (rows with a `null` key are skipped) into breakdown rows, sorted by
 * key. `labelOf` names a key in Chinese.
 */
export function breakdown(
  cells: readonly SatisfactionCell[],
  keyOf: (c: SatisfactionCell) => string | null,
  labelOf: (key: string) => string,
  z: number,
): BreakdownRow[] {
  const groups = new Map<string, SatisfactionCell[]>();
  for (const c of cells) {
    const k = keyOf(c);
    if (k === null) continue;
    const list = groups.get(k);
    if (list) list.push(c);
    else groups.set(k, [c]);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, rows]) => {
      const counts = sumCounts(rows);
      return { key, label: labelOf(key), counts, estimate: rateEstimate(counts.satisfied, counts.valid, z) };
    });
}

/** Per-item rate: 不了解 excluded from n. */
export interface ItemRate {
  itemId: string;
  /** Answers with a score (n of the rate and the mean). */
  answered: number;
  /** 不了解 or unanswered. */
  unknown: number;
  /** Answers whose score is in the satisfied set (default 满意/比较满意). */
  satisfiedAnswers: number;
  estimate: RateEstimate;
  /** Mean score 1–5 over answered; `null` when none. */
  meanScore: number | null;
  /** 100 × mean ÷ 5 (a mean of 4.2 → 84); `null` when none. */
  meanPercent: number | null;
  /** Answers per score "1"–"5". */
  byScore: Record<string, number>;
}

/** Per-item rates from item count rows, by item id (sorted, overall first). */
export function itemRates(rows: readonly ItemScoreCount[], satisfiedScores: readonly number[], z: number): ItemRate[] {
  const byItem = new Map<string, ItemScoreCount[]>();
  for (const r of rows) {
    const list = byItem.get(r.itemId);
    if (list) list.push(r);
    else byItem.set(r.itemId, [r]);
  }
  const ids = [...byItem.keys()].sort((a, b) => (a === OVERALL_ITEM_ID ? -1 : b === OVERALL_ITEM_ID ? 1 : a < b ? -1 : a > b ? 1 : 0));
  return ids.map((itemId) => {
    const list = byItem.get(itemId) ?? [];
    const byScore: Record<string, number> = { "1": 0, "2": 0, "3": 0, "4": 0, "5": 0 };
    let unknown = 0;
    let answered = 0;
    let sum = 0;
    let sat = 0;
    for (const r of list) {
      if (r.score === null) {
        unknown += r.count;
        continue;
      }
      answered += r.count;
      sum += r.score * r.count;
      byScore[String(r.score)] = (byScore[String(r.score)] ?? 0) + r.count;
      if (satisfiedScores.includes(r.score)) sat += r.count;
    }
    const meanScore = answered > 0 ? sum / answered : null;
    return {
      itemId,
      answered,
      unknown,
      satisfiedAnswers: sat,
      estimate: rateEstimate(sat, answered, z),
      meanScore,
      meanPercent: meanScore === null ? null : (100 * meanScore) / SCALE_MAX,
      byScore,
    };
  });
}

/** 申报表 表Ⅵ columns: 问卷总数, 有效问卷数, 满意问卷数, 综合满意度(%). */
export interface Table6Row {
  /** 问卷总数 */
  total: number;
  /** 有效问卷数 */
  valid: number;
  /** 满意问卷数 */
  satisfied: number;
  /** 综合满意度 (%), full precision; `null` when there is no valid questionnaire. */
  ratePercent: number | null;
}

export function table6Row(counts: SatisfactionCounts): Table6Row {
  return {
    total: counts.total,
    valid: counts.valid,
    satisfied: counts.satisfied,
    ratePercent: counts.valid > 0 ? (100 * counts.satisfied) / counts.valid : null,
  };
}

function labelFrom(labels: Readonly<Record<string, string>>, key: string): string {
  return Object.entries(labels).find(([k]) => k === key)?.[1] ?? key;
}

/** Chinese labels for breakdown keys. */
export const breakdownLabels = {
  group: (k: string) => labelFrom(RESPONDENT_GROUP_LABELS, k),
  questionnaire: (k: string) => labelFrom(QUESTIONNAIRE_LABELS, k),
  location: (k: string) => labelFrom(LOCATION_LABELS, k),
  grade: (k: string) => gradeLabel(k),
};
