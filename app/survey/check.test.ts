import { describe, expect, it } from "vitest";
import { QUESTIONNAIRE_SCORING } from "../domain/questionnaire-scoring";
import { checkDefinition } from "./check";
import { DEFINITION_FILES, loadDefinition } from "./test-definitions";

type Json = Record<string, unknown>;

function clone(value: Json): Json {
  const copy: unknown = JSON.parse(JSON.stringify(value));
  if (typeof copy !== "object" || copy === null || Array.isArray(copy)) throw new Error("not an object");
  return Object.fromEntries(Object.entries(copy));
}

/** Edits the first element with `name` anywhere in the definition's pages. */
function editElement(json: Json, name: string, edit: (element: Json) => void): Json {
  const copy = clone(json);
  const pages = copy.pages;
  if (!Array.isArray(pages)) throw new Error("no pages");
  for (const page of pages) {
    for (const element of page.elements ?? []) {
      if (element.name === name) {
        edit(element);
        return copy;
      }
    }
  }
  throw new Error(`no element ${name}`);
}

describe("checkDefinition", () => {
  it("passes every shipped definition", () => {
    expect(DEFINITION_FILES.length).toBeGreaterThanOrEqual(3);
    for (const file of DEFINITION_FILES) {
      expect(checkDefinition(loadDefinition(file), QUESTIONNAIRE_SCORING).problems, file).toEqual([]);
    }
  });

  const social = loadDefinition("social.v1.json");

  it("reports a missing scored item and an uncovered content area", () => {
    const copy = clone(social);
    const pages = copy.pages as Array<{ elements: Json[] }>;
    for (const page of pages) page.elements = page.elements.filter((e) => e.name !== "homework");
    const { problems } = checkDefinition(copy, QUESTIONNAIRE_SCORING);
    expect(problems).toContain("缺少计分题 homework");
    expect(problems.some((p) => p.startsWith("未覆盖调查内容") && p.includes("课业负担"))).toBe(true);
  });

  it("reports scale choices that differ from the spec's one scale", () => {
    const changed = editElement(social, "moral", (e) => {
      e.choices = ["非常满意", "满意", "不满意"];
    });
    expect(checkDefinition(changed, QUESTIONNAIRE_SCORING).problems[0]).toMatch(/^计分题 moral 的选项必须依次为/);
  });

  it("reports unsupported question types, unknown variables and optional scored items", () => {
    expect(
      checkDefinition(
        editElement(social, "moral", (e) => void (e.type = "checkbox")),
        QUESTIONNAIRE_SCORING,
      ).problems[0],
    ).toMatch(/无法加载问卷定义.*checkbox/);
    expect(
      checkDefinition(
        editElement(social, "grade", (e) => void (e.visibleIf = "{region} = 'x'")),
        QUESTIONNAIRE_SCORING,
      ).problems,
    ).toContain("显示条件引用了不存在的题目或变量：region");
    expect(
      checkDefinition(
        editElement(social, "overall", (e) => void (e.isRequired = false)),
        QUESTIONNAIRE_SCORING,
      ).problems,
    ).toContain("计分题 overall 必须为必答题");
  });

  it("rejects JSON survey-core itself reports errors in", () => {
    const copy = clone(social);
    copy.notASurveyProperty = true;
    expect(checkDefinition(copy, QUESTIONNAIRE_SCORING).problems[0]).toMatch(/survey-core rejected the definition/);
  });
});
