/**
 * Units of the resource indicators (资源配置): one unit per school section of one level
 * (spec §1). A 小学 or 初中 is one unit; a 九年一贯制 school is two (小学部, 初中部); a 完全中学
 * gives one 初中 unit; a 十二年一贯制 school a 小学 and an 初中 unit; a 教学点 with ≥ 50 students
 * is a 小学 unit and below 50 it is left out. Special-education and vocational schools are not
 * units (they are not in the school list).
 *
 * Teachers (L1–L3) are reported per section. The four shared resources (L4–L7) of a
 * multi-level school are split by weighted enrolment: with weights wₗ and students Pₗ per level,
 * W = Σ wₗ·Pₗ and the section of level ℓ gets the share wₗ·Pₗ / W. Example (spec): 166 小学 and
 * 210 初中 students of a 九年一贯制 school sharing 23 226 m²: W = 166 + 1.1 × 210 = 397,
 * 23 226 / 397 = 58.50 per weighted student, 小学部 166 × 58.50 = 9 711.6, 初中部
 * 1.1 × 210 × 58.50 = 13 514.4. A single-level school has W = P and share 1.
 */
import type { Level, SchoolType } from "../vocabulary";
import { LEVEL_LABELS } from "../vocabulary";
import { add, dec, div, int, mul, RATIONAL_ZERO, toNumber, type Rational } from "./exact";
import type { Facilities, SchoolInput, SectionStaff } from "./input";
import type { ResourceSettings } from "./settings";

/** Split weights by level for a school type; levels absent from the type have no weight. */
export function splitWeightsFor(type: SchoolType, settings: ResourceSettings): { primary: number; junior: number; senior: number } {
  switch (type) {
    case "nine_year":
      return { ...settings.splitWeights.nine_year, senior: 0 };
    case "twelve_year":
      return settings.splitWeights.twelve_year;
    case "complete_secondary":
      return { primary: 0, ...settings.splitWeights.complete_secondary };
    case "primary":
    case "teaching_point":
      return { primary: 1, junior: 0, senior: 0 };
    case "junior":
      return { primary: 0, junior: 1, senior: 0 };
  }
}

/** Levels that form units for a school type (小学部 and/or 初中部). */
export function unitLevelsFor(type: SchoolType): Level[] {
  switch (type) {
    case "primary":
    case "teaching_point":
      return ["primary"];
    case "junior":
    case "complete_secondary":
      return ["junior"];
    case "nine_year":
    case "twelve_year":
      return ["primary", "junior"];
  }
}

export interface Unit {
  /** `${schoolId}:${level}` */
  id: string;
  schoolId: string;
  schoolName: string;
  countyId: string;
  schoolType: SchoolType;
  level: Level;
  /** Pᵢ: students of this section. */
  students: number;
  /** wₗ: this level's split weight (1 for single-level schools). */
  splitWeight: number;
  /** W = Σ wₗ·Pₗ over the school's levels (students × weight; = students for single-level). */
  weightedEnrolment: number;
  /** wₗ·Pₗ / W: share of the school's shared resources (L4–L7) given to this section. */
  share: number;
  /** wₗ and W exactly (the split weights read as the decimals they are written as, 1.1 = 11/10). */
  exactSplitWeight: Rational;
  exactWeightedEnrolment: Rational;
  /** Teachers of this section (L1–L3); `null` when not provided. */
  staff: SectionStaff | null;
  /** The whole school's facilities (L4–L7), before the split; `null` when not provided. */
  facilities: Facilities | null;
  /** Display name, e.g. "中宁县鸣沙学校（小学部）". */
  label: string;
}

export interface ExcludedSection {
  schoolId: string;
  schoolName: string;
  countyId: string;
  level: Level;
  students: number;
  /** Chinese reason, e.g. "教学点在校生不足50人，不参与资源配置7项指标和差异系数计算". */
  reason: string;
}

const STAFF_TOTAL = (s: SectionStaff | undefined): number => (s ? s.fullTimeTeachers : 0);

/**
 * Builds the units of a list of schools. A section with no students is not a unit and takes no
 * share; it is returned in `excluded` with the reason, and so is a 教学点 below
 * `teachingPointMinStudents`. A section without students whose teachers were reported (a
 * 九年一贯制 school with 0 初中 students but 初中 teachers) says that those teachers count for no
 * unit: L1–L3 are per section, and the spec gives no rule moving them to the other section.
 */
