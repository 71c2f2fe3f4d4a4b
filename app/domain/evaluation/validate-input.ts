/**
 * Cross-record checks of an evaluation input that a schema cannot express: duplicate ids, a
 * school in two counties, a school of unknown county, enrolment that does not fit the school
 * type, more key teachers than teachers, an indoor sports area larger than the teaching area,
 * class sizes that do not add up to the enrolment, numerators above their denominators,
 * questionnaires of unknown counties or schools. Messages are in Chinese; every error names the
 * record through a `Ref` that each importer turns into its sheet, row and column.
 */
import type { Level } from "../vocabulary";
import { gradeLabel } from "../grade-label";
import { GRADES_BY_SCHOOL_TYPE, LEVEL_LABELS, SCHOOL_TYPE_LABELS } from "../vocabulary";
import type { EvaluationInput } from "./input";

/** Where in the input a problem is. `field` is the schema's field name. */
export type Ref =
  | { entity: "county"; index: number; field?: string }
  | { entity: "school"; index: number; field?: string }
  | { entity: "section"; schoolIndex: number; level: Level; field?: string }
  | { entity: "facilities"; schoolIndex: number; field?: string }
  | { entity: "room"; schoolIndex: number; roomIndex: number; field?: string }
  | { entity: "class"; schoolIndex: number; classIndex: number; field?: string }
  | { entity: "countyItem"; index: number; code: string; field?: string }
  | { entity: "record"; index: number; field?: string };

export interface SemanticIssue {
  ref: Ref;
  message: string;
}

const GROUP_QUESTIONNAIRE = {
  parent: "social",
  deputy: "social",
  cppcc: "social",
  public: "social",
  teacher: "staff",
  principal: "staff",
  student: "student",
} as const;

