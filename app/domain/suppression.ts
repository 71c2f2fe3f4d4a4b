/**
 * Small-cell suppression (小样本隐藏) for the console's breakdowns, so that no teacher at a
 * small school can be identified from a figure (issues 5 and 12; decision record 0011).
 *
 * A cell is what one row of a breakdown counts: `n` people (valid questionnaires, or answers to
 * an item) and the measures published about them (satisfied questionnaires; for an item, its
 * satisfied answers and its score sum, shown as a rate and a mean). Each measure's value lies,
 * for anyone who knows `n`, between known bounds (`lo`, `hi`: 0 and n satisfied; n and 5n
 * points).
 *
 * 1. **Primary**: a cell of 1 to `MIN_CELL_SIZE` − 1 people is hidden. Hidden cells publish
 *    nothing — no count (a primary cell shows "<5"), no satisfied count, no rate.
 * 2. **Complementary**, because totals are published: in every line of cells that adds up to a
 *    published total, if anything is hidden, then
 *    a. at least two non-empty cells are hidden, holding at least `MIN_CELL_SIZE` people
 *       together (a count cannot be recovered as total − the rest);
 *    b. for every primary cell and every measure, the other hidden cells of the line leave its
 *       value entirely open: whatever the published figures, any value from `lo` to `hi` is
 *       possible. For satisfaction this says: the hidden cells hold at least as many satisfied,
 *       and at least as many not satisfied, questionnaires as the small cell has people. So an
 *       "all satisfied" (5 of 5) or "none satisfied" hidden group never gives its members away,
 *       and "total − visible cells" tells nothing about the small cell.
 *    Cells are added smallest size class (⌊log₂ n⌋) first, then in line order, each one that
 *    helps a failing condition, until every line holds — even assuming the attacker knows
 *    every hidden cell's size exactly.
 * 3. For a table with published row and column totals (schools × groups), the lines are its
 *    rows and columns, and the rows and columns together are audited exactly: for each small
 *    cell, a transportation problem (max flow) checks that the cell can take its lowest and its
 *    highest value with every row and column total as published; if not, a cell of its row or
 *    column is hidden too and the audit runs again. (Lines checked one by one are not enough:
 *    four hidden cells in two rows and two columns can pin one another down.)
 *
 * Empty cells are never hidden and never serve as complements: they reveal nobody and hide
 * nothing. Pure; deterministic (the same figures give the same cells hidden).
 */

/** Fewer questionnaires than this in a cell: hidden. */
export const MIN_CELL_SIZE = 5;

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

function asCell(c: SuppressionCell | number): SuppressionCell {
  return typeof c === "number" ? { n: c } : c;
}

function primary(n: number, k: number): Suppression {
  return n > 0 && n < k ? "primary" : null;
}

const hiddenIn = (cells: readonly SuppressionCell[], marks: readonly Suppression[], line: readonly number[]) => line.filter((i) => marks[i] !== null && (cells[i]?.n ?? 0) > 0);

/**
 * Which measures fail condition 2b in a line, and in which direction: for each measure index,
 * whether the hidden cells other than a primary one lack room upwards ("up": the small cell
 * could be shown to be at its lowest, i.e. the rest cannot absorb it) or downwards.
 */
function diversityNeeds(cells: readonly SuppressionCell[], marks: readonly Suppression[], line: readonly number[]): Array<{ measure: number; up: boolean; down: boolean }> {
  const hidden = hiddenIn(cells, marks, line);
  const needs: Array<{ measure: number; up: boolean; down: boolean }> = [];
  const measures = Math.max(0, ...hidden.map((i) => cells[i]?.measures?.length ?? 0));
  for (let m = 0; m < measures; m++) {
    let up = false;
    let down = false;
    for (const i of hidden) {
      if (marks[i] !== "primary") continue;
      const own = cells[i]?.measures?.[m];
      if (!own) continue;
      let othersUp = 0;
      let othersDown = 0;
      for (const h of hidden) {
        if (h === i) continue;
        const x = cells[h]?.measures?.[m];
        if (!x) continue;
        othersUp += x.hi - x.value;
        othersDown += x.value - x.lo;
      }
      // The small cell can sit at its lowest only if the others can take up what it would shed.
      if (othersUp < own.value - own.lo) up = true;
      // … and at its highest only if the others can give up what it would gain.
      if (othersDown < own.hi - own.value) down = true;
    }
    if (up || down) needs.push({ measure: m, up, down });
  }
  return needs;
}

