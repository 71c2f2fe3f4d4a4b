/**
 * Live coverage of one county against its sample plan (spec §4: 1.5‰ of 常住人口, parents ≥ 50%,
 * other groups roughly equal, grades roughly equal, 城区/镇区/乡村 in proportion): the plan's
 * cells with what has been collected, and each school's questionnaires against its share of
 * the plan (app/domain/school-targets.ts) with its parents' participation. Counts only: nothing
 * here reveals an answer, so nothing needs suppressing; while the collection is open they are the
 * released blocks like every other figure (decision 0015: where each single response went is not
 * shown either), with how many were received and not yet counted.
 */
import type { Campaign, County, School } from "../../../db/repositories/campaigns";
import { checkEnrolment, coverageEnrolmentNote } from "../../domain/enrolment-sources";
import { pupilsOf } from "../../domain/integrity";
import { structureBanner, type StructureBanner } from "../../domain/pass-outlook";
import type { CoverageCell } from "../../domain/sample-plan";
import { isShort, participation, schoolTargets, type SchoolTarget } from "../../domain/school-targets";
import { QUESTIONNAIRE_SCORING } from "../../domain/questionnaire-scoring";
import { GRADES_BY_SCHOOL_TYPE, LOCATION_LABELS } from "../../domain/vocabulary";
import type { Services } from "../context";
import { storedInput } from "./evaluation-data";
import { countyCounts, SETTINGS, type CountyCounts } from "./satisfaction";
import { releaseNotice } from "./tallies";

export interface SchoolCoverageRow {
  id: string;
  name: string;
  location: string;
  pupils: number;
  /** When the evaluation data has another 在校生 for this school: what 达标评估 uses (app/domain/enrolment-sources.ts). */
  enrolmentNote: string | null;
  parent: { collected: number; target: number; short: boolean };
  student: { collected: number; target: number; short: boolean } | null;
  staff: { collected: number; target: number; short: boolean };
  total: number;
  invalid: number;
  flagged: number;
  /** 家长问卷 ÷ 在校生. */
  participation: number | null;
}

export interface CoverageView {
  planned: boolean;
  required: number | null;
  collected: number;
  insufficient: boolean;
  /** The banner: totals and the plan's structure, naming the cells short of it (app/domain/pass-outlook.ts). */
  structure: StructureBanner;
  cells: CoverageCell[];
  schools: SchoolCoverageRow[];
  countyLink: { deputy: number; cppcc: number; public: number; total: number };
  lastSubmittedNote: string;
  /** While the collection is open: figures in blocks of 5, how many received and not yet counted. */
  release: string | null;
}

/** Whether a school of this type has a 学生卷 (teaches grade 3 or above). */
export function hasStudentQuestionnaire(type: School["type"]): boolean {
  return GRADES_BY_SCHOOL_TYPE[type].max >= QUESTIONNAIRE_SCORING.student.minGrade;
}

/** Each school's share of the county's plan (app/domain/school-targets.ts); empty without a plan. Coverage and the shortfall (./shortfall.ts) both read it. */
export function countySchoolTargets(c: Pick<CountyCounts, "result" | "schools">): Map<string, SchoolTarget> {
  const plan = c.result.plan;
  if (!plan) return new Map();
  return schoolTargets(
    plan,
    c.schools.map((s) => ({ id: s.id, location: s.location, pupils: pupilsOf(s.students), hasStudentQuestionnaire: hasStudentQuestionnaire(s.type) })),
  );
}

/** `counts`: the county's counts when the caller has read them already (as `countyCounts(…, false)`). */
export async function countyCoverage(services: Pick<Services, "db" | "now">, campaign: Campaign, county: County, counts?: CountyCounts): Promise<CoverageView> {
  const c = counts ?? (await countyCounts(services, campaign, county, false));
  const stored = await storedInput(services, campaign.id);
  const enrolment = checkEnrolment(c.schools, stored ? stored.input.schools.filter((s) => s.countyId === county.id) : null);
  const enrolmentNotes = new Map(enrolment.differences.map((d) => [d.id, coverageEnrolmentNote(d)]));
  const tolerance = SETTINGS.samplePlan.cellTolerance;
  const plan = c.result.plan;
  const targets = countySchoolTargets(c);
  const schools = c.schools.map((s): SchoolCoverageRow => {
    const cells = c.cells.filter((x) => x.schoolId === s.id);
    const valid = (pred: (g: string) => boolean) => cells.filter((x) => pred(x.group)).reduce((a, x) => a + x.valid, 0);
    const t = targets.get(s.id) ?? { parent: 0, student: 0, staff: 0 };
    const parents = valid((g) => g === "parent");
    const students = valid((g) => g === "student");
    const staff = valid((g) => g === "teacher" || g === "principal");
    const hasStudent = hasStudentQuestionnaire(s.type);
    const pupils = pupilsOf(s.students);
    return {
      id: s.id,
      name: s.name,
      location: LOCATION_LABELS[s.location],
      pupils,
      enrolmentNote: enrolmentNotes.get(s.id) ?? null,
      parent: { collected: parents, target: t.parent, short: isShort(parents, t.parent, tolerance) },
      student: hasStudent ? { collected: students, target: t.student, short: isShort(students, t.student, tolerance) } : null,
      staff: { collected: staff, target: t.staff, short: isShort(staff, t.staff, tolerance) },
      total: cells.reduce((a, x) => a + x.total, 0),
      // Reviews count out of the figures only at close; how many a school had is no answer.
      invalid: c.release.blocks ? c.received.filter((x) => x.schoolId === s.id).reduce((a, x) => a + x.invalid, 0) : cells.reduce((a, x) => a + x.invalid, 0),
      flagged: cells.reduce((a, x) => a + x.flagged, 0),
      participation: participation(parents, pupils),
    };
  });
  const linkCells = c.cells.filter((x) => x.schoolId === null);
  const linkValid = (g: string) => linkCells.filter((x) => x.group === g).reduce((a, x) => a + x.valid, 0);
  return {
    planned: plan !== null,
    required: plan?.total ?? null,
    collected: c.result.overall.n,
    insufficient: c.result.coverage?.insufficient ?? false,
    structure: structureBanner(c.result.coverage),
    cells: c.result.coverage?.cells ?? [],
    schools,
    countyLink: { deputy: linkValid("deputy"), cppcc: linkValid("cppcc"), public: linkValid("public"), total: linkCells.reduce((a, x) => a + x.valid, 0) },
    lastSubmittedNote: c.release.blocks ? "调查进行中按已计入的问卷统计（复核标记的无效问卷在调查结束后剔除）" : "按有效问卷统计（已标记无效的问卷不计入样本）",
    release: releaseNotice(c.release),
  };
}
