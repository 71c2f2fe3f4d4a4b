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
import { roundHalfUp } from "./display";
import { formatM2, formatYuan, minIntegerReaching, type Shortfall } from "./items";
import { unitValues, wanYuanToYuan, type CvResult, type ResourceResult } from "./resource";
import type { ResourceSettings } from "./settings";
import { weightedDispersion } from "./statistics";
import { buildUnits, perStudentOfShared, type Unit } from "./units";

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

/** The current raw amount behind an indicator (teachers of the section; school-wide resource). */
function rawAmount(unit: Unit, code: IndicatorCode): number | null {
  const s = unit.staff;
  const f = unit.facilities;
  switch (code) {
    case "L1":
      return s ? s.aboveRequiredDegree : null;
    case "L2":
      return s ? s.keyTeachers : null;
    case "L3":
      return s ? s.peTeachers + s.musicTeachers + s.artTeachers : null;
    case "L4":
      return f ? f.teachingAuxiliaryAreaM2 - f.indoorSportsAreaM2 : null;
    case "L5":
      return f ? f.sportsGroundAreaM2 + f.sportsHallAreaM2 : null;
    case "L6":
      return f ? wanYuanToYuan(f.equipmentValueWanYuan) : null;
    case "L7":
      return f ? f.multimediaClassrooms : null;
  }
}

/** The unit's value of `code` after adding `quantity` (teachers to the section, resources to the school). */
export function valueAfterAdding(unit: Unit, code: IndicatorCode, quantity: number): number | null {
  const raw = rawAmount(unit, code);
  if (raw === null) return null;
  switch (code) {
    case "L1":
    case "L2":
    case "L3":
      return (100 * (raw + quantity)) / unit.students;
    case "L4":
    case "L5":
    case "L6":
      return perStudentOfShared(unit, raw + quantity);
    case "L7":
      return perStudentOfShared(unit, 100 * (raw + quantity));
  }
}

/**
 * What raising `unit`'s value of `code` to `targetValue` takes: teachers for L1–L3 (section),
 * m² / 元 / rooms added to the whole school for L4–L7 (see the module comment). 0 when reached.
 */
export function quantityToReach(unit: Unit, code: IndicatorCode, targetValue: number): number | null {
  const raw = rawAmount(unit, code);
  if (raw === null) return null;
  const p = unit.students;
  switch (code) {
    case "L1":
    case "L2":
    case "L3":
      return minIntegerReaching((targetValue * p) / 100 - raw, (k) => (100 * (raw + k)) / p >= targetValue);
    case "L4":
    case "L5":
    case "L6":
      return Math.max(0, (targetValue * unit.weightedEnrolment) / unit.splitWeight - raw);
    case "L7":
      return minIntegerReaching(
        (targetValue * unit.weightedEnrolment) / (100 * unit.splitWeight) - raw,
        (k) => perStudentOfShared(unit, 100 * (raw + k)) >= targetValue,
      );
  }
}

function need(unit: Unit, code: IndicatorCode, target: ResourceNeed["target"], targetValue: number, currentValue: number): ResourceNeed | null {
  const q = quantityToReach(unit, code, targetValue);
  if (q === null || q <= 0) return null;
  const schoolWide = code === "L4" || code === "L5" || code === "L6" || code === "L7";
  const split = schoolWide && unit.share < 1;
  const targetText =
    target === "standard" ? `达到标准 ${String(targetValue)}` : target === "floor" ? `达到85%底线 ${String(targetValue)}，本项可作为唯一未达标项` : `达到县均值 ${String(roundHalfUp(targetValue, 4))}`;
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
    targetValue,
    currentValue,
    schoolWide,
  };
}

/** The plan for one unit (see the module comment); `null` when it passes or lacks data. */
export function unitPlan(unit: Unit, settings: ResourceSettings): UnitPlan | null {
  const values = unitValues(unit);
  const standards = settings.standards[unit.level];
  const below: { code: IndicatorCode; value: number; gap: number }[] = [];
  for (const code of INDICATOR_CODES) {
    const v = values[code];
    if (v === null) return null;
    if (v < standards[code].standard) below.push({ code, value: v, gap: 1 - v / standards[code].standard });
  }
  const passes = INDICATOR_CODES.length - below.length >= settings.minIndicatorsMet && below.every((b) => b.value >= standards[b.code].floor);
  if (passes || below.length === 0) return null;
  // Allowed below standard: INDICATOR_CODES.length − minIndicatorsMet indicators (1 by default).
  const allowance = INDICATOR_CODES.length - settings.minIndicatorsMet;
  const atFloor = [...below].sort((a, b) => b.gap - a.gap).slice(0, Math.max(0, allowance));
  const needs: ResourceNeed[] = [];
  for (const b of below) {
    const floorOnly = atFloor.some((a) => a.code === b.code);
    const targetValue = floorOnly ? standards[b.code].floor : standards[b.code].standard;
    const n = need(unit, b.code, floorOnly ? "floor" : "standard", targetValue, b.value);
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
    totals.push({ indicator: code, level: null, quantity: q, unit: NEED_UNIT[code], text: `全县共${NEED_TEXT[code](q, "primary")}（${String(perSchool.size)} 所学校）` });
  }
  return totals;
}

