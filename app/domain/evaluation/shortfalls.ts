/**
 * "What it takes to pass" for 资源配置: each failing unit's shortfalls as concrete quantities in
 * the unit that fixes them (teachers, m², 元, rooms), summed per county, and for each failing
 * 差异系数 the units pulling it up most and how much raising the weakest to the county mean
 * would lower it.
 *
 * Conventions:
 * - A failing unit needs every value below standard raised to the standard except one, which
 *   may stay at its 85% floor. The one left at the floor is the one with the largest relative
 *   gap (1 − value ÷ standard). Leaving indicator j at its floor saves min(gapⱼ, 15%) of its
 *   standard, so this choice minimises the unit's total relative shortfall.
 * - Teachers (L1–L3) belong to the section: k = the smallest whole number of teachers with
 *   100 × (t + k) ÷ Pᵢ ≥ target.
 * - Shared resources (L4–L7) are added to the whole school; for a multi-level school only the
 *   section's share wₗ·Pₗ/W of an addition reaches the unit, so the school must add
 *   Δ = target × W ÷ wₗ − R (m² or 元; rooms rounded up to a whole room). When both sections of
 *   a school need the same resource, the school needs the larger Δ, not the sum; the county
 *   totals add schools, not units.
 * - Quantities are full precision in `quantity`; texts round *up* (whole m², 0.01 万元, whole
 *   persons and rooms), because a shortfall rounded down would not be enough.
 * - The teacher totals per indicator are upper bounds when read together: one new teacher can
 *   be both above the required degree and a PE teacher.
 */
import type { Level } from "../vocabulary";
import { LEVEL_LABELS } from "../vocabulary";
import { INDICATOR_CODES, type IndicatorCode } from "./codes";
import type { SchoolInput } from "./input";
import {
  add,
  ceilOf,
  cmp,
  dec,
  div,
  formatExact,
  formatSqrtDeciding,
  ge,
  int,
  lt,
  mul,
  plainExact,
  RATIONAL_ONE,
  RATIONAL_ZERO,
  sqrtCompare,
  sub,
  toNumber,
  type Rational,
} from "./exact";
import { formatM2, formatYuan, type Shortfall } from "./items";
import { exactStandards, unitExactValues, wanYuanToYuanExact, type CvResult, type ResourceResult } from "./resource";
import type { ResourceSettings } from "./settings";
import { exactDispersion } from "./statistics";
import { buildUnits, perStudentOfSharedExact, type Unit } from "./units";

export interface ResourceNeed extends Shortfall {
  indicator: IndicatorCode;
  /** Reach the standard, or only the 85% floor (the one indicator allowed below standard). */
  target: "standard" | "floor" | "county_mean";
  targetValue: number;
  currentValue: number;
  /** The quantity is added to the whole school (shared resources L4–L7). */
  schoolWide: boolean;
}

export interface UnitPlan {
  unitId: string;
  label: string;
  schoolId: string;
  level: Level;
  /** The indicator allowed to stay at its floor, or `null` when all reach the standard. */
  indicatorAtFloor: IndicatorCode | null;
  needs: ResourceNeed[];
}

export interface CountyTotal {
  indicator: IndicatorCode;
  level: Level | null;
  quantity: number;
  unit: Shortfall["unit"];
  text: string;
}

export interface CvContributor {
  unitId: string;
  label: string;
  students: number;
  value: number;
  /** (Pᵢ/P)(Xᵢ − X̄)² ÷ S²: the unit's share of the variance (sums to 1). */
  varianceShare: number;
  side: "below_mean" | "above_mean";
}

export interface CvRaiseStep {
  /** Units raised to the county mean so far (the weakest first). */
  unitsRaised: string[];
  /** What raising this step's unit to the mean takes. */
  need: ResourceNeed;
  cvAfter: number | null;
  passesAfter: boolean;
}

export interface CvFix {
  indicator: IndicatorCode;
  level: Level;
  cv: number;
  limit: number;
  mean: number;
  /** Units by their share of the variance, largest first (at most 5). */
  topContributors: CvContributor[];
  /**
   * Raising the weakest units (below the mean, largest variance share first) one after another
   * to the county mean X̄ (by the whole teachers, m², 元 or rooms of `need`), with the CV
   * recomputed each time (the mean moves up too); stops once the CV is within its limit or every
   * unit below the mean has been raised.
   */
  raiseWeakest: CvRaiseStep[];
  /** Chinese summary, e.g. "将 A、B 提高到县均值后，差异系数由 0.523 降至 0.431，达标". */
  summary: string;
}

