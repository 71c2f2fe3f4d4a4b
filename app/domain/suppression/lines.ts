/** Primary and complementary suppression of lines and of tables with published totals (see ./index.ts). */
import { asCell, MIN_CELL_SIZE, type Suppression, type SuppressionCell } from "./cells";
import { addEdge, exposedCells, measureNetworks, pinnedIn } from "./flow";

function primary(n: number, k: number): Suppression {
  return n > 0 && n < k ? "primary" : null;
}

const hiddenIn = (cells: readonly SuppressionCell[], marks: readonly Suppression[], line: readonly number[]) =>
  line.filter((i) => marks[i] !== null && (cells[i]?.n ?? 0) > 0);

/**
 * Which measures fail condition 2b in a line, and in which direction: for each measure index,
 * whether the hidden cells other than a primary one lack room upwards ("up": the small cell
 * could be shown to be at its lowest, i.e. the rest cannot absorb it) or downwards.
 */
function diversityNeeds(
  cells: readonly SuppressionCell[],
  marks: readonly Suppression[],
  line: readonly number[],
): Array<{ measure: number; up: boolean; down: boolean }> {
  const hidden = hiddenIn(cells, marks, line);
  const needs: Array<{ measure: number; up: boolean; down: boolean }> = [];
  const measures = Math.max(0, ...hidden.map((i) => cells[i]?.measures?.length ?? 0));
  for (let m = 0; m < measures; m++) {
    // Room of all hidden cells together, upwards (hi − value) and downwards (value − lo).
    let roomUp = 0;
    let roomDown = 0;
    for (const h of hidden) {
      const x = cells[h]?.measures?.[m];
      if (!x) continue;
      roomUp += x.hi - x.value;
      roomDown += x.value - x.lo;
    }
    let up = false;
    let down = false;
    for (const i of hidden) {
      if (marks[i] !== "primary") continue;
      const own = cells[i]?.measures?.[m];
      if (!own) continue;
      const othersUp = roomUp - (own.hi - own.value);
      const othersDown = roomDown - (own.value - own.lo);
      // The small cell can sit at its lowest only if the others can take up what it would shed…
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
export function sizeClass(n: number): number {
  return Math.floor(Math.log2(Math.max(1, n)));
}

/** The visible non-empty cell of `candidates` satisfying `ok` in the smallest size class (ties: the earlier one), or null. */
function smallest(cells: readonly SuppressionCell[], marks: readonly Suppression[], candidates: readonly number[], ok: (i: number) => boolean): number | null {
  let best: number | null = null;
  for (const i of candidates) {
    if (marks[i] !== null || (cells[i]?.n ?? 0) <= 0 || !ok(i)) continue;
    if (
      best === null ||
      sizeClass(cells[i]?.n ?? 0) < sizeClass(cells[best]?.n ?? 0) ||
      (sizeClass(cells[i]?.n ?? 0) === sizeClass(cells[best]?.n ?? 0) && i < best)
    )
      best = i;
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
export function suppressLines(
  input: ReadonlyArray<SuppressionCell | number>,
  lines: ReadonlyArray<readonly number[]>,
  k: number = MIN_CELL_SIZE,
): Suppression[] {
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

/**
 * A table whose row totals and column totals are published (e.g. schools × respondent groups).
 * Returns a mark per cell, row-major like `matrix`. With `audit: false`, only the lines (rows
 * and columns) are protected: for a table whose totals may themselves be hidden, whose audit
 * `auditCounty` does.
 */
export function suppressTable(
  matrix: ReadonlyArray<ReadonlyArray<SuppressionCell | number>>,
  k: number = MIN_CELL_SIZE,
  options: { audit?: boolean } = {},
): Suppression[][] {
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
      // Where the table's totals are themselves protected figures, `auditCounty` audits all of
      // it together instead (options.audit false).
      if (options.audit === false) break;
      const nets = measureNetworks(cells, marks, rows, cols);
      const exposed = exposedCells(nets, marks);
      if (exposed.length === 0) break;
      // For each pinned cell, hide the first cell of its row or column (smallest size class)
      // that gives room in the direction needed, until it is open; then check everything again.
      let added = false;
      for (const x of exposed) {
        const r = Math.floor(x.index / cols);
        const c = x.index % cols;
        const net = nets[x.measure];
        let pinned: { low: boolean } | null = net ? pinnedIn(net, x.index) : null;
        while (pinned) {
          const need = [{ measure: x.measure, up: pinned.low, down: !pinned.low }];
          const pick =
            smallest(cells, marks, [...(rowIdx[r] ?? []), ...(colIdx[c] ?? [])], (i) => helps(cells[i], need)) ??
            smallest(
              cells,
              marks,
              cells.map((_, i) => i),
              (i) => helps(cells[i], need),
            );
          if (pick === null) break;
          marks[pick] = "complementary";
          nets.forEach((n, m) => addEdge(n, cells, rows, cols, m, pick));
          added = true;
          pinned = net ? pinnedIn(net, x.index) : null;
        }
      }
      if (!added) break;
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
  return exposedCells(measureNetworks(cells, flat, rows, cols), flat).length === 0;
}
