/**
 * Exact arithmetic for every threshold of the evaluation (decision record 0007).
 *
 * Every figure the rules compare — a unit's indicator value, a 差异系数, a rate, a share, a
 * money amount, a sample size — is decided on an exact rational number built from the inputs
 * *as written*: a decimal input such as 214.2 m², 0.6 万元 or a setting of 0.85 is read as the
 * decimal it was typed as (its shortest round-trip representation, 214.2 = 2142/10), never as
 * the binary double closest to it. Sums, products and quotients are then exact fractions of
 * BigInts, comparisons are cross-multiplications, and a 差异系数 is compared through its square
 * (CV ≤ L ⇔ CV² ≤ L², both sides exact). Floating-point numbers remain only for display, and
 * even those are the double nearest to the exact value (3.825, not 3.8249999999999997).
 *
 * Nothing here rounds except the functions whose name says so; none of them is used to decide.
 */

/** An exact rational n ÷ d with d > 0 (not necessarily in lowest terms). */
export interface Rational {
  readonly n: bigint;
  readonly d: bigint;
}

const ZERO: Rational = { n: 0n, d: 1n };
const MAX_EXACT = 2n ** 53n;
const ONE: Rational = { n: 1n, d: 1n };
export const RATIONAL_ZERO = ZERO;
export const RATIONAL_ONE = ONE;

function absBig(x: bigint): bigint {
  return x < 0n ? -x : x;
}

/** Greatest common divisor (Euclid); gcd(0, 0) = 0. Cheap when either argument is small. */
export function gcd(a: bigint, b: bigint): bigint {
  let x = absBig(a);
  let y = absBig(b);
  // Put the smaller one second so the first step reduces the large one at once.
  if (x < y) [x, y] = [y, x];
  while (y !== 0n) [x, y] = [y, x % y];
  return x;
}

/** Lowest terms (d > 0). */
export function reduce(r: Rational): Rational {
  if (r.n === 0n) return ZERO;
  const g = gcd(r.n, r.d);
  return g === 1n ? r : { n: r.n / g, d: r.d / g };
}

/** An integer (a safe JS integer or a BigInt) as a rational. */
export function int(x: number | bigint): Rational {
  if (typeof x === "bigint") return { n: x, d: 1n };
  if (!Number.isSafeInteger(x)) throw new RangeError(`not a safe integer: ${String(x)}`);
  return { n: BigInt(x), d: 1n };
}

/**
 * The decimal a finite number was written as: its shortest round-trip representation, exactly
 * (0.6 → 6/10, 214.2 → 2142/10, 1.1 → 11/10, 1e-7 → 1/10⁷). This is the one place where a binary
 * double becomes exact: a figure typed into a spreadsheet or a JSON file as 0.6 *is* 0.6.
 */
export function dec(x: number): Rational {
  if (!Number.isFinite(x)) throw new RangeError(`not a finite number: ${String(x)}`);
  if (x === 0) return ZERO;
  if (Number.isSafeInteger(x)) return { n: BigInt(x), d: 1n };
  const cached = DECIMALS.get(x);
  if (cached) return cached;
  const r = parseDecimal(x);
  // A pure function of x: remember the settings and typed figures met again and again.
  if (DECIMALS.size >= 100_000) DECIMALS.clear();
  DECIMALS.set(x, r);
  return r;
}

const DECIMALS = new Map<number, Rational>();

function parseDecimal(x: number): Rational {
  const text = x.toExponential(); // shortest round-trip digits, e.g. "-2.142e+2"
  const [mantissa = "0", exp = "0"] = text.split("e");
  const negative = mantissa.startsWith("-");
  const digits = mantissa.replace("-", "").replace(".", "");
  // value = digits × 10^(exp − (digits.length − 1))
  const shift = Number(exp) - (digits.length - 1);
  let n = BigInt(digits);
  let d = 1n;
  if (shift >= 0) n *= 10n ** BigInt(shift);
  else d = 10n ** BigInt(-shift);
  return reduce({ n: negative ? -n : n, d });
}

