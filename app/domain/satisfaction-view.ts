/**
 * What the console shows of one county's 社会认可度 (a self-assessment, 自评/模拟测评): the rate
 * against 85% with its sample size and margin of error, the 表Ⅵ figures, and the breakdowns by
 * school, respondent group, location, grade and item — the lowest first, since those are what
 * to fix — with small cells suppressed (./suppression.ts) so that nobody at a small school can
 * be identified. Pure: it shapes the engine's `SatisfactionResult` and the count rows.
 *
 * Which totals are published, and so which lines are protected together:
 * - schools (and the county-level link) add up to the county's valid questionnaires;
 * - groups add up to the county; locations to the school-based questionnaires; student grades
 *   to 学生, parents' children's grades to 家长;
 * - per item, the answered counts of the groups (and of the schools) add up to the county's.
 * Every rate is suppressed together with its counts; a primary cell shows its size as "<5".
 */
import { CONTENT_AREAS } from "./questionnaire-scoring";
import { breakdown, itemRates, rateEstimate, type BreakdownRow, type ItemRate, type ItemScoreCount, type RateEstimate, type SatisfactionCell, type Table6Row } from "./satisfaction";
import { MIN_CELL_SIZE, suppressLine, suppressTable, type Suppression } from "./suppression";
import { RESPONDENT_GROUP_LABELS, RESPONDENT_GROUPS, type RespondentGroup } from "./vocabulary";
import type { SatisfactionResult } from "./evaluation/social";
import { compareExact, dec } from "./evaluation/exact";

/** Whether an estimate's rate is below the threshold, exactly (satisfied·d < n·den for threshold n/d). */
function belowThreshold(e: RateEstimate, threshold: number): boolean {
  return e.n > 0 && compareExact({ n: BigInt(e.satisfied), d: BigInt(e.n) }, "<", dec(threshold));
}

/** One row of a breakdown as shown: counts and rate, or hidden. */
export interface ViewRow {
  key: string;
  label: string;
  /** Valid questionnaires; `null` when hidden as a primary small cell (shown as "<5"). */
  n: number | null;
  /** Satisfied questionnaires; `null` when hidden. */
  satisfied: number | null;
  rate: number | null;
  marginOfError: number | null;
  /** 95% Wilson interval: shown instead of ± for small samples and rates of 0 or 100%. */
  interval: { low: number; high: number } | null;
  suppressed: Suppression;
  /** Rate below the threshold (full precision). */
  below: boolean;
}

export interface ItemViewRow {
  itemId: string;
  label: string;
  answered: number | null;
  unknown: number | null;
  rate: number | null;
  marginOfError: number | null;
  /** Mean score as a percentage (5 → 100). */
  meanPercent: number | null;
  suppressed: Suppression;
  below: boolean;
}

export interface SatisfactionView {
  status: SatisfactionResult["status"];
  threshold: number;
  overall: RateEstimate;
  parents: RateEstimate;
  table6: { all: Table6Row; parents: Table6Row };
  sample: { required: number | null; parentsRequired: number | null; insufficient: boolean; reasons: string[] };
  reasons: string[];
  shortfalls: string[];
  /** Lowest rate first; hidden rows last. */
  bySchool: ViewRow[];
  byGroup: ViewRow[];
  byLocation: ViewRow[];
  byGrade: ViewRow[];
  /** Every scored item for all respondents, lowest rate first (总体评价 listed apart). */
  items: ItemViewRow[];
  overallItem: ItemViewRow | null;
  /** Items × groups: per item, each group's rate (hidden cells suppressed across groups). */
  itemsByGroup: { groups: Array<{ key: RespondentGroup; label: string }>; rows: Array<{ itemId: string; label: string; cells: ItemViewRow[] }> };
  /** Schools × groups satisfaction (row and column totals published). */
  schoolGroups: { groups: Array<{ key: RespondentGroup; label: string }>; rows: Array<{ key: string; label: string; cells: ViewRow[] }> };
}

export const COUNTY_LINK_KEY = "__county__";
export const COUNTY_LINK_LABEL = "县级链接（人大代表、政协委员、其他群众）";