/** All cross-record problems of `input` (empty when it is consistent). */
export function validateInputSemantics(input: EvaluationInput): SemanticIssue[] {
  const issues: SemanticIssue[] = [];
  const push = (ref: Ref, message: string) => issues.push({ ref, message });

  const countyIds = new Map<string, number>();
  input.counties.forEach((c, index) => {
    if (countyIds.has(c.id)) push({ entity: "county", index, field: "id" }, `县（区）代码 ${c.id} 重复`);
    else countyIds.set(c.id, index);
    const share = c.locationShare;
    if (share) {
      const sum = share.urban + share.town + share.rural;
      if (Math.abs(sum - 1) > 0.001)
        push({ entity: "county", index, field: "locationShare" }, `城区、镇区、乡村人口占比合计应为100%，实际为 ${String(Math.round(sum * 10_000) / 100)}%`);
    }
  });

  const schoolSeen = new Map<string, { index: number; countyId: string }>();
  input.schools.forEach((s, index) => {
    const seen = schoolSeen.get(s.id);
    if (seen) {
      push(
        { entity: "school", index, field: seen.countyId === s.countyId ? "id" : "countyId" },
        seen.countyId === s.countyId ? `学校标识码 ${s.id} 重复` : `学校 ${s.id}（${s.name}）同时属于 ${seen.countyId} 和 ${s.countyId} 两个县（区）`,
      );
    } else schoolSeen.set(s.id, { index, countyId: s.countyId });
    if (!countyIds.has(s.countyId)) push({ entity: "school", index, field: "countyId" }, `所属县（区）代码 ${s.countyId} 不在县（区）表中`);

    const type = SCHOOL_TYPE_LABELS[s.type];
    const allowed = {
      primary: s.type === "primary" || s.type === "teaching_point" || s.type === "nine_year" || s.type === "twelve_year",
      junior: s.type === "junior" || s.type === "complete_secondary" || s.type === "nine_year" || s.type === "twelve_year",
      senior: s.type === "complete_secondary" || s.type === "twelve_year",
    };
    for (const level of ["primary", "junior", "senior"] as const) {
      if (!allowed[level] && s.students[level] > 0) {
        push({ entity: "school", index, field: `students.${level}` }, `${type}不应有${level === "senior" ? "高中" : LEVEL_LABELS[level]}在校生`);
      }
    }
    // A school with no compulsory students (e.g. 暂停招生) is accepted: the engine leaves it out
    // of the units and the 差异系数 and says so (./units.ts, ./index.ts).

    for (const level of ["primary", "junior"] as const) {
      const staff = s.sections[level];
      if (!staff) continue;
      const ref = (field: string): Ref => ({ entity: "section", schoolIndex: index, level, field });
      if (!allowed[level]) push(ref("level"), `${type}没有${LEVEL_LABELS[level]}学段`);
      const t = staff.fullTimeTeachers;
      if (staff.aboveRequiredDegree > t)
        push(ref("aboveRequiredDegree"), `高于规定学历教师数（${String(staff.aboveRequiredDegree)}）多于专任教师数（${String(t)}）`);
      if (staff.keyTeachers > t) push(ref("keyTeachers"), `县级以上骨干教师数（${String(staff.keyTeachers)}）多于专任教师数（${String(t)}）`);
      const art = staff.peTeachers + staff.musicTeachers + staff.artTeachers;
      if (art > t) push(ref("peTeachers"), `体育、音乐、美术专任教师合计（${String(art)}）多于专任教师数（${String(t)}）`);
    }
    const f = s.facilities;
    if (f && f.indoorSportsAreaM2 > f.teachingAuxiliaryAreaM2) {
      push(
        { entity: "facilities", schoolIndex: index, field: "indoorSportsAreaM2" },
        `室内体育用房面积（${String(f.indoorSportsAreaM2)}）大于教学及辅助用房面积（${String(f.teachingAuxiliaryAreaM2)}）`,
      );
    }
    if (s.classes && s.classes.length > 0) {
      const grades = GRADES_BY_SCHOOL_TYPE[s.type];
      const sums = { primary: 0, junior: 0 };
      s.classes.forEach((c, classIndex) => {
        if (c.grade < grades.min || c.grade > grades.max)
          push({ entity: "class", schoolIndex: index, classIndex, field: "grade" }, `${type}没有${gradeLabel(c.grade)}`);
        sums[c.grade <= 6 ? "primary" : "junior"] += c.students;
      });
      for (const level of ["primary", "junior"] as const) {
        if (sums[level] !== s.students[level]) {
          push(
            { entity: "school", index, field: `students.${level}` },
            `${LEVEL_LABELS[level]}各班学生数合计 ${String(sums[level])} 人，与${LEVEL_LABELS[level]}在校生数 ${String(s.students[level])} 人不一致`,
          );
        }
      }
    }
    const pf = s.publicFunds;
    if (pf && pf.annualBudgetWanYuan !== null && pf.teacherTrainingWanYuan !== null && pf.teacherTrainingWanYuan > pf.annualBudgetWanYuan) {
      push({ entity: "school", index, field: "publicFunds.teacherTrainingWanYuan" }, "教师培训经费大于年度公用经费预算总额");
    }
  });

  const itemCounties = new Set<string>();
  input.countyItems.forEach((ci, index) => {
    if (!countyIds.has(ci.countyId)) push({ entity: "countyItem", index, code: "", field: "countyId" }, `县（区）代码 ${ci.countyId} 不在县（区）表中`);
    if (itemCounties.has(ci.countyId)) push({ entity: "countyItem", index, code: "", field: "countyId" }, `县（区）${ci.countyId} 的县级指标重复`);
    itemCounties.add(ci.countyId);
    const g = ci.guarantee ?? {};
    const q = ci.quality ?? {};
    const pairs: [string, string, number | null | undefined, number | null | undefined, string][] = [
      ["G9", "teachersCompleted", g.G9?.teachersCompleted, g.G9?.teachersRequired, "已完成培训教师数多于应完成数"],
      ["G11", "rotatedKeyTeachers", g.G11?.rotatedKeyTeachers, g.G11?.rotatedTeachers, "交流轮岗骨干教师数多于交流轮岗教师数"],
      ["G12", "certifiedTeachers", g.G12?.certifiedTeachers, g.G12?.fullTimeTeachers, "持证教师数多于专任教师数"],
      ["G13", "primaryByCatchment", g.G13?.primaryByCatchment, g.G13?.primaryEntrants, "小学就近划片入学人数多于新生数"],
      ["G13", "juniorByCatchment", g.G13?.juniorByCatchment, g.G13?.juniorEntrants, "初中就近划片入学人数多于新生数"],
      ["G14", "quotaPlaces", g.G14?.quotaPlaces, g.G14?.totalPlaces, "分配名额多于招生计划数"],
      [
        "G15",
        "inPublicOrPurchasedPlaces",
        g.G15?.inPublicOrPurchasedPlaces,
        g.G15?.eligibleMigrantChildren,
        "在公办和购买服务学校就读的随迁子女多于符合条件的随迁子女",
      ],
      ["Q2", "enrolled", q.Q2?.enrolled, q.Q2?.disabledChildren, "残疾儿童少年入学人数多于适龄残疾儿童少年数"],
    ];
    for (const [code, field, num, den, message] of pairs) {
      if (num !== null && num !== undefined && den !== null && den !== undefined && num > den)
        push({ entity: "countyItem", index, code, field }, `${message}（${String(num)} > ${String(den)}）`);
    }
  });

  if (input.satisfaction?.source === "records") {
    input.satisfaction.records.forEach((r, index) => {
      if (!countyIds.has(r.countyId)) push({ entity: "record", index, field: "countyId" }, `县（区）代码 ${r.countyId} 不在县（区）表中`);
      if (r.schoolId !== null) {
        const s = schoolSeen.get(r.schoolId);
        // Questionnaires may name schools that are not in the school list (a file with only
        // questionnaires); a listed school must be in the questionnaire's county.
        if (s && s.countyId !== r.countyId) push({ entity: "record", index, field: "schoolId" }, `学校 ${r.schoolId} 不属于县（区）${r.countyId}`);
      }
      if (GROUP_QUESTIONNAIRE[r.group] !== r.questionnaire) push({ entity: "record", index, field: "questionnaire" }, `调查对象与问卷类型不符`);
      if (r.group === "student" && r.grade !== null && r.grade < 3) push({ entity: "record", index, field: "grade" }, "学生问卷只面向三年级及以上学生");
    });
  }
  return issues;
}