/** `dec` for a value that may be missing. */
export function decOrNull(x: number | null | undefined): Rational | null {
  return x === null || x === undefined ? null : dec(x);
}

export function add(a: Rational, b: Rational): Rational {
  if (a.d === b.d) return { n: a.n + b.n, d: a.d };
  if (a.d % b.d === 0n) return { n: a.n + b.n * (a.d / b.d), d: a.d };
  if (b.d % a.d === 0n) return { n: a.n * (b.d / a.d) + b.n, d: b.d };
  return reduce({ n: a.n * b.d + b.n * a.d, d: a.d * b.d });
}

export function sub(a: Rational, b: Rational): Rational {
  return add(a, { n: -b.n, d: b.d });
}

export function mul(a: Rational, b: Rational): Rational {
  return reduce({ n: a.n * b.n, d: a.d * b.d });
}

/** a ÷ b; b ≠ 0. */
export function div(a: Rational, b: Rational): Rational {
  if (b.n === 0n) throw new RangeError("division by zero");
  const sign = b.n < 0n ? -1n : 1n;
  return reduce({ n: a.n * b.d * sign, d: a.d * absBig(b.n) });
}

export function sum(values: readonly Rational[]): Rational {
  return values.reduce(add, ZERO);
}

/** −1, 0 or 1 as a <, =, > b (by cross-multiplication; denominators are positive). */
export function cmp(a: Rational, b: Rational): -1 | 0 | 1 {
  const l = a.n * b.d;
  const r = b.n * a.d;
  return l < r ? -1 : l > r ? 1 : 0;
}

export const ge = (a: Rational, b: Rational): boolean => cmp(a, b) >= 0;
export const le = (a: Rational, b: Rational): boolean => cmp(a, b) <= 0;
export const lt = (a: Rational, b: Rational): boolean => cmp(a, b) < 0;
export const gt = (a: Rational, b: Rational): boolean => cmp(a, b) > 0;
export const eq = (a: Rational, b: Rational): boolean => cmp(a, b) === 0;
export const isZero = (a: Rational): boolean => a.n === 0n;

/** How a figure is compared with its threshold ("以上/不低于" ≥, "不超过" ≤, "低于" <). */
export type Comparison = ">=" | "<=" | "<" | ">";

export function compareExact(value: Rational, comparison: Comparison, threshold: Rational): boolean {
  const c = cmp(value, threshold);
  switch (comparison) {
    case ">=":
      return c >= 0;
    case "<=":
      return c <= 0;
    case "<":
      return c < 0;
    case ">":
      return c > 0;
  }
}

/** ⌊a ÷ b⌋ for integers, b > 0 (BigInt division truncates towards zero). */
function floorDivBig(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a < 0n ? q - 1n : q;
}

export function floorOf(r: Rational): bigint {
  return floorDivBig(r.n, r.d);
}

export function ceilOf(r: Rational): bigint {
  return -floorDivBig(-r.n, r.d);
}

/** ⌈r⌉ as a JS number (for counts: persons, rooms, questionnaires). */
export function ceilToNumber(r: Rational): number {
  return Number(ceilOf(r));
}

/**
 * The double nearest to r (for display and for the JSON output): 3/10 → 0.3, 2142/560 → 3.825.
 * Computed from 20 significant decimal digits of r, so it is the correctly rounded double
 * except in ties far beyond any figure of this evaluation.
 */
export function toNumber(r: Rational): number {
  if (r.n === 0n) return 0;
  // Both exactly representable: one IEEE division is correctly rounded.
  if (r.d <= MAX_EXACT && r.n <= MAX_EXACT && r.n >= -MAX_EXACT) return Number(r.n) / Number(r.d);
  const negative = r.n < 0n;
  const n = absBig(r.n);
  // Scale so the integer quotient has at least 20 digits.
  const nDigits = n.toString().length;
  const dDigits = r.d.toString().length;
  const s = Math.max(0, 21 - (nDigits - dDigits));
  const q = (n * 10n ** BigInt(s)) / r.d;
  const value = Number(`${q.toString()}e-${String(s)}`);
  return negative ? -value : value;
}

