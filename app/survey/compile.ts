/**
 * Compiles a SurveyJS definition once into a flat structure the server validates against in
 * microseconds (a survey-core `Model` costs ~20 ms to build and validate per submission).
 *
 * The definition is read *through* survey-core (a `Model` is built once), so defaults and
 * property parsing are survey-core's own; `visibleIf` expressions are compiled with
 * survey-core's `ConditionRunner`, so conditions are evaluated by the same expression engine
 * the browser runs. Only the element types our questionnaires use are supported; anything else
 * is a compile error, so a definition can never hold a question the validator does not
 * understand (`npm run surveys:check` compiles every file).
 */
import { ConditionRunner, Model, type Question } from "survey-core";
import type { QuestionnaireId } from "../domain/vocabulary";
import { SurveyHeaderSchema } from "./definition";
import { registerSurveyProperties } from "./register";

export type ChoiceValue = string | number;

export interface CompiledChoice {
  value: ChoiceValue;
  text: string;
  visibleIf: ConditionRunner | null;
}

interface CompiledBase {
  name: string;
  title: string;
  /** The question's description (a hint under the title), or null. */
  description: string | null;
  /** 1-based number as shown to respondents (question numbering is on in our surveys). */
  pageIndex: number;
  required: boolean;
  /** Page's and question's `visibleIf`, both must hold. */
  conditions: ConditionRunner[];
}

export interface CompiledChoiceQuestion extends CompiledBase {
  kind: "choice";
  choices: CompiledChoice[];
  /** True when a choice has its own `visibleIf` (evaluated per request). */
  dynamicChoices: boolean;
}

export interface CompiledTextQuestion extends CompiledBase {
  kind: "text";
  maxLength: number | null;
  /** Multi-line (comment) or single-line (text). */
  multiline: boolean;
  placeholder: string | null;
}

export type CompiledQuestion = CompiledChoiceQuestion | CompiledTextQuestion;

export interface CompiledSurvey {
  id: QuestionnaireId;
  version: number;
  title: string;
  questions: CompiledQuestion[];
  byName: ReadonlyMap<string, CompiledQuestion>;
  /** Names referenced in conditions that are not questions: survey variables set per link. */
  variables: readonly string[];
  /**
   * True when some condition reads an answer (not only link variables): which questions show
   * then changes while answering, which the server-rendered form does not do.
   */
  answerDependent: boolean;
  /** The definition as given, for the browser renderer. */
  json: Readonly<Record<string, unknown>>;
}

export class SurveyCompileError extends Error {
  override name = "SurveyCompileError";
}

const CHOICE_TYPES = new Set(["radiogroup", "dropdown"]);
const TEXT_TYPES = new Set(["comment", "text"]);
const DISPLAY_ONLY_TYPES = new Set(["html", "image", "expression"]);

function condition(expression: unknown, where: string): ConditionRunner | null {
  if (typeof expression !== "string" || expression.trim() === "") return null;
  const runner = new ConditionRunner(expression);
  if (!runner.canRun()) {
    throw new SurveyCompileError(`${where}: cannot parse visibleIf expression "${expression}"`);
  }
  return runner;
}

function variablesIn(expression: unknown): string[] {
  if (typeof expression !== "string") return [];
  return [...expression.matchAll(/\{([^{}]+)\}/g)].map((m) => (m[1] ?? "").trim());
}

/**
 * Compiles a definition. Throws `SurveyCompileError` for JSON survey-core reports errors in,
 * for unsupported element types (panels, matrices, checkboxes, …) and unparsable conditions.
 */
export function compileSurvey(json: unknown): CompiledSurvey {
  registerSurveyProperties();
  const header = SurveyHeaderSchema.safeParse(json);
  if (!header.success) {
    throw new SurveyCompileError(`invalid definition header: ${header.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
  }
  const model = new Model(json);
  const jsonErrors = model.jsonErrors ?? [];
  if (jsonErrors.length > 0) {
    throw new SurveyCompileError(`survey-core rejected the definition: ${jsonErrors.map((e) => e.message).join("; ")}`);
  }

  const questions: CompiledQuestion[] = [];
  const referenced = new Set<string>();
  model.pages.forEach((page, index) => {
    const pageCondition = condition(page.visibleIf, `page ${page.name}`);
    variablesIn(page.visibleIf).forEach((v) => referenced.add(v));
    for (const element of page.elements) {
      const type = element.getType();
      if (DISPLAY_ONLY_TYPES.has(type)) continue;
      if (element.isPanel) {
        throw new SurveyCompileError(`page ${page.name}: panels are not supported (${element.name})`);
      }
      const q = element as Question;
      const where = `question ${q.name}`;
      const conditions = [pageCondition, condition(q.visibleIf, where)].filter((c): c is ConditionRunner => c !== null);
      variablesIn(q.visibleIf).forEach((v) => referenced.add(v));
      const base = {
        name: q.name,
        title: q.title || q.name,
        description: typeof q.description === "string" && q.description.trim() !== "" ? q.description : null,
        pageIndex: index + 1,
        required: q.isRequired,
        conditions,
      };
      if (CHOICE_TYPES.has(type)) {
        const raw = q.toJSON() as { showOtherItem?: boolean; hasOther?: boolean; showNoneItem?: boolean };
        if (raw.showOtherItem || raw.hasOther || raw.showNoneItem) {
          throw new SurveyCompileError(`${where}: "other"/"none" items are not supported`);
        }
        const choices: CompiledChoice[] = (q as Question & { choices: Array<{ value: unknown; text: string; visibleIf?: string }> }).choices.map((c) => {
          if (typeof c.value !== "string" && typeof c.value !== "number") {
            throw new SurveyCompileError(`${where}: choice values must be strings or numbers`);
          }
          variablesIn(c.visibleIf).forEach((v) => referenced.add(v));
          return { value: c.value, text: c.text, visibleIf: condition(c.visibleIf, `${where} choice ${String(c.value)}`) };
        });
        if (choices.length === 0) throw new SurveyCompileError(`${where}: no choices`);
        questions.push({ ...base, kind: "choice", choices, dynamicChoices: choices.some((c) => c.visibleIf) });
      } else if (TEXT_TYPES.has(type)) {
        const { maxLength, placeholder } = q as Question & { maxLength?: number; placeholder?: string };
        questions.push({
          ...base,
          kind: "text",
          maxLength: typeof maxLength === "number" && maxLength > 0 ? maxLength : null,
          multiline: type === "comment",
          placeholder: typeof placeholder === "string" && placeholder !== "" ? placeholder : null,
        });
      } else {
        throw new SurveyCompileError(`${where}: question type "${type}" is not supported`);
      }
    }
  });

  const byName = new Map(questions.map((q) => [q.name, q] as const));
  if (byName.size !== questions.length) throw new SurveyCompileError("duplicate question names");
  const variables = [...referenced].filter((name) => !byName.has(name)).sort();
  const answerDependent = [...referenced].some((name) => byName.has(name));
  return {
    id: header.data.questionnaireId,
    version: header.data.version,
    title: header.data.title,
    questions,
    byName,
    variables,
    answerDependent,
    json: header.data,
  };
}
