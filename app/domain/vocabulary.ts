/**
 * The shared vocabulary of the evaluation (县域义务教育优质均衡发展督导评估): respondent groups,
 * questionnaires, school types, locations and levels. Codes are stable ASCII identifiers used in
 * storage, URLs and the CLI's JSON; labels are the official Chinese names shown to people.
 */

/** 问卷: the three questionnaires of 社会认可度 (spec §4). */
export const QUESTIONNAIRE_IDS = ["social", "staff", "student"] as const;
export type QuestionnaireId = (typeof QUESTIONNAIRE_IDS)[number];
export const QUESTIONNAIRE_LABELS: Record<QuestionnaireId, string> = {
  social: "社会卷",
  staff: "校长教师卷",
  student: "学生卷",
};

/** 调查对象: the respondent groups of spec §4. */
export const RESPONDENT_GROUPS = ["parent", "student", "teacher", "principal", "deputy", "cppcc", "public"] as const;
export type RespondentGroup = (typeof RESPONDENT_GROUPS)[number];
export const RESPONDENT_GROUP_LABELS: Record<RespondentGroup, string> = {
  parent: "家长",
  student: "学生",
  teacher: "教师",
  principal: "校长",
  deputy: "人大代表",
  cppcc: "政协委员",
  public: "其他群众",
};

/** Groups that answer through a county-level link because they belong to no school. */
export const COUNTY_LEVEL_GROUPS: readonly RespondentGroup[] = ["deputy", "cppcc", "public"];

/** 城区 / 镇区 / 乡村 (教育事业统计 urban-rural classification of a school's site). */
export const LOCATIONS = ["urban", "town", "rural"] as const;
export type Location = (typeof LOCATIONS)[number];
export const LOCATION_LABELS: Record<Location, string> = {
  urban: "城区",
  town: "镇区",
  rural: "乡村",
};

/** 学校类型 of compulsory-education schools. */
export const SCHOOL_TYPES = [
  "primary", // 小学
  "junior", // 初中
  "nine_year", // 九年一贯制学校
  "twelve_year", // 十二年一贯制学校
  "complete_secondary", // 完全中学
  "teaching_point", // 教学点
] as const;
export type SchoolType = (typeof SCHOOL_TYPES)[number];
export const SCHOOL_TYPE_LABELS: Record<SchoolType, string> = {
  primary: "小学",
  junior: "初中",
  nine_year: "九年一贯制学校",
  twelve_year: "十二年一贯制学校",
  complete_secondary: "完全中学",
  teaching_point: "教学点",
};

/** 学段 of a unit: 小学 or 初中 (the levels the 7 indicators and 差异系数 are computed for). */
export const LEVELS = ["primary", "junior"] as const;
export type Level = (typeof LEVELS)[number];
export const LEVEL_LABELS: Record<Level, string> = { primary: "小学", junior: "初中" };

/** Compulsory-education grades a school type teaches (1–6 小学, 7–9 初中). */
export const GRADES_BY_SCHOOL_TYPE: Record<SchoolType, { min: number; max: number }> = {
  primary: { min: 1, max: 6 },
  junior: { min: 7, max: 9 },
  nine_year: { min: 1, max: 9 },
  twelve_year: { min: 1, max: 9 },
  complete_secondary: { min: 7, max: 9 },
  teaching_point: { min: 1, max: 6 },
};

/** 阶段: county self-evaluation or city review (spec, annual timetable). */
export const CAMPAIGN_PHASES = ["self", "review"] as const;
export type CampaignPhase = (typeof CAMPAIGN_PHASES)[number];
export const CAMPAIGN_PHASE_LABELS: Record<CampaignPhase, string> = {
  self: "县级自评",
  review: "市级复核",
};