/**
 * Round half away from zero to `decimals` places, exactly: the integer m with
 * r × 10^decimals rounded, returned as m (scaled). 0.0005 → 1 at 3 decimals; 1.005 → 101 at 2.
 */
export function roundScaled(r: Rational, decimals: number): bigint {
  const f = 10n ** BigInt(decimals);
  const negative = r.n < 0n;
  const n = absBig(r.n);
  // ⌊(2·n·f + d) ÷ 2d⌋ = ⌊n·f/d + 1/2⌋
  const m = (2n * n * f + r.d) / (2n * r.d);
  return negative ? -m : m;
}

/** Writes a scaled integer m with `decimals` places: (12345, 3) → "12.345", (-5, 2) → "-0.05". */
export function scaledToString(m: bigint, decimals: number): string {
  const negative = m < 0n;
  const digits = absBig(m)
    .toString()
    .padStart(decimals + 1, "0");
  const head = digits.slice(0, digits.length - decimals);
  const tail = digits.slice(digits.length - decimals);
  const text = decimals > 0 ? `${head}.${tail}` : head;
  return negative && m !== 0n ? `-${text}` : text;
}

/** r rounded half-up to `decimals` places as text with exactly that many places. */
export function formatExact(r: Rational, decimals: number): string {
  return scaledToString(roundScaled(r, decimals), decimals);
}

/** r rounded half-up to `decimals` places, as an exact rational. */
export function roundExact(r: Rational, decimals: number): Rational {
  return { n: roundScaled(r, decimals), d: 10n ** BigInt(decimals) };
}

/**
 * Shortest text for an exact value: the decimal itself when it terminates within 12 places
 * (3.825, 0.5, 9711.6), else rounded to 12 places with trailing zeros dropped. For thresholds
 * and echoed settings in Chinese reasons.
 */
export function plainExact(r: Rational): string {
  const text = formatExact(r, 12);
  return text.includes(".") ? text.replace(/0+$/, "").replace(/\.$/, "") : text;
}

/**
 * A figure that sits on a decision written with `decimals` places, but decided exactly: the
 * text has at least `decimals` places and as many more (up to `maxDecimals`) as it takes for the
 * printed number to decide the way the exact value does. So a CV of 0.5004 against "≤ 0.5"
 * reads 0.5004 (not "0.500，超过 0.5"), and a share of 4.9999% against "≥ 5%" reads 4.9999%.
 */
export function formatDeciding(value: Rational, decimals: number, comparison: Comparison, threshold: Rational, maxDecimals = 12): string {
  const exact = compareExact(value, comparison, threshold);
  for (let k = decimals; k <= maxDecimals; k += 1) {
    if (compareExact(roundExact(value, k), comparison, threshold) === exact) return formatExact(value, k);
  }
  return formatExact(value, maxDecimals);
}

// ---------------------------------------------------------------------------------------------
// 差异系数 (coefficient of variation), exactly.

/** One unit of a 差异系数: Pᵢ students (integer, > 0) and its exact value Xᵢ. */
export interface ExactPoint {
  students: number;
  value: Rational;
}

/**
 * The exact sums of a student-weighted 差异系数 over a common denominator D of the values:
 * with yᵢ = Xᵢ·D (integers), P = ΣPᵢ, S₁ = ΣPᵢyᵢ, S₂ = ΣPᵢyᵢ²,
 *
 *     X̄ = S₁ ÷ (P·D),   S² = (P·S₂ − S₁²) ÷ (P·D)²,   CV² = (P·S₂ − S₁²) ÷ S₁².
 *
 * D is the least common multiple of the values' denominators (built with a gcd whose one
 * argument is always small, so it stays cheap for hundreds of units).
 */
export interface ExactCvSums {
  students: bigint;
  denominator: bigint;
  s1: bigint;
  s2: bigint;
}

