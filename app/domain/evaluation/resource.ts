/**
 * 资源配置 (spec §1): the 7 indicator values of each unit, the unit rule (at least 6 of 7 at
 * standard and the remaining one at ≥ 85% of its standard), the student-weighted 差异系数 of
 * each indicator per level (≤ 0.50 小学, ≤ 0.45 初中), the informational 综合 mean of the 7
 * CVs, and the county's pass decision: every unit passes and every CV is within its limit.
 */
import type { Level } from "../vocabulary";
import { LEVEL_LABELS } from "../vocabulary";
import { byIndicator, INDICATOR_CODES, INDICATOR_LABELS, type IndicatorCode } from "./codes";
import { borderlineFlag, roundHalfUp, type BorderlineFlag } from "./display";
import type { SchoolInput } from "./input";
import type { DisplaySettings, ResourceSettings } from "./settings";
import { weightedDispersion } from "./statistics";
import { allocatedAmount, buildUnits, perStudentOfShared, type ExcludedSection, type Unit } from "./units";

/** Status of a part of the evaluation: `incomplete` = some data missing and nothing failed. */
export type PartStatus = "pass" | "fail" | "incomplete" | "not_evaluated";

/** 万元 → 元, dropping binary noise below 10⁻⁹ 元 (345.6 × 10 000 = 3 456 000, not …0.0000005). */
export function wanYuanToYuan(wan: number): number {
  return Number((wan * 10_000).toPrecision(15));
}

/**
 * The 7 values of a unit (`null` where its data were not provided):
 * - L1 = 100 × 高于规定学历教师数 ÷ Pᵢ;  L2 = 100 × 县级以上骨干教师数 ÷ Pᵢ;
 * - L3 = 100 × (体育 + 音乐 + 美术专任教师数) ÷ Pᵢ  (人/百生, section's own teachers);
 * - L4 = (教学及辅助用房 − 室内体育用房) × wₗ ÷ W  (m²/生);
 * - L5 = (体育运动场 + 体育馆) × wₗ ÷ W  (m²/生);
 * - L6 = 教学仪器设备值(元) × wₗ ÷ W  (元/生);
 * - L7 = 100 × 网络多媒体教室数 × wₗ ÷ W  (间/百生).
 * For a single-level school wₗ ÷ W = 1 ÷ Pᵢ. Pᵢ > 0 for every unit.
 */
export function unitValues(unit: Unit): Record<IndicatorCode, number | null> {
  const p = unit.students;
  const s = unit.staff;
  const f = unit.facilities;
  return {
    L1: s ? (100 * s.aboveRequiredDegree) / p : null,
    L2: s ? (100 * s.keyTeachers) / p : null,
    L3: s ? (100 * (s.peTeachers + s.musicTeachers + s.artTeachers)) / p : null,
    L4: f ? perStudentOfShared(unit, f.teachingAuxiliaryAreaM2 - f.indoorSportsAreaM2) : null,
    L5: f ? perStudentOfShared(unit, f.sportsGroundAreaM2 + f.sportsHallAreaM2) : null,
    L6: f ? perStudentOfShared(unit, wanYuanToYuan(f.equipmentValueWanYuan)) : null,
    L7: f ? perStudentOfShared(unit, 100 * f.multimediaClassrooms) : null,
  };
}

/** The school-wide shared resources allocated to a unit (for the report; spec's 9 711.6 example). */
export interface AllocatedResources {
  /** (教学及辅助用房 − 室内体育用房) allocated, m². */
  teachingAreaM2: number;
  /** 体育运动场 + 体育馆 allocated, m². */
  sportsAreaM2: number;
  /** 教学仪器设备值 allocated, 元. */
  equipmentYuan: number;
  /** 网络多媒体教室 allocated (fractional for a split school), 间. */
  multimediaClassrooms: number;
}

export interface IndicatorCheck {
  code: IndicatorCode;
  /** Full-precision value; `null` = not provided. */
  value: number | null;
  standard: number;
  floor: number;
  /** value ≥ standard. */
  meetsStandard: boolean | null;
  /** value ≥ floor (85% of the standard). */
  meetsFloor: boolean | null;
  /** value ÷ standard (1 = exactly at standard). */
  ratioToStandard: number | null;
}

export interface UnitResult {
  unitId: string;
  schoolId: string;
  label: string;
  level: Level;
  schoolType: Unit["schoolType"];
  students: number;
  splitWeight: number;
  weightedEnrolment: number;
  share: number;
  allocated: AllocatedResources | null;
  indicators: Record<IndicatorCode, IndicatorCheck>;
  /** How many of the 7 values meet their standard. */
  indicatorsMet: number;
  status: "pass" | "fail" | "not_evaluated";
  /** Chinese reasons when the unit fails or cannot be evaluated. */
  reasons: string[];
}