function cvFix(cv: CvResult, units: readonly Unit[]): CvFix | null {
  if (cv.cv === null || cv.mean === null || cv.sd === null || cv.withinLimit !== false) return null;
  const ofLevel = units.filter((u) => u.level === cv.level);
  const points = ofLevel.map((u) => ({ unit: u, value: unitValues(u)[cv.code] }));
  if (points.some((p) => p.value === null)) return null;
  const mean = cv.mean;
  const variance = cv.sd * cv.sd;
  const p = cv.students;
  const contributors: CvContributor[] = points
    .map(({ unit, value }) => {
      const x = value ?? 0;
      return {
        unitId: unit.id,
        label: unit.label,
        students: unit.students,
        value: x,
        varianceShare: variance > 0 ? ((unit.students / p) * (x - mean) ** 2) / variance : 0,
        side: x < mean ? ("below_mean" as const) : ("above_mean" as const),
      };
    })
    .sort((a, b) => b.varianceShare - a.varianceShare);
  const weakest = contributors.filter((c) => c.side === "below_mean");
  const current = new Map(points.map(({ unit, value }) => [unit.id, value ?? 0]));
  const steps: CvRaiseStep[] = [];
  const raised: string[] = [];
  for (const w of weakest) {
    const unit = ofLevel.find((u) => u.id === w.unitId);
    if (!unit) continue;
    const n = need(unit, cv.code, "county_mean", mean, w.value);
    // The value the concrete action gives (whole teachers and rooms land a little above the mean).
    // A school has one unit per level, so no other unit of this CV shares the addition.
    current.set(w.unitId, n ? (valueAfterAdding(unit, cv.code, n.quantity) ?? mean) : Math.max(w.value, mean));
    raised.push(w.label);
    const after = weightedDispersion(ofLevel.map((u) => ({ students: u.students, value: current.get(u.id) ?? 0 })));
    const passesAfter = after.cv !== null && after.cv <= cv.limit;
    if (n) steps.push({ unitsRaised: [...raised], need: n, cvAfter: after.cv, passesAfter });
    if (passesAfter) break;
  }
  const levelLabel = LEVEL_LABELS[cv.level];
  const last = steps.at(-1);
  const f3 = (x: number | null) => (x === null ? "—" : String(roundHalfUp(x, 4)));
  const summary = last
    ? `${levelLabel} ${cv.code} 差异系数 ${f3(cv.cv)} 超过 ${String(cv.limit)}；将 ${last.unitsRaised.join("、")} 提高到县均值 ${f3(mean)} 后降至 ${f3(last.cvAfter)}，${last.passesAfter ? "达标" : "仍超过限值（差异主要来自高于均值的单位）"}`
    : `${levelLabel} ${cv.code} 差异系数 ${f3(cv.cv)} 超过 ${String(cv.limit)}；差异来自高于均值的单位`;
  return { indicator: cv.code, level: cv.level, cv: cv.cv, limit: cv.limit, mean, topContributors: contributors.slice(0, 5), raiseWeakest: steps, summary };
}

/** All resource shortfalls of one county. */
export function resourceShortfalls(schools: readonly SchoolInput[], result: ResourceResult, settings: ResourceSettings): ResourceShortfalls {
  const { units } = buildUnits(schools, settings);
  const plans = units.map((u) => unitPlan(u, settings)).filter((p): p is UnitPlan => p !== null);
  const cvFixes: CvFix[] = [];
  for (const level of ["primary", "junior"] as const) {
    for (const code of INDICATOR_CODES) {
      const fix = cvFix(result.levels[level].cvs[code], units);
      if (fix) cvFixes.push(fix);
    }
  }
  return { units: plans, totals: countyTotals(plans), cvFixes };
}

