/**
 * Scoring configuration of the three questionnaires of 社会认可度 (spec §4): which items are
 * scored on the satisfaction scale, which one is the overall item (总体评价), how the respondent
 * group and grade are read from the answers, and which content area each item covers.
 *
 * `npm run surveys:check` loads every definition in `surveys/` and checks it against this
 * configuration, so an item the scoring relies on cannot silently disappear or change choices.
 */
import type { QuestionnaireId, RespondentGroup } from "./vocabulary";

/** 调查内容 — the content areas of spec §4 that the items cover. */
export const CONTENT_AREAS = {
  moral: "立德树人",
  equity: "落实教育公平政策、推动优质资源共享",
  admission: "公平入学（免试就近入学，不设重点校、重点班）",
  gap: "校际差距",
  teachers: "教师队伍",
  conduct: "规范办学行为",
  quality_ed: "实施素质教育",
  exam_reform: "考试评价制度改革",
  homework: "课业负担",
  pe_arts_labour: "体育、美育和劳动教育",
  safety: "校园安全",
  government: "政府履职",
  overall: "总体评价",
} as const;
export type ContentArea = keyof typeof CONTENT_AREAS;

export interface ScoredItem {
  /** SurveyJS question name. */
  name: string;
  area: ContentArea;
}

/**
 * How a response's respondent group (调查对象) is determined: fixed by the questionnaire, or read
 * from a question's answer, with a fallback when that question is hidden (the 社会卷's group
 * question is only shown on county-level links; on a school's link the respondent is a 家长).
 */
export type GroupRule =
  | { kind: "fixed"; group: RespondentGroup }
  | {
      kind: "item";
      item: string;
      map: Readonly<Record<string, RespondentGroup>>;
      whenHidden: RespondentGroup | null;
    };

export interface QuestionnaireScoring {
  id: QuestionnaireId;
  /** The 总体评价 item: the default satisfied rule reads it. */
  overallItem: string;
  /** Items on the satisfaction scale, including the overall item. */
  scoredItems: readonly ScoredItem[];
  group: GroupRule;
  /** Question holding a grade 1–9 (the child's for 家长, one's own for 学生). */
  gradeItem: string | null;
  /** Lowest grade the questionnaire may be answered for (学生卷: grade 3 and up). */
  minGrade: number;
  /** The optional open comment. */
  commentItem: string | null;
  /** Content areas every version of this questionnaire must cover. */
  requiredAreas: readonly ContentArea[];
}

const ALL_AREAS = Object.keys(CONTENT_AREAS) as ContentArea[];

const areaItems = (areas: readonly ContentArea[]): ScoredItem[] => areas.map((area) => ({ name: area, area }));

export const QUESTIONNAIRE_SCORING: Readonly<Record<QuestionnaireId, QuestionnaireScoring>> = {
  social: {
    id: "social",
    overallItem: "overall",
    scoredItems: areaItems(ALL_AREAS),
    group: {
      kind: "item",
      item: "group",
      map: { 人大代表: "deputy", 政协委员: "cppcc", 其他群众: "public" },
      whenHidden: "parent",
    },
    gradeItem: "grade",
    minGrade: 1,
    commentItem: "comment",
    requiredAreas: ALL_AREAS,
  },
  staff: {
    id: "staff",
    overallItem: "overall",
    scoredItems: areaItems(ALL_AREAS),
    group: { kind: "item", item: "role", map: { 教师: "teacher", 校长: "principal" }, whenHidden: null },
    gradeItem: null,
    minGrade: 1,
    commentItem: "comment",
    requiredAreas: ALL_AREAS,
  },
  student: {
    id: "student",
    overallItem: "overall",
    scoredItems: [
      ...areaItems(["moral", "teachers", "gap", "admission", "homework", "pe_arts_labour", "quality_ed", "exam_reform", "conduct", "safety", "overall"]),
    ],
    group: { kind: "fixed", group: "student" },
    gradeItem: "grade",
    minGrade: 3,
    commentItem: "comment",
    // Children are not asked about policy they cannot see (政府履职, 教育公平政策).
    requiredAreas: ALL_AREAS.filter((a) => a !== "government" && a !== "equity"),
  },
};
