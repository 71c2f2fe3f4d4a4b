/**
 * 在校生 come from two files that an officer imports at different times: the school list
 * (学校名单, the console's directory), from which the sample plan is shared out to schools and
 * 样本覆盖 is shown; and the evaluation data (评估数据), from which the 7 indicators and
 * 达标评估 are computed. When the two disagree (240 in the list, 230 in the data), both pages
 * keep their own source — the sample is planned on the list, the indicators follow the
 * 教育事业统计 figures of the data — and both say so next to the figure, so that nobody
 * reads one number on one page and another on the next without being told why.
 *
 * A school in the list that the evaluation data does not have (a school added after the data
 * was imported) is named: its resources are not evaluated until the data is re-imported.
 */
import { pupilsOf } from "./integrity";

export interface EnrolmentSchool {
  id: string;
  name: string;
  students: { primary: number; junior: number; senior: number };
}

export interface EnrolmentDifference {
  id: string;
  name: string;
  /** 在校生 (all levels) in the school list. */
  list: number;
  /** 在校生 (all levels) in the evaluation data. */
  data: number;
  /** The evaluation data's levels, said when the totals agree but the levels do not. */
  dataLevels: string;
  listLevels: string;
}

const LEVEL_NAMES = [
  ["primary", "小学"],
  ["junior", "初中"],
  ["senior", "高中"],
] as const;

/** "小学 70 人、初中 10 人" (levels with students only). */
function levels(students: EnrolmentSchool["students"]): string {
  const parts = LEVEL_NAMES.filter(([k]) => students[k] > 0).map(([k, label]) => `${label} ${String(students[k])} 人`);
  return parts.length > 0 ? parts.join("、") : "0 人";
}

export interface EnrolmentCheck {
  /** Schools whose enrolment differs at any level, in the list's order. */
  differences: EnrolmentDifference[];
  /** Schools of the list the evaluation data lacks (not evaluated), in the list's order. */
  notInData: Array<{ id: string; name: string }>;
}

/**
 * Compares the school list with the evaluation data of one county. `data` null (no evaluation
 * data imported): nothing to compare, both lists empty — the pages already say there is no data.
 */
export function checkEnrolment(list: readonly EnrolmentSchool[], data: readonly EnrolmentSchool[] | null): EnrolmentCheck {
  if (data === null) return { differences: [], notInData: [] };
  const byId = new Map(data.map((s) => [s.id, s]));
  const differences: EnrolmentDifference[] = [];
  const notInData: EnrolmentCheck["notInData"] = [];
  for (const s of list) {
    const d = byId.get(s.id);
    if (!d) notInData.push({ id: s.id, name: s.name });
    else if (d.students.primary !== s.students.primary || d.students.junior !== s.students.junior || d.students.senior !== s.students.senior) {
      differences.push({
        id: s.id,
        name: s.name,
        list: pupilsOf(s.students),
        data: pupilsOf(d.students),
        listLevels: levels(s.students),
        dataLevels: levels(d.students),
      });
    }
  }
  return { differences, notInData };
}

/** Next to the 样本覆盖 figure: "达标评估按评估数据为 230 人" (or its levels when the totals agree). */
export function coverageEnrolmentNote(d: EnrolmentDifference): string {
  return d.data === d.list ? `达标评估按评估数据为 ${d.dataLevels}` : `达标评估按评估数据为 ${String(d.data)} 人`;
}

/** In the 达标评估 summary: "中宁县第一小学：评估数据 230 人，学校名单 240 人". */
export function readinessEnrolmentNote(d: EnrolmentDifference): string {
  return d.data === d.list
    ? `${d.name}：评估数据 ${d.dataLevels}，学校名单 ${d.listLevels}`
    : `${d.name}：评估数据 ${String(d.data)} 人，学校名单 ${String(d.list)} 人`;
}
