import { describe, expect, it } from "vitest";
import { AUDIENCE_WORDS, audienceOf, shareTitle } from "./audience";

const school = { schoolName: "永康镇永丰小学", countyName: "沙坡头区" };

describe("audience", () => {
  it("tells the school's parents, the county's public, staff and pupils apart", () => {
    expect(audienceOf({ questionnaireId: "social", schoolName: "永丰小学" })).toBe("parent");
    expect(audienceOf({ questionnaireId: "social", schoolName: null })).toBe("public");
    expect(audienceOf({ questionnaireId: "staff", schoolName: "永丰小学" })).toBe("staff");
    expect(audienceOf({ questionnaireId: "student", schoolName: "永丰小学" })).toBe("student");
  });

  it("titles a shared link by school and audience, never 社会卷 · 学校", () => {
    expect(shareTitle({ ...school, questionnaireId: "social" })).toBe("永康镇永丰小学 满意度调查（家长）");
    expect(shareTitle({ ...school, questionnaireId: "staff" })).toBe("永康镇永丰小学 满意度调查（校长、教师）");
    expect(shareTitle({ ...school, questionnaireId: "student" })).toBe("永康镇永丰小学 满意度调查（学生）");
    expect(shareTitle({ schoolName: null, countyName: "沙坡头区", questionnaireId: "social" })).toBe("沙坡头区 满意度调查（社会各界）");
  });

  it("only parents are told about a child at another school; pupils are addressed as 你", () => {
    for (const [audience, words] of Object.entries(AUDIENCE_WORDS)) {
      const all = [words.thanksTitle, words.thanksMessage, words.thanksHint, words.alreadyMessage, words.alreadyHint ?? ""].join("");
      expect(all.includes("孩子"), audience).toBe(audience === "parent");
      expect(all.includes("您"), audience).toBe(audience !== "student");
    }
  });
});