function countsProtected(cells: readonly SuppressionCell[], marks: readonly Suppression[], line: readonly number[], k: number): boolean {
  const hidden = hiddenIn(cells, marks, line);
  if (hidden.length === 0) return true;
  return hidden.length >= 2 && hidden.reduce((a, i) => a + (cells[i]?.n ?? 0), 0) >= k;
}

/** Whether a candidate cell would help one of the failing diversity needs. */
function helps(cell: SuppressionCell | undefined, needs: ReadonlyArray<{ measure: number; up: boolean; down: boolean }>): boolean {
  return needs.some(({ measure, up, down }) => {
    const x = cell?.measures?.[measure];
    if (!x) return false;
    return (up && x.hi - x.value > 0) || (down && x.value - x.lo > 0);
  });
}

/**
 * A cell's size class for choosing complements: ⌊log₂ n⌋. Complements are chosen by class,
 * then by position, not by exact size, so that one more questionnaire in some cell rarely
 * changes which cell is hidden beside a small one (a changed choice, compared with the download
 * before it, would give the small cell away as "old hidden sum − newly shown cell").
 */
function sizeClass(n: number): number {
  return Math.floor(Math.log2(Math.max(1, n)));
}

/** The visible non-empty cell of `candidates` satisfying `ok` in the smallest size class (ties: the earlier one), or null. */
function smallest(cells: readonly SuppressionCell[], marks: readonly Suppression[], candidates: readonly number[], ok: (i: number) => boolean): number | null {
  let best: number | null = null;
  for (const i of candidates) {
    if (marks[i] !== null || (cells[i]?.n ?? 0) <= 0 || !ok(i)) continue;
    if (best === null || sizeClass(cells[i]?.n ?? 0) < sizeClass(cells[best]?.n ?? 0) || (sizeClass(cells[i]?.n ?? 0) === sizeClass(cells[best]?.n ?? 0) && i < best)) best = i;
  }
  return best;
}

/** Applies rules 2a and 2b to one line; returns whether anything was added. */
function protectLine(cells: readonly SuppressionCell[], marks: Suppression[], line: readonly number[], k: number): boolean {
  let changed = false;
  for (;;) {
    if (hiddenIn(cells, marks, line).length === 0) return changed;
    let pick: number | null = null;
    if (!countsProtected(cells, marks, line, k)) pick = smallest(cells, marks, line, () => true);
    else {
      const needs = diversityNeeds(cells, marks, line);
      if (needs.length === 0) return changed;
      pick = smallest(cells, marks, line, (i) => helps(cells[i], needs));
    }
    // Nothing left that could help: everything that would is already hidden.
    if (pick === null) return changed;
    marks[pick] = "complementary";
    changed = true;
  }
}

/**
 * Suppression over any family of lines of the same cells (each line: indexes of cells adding up
 * to a published total). Returns a mark per cell.
 */
export function suppressLines(input: ReadonlyArray<SuppressionCell | number>, lines: ReadonlyArray<readonly number[]>, k: number = MIN_CELL_SIZE): Suppression[] {
  const cells = input.map(asCell);
  const marks = cells.map((c) => primary(c.n, k));
  for (let round = 0; round <= cells.length; round++) {
    let changed = false;
    for (const line of lines) changed = protectLine(cells, marks, line, k) || changed;
    if (!changed) break;
  }
  return marks;
}

