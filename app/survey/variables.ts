/**
 * Survey variables: values a link gives a questionnaire before anyone answers, used in the
 * definitions' `visibleIf` conditions. `scope` says whether the link is a school's (家长, 教师,
 * 学生) or the county's (人大代表, 政协委员, 其他群众); `gradeMin`/`gradeMax` limit the grade
 * choices to those the school teaches.
 */
import { GRADES_BY_SCHOOL_TYPE, type SchoolType } from "../domain/vocabulary";
import type { SurveyVariables } from "./validate";

export const SURVEY_VARIABLE_NAMES = ["scope", "gradeMin", "gradeMax"] as const;

/** Variables for a link: a school's (with its type) or a county-level link (school null). */
export function surveyVariablesFor(schoolType: SchoolType | null): SurveyVariables {
  if (schoolType === null) return { scope: "county", gradeMin: 1, gradeMax: 9 };
  const { min, max } = GRADES_BY_SCHOOL_TYPE[schoolType];
  return { scope: "school", gradeMin: min, gradeMax: max };
}
