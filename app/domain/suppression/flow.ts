/**
 * The exact audit's tool (decision record 0011, rule 3): a table's hidden cells as a flow network,
 * and whether a hidden value can be rerouted to its bounds through the other hidden cells.
 */
import type { Suppression, SuppressionCell } from "./cells";

/**
 * The hidden cells of a table for one measure, as a flow network: rows and columns are nodes,
 * each hidden non-empty cell an edge row → column carrying its value above its lower bound
 * (0 … hi − lo). Row and column totals are fixed, so any other assignment the published
 * figures allow differs from the true one by circulations along these edges.
 */
export interface Network {
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

export function addEdge(net: Network, cells: readonly SuppressionCell[], rows: number, cols: number, m: number, i: number): void {
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
  const net: Network = {
    nodes: rows + cols,
    from: [],
    to: [],
    cap: [],
    flow: [],
    cellOf: [],
    edgeOf: new Map(),
    at: Array.from({ length: rows + cols }, () => []),
  };
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
export function reroute(net: Network, source: number, sink: number, need: number, skip: number): { ok: boolean; reachable: boolean[] } {
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
    for (let v = sink; v !== source;) {
      const e = prevEdge[v] ?? 0;
      const f = flow[e] ?? 0;
      push = Math.min(push, prevDir[v] === 1 ? (net.cap[e] ?? 0) - f : f);
      v = prevDir[v] === 1 ? (net.from[e] ?? 0) : (net.to[e] ?? 0);
    }
    for (let v = sink; v !== source;) {
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
export function pinnedIn(net: Network, index: number): { low: boolean } | null {
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
export function exposedCells(nets: readonly Network[], marks: readonly Suppression[]): Array<{ index: number; measure: number; low: boolean }> {
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

export function measureNetworks(cells: readonly SuppressionCell[], marks: readonly Suppression[], rows: number, cols: number): Network[] {
  const measures = Math.max(0, ...cells.map((c) => c.measures?.length ?? 0));
  return Array.from({ length: measures }, (_, m) => network(cells, marks, rows, cols, m));
}
