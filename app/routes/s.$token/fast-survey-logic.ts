/*
 * The phone script's decisions that need no DOM (bundled into fast-survey.ts by the inline-script
 * plugin, so everything here must stay ES2017 too). Unit-tested in fast-survey-logic.test.ts.
 */

export interface QuestionProgress {
  required: boolean;
  answered: boolean;
}

/**
 * What the progress bar says. Only required questions count when there are any: the optional
 * comment left empty must not keep a finished questionnaire at "已答 14/15" (issue 16 item 5),
 * and writing one must not push the count past the total.
 */
export function progressOf(questions: readonly QuestionProgress[]): { done: number; total: number; percent: number; text: string } {
  const hasRequired = questions.some((q) => q.required);
  let done = 0;
  let total = 0;
  for (const q of questions) {
    if (hasRequired && !q.required) continue;
    total++;
    if (q.answered) done++;
  }
  const percent = total === 0 ? 100 : Math.round((100 * done) / total);
  const text = total > 0 && done === total ? `已答 ${done}/${total} 题，可以提交了` : `已答 ${done}/${total} 题`;
  return { done, total, percent, text };
}

/** The red line under the questions after an early 提交; empty (hidden) once nothing is missing. */
export function missingLine(left: number): string {
  return left > 0 ? `还有 ${left} 题未作答，请补全后再提交。` : "";
}

/** A required question's error: it points at 不了解 only where that is one of its options. */
export function requiredMessage(optionTexts: readonly string[]): string {
  for (const text of optionTexts) if (text.trim() === "不了解") return "请选择一项（不清楚可选“不了解”）";
  return "请选择一项";
}

/**
 * How far to scroll down so that something ending at `targetBottom` (px from the top of the
 * viewport) sits `gap` px above a bar whose top is at `barTop`; 0 when it is already clear.
 */
export function scrollToClear(targetBottom: number, barTop: number, gap = 8): number {
  const by = Math.ceil(targetBottom + gap - barTop);
  return by > 0 ? by : 0;
}
