/**
 * How many questionnaires each school should bring in, so that the county's sample plan
 * (./sample-plan.ts) is met: the plan's school-based groups apportioned over the schools by
 * enrolment (largest remainder, so the schools' targets add up to the county's):
 *
 * - 家长 (社会卷 on the school's link): the parents' requirement over all schools by pupils;
 * - 学生 (学生卷): the students' requirement over the schools teaching grade 3 or above, by pupils;
 * - 教师 + 校长 (校长教师卷): their requirement over all schools by pupils.
 *
 * When the plan has a 城区/镇区/乡村 split, each requirement is first divided between the
 * locations in the plan's proportions (locations without a school teaching it give their share
 * to the others), then over the schools of each location by pupils — so that meeting every
 * school's target also meets the location cells.
 *
 * A school is short in a column when it has collected fewer than target × (1 − tolerance).
 * Pure; enrolments and the plan come in.
 */
import { apportion, type SamplePlan } from "./sample-plan";
import { LOCATIONS, type Location } from "./vocabulary";

export interface SchoolForTargets {
  id: string;
  location: Location;
  /** Pupils of all levels (the enrolment the school's parents come from). */
  pupils: number;
  /** Teaches grade 3 or above (has a 学生卷). */
  hasStudentQuestionnaire: boolean;
}

export interface SchoolTarget {
  parent: number;
  student: number;
  staff: number;
}

/** `total` over `schools` by pupils, through the plan's location split when there is one. */
function spread(total: number, schools: readonly SchoolForTargets[], byLocation: SamplePlan["byLocation"]): Map<string, number> {
  const byPupils = (list: readonly SchoolForTargets[]) => list.map((s) => [s.id, Math.max(0, s.pupils)] as const);
  if (!byLocation) return apportion(total, byPupils(schools));
  const present = LOCATIONS.filter((l) => schools.some((s) => s.location === l && s.pupils > 0));
  const perLocation = apportion(
    total,
    present.map((l) => [l, byLocation[l]] as const),
  );
  const out = new Map<string, number>();
  for (const l of present) {
    for (const [id, n] of apportion(perLocation.get(l) ?? 0, byPupils(schools.filter((s) => s.location === l)))) out.set(id, n);
  }
  for (const s of schools) if (!out.has(s.id)) out.set(s.id, 0);
  return out;
}

export function schoolTargets(plan: SamplePlan, schools: readonly SchoolForTargets[]): Map<string, SchoolTarget> {
  const parents = spread(plan.byGroup.parent, schools, plan.byLocation);
  const staff = spread(plan.byGroup.teacher + plan.byGroup.principal, schools, plan.byLocation);
  const students = spread(
    plan.byGroup.student,
    schools.filter((s) => s.hasStudentQuestionnaire),
    plan.byLocation,
  );
  return new Map(schools.map((s) => [s.id, { parent: parents.get(s.id) ?? 0, student: students.get(s.id) ?? 0, staff: staff.get(s.id) ?? 0 }] as const));
}

/** Short: collected below target × (1 − tolerance); a zero target is never short. */
export function isShort(collected: number, target: number, tolerance: number): boolean {
  return target > 0 && collected < target * (1 - tolerance);
}

/** Participation of a school's parents: parents' questionnaires ÷ pupils (null without pupils). */
export function participation(parentsCollected: number, pupils: number): number | null {
  return pupils > 0 ? parentsCollected / pupils : null;
}
