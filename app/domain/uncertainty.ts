/**
 * The uncertainty printed beside a satisfaction rate, the same on the console's pages and in its
 * workbooks (issue 20 item 4): the ± margin of the normal approximation, in percentage points,
 * for 30 questionnaires or more; below that, or at 0% or 100% where the margin would read ±0,
 * the 95% Wilson interval. Display only: no decision is taken on it.
 */
import { formatFixed } from "./evaluation/display";

/** Questionnaires from which the ± margin is printed instead of the interval. */
export const MARGIN_MIN_N = 30;

export interface Uncertain {
  n: number | null;
  rate: number | null;
  marginOfError: number | null;
  interval: { low: number; high: number } | null;
}

/** "±2.86", "61.5%–95.4%", or "—" when there is nothing to say. */
export function uncertaintyText(r: Uncertain): string {
  if (r.rate === null) return "—";
  if ((r.n ?? 0) >= MARGIN_MIN_N && r.rate > 0 && r.rate < 1) {
    return r.marginOfError === null || !Number.isFinite(r.marginOfError) ? "—" : `±${formatFixed(r.marginOfError * 100, 2)}`;
  }
  return r.interval ? `${formatFixed(r.interval.low * 100, 1)}%–${formatFixed(r.interval.high * 100, 1)}%` : "—";
}
