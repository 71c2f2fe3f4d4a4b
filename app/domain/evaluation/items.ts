/**
 * Shared shapes of the itemised parts (政府保障程度 G1–G15, 教育质量 Q1–Q9): one typed result per
 * item, per-school / per-class checks where the rule is per school or class, and shortfalls
 * ("what it takes to pass") as concrete quantities in the unit that fixes them.
 */
import { exactBorderlineFlag, formatFixed, type BorderlineFlag } from "./display";
import { compareExact, countToReach, dec, formatDeciding, int, mul, plainExact, reduce, toNumber, type Comparison, type Rational } from "./exact";
import type { ItemStatus } from "./codes";
import type { PartStatus } from "./resource";
import type { DisplaySettings } from "./settings";

/** Unit of a shortfall quantity. */
export type ShortfallUnit =
  | "teacher" // 名教师
  | "m2" // 平方米
  | "yuan" // 元 (texts show 万元 from 10 000 元 up)
  | "room" // 间
  | "class" // 个班
  | "student" // 人（学生）
  | "person" // 人
  | "place" // 个名额
  | "yuan_per_person" // 元/人
  | "questionnaire" // 份问卷
  | "subject"; // 个科目

/** One concrete thing to fix. `quantity` is full precision; `text` rounds *up* for display. */
export interface Shortfall {
  /** L1–L7, G1–G15, Q1–Q9, SAT, SAMPLE. */
  code: string;
  /** Who must fix it: a unit label, a school name or the county name. */
  subject: string;
  schoolId: string | null;
  unitId: string | null;
  quantity: number;
  unit: ShortfallUnit;
  /** e.g. "差 2 名县级以上骨干教师", "缺 120 m² 体育运动场馆面积", "缺 38 万元教学仪器设备". */
  text: string;
}

/** A per-school or per-class check of G3, G4, G5, G6, Q4. */
export interface SchoolCheck {
  schoolId: string;
  schoolName: string;
  status: ItemStatus;
  /** Figures of the check, e.g. { classes: 30, musicRoomsNeeded: 3, musicRoomsCompliant: 2 }. */
  figures: Record<string, number | boolean | string | null>;
  reasons: string[];
}

export interface ItemResult {
  code: string;
  label: string;
  status: ItemStatus;
  /** The item's inputs and computed figures at full precision (rates 0–1). */
  figures: Record<string, number | boolean | string | null>;
  /** Chinese reasons for a fail, a not-evaluated or a not-applicable status. */
  reasons: string[];
  evidence: string | null;
  /** Per-school (or per-class) checks for G3, G4, G5, G6, Q4; empty otherwise. */
  schools: SchoolCheck[];
  shortfalls: Shortfall[];
  borderline: BorderlineFlag[];
}

export interface ItemsPartResult {
  status: PartStatus;
  items: ItemResult[];
  reasons: string[];
}

/** All sub-checks: any `false` → fail; else any `null` → not evaluated; else pass. */
export function statusOf(checks: readonly (boolean | null)[]): ItemStatus {
  if (checks.some((c) => c === false)) return "fail";
  if (checks.some((c) => c === null)) return "not_evaluated";
  return "pass";
}

/** Worst of several statuses: fail > not_evaluated > pass > not_applicable (all n/a → n/a). */
export function worstStatus(statuses: readonly ItemStatus[]): ItemStatus {
  if (statuses.includes("fail")) return "fail";
  if (statuses.includes("not_evaluated")) return "not_evaluated";
  if (statuses.includes("pass")) return "pass";
  return statuses.length === 0 ? "not_evaluated" : "not_applicable";
}

/**
 * Part status from item statuses: `not_evaluated` when no item had data, `fail` when any item
 * fails, `incomplete` when some item is not evaluated, else `pass` (`not_applicable` counts as
 * met).
 */
export function partStatus(items: readonly ItemResult[]): PartStatus {
  if (items.every((i) => i.status === "not_evaluated")) return "not_evaluated";
  if (items.some((i) => i.status === "fail")) return "fail";
  if (items.some((i) => i.status === "not_evaluated")) return "incomplete";
  return "pass";
}

/**
 * Persons (or places, questionnaires…) to add to a numerator so that num / den ≥ rate, exactly:
 * the smallest k ≥ 0 with (num + k)·d ≥ n·den for rate = n/d as written (0.95 = 19/20), i.e.
 * ⌈rate·den − num⌉. 0 when already met. `den` > 0.
 */
export function countToReachRate(num: number, den: number, rate: number): number {
  return countToReach(num, den, dec(rate));
}

/** num ÷ den exactly (den > 0). */
export function ratioOf(num: number, den: number): Rational {
  return reduce({ n: BigInt(num), d: BigInt(den) });
}

/** A rate (0–1) setting shown as a percentage, exactly as written: 0.95 → "95%", 0.855 → "85.5%". */
export function thresholdPercent(rate: number): string {
  return `${plainExact(mul(dec(rate), int(100)))}%`;
}

/**
 * An exact rate shown as a percentage with `decimals` places — or more, when that many would
 * not show why it decides as it does (4.9999% against "≥ 5%" reads 4.9999%, not 5.00%).
 */
