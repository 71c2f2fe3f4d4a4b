/**
 * Differential tests: the compiled validator that serves requests must judge every answer set
 * exactly as survey-core does (plus the explicit rejections documented in validate.ts).
 */
import fc from "fast-check";
import { Helpers, Model } from "survey-core";
import { describe, expect, it } from "vitest";
import { SCHOOL_TYPES, type SchoolType } from "../domain/vocabulary";
import { compileSurvey, type CompiledSurvey } from "./compile";
import { registerSurveyProperties } from "./register";
import { DEFINITION_FILES, loadDefinition } from "./test-definitions";
import { validateAnswers, type SurveyVariables } from "./validate";
import { surveyVariablesFor } from "./variables";

/**
 * survey-core's own judgement of an answer set, plus the explicit rules the fast validator adds
 * where survey-core is silent (documented in validate.ts): keys must be questions, values of
 * the right JSON type and strictly equal to a visible choice, text within maxLength.
 * Visibility of questions, pages and choices and the required check are survey-core's.
 */
function surveyCoreJudgement(model: Model, survey: CompiledSurvey, answers: Record<string, unknown>): boolean {
  const questions = model.getAllQuestions();
  const names = new Set(questions.map((q) => q.name));
  const keys = Object.keys(answers);
  if (keys.length > questions.length) return false;
  for (const key of keys) {
    if (!names.has(key)) return false;
    const value = answers[key];
    const compiled = survey.byName.get(key);
    if (compiled?.kind === "text" ? typeof value !== "string" : typeof value !== "string" && typeof value !== "number") return false;
  }
  model.data = answers;
  for (const q of questions) {
    const value = answers[q.name];
    if (value === undefined) continue;
    const visible = q.isVisible && (q.page?.isVisible ?? true);
    if (!visible) return false;
    if (value === "") continue;
    if (q.getType() === "radiogroup") {
      const choices: Array<{ value: unknown }> = (q as unknown as { visibleChoices: Array<{ value: unknown }> }).visibleChoices;
      if (!choices.some((c) => c.value === value && Helpers.isTwoValueEquals(c.value, value))) return false;
    } else {
      const maxLength = (q as unknown as { maxLength: number }).maxLength;
      if (typeof value === "string" && maxLength > 0 && [...value].length > maxLength) return false;
    }
  }
  return model.validate(false, false);
}

interface Mutation {
  kind: "drop" | "invalid" | "hidden" | "unknown" | "empty";
  index: number;
  value: unknown;
}

const INVALID_VALUES: unknown[] = ["满意 ", "非常满意", -1, 0, 10, null, ["满意"], true, "3", { v: 1 }, "字".repeat(501), 2.5];

const caseArbitrary = fc.record({
  picks: fc.array(fc.nat({ max: 1000 }), { minLength: 32, maxLength: 32 }),
  comment: fc.option(fc.string({ maxLength: 40 }), { nil: undefined }),
  mutations: fc.array(
    fc.record({
      kind: fc.constantFrom<Mutation["kind"]>("drop", "invalid", "hidden", "unknown", "empty"),
      index: fc.nat({ max: 1000 }),
      value: fc.constantFrom(...INVALID_VALUES),
    }),
    { maxLength: 2 },
  ),
});

/**
 * An answer set built the way a respondent would (question by question, only what survey-core
 * shows, from its visible choices), then 0–2 mutations: a dropped answer, an invalid value, an
 * answer to a hidden question, an unknown key, an empty string.
 */
type CaseInput = typeof caseArbitrary extends fc.Arbitrary<infer T> ? T : never;

function buildCase(model: Model, input: CaseInput): Record<string, unknown> {
  const questions = model.getAllQuestions();
  const isShown = (q: (typeof questions)[number]) => q.isVisible && (q.page?.isVisible ?? true);
  // Answer what survey-core shows, from its visible choices; repeat until visibility settles
  // (an answer can show or hide other questions).
  let data: Record<string, unknown> = {};
  for (let pass = 0; pass < 4; pass++) {
    model.data = data;
    const next: Record<string, unknown> = {};
    questions.forEach((q, i) => {
      if (!isShown(q)) return;
      const pick = input.picks[i % input.picks.length] ?? 0;
      if (q.getType() === "radiogroup") {
        const choices: Array<{ value: unknown }> = (q as unknown as { visibleChoices: Array<{ value: unknown }> }).visibleChoices;
        const choice = choices[pick % choices.length];
        if (choice) next[q.name] = choice.value;
      } else if (input.comment !== undefined) {
        next[q.name] = input.comment;
      }
    });
    const settled = JSON.stringify(next) === JSON.stringify(data);
    data = next;
    if (settled) break;
  }
  const answers: Record<string, unknown> = { ...data };
  for (const m of input.mutations) {
    const q = questions[m.index % questions.length];
    if (!q) continue;
    if (m.kind === "drop") {
      const keys = Object.keys(answers);
      const key = keys[m.index % Math.max(1, keys.length)];
      if (key) delete answers[key];
    } else if (m.kind === "invalid") {
      answers[q.name] = m.value;
    } else if (m.kind === "empty") {
      answers[q.name] = "";
    } else if (m.kind === "unknown") {
      answers[["extra", "Grade", "comments", "overall "][m.index % 4] ?? "extra"] = "满意";
    } else {
      const hidden = questions.filter((h) => !isShown(h));
      const h = hidden[m.index % Math.max(1, hidden.length)];
      if (h && h.getType() === "radiogroup") {
        const all: Array<{ value: unknown }> = (h as unknown as { choices: Array<{ value: unknown }> }).choices;
        answers[h.name] = all[m.index % all.length]?.value;
      }
    }
  }
  return answers;
}

describe("the fast validator agrees with survey-core (differential)", () => {
  registerSurveyProperties();
  const variableSets: Array<{ name: string; vars: SurveyVariables }> = [
    { name: "county", vars: surveyVariablesFor(null) },
    ...SCHOOL_TYPES.map((t: SchoolType) => ({ name: t, vars: surveyVariablesFor(t) })),
  ];
  for (const file of DEFINITION_FILES) {
    it(`${file}: 1,400 generated answer sets over every kind of link`, { timeout: 60_000 }, () => {
      const json = loadDefinition(file);
      const survey = compileSurvey(json);
      let accepted = 0;
      let rejected = 0;
      for (const { name, vars } of variableSets) {
        const model = new Model(json);
        for (const [k, v] of Object.entries(vars)) model.setVariable(k, v);
        fc.assert(
          fc.property(caseArbitrary, (input) => {
            const answers = buildCase(model, input);
            const ours = validateAnswers(survey, answers, vars).ok;
            const theirs = surveyCoreJudgement(model, survey, answers);
            if (ours) accepted++;
            else rejected++;
            expect(ours, `${name}: ${JSON.stringify(answers)}`).toBe(theirs);
          }),
          { numRuns: 200, seed: 20261129, endOnFailure: true },
        );
      }
      // Both sides of the judgement are exercised, not just one.
      expect(accepted).toBeGreaterThan(200);
      expect(rejected).toBeGreaterThan(200);
    });
  }
});
