/** The county's figures audited together (decision record 0011, rule 4; see ./index.ts). */
import type { Suppression, SuppressionCell } from "./cells";
import { reroute, type Network } from "./flow";
import { sizeClass } from "./lines";

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
      for (let w = sink; w !== source;) {
        const step = via[w];
        const x = step ? edges[step.edge] : undefined;
        if (!step || !x) return null;
        push = Math.min(push, step.forward ? x.cap - x.flow : x.flow);
        w = step.forward ? x.u : x.v;
      }
      for (let w = sink; w !== source;) {
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
