import { describe, expect, it } from "vitest";
import { missingLine, progressOf, requiredMessage, scrollToClear } from "./fast-survey-logic";

const q = (required: boolean, answered: boolean) => ({ required, answered });

describe("progressOf", () => {
  it("counts the required questions only: 14 of 14 with the optional comment empty is done", () => {
    const all = [...Array.from({ length: 14 }, () => q(true, true)), q(false, false)];
    expect(progressOf(all)).toEqual({ done: 14, total: 14, percent: 100, text: "已答 14/14 题，可以提交了" });
  });

  it("a written comment never counts past the total, and a missing required answer keeps it below 100%", () => {
    const some = [q(true, true), q(true, false), q(true, true), q(false, true)];
    expect(progressOf(some)).toEqual({ done: 2, total: 3, percent: 67, text: "已答 2/3 题" });
  });

  it("counts every question when none is required, and says nothing odd for an empty form", () => {
    expect(progressOf([q(false, true), q(false, false)])).toMatchObject({ done: 1, total: 2, text: "已答 1/2 题" });
    expect(progressOf([])).toEqual({ done: 0, total: 0, percent: 100, text: "已答 0/0 题" });
  });
});

describe("missingLine", () => {
  it("says how many are left, and is empty (hidden) once none is", () => {
    expect(missingLine(14)).toBe("还有 14 题未作答，请补全后再提交。");
    expect(missingLine(1)).toBe("还有 1 题未作答，请补全后再提交。");
    expect(missingLine(0)).toBe("");
  });
});

describe("requiredMessage", () => {
  it("mentions 不了解 only where the question offers it (the grade question does not)", () => {
    expect(requiredMessage(["满意", "比较满意", "基本满意", "不满意", "很不满意", "不了解"])).toBe("请选择一项（不清楚可选“不了解”）");
    expect(requiredMessage(["一年级", "二年级", "三年级"])).toBe("请选择一项");
    expect(requiredMessage(["不了解情况的说明"])).toBe("请选择一项");
  });
});

describe("scrollToClear", () => {
  it("scrolls just enough to lift a button above the sticky bar, and not at all when it is clear", () => {
    expect(scrollToClear(800, 780)).toBe(28);
    expect(scrollToClear(700, 780)).toBe(0);
    expect(scrollToClear(772.4, 780)).toBe(1);
  });
});
