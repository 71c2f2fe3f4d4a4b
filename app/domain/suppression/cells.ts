/** What is suppressed and why: the cell, its measures and the minimum size (see ./index.ts). */
/** Fewer questionnaires than this in a cell: hidden. */
export const MIN_CELL_SIZE = 5;

/**
 * Why a figure is hidden, in words an officer reads next to it (pages and workbooks alike):
 * a primary cell is small itself; a complementary one has enough questionnaires but is hidden
 * so that the small one cannot be worked out from the totals.
 */
export const SUPPRESSION_REASONS = {
  primary: `不足${String(MIN_CELL_SIZE)}份问卷，为保护作答者隐私不显示`,
  complementary: `为防止推算出不足${String(MIN_CELL_SIZE)}份的类别，此数据一并隐藏`,
} as const;

/** Why a cell is hidden: too small itself, or hidden to protect another. */
export type Suppression = "primary" | "complementary" | null;

/** One published measure of a cell: its value and the bounds anyone knowing the cell's size knows. */
export interface Measure {
  value: number;
  lo: number;
  hi: number;
}

/** A cell: its people and its published measures. */
export interface SuppressionCell {
  n: number;
  measures?: readonly Measure[];
}

/** A satisfaction cell: `n` valid questionnaires of which `satisfied` are satisfied. */
export function satisfactionCell(n: number, satisfied: number): SuppressionCell {
  return { n, measures: [{ value: satisfied, lo: 0, hi: n }] };
}

/** An item cell: `answered` answers with a score, `satisfiedAnswers` of them satisfied, scores summing to `scoreSum` (1–5 each). */
export function itemCell(answered: number, satisfiedAnswers: number, scoreSum: number): SuppressionCell {
  return {
    n: answered,
    measures: [
      { value: satisfiedAnswers, lo: 0, hi: answered },
      { value: scoreSum, lo: answered, hi: 5 * answered },
    ],
  };
}

export function asCell(c: SuppressionCell | number): SuppressionCell {
  return typeof c === "number" ? { n: c } : c;
}
