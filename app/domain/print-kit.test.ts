import { describe, expect, it } from "vitest";
import { parsePosterAudience, posterWording, POSTER_AUDIENCES, sheetAudience } from "./print-kit";

describe("parsePosterAudience", () => {
  it("absent or empty is every sheet; parent, staff, student are one", () => {
    expect(parsePosterAudience(null)).toEqual({ ok: true, audience: null });
    expect(parsePosterAudience("")).toEqual({ ok: true, audience: null });
    for (const a of POSTER_AUDIENCES) expect(parsePosterAudience(a)).toEqual({ ok: true, audience: a });
  });

  it("refuses anything else in Chinese, quoting at most 40 characters of it", () => {
    for (const bad of ["teacher", "Parent", " parent", "county", "家长"]) {
      const parsed = parsePosterAudience(bad);
      expect(parsed.ok).toBe(false);
      if (!parsed.ok) expect(parsed.message).toContain("只能是 parent（家长页）、staff（教师页）或 student（学生页）");
    }
    const long = parsePosterAudience("x".repeat(500));
    expect(!long.ok && long.message.includes("x".repeat(41))).toBe(false);
  });
});

describe("posterWording", () => {
  it("each school audience's sheet says who it is for and that the code is only theirs", () => {
    expect(posterWording("parent", "某小学").heading).toBe("家长请扫码");
    expect(posterWording("staff", "某小学").only).toBe("本码仅供本校校长、教师扫码填写，其他人员请勿使用。");
    expect(posterWording("staff", "某小学").note).toContain("家长和学生请勿扫描此码");
    expect(posterWording("student", "某小学").who).toBe("某小学三年级及以上学生");
    for (const a of POSTER_AUDIENCES) expect(posterWording(a, "某小学").only).toMatch(/^本码仅供.+扫码填写，其他人员请勿使用。$/);
  });

  it("the headings differ, so no sheet can be mistaken for another's", () => {
    const headings = (["parent", "staff", "student", "county"] as const).map((a) => posterWording(a, "x").heading);
    expect(new Set(headings).size).toBe(4);
    for (const h of headings) for (const other of headings) if (h !== other) expect(h.includes(other)).toBe(false);
  });

  it("a school's 社会卷 is the 家长 sheet, the county's the public's", () => {
    expect(sheetAudience("social", true)).toBe("parent");
    expect(sheetAudience("social", false)).toBe("county");
    expect(sheetAudience("staff", true)).toBe("staff");
  });
});
