/**
 * Display rounding and borderline flags (spec: "Compute and compare with full precision; round
 * only for display (county means 2 decimals, 差异系数 3 decimals, as the national 申报表 does),
 * and flag a figure as borderline when its rounded display would decide differently from the
 * full value (a CV of 0.5004 shows as 0.500)").
 *
 * Every decision in the engine is taken on the full-precision value; these helpers only say how
 * the figure would *look* in a report and whether that look would mislead a reader.
 *
 * The engine's flags use the exact versions (`exactBorderlineFlag`, `cvBorderlineFlag`): the
 * decision and the rounding are both taken on the exact value (decision record 0007). The
 * float helpers remain for display code that only has a double.
 */
import {
  compareExact,
  formatDeciding,
  formatExact,
  formatSqrt,
  formatSqrtDeciding,
  plainExact,
  roundExact,
  roundSqrtScaled,
  sqrtCompare,
  sqrtToNumber,
  toNumber,
  type Rational,
} from "./exact";

/**
 * Rounds half away from zero to `decimals` places, on the number's shortest decimal
 * representation (so 1.005 → 1.01 and 0.0005 → 0.001, which `Math.round(x * 1000) / 1000`
 * gets wrong because 1.005 is stored as 1.00499999…). This is how a person rounding the printed
 * figure by hand, or Excel's ROUND, would do it.
 *
 * Edge cases: non-finite input is returned unchanged; −0 becomes 0.
 */
export function roundHalfUp(value: number, decimals: number): number {
  if (!Number.isFinite(value)) return value;
  if (value === 0) return 0;
  const negative = value < 0;
  const [digits, exponent] = toDigits(Math.abs(value));
  // value = 0.digits × 10^exponent; keep (exponent + decimals) digits.
  const keep = exponent + decimals;
  if (keep < 0) return 0;
  if (keep >= digits.length) return value;
  const kept = digits.slice(0, keep);
  const next = digits.charCodeAt(keep) - 48;
  let scaled = kept === "" ? 0n : BigInt(kept);
  if (next >= 5) scaled += 1n;
  const rounded = Number(`${scaled.toString()}e-${decimals}`);
  return negative ? -rounded : rounded === 0 ? 0 : rounded;
}

/** Formats with exactly `decimals` places after half-up rounding (e.g. 0.5004 → "0.500"). */
export function formatFixed(value: number, decimals: number): string {
  return roundHalfUp(value, decimals).toFixed(decimals);
}

/** Shortest round-trip decimal digits of a positive finite number: value = 0.d₁d₂… × 10^exp. */
function toDigits(positive: number): [string, number] {
  const text = positive.toExponential(); // shortest round-trip, e.g. "1.005e+0"
  const [mantissa = "0", exp = "0"] = text.split("e");
  const digits = mantissa.replace(".", "");
  return [digits, Number(exp) + 1];
}

export type { Comparison } from "./exact";
import type { Comparison } from "./exact";

export function compare(value: number, comparison: Comparison, threshold: number): boolean {
  switch (comparison) {
    case ">=":
      return value >= threshold;
    case "<=":
      return value <= threshold;
    case "<":
      return value < threshold;
    case ">":
      return value > threshold;
  }
}

/**
 * Whether the figure shown with `decimals` places would decide differently from the full value:
 * `compare(roundHalfUp(value), …) !== compare(value, …)`. Example: CV 0.5004 against "≤ 0.50"
 * fails, but its display 0.500 would pass → borderline. A value exactly on the threshold is
 * not borderline (both decide the same).
 */
export function isBorderline(value: number, decimals: number, comparison: Comparison, threshold: number): boolean {
  return compare(roundHalfUp(value, decimals), comparison, threshold) !== compare(value, comparison, threshold);
}

/** A figure whose rounded display would decide differently from its full value. */
export interface BorderlineFlag {
  /** What the figure is, e.g. "L4 小学 差异系数" or "沙坡头区第一小学 L1". */
  subject: string;
  /** Stable code of the rule: L1–L7, G1–G15, Q1–Q9, SAT. */
  code: string;
  value: number;
  displayed: string;
  threshold: number;
  comparison: Comparison;
  /** The decision taken on the full value. */
  passes: boolean;
  /** Chinese explanation for the report. */
  note: string;
}

