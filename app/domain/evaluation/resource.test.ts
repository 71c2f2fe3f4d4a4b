import { describe, expect, it } from "vitest";
import { evaluateResources, evaluateUnit } from "./resource";
import { DEFAULT_DISPLAY_SETTINGS as D, DEFAULT_RESOURCE_SETTINGS as R } from "./settings";
import { facilitiesAt, juniorSchool, primarySchool, schoolOfType, staffAt } from "./test-helpers";
import { allocatedAmount, buildUnits } from "./units";

describe("units and the multi-level split", () => {
  it("splits the spec's 九年一贯制 example: 166 + 210 students sharing 23 226", () => {
    // W = 166 + 1.1 × 210 = 397; 23 226 / 397 = 58.5038 per weighted student;
    // 小学部 166 × 58.5038 = 9 711.63 (spec: 9 711.6); 初中部 231 × 58.5038 = 13 514.37 (13 514.4).
    const school = schoolOfType(
      "s",
      "nine_year",
      { primary: 166, junior: 210, senior: 0 },
      {
        facilities: {
          teachingAuxiliaryAreaM2: 23_226,
          indoorSportsAreaM2: 0,
          sportsGroundAreaM2: 0,
          sportsHallAreaM2: 0,
          equipmentValueWanYuan: 0,
          multimediaClassrooms: 0,
        },
      },
    );
    const { units } = buildUnits([school], R);
    const [p, j] = units;
    expect(p?.weightedEnrolment).toBeCloseTo(397, 12);
    expect(allocatedAmount(p!, 23_226)).toBeCloseTo(9711.6, 1);
    expect(allocatedAmount(j!, 23_226)).toBeCloseTo(13514.4, 1);
    expect(allocatedAmount(p!, 23_226) + allocatedAmount(j!, 23_226)).toBeCloseTo(23_226, 9);
    const rp = evaluateUnit(p!, R);
    const rj = evaluateUnit(j!, R);
    // L4 per student: 小学部 23 226 / 397 = 58.5038; 初中部 1.1 × 23 226 / 397 = 64.3542.
    expect(rp.indicators.L4.value).toBeCloseTo(23_226 / 397, 12);
    expect(rj.indicators.L4.value).toBeCloseTo((1.1 * 23_226) / 397, 12);
    expect(rp.label).toContain("小学部");
  });
  it("splits 完全中学 1 : 1.2 and 十二年一贯制 1 : 1.1 : 1.32", () => {
    // 完全中学 1 400 初中 + 1 600 高中: W = 1400 + 1.2 × 1600 = 3 320; 初中 share 1400/3320 = 0.421687.
    const cs = schoolOfType("cs", "complete_secondary", { primary: 0, junior: 1400, senior: 1600 });
    // 十二年 900/700/600: W = 900 + 770 + 792 = 2 462; 小学 900/2462, 初中 770/2462.
    const tw = schoolOfType("tw", "twelve_year", { primary: 900, junior: 700, senior: 600 });
    const { units } = buildUnits([cs, tw], R);
    expect(units.map((u) => u.id)).toEqual(["cs:junior", "tw:primary", "tw:junior"]);
    expect(units[0]?.share).toBeCloseTo(1400 / 3320, 15);
    expect(units[1]?.share).toBeCloseTo(900 / 2462, 15);
    expect(units[2]?.share).toBeCloseTo(770 / 2462, 15);
  });
  it("leaves 教学点 under 50 students out; 50 and more are units", () => {
    const a = schoolOfType("tp1", "teaching_point", { primary: 49, junior: 0, senior: 0 });
    const b = schoolOfType("tp2", "teaching_point", { primary: 50, junior: 0, senior: 0 });
    const { units, excluded } = buildUnits([a, b], R);
    expect(units.map((u) => u.schoolId)).toEqual(["tp2"]);
    expect(excluded[0]?.reason).toContain("不足50人");
  });
});

describe("the unit rule: 6 of 7 at standard, the remaining one at ≥ 85%", () => {
  // A 小学 of 1 000 students exactly at every standard: 42 teachers above degree (4.2), 10 key
  // teachers (1), 9 PE/art (0.9), 4 500 m² (4.5), 7 500 m² (7.5), 200 万元 = 2 000 000 元 (2 000),
  // 23 rooms (2.3).
  const unitOf = (l4Area: number) =>
    buildUnits([primarySchool("a", 1000, { facilities: { ...facilitiesAt(1000), teachingAuxiliaryAreaM2: l4Area } })], R).units[0]!;
  it("passes with every value exactly at its standard (以上 = ≥)", () => {
    const r = evaluateUnit(unitOf(4500), R);
    expect(r.indicatorsMet).toBe(7);
    expect(r.status).toBe("pass");
  });
  it("passes with exactly one indicator at 85%: L4 = 3 825 m² / 1 000 = 3.825 = 0.85 × 4.5", () => {
    const r = evaluateUnit(unitOf(3825), R);
    expect(r.indicators.L4.value).toBe(3.825);
    expect(r.indicatorsMet).toBe(6);
    expect(r.status).toBe("pass");
  });
  it("fails with that indicator at 84.9%: 3 820.5 / 1 000 = 3.8205 < 3.825", () => {
    const r = evaluateUnit(unitOf(3820.5), R);
    expect(r.status).toBe("fail");
    expect(r.reasons.join()).toContain("低于小学标准 4.5 的85%");
  });
  it("fails with two indicators below standard even if both are above 85%", () => {
    const u = buildUnits(
      [
        primarySchool("b", 1000, {
          sections: { primary: { ...staffAt(1000), keyTeachers: 9 } },
          facilities: { ...facilitiesAt(1000), teachingAuxiliaryAreaM2: 4000 },
        }),
      ],
      R,
    ).units[0]!;
    const r = evaluateUnit(u, R);
    expect(r.indicatorsMet).toBe(5);
    expect(r.status).toBe("fail");
  });
  it("is not evaluated when facilities are missing and the teacher values pass", () => {
    const u = buildUnits([primarySchool("c", 1000, { facilities: null })], R).units[0]!;
    expect(evaluateUnit(u, R).status).toBe("not_evaluated");
  });
});