export interface ResourceShortfalls {
  units: UnitPlan[];
  totals: CountyTotal[];
  cvFixes: CvFix[];
}

const NEED_TEXT: Record<IndicatorCode, (q: number, level: Level) => string> = {
  L1: (q, level) => `差 ${String(q)} 名高于规定学历教师（${level === "primary" ? "专科及以上" : "本科及以上"}）`,
  L2: (q) => `差 ${String(q)} 名县级以上骨干教师`,
  L3: (q) => `差 ${String(q)} 名体育、艺术（音乐、美术）专任教师`,
  L4: (q) => `缺 ${formatM2(q)} 教学及辅助用房面积`,
  L5: (q) => `缺 ${formatM2(q)} 体育运动场馆面积`,
  L6: (q) => `缺 ${formatYuan(q)}教学仪器设备`,
  L7: (q) => `需增加 ${String(q)} 间网络多媒体教室`,
};

const NEED_UNIT: Record<IndicatorCode, Shortfall["unit"]> = { L1: "teacher", L2: "teacher", L3: "teacher", L4: "m2", L5: "m2", L6: "yuan", L7: "room" };

/** The current raw amount behind an indicator, exactly (teachers of the section; school-wide resource). */
function rawAmount(unit: Unit, code: IndicatorCode): Rational | null {
  const s = unit.staff;
  const f = unit.facilities;
  switch (code) {
    case "L1":
      return s ? int(s.aboveRequiredDegree) : null;
    case "L2":
      return s ? int(s.keyTeachers) : null;
    case "L3":
      return s ? int(s.peTeachers + s.musicTeachers + s.artTeachers) : null;
    case "L4":
      return f ? sub(dec(f.teachingAuxiliaryAreaM2), dec(f.indoorSportsAreaM2)) : null;
    case "L5":
      return f ? add(dec(f.sportsGroundAreaM2), dec(f.sportsHallAreaM2)) : null;
    case "L6":
      return f ? wanYuanToYuanExact(f.equipmentValueWanYuan) : null;
    case "L7":
      return f ? int(f.multimediaClassrooms) : null;
  }
}

/** The unit's exact value of `code` after adding `quantity` (teachers to the section, resources to the school). */
export function valueAfterAddingExact(unit: Unit, code: IndicatorCode, quantity: Rational): Rational | null {
  const raw = rawAmount(unit, code);
  if (raw === null) return null;
  switch (code) {
    case "L1":
    case "L2":
    case "L3":
      return div(mul(int(100), add(raw, quantity)), int(unit.students));
    case "L4":
    case "L5":
    case "L6":
      return perStudentOfSharedExact(unit, add(raw, quantity));
    case "L7":
      return perStudentOfSharedExact(unit, mul(int(100), add(raw, quantity)));
  }
}

/** `valueAfterAddingExact` as a number. */
export function valueAfterAdding(unit: Unit, code: IndicatorCode, quantity: number): number | null {
  const v = valueAfterAddingExact(unit, code, dec(quantity));
  return v === null ? null : toNumber(v);
}

/**
 * What raising `unit`'s value of `code` to `targetValue` takes, exactly: whole teachers for L1–L3
 * (section), k = ⌈target·Pᵢ/100 − t⌉; m² / 元 added to the whole school for L4–L6,
 * Δ = target·W/wₗ − R; whole rooms for L7, ⌈target·W/(100·wₗ) − R⌉ (see the module comment).
 * 0 when reached. Adding the quantity reaches the target exactly; one teacher or room less does not.
 */
export function quantityToReachExact(unit: Unit, code: IndicatorCode, targetValue: Rational): Rational | null {
  const raw = rawAmount(unit, code);
  if (raw === null) return null;
  const positive = (r: Rational) => (r.n > 0n ? r : RATIONAL_ZERO);
  switch (code) {
    case "L1":
    case "L2":
    case "L3":
      return positive(int(ceilOf(sub(div(mul(targetValue, int(unit.students)), int(100)), raw))));
    case "L4":
    case "L5":
    case "L6":
      return positive(sub(div(mul(targetValue, unit.exactWeightedEnrolment), unit.exactSplitWeight), raw));
    case "L7":
      return positive(int(ceilOf(sub(div(mul(targetValue, unit.exactWeightedEnrolment), mul(int(100), unit.exactSplitWeight)), raw))));
  }
}

/** `quantityToReachExact` with a number target (read as the decimal it is written as) and a number result. */
export function quantityToReach(unit: Unit, code: IndicatorCode, targetValue: number | Rational): number | null {
  const q = quantityToReachExact(unit, code, typeof targetValue === "number" ? dec(targetValue) : targetValue);
  return q === null ? null : toNumber(q);
}

