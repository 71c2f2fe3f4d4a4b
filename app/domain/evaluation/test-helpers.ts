/**
 * Builders for the evaluation's unit tests: a school meeting every 小学 (or 初中) standard
 * exactly, which a test then changes one figure of. Not used by production code.
 */
import type { SchoolType } from "../vocabulary";
import type { CountyInput, EvaluationInput, Facilities, SchoolInput, SectionStaff } from "./input";

/** Teachers of a section of `p` students meeting 小学 L1–L3 exactly when p is a multiple of 100. */
export function staffAt(p: number, level: "primary" | "junior" = "primary"): SectionStaff {
  const l1 = level === "primary" ? 4.2 : 5.3;
  // 100 × t ÷ p = standard ⇔ t = standard × p ÷ 100 (integers for p = 1000).
  const above = Math.round((l1 * p) / 100);
  const pe = Math.round((0.9 * p) / 100);
  return { fullTimeTeachers: above + 20, aboveRequiredDegree: above, keyTeachers: Math.round(p / 100), peTeachers: pe, musicTeachers: 0, artTeachers: 0 };
}

/** Facilities of a single-level school of `p` students exactly at the standards. */
export function facilitiesAt(p: number, level: "primary" | "junior" = "primary"): Facilities {
  const s = level === "primary" ? { l4: 4.5, l5: 7.5, l6: 2000, l7: 2.3 } : { l4: 5.8, l5: 10.2, l6: 2500, l7: 2.4 };
  return {
    teachingAuxiliaryAreaM2: s.l4 * p,
    indoorSportsAreaM2: 0,
    sportsGroundAreaM2: s.l5 * p,
    sportsHallAreaM2: 0,
    equipmentValueWanYuan: (s.l6 * p) / 10_000,
    multimediaClassrooms: Math.round((s.l7 * p) / 100),
  };
}

export function primarySchool(id: string, p: number, patch: Partial<SchoolInput> = {}): SchoolInput {
  return {
    id,
    countyId: "C1",
    name: `学校${id}`,
    type: "primary",
    location: "urban",
    students: { primary: p, junior: 0, senior: 0 },
    sections: { primary: staffAt(p) },
    facilities: facilitiesAt(p),
    ...patch,
  };
}

export function juniorSchool(id: string, p: number, patch: Partial<SchoolInput> = {}): SchoolInput {
  return {
    id,
    countyId: "C1",
    name: `学校${id}`,
    type: "junior",
    location: "urban",
    students: { primary: 0, junior: p, senior: 0 },
    sections: { junior: staffAt(p, "junior") },
    facilities: facilitiesAt(p, "junior"),
    ...patch,
  };
}

export function schoolOfType(id: string, type: SchoolType, students: SchoolInput["students"], patch: Partial<SchoolInput> = {}): SchoolInput {
  return { id, countyId: "C1", name: `学校${id}`, type, location: "urban", students, sections: {}, facilities: null, ...patch };
}

export const COUNTY: CountyInput = { id: "C1", name: "测试县", residentPopulation: 400_000, locationShare: { urban: 0.5, town: 0.25, rural: 0.25 } };

export function inputOf(schools: SchoolInput[], patch: Partial<EvaluationInput> = {}): EvaluationInput {
  return { format: "youzhi-junheng/evaluation-input", version: 1, counties: [COUNTY], schools, countyItems: [], ...patch };
}