describe("county 差异系数 and the resource decision", () => {
  // Two 小学 of 1 000 students; L5 areas chosen to give the CV under test while every unit passes
  // (L5 may sit at ≥ 6.375 as the one indicator below standard).
  const county = (l5a: number, l5b: number) =>
    evaluateResources(
      [
        primarySchool("a", 1000, { facilities: { ...facilitiesAt(1000), sportsGroundAreaM2: l5a } }),
        primarySchool("b", 1000, { facilities: { ...facilitiesAt(1000), sportsGroundAreaM2: l5b } }),
      ],
      R,
      D,
    );
  it("passes with a 小学 CV exactly at 0.50", () => {
    // L5 = 7.5 and 22.5: X̄ = 15, S = 7.5, CV = 7.5 / 15 = 0.5 exactly (≤ 0.50 passes).
    const r = county(7500, 22_500);
    expect(r.levels.primary.cvs.L5.cv).toBe(0.5);
    expect(r.levels.primary.cvs.L5.withinLimit).toBe(true);
    expect(r.status).toBe("pass");
    expect(r.borderline).toEqual([]);
  });
  it("fails with CV 0.5004 and flags it as borderline (shows 0.500)", () => {
    // L5 = 7.5 and b: X̄ = (7.5 + b)/2, S = (b − 7.5)/2, CV = (b − 7.5)/(b + 7.5) = 0.5004
    // ⇔ b = 7.5 × 1.5004 / 0.4996 = 22.524019…
    const b = (7.5 * 1.5004) / 0.4996;
    const r = county(7500, b * 1000);
    expect(r.levels.primary.cvs.L5.cv).toBeCloseTo(0.5004, 12);
    expect(r.status).toBe("fail");
    expect(r.borderline.map((f) => f.displayed)).toContain("0.500");
  });
  it("初中 CV exactly at 0.45 passes", () => {
    // 初中 L5 = 10.2·(1 ∓ 0.45)? Use 11 and 29: X̄ = 20, S = 9, CV = 0.45; the 11 unit is ≥ 10.2.
    const r = evaluateResources(
      [
        juniorSchool("a", 1000, { facilities: { ...facilitiesAt(1000, "junior"), sportsGroundAreaM2: 11_000 } }),
        juniorSchool("b", 1000, { facilities: { ...facilitiesAt(1000, "junior"), sportsGroundAreaM2: 29_000 } }),
      ],
      R,
      D,
    );
    expect(r.levels.junior.cvs.L5.cv).toBe(0.45);
    expect(r.levels.junior.cvs.L5.withinLimit).toBe(true);
    expect(r.levels.primary.cvs.L5).toMatchObject({ reason: "no_units", cv: null, withinLimit: null });
    expect(r.status).toBe("pass");
  });
  it("fails on one indicator's CV while the 综合 mean passes", () => {
    // L5 = 7.5 and 30: X̄ = 18.75, S = 11.25, CV = 0.6 > 0.5; the other six CVs are 0, so
    // 综合 = 0.6 / 7 = 0.0857 — informational only, the county still fails.
    const r = county(7500, 30_000);
    expect(r.levels.primary.cvs.L5.cv).toBeCloseTo(0.6, 15);
    expect(r.levels.primary.compositeCv).toBeCloseTo(0.6 / 7, 15);
    expect(r.levels.primary.compositeCv!).toBeLessThan(0.5);
    expect(r.units.every((u) => u.status === "pass")).toBe(true);
    expect(r.status).toBe("fail");
    expect(r.reasons.join()).toContain("差异系数为 0.6");
  });
  it("one unit gives CV 0; no schools → not evaluated", () => {
    const one = evaluateResources([primarySchool("a", 1000)], R, D);
    expect(one.levels.primary.cvs.L1.cv).toBe(0);
    expect(one.status).toBe("pass");
    expect(evaluateResources([], R, D).status).toBe("not_evaluated");
  });
  it("a zero mean gives no CV (not NaN) and the units fail", () => {
    const r = evaluateResources(
      [
        primarySchool("a", 1000, { sections: { primary: { ...staffAt(1000), keyTeachers: 0 } } }),
        primarySchool("b", 500, { sections: { primary: { ...staffAt(500), keyTeachers: 0 } } }),
      ],
      R,
      D,
    );
    expect(r.levels.primary.cvs.L2).toMatchObject({ cv: null, reason: "zero_mean", mean: 0 });
    expect(r.status).toBe("fail");
    expect(JSON.stringify(r)).not.toContain("NaN");
  });
  it("missing data in one unit gives no CV rather than one over a subset", () => {
    const r = evaluateResources([primarySchool("a", 1000), primarySchool("b", 1000, { facilities: null })], R, D);
    expect(r.levels.primary.cvs.L4.reason).toBe("missing_data");
    expect(r.levels.primary.compositeCv).toBeNull();
    expect(r.status).toBe("incomplete");
  });
});