function need(unit: Unit, code: IndicatorCode, target: ResourceNeed["target"], targetValue: Rational, currentValue: Rational): ResourceNeed | null {
  const exactQ = quantityToReachExact(unit, code, targetValue);
  if (exactQ === null || exactQ.n <= 0n) return null;
  const q = toNumber(exactQ);
  const schoolWide = code === "L4" || code === "L5" || code === "L6" || code === "L7";
  const split = schoolWide && unit.share < 1;
  const targetText =
    target === "standard"
      ? `达到标准 ${plainExact(targetValue)}`
      : target === "floor"
        ? `达到85%底线 ${plainExact(targetValue)}，本项可作为唯一未达标项`
        : `达到县均值 ${formatExact(targetValue, 2)}`;
  return {
    code,
    subject: unit.label,
    schoolId: unit.schoolId,
    unitId: unit.id,
    quantity: q,
    unit: NEED_UNIT[code],
    text: `${NEED_TEXT[code](q, unit.level)}（${targetText}${split ? "；全校增加，按加权学生数分摊" : ""}）`,
    indicator: code,
    target,
    targetValue: toNumber(targetValue),
    currentValue: toNumber(currentValue),
    schoolWide,
  };
}

/** The plan for one unit (see the module comment); `null` when it passes or lacks data. */
export function unitPlan(unit: Unit, settings: ResourceSettings): UnitPlan | null {
  const values = unitExactValues(unit);
  const below: { code: IndicatorCode; value: Rational; gap: Rational; standard: Rational; floor: Rational }[] = [];
  for (const code of INDICATOR_CODES) {
    const v = values[code];
    if (v === null) return null;
    const { standard, floor } = exactStandards(settings, unit.level, code);
    if (lt(v, standard)) below.push({ code, value: v, gap: sub(RATIONAL_ONE, div(v, standard)), standard, floor });
  }
  const passes = INDICATOR_CODES.length - below.length >= settings.minIndicatorsMet && below.every((b) => ge(b.value, b.floor));
  if (passes || below.length === 0) return null;
  // Allowed below standard: INDICATOR_CODES.length − minIndicatorsMet indicators (1 by default).
  const allowance = INDICATOR_CODES.length - settings.minIndicatorsMet;
  const atFloor = [...below].sort((a, b) => cmp(b.gap, a.gap)).slice(0, Math.max(0, allowance));
  const needs: ResourceNeed[] = [];
  for (const b of below) {
    const floorOnly = atFloor.some((a) => a.code === b.code);
    const n = need(unit, b.code, floorOnly ? "floor" : "standard", floorOnly ? b.floor : b.standard, b.value);
    if (n) needs.push(n);
  }
  return { unitId: unit.id, label: unit.label, schoolId: unit.schoolId, level: unit.level, indicatorAtFloor: atFloor[0]?.code ?? null, needs };
}

function countyTotals(plans: readonly UnitPlan[]): CountyTotal[] {
  const totals: CountyTotal[] = [];
  for (const code of INDICATOR_CODES) {
    const needs = plans.flatMap((p) => p.needs.filter((n) => n.indicator === code));
    if (needs.length === 0) continue;
    if (NEED_UNIT[code] === "teacher") {
      for (const level of ["primary", "junior"] as const) {
        const q = needs.filter((n) => plans.find((p) => p.unitId === n.unitId)?.level === level).reduce((a, n) => a + n.quantity, 0);
        if (q > 0) totals.push({ indicator: code, level, quantity: q, unit: "teacher", text: `${LEVEL_LABELS[level]}共${NEED_TEXT[code](q, level)}` });
      }
      continue;
    }
    // Shared resources: per school the larger of its sections' needs, then summed over schools.
    const perSchool = new Map<string, number>();
    for (const n of needs) perSchool.set(n.schoolId ?? "", Math.max(perSchool.get(n.schoolId ?? "") ?? 0, n.quantity));
    const q = [...perSchool.values()].reduce((a, b) => a + b, 0);
    totals.push({
      indicator: code,
      level: null,
      quantity: q,
      unit: NEED_UNIT[code],
      text: `全县共${NEED_TEXT[code](q, "primary")}（${String(perSchool.size)} 所学校）`,
    });
  }
  return totals;
}

