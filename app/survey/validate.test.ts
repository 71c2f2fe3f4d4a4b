import { describe, expect, it } from "vitest";
import { compileSurvey } from "./compile";
import { loadDefinition } from "./test-definitions";
import { cleanText, validateAnswers } from "./validate";
import { surveyVariablesFor } from "./variables";

const social = compileSurvey(loadDefinition("social.v1.json"));
const student = compileSurvey(loadDefinition("student.v1.json"));
const school = surveyVariablesFor("primary");
const county = surveyVariablesFor(null);

const complete = {
  grade: 2,
  moral: "满意",
  equity: "满意",
  admission: "满意",
  gap: "满意",
  teachers: "满意",
  conduct: "满意",
  quality_ed: "满意",
  exam_reform: "满意",
  homework: "满意",
  pe_arts_labour: "满意",
  safety: "满意",
  government: "满意",
  overall: "不了解",
};

function codes(result: ReturnType<typeof validateAnswers>): string[] {
  return result.ok ? [] : result.errors.map((e) => `${e.code}:${e.question ?? ""}`);
}

describe("validateAnswers", () => {
  it("accepts a complete answer set, with or without the optional comment", () => {
    expect(validateAnswers(social, complete, school)).toEqual({ ok: true, answers: complete });
    expect(validateAnswers(social, { ...complete, comment: "好" }, school).ok).toBe(true);
  });

  it("rejects unknown questions explicitly (survey-core would keep them)", () => {
    expect(codes(validateAnswers(social, { ...complete, extra: "1" }, school))).toEqual(["unknown_question:extra"]);
  });

  it("rejects values outside the choices, also on optional questions", () => {
    expect(codes(validateAnswers(social, { ...complete, moral: "非常满意" }, school))).toEqual(["not_a_choice:moral"]);
    expect(codes(validateAnswers(social, { ...complete, moral: "满意 " }, school))).toEqual(["not_a_choice:moral"]);
    // Grade 8 is a choice of the questionnaire but not shown for a 小学 (choice visibleIf).
    expect(codes(validateAnswers(social, { ...complete, grade: 8 }, school))).toEqual(["not_a_choice:grade"]);
    expect(validateAnswers(social, { ...complete, grade: 8 }, surveyVariablesFor("nine_year")).ok).toBe(true);
    // 学生卷 starts at grade 3.
    expect(codes(validateAnswers(student, { grade: 2 }, school))).toContain("not_a_choice:grade");
  });

  it('rejects wrong JSON types (the number 3 is not the string "3")', () => {
    expect(codes(validateAnswers(social, { ...complete, grade: "2" }, school))).toEqual(["not_a_choice:grade"]);
    expect(codes(validateAnswers(social, { ...complete, moral: ["满意"] }, school))).toEqual(["wrong_type:moral"]);
    expect(codes(validateAnswers(social, { ...complete, moral: null }, school))).toEqual(["wrong_type:moral"]);
    expect(codes(validateAnswers(social, { ...complete, comment: 5 }, school))).toEqual(["wrong_type:comment"]);
    expect(codes(validateAnswers(social, "answers", school))).toEqual(["not_an_object:"]);
    expect(codes(validateAnswers(social, [complete], school))).toEqual(["not_an_object:"]);
  });

  it("requires every visible required question and only those (visibleIf as survey-core evaluates it)", () => {
    const { overall: _omit, ...withoutOverall } = complete;
    expect(codes(validateAnswers(social, withoutOverall, school))).toEqual(["required:overall"]);
    // On a county link the grade question is hidden and the group question shown.
    const { grade: _g, ...countyAnswers } = complete;
    expect(codes(validateAnswers(social, countyAnswers, county))).toEqual(["required:group"]);
    expect(validateAnswers(social, { ...countyAnswers, group: "人大代表" }, county).ok).toBe(true);
    expect(codes(validateAnswers(social, { ...complete, group: "人大代表" }, school))).toEqual(["hidden_question_answered:group"]);
    expect(codes(validateAnswers(social, { ...countyAnswers, group: "家长" }, county))).toEqual(["not_a_choice:group"]);
  });

  it("treats an empty string as no answer, and caps text length", () => {
    expect(codes(validateAnswers(social, { ...complete, moral: "" }, school))).toEqual(["required:moral"]);
    const result = validateAnswers(social, { ...complete, comment: "" }, school);
    expect(result).toEqual({ ok: true, answers: complete });
    expect(codes(validateAnswers(social, { ...complete, comment: "字".repeat(501) }, school))).toEqual(["too_long:comment"]);
    expect(validateAnswers(social, { ...complete, comment: "字".repeat(500) }, school).ok).toBe(true);
  });

  it("gives Chinese messages naming the question", () => {
    const result = validateAnswers(social, { ...complete, moral: "x" }, school);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors[0]?.message).toMatch(/^“您对学校落实立德树人.*”的答案不在选项中$/);
  });
});

describe("cleanText", () => {
  it("removes control characters other than tab and line breaks, and replaces lone surrogates", () => {
    expect(cleanText("希望\u0000增加\u0007课后\u001b服务\u007f\u0085。\n谢谢\t老师\r\n")).toBe("希望增加课后服务。\n谢谢\t老师\r\n");
    expect(cleanText("a\ud800b\udc00c")).toBe("a\ufffdb\ufffdc");
    expect(cleanText("表情😀保留")).toBe("表情😀保留");
  });

  it("is applied to text answers before the length limit and the required check", () => {
    const result = validateAnswers(social, { ...complete, comment: "\u0000好\u0000" }, school);
    expect(result).toEqual({ ok: true, answers: { ...complete, comment: "好" } });
    // Only control characters: no answer, as an empty comment.
    expect(validateAnswers(social, { ...complete, comment: "\u0000\u0001" }, school)).toEqual({ ok: true, answers: complete });
  });
});
