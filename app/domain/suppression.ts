/**
 * Small-cell suppression (小样本隐藏) for the console's breakdowns, so that no teacher at a
 * small school can be identified from a rate (issue 5): a cell built from fewer than
 * `MIN_CELL_SIZE` questionnaires is hidden (primary suppression), and because the totals are
 * published, further cells are hidden (complementary suppression) until no hidden cell can be
 * recovered by subtracting the visible ones from a total.
 *
 * The rule for one line (cells adding up to a published total), applied until nothing changes:
 * if a line hides anything, it hides at least two non-empty cells and their combined size is
 * at least `MIN_CELL_SIZE` — otherwise the smallest visible non-empty cell is hidden too. Then
 * subtraction gives only the sum of several hidden cells, itself built from at least
 * `MIN_CELL_SIZE` questionnaires. Empty cells (0) are never hidden and never serve as
 * complements: they reveal nobody and hide nothing.
 *
 * For a table (rows × columns with row and column totals published) the rule is applied to
 * every row and every column alternately until stable (the usual iterative heuristic; it
 * terminates because cells are only ever added).
 *
 * Pure; the counts are questionnaires (valid ones for rates, answered ones for item rates).
 */

/** Fewer questionnaires than this in a cell: hidden. */
export const MIN_CELL_SIZE = 5;

/** Why a cell is hidden: too small itself, or hidden to protect another. */
export type Suppression = "primary" | "complementary" | null;

/**
 * Applies the line rule to `counts` in place of `marks` (indexes of one line into `marks`);
 * returns whether anything was added.
 */
function protectLine(counts: readonly number[], marks: Suppression[], indexes: readonly number[], k: number): boolean {
  let changed = false;
  for (;;) {
    const hidden = indexes.filter((i) => marks[i] !== null && (counts[i] ?? 0) > 0);
    if (hidden.length === 0) return changed;
    const hiddenSum = hidden.reduce((a, i) => a + (counts[i] ?? 0), 0);
    if (hidden.length >= 2 && hiddenSum >= k) return changed;
    const candidates = indexes.filter((i) => marks[i] === null && (counts[i] ?? 0) > 0);
    if (candidates.length === 0) return changed; // everything non-empty is already hidden
    let best = candidates[0] ?? 0;
    for (const i of candidates) if ((counts[i] ?? 0) < (counts[best] ?? 0)) best = i;
    marks[best] = "complementary";
    changed = true;
  }
}

function primary(n: number, k: number): Suppression {
  return n > 0 && n < k ? "primary" : null;
}

/**
 * One line of cells adding up to a published total (e.g. the schools of a county, the groups).
 * Returns a mark per cell.
 */
export function suppressLine(counts: readonly number[], k: number = MIN_CELL_SIZE): Suppression[] {
  const marks = counts.map((n) => primary(n, k));
  protectLine(counts, marks, counts.map((_, i) => i), k);
  return marks;
}

/**
 * A table whose row totals and column totals are published (e.g. schools × respondent groups).
 * Returns a mark per cell, row-major like `matrix`.
 */
export function suppressTable(matrix: readonly (readonly number[])[], k: number = MIN_CELL_SIZE): Suppression[][] {
  const rows = matrix.length;
  const cols = Math.max(0, ...matrix.map((r) => r.length));
  const flat: number[] = [];
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) flat.push(matrix[r]?.[c] ?? 0);
  const marks = flat.map((n) => primary(n, k));
  const rowIdx = Array.from({ length: rows }, (_, r) => Array.from({ length: cols }, (_, c) => r * cols + c));
  const colIdx = Array.from({ length: cols }, (_, c) => Array.from({ length: rows }, (_, r) => r * cols + c));
  for (let round = 0; round < rows * cols + 1; round++) {
    let changed = false;
    for (const line of rowIdx) changed = protectLine(flat, marks, line, k) || changed;
    for (const line of colIdx) changed = protectLine(flat, marks, line, k) || changed;
    if (!changed) break;
  }
  return rowIdx.map((line) => line.map((i) => marks[i] ?? null));
}

/** Whether a line, as marked, satisfies the rule (used by tests and as a final check). */
export function lineIsProtected(counts: readonly number[], marks: readonly Suppression[], k: number = MIN_CELL_SIZE): boolean {
  for (let i = 0; i < counts.length; i++) if (primary(counts[i] ?? 0, k) !== null && marks[i] === null) return false;
  const hidden = counts.filter((n, i) => n > 0 && marks[i] !== null);
  if (hidden.length === 0) return true;
  const visibleNonEmpty = counts.filter((n, i) => n > 0 && marks[i] === null).length;
  const sum = hidden.reduce((a, b) => a + b, 0);
  return (hidden.length >= 2 && sum >= k) || visibleNonEmpty === 0;
}
