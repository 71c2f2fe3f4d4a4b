import { describe, expect, it } from "vitest";
import { evaluateResources } from "./resource";
import { DEFAULT_DISPLAY_SETTINGS as D, DEFAULT_RESOURCE_SETTINGS as R } from "./settings";
import { resourceShortfalls } from "./shortfalls";
import { facilitiesAt, primarySchool, schoolOfType, staffAt } from "./test-helpers";
import type { SchoolInput } from "./input";

const shortfallsOf = (schools: SchoolInput[]) => resourceShortfalls(schools, evaluateResources(schools, R, D), R);

describe("what it takes to pass — units", () => {
  it("names teachers and m², leaving the indicator with the largest gap at its 85% floor", () => {
    // 1 000 students; L2 = 100 × 8 / 1000 = 0.8 (< floor 0.85, gap 20%); L4 = 4 000 / 1 000 = 4.0
    // (< 4.5, gap 11.1%). L2 is left at its floor: 100 × (8 + k) / 1000 ≥ 0.85 ⇒ k = 1 teacher;
    // L4 must reach 4.5: 4.5 × 1 000 − 4 000 = 500 m².
    const s = shortfallsOf([
      primarySchool("a", 1000, {
        sections: { primary: { ...staffAt(1000), keyTeachers: 8 } },
        facilities: { ...facilitiesAt(1000), teachingAuxiliaryAreaM2: 4000 },
      }),
    ]);
    const plan = s.units[0];
    expect(plan?.indicatorAtFloor).toBe("L2");
    const l2 = plan?.needs.find((n) => n.indicator === "L2");
    const l4 = plan?.needs.find((n) => n.indicator === "L4");
    expect(l2).toMatchObject({ quantity: 1, unit: "teacher", target: "floor", targetValue: 0.85 });
    expect(l2?.text).toContain("差 1 名县级以上骨干教师");
    expect(l4).toMatchObject({ quantity: 500, unit: "m2", target: "standard" });
    expect(l4?.text).toContain("缺 500 m² 教学及辅助用房面积");
    expect(s.totals.find((t) => t.indicator === "L2")?.quantity).toBe(1);
  });
  it("shows money in 万元 and rounds up", () => {
    // L6 = 1 500 000 元 / 1 000 = 1 500 < floor 1 700, the only failing indicator → floor:
    // 1 700 × 1 000 − 1 500 000 = 200 000 元 = 20 万元.
    const s = shortfallsOf([primarySchool("a", 1000, { facilities: { ...facilitiesAt(1000), equipmentValueWanYuan: 150 } })]);
    const l6 = s.units[0]?.needs[0];
    expect(l6).toMatchObject({ indicator: "L6", quantity: 200_000, unit: "yuan", target: "floor" });
    expect(l6?.text).toContain("缺 20 万元教学仪器设备");
  });
  it("a split school needs one room for both sections, not two", () => {
    // 166 + 210 students, 7 rooms: W = 397; 小学部 L7 = 100 × 7 / 397 = 1.763 (< 1.955);
    // 初中部 100 × 7 × 1.1 / 397 = 1.940 (< 2.04). With 8 rooms: 2.015 ≥ 1.955 and 2.217 ≥ 2.04.
    const big = {
      teachingAuxiliaryAreaM2: 100_000,
      indoorSportsAreaM2: 0,
      sportsGroundAreaM2: 100_000,
      sportsHallAreaM2: 0,
      equipmentValueWanYuan: 1000,
      multimediaClassrooms: 7,
    };
    const school = schoolOfType(
      "n",
      "nine_year",
      { primary: 166, junior: 210, senior: 0 },
      {
        sections: {
          primary: { ...staffAt(1000), aboveRequiredDegree: 10, keyTeachers: 2, peTeachers: 2 },
          junior: { ...staffAt(1000, "junior"), aboveRequiredDegree: 12, keyTeachers: 3, peTeachers: 2 },
        },
        facilities: big,
      },
    );
    const s = shortfallsOf([school]);
    expect(s.units.map((u) => u.needs.map((n) => [n.indicator, n.quantity]))).toEqual([[["L7", 1]], [["L7", 1]]]);
    expect(s.totals).toEqual([expect.objectContaining({ indicator: "L7", quantity: 1, unit: "room" })]);
  });
});

describe("what it takes to pass — 差异系数", () => {
  it("names the units pulling the CV up and how far raising the weakest lowers it", () => {
    // L5 = 7.5, 7.5, 30 (1 000 students each): X̄ = 15, S² = (56.25 + 56.25 + 225)/3 = 112.5,
    // CV = √112.5 / 15 = 0.7071. Variance shares: 30 → 75/112.5 = 2/3; each 7.5 → 1/6.
    // Raise A to 15: values 15, 7.5, 30 → X̄ = 17.5, S² = (6.25 + 100 + 156.25)/3 = 87.5, CV = 0.5345.
    // Raise B too: 15, 15, 30 → X̄ = 20, S² = (25 + 25 + 100)/3 = 50, CV = 0.3536 ≤ 0.5.
    const schools = [7500, 7500, 30_000].map((l5, i) => primarySchool(String(i), 1000, { facilities: { ...facilitiesAt(1000), sportsGroundAreaM2: l5 } }));
    const s = shortfallsOf(schools);
    const fix = s.cvFixes[0];
    expect(fix?.indicator).toBe("L5");
    expect(fix?.cv).toBeCloseTo(Math.sqrt(112.5) / 15, 12);
    expect(fix?.topContributors[0]).toMatchObject({ label: "学校2", side: "above_mean" });
    expect(fix?.topContributors[0]?.varianceShare).toBeCloseTo(2 / 3, 12);
    expect(fix?.raiseWeakest.map((st) => st.cvAfter)).toEqual([expect.closeTo(Math.sqrt(87.5) / 17.5, 12), expect.closeTo(Math.sqrt(50) / 20, 12)]);
    expect(fix?.raiseWeakest.map((st) => st.passesAfter)).toEqual([false, true]);
    // Raising 7.5 → 15 m²/student for 1 000 students: 7 500 m².
    expect(fix?.raiseWeakest[0]?.need.quantity).toBe(7500);
    expect(fix?.summary).toContain("达标");
  });
});
