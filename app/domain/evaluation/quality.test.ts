import { describe, expect, it } from "vitest";
import { evaluateQuality } from "./quality";
import { DEFAULT_DISPLAY_SETTINGS as D, DEFAULT_QUALITY_SETTINGS as Q } from "./settings";
import { primarySchool } from "./test-helpers";

describe("education quality", () => {
  it("Q1 95%, Q4 5% per school, Q6 良好, Q9 level Ⅲ and difference < 0.15", () => {
    // Q4: budget 80 万元, training 3.2 万元 = 4% < 5%; short 0.05 × 80 − 3.2 = 0.8 万元 = 8 000 元.
    const school = primarySchool("a", 1000, { publicFunds: { fundedStudents: null, annualBudgetWanYuan: 80, teacherTrainingWanYuan: 3.2 } });
    const r = evaluateQuality(
      "测试县",
      [school],
      {
        Q1: { cohortEntrants: 1000, currentGrade9: 950 },
        Q6: { rating: "adequate" },
        Q9: {
          subjects: [
            { subject: "数学", level: 3, differenceRate: 0.15 },
            { subject: "语文", level: 4, differenceRate: 0.1 },
          ],
        },
      },
      Q,
      D,
    );
    const by = (c: string) => r.items.find((i) => i.code === c);
    expect(by("Q1")?.status).toBe("pass");
    expect(by("Q4")?.shortfalls[0]).toMatchObject({ quantity: 8000, text: "教师培训经费缺 8000 元（应不低于公用经费预算的 5%）" });
    expect(by("Q6")?.status).toBe("fail");
    expect(by("Q9")?.status).toBe("fail"); // 0.15 is not < 0.15
    expect(by("Q5")?.status).toBe("not_evaluated");
    expect(r.status).toBe("fail");
  });
});

describe("quality edge cases", () => {
  it("Q1 at exactly 95% passes (950 / 1 000); Q2 at 94.9% fails and needs 1 more child", () => {
    const r = evaluateQuality("测试县", [], { Q1: { cohortEntrants: 1000, currentGrade9: 950 }, Q2: { disabledChildren: 1000, enrolled: 949 } }, Q, D);
    expect(r.items.find((i) => i.code === "Q1")?.status).toBe("pass");
    expect(r.items.find((i) => i.code === "Q2")?.shortfalls[0]?.quantity).toBe(1);
  });
  it("Q4 at exactly 5% passes; a school without budget data is not evaluated", () => {
    const ok = primarySchool("a", 100, { publicFunds: { fundedStudents: null, annualBudgetWanYuan: 20, teacherTrainingWanYuan: 1 } });
    const none = primarySchool("b", 100);
    const r = evaluateQuality("测试县", [ok, none], {}, Q, D).items.find((i) => i.code === "Q4");
    expect(r?.schools.map((s) => s.status)).toEqual(["pass", "not_evaluated"]);
    expect(r?.status).toBe("not_evaluated");
  });
  it("ratings follow the minimum-rating setting", () => {
    const input = { Q5: { rating: "adequate" as const } };
    expect(evaluateQuality("测试县", [], input, Q, D).items.find((i) => i.code === "Q5")?.status).toBe("fail");
    expect(evaluateQuality("测试县", [], input, { ...Q, minRating: { ...Q.minRating, Q5: "adequate" } }, D).items.find((i) => i.code === "Q5")?.status).toBe(
      "pass",
    );
  });
});
