/**
 * Checks a SurveyJS definition against the scoring configuration: it must compile, and every
 * item the scoring uses must exist with the expected choices. Used by `npm run surveys:check`
 * (part of `npm test`) and by the console when a new version is uploaded. Messages are Chinese,
 * since officers upload definitions.
 */
import { CONTENT_AREAS, type QuestionnaireScoring } from "../domain/questionnaire-scoring";
import { SCALE_CHOICES } from "../domain/survey-scale";
import { compileSurvey, SurveyCompileError, type CompiledSurvey } from "./compile";
import { SURVEY_VARIABLE_NAMES } from "./variables";

export interface CheckResult {
  survey: CompiledSurvey | null;
  problems: string[];
}

function sameList(a: readonly unknown[], b: readonly unknown[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

export function checkDefinition(json: unknown, scoringById: Readonly<Record<string, QuestionnaireScoring>>): CheckResult {
  let survey: CompiledSurvey;
  try {
    survey = compileSurvey(json);
  } catch (error) {
    if (error instanceof SurveyCompileError) return { survey: null, problems: [`无法加载问卷定义：${error.message}`] };
    throw error;
  }
  const problems: string[] = [];
  const scoring = scoringById[survey.id];
  if (!scoring) return { survey, problems: [`未知的问卷编号 ${survey.id}`] };

  const unknownVariables = survey.variables.filter((v) => !(SURVEY_VARIABLE_NAMES as readonly string[]).includes(v));
  if (unknownVariables.length > 0) {
    problems.push(`显示条件引用了不存在的题目或变量：${unknownVariables.join("、")}`);
  }

  for (const { name } of scoring.scoredItems) {
    const q = survey.byName.get(name);
    if (!q) {
      problems.push(`缺少计分题 ${name}`);
      continue;
    }
    if (
      q.kind !== "choice" ||
      !sameList(
        q.choices.map((c) => c.value),
        SCALE_CHOICES,
      )
    ) {
      problems.push(`计分题 ${name} 的选项必须依次为：${SCALE_CHOICES.join("、")}`);
    }
    if (!q.required) problems.push(`计分题 ${name} 必须为必答题`);
    if (q.conditions.length > 0) problems.push(`计分题 ${name} 不能设置显示条件`);
  }
  const overall = survey.byName.get(scoring.overallItem);
  if (overall && !scoring.scoredItems.some((i) => i.name === scoring.overallItem)) {
    problems.push(`总体评价题 ${scoring.overallItem} 必须是计分题`);
  }

  if (scoring.group.kind === "item") {
    const q = survey.byName.get(scoring.group.item);
    const expected = Object.keys(scoring.group.map);
    if (!q || q.kind !== "choice") {
      problems.push(`缺少身份题 ${scoring.group.item}`);
    } else {
      if (
        !sameList(
          q.choices.map((c) => c.value),
          expected,
        )
      ) {
        problems.push(`身份题 ${scoring.group.item} 的选项必须为：${expected.join("、")}`);
      }
      if (!q.required) problems.push(`身份题 ${scoring.group.item} 必须为必答题`);
      if (scoring.group.whenHidden === null && q.conditions.length > 0) {
        problems.push(`身份题 ${scoring.group.item} 不能设置显示条件`);
      }
    }
  }

  if (scoring.gradeItem !== null) {
    const q = survey.byName.get(scoring.gradeItem);
    if (!q || q.kind !== "choice") {
      problems.push(`缺少年级题 ${scoring.gradeItem}`);
    } else if (!q.choices.every((c) => typeof c.value === "number" && Number.isInteger(c.value) && c.value >= scoring.minGrade && c.value <= 9)) {
      problems.push(`年级题 ${scoring.gradeItem} 的选项必须是 ${scoring.minGrade}–9 的整数`);
    }
  }

  if (scoring.commentItem !== null) {
    const q = survey.byName.get(scoring.commentItem);
    if (!q || q.kind !== "text") problems.push(`缺少意见建议题 ${scoring.commentItem}`);
    else {
      if (q.required) problems.push(`意见建议题 ${scoring.commentItem} 必须为选答题`);
      if (q.maxLength === null || q.maxLength > 2000) problems.push(`意见建议题 ${scoring.commentItem} 须设置不超过2000字的字数上限`);
    }
  }

  const covered = new Set(scoring.scoredItems.filter((i) => survey.byName.has(i.name)).map((i) => i.area));
  const missing = scoring.requiredAreas.filter((a) => !covered.has(a));
  if (missing.length > 0) {
    problems.push(`未覆盖调查内容：${missing.map((a) => CONTENT_AREAS[a]).join("、")}`);
  }
  return { survey, problems };
}
