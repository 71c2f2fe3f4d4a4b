import { describe, expect, it } from "vitest";
import { cvText } from "./readiness-cvs";

describe("cvText", () => {
  it("shows 3 decimals, as the 申报表 does", () => {
    expect(cvText({ cv: 0.64571, limit: 0.5 })).toEqual({ text: "0.646", borderline: false });
    expect(cvText({ cv: 0.45, limit: 0.45 })).toEqual({ text: "0.450", borderline: false });
    expect(cvText({ cv: null, limit: 0.45 })).toEqual({ text: "—", borderline: false });
  });
  it("never shows a failing CV as its limit: 0.4504 against ≤ 0.45 reads 0.4504, marked borderline", () => {
    expect(cvText({ cv: 0.4504, limit: 0.45 })).toEqual({ text: "0.4504", borderline: true });
    expect(cvText({ cv: 0.4496, limit: 0.45 })).toEqual({ text: "0.450", borderline: false });
  });
});
