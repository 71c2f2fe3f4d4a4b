/**
 * 催收 (chasing schools): what each school still owes against its share of the county's sample
 * plan (./school-targets.ts), by questionnaire group, by grade band and — through the school's
 * own 城区/镇区/乡村 — by location, with a Chinese summary line and the order in which a county
 * officer should chase them (decision record 0022).
 *
 * - Groups are the school's three columns of the plan: 家长 (社会卷 on the school's link), 学生
 *   (学生卷), 教师和校长 (校长教师卷, one target for both).
 * - Grade bands (`GRADE_BANDS`: 一至三, 四至六, 七至九年级) split the 家长 and 学生 targets the way
 *   the plan splits the county's (spec §4: grades roughly equal): the school's target is
 *   apportioned equally over the grades it teaches within the plan's grade range for that group
 *   (parents 1–9, students 3–9; largest remainder, so the grades add up to the target), then
 *   summed per band. A band is labelled by the grades it really holds ("三年级" for the
 *   students' first band).
 * - Missing = target − collected when positive, else 0, per group and per band. A group's
 *   missing is the plan's figure; its bands say where the questionnaires should come from. A
 *   band can miss more than its group (another band is over its share): the questionnaires the
 *   group still needs are best found there. A questionnaire without a grade counts for its
 *   group and no band.
 * - Order (`rankShortfalls`): the largest share of the school's target still missing
 *   (Σ missing ÷ Σ target over its groups) first, then the most questionnaires missing, then
 *   the order given (the school list). A school with no target (0 pupils) comes last.
 *
 * Counts only: nothing here tells an answer, so nothing needs suppressing (as for coverage).
 * Pure; the collected counts come in.
 */
import { apportion } from "./sample-plan";
import type { SchoolTarget } from "./school-targets";
import { LOCATION_LABELS, LOCATIONS, type Location, type RespondentGroup } from "./vocabulary";

/** The school's three columns of the plan. */
export const SHORTFALL_GROUPS = ["parent", "student", "staff"] as const;
export type ShortfallGroup = (typeof SHORTFALL_GROUPS)[number];
export const SHORTFALL_GROUP_LABELS: Record<ShortfallGroup, string> = { parent: "家长", student: "学生", staff: "教师和校长" };

/** 学段 bands the grades are chased by: 小学低年级, 小学高年级, 初中. */
export const GRADE_BANDS: ReadonlyArray<{ min: number; max: number }> = [
  { min: 1, max: 3 },
  { min: 4, max: 6 },
  { min: 7, max: 9 },
];

const NUMERALS = ["〇", "一", "二", "三", "四", "五", "六", "七", "八", "九"];

/** "四至六年级", or "三年级" for a band of one grade. */
export function gradeBandLabel(min: number, max: number): string {
  const n = (g: number) => NUMERALS[g] ?? String(g);
  return min === max ? `${n(min)}年级` : `${n(min)}至${n(max)}年级`;
}

export interface GradeRange {
  min: number;
  max: number;
}

export interface ShortfallSettings {
  /** The plan's grades for parents (their child's grade) and students: SamplePlanSettings. */
  parentGrades: GradeRange;
  studentGrades: GradeRange;
  /** A group is short below target × (1 − tolerance) (SamplePlanSettings.cellTolerance). */
  cellTolerance: number;
}

export interface SchoolShortfallInput {
  id: string;
  name: string;
  location: Location;
  /** Grades the school teaches (GRADES_BY_SCHOOL_TYPE). */
  grades: GradeRange;
  /** Its share of the county plan; `student` is ignored without a 学生卷. */
  target: SchoolTarget;
  hasStudentQuestionnaire: boolean;
  /** Valid questionnaires counted at this school, by respondent group and grade (null: no grade). */
  collected: ReadonlyArray<{ group: RespondentGroup; grade: number | null; valid: number }>;
}

export interface BandShortfall {
  min: number;
  max: number;
  label: string;
  target: number;
  collected: number;
  missing: number;
}

export interface GroupShortfall {
  group: ShortfallGroup;
  label: string;
  target: number;
  collected: number;
  missing: number;
  /** Below target × (1 − tolerance): the plan's own test (./school-targets.ts isShort). */
  short: boolean;
  /** Parents and students only; bands the school teaches within the plan's range. */
  bands: BandShortfall[];
}

