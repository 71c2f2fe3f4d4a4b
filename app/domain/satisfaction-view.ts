/**
 * What the console shows of one county's 社会认可度 (a self-assessment, 自评/模拟测评): the rate
 * against 85% with its sample size and margin of error, the 表Ⅵ figures, and the breakdowns by
 * school, respondent group, location, grade and item — the lowest first, since those are what
 * to fix — with small cells suppressed (./suppression/) so that nobody at a small school can
 * be identified. Pure: it shapes the engine's `SatisfactionResult` and the count rows.
 *
 * Which totals are published, and so which lines are protected together (./suppression/
 * rules 1–3, decision record 0011):
 * - schools (and the county-level link) add up to the county's valid questionnaires, and the
 *   schools of each of 城区/镇区/乡村 add up to that location's figure;
 * - groups add up to the county; locations and the county-level link add up to the county
 *   (the link is not a location, but "county − locations" would give it away); student grades
 *   to 学生, parents' children's grades to 家长;
 * - per item, the groups' (and the schools') answers add up to the county's, for both the
 *   satisfied answers (the rate) and the score sum (the mean);
 * - schools × groups: rows add up to the schools' figures, columns to the groups'.
 * A hidden cell shows nothing: no count (a primary cell says "<5"), no satisfied count, no rate.
 */
import { CONTENT_AREAS } from "./questionnaire-scoring";
import {
  breakdown,
  itemRates,
  rateEstimate,
  type BreakdownRow,
  type ItemRate,
  type ItemScoreCount,
  type RateEstimate,
  type SatisfactionCell,
  type Table6Row,
} from "./satisfaction";
import { auditCounty, itemCell, MIN_CELL_SIZE, satisfactionCell, suppressLine, suppressLines, suppressTable, type Suppression } from "./suppression";
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
  /** Valid questionnaires; `null` when hidden (a primary small cell is shown as "<5"). */
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

/**
 * Rows of a breakdown, suppressed over `lines` (indexes into `rows`, plus — from
 * `rows.length` on — `extra` cells that are not shown but belong to a published line, such as
 * the county-level link beside the locations). Default: one line of all rows.
 */
function lineMarks(
  rows: readonly BreakdownRow[],
  k: number,
  lines?: ReadonlyArray<readonly number[]>,
  extra: ReadonlyArray<{ valid: number; satisfied: number }> = [],
): Suppression[] {
  const cells = [...rows.map((r) => satisfactionCell(r.counts.valid, r.counts.satisfied)), ...extra.map((x) => satisfactionCell(x.valid, x.satisfied))];
  return suppressLines(cells, lines ?? [cells.map((_, i) => i)], k);
}

function viewRows(rows: readonly BreakdownRow[], threshold: number, k: number, marks: readonly Suppression[] = lineMarks(rows, k)): ViewRow[] {
  return rows.map((r, i) => shownRow(r.key, r.label, r.counts.valid, r.counts.satisfied, r.estimate, marks[i] ?? null, threshold));
}

function shownRow(key: string, label: string, n: number, satisfied: number, e: RateEstimate, mark: Suppression, threshold: number): ViewRow {
  if (mark !== null) return { key, label, n: null, satisfied: null, rate: null, marginOfError: null, interval: null, suppressed: mark, below: false };
  return { key, label, n, satisfied, rate: e.rate, marginOfError: e.marginOfError, interval: e.wilson, suppressed: null, below: belowThreshold(e, threshold) };
}

/** Lowest rate first; rows without a rate (hidden or empty) last, in their original order. */
export function lowestFirst<T extends { rate: number | null }>(rows: readonly T[]): T[] {
  return [...rows].sort((a, b) => (a.rate === null ? (b.rate === null ? 0 : 1) : b.rate === null ? -1 : a.rate - b.rate));
}

/** An item's score sum (what its mean is published from). */
function scoreSum(r: ItemRate | null | undefined): number {
  if (!r) return 0;
  return Object.entries(r.byScore).reduce((a, [score, n]) => a + Number(score) * n, 0);
}