export function itemLabel(itemId: string): string {
  if (itemId === "overall") return "总体评价";
  return Object.entries(CONTENT_AREAS).find(([k]) => k === itemId)?.[1] ?? itemId;
}

function viewRows(rows: readonly BreakdownRow[], threshold: number, k: number): ViewRow[] {
  const marks = suppressLine(
    rows.map((r) => r.counts.valid),
    k,
  );
  return rows.map((r, i) => shownRow(r.key, r.label, r.counts.valid, r.counts.satisfied, r.estimate, marks[i] ?? null, threshold));
}

function shownRow(key: string, label: string, n: number, satisfied: number, e: RateEstimate, mark: Suppression, threshold: number): ViewRow {
  if (mark !== null) return { key, label, n: mark === "primary" ? null : n, satisfied: null, rate: null, marginOfError: null, interval: null, suppressed: mark, below: false };
  return { key, label, n, satisfied, rate: e.rate, marginOfError: e.marginOfError, interval: e.wilson, suppressed: null, below: belowThreshold(e, threshold) };
}

/** Lowest rate first; rows without a rate (hidden or empty) last, in their original order. */
export function lowestFirst<T extends { rate: number | null }>(rows: readonly T[]): T[] {
  return [...rows].sort((a, b) => (a.rate === null ? (b.rate === null ? 0 : 1) : b.rate === null ? -1 : a.rate - b.rate));
}

function itemRow(r: ItemRate, mark: Suppression, threshold: number): ItemViewRow {
  const hidden = mark !== null;
  return {
    itemId: r.itemId,
    label: itemLabel(r.itemId),
    answered: mark === "primary" ? null : r.answered,
    unknown: hidden ? null : r.unknown,
    rate: hidden ? null : r.estimate.rate,
    marginOfError: hidden ? null : r.estimate.marginOfError,
    meanPercent: hidden ? null : r.meanPercent,
    suppressed: mark,
    below: !hidden && belowThreshold(r.estimate, threshold),
  };
}

export interface ViewInput {
  result: SatisfactionResult;
  /** The county's count rows (the same the result was computed from). */
  cells: readonly SatisfactionCell[];
  items: ReadonlyArray<ItemScoreCount & { schoolId?: string | null }>;
  /** Scores counted as a satisfied item answer (default 5, 4). */
  itemSatisfiedScores: readonly number[];
  z: number;
  schoolNames: ReadonlyMap<string, string>;
  k?: number;
}

