/**
 * How the console prints figures: percentages with 2 decimals (as the 申报表 does), margins as
 * "±2.86", counts with thousands separators, times in Beijing time. Rounding only for display;
 * the decisions are taken on full precision by the engine.
 */
import { formatFixed } from "../../domain/evaluation/display";

/** 0.8621 → "86.21%"; null → "—". */
export function pct(rate: number | null | undefined, decimals = 2): string {
  if (rate === null || rate === undefined || !Number.isFinite(rate)) return "—";
  return `${formatFixed(rate * 100, decimals)}%`;
}

/** A margin of error (0–1) as percentage points: 0.0286 → "±2.86". */
export function moe(margin: number | null | undefined): string {
  if (margin === null || margin === undefined || !Number.isFinite(margin)) return "—";
  return `±${formatFixed(margin * 100, 2)}`;
}

export function count(n: number | null | undefined): string {
  if (n === null || n === undefined) return "—";
  return n.toLocaleString("zh-CN");
}

export function fixed(x: number | null | undefined, decimals: number): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return "—";
  return formatFixed(x, decimals);
}

const DATE_TIME = new Intl.DateTimeFormat("zh-CN", {
  timeZone: "Asia/Shanghai",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  hour12: false,
});

export function beijingTime(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return "—";
  return DATE_TIME.format(new Date(ms));
}
