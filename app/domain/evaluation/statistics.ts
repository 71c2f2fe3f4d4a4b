/**
 * 差异系数 (coefficient of variation), student-weighted, population form (spec §1):
 *
 *     X̄  = Σ (Pᵢ/P)·Xᵢ                 (= county total ÷ county students)
 *     S  = √( Σ (Pᵢ/P)·(Xᵢ − X̄)² )
 *     CV = S / X̄
 *
 * Pᵢ = a unit's students, P = ΣPᵢ, Xᵢ = its value. No n − 1: the unweighted CV and the sample
 * (n − 1) form give materially different numbers and are wrong for this evaluation.
 */

import { cvSquared, cvSums, exactMean, sqrtToNumber, toNumber, type ExactPoint, type Rational } from "./exact";

export interface WeightedValue {
  /** Pᵢ: students of the unit (weight), > 0. */
  students: number;
  /** Xᵢ: the unit's indicator value, ≥ 0. */
  value: number;
}

export interface WeightedDispersion {
  /** Number of units. */
  n: number;
  /** P = ΣPᵢ (students). */
  students: number;
  /** X̄, the student-weighted mean; `null` when there are no units. */
  mean: number | null;
  /** S, the weighted population standard deviation; `null` when there are no units. */
  sd: number | null;
  /**
   * CV = S / X̄. Degenerate cases, never NaN:
   * - no units → `null` (`reason: "no_units"`);
   * - all values identical (including exactly one unit) → exactly 0;
   * - X̄ = 0 with values ≥ 0 means every value is 0: the ratio is undefined → `null`
   *   (`reason: "zero_mean"`).
   */
  cv: number | null;
  reason: "ok" | "no_units" | "zero_mean";
}

/**
 * Student-weighted mean, population standard deviation and 差异系数 of `units`.
 * Units with zero students carry no weight and are ignored (they never become units, see
 * ./units.ts). See `WeightedDispersion.cv` for the degenerate cases.
 */
export function weightedDispersion(units: readonly WeightedValue[]): WeightedDispersion {
  const weighted = units.filter((u) => u.students > 0);
  const n = weighted.length;
  let students = 0;
  let total = 0;
  for (const u of weighted) {
    students += u.students;
    total += u.students * u.value;
  }
  if (n === 0) return { n, students, mean: null, sd: null, cv: null, reason: "no_units" };
  const first = weighted[0]?.value;
  const allEqual = weighted.every((u) => u.value === first);
  const mean = allEqual && first !== undefined ? first : total / students;
  let sumSq = 0;
  if (!allEqual) {
    for (const u of weighted) {
      const d = u.value - mean;
      sumSq += u.students * d * d;
    }
  }
  const sd = Math.sqrt(sumSq / students);
  if (mean === 0) return { n, students, mean, sd, cv: null, reason: "zero_mean" };
  return { n, students, mean, sd, cv: allEqual ? 0 : sd / mean, reason: "ok" };
}

/** Plain mean of the non-null values; `null` when there are none (the 差异系数 综合 column). */
export function meanOfPresent(values: readonly (number | null)[]): number | null {
  const present = values.filter((v): v is number => v !== null);
  if (present.length === 0) return null;
  return present.reduce((a, b) => a + b, 0) / present.length;
}

/**
 * The 差异系数 of `weightedDispersion`, decided exactly (decision record 0007): from the units'
 * exact values Xᵢ (rationals), with P = ΣPᵢ, S₁ = ΣPᵢXᵢ, S₂ = ΣPᵢXᵢ²,
 *
 *     X̄ = S₁ / P,   CV² = (P·S₂ − S₁²) / S₁²,
 *
 * and CV ≤ L is decided as CV² ≤ L² on those exact sums. `mean`, `sd` and `cv` are the doubles
 * nearest to the exact values, for display. Degenerate cases as `weightedDispersion`: no units →
 * `no_units`; X̄ = 0 → `zero_mean` (cv `null`); all values equal (one unit included) → CV = 0.
 */
export interface ExactDispersion extends WeightedDispersion {
  /** CV² exactly; `null` when the CV is undefined. */
  cvSquared: Rational | null;
  /** X̄ exactly; `null` when there are no units. */
  exactMean: Rational | null;
}

export function exactDispersion(units: readonly ExactPoint[]): ExactDispersion {
  const weighted = units.filter((u) => u.students > 0);
  const n = weighted.length;
  const students = weighted.reduce((a, u) => a + u.students, 0);
  if (n === 0) return { n, students, mean: null, sd: null, cv: null, reason: "no_units", cvSquared: null, exactMean: null };
  const sums = cvSums(weighted);
  const m = exactMean(sums);
  const variance: Rational = { n: sums.students * sums.s2 - sums.s1 * sums.s1, d: (sums.students * sums.denominator) ** 2n };
  const sd = Math.sqrt(toNumber(variance));
  const mean = m === null ? null : toNumber(m);
  const square = cvSquared(sums);
  if (square === null) return { n, students, mean, sd, cv: null, reason: "zero_mean", cvSquared: null, exactMean: m };
  return { n, students, mean, sd, cv: sqrtToNumber(square), reason: "ok", cvSquared: square, exactMean: m };
}