export function percentDeciding(rate: Rational, decimals: number, comparison: Comparison, threshold: number): string {
  return `${formatDeciding(mul(rate, int(100)), decimals, comparison, mul(dec(threshold), int(100)))}%`;
}

/** Rounds a positive quantity up after removing binary noise (119.00000000001 → 119). */
export function ceilClean(x: number, decimals = 0): number {
  const clean = Number(x.toPrecision(12));
  const f = 10 ** decimals;
  return Math.ceil(clean * f - 1e-9) / f;
}

/** "38 万元" from 10 000 元 up (rounded up to 0.01 万元), else "850 元" (rounded up). */
export function formatYuan(yuan: number): string {
  if (yuan >= 10_000)
    return `${ceilClean(yuan / 10_000, 2)
      .toFixed(2)
      .replace(/\.?0+$/, "")} 万元`;
  return `${String(ceilClean(yuan))} 元`;
}

/** "120 m²" rounded up to whole m². */
export function formatM2(m2: number): string {
  return `${String(ceilClean(m2))} m²`;
}

/** Percent text with 2 decimals, e.g. 0.93456 → "93.46%". */
export function formatPercent(rate: number, decimals = 2): string {
  return `${formatFixed(rate * 100, decimals)}%`;
}

/**
 * Borderline flag for a rate shown as a percentage with `decimals` places (e.g. 94.996% shows
 * as 95.00% against "≥ 95%"). Both the decision and the display are exact (decision record
 * 0007): `rate` is the exact ratio, `threshold` the setting as written.
 */
export function rateBorderline(
  subject: string,
  code: string,
  rate: Rational | number,
  threshold: number,
  decimals: number,
  comparison: ">=" | "<" = ">=",
): BorderlineFlag | null {
  // A number is read as the decimal it is written as (the engine passes exact ratios).
  const exact = typeof rate === "number" ? dec(rate) : rate;
  return exactBorderlineFlag(`${subject}（%）`, code, mul(exact, int(100)), decimals, comparison, mul(dec(threshold), int(100)));
}

/** Whether an exact rate meets a threshold written as a decimal. */
export function rateOk(rate: Rational, comparison: Comparison, threshold: number): boolean {
  return compareExact(rate, comparison, dec(threshold));
}

/** Optional evidence string → `string | null`. */
export function ev(evidence: string | null | undefined): string | null {
  return evidence === undefined || evidence === null || evidence === "" ? null : evidence;
}

/** What a rate item measures, for its texts. */
export interface RateWhat {
  rateName: string;
  unit: ShortfallUnit;
  shortText: (k: number) => string;
}

/**
 * A rate item: passes when num ÷ den ≥ min (exactly: num·d ≥ n·den for min = n/d as written) and
 * every extra yes/no check holds. `null` inputs →
 * not evaluated; den = 0 → not applicable (stated in the reasons). The shortfall is the
 * smallest count k with (num + k) ÷ den ≥ min.
 */
export function rateItemResult(
  code: string,
  label: string,
  countyName: string,
  display: DisplaySettings,
  num: number | null,
  den: number | null,
  min: number,
  what: RateWhat,
  evidence: string | null | undefined,
  extraChecks: { ok: boolean | null; failReason: string }[] = [],
  figures: ItemResult["figures"] = {},
): ItemResult {
  const base = { code, label, evidence: ev(evidence), schools: [], shortfalls: [], borderline: [] };
  const extras = extraChecks.map((e) => e.ok);
  const extraReasons = extraChecks.filter((e) => e.ok === false).map((e) => e.failReason);
  if (num === null || den === null) {
    return {
      ...base,
      status: statusOf([null, ...extras]),
      figures: { numerator: num, denominator: den, ...figures },
      reasons: ["数据未填报完整", ...extraReasons],
    };
  }
  if (den === 0) {
    const status: ItemStatus = extras.includes(false) ? "fail" : extras.includes(null) ? "not_evaluated" : "not_applicable";
    return {
      ...base,
      status,
      figures: { numerator: num, denominator: den, rate: null, ...figures },
      reasons: [`${what.rateName}的分母为0，不适用`, ...extraReasons],
    };
  }
  const exact = ratioOf(num, den);
  const rate = toNumber(exact);
  const ok = rateOk(exact, ">=", min);
  const reasons = ok ? [] : [`${what.rateName} ${percentDeciding(exact, display.percentDecimals, ">=", min)}，低于 ${thresholdPercent(min)}`];
  const k = ok ? 0 : countToReachRate(num, den, min);
  const shortfalls: Shortfall[] = ok
    ? []
    : [{ code, subject: countyName, schoolId: null, unitId: null, quantity: k, unit: what.unit, text: what.shortText(k) }];
  const flag = rateBorderline(`${countyName} ${code} ${what.rateName}`, code, exact, min, display.percentDecimals);
  return {
    ...base,
    status: statusOf([ok, ...extras]),
    figures: { numerator: num, denominator: den, rate, required: min, ...figures },
    reasons: [...reasons, ...extraReasons],
    shortfalls,
    borderline: flag ? [flag] : [],
  };
}
