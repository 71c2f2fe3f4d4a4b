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
 *    cell, a flow argument checks that the cell can take its lowest and its highest value with
 *    every row and column total as published (the true values are one solution; another exists
 *    iff the difference can be rerouted around the other hidden cells — augmenting paths); if
 *    not, a cell of its row or column is hidden too and the audit runs again. (Lines checked one by one are not enough:
 *    four hidden cells in two rows and two columns can pin one another down.)
 *
 * Empty cells are never hidden and never serve as complements: they reveal nobody and hide
 * nothing. Pure; deterministic (the same figures give the same cells hidden).
 */

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

/**
 * The hidden cells of a table for one measure, as a flow network: rows and columns are nodes,
 * each hidden non-empty cell an edge row → column carrying its value above its lower bound
 * (0 … hi − lo). Row and column totals are fixed, so any other assignment the published
 * figures allow differs from the true one by circulations along these edges.
 */
interface Network {
  nodes: number;
  /** Per edge: from (row node), to (column node), capacity, flow (the true value above lo). */
  from: number[];
  to: number[];
  cap: number[];
  flow: number[];
  /** Cell index of each edge, and the edge of each cell (−1: none). */
  cellOf: number[];
  edgeOf: Map<number, number>;
  /** Edges at each node. */
  at: number[][];
}

function addEdge(net: Network, cells: readonly SuppressionCell[], rows: number, cols: number, m: number, i: number): void {
  const x = cells[i]?.measures?.[m];
  if (!x || (cells[i]?.n ?? 0) <= 0 || net.edgeOf.has(i)) return;
  const r = Math.floor(i / cols);
  const c = i % cols;
  const e = net.from.length;
  net.from.push(r);
  net.to.push(rows + c);
  net.cap.push(x.hi - x.lo);
  net.flow.push(x.value - x.lo);
  net.cellOf.push(i);
  net.edgeOf.set(i, e);
  net.at[r]?.push(e);
  net.at[rows + c]?.push(e);
}

function network(cells: readonly SuppressionCell[], marks: readonly Suppression[], rows: number, cols: number, m: number): Network {
  const net: Network = { nodes: rows + cols, from: [], to: [], cap: [], flow: [], cellOf: [], edgeOf: new Map(), at: Array.from({ length: rows + cols }, () => []) };
  for (let i = 0; i < rows * cols; i++) if (marks[i] !== null) addEdge(net, cells, rows, cols, m, i);
  return net;
}

/**
 * Whether `need` units can be rerouted from node `source` to node `sink` through the residual
 * network without edge `skip` (augmenting paths, breadth first; `flow` is a scratch copy).
 */
function canReroute(net: Network, source: number, sink: number, need: number, skip: number): boolean {
  return reroute(net, source, sink, need, skip).ok;
}

/**
 * As `canReroute`; when it cannot, also the nodes still reachable from `source` once as much as
 * possible has been rerouted (one side of a minimum cut: only a figure crossing it can help).
 */