/**
 * The unit rule: passes when ≥ `minIndicatorsMet` (6) values meet their standard and every
 * other value is ≥ its floor (85%). With missing values: `fail` when the known values already
 * fail (a known value below its floor, or too few can still meet), else `not_evaluated`.
 */
export function evaluateUnit(unit: Unit, settings: ResourceSettings): UnitResult {
  const values = unitValues(unit);
  const standards = settings.standards[unit.level];
  const indicators = byIndicator((code): IndicatorCheck => {
    const value = values[code];
    const { standard, floor } = standards[code];
    return {
      code,
      value,
      standard,
      floor,
      meetsStandard: value === null ? null : value >= standard,
      meetsFloor: value === null ? null : value >= floor,
      ratioToStandard: value === null ? null : value / standard,
    };
  });
  let met = 0;
  let missing = 0;
  const belowFloor: IndicatorCode[] = [];
  const belowStandard: IndicatorCode[] = [];
  for (const code of INDICATOR_CODES) {
    const c = indicators[code];
    if (c.value === null) missing += 1;
    else if (c.meetsStandard) met += 1;
    else {
      belowStandard.push(code);
      if (!c.meetsFloor) belowFloor.push(code);
    }
  }
  const reasons: string[] = [];
  const levelLabel = LEVEL_LABELS[unit.level];
  for (const code of belowFloor) {
    const c = indicators[code];
    reasons.push(`${unit.label} ${code}「${INDICATOR_LABELS[code]}」为 ${fmt(c.value)}，低于${levelLabel}标准 ${String(c.standard)} 的85%（${String(c.floor)}）`);
  }
  const tooFew = met + missing < settings.minIndicatorsMet;
  if (tooFew) {
    reasons.push(
      `${unit.label} 仅 ${String(met)} 项指标达标（${belowStandard.join("、")} 未达标），少于 ${String(settings.minIndicatorsMet)} 项`,
    );
  }
  let status: UnitResult["status"];
  if (belowFloor.length > 0 || tooFew) status = "fail";
  else if (missing > 0) {
    status = "not_evaluated";
    reasons.push(`${unit.label} 缺少${unit.staff ? "校舍与装备" : unit.facilities ? "教师" : "教师、校舍与装备"}数据，无法判定`);
  } else status = "pass";
  const f = unit.facilities;
  return {
    unitId: unit.id,
    schoolId: unit.schoolId,
    label: unit.label,
    level: unit.level,
    schoolType: unit.schoolType,
    students: unit.students,
    splitWeight: unit.splitWeight,
    weightedEnrolment: unit.weightedEnrolment,
    share: unit.share,
    allocated: f
      ? {
          teachingAreaM2: allocatedAmount(unit, f.teachingAuxiliaryAreaM2 - f.indoorSportsAreaM2),
          sportsAreaM2: allocatedAmount(unit, f.sportsGroundAreaM2 + f.sportsHallAreaM2),
          equipmentYuan: allocatedAmount(unit, wanYuanToYuan(f.equipmentValueWanYuan)),
          multimediaClassrooms: allocatedAmount(unit, f.multimediaClassrooms),
        }
      : null,
    indicators,
    indicatorsMet: met,
    status,
    reasons,
  };
}

function fmt(v: number | null): string {
  return v === null ? "—" : String(roundHalfUp(v, 4));
}

export interface CvResult {
  code: IndicatorCode;
  level: Level;
  /** Units in the computation. */
  n: number;
  /** P, students of those units. */
  students: number;
  /** X̄, student-weighted county mean (= county total ÷ county students). */
  mean: number | null;
  /** S, weighted population standard deviation. */
  sd: number | null;
  /** 差异系数 S ÷ X̄; see `reason` when `null`. */
  cv: number | null;
  limit: number;
  /** cv ≤ limit; `null` when the CV is not computable or the level has no units. */
  withinLimit: boolean | null;
  /**
   * `ok`; `no_units` (the level has no units: not applicable); `zero_mean` (every value is 0:
   * the CV is undefined, and every unit already fails this indicator); `missing_data` (some unit
   * lacks this value: no CV is computed rather than one over a subset).
   */
  reason: "ok" | "no_units" | "zero_mean" | "missing_data";
}

export interface LevelResult {
  level: Level;
  unitCount: number;
  students: number;
  cvs: Record<IndicatorCode, CvResult>;
  /** 综合: plain mean of the 7 CVs, informational only; `null` unless all 7 are computed. */
  compositeCv: number | null;
}