/**
 * One line of cells adding up to a published total (e.g. the schools of a county, the groups).
 * Plain numbers are sizes without a published measure. Returns a mark per cell.
 */
export function suppressLine(input: ReadonlyArray<SuppressionCell | number>, k: number = MIN_CELL_SIZE): Suppression[] {
  return suppressLines(input, [input.map((_, i) => i)], k);
}

/** Max flow (Edmonds–Karp) over a small dense graph; `cap` is modified. */
function maxFlow(cap: number[][], s: number, t: number): number {
  const n = cap.length;
  let flow = 0;
  for (;;) {
    const prev = new Array<number>(n).fill(-1);
    prev[s] = s;
    const queue = [s];
    for (let q = 0; q < queue.length && prev[t] === -1; q++) {
      const u = queue[q] ?? 0;
      const row = cap[u] ?? [];
      for (let v = 0; v < n; v++) {
        if (prev[v] === -1 && (row[v] ?? 0) > 0) {
          prev[v] = u;
          queue.push(v);
        }
      }
    }
    if (prev[t] === -1) return flow;
    let push = Infinity;
    for (let v = t; v !== s; v = prev[v] ?? s) push = Math.min(push, cap[prev[v] ?? s]?.[v] ?? 0);
    for (let v = t; v !== s; v = prev[v] ?? s) {
      const u = prev[v] ?? s;
      const fwd = cap[u];
      const back = cap[v];
      if (fwd) fwd[v] = (fwd[v] ?? 0) - push;
      if (back) back[u] = (back[u] ?? 0) + push;
    }
    flow += push;
  }
}

/**
 * Whether the hidden cells of a table can hold values consistent with every row and column
 * total when cell `fixed` is forced to `value` (measure `m`, hidden values unknown within their
 * bounds, visible values and all row and column totals known).
 */
function feasible(cells: readonly SuppressionCell[], marks: readonly Suppression[], rows: number, cols: number, m: number, fixed: number, value: number): boolean {
  const S = 0;
  const T = 1 + rows + cols;
  const cap: number[][] = Array.from({ length: T + 1 }, () => new Array<number>(T + 1).fill(0));
  const rowNeed = new Array<number>(rows).fill(0);
  const colNeed = new Array<number>(cols).fill(0);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const i = r * cols + c;
      const x = cells[i]?.measures?.[m];
      if (marks[i] === null || !x || (cells[i]?.n ?? 0) <= 0) continue;
      // Work with the amount above the lower bound: 0 … hi − lo.
      const above = x.value - x.lo;
      rowNeed[r] = (rowNeed[r] ?? 0) + above;
      colNeed[c] = (colNeed[c] ?? 0) + above;
      if (i === fixed) {
        rowNeed[r] = (rowNeed[r] ?? 0) - (value - x.lo);
        colNeed[c] = (colNeed[c] ?? 0) - (value - x.lo);
      } else {
        const row = cap[1 + r];
        if (row) row[1 + rows + c] = x.hi - x.lo;
      }
    }
  }
  let total = 0;
  for (let r = 0; r < rows; r++) {
    const need = rowNeed[r] ?? 0;
    if (need < 0) return false;
    const src = cap[S];
    if (src) src[1 + r] = need;
    total += need;
  }
  for (let c = 0; c < cols; c++) {
    const need = colNeed[c] ?? 0;
    if (need < 0) return false;
    const col = cap[1 + rows + c];
    if (col) col[T] = need;
  }
  return maxFlow(cap, S, T) === total;
}

