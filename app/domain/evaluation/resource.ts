/**
 * 资源配置 (spec §1): the 7 indicator values of each unit, the unit rule (at least 6 of 7 at
 * standard and the remaining one at ≥ 85% of its standard), the student-weighted 差异系数 of
 * each indicator per level (≤ 0.50 小学, ≤ 0.45 初中), the informational 综合 mean of the 7
 * CVs, and the county's pass decision: every unit passes and every CV is within its limit.
 */
import type { Level } from "../vocabulary";
import { LEVEL_LABELS } from "../vocabulary";
import { byIndicator, INDICATOR_CODES, INDICATOR_LABELS, type IndicatorCode } from "./codes";
import { cvBorderlineFlag, exactBorderlineFlag, type BorderlineFlag } from "./display";
import { add, dec, div, formatDeciding, formatSqrtDeciding, ge, int, mul, plainExact, sqrtCompare, sub, toNumber, type Rational } from "./exact";
import type { SchoolInput } from "./input";
import type { DisplaySettings, ResourceSettings } from "./settings";
import { exactDispersion } from "./statistics";
import { allocatedExact, buildUnits, perStudentOfSharedExact, type ExcludedSection, type Unit } from "./units";

/** Status of a part of the evaluation: `incomplete` = some data missing and nothing failed. */
export type PartStatus = "pass" | "fail" | "incomplete" | "not_evaluated";

/** 万元 → 元 exactly (345.6 万元 = 3 456 000 元; 0.6 万元 = 6 000 元). */
export function wanYuanToYuanExact(wan: number): Rational {
  return mul(dec(wan), int(10_000));
}

/** 万元 → 元 as a number (the double nearest to the exact amount). */
export function wanYuanToYuan(wan: number): number {
  return toNumber(wanYuanToYuanExact(wan));
}

/** A unit's standard and 85% floor of one indicator, exactly: floor = standard × floorRatio. */
export function exactStandards(settings: ResourceSettings, level: Level, code: IndicatorCode): { standard: Rational; floor: Rational } {
  const standard = dec(settings.standards[level][code].standard);
  return { standard, floor: mul(standard, dec(settings.floorRatio)) };
}

/**
 * The 7 values of a unit exactly (`null` where its data were not provided); formulas at
 * `unitValues`. Inputs are read as the decimals they are written as.
 */
export function unitExactValues(unit: Unit): Record<IndicatorCode, Rational | null> {
  // Units are built afresh by buildUnits and never changed afterwards: compute once per unit.
  const known = EXACT_VALUES.get(unit);
  if (known) return known;
  const values = computeExactValues(unit);
  EXACT_VALUES.set(unit, values);
  return values;
}

const EXACT_VALUES = new WeakMap<Unit, Record<IndicatorCode, Rational | null>>();

function computeExactValues(unit: Unit): Record<IndicatorCode, Rational | null> {
  const p = int(unit.students);
  const s = unit.staff;
  const f = unit.facilities;
  const per100 = (x: number) => div(mul(int(100), int(x)), p);
  return {
    L1: s ? per100(s.aboveRequiredDegree) : null,
    L2: s ? per100(s.keyTeachers) : null,
    L3: s ? per100(s.peTeachers + s.musicTeachers + s.artTeachers) : null,
    L4: f ? perStudentOfSharedExact(unit, sub(dec(f.teachingAuxiliaryAreaM2), dec(f.indoorSportsAreaM2))) : null,
    L5: f ? perStudentOfSharedExact(unit, add(dec(f.sportsGroundAreaM2), dec(f.sportsHallAreaM2))) : null,
    L6: f ? perStudentOfSharedExact(unit, wanYuanToYuanExact(f.equipmentValueWanYuan)) : null,
    L7: f ? perStudentOfSharedExact(unit, int(100 * f.multimediaClassrooms)) : null,
  };
}