export interface ResourceResult {
  status: PartStatus;
  units: UnitResult[];
  excluded: ExcludedSection[];
  levels: Record<Level, LevelResult>;
  reasons: string[];
  borderline: BorderlineFlag[];
}

/** 差异系数 of one indicator over the units of one level. */
export function indicatorCv(units: readonly UnitResult[], code: IndicatorCode, level: Level, settings: ResourceSettings): CvResult {
  const ofLevel = units.filter((u) => u.level === level);
  const limit = settings.cvLimit[level];
  const students = ofLevel.reduce((a, u) => a + u.students, 0);
  if (ofLevel.length === 0) {
    return { code, level, n: 0, students: 0, mean: null, sd: null, cv: null, limit, withinLimit: null, reason: "no_units" };
  }
  const points: { students: number; value: number }[] = [];
  for (const u of ofLevel) {
    const value = u.indicators[code].value;
    if (value === null) {
      return { code, level, n: ofLevel.length, students, mean: null, sd: null, cv: null, limit, withinLimit: null, reason: "missing_data" };
    }
    points.push({ students: u.students, value });
  }
  const d = weightedDispersion(points);
  const withinLimit = d.cv === null ? null : d.cv <= limit;
  return { code, level, n: d.n, students: d.students, mean: d.mean, sd: d.sd, cv: d.cv, limit, withinLimit, reason: d.reason === "zero_mean" ? "zero_mean" : "ok" };
}

/**
 * Evaluates 资源配置 for one county's schools. Status: `not_evaluated` when the county has no
 * units; `fail` when a unit fails or a CV exceeds its limit; `incomplete` when nothing failed
 * but a unit or CV could not be evaluated; else `pass`.
 */
export function evaluateResources(
  schools: readonly SchoolInput[],
  settings: ResourceSettings,
  display: DisplaySettings,
): ResourceResult {
  const { units, excluded } = buildUnits(schools, settings);
  const results = units.map((u) => evaluateUnit(u, settings));
  const reasons: string[] = [];
  const borderline: BorderlineFlag[] = [];
  let anyFail = false;
  let anyOpen = false;
  for (const r of results) {
    if (r.status === "fail") {
      anyFail = true;
      reasons.push(...r.reasons);
    } else if (r.status === "not_evaluated") {
      anyOpen = true;
      reasons.push(...r.reasons);
    }
    for (const code of INDICATOR_CODES) {
      const c = r.indicators[code];
      if (c.value === null) continue;
      const subject = `${r.label} ${code}`;
      const a = borderlineFlag(subject, code, c.value, display.meanDecimals, ">=", c.standard);
      const b = borderlineFlag(subject, code, c.value, display.meanDecimals, ">=", c.floor);
      if (a) borderline.push(a);
      if (b) borderline.push(b);
    }
  }
  const levelResult = (level: Level): LevelResult => {
    const ofLevel = results.filter((u) => u.level === level);
    const cvs = byIndicator((code) => indicatorCv(results, code, level, settings));
    const levelLabel = LEVEL_LABELS[level];
    for (const code of INDICATOR_CODES) {
      const cv = cvs[code];
      if (cv.withinLimit === false && cv.cv !== null) {
        anyFail = true;
        reasons.push(`${levelLabel} ${code}「${INDICATOR_LABELS[code]}」差异系数为 ${String(roundHalfUp(cv.cv, 4))}，超过 ${String(cv.limit)}`);
      } else if (cv.reason === "missing_data") {
        anyOpen = true;
      } else if (cv.reason === "zero_mean") {
        anyOpen = true;
        reasons.push(`${levelLabel} ${code}「${INDICATOR_LABELS[code]}」各单位数值均为0，差异系数无定义`);
      }
      if (cv.cv !== null) {
        const flag = borderlineFlag(`${levelLabel} ${code} 差异系数`, code, cv.cv, display.cvDecimals, "<=", cv.limit);
        if (flag) borderline.push(flag);
      }
    }
    const all = INDICATOR_CODES.map((c) => cvs[c].cv);
    const complete = all.every((v) => v !== null);
    return {
      level,
      unitCount: ofLevel.length,
      students: ofLevel.reduce((a, u) => a + u.students, 0),
      cvs,
      compositeCv: complete ? all.reduce<number>((a, v) => a + (v ?? 0), 0) / all.length : null,
    };
  };
  const levels: Record<Level, LevelResult> = { primary: levelResult("primary"), junior: levelResult("junior") };
  const status: PartStatus = results.length === 0 ? "not_evaluated" : anyFail ? "fail" : anyOpen ? "incomplete" : "pass";
  if (results.length === 0) reasons.push("无学校数据，资源配置未评估");
  return { status, units: results, excluded, levels, reasons, borderline };
}
