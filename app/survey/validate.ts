/**
 * Server-side validation of a submitted answer set against a compiled definition.
 *
 * Rejects explicitly what survey-core alone would keep or drop silently: unknown keys, answers
 * to questions that are not visible, values outside a question's visible choices (also on
 * optional questions), values of the wrong JSON type, over-long text; removes control
 * characters from text answers (`cleanText`); and, as survey-core
 * does, missing answers to required questions among the visible ones. Visibility is evaluated
 * with survey-core's expression engine over the answers plus the link's survey variables.
 * The differential tests in `validate.test.ts` show this judgement equals survey-core's own
 * over thousands of generated answer sets.
 */
import type { CompiledQuestion, CompiledSurvey } from "./compile";

export type Answers = Record<string, string | number>;
export type SurveyVariables = Readonly<Record<string, string | number>>;

export type ValidationErrorCode =
  "not_an_object" | "unknown_question" | "wrong_type" | "not_a_choice" | "hidden_question_answered" | "required" | "too_long" | "too_many_answers";

export interface ValidationError {
  code: ValidationErrorCode;
  /** Question name, when the error concerns one. */
  question: string | null;
  /** Chinese message a parent or officer can act on. */
  message: string;
}

export type ValidationResult = { ok: true; answers: Answers } | { ok: false; errors: ValidationError[] };

function label(q: CompiledQuestion): string {
  return `“${q.title}”`;
}

function isEmptyValue(value: unknown): boolean {
  return value === undefined || value === "";
}

function isVisible(q: CompiledQuestion, values: Record<string, unknown>): boolean {
  for (const c of q.conditions) if (!c.runValues(values)) return false;
  return true;
}

/** Control characters other than tab, line feed and carriage return (C0, DEL, C1). */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g;
/** A UTF-16 surrogate without its partner (JSON allows "\ud800"; UTF-8 cannot encode it). */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Text as it is stored: invisible control characters removed and lone surrogates replaced by
 * U+FFFD. A parent cannot see or delete a NUL pasted from another app, and PostgreSQL refuses
 * NUL in text (SQLite keeps it), so both stores get the same, visible text.
 */
export function cleanText(text: string): string {
  return text.replace(CONTROL, "").replace(LONE_SURROGATE, "\uFFFD");
}

/** Validates `input` (parsed JSON of unknown shape). Never throws on bad input. */
export function validateAnswers(survey: CompiledSurvey, input: unknown, variables: SurveyVariables): ValidationResult {
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    return { ok: false, errors: [{ code: "not_an_object", question: null, message: "答卷格式不正确" }] };
  }
  const entries = Object.entries(input);
  if (entries.length > survey.questions.length) {
    return {
      ok: false,
      errors: [{ code: "too_many_answers", question: null, message: "答卷包含的答案多于问卷的题目数" }],
    };
  }
  const errors: ValidationError[] = [];
  const answers: Answers = {};
  for (const [key, value] of entries) {
    const q = survey.byName.get(key);
    if (!q) {
      errors.push({ code: "unknown_question", question: key.slice(0, 64), message: "答卷中包含问卷里没有的题目" });
      continue;
    }
    if (q.kind === "text") {
      if (typeof value !== "string") {
        errors.push({ code: "wrong_type", question: q.name, message: `${label(q)}的答案应为文字` });
        continue;
      }
      answers[key] = cleanText(value);
      continue;
    } else if (typeof value !== "string" && typeof value !== "number") {
      errors.push({ code: "wrong_type", question: q.name, message: `${label(q)}的答案格式不正确` });
      continue;
    }
    answers[key] = value;
  }
  if (errors.length > 0) return { ok: false, errors };

  // Variables first, answers over them: survey-core evaluates conditions over one value hash.
  const values: Record<string, unknown> = { ...variables, ...answers };
  for (const q of survey.questions) {
    const value = answers[q.name];
    const visible = isVisible(q, values);
    if (!visible) {
      if (value !== undefined) {
        errors.push({ code: "hidden_question_answered", question: q.name, message: `${label(q)}不应作答` });
      }
      continue;
    }
    if (isEmptyValue(value)) {
      if (q.required) errors.push({ code: "required", question: q.name, message: `请回答${label(q)}` });
      continue;
    }
    if (q.kind === "choice") {
      const choice = q.choices.find((c) => c.value === value);
      if (!choice || (choice.visibleIf !== null && !choice.visibleIf.runValues(values))) {
        errors.push({ code: "not_a_choice", question: q.name, message: `${label(q)}的答案不在选项中` });
      }
    } else if (q.maxLength !== null && typeof value === "string" && [...value].length > q.maxLength) {
      errors.push({ code: "too_long", question: q.name, message: `${label(q)}最多${q.maxLength}字` });
    }
  }
  if (errors.length > 0) return { ok: false, errors };
  // An empty string is "no answer" to survey-core; it is not stored.
  for (const [key, value] of Object.entries(answers)) if (value === "") delete answers[key];
  return { ok: true, answers };
}
