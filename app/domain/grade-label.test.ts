import { describe, expect, it } from "vitest";
import { gradeLabel } from "./grade-label";

describe("gradeLabel", () => {
  it("names grades as the questionnaires do", () => {
    expect([1, 3, 5, 7, 9].map(gradeLabel)).toEqual(["一年级", "三年级", "五年级", "七年级", "九年级"]);
    expect(gradeLabel("4")).toBe("四年级");
  });
  it("keeps the digits of a grade outside 1–9 rather than inventing a name", () => {
    expect(gradeLabel(0)).toBe("0年级");
    expect(gradeLabel(10)).toBe("10年级");
    expect(gradeLabel("x")).toBe("x年级");
  });
});
