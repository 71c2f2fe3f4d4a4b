/**
 * Release in blocks (分批公布; decision 0015): while a campaign's collection is open, every
 * published satisfaction figure counts, per cell (school × group × questionnaire × location ×
 * grade — one row of the console's tallies), only the cell's first ⌊n/5⌋·5 questionnaires in
 * arrival (id) order. A cell's figures therefore move only when 5 more questionnaires have
 * arrived in it, and then by the 5 together: two downloads one response apart show the same
 * figures, or figures that differ by a whole block of 5 — never by one respondent. Totals (a
 * school, a group, the county) are sums of released blocks, so they move in the same steps.
 *
 * Validity is left aside in a released block (a reviewer's 无效 does not move an open
 * campaign's figures: that would be a one-response step); when the collection closes, the
 * figures are all accepted questionnaires, with the reviews applied.
 *
 * db/repositories/console-tallies.ts keeps the blocks in the tallies at fold time (SQL); this
 * module is the rule itself and the reference the tests hold the SQL to. Pure.
 */

/** Questionnaires per released block (the same 5 as the small-cell threshold, 小样本隐藏). */
export const RELEASE_BLOCK = 5;

/**
 * How many of a cell's `n` questionnaires are released: ⌊n / 5⌋ · 5 (0 for n < 5; 10 for
 * n = 12). `n` is a count (an integer ≥ 0); anything else is a programming error.
 */
export function releasedCount(n: number): number {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`questionnaire count must be a non-negative integer, got ${String(n)}`);
  return Math.floor(n / RELEASE_BLOCK) * RELEASE_BLOCK;
}

/**
 * The released questionnaires among `rows`: per cell (`cell`), the first `releasedCount(n)` by
 * `id`. Order of `rows` does not matter; the result is in id order.
 */
export function releasedRows<T extends { cell: string; id: number }>(rows: readonly T[]): T[] {
  const byCell = new Map<string, T[]>();
  for (const r of rows) {
    const list = byCell.get(r.cell);
    if (list) list.push(r);
    else byCell.set(r.cell, [r]);
  }
  const out: T[] = [];
  for (const list of byCell.values()) {
    list.sort((a, b) => a.id - b.id);
    out.push(...list.slice(0, releasedCount(list.length)));
  }
  return out.sort((a, b) => a.id - b.id);
}

/** Received questionnaires not yet in a released block: Σ over cells of n − ⌊n/5⌋·5 (each 0…4). */
export function pendingCount(cellSizes: Iterable<number>): number {
  let pending = 0;
  for (const n of cellSizes) pending += n - releasedCount(n);
  return pending;
}