function reroute(net: Network, source: number, sink: number, need: number, skip: number): { ok: boolean; reachable: boolean[] } {
  if (need <= 0) return { ok: true, reachable: [] };
  const flow = [...net.flow];
  let pushed = 0;
  while (pushed < need) {
    // prevEdge[v] = edge used to reach v; direction +1 forward (raise flow), −1 backward (lower it).
    const prevEdge = new Array<number>(net.nodes).fill(-1);
    const prevDir = new Array<number>(net.nodes).fill(0);
    const seen = new Array<boolean>(net.nodes).fill(false);
    seen[source] = true;
    const queue = [source];
    for (let q = 0; q < queue.length && !seen[sink]; q++) {
      const u = queue[q] ?? 0;
      for (const e of net.at[u] ?? []) {
        if (e === skip) continue;
        const f = flow[e] ?? 0;
        const forward = net.from[e] === u;
        const v = forward ? (net.to[e] ?? 0) : (net.from[e] ?? 0);
        const room = forward ? (net.cap[e] ?? 0) - f : f;
        if (seen[v] || room <= 0) continue;
        seen[v] = true;
        prevEdge[v] = e;
        prevDir[v] = forward ? 1 : -1;
        queue.push(v);
      }
    }
    if (!seen[sink]) return { ok: false, reachable: seen };
    let push = need - pushed;
    for (let v = sink; v !== source; ) {
      const e = prevEdge[v] ?? 0;
      const f = flow[e] ?? 0;
      push = Math.min(push, prevDir[v] === 1 ? (net.cap[e] ?? 0) - f : f);
      v = prevDir[v] === 1 ? (net.from[e] ?? 0) : (net.to[e] ?? 0);
    }
    for (let v = sink; v !== source; ) {
      const e = prevEdge[v] ?? 0;
      flow[e] = (flow[e] ?? 0) + (prevDir[v] === 1 ? push : -push);
      v = prevDir[v] === 1 ? (net.from[e] ?? 0) : (net.to[e] ?? 0);
    }
    pushed += push;
  }
  return { ok: true, reachable: [] };
}

/**
 * The small cells of a table whose value the published rows and columns pin down (not to
 * their full range). A value can fall to its lowest iff that much can be rerouted from its row
 * to its column through the other hidden cells, and rise to its highest iff that much can go
 * from its column to its row.
 */
/** Whether one small cell is pinned in one measure's network (see `exposedCells`); null when open. */
function pinnedIn(net: Network, index: number): { low: boolean } | null {
  const e = net.edgeOf.get(index);
  if (e === undefined) return null;
  if (!canReroute(net, net.from[e] ?? 0, net.to[e] ?? 0, net.flow[e] ?? 0, e)) return { low: true };
  if (!canReroute(net, net.to[e] ?? 0, net.from[e] ?? 0, (net.cap[e] ?? 0) - (net.flow[e] ?? 0), e)) return { low: false };
  return null;
}

/**
 * The small cells of a table whose value the published rows and columns pin down (not to
 * their full range), per measure network. A value can fall to its lowest iff that much can be
 * rerouted from its row to its column through the other hidden cells, and rise to its highest
 * iff that much can go from its column to its row.
 */
function exposedCells(nets: readonly Network[], marks: readonly Suppression[]): Array<{ index: number; measure: number; low: boolean }> {
  const out: Array<{ index: number; measure: number; low: boolean }> = [];
  nets.forEach((net, m) => {
    for (const i of net.cellOf) {
      if (marks[i] !== "primary") continue;
      const pinned = pinnedIn(net, i);
      if (pinned) out.push({ index: i, measure: m, low: pinned.low });
    }
  });
  return out;
}

function measureNetworks(cells: readonly SuppressionCell[], marks: readonly Suppression[], rows: number, cols: number): Network[] {
  const measures = Math.max(0, ...cells.map((c) => c.measures?.length ?? 0));
  return Array.from({ length: measures }, (_, m) => network(cells, marks, rows, cols, m));
}

/**
 * A table whose row totals and column totals are published (e.g. schools × respondent groups).
 * Returns a mark per cell, row-major like `matrix`. With `audit: false`, only the lines (rows
 * and columns) are protected: for a table whose totals may themselves be hidden, whose audit
 * `auditCounty` does.
 */
