/**
 * The questionnaire as a plain HTML form: what the server renders on phones (no survey-core in
 * the browser) and how a posted form becomes an answer set for the one validator.
 *
 * The form covers definitions whose conditions read only the link's survey variables (ours:
 * `scope`, `gradeMin`, `gradeMax`): which questions and choices show is then fixed before the
 * first tap, so the whole questionnaire is one scroll and nothing appears or disappears while
 * answering. Definitions whose visibility depends on answers (`answerDependent`) are rendered
 * by survey-react-ui instead.
 */
import type { CompiledSurvey } from "./compile";
import type { Answers, SurveyVariables } from "./validate";

export interface FormChoiceView {
  /** The value as the form posts it (a string). */
  value: string;
  text: string;
  checked: boolean;
}

export interface FormQuestionView {
  name: string;
  /** 1-based number among the questions shown. */
  number: number;
  title: string;
  description: string | null;
  required: boolean;
  kind: "choice" | "text";
  choices: FormChoiceView[];
  /** Current text of a text question. */
  text: string;
  maxLength: number | null;
  multiline: boolean;
  placeholder: string | null;
  error: string | null;
}

/** Control fields the form carries besides the answers (never question names). */
export const FORM_FIELDS = {
  version: "_v",
  key: "_key",
  started: "_started",
  /** The child ordinal (decision 0027), present only for a parent's second child or later. */
  child: "_child",
  honeypot: "website",
} as const;

export function canRenderAsForm(survey: CompiledSurvey): boolean {
  return !survey.answerDependent && survey.questions.every((q) => !q.name.startsWith("_") && q.name !== FORM_FIELDS.honeypot);
}

/**
 * The questions shown for a link, in order, with the given answers checked and errors attached.
 * Conditions are evaluated over the link's variables only (see `canRenderAsForm`).
 */
export function formView(
  survey: CompiledSurvey,
  variables: SurveyVariables,
  answers: Readonly<Record<string, unknown>> = {},
  errors: Readonly<Record<string, string>> = {},
): FormQuestionView[] {
  const values: Record<string, unknown> = { ...variables };
  const shown = survey.questions.filter((q) => q.conditions.every((c) => c.runValues(values)));
  return shown.map((q, i) => {
    const answer = answers[q.name];
    const base = {
      name: q.name,
      number: i + 1,
      title: q.title,
      description: q.description,
      required: q.required,
      error: errors[q.name] ?? null,
    };
    if (q.kind === "choice") {
      return {
        ...base,
        kind: "choice",
        choices: q.choices
          .filter((c) => c.visibleIf === null || c.visibleIf.runValues(values))
          .map((c) => ({ value: String(c.value), text: c.text, checked: answer !== undefined && String(answer) === String(c.value) })),
        text: "",
        maxLength: null,
        multiline: false,
        placeholder: null,
      };
    }
    return {
      ...base,
      kind: "text",
      choices: [],
      text: typeof answer === "string" ? answer : "",
      maxLength: q.maxLength,
      multiline: q.multiline,
      placeholder: q.placeholder,
    };
  });
}

export type ParsedForm =
  | {
      ok: true;
      version: number | null;
      key: string;
      started: string;
      honeypot: string;
      /** The child ordinal as posted; "" when absent (the first child). */
      child: string;
      /** Answers with each choice value in its definition's JSON type (the number 3, not "3"). */
      answers: Record<string, unknown>;
    }
  | { ok: false; reason: "repeated_field" };

/**
 * Turns posted form fields into an answer set. A choice posted as text becomes the choice's own
 * value when one matches (numeric grades come back as numbers); anything else is left as posted
 * for the validator to refuse. Empty fields are no answer. A field posted twice is refused.
 */
export function parseFormAnswers(survey: CompiledSurvey, fields: Iterable<[string, string]>): ParsedForm {
  const seen = new Set<string>();
  const answers: Record<string, unknown> = {};
  let version: number | null = null;
  let key = "";
  let started = "";
  let honeypot = "";
  let child = "";
  for (const [name, value] of fields) {
    if (seen.has(name)) return { ok: false, reason: "repeated_field" };
    seen.add(name);
    if (name === FORM_FIELDS.version) {
      version = /^[1-9][0-9]{0,5}$/.test(value) ? Number(value) : null;
    } else if (name === FORM_FIELDS.key) {
      key = value;
    } else if (name === FORM_FIELDS.started) {
      started = value;
    } else if (name === FORM_FIELDS.honeypot) {
      honeypot = value;
    } else if (name === FORM_FIELDS.child) {
      child = value;
    } else if (value !== "") {
      const q = survey.byName.get(name);
      const choice = q?.kind === "choice" ? q.choices.find((c) => String(c.value) === value) : undefined;
      Object.defineProperty(answers, name, { value: choice ? choice.value : value, enumerable: true, writable: true, configurable: true });
    }
  }
  return { ok: true, version, key, started, honeypot, child, answers };
}

/** The answers of a posted form as the form should show them again (after an error). */
export function answersForRedisplay(answers: Readonly<Record<string, unknown>>): Answers {
  const out: Answers = {};
  for (const [k, v] of Object.entries(answers)) {
    if (typeof v === "string" || typeof v === "number") out[k] = v;
  }
  return out;
}