/** A small cell of a table whose value the published rows and columns pin down (not to its full range), or null. */
function exposedCell(cells: readonly SuppressionCell[], marks: readonly Suppression[], rows: number, cols: number): { index: number; measure: number; low: boolean } | null {
  for (let i = 0; i < cells.length; i++) {
    if (marks[i] !== "primary") continue;
    const measures = cells[i]?.measures ?? [];
    for (let m = 0; m < measures.length; m++) {
      const x = measures[m];
      if (!x) continue;
      if (!feasible(cells, marks, rows, cols, m, i, x.lo)) return { index: i, measure: m, low: true };
      if (!feasible(cells, marks, rows, cols, m, i, x.hi)) return { index: i, measure: m, low: false };
    }
  }
  return null;
}

/**
 * A table whose row totals and column totals are published (e.g. schools × respondent groups).
 * Returns a mark per cell, row-major like `matrix`.
 */
export function suppressTable(matrix: ReadonlyArray<ReadonlyArray<SuppressionCell | number>>, k: number = MIN_CELL_SIZE): Suppression[][] {
  const rows = matrix.length;
  const cols = Math.max(0, ...matrix.map((r) => r.length));
  const cells: SuppressionCell[] = [];
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) cells.push(asCell(matrix[r]?.[c] ?? 0));
  const marks = cells.map((c) => primary(c.n, k));
  const rowIdx = Array.from({ length: rows }, (_, r) => Array.from({ length: cols }, (_, c) => r * cols + c));
  const colIdx = Array.from({ length: cols }, (_, c) => Array.from({ length: rows }, (_, r) => r * cols + c));
  for (let round = 0; round <= cells.length; round++) {
    let changed = false;
    for (const line of [...rowIdx, ...colIdx]) changed = protectLine(cells, marks, line, k) || changed;
    if (!changed) {
      const exposed = exposedCell(cells, marks, rows, cols);
      if (!exposed) break;
      // Hide the smallest cell of its row or column that gives room in the direction needed.
      const r = Math.floor(exposed.index / cols);
      const c = exposed.index % cols;
      const need = [{ measure: exposed.measure, up: exposed.low, down: !exposed.low }];
      const pick = smallest(cells, marks, [...(rowIdx[r] ?? []), ...(colIdx[c] ?? [])], (i) => helps(cells[i], need)) ?? smallest(cells, marks, cells.map((_, i) => i), (i) => helps(cells[i], need));
      if (pick === null) break;
      marks[pick] = "complementary";
    }
  }
  return rowIdx.map((line) => line.map((i) => marks[i] ?? null));
}

/**
 * Whether a line, as marked, satisfies rules 1 and 2 (used by tests and as a final check); true
 * also when nothing more could be hidden (every non-empty cell already is).
 */
export function lineIsProtected(input: ReadonlyArray<SuppressionCell | number>, marks: readonly Suppression[], k: number = MIN_CELL_SIZE): boolean {
  const cells = input.map(asCell);
  const line = cells.map((_, i) => i);
  for (let i = 0; i < cells.length; i++) if (primary(cells[i]?.n ?? 0, k) !== null && marks[i] === null) return false;
  const visibleNonEmpty = cells.filter((c, i) => c.n > 0 && marks[i] === null);
  if (!countsProtected(cells, marks, line, k)) return visibleNonEmpty.length === 0;
  const needs = diversityNeeds(cells, marks, line);
  return needs.length === 0 || !visibleNonEmpty.some((c) => helps(c, needs));
}

/**
 * Whether every small cell of a table, as marked, can take every value from its lowest to its
 * highest with all row and column totals as published (the exact audit of rule 3).
 */
export function tableIsProtected(matrix: ReadonlyArray<ReadonlyArray<SuppressionCell | number>>, marks: ReadonlyArray<readonly Suppression[]>): boolean {
  const rows = matrix.length;
  const cols = Math.max(0, ...matrix.map((r) => r.length));
  const cells: SuppressionCell[] = [];
  const flat: Suppression[] = [];
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < cols; c++) {
      cells.push(asCell(matrix[r]?.[c] ?? 0));
      flat.push(marks[r]?.[c] ?? null);
    }
  return exposedCell(cells, flat, rows, cols) === null;
}