export function suppressTable(matrix: ReadonlyArray<ReadonlyArray<SuppressionCell | number>>, k: number = MIN_CELL_SIZE, options: { audit?: boolean } = {}): Suppression[][] {
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
          const pick = smallest(cells, marks, [...(rowIdx[r] ?? []), ...(colIdx[c] ?? [])], (i) => helps(cells[i], need)) ?? smallest(cells, marks, cells.map((_, i) => i), (i) => helps(cells[i], need));
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

/**
 * The county's published satisfaction figures taken together (rule 4 of decision record 0011):
 * schools × groups cells, each school's figure (its row), each group's (its column), each
 * location's (the sum of its schools' rows), and the county's (published). Lines checked one by
 * one — and even the table's rows and columns together — miss derivations across them: a
 * school hidden in the list of schools whose cells all show in the table has its figure given
 * by the table, and with it the small school hidden beside it; a location hidden beside the
 * county-level link whose schools all show is their sum.
 */
export interface CountyFigures {
  /** Schools (and the county-level link) × groups. */
  cells: ReadonlyArray<ReadonlyArray<SuppressionCell>>;
  rows: readonly SuppressionCell[];
  cols: readonly SuppressionCell[];
  locations: readonly SuppressionCell[];
  /** The location (index into `locations`) of each row; null for the county-level link. */
  locationOfRow: ReadonlyArray<number | null>;
}

export interface CountyMarks {
  cells: Suppression[][];
  rows: Suppression[];
  cols: Suppression[];
  locations: Suppression[];
}

/**
 * Checks every small figure of the county — a small cell, school, group or location — against
 * everything published, as one flow network: nodes are the county (O), the locations, the
 * schools and the groups; each hidden figure is an edge carrying its true satisfied count
 * (O → location → school → group, O → group for the groups' figures; a school without location
 * hangs on O). A published figure is no edge: its node must balance. A small figure is open
 * when its flow can be rerouted, through the other hidden figures, down to 0 and up to its
 * size. Where it cannot, the visible figure that extends what the reroute can reach, smallest
 * size class first, is hidden too; where no single figure does (several must go together), every
 * visible figure changed by a reroute through all figures as if hidden (hidden ones first) is
 * hidden. Until every small figure is open, or only the county's total pins it.
 * Marks are only ever added, so every line stays protected. Returns the marks.
 */
export function auditCounty(fig: CountyFigures, initial: CountyMarks): CountyMarks {
  const rows = fig.rows.length;
  const cols = fig.cols.length;
  const locs = fig.locations.length;
  const marks: CountyMarks = {
    cells: initial.cells.map((r) => [...r]),
    rows: [...initial.rows],
    cols: [...initial.cols],
    locations: [...initial.locations],
  };
  const cellAt = (r: number, c: number) => fig.cells[r]?.[c];
  const nonEmpty = (x: SuppressionCell | undefined) => (x?.n ?? 0) > 0;
  const cellHidden = (r: number, c: number) => (marks.cells[r]?.[c] ?? null) !== null && nonEmpty(cellAt(r, c));
  const hideCell = (r: number, c: number) => {
    const row = marks.cells[r];
    if (row) row[c] = "complementary";
  };
  /** The visible non-empty index of `list` in the smallest size class (ties: the first), or null. */
  const pickSmallest = (list: ReadonlyArray<{ n: number; take: () => void }>) => {
    let best: { n: number; take: () => void } | null = null;
    for (const x of list) if (x.n > 0 && (best === null || sizeClass(x.n) < sizeClass(best.n))) best = x;
    return best;
  };

  // A hidden figure whose parts all show is their sum: hide a part of it (its smallest).
  const givePart = (e: { kind: "row"; r: number } | { kind: "col"; c: number } | { kind: "loc"; l: number }): void => {
    if (e.kind === "loc") {
      const inL = fig.rows.map((_, r) => r).filter((r) => fig.locationOfRow[r] === e.l && nonEmpty(fig.rows[r]));
      if (!inL.some((r) => marks.rows[r] !== null)) {
        pickSmallest(
          inL.map((r) => ({
            n: fig.rows[r]?.n ?? 0,
            take: () => {
              marks.rows[r] = "complementary";
            },
          })),
        )?.take();
      }
      for (const r of inL) if (marks.rows[r] !== null) givePart({ kind: "row", r });
      return;
    }
    if (e.kind === "row") {
      const cs = fig.cols.map((_, c) => c).filter((c) => nonEmpty(cellAt(e.r, c)));
      if (!cs.some((c) => cellHidden(e.r, c))) pickSmallest(cs.map((c) => ({ n: cellAt(e.r, c)?.n ?? 0, take: () => hideCell(e.r, c) })))?.take();
      return;
    }
    const rs = fig.rows.map((_, r) => r).filter((r) => nonEmpty(cellAt(r, e.c)));
    if (!rs.some((r) => cellHidden(r, e.c))) pickSmallest(rs.map((r) => ({ n: cellAt(r, e.c)?.n ?? 0, take: () => hideCell(r, e.c) })))?.take();
  };
  for (let l = 0; l < locs; l++) if (marks.locations[l] !== null && nonEmpty(fig.locations[l])) givePart({ kind: "loc", l });
  for (let r = 0; r < rows; r++) if (marks.rows[r] !== null && nonEmpty(fig.rows[r])) givePart({ kind: "row", r });
  for (let c = 0; c < cols; c++) if (marks.cols[c] !== null && nonEmpty(fig.cols[c])) givePart({ kind: "col", c });

  // Nodes: 0 = the county on the schools' side, 1 = on the groups' side (the county's total is
  // published, so each side balances on its own), then locations, schools, groups.
  const OR = 0;
  const OC = 1;
  const L = (l: number) => 2 + l;
  const R = (r: number) => 2 + locs + r;
  const C = (c: number) => 2 + locs + rows + c;
  const nodes = 2 + locs + rows + cols;
  type Element = { kind: "cell"; r: number; c: number } | { kind: "row"; r: number } | { kind: "col"; c: number } | { kind: "loc"; l: number };
  const elements: Element[] = [];
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) elements.push({ kind: "cell", r, c });
  for (let r = 0; r < rows; r++) elements.push({ kind: "row", r });
  for (let c = 0; c < cols; c++) elements.push({ kind: "col", c });
  for (let l = 0; l < locs; l++) elements.push({ kind: "loc", l });
  const own = (e: Element): SuppressionCell | undefined =>
    e.kind === "cell" ? cellAt(e.r, e.c) : e.kind === "row" ? fig.rows[e.r] : e.kind === "col" ? fig.cols[e.c] : fig.locations[e.l];
  const markOf = (e: Element): Suppression =>
    (e.kind === "cell" ? marks.cells[e.r]?.[e.c] : e.kind === "row" ? marks.rows[e.r] : e.kind === "col" ? marks.cols[e.c] : marks.locations[e.l]) ?? null;
  const ends = (e: Element): [number, number] => {
    if (e.kind === "cell") return [R(e.r), C(e.c)];
    if (e.kind === "row") {
      const l = fig.locationOfRow[e.r];
      return [l === null || l === undefined ? OR : L(l), R(e.r)];
    }
    if (e.kind === "col") return [C(e.c), OC];
    return [OR, L(e.l)];
  };
  /**
   * What of a hidden figure is unknown: a cell's satisfied count; a school's, the sum of its
   * hidden cells (its shown cells are known); a group's likewise; a location's, the sum of its
   * hidden schools' unknown parts. As flow above the lower bound, with its capacity.
   */
  const unknown = (e: Element): { flow: number; cap: number } => {
    const x = own(e)?.measures?.[0];
    if (e.kind === "cell") return x && nonEmpty(own(e)) ? { flow: x.value - x.lo, cap: x.hi - x.lo } : { flow: 0, cap: 0 };
    const parts: Array<{ flow: number; cap: number }> = [];
    if (e.kind === "row") for (let c = 0; c < cols; c++) if (cellHidden(e.r, c)) parts.push(unknown({ kind: "cell", r: e.r, c }));
    if (e.kind === "col") for (let r = 0; r < rows; r++) if (cellHidden(r, e.c)) parts.push(unknown({ kind: "cell", r, c: e.c }));
    if (e.kind === "loc") for (let r = 0; r < rows; r++) if (fig.locationOfRow[r] === e.l && marks.rows[r] !== null) parts.push(unknown({ kind: "row", r }));
    return { flow: parts.reduce((a, p) => a + p.flow, 0), cap: parts.reduce((a, p) => a + p.cap, 0) };
  };

  const build = (): Network => {
    const net: Network = { nodes, from: [], to: [], cap: [], flow: [], cellOf: [], edgeOf: new Map(), at: Array.from({ length: nodes }, () => []) };
    elements.forEach((e, i) => {
      if (markOf(e) === null || !nonEmpty(own(e))) return;
      const { flow, cap } = unknown(e);
      const [u, v] = ends(e);
      const id = net.from.length;
      net.from.push(u);
      net.to.push(v);
      net.cap.push(cap);
      net.flow.push(flow);
      net.cellOf.push(i);
      net.edgeOf.set(i, id);
      net.at[u]?.push(id);
      net.at[v]?.push(id);
    });
    return net;
  };
  const rank = { cell: 0, row: 1, loc: 2, col: 3 } as const;
  const hide = (chosen: Element): void => {
    if (chosen.kind === "cell") hideCell(chosen.r, chosen.c);
    else if (chosen.kind === "row") {
      marks.rows[chosen.r] = "complementary";
      givePart({ kind: "row", r: chosen.r });
    } else if (chosen.kind === "col") {
      marks.cols[chosen.c] = "complementary";
      givePart({ kind: "col", c: chosen.c });
    } else {
      marks.locations[chosen.l] = "complementary";
      givePart({ kind: "loc", l: chosen.l });
    }
  };
  /**
   * Reroutes `need` units from `source` to `sink` around element `skip` in the network of every
   * non-empty figure as if all were hidden (each carrying its whole value: the only published
   * figure left is the county's total), by augmenting paths of least price — a hidden figure
   * costs nothing, a shown one 4 + its rank (cells first, groups last) per unit. Returns the
   * shown figures whose value the reroute changes, or null when it cannot carry `need`.
   */
  const rerouteThroughAll = (skip: number, source: number, sink: number, need: number): Element[] | null => {
    const edges: Array<{ element: number; u: number; v: number; flow: number; cap: number; cost: number }> = [];
    elements.forEach((e, i) => {
      const x = own(e)?.measures?.[0];
      if (i === skip || !x || !nonEmpty(own(e))) return;
      const [u, v] = ends(e);
      edges.push({ element: i, u, v, flow: x.value - x.lo, cap: x.hi - x.lo, cost: markOf(e) !== null ? 0 : 4 + rank[e.kind] });
    });
    const start = edges.map((x) => x.flow);
    let pushed = 0;
    while (pushed < need) {
      // Cheapest augmenting path (Bellman–Ford; prices are never negative, either direction).
      const dist = new Array<number>(nodes).fill(Infinity);
      const via = new Array<{ edge: number; forward: boolean } | null>(nodes).fill(null);
      dist[source] = 0;
      for (let pass = 0; pass < nodes; pass++) {
        let relaxed = false;
        edges.forEach((x, id) => {
          if (x.flow < x.cap && (dist[x.u] ?? Infinity) + x.cost < (dist[x.v] ?? Infinity)) {
            dist[x.v] = (dist[x.u] ?? Infinity) + x.cost;
            via[x.v] = { edge: id, forward: true };
            relaxed = true;
          }
          if (x.flow > 0 && (dist[x.v] ?? Infinity) + x.cost < (dist[x.u] ?? Infinity)) {
            dist[x.u] = (dist[x.v] ?? Infinity) + x.cost;
            via[x.u] = { edge: id, forward: false };
            relaxed = true;
          }
        });
        if (!relaxed) break;
      }
      if (dist[sink] === Infinity) return null;
      let push = need - pushed;
      for (let w = sink; w !== source; ) {
        const step = via[w];
        const x = step ? edges[step.edge] : undefined;
        if (!step || !x) return null;
        push = Math.min(push, step.forward ? x.cap - x.flow : x.flow);
        w = step.forward ? x.u : x.v;
      }
      for (let w = sink; w !== source; ) {
        const step = via[w];
        const x = step ? edges[step.edge] : undefined;
        if (!step || !x) return null;
        x.flow += step.forward ? push : -push;
        w = step.forward ? x.u : x.v;
      }
      pushed += push;
    }
    return edges.flatMap((x, id) => {
      const e = elements[x.element];
      return e && markOf(e) === null && x.flow !== start[id] ? [e] : [];
    });
  };
  // Small figures nothing can open (the published county total itself pins them).
  const givenUp = new Set<number>();
  for (let round = 0; round <= 2 * elements.length; round++) {
    const net = build();
    let pinned: { reachable: boolean[]; element: number; source: number; sink: number; need: number } | null = null;
    for (let id = 0; id < net.from.length && !pinned; id++) {
      const element = net.cellOf[id] ?? 0;
      const e = elements[element];
      if (!e || markOf(e) !== "primary" || givenUp.has(element)) continue;
      // A small figure's own range: 0 … its size, all of it unknown (its parts are all small too).
      const u = net.from[id] ?? 0;
      const v = net.to[id] ?? 0;
      const down = reroute(net, u, v, net.flow[id] ?? 0, id);
      if (!down.ok) {
        pinned = { reachable: down.reachable, element, source: u, sink: v, need: net.flow[id] ?? 0 };
        break;
      }
      const up = reroute(net, v, u, (net.cap[id] ?? 0) - (net.flow[id] ?? 0), id);
      if (!up.ok) pinned = { reachable: up.reachable, element, source: v, sink: u, need: (net.cap[id] ?? 0) - (net.flow[id] ?? 0) };
    }
    if (!pinned) break;
    // Hide a shown figure that lets the reroute reach further: one end reachable, the other
    // not, and room to carry flow out of the reachable end (smallest size class first).
    const seen = pinned.reachable;
    // Preference: a cell, then a school's figure, a location's, and last a group's (the
    // groups' figures are 表Ⅵ's own breakdown).
    let best: { e: Element; n: number; rank: number } | null = null;
    for (const e of elements) {
      if (markOf(e) !== null || !nonEmpty(own(e))) continue;
      // What it could carry once hidden (a hidden figure gets a hidden part, below).
      const x = own(e)?.measures?.[0];
      if (!x) continue;
      const flow = x.value - x.lo;
      const cap = x.hi - x.lo;
      const [u, v] = ends(e);
      const helpful = (seen[u] === true && seen[v] !== true && cap - flow > 0) || (seen[v] === true && seen[u] !== true && flow > 0);
      if (!helpful) continue;
      const n = own(e)?.n ?? 0;
      const r = rank[e.kind];
      if (best === null || r < best.rank || (r === best.rank && sizeClass(n) < sizeClass(best.n))) best = { e, n, rank: r };
    }
    if (best !== null) {
      hide(best.e);
      continue;
    }
    // No single shown figure extends the reroute: opening the small figure needs several
    // hidden together (e.g. both groups' figures and a school's, where the groups' side of the
    // county must still balance). Reroute as if every figure were hidden — each shown one at a
    // price, so hidden ones are used first — and hide every shown figure that reroute changes.
    // The figures it changes, once hidden, carry that same reroute in the real network, so the
    // next round finds this small figure open in this direction. If even that cannot carry it,
    // the county's total alone pins the figure: nothing can open it.
    const changed = rerouteThroughAll(pinned.element, pinned.source, pinned.sink, pinned.need);
    if (changed === null || changed.length === 0) {
      givenUp.add(pinned.element);
      continue;
    }
    for (const e of changed) hide(e);
  }
  return marks;
}