export function satisfactionView(input: ViewInput): SatisfactionView {
  const { result, cells, items } = input;
  const k = input.k ?? MIN_CELL_SIZE;
  const threshold = result.threshold;
  const z = input.z;

  // Schools, plus the county-level link, partition the county.
  const schoolRows = breakdown(cells, (c) => c.schoolId ?? COUNTY_LINK_KEY, (key) => (key === COUNTY_LINK_KEY ? COUNTY_LINK_LABEL : (input.schoolNames.get(key) ?? key)), z);
  const bySchool = lowestFirst(viewRows(schoolRows, threshold, k));
  const byGroup = lowestFirst(viewRows(result.byGroup, threshold, k));
  const byLocation = lowestFirst(viewRows(result.byLocation, threshold, k));
  const studentGrades = viewRows(result.byGrade.filter((r) => r.key.startsWith("student:")), threshold, k);
  const parentGrades = viewRows(result.byGrade.filter((r) => r.key.startsWith("parent:")), threshold, k);

  // Items, all respondents: one line per item has nothing to add up to but the county; hide
  // only items answered fewer than k times.
  const all = result.items;
  const overallRate = all.find((r) => r.itemId === "overall");
  const itemRows = lowestFirst(all.filter((r) => r.itemId !== "overall").map((r) => itemRow(r, r.answered > 0 && r.answered < k ? "primary" : null, threshold)));

  // Items × groups, protected per item across groups.
  const groupsPresent = RESPONDENT_GROUPS.filter((g) => items.some((i) => i.group === g));
  const perGroup = new Map(groupsPresent.map((g) => [g, itemRates(items.filter((i) => i.group === g), input.itemSatisfiedScores, z)] as const));
  const itemIds = lowestFirst(itemRows).map((r) => r.itemId);
  if (overallRate) itemIds.push("overall");
  const byGroupRows = itemIds.map((itemId) => {
    const rates = groupsPresent.map((g) => perGroup.get(g)?.find((r) => r.itemId === itemId) ?? null);
    const marks = suppressLine(
      rates.map((r) => r?.answered ?? 0),
      k,
    );
    return {
      itemId,
      label: itemLabel(itemId),
      cells: rates.map((r, i) =>
        r
          ? itemRow(r, marks[i] ?? null, threshold)
          : { itemId, label: itemLabel(itemId), answered: 0, unknown: 0, rate: null, marginOfError: null, meanPercent: null, suppressed: null, below: false },
      ),
    };
  });

  // Schools × groups: 2-D protection (row totals = schools, column totals = groups).
  const schoolKeys = schoolRows.map((r) => r.key);
  const matrix = schoolKeys.map((sk) =>
    groupsPresent.map((g) => {
      const list = cells.filter((c) => (c.schoolId ?? COUNTY_LINK_KEY) === sk && c.group === g);
      return {
        valid: list.reduce((a, c) => a + c.valid, 0),
        satisfied: list.reduce((a, c) => a + c.satisfied, 0),
      };
    }),
  );
  const marks = suppressTable(
    matrix.map((row) => row.map((c) => c.valid)),
    k,
  );
  const schoolGroups = {
    groups: groupsPresent.map((g) => ({ key: g, label: RESPONDENT_GROUP_LABELS[g] })),
    rows: schoolRows.map((r, i) => ({
      key: r.key,
      label: r.label,
      cells: (matrix[i] ?? []).map((c, j) =>
        shownRow(`${r.key}:${groupsPresent[j] ?? ""}`, groupsPresent[j] ?? "", c.valid, c.satisfied, rateEstimate(c.satisfied, c.valid, z), marks[i]?.[j] ?? null, threshold),
      ),
    })),
  };

  return {
    status: result.status,
    threshold,
    overall: result.overall,
    parents: rateEstimate(result.table6.parents.satisfied, result.table6.parents.valid, z),
    table6: result.table6,
    sample: {
      required: result.plan?.total ?? null,
      parentsRequired: result.plan?.byGroup.parent ?? null,
      insufficient: result.coverage?.insufficient ?? false,
      reasons: result.coverage?.reasons ?? [],
    },
    reasons: result.reasons,
    shortfalls: result.shortfalls.map((s) => s.text),
    bySchool,
    byGroup,
    byLocation,
    byGrade: [...studentGrades, ...parentGrades],
    items: itemRows,
    overallItem: overallRate ? itemRow(overallRate, overallRate.answered > 0 && overallRate.answered < k ? "primary" : null, threshold) : null,
    itemsByGroup: { groups: groupsPresent.map((g) => ({ key: g, label: RESPONDENT_GROUP_LABELS[g] })), rows: byGroupRows },
    schoolGroups,
  };
}

/**
 * One school's items, protected across the county's schools: for each item, the answered
 * counts of every school (and the county-level link) add up to the county's, so a school's item
 * cell is hidden when small, or as a complement.
 */
export function schoolItemsView(
  items: ReadonlyArray<ItemScoreCount & { schoolId?: string | null }>,
  schoolId: string,
  itemSatisfiedScores: readonly number[],
  z: number,
  threshold: number,
  k: number = MIN_CELL_SIZE,
): ItemViewRow[] {
  const keys = [...new Set(items.map((i) => i.schoolId ?? COUNTY_LINK_KEY))].sort();
  const rates = new Map(keys.map((key) => [key, itemRates(items.filter((i) => (i.schoolId ?? COUNTY_LINK_KEY) === key), itemSatisfiedScores, z)] as const));
  const own = rates.get(schoolId) ?? [];
  return lowestFirst(
    own.map((r) => {
      const answered = keys.map((key) => rates.get(key)?.find((x) => x.itemId === r.itemId)?.answered ?? 0);
      const marks = suppressLine(answered, k);
      return itemRow(r, marks[keys.indexOf(schoolId)] ?? null, threshold);
    }),
  );
}