/**
 * Builds a borderline flag when `isBorderline` holds, else `null`.
 * `note` reads e.g. "L4 小学 差异系数 = 0.5004，显示为 0.500，但按全精度不达标（≤ 0.5）".
 */
export function borderlineFlag(
  subject: string,
  code: string,
  value: number,
  decimals: number,
  comparison: Comparison,
  threshold: number,
): BorderlineFlag | null {
  if (!isBorderline(value, decimals, comparison, threshold)) return null;
  const passes = compare(value, comparison, threshold);
  const displayed = formatFixed(value, decimals);
  return {
    subject,
    code,
    value,
    displayed,
    threshold,
    comparison,
    passes,
    note: `${subject} = ${String(value)}，显示为 ${displayed}，但按全精度${passes ? "达标" : "不达标"}（${comparison === ">=" ? "≥" : comparison === "<=" ? "≤" : comparison} ${String(threshold)}）`,
  };
}

/**
 * `borderlineFlag` on exact values (decision record 0007): the full-precision decision is the
 * exact comparison, the display is the exact half-up rounding to `decimals` places, and a flag is
 * raised when they disagree. A value exactly on its threshold is never borderline.
 */
export function exactBorderlineFlag(
  subject: string,
  code: string,
  value: Rational,
  decimals: number,
  comparison: Comparison,
  threshold: Rational,
): BorderlineFlag | null {
  const passes = compareExact(value, comparison, threshold);
  const shownPasses = compareExact(roundExact(value, decimals), comparison, threshold);
  if (passes === shownPasses) return null;
  return flagOf(
    subject,
    code,
    toNumber(value),
    formatExact(value, decimals),
    formatDeciding(value, decimals, comparison, threshold),
    comparison,
    threshold,
    passes,
  );
}

/**
 * The same for a 差异系数 given as its exact square CV² against a limit L (CV ≤ L ⇔ CV² ≤ L²;
 * the display is √CV² rounded half-up, exactly).
 */
export function cvBorderlineFlag(subject: string, code: string, cvSquared: Rational, decimals: number, limit: Rational): BorderlineFlag | null {
  const passes = sqrtCompare(cvSquared, "<=", limit);
  const shown: Rational = { n: roundSqrtScaled(cvSquared, decimals), d: 10n ** BigInt(decimals) };
  if (passes === compareExact(shown, "<=", limit)) return null;
  return flagOf(
    subject,
    code,
    sqrtToNumber(cvSquared),
    formatSqrt(cvSquared, decimals),
    formatSqrtDeciding(cvSquared, decimals, "<=", limit),
    "<=",
    limit,
    passes,
  );
}

function flagOf(
  subject: string,
  code: string,
  value: number,
  displayed: string,
  full: string,
  comparison: Comparison,
  threshold: Rational,
  passes: boolean,
): BorderlineFlag {
  const sign = comparison === ">=" ? "≥" : comparison === "<=" ? "≤" : comparison;
  return {
    subject,
    code,
    value,
    displayed,
    threshold: toNumber(threshold),
    comparison,
    passes,
    note: `${subject} = ${full}，显示为 ${displayed}，但按全精度${passes ? "达标" : "不达标"}（${sign} ${plainExact(threshold)}）`,
  };
}

/** A figure as a report shows it: rounded to its decimals, more of them only where they decide. */
export interface ShownFigure {
  /** The value rounded half-up to `decimals`: what a reader copying the cell gets. */
  value: number;
  decimals: number;
  /** More decimals than asked were needed, because the usual rounding would decide differently. */
  borderline: boolean;
}

/**
 * `value` rounded as displayed (issue 20 item 4): to `decimals` places, unless that rounding would
 * land on the other side of one of `lines` (e.g. a CV of 0.4504 against "≤ 0.45" showing 0.450),
 * in which case the fewest further places that decide as the full value does (up to 12), marked
 * `borderline` so the cell can say why it carries more digits.
 */
export function shownFigure(value: number, decimals: number, lines: ReadonlyArray<{ comparison: Comparison; threshold: number }> = []): ShownFigure {
  for (let k = decimals; k <= 12; k += 1) {
    if (lines.every((l) => !isBorderline(value, k, l.comparison, l.threshold))) return { value: roundHalfUp(value, k), decimals: k, borderline: k > decimals };
  }
  return { value, decimals: 12, borderline: true };
}