function itemRow(r: ItemRate, mark: Suppression, threshold: number): ItemViewRow {
  const hidden = mark !== null;
  return {
    itemId: r.itemId,
    label: itemLabel(r.itemId),
    answered: hidden ? null : r.answered,
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
  const schoolRows = breakdown(
    cells,
    (c) => c.schoolId ?? COUNTY_LINK_KEY,
    (key) => (key === COUNTY_LINK_KEY ? COUNTY_LINK_LABEL : (input.schoolNames.get(key) ?? key)),
    z,
  );
  // Each location's schools add up to that location's published figure.
  const locationOf = new Map<string, string>();
  for (const c of cells) if (c.schoolId !== null && c.location !== null && !locationOf.has(c.schoolId)) locationOf.set(c.schoolId, c.location);
  const schoolLines = [
    schoolRows.map((_, i) => i),
    ...[...new Set(locationOf.values())].map((loc) => schoolRows.flatMap((r, i) => (locationOf.get(r.key) === loc ? [i] : []))),
  ];
  const schoolMarks = lineMarks(schoolRows, k, schoolLines);
  const groupMarks = lineMarks(result.byGroup, k);
  // The locations and the county-level link add up to the county.
  const linkCells = cells.filter((c) => c.schoolId === null);
  const link = { valid: linkCells.reduce((a, c) => a + c.valid, 0), satisfied: linkCells.reduce((a, c) => a + c.satisfied, 0) };
  const locationLine = lineMarks(result.byLocation, k, [[...result.byLocation.map((_, i) => i), result.byLocation.length]], [link]);
  const linkIndex = schoolRows.findIndex((r) => r.key === COUNTY_LINK_KEY);
  if (linkIndex >= 0 && (locationLine[result.byLocation.length] ?? null) !== null && schoolMarks[linkIndex] === null) schoolMarks[linkIndex] = "complementary";
  const locationMarks = locationLine.slice(0, result.byLocation.length);

  // Schools × groups: rows add up to the schools' figures, columns to the groups'.
  const tableGroups = RESPONDENT_GROUPS.filter((g) => cells.some((c) => c.group === g) || items.some((i) => i.group === g));
  const matrix = schoolRows.map((r) =>
    tableGroups.map((g) => {
      const list = cells.filter((c) => (c.schoolId ?? COUNTY_LINK_KEY) === r.key && c.group === g);
      return { valid: list.reduce((a, c) => a + c.valid, 0), satisfied: list.reduce((a, c) => a + c.satisfied, 0) };
    }),
  );
  const tableCells = matrix.map((row) => row.map((c) => satisfactionCell(c.valid, c.satisfied)));
  const groupIndex = (g: string) => result.byGroup.findIndex((r) => r.key === g);
  const locationIndex = (key: string) => result.byLocation.findIndex((r) => r.key === locationOf.get(key));
  // Everything together: a school hidden in the list must not show as the sum of its cells,
  // nor a location as the sum of its schools (./suppression/county.ts auditCounty).
  const audited = auditCounty(
    {
      cells: tableCells,
      rows: schoolRows.map((r) => satisfactionCell(r.counts.valid, r.counts.satisfied)),
      cols: tableGroups.map((g) => {
        const row = result.byGroup[groupIndex(g)];
        return satisfactionCell(row?.counts.valid ?? 0, row?.counts.satisfied ?? 0);
      }),
      locations: result.byLocation.map((r) => satisfactionCell(r.counts.valid, r.counts.satisfied)),
      locationOfRow: schoolRows.map((r) => (r.key === COUNTY_LINK_KEY || locationIndex(r.key) < 0 ? null : locationIndex(r.key))),
    },
    {
      cells: suppressTable(tableCells, k, { audit: false }),
      rows: schoolMarks,
      cols: tableGroups.map((g) => groupMarks[groupIndex(g)] ?? null),
      locations: locationMarks,
    },
  );
  tableGroups.forEach((g, j) => {
    const at = groupIndex(g);
    if (at >= 0) groupMarks[at] = audited.cols[j] ?? groupMarks[at] ?? null;
  });
  const bySchool = lowestFirst(viewRows(schoolRows, threshold, k, audited.rows));
  const byGroup = lowestFirst(viewRows(result.byGroup, threshold, k, groupMarks));
  const byLocation = lowestFirst(viewRows(result.byLocation, threshold, k, audited.locations));
  const studentGrades = viewRows(
    result.byGrade.filter((r) => r.key.startsWith("student:")),
    threshold,
    k,
  );
  const parentGrades = viewRows(
    result.byGrade.filter((r) => r.key.startsWith("parent:")),
    threshold,
    k,
  );

  // Items, all respondents: one line per item has nothing to add up to but the county; hide
  // only items answered fewer than k times.
  const all = result.items;
  const overallRate = all.find((r) => r.itemId === "overall");
  const itemRows = lowestFirst(
    all.filter((r) => r.itemId !== "overall").map((r) => itemRow(r, r.answered > 0 && r.answered < k ? "primary" : null, threshold)),
  );

  // Items × groups, protected per item across groups.
  const groupsPresent = RESPONDENT_GROUPS.filter((g) => items.some((i) => i.group === g));
  const perGroup = new Map(
    groupsPresent.map(
      (g) =>
        [
          g,
          itemRates(
            items.filter((i) => i.group === g),
            input.itemSatisfiedScores,
            z,
          ),
        ] as const,
    ),
  );
  const itemIds = lowestFirst(itemRows).map((r) => r.itemId);
  if (overallRate) itemIds.push("overall");
  const byGroupRows = itemIds.map((itemId) => {
    const rates = groupsPresent.map((g) => perGroup.get(g)?.find((r) => r.itemId === itemId) ?? null);
    const marks = suppressLine(
      rates.map((r) => itemCell(r?.answered ?? 0, r?.satisfiedAnswers ?? 0, scoreSum(r))),
      k,
    );
    // 总体评价 answered 满意/比较满意 is (under the default rule) the satisfied questionnaire
    // itself: a group hidden in the groups' figures stays hidden here, or it would show there.
    if (itemId === "overall")
      groupsPresent.forEach((g, j) => {
        const at = result.byGroup.findIndex((r) => r.key === g);
        if (marks[j] === null && (groupMarks[at] ?? null) !== null) marks[j] = "complementary";
      });
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

  const schoolGroups = {
    groups: tableGroups.map((g) => ({ key: g, label: RESPONDENT_GROUP_LABELS[g] })),
    rows: schoolRows.map((r, i) => ({
      key: r.key,
      label: r.label,
      cells: (matrix[i] ?? []).map((c, j) =>
        shownRow(
          `${r.key}:${tableGroups[j] ?? ""}`,
          tableGroups[j] ?? "",
          c.valid,
          c.satisfied,
          rateEstimate(c.satisfied, c.valid, z),
          audited.cells[i]?.[j] ?? null,
          threshold,
        ),
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
  /** The schools' satisfaction marks (by key): 总体评价 stays hidden where the school's figure is. */
  schoolMarks: ReadonlyMap<string, Suppression> = new Map(),
): ItemViewRow[] {
  const keys = [...new Set(items.map((i) => i.schoolId ?? COUNTY_LINK_KEY))].sort();
  const rates = new Map(
    keys.map(
      (key) =>
        [
          key,
          itemRates(
            items.filter((i) => (i.schoolId ?? COUNTY_LINK_KEY) === key),
            itemSatisfiedScores,
            z,
          ),
        ] as const,
    ),
  );
  const own = rates.get(schoolId) ?? [];
  return lowestFirst(
    own.map((r) => {
      const answered = keys.map((key) => {
        const x = rates.get(key)?.find((y) => y.itemId === r.itemId);
        return itemCell(x?.answered ?? 0, x?.satisfiedAnswers ?? 0, scoreSum(x));
      });
      const marks = suppressLine(answered, k);
      if (r.itemId === "overall")
        keys.forEach((key, j) => {
          if (marks[j] === null && (schoolMarks.get(key) ?? null) !== null) marks[j] = "complementary";
        });
      return itemRow(r, marks[keys.indexOf(schoolId)] ?? null, threshold);
    }),
  );
}