export function buildUnits(schools: readonly SchoolInput[], settings: ResourceSettings): { units: Unit[]; excluded: ExcludedSection[] } {
  const units: Unit[] = [];
  const excluded: ExcludedSection[] = [];
  for (const school of schools) {
    const weights = splitWeightsFor(school.type, settings);
    const exactWeights = { primary: dec(weights.primary), junior: dec(weights.junior), senior: dec(weights.senior) };
    const exactW = [
      mul(exactWeights.primary, int(school.students.primary)),
      mul(exactWeights.junior, int(school.students.junior)),
      mul(exactWeights.senior, int(school.students.senior)),
    ].reduce(add, RATIONAL_ZERO);
    const levels = unitLevelsFor(school.type);
    const multi = levels.length > 1 || school.students.senior > 0;
    for (const level of levels) {
      const students = school.students[level];
      const sectionName = multi ? `${school.name}（${LEVEL_LABELS[level]}部）` : school.name;
      if (students <= 0) {
        const teachers = STAFF_TOTAL(school.sections[level]);
        excluded.push({
          schoolId: school.id,
          schoolName: school.name,
          countyId: school.countyId,
          level,
          students,
          reason:
            `${sectionName}在校生为0，不构成资源配置单位，不参与7项指标和差异系数计算` +
            (teachers > 0
              ? `；填报的${LEVEL_LABELS[level]}部专任教师 ${String(teachers)} 人不计入任何单位（L1–L3 按学段计算，如实际在其他学段任教，请填入该学段）`
              : "") +
            (multi && levels.some((l) => l !== level && school.students[l] > 0) ? "；全校共用的校舍与装备全部计入另一学段" : ""),
        });
        continue;
      }
      if (school.type === "teaching_point" && students < settings.teachingPointMinStudents) {
        excluded.push({
          schoolId: school.id,
          schoolName: school.name,
          countyId: school.countyId,
          level,
          students,
          reason: `教学点在校生${String(students)}人，不足${String(settings.teachingPointMinStudents)}人，不参与资源配置7项指标和差异系数计算`,
        });
        continue;
      }
      const exactWeight = exactWeights[level];
      units.push({
        id: `${school.id}:${level}`,
        schoolId: school.id,
        schoolName: school.name,
        countyId: school.countyId,
        schoolType: school.type,
        level,
        students,
        splitWeight: toNumber(exactWeight),
        weightedEnrolment: toNumber(exactW),
        share: toNumber(div(mul(exactWeight, int(students)), exactW)),
        exactSplitWeight: exactWeight,
        exactWeightedEnrolment: exactW,
        staff: school.sections[level] ?? null,
        facilities: school.facilities ?? null,
        label: sectionName,
      });
    }
  }
  return { units, excluded };
}

/** R·wₗ·Pₗ / W exactly (R exact). */
export function allocatedExact(unit: Unit, schoolAmount: Rational): Rational {
  return div(mul(mul(schoolAmount, unit.exactSplitWeight), int(unit.students)), unit.exactWeightedEnrolment);
}

/** R·wₗ / W exactly: a shared resource per student of the unit. */
export function perStudentOfSharedExact(unit: Unit, schoolAmount: Rational): Rational {
  return div(mul(schoolAmount, unit.exactSplitWeight), unit.exactWeightedEnrolment);
}

/**
 * The part of a school-wide amount R allocated to a unit: R·wₗ·Pₗ / W (e.g. 23 226 → 9 711.6 for
 * the spec's 小学部). Returned for display; indicator values use `perStudentOfShared`.
 */
export function allocatedAmount(unit: Unit, schoolAmount: number): number {
  return toNumber(allocatedExact(unit, dec(schoolAmount)));
}

/**
 * A shared resource per student of the unit: (R·wₗ·Pₗ / W) / Pₗ = R·wₗ / W (exact, then the nearest
 * double). For a single-level school this is R / P.
 */
export function perStudentOfShared(unit: Unit, schoolAmount: number): number {
  return toNumber(perStudentOfSharedExact(unit, dec(schoolAmount)));
}
