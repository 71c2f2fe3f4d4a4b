import { describe, expect, it } from "vitest";
import { QUESTIONNAIRE_SCORING } from "../domain/questionnaire-scoring";
import { scoreAnswers, ScoringError } from "./score";

describe("scoreAnswers", () => {
  it("scores a parent's 社会卷: group from the link, grade, 不了解 as null", () => {
    const scored = scoreAnswers(QUESTIONNAIRE_SCORING.social, {
      grade: 4,
      moral: "满意",
      equity: "不了解",
      overall: "比较满意",
      comment: "  ",
    });
    expect(scored).toEqual({
      group: "parent",
      grade: 4,
      overallScore: 4,
      scoreSum: 9,
      scoreCount: 2,
      items: [
        { item: "moral", score: 5 },
        { item: "equity", score: null },
        { item: "overall", score: 4 },
      ],
      comment: null,
    });
  });

  it("reads the group of county-level respondents and of staff", () => {
    expect(scoreAnswers(QUESTIONNAIRE_SCORING.social, { group: "人大代表", overall: "不了解" })).toMatchObject({
      group: "deputy",
      grade: null,
      overallScore: null,
      scoreCount: 0,
    });
    expect(scoreAnswers(QUESTIONNAIRE_SCORING.staff, { role: "校长", overall: "很不满意" })).toMatchObject({
      group: "principal",
      overallScore: 1,
    });
    expect(scoreAnswers(QUESTIONNAIRE_SCORING.student, { grade: 5, overall: "满意", comment: "谢谢老师" })).toMatchObject({
      group: "student",
      grade: 5,
      comment: "谢谢老师",
    });
  });

  it("refuses answers that contradict the scoring configuration", () => {
    expect(() => scoreAnswers(QUESTIONNAIRE_SCORING.staff, { overall: "满意" })).toThrow(ScoringError);
    expect(() => scoreAnswers(QUESTIONNAIRE_SCORING.social, { moral: "非常满意" })).toThrow(ScoringError);
  });
});
