import { describe, expect, it } from "vitest";
import { borderlineFlag, formatFixed, isBorderline, roundHalfUp, shownFigure } from "./display";

describe("roundHalfUp", () => {
  it("rounds the printed decimal half away from zero, not the binary value", () => {
    // 1.005 is stored as 1.00499999999999989…; Math.round(1.005 * 100) / 100 gives 1.
    expect(roundHalfUp(1.005, 2)).toBe(1.01);
    expect(roundHalfUp(0.5004, 3)).toBe(0.5);
    expect(roundHalfUp(0.5005, 3)).toBe(0.501);
    expect(roundHalfUp(4.195, 2)).toBe(4.2);
    expect(roundHalfUp(-2.5, 0)).toBe(-3);
    expect(roundHalfUp(0.0004, 3)).toBe(0);
    expect(roundHalfUp(123456.789, 1)).toBe(123456.8);
    expect(roundHalfUp(1e-7, 2)).toBe(0);
    expect(formatFixed(0.5004, 3)).toBe("0.500");
    expect(formatFixed(84.995, 2)).toBe("85.00");
  });
});

describe("borderline", () => {
  it("flags a CV of 0.5004 (fails, but shows as 0.500)", () => {
    expect(isBorderline(0.5004, 3, "<=", 0.5)).toBe(true);
    const f = borderlineFlag("小学 L4 差异系数", "L4", 0.5004, 3, "<=", 0.5);
    expect(f?.displayed).toBe("0.500");
    expect(f?.passes).toBe(false);
  });
  it("does not flag a value exactly at the limit or clearly on one side", () => {
    expect(isBorderline(0.5, 3, "<=", 0.5)).toBe(false);
    expect(isBorderline(0.5006, 3, "<=", 0.5)).toBe(false); // shows 0.501, fails both ways
    expect(isBorderline(0.45, 3, "<=", 0.45)).toBe(false);
  });
  it("flags a county mean of 4.196 against ≥ 4.2 (shows 4.20)", () => {
    expect(isBorderline(4.196, 2, ">=", 4.2)).toBe(true);
    expect(isBorderline(4.194, 2, ">=", 4.2)).toBe(false);
  });
});

describe("shownFigure", () => {
  it("rounds to the display's decimals, so a copied cell holds what the page shows", () => {
    expect(shownFigure(0.123456, 3)).toEqual({ value: 0.123, decimals: 3, borderline: false });
    expect(shownFigure(86.2345, 2, [{ comparison: ">=", threshold: 85 }])).toEqual({ value: 86.23, decimals: 2, borderline: false });
    expect(shownFigure(1.005, 2)).toEqual({ value: 1.01, decimals: 2, borderline: false });
  });
  it("keeps the digits that decide where the rounding would cross the line, and says so", () => {
    // 0.4504 fails ≤ 0.45 but shows 0.450; 0.4504 at 4 places decides as the full value.
    expect(shownFigure(0.4504, 3, [{ comparison: "<=", threshold: 0.45 }])).toEqual({ value: 0.4504, decimals: 4, borderline: true });
    // 84.996% fails ≥ 85% but shows 85.00.
    expect(shownFigure(84.996, 2, [{ comparison: ">=", threshold: 85 }])).toEqual({ value: 84.996, decimals: 3, borderline: true });
    // Exactly on the line is not borderline; one below at the display's precision is not either.
    expect(shownFigure(85, 2, [{ comparison: ">=", threshold: 85 }]).borderline).toBe(false);
    expect(shownFigure(84.99, 2, [{ comparison: ">=", threshold: 85 }]).borderline).toBe(false);
  });
});
