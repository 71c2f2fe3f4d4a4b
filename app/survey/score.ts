/**
 * What a validated answer set means for the evaluation: respondent group, grade, and the score
 * of every scored item (1–5, null for 不了解), plus the per-response aggregates the dashboards
 * filter on (overall score, sum and count of item scores) so that no query parses JSON.
 */
import type { QuestionnaireScoring } from "../domain/questionnaire-scoring";
import { scoreOf } from "../domain/survey-scale";
import type { RespondentGroup } from "../domain/vocabulary";
import type { Answers } from "./validate";

export interface ScoredResponse {
  group: RespondentGroup;
  grade: number | null;
  /** Score of the 总体评价 item; null for 不了解. */
  overallScore: number | null;
  /** Sum and count of the scored items that have a score (不了解 excluded). */
  scoreSum: number;
  scoreCount: number;
  items: Array<{ item: string; score: number | null }>;
  comment: string | null;
}

export class ScoringError extends Error {
  override name = "ScoringError";
}

/**
 * Scores an answer set that `validateAnswers` accepted. Throws `ScoringError` when the answers
 * contradict the scoring configuration (a definition that passed `surveys:check` cannot).
 */
export function scoreAnswers(scoring: QuestionnaireScoring, answers: Answers): ScoredResponse {
  let group: RespondentGroup | null;
  if (scoring.group.kind === "fixed") {
    group = scoring.group.group;
  } else {
    const raw = answers[scoring.group.item];
    group = raw === undefined ? scoring.group.whenHidden : (scoring.group.map[String(raw)] ?? null);
  }
  if (group === null) throw new ScoringError(`no respondent group in the answers of ${scoring.id}`);

  const rawGrade = scoring.gradeItem === null ? undefined : answers[scoring.gradeItem];
  const grade = typeof rawGrade === "number" && Number.isInteger(rawGrade) ? rawGrade : null;

  let scoreSum = 0;
  let scoreCount = 0;
  let overallScore: number | null = null;
  const items: ScoredResponse["items"] = [];
  for (const { name } of scoring.scoredItems) {
    const value = answers[name];
    if (value === undefined) continue;
    const score = scoreOf(value);
    if (score === undefined) throw new ScoringError(`item ${name} is not on the satisfaction scale`);
    items.push({ item: name, score });
    if (score !== null) {
      scoreSum += score;
      scoreCount += 1;
    }
    if (name === scoring.overallItem) overallScore = score;
  }
  const rawComment = scoring.commentItem === null ? undefined : answers[scoring.commentItem];
  const comment = typeof rawComment === "string" && rawComment.trim() !== "" ? rawComment : null;
  return { group, grade, overallScore, scoreSum, scoreCount, items, comment };
}