export interface SchoolShortfall {
  id: string;
  name: string;
  location: Location;
  locationLabel: string;
  groups: GroupShortfall[];
  target: number;
  collected: number;
  /** Σ missing over the groups. */
  missing: number;
  /** missing ÷ target (0–1); null when the school has no target. */
  missingShare: number | null;
  /** Nothing missing in any group. */
  met: boolean;
  /** "还差：家长 23 份（四至六年级 15 份）", "已达到计划" or "本校未分配样本". */
  summary: string;
}

function groupOf(g: RespondentGroup): ShortfallGroup | null {
  if (g === "parent") return "parent";
  if (g === "student") return "student";
  if (g === "teacher" || g === "principal") return "staff";
  return null;
}

function intersect(a: GradeRange, b: GradeRange): GradeRange | null {
  const min = Math.max(a.min, b.min);
  const max = Math.min(a.max, b.max);
  return min <= max ? { min, max } : null;
}

function bandsOf(
  target: number,
  taught: GradeRange,
  planned: GradeRange,
  collected: SchoolShortfallInput["collected"],
  group: RespondentGroup,
): BandShortfall[] {
  const range = intersect(taught, planned);
  if (!range) return [];
  const grades: Array<readonly [string, number]> = [];
  for (let g = range.min; g <= range.max; g += 1) grades.push([String(g), 1]);
  const perGrade = apportion(target, grades);
  const out: BandShortfall[] = [];
  for (const band of GRADE_BANDS) {
    const r = intersect(band, range);
    if (!r) continue;
    let t = 0;
    for (let g = r.min; g <= r.max; g += 1) t += perGrade.get(String(g)) ?? 0;
    const got = collected.filter((c) => c.group === group && c.grade !== null && c.grade >= r.min && c.grade <= r.max).reduce((a, c) => a + c.valid, 0);
    out.push({ min: r.min, max: r.max, label: gradeBandLabel(r.min, r.max), target: t, collected: got, missing: Math.max(0, t - got) });
  }
  return out;
}

/** The groups still missing, as the summary line says them: "家长 23 份（四至六年级 15 份）；学生 5 份". */
export function missingPhrase(groups: readonly GroupShortfall[]): string {
  return groups
    .filter((g) => g.missing > 0)
    .map((g) => {
      const bands = g.bands.length > 1 ? g.bands.filter((b) => b.missing > 0) : [];
      const detail = bands.length > 0 ? `（${bands.map((b) => `${b.label} ${String(b.missing)} 份`).join("、")}）` : "";
      return `${g.label} ${String(g.missing)} 份${detail}`;
    })
    .join("；");
}

/** One school's shortfall (see the module comment). */
export function schoolShortfall(input: SchoolShortfallInput, settings: ShortfallSettings): SchoolShortfall {
  const groups: GroupShortfall[] = [];
  for (const group of SHORTFALL_GROUPS) {
    if (group === "student" && !input.hasStudentQuestionnaire) continue;
    const target = input.target[group];
    const got = input.collected.filter((c) => groupOf(c.group) === group).reduce((a, c) => a + c.valid, 0);
    const bands =
      group === "parent"
        ? bandsOf(target, input.grades, settings.parentGrades, input.collected, "parent")
        : group === "student"
          ? bandsOf(target, input.grades, settings.studentGrades, input.collected, "student")
          : [];
    groups.push({
      group,
      label: SHORTFALL_GROUP_LABELS[group],
      target,
      collected: got,
      missing: Math.max(0, target - got),
      short: target > 0 && got < target * (1 - settings.cellTolerance),
      bands,
    });
  }
  const target = groups.reduce((a, g) => a + g.target, 0);
  const collected = groups.reduce((a, g) => a + g.collected, 0);
  const missing = groups.reduce((a, g) => a + g.missing, 0);
  const summary = target === 0 ? "本校未分配样本" : missing === 0 ? "已达到计划" : `还差：${missingPhrase(groups)}`;
  return {
    id: input.id,
    name: input.name,
    location: input.location,
    locationLabel: LOCATION_LABELS[input.location],
    groups,
    target,
    collected,
    missing,
    missingShare: target > 0 ? missing / target : null,
    met: missing === 0,
    summary,
  };
}