function cvFix(cv: CvResult, units: readonly Unit[], settings: ResourceSettings, cvDecimals: number): CvFix | null {
  if (cv.cv === null || cv.mean === null || cv.sd === null || cv.withinLimit !== false) return null;
  const ofLevel = units.filter((u) => u.level === cv.level);
  const points = ofLevel.map((u) => ({ unit: u, value: unitExactValues(u)[cv.code] }));
  const exactValues = new Map<string, Rational>();
  for (const p of points) {
    if (p.value === null) return null;
    exactValues.set(p.unit.id, p.value);
  }
  const before = exactDispersion(ofLevel.map((u) => ({ students: u.students, value: exactValues.get(u.id) ?? RATIONAL_ZERO })));
  const exactMeanValue = before.exactMean;
  if (exactMeanValue === null || before.cvSquared === null) return null;
  const limit = dec(settings.cvLimit[cv.level]);
  const mean = cv.mean;
  const variance = cv.sd * cv.sd;
  const p = cv.students;
  const contributors: CvContributor[] = points
    .map(({ unit }) => {
      const exact = exactValues.get(unit.id) ?? RATIONAL_ZERO;
      const x = toNumber(exact);
      return {
        unitId: unit.id,
        label: unit.label,
        students: unit.students,
        value: x,
        varianceShare: variance > 0 ? ((unit.students / p) * (x - mean) ** 2) / variance : 0,
        side: lt(exact, exactMeanValue) ? ("below_mean" as const) : ("above_mean" as const),
      };
    })
    .sort((a, b) => b.varianceShare - a.varianceShare);
  const weakest = contributors.filter((c) => c.side === "below_mean");
  const current = new Map(exactValues);
  const steps: CvRaiseStep[] = [];
  const raised: string[] = [];
  let lastSquare: Rational | null = before.cvSquared;
  for (const w of weakest) {
    const unit = ofLevel.find((u) => u.id === w.unitId);
    const value = exactValues.get(w.unitId);
    if (!unit || !value) continue;
    const n = need(unit, cv.code, "county_mean", exactMeanValue, value);
    // The value the concrete action gives (whole teachers and rooms land a little above the mean).
    // A school has one unit per level, so no other unit of this CV shares the addition.
    const added = n ? quantityToReachExact(unit, cv.code, exactMeanValue) : null;
    current.set(w.unitId, added ? (valueAfterAddingExact(unit, cv.code, added) ?? exactMeanValue) : exactMeanValue);
    raised.push(w.label);
    const after = exactDispersion(ofLevel.map((u) => ({ students: u.students, value: current.get(u.id) ?? RATIONAL_ZERO })));
    const passesAfter = after.cvSquared !== null && sqrtCompare(after.cvSquared, "<=", limit);
    lastSquare = after.cvSquared;
    if (n) steps.push({ unitsRaised: [...raised], need: n, cvAfter: after.cv, passesAfter });
    if (passesAfter) break;
  }
  const levelLabel = LEVEL_LABELS[cv.level];
  const last = steps.at(-1);
  const shownCv = (square: Rational | null) => (square === null ? "—" : formatSqrtDeciding(square, cvDecimals, "<=", limit));
  const limitText = plainExact(limit);
  const summary = last
    ? `${levelLabel} ${cv.code} 差异系数 ${shownCv(before.cvSquared)} 超过 ${limitText}；将 ${last.unitsRaised.join("、")} 提高到县均值 ${formatExact(exactMeanValue, 2)} 后降至 ${shownCv(lastSquare)}，${last.passesAfter ? "达标" : "仍超过限值（差异主要来自高于均值的单位）"}`
    : `${levelLabel} ${cv.code} 差异系数 ${shownCv(before.cvSquared)} 超过 ${limitText}；差异来自高于均值的单位`;
  return { indicator: cv.code, level: cv.level, cv: cv.cv, limit: cv.limit, mean, topContributors: contributors.slice(0, 5), raiseWeakest: steps, summary };
}

/** All resource shortfalls of one county. */
export function resourceShortfalls(schools: readonly SchoolInput[], result: ResourceResult, settings: ResourceSettings, cvDecimals = 3): ResourceShortfalls {
  const { units } = buildUnits(schools, settings);
  const plans = units.map((u) => unitPlan(u, settings)).filter((p): p is UnitPlan => p !== null);
  const cvFixes: CvFix[] = [];
  for (const level of ["primary", "junior"] as const) {
    for (const code of INDICATOR_CODES) {
      const fix = cvFix(result.levels[level].cvs[code], units, settings, cvDecimals);
      if (fix) cvFixes.push(fix);
    }
  }
  return { units: plans, totals: countyTotals(plans), cvFixes };
}