/**
 * The 7 values of a unit (`null` where its data were not provided):
 * - L1 = 100 × 高于规定学历教师数 ÷ Pᵢ;  L2 = 100 × 县级以上骨干教师数 ÷ Pᵢ;
 * - L3 = 100 × (体育 + 音乐 + 美术专任教师数) ÷ Pᵢ  (人/百生, section's own teachers);
 * - L4 = (教学及辅助用房 − 室内体育用房) × wₗ ÷ W  (m²/生);
 * - L5 = (体育运动场 + 体育馆) × wₗ ÷ W  (m²/生);
 * - L6 = 教学仪器设备值(元) × wₗ ÷ W  (元/生);
 * - L7 = 100 × 网络多媒体教室数 × wₗ ÷ W  (间/百生).
 * For a single-level school wₗ ÷ W = 1 ÷ Pᵢ. Pᵢ > 0 for every unit. Each is the double nearest
 * to the exact value (`unitExactValues`), e.g. 214.2 m² ÷ 56 = 3.825 exactly.
 */
export function unitValues(unit: Unit): Record<IndicatorCode, number | null> {
  const exact = unitExactValues(unit);
  return byIndicator((code) => {
    const v = exact[code];
    return v === null ? null : toNumber(v);
  });
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
export function evaluateUnit(unit: Unit, settings: ResourceSettings, display?: DisplaySettings): UnitResult {
  const values = unitExactValues(unit);
  const decimals = display?.meanDecimals ?? 2;
  const exactFloors = byIndicator((code) => exactStandards(settings, unit.level, code).floor);
  const indicators = byIndicator((code): IndicatorCheck => {
    const value = values[code];
    const { standard, floor } = exactStandards(settings, unit.level, code);
    return {
      code,
      value: value === null ? null : toNumber(value),
      standard: toNumber(standard),
      floor: toNumber(floor),
      meetsStandard: value === null ? null : ge(value, standard),
      meetsFloor: value === null ? null : ge(value, floor),
      ratioToStandard: value === null ? null : toNumber(div(value, standard)),
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
  const ratioText = plainExact(mul(dec(settings.floorRatio), int(100)));
  for (const code of belowFloor) {
    const v = values[code];
    const floor = exactFloors[code];
    const shown = v === null ? "—" : formatDeciding(v, decimals, ">=", floor);
    reasons.push(
      `${unit.label} ${code}「${INDICATOR_LABELS[code]}」为 ${shown}，低于${levelLabel}标准 ${String(indicators[code].standard)} 的${ratioText}%（${plainExact(floor)}）`,
    );
  }
  const tooFew = met + missing < settings.minIndicatorsMet;
  if (tooFew) {
    reasons.push(`${unit.label} 仅 ${String(met)} 项指标达标（${belowStandard.join("、")} 未达标），少于 ${String(settings.minIndicatorsMet)} 项`);
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
          teachingAreaM2: toNumber(allocatedExact(unit, sub(dec(f.teachingAuxiliaryAreaM2), dec(f.indoorSportsAreaM2)))),
          sportsAreaM2: toNumber(allocatedExact(unit, add(dec(f.sportsGroundAreaM2), dec(f.sportsHallAreaM2)))),
          equipmentYuan: toNumber(allocatedExact(unit, wanYuanToYuanExact(f.equipmentValueWanYuan))),
          multimediaClassrooms: toNumber(allocatedExact(unit, int(f.multimediaClassrooms))),
        }
      : null,
    indicators,
    indicatorsMet: met,
    status,
    reasons,
  };
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

/**
 * 差异系数 of one indicator over the units of one level, decided exactly: CV ≤ limit ⇔
 * CV² ≤ limit² on the exact sums (./statistics.ts `exactDispersion`). `units` are the county's
 * units (./units.ts); `mean`, `sd` and `cv` in the result are the doubles nearest to the exact
 * values. `cvSquared` (exact, not part of the output) is returned beside the result.
 */
export function indicatorCvExact(
  units: readonly Unit[],
  code: IndicatorCode,
  level: Level,
  settings: ResourceSettings,
): { result: CvResult; cvSquared: Rational | null; limit: Rational } {
  const ofLevel = units.filter((u) => u.level === level);
  const limit = settings.cvLimit[level];
  const exactLimit = dec(limit);
  const students = ofLevel.reduce((a, u) => a + u.students, 0);
  const open = (reason: CvResult["reason"], n: number, p: number) => ({
    result: { code, level, n, students: p, mean: null, sd: null, cv: null, limit, withinLimit: null, reason },
    cvSquared: null,
    limit: exactLimit,
  });
  if (ofLevel.length === 0) return open("no_units", 0, 0);
  const points: { students: number; value: Rational }[] = [];
  for (const u of ofLevel) {
    const value = unitExactValues(u)[code];
    if (value === null) return open("missing_data", ofLevel.length, students);
    points.push({ students: u.students, value });
  }
  const d = exactDispersion(points);
  const withinLimit = d.cvSquared === null ? null : sqrtCompare(d.cvSquared, "<=", exactLimit);
  return {
    result: {
      code,
      level,
      n: d.n,
      students: d.students,
      mean: d.mean,
      sd: d.sd,
      cv: d.cv,
      limit,
      withinLimit,
      reason: d.reason === "zero_mean" ? "zero_mean" : "ok",
    },
    cvSquared: d.cvSquared,
    limit: exactLimit,
  };
}

/** `indicatorCvExact` without the exact square. */
export function indicatorCv(units: readonly Unit[], code: IndicatorCode, level: Level, settings: ResourceSettings): CvResult {
  return indicatorCvExact(units, code, level, settings).result;
}

/**
 * Evaluates 资源配置 for one county's schools. Status: `not_evaluated` when the county has no
 * units; `fail` when a unit fails or a CV exceeds its limit; `incomplete` when nothing failed
 * but a unit or CV could not be evaluated; else `pass`.
 */
export function evaluateResources(schools: readonly SchoolInput[], settings: ResourceSettings, display: DisplaySettings): ResourceResult {
  const { units, excluded } = buildUnits(schools, settings);
  const results = units.map((u) => evaluateUnit(u, settings, display));
  const reasons: string[] = [];
  const borderline: BorderlineFlag[] = [];
  let anyFail = false;
  let anyOpen = false;
  for (const [index, r] of results.entries()) {
    const unit = units[index];
    if (r.status === "fail") {
      anyFail = true;
      reasons.push(...r.reasons);
    } else if (r.status === "not_evaluated") {
      anyOpen = true;
      reasons.push(...r.reasons);
    }
    if (!unit) continue;
    const values = unitExactValues(unit);
    for (const code of INDICATOR_CODES) {
      const v = values[code];
      if (v === null) continue;
      const subject = `${r.label} ${code}`;
      const { standard, floor } = exactStandards(settings, unit.level, code);
      const a = exactBorderlineFlag(subject, code, v, display.meanDecimals, ">=", standard);
      const b = exactBorderlineFlag(subject, code, v, display.meanDecimals, ">=", floor);
      if (a) borderline.push(a);
      if (b) borderline.push(b);
    }
  }
  const levelResult = (level: Level): LevelResult => {
    const ofLevel = results.filter((u) => u.level === level);
    const exact = byIndicator((code) => indicatorCvExact(units, code, level, settings));
    const cvs = byIndicator((code) => exact[code].result);
    const levelLabel = LEVEL_LABELS[level];
    for (const code of INDICATOR_CODES) {
      const cv = cvs[code];
      const { cvSquared, limit } = exact[code];
      if (cv.withinLimit === false && cvSquared !== null) {
        anyFail = true;
        reasons.push(
          `${levelLabel} ${code}「${INDICATOR_LABELS[code]}」差异系数为 ${formatSqrtDeciding(cvSquared, display.cvDecimals, "<=", limit)}，超过 ${plainExact(limit)}`,
        );
      } else if (cv.reason === "missing_data") {
        anyOpen = true;
      } else if (cv.reason === "zero_mean") {
        anyOpen = true;
        reasons.push(`${levelLabel} ${code}「${INDICATOR_LABELS[code]}」各单位数值均为0，差异系数无定义`);
      }
      if (cvSquared !== null) {
        const flag = cvBorderlineFlag(`${levelLabel} ${code} 差异系数`, code, cvSquared, display.cvDecimals, limit);
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