/**
 * Furthest behind first: missing share descending (no target last), then missing count
 * descending, then the given order. Returns a new array.
 */
export function rankShortfalls<T extends Pick<SchoolShortfall, "missingShare" | "missing">>(schools: readonly T[]): T[] {
  return schools
    .map((s, index) => ({ s, index }))
    .sort((a, b) => {
      const sa = a.s.missingShare ?? -1;
      const sb = b.s.missingShare ?? -1;
      return sb - sa || b.s.missing - a.s.missing || a.index - b.index;
    })
    .map((x) => x.s);
}

export interface CountyShortfallTotals {
  /** Σ over the schools, per group. */
  byGroup: Record<ShortfallGroup, number>;
  /** Σ over the schools of each 城区/镇区/乡村. */
  byLocation: Record<Location, number>;
  missing: number;
  /** Schools with something missing / all schools with a target. */
  behind: number;
  withTarget: number;
  /** "各校还差：家长 120 份；学生 40 份。按城乡：城区 60 份、乡村 100 份" or "各校均已达到计划". */
  summary: string;
}

/** The county's schools together: what they still owe by group and by location. */
export function countyShortfallTotals(schools: readonly SchoolShortfall[]): CountyShortfallTotals {
  const byGroup: Record<ShortfallGroup, number> = { parent: 0, student: 0, staff: 0 };
  const byLocation: Record<Location, number> = { urban: 0, town: 0, rural: 0 };
  for (const s of schools) {
    for (const g of s.groups) byGroup[g.group] += g.missing;
    byLocation[s.location] += s.missing;
  }
  const missing = schools.reduce((a, s) => a + s.missing, 0);
  const withTarget = schools.filter((s) => s.target > 0).length;
  const behind = schools.filter((s) => s.missing > 0).length;
  const groups = SHORTFALL_GROUPS.filter((g) => byGroup[g] > 0).map((g) => `${SHORTFALL_GROUP_LABELS[g]} ${String(byGroup[g])} 份`);
  const locations = LOCATIONS.filter((l) => byLocation[l] > 0).map((l) => `${LOCATION_LABELS[l]} ${String(byLocation[l])} 份`);
  const summary = missing === 0 ? "各校均已达到计划" : `${String(behind)} 所学校未达到计划，共还差：${groups.join("；")}。按城乡：${locations.join("、")}`;
  return { byGroup, byLocation, missing, behind, withTarget, summary };
}

export interface ReminderInput {
  campaignName: string;
  /** "2026/12/07 21:30", formatted by the caller (Beijing time). */
  asOf: string;
  shortfall: SchoolShortfall;
  /** The school's questionnaire links, by group they serve. */
  links: ReadonlyArray<{ label: string; url: string; groups: readonly ShortfallGroup[] }>;
}

/**
 * The reminder a school contact pastes into the school's group chat: what is still missing and
 * the links of exactly the questionnaires still missing (all of them once the plan is met is
 * not needed: a thank-you instead).
 */
export function reminderText(r: ReminderInput): string {
  const s = r.shortfall;
  const head = `【${r.campaignName}】${s.name} 问卷回收提醒（截至 ${r.asOf}）`;
  if (s.target === 0) return `${head}\n本校没有分配样本任务。`;
  const counted = `本校已回收有效问卷 ${String(s.collected)} 份，样本计划 ${String(s.target)} 份。`;
  if (s.met) return `${head}\n${counted}\n已达到本校的样本计划，感谢各位老师、家长和同学的支持！`;
  const owed = new Set(s.groups.filter((g) => g.missing > 0).map((g) => g.group));
  const links = r.links.filter((l) => l.groups.some((g) => owed.has(g))).map((l) => `${l.label}：${l.url}`);
  return [
    head,
    counted,
    `还差：${missingPhrase(s.groups)}。`,
    "请各位班主任把下面的问卷链接转发到班级群，提醒尚未填写的家长和同学尽快完成（匿名填写，每台手机每份问卷只需填写一次）。",
    ...links,
  ].join("\n");
}