export function cvSums(points: readonly ExactPoint[]): ExactCvSums {
  let D = 1n;
  const reduced = points.map((p) => ({ students: BigInt(p.students), value: reduce(p.value) }));
  for (const p of reduced) {
    const g = gcd(D % p.value.d, p.value.d);
    D = (D / g) * p.value.d;
  }
  let P = 0n;
  let s1 = 0n;
  let s2 = 0n;
  for (const p of reduced) {
    const y = p.value.n * (D / p.value.d);
    P += p.students;
    s1 += p.students * y;
    s2 += p.students * y * y;
  }
  return { students: P, denominator: D, s1, s2 };
}

/** CV² exactly, or `null` when the mean is 0 (S₁ = 0) or there are no students. */
export function cvSquared(sums: ExactCvSums): Rational | null {
  if (sums.students === 0n || sums.s1 === 0n) return null;
  return reduce({ n: sums.students * sums.s2 - sums.s1 * sums.s1, d: sums.s1 * sums.s1 });
}

/** The student-weighted mean X̄ exactly; `null` without students. */
export function exactMean(sums: ExactCvSums): Rational | null {
  if (sums.students === 0n) return null;
  return reduce({ n: sums.s1, d: sums.students * sums.denominator });
}

/** √r compared with a rational limit L ≥ 0, exactly: √r ≤ L ⇔ r ≤ L² (r ≥ 0). */
export function sqrtCompare(square: Rational, comparison: Comparison, limit: Rational): boolean {
  if (limit.n < 0n) return comparison === ">=" || comparison === ">";
  return compareExact(square, comparison, mul(limit, limit));
}

/**
 * √r rounded half-up to `decimals` places, exactly, as the scaled integer m: the largest m ≥ 0
 * with m − ½ ≤ 10^decimals·√r, i.e. (2m − 1)² ≤ 4·10^(2·decimals)·r.
 */
export function roundSqrtScaled(square: Rational, decimals: number): bigint {
  const f2 = 10n ** BigInt(2 * decimals);
  const ok = (m: bigint) => m === 0n || (2n * m - 1n) ** 2n * square.d <= 4n * f2 * square.n;
  const estimate = Math.sqrt(Math.max(0, toNumber(square))) * 10 ** decimals;
  let m = BigInt(Math.max(0, Math.round(estimate)));
  while (m > 0n && !ok(m)) m -= 1n;
  while (ok(m + 1n)) m += 1n;
  return m;
}

/** √r as text with `decimals` places (half-up, exact). */
export function formatSqrt(square: Rational, decimals: number): string {
  return scaledToString(roundSqrtScaled(square, decimals), decimals);
}

/** `formatDeciding` for √r (a 差异系数 given as CV²) against a limit. */
export function formatSqrtDeciding(square: Rational, decimals: number, comparison: Comparison, limit: Rational, maxDecimals = 12): string {
  const exact = sqrtCompare(square, comparison, limit);
  for (let k = decimals; k <= maxDecimals; k += 1) {
    const shown: Rational = { n: roundSqrtScaled(square, k), d: 10n ** BigInt(k) };
    if (compareExact(shown, comparison, limit) === exact) return formatSqrt(square, k);
  }
  return formatSqrt(square, maxDecimals);
}

/** The double nearest to √r (display only). */
export function sqrtToNumber(square: Rational): number {
  return Math.sqrt(toNumber(square));
}

// ---------------------------------------------------------------------------------------------
// Rates and counts.

/**
 * num ÷ den compared with a rate written as a decimal (0.95, 0.85, 1): num·d ≥ n·den. den > 0.
 */
export function rateMeets(num: number, den: number, comparison: Comparison, rate: number): boolean {
  return compareExact({ n: BigInt(num), d: BigInt(den) }, comparison, dec(rate));
}

/**
 * The smallest integer k ≥ 0 with (num + k) ÷ den ≥ rate, exactly: k = max(0, ⌈rate·den − num⌉).
 */
export function countToReach(num: number | bigint, den: number | bigint, rate: Rational): number {
  const need = sub(mul(rate, int(den)), int(num));
  const k = ceilOf(need);
  return k > 0n ? Number(k) : 0;
}
