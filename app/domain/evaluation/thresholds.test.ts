/**
 * Every numeric threshold of the evaluation, exactly on it and one unit worse (decision record
 * 0007). Inputs are built as decimals (the way a bureau types them: whole persons and rooms,
 * m² to 0.01, 万元 to 0.0001 = 1 元, 元 to 0.01) that sit exactly on the threshold; each must
 * pass, and the same input one unit worse must fail. Plus the golden cases of issue 13, which
 * binary floating point decided wrongly.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Level } from "../vocabulary";
import { buildSamplePlan, requiredSampleSize, sampleCoverage, type SamplePlan } from "../sample-plan";
import { classifyQuestionnaire, type SatisfactionCell } from "../satisfaction";
import { evaluateCounties } from ".";
import { INDICATOR_CODES, type IndicatorCode } from "./codes";
import { div, dec, eq, formatExact, int, mul, reduce, roundExact, ge, sub, type Rational } from "./exact";
import { evaluateGuarantee } from "./guarantee";
import type { CountyInput, GuaranteeInput, QualityInput, SchoolInput } from "./input";
import { evaluateQuality } from "./quality";
import { evaluateResources } from "./resource";
import {
  DEFAULT_DISPLAY_SETTINGS as D,
  DEFAULT_GUARANTEE_SETTINGS as G,
  DEFAULT_QUALITY_SETTINGS as Q,
  DEFAULT_RESOURCE_SETTINGS as R,
  DEFAULT_SAMPLE_PLAN_SETTINGS as SP,
  DEFAULT_SATISFACTION_SETTINGS as S,
} from "./settings";
import { evaluateSatisfaction } from "./social";
import { inputOf, primarySchool } from "./test-helpers";

/** An exact rational as the JS number a person would type for it; fails if it does not terminate. */
function typed(r: Rational): number {
  const x = Number(formatExact(r, 10));
  if (!eq(dec(x), r)) throw new Error(`not a short decimal: ${String(r.n)}/${String(r.d)}`);
  return x;
}

const LEVELS: Level[] = ["primary", "junior"];
const levelArb = fc.constantFrom<Level>(...LEVELS);
const codeArb = fc.constantFrom<IndicatorCode>(...INDICATOR_CODES);

// ---------------------------------------------------------------------------------------------
// 资源配置: the 7 indicators' standards and 85% floors, per level.

/** A single-level school of `p` students with every indicator far above standard. */
function generousSchool(id: string, level: Level, p: number): SchoolInput {
  const staff = { fullTimeTeachers: p, aboveRequiredDegree: p, keyTeachers: p, peTeachers: p, musicTeachers: 0, artTeachers: 0 };
  return {
    id,
    countyId: "C1",
    name: `学校${id}`,
    type: level === "primary" ? "primary" : "junior",
    location: "urban",
    students: { primary: level === "primary" ? p : 0, junior: level === "junior" ? p : 0, senior: 0 },
    sections: { [level]: staff },
    facilities: {
      teachingAuxiliaryAreaM2: 20 * p,
      indoorSportsAreaM2: 0,
      sportsGroundAreaM2: 40 * p,
      sportsHallAreaM2: 0,
      equipmentValueWanYuan: p,
      multimediaClassrooms: p,
    },
  };
}

/** The smallest school size for which "per 100 students" value t is a whole count: P = v·m, count = u·m for t/100 = u/v. */
function per100(t: Rational, m: number): { p: number; count: number } {
  const r = reduce(div(t, int(100)));
  return { p: Number(r.d) * m, count: Number(r.n) * m };
}

/**
 * A school whose `code` value is exactly `t` (worse = one unit less: a teacher, a room, 0.01 m²,
 * 1 元), with an indoor sports room or a sports hall so that the sums and differences are
 * exercised too. `m` scales the school; `extra` is a decimal m² amount moved between the parts.
 */
function schoolAt(level: Level, code: IndicatorCode, t: Rational, m: number, extraCents: number, worse: boolean): SchoolInput {
  const less = worse ? 1 : 0;
  switch (code) {
    case "L1":
    case "L2":
    case "L3":
    case "L7": {
      const { p, count } = per100(t, m);
      const s = generousSchool("x", level, p);
      const n = count - less;
      const staff = s.sections[level];
      if (!staff) throw new Error("no staff");
      if (code === "L1") staff.aboveRequiredDegree = n;
      if (code === "L2") staff.keyTeachers = n;
      if (code === "L3")
        Object.assign(staff, { peTeachers: Math.floor(n / 2), musicTeachers: n - Math.floor(n / 2) - Math.floor(n / 3), artTeachers: Math.floor(n / 3) });
      if (code === "L7" && s.facilities) s.facilities.multimediaClassrooms = n;
      return s;
    }
    case "L4":
    case "L5":
    case "L6": {
      const p = 37 * m + 13; // any size: areas and money are decimals
      const s = generousSchool("x", level, p);
      const f = s.facilities;
      if (!f) throw new Error("no facilities");
      const extra = div(int(extraCents), int(100));
      if (code === "L4") {
        const net = sub(mul(t, int(p)), worse ? dec(0.01) : int(0));
        f.indoorSportsAreaM2 = typed(extra);
        f.teachingAuxiliaryAreaM2 = typed(add2(net, extra));
      } else if (code === "L5") {
        const total = sub(mul(t, int(p)), worse ? dec(0.01) : int(0));
        f.sportsHallAreaM2 = typed(extra);
        f.sportsGroundAreaM2 = typed(sub(total, extra));
      } else {
        // 元 per student × P ÷ 10 000 = 万元; one 元 less is 0.0001 万元.
        f.equipmentValueWanYuan = typed(sub(div(mul(t, int(p)), int(10_000)), worse ? dec(0.0001) : int(0)));
      }
      return s;
    }
  }
}

function add2(a: Rational, b: Rational): Rational {
  return sub(a, mul(b, int(-1)));
}

const floorOf = (level: Level, code: IndicatorCode) => mul(dec(R.standards[level][code].standard), dec(R.floorRatio));

describe("资源配置 thresholds, exactly on and one unit below", () => {
  it("a value exactly at its standard meets it; one unit less does not (every indicator, both levels)", () => {
    fc.assert(
      fc.property(levelArb, codeArb, fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 5000 }), (level, code, m, extra) => {
        const t = dec(R.standards[level][code].standard);
        const on = evaluateResources([schoolAt(level, code, t, m, extra, false)], R, D).units[0];
        expect(on?.indicators[code].meetsStandard).toBe(true);
        expect(on?.indicatorsMet).toBe(7);
        const below = evaluateResources([schoolAt(level, code, t, m, extra, true)], R, D).units[0];
        expect(below?.indicators[code].meetsStandard).toBe(false);
        expect(below?.indicatorsMet).toBe(6);
      }),
    );
  });
  it("a value exactly at the 85% floor passes the unit; one unit less fails it (every indicator, both levels)", () => {
    fc.assert(
      fc.property(levelArb, codeArb, fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 5000 }), (level, code, m, extra) => {
        const t = floorOf(level, code);
        const on = evaluateResources([schoolAt(level, code, t, m, extra, false)], R, D);
        expect(on.units[0]?.indicators[code].meetsFloor).toBe(true);
        expect(on.units[0]?.status).toBe("pass");
        expect(on.borderline.filter((b) => b.code === code)).toEqual([]);
        const below = evaluateResources([schoolAt(level, code, t, m, extra, true)], R, D);
        expect(below.units[0]?.indicators[code].meetsFloor).toBe(false);
        expect(below.units[0]?.status).toBe("fail");
        expect(below.status).toBe("fail");
      }),
    );
  });
  it("the split shares of a 九年一贯制 school sit exactly on a standard too (L4–L6, both sections)", () => {
    fc.assert(
      fc.property(
        levelArb,
        fc.constantFrom<IndicatorCode>("L4", "L5", "L6"),
        fc.integer({ min: 1, max: 200 }),
        fc.integer({ min: 1, max: 2000 }),
        fc.boolean(),
        (level, code, a, b, worse) => {
          // W = A + 1.1·B with A = 11a; 小学部 value = R/W, 初中部 = 1.1·R/W. Choose R so that the
          // chosen section sits exactly on its standard t: R = t·W (小学部) or t·W/1.1 (初中部).
          const A = 11 * a;
          const W = add2(int(A), mul(dec(1.1), int(b)));
          const t = dec(R.standards[level][code].standard);
          const amount = level === "primary" ? mul(t, W) : div(mul(t, W), dec(1.1));
          const unit = code === "L6" ? dec(0.0001) : dec(0.01);
          const total = sub(code === "L6" ? div(amount, int(10_000)) : amount, worse ? unit : int(0));
          const school: SchoolInput = {
            ...generousSchool("n", "primary", A),
            type: "nine_year",
            students: { primary: A, junior: b, senior: 0 },
            sections: { primary: generousSchool("n", "primary", A).sections.primary, junior: generousSchool("n", "junior", b).sections.junior },
            facilities: {
              teachingAuxiliaryAreaM2: code === "L4" ? typed(total) : 100 * (A + b),
              indoorSportsAreaM2: 0,
              sportsGroundAreaM2: code === "L5" ? typed(total) : 100 * (A + b),
              sportsHallAreaM2: 0,
              equipmentValueWanYuan: code === "L6" ? typed(total) : A + b,
              multimediaClassrooms: 10 * (A + b),
            },
          };
          const r = evaluateResources([school], R, D);
          const section = r.units.find((u) => u.level === level);
          expect(section?.indicators[code].meetsStandard).toBe(!worse);
        },
      ),
    );
  });
});

// ---------------------------------------------------------------------------------------------
// 差异系数 ≤ 0.50 (小学), ≤ 0.45 (初中), every indicator.

/**
 * Two units whose CV is exactly the level's limit L: with students P₁ = 4m·s, P₂ = m·s and
 * values x₁ : x₂ = α : β, CV = 2(β − α)/(4α + β) (unequal) or, with P₁ = P₂, (β − α)/(α + β).
 * 0.50: (1, 3) equal, (3, 8) unequal; 0.45: (11, 29) equal, (31, 76) unequal.
 */
const CV_FAMILIES: Record<Level, { weights: [number, number]; ratio: [number, number] }[]> = {
  primary: [
    { weights: [1, 1], ratio: [1, 3] },
    { weights: [4, 1], ratio: [3, 8] },
  ],
  junior: [
    { weights: [1, 1], ratio: [11, 29] },
    { weights: [4, 1], ratio: [31, 76] },
  ],
};

/** A unit of `code` with value `x` "per unit of the indicator" (per 100 students, m², 元), one unit lower when `worse`. */
function unitWithValue(id: string, level: Level, code: IndicatorCode, students: number, x: Rational, worse: boolean): SchoolInput {
  const s = generousSchool(id, level, students);
  const staff = s.sections[level];
  const f = s.facilities;
  if (!staff || !f) throw new Error("incomplete school");
  const count = typed(sub(div(mul(x, int(students)), int(100)), worse ? int(1) : int(0)));
  switch (code) {
    case "L1":
      staff.aboveRequiredDegree = count;
      break;
    case "L2":
      staff.keyTeachers = count;
      break;
    case "L3":
      staff.peTeachers = count;
      break;
    case "L7":
      f.multimediaClassrooms = count;
      break;
    case "L4":
      f.teachingAuxiliaryAreaM2 = typed(sub(mul(x, int(students)), worse ? dec(0.01) : int(0)));
      break;
    case "L5":
      f.sportsGroundAreaM2 = typed(sub(mul(x, int(students)), worse ? dec(0.01) : int(0)));
      break;
    case "L6":
      f.equipmentValueWanYuan = typed(sub(div(mul(x, int(students)), int(10_000)), worse ? dec(0.0001) : int(0)));
      break;
  }
  return s;
}

describe("差异系数 exactly at the limit passes, one unit further fails", () => {
  it("every indicator, both levels, equal and unequal weights", () => {
    fc.assert(
      fc.property(
        levelArb,
        codeArb,
        fc.integer({ min: 0, max: 1 }),
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 30 }),
        (level, code, family, m, k) => {
          const f = CV_FAMILIES[level][family];
          if (!f) throw new Error("family");
          // Values per 100 students (teachers, rooms) are whole counts for students = 100·m·w;
          // areas in steps of 0.1 m² per student, money in steps of 10 元.
          const step = code === "L4" || code === "L5" ? dec(0.1) : code === "L6" ? int(10) : int(1);
          const [w1, w2] = f.weights;
          const [a, b] = f.ratio;
          const build = (worse: boolean) => [
            unitWithValue("lo", level, code, 100 * m * w1, mul(step, int(a * k)), worse),
            unitWithValue("hi", level, code, 100 * m * w2, mul(step, int(b * k)), false),
          ];
          const on = evaluateResources(build(false), R, D);
          const cv = on.levels[level].cvs[code];
          expect(cv.cv).toBe(R.cvLimit[level]);
          expect(cv.withinLimit).toBe(true);
          expect(on.reasons.some((r) => r.includes("差异系数"))).toBe(false);
          expect(on.borderline.filter((x) => x.subject.includes("差异系数"))).toEqual([]);
          const worse = evaluateResources(build(true), R, D);
          expect(worse.levels[level].cvs[code].withinLimit).toBe(false);
          expect(worse.status).toBe("fail");
          // The reason shows a figure that visibly exceeds the limit, never "0.5，超过 0.5".
          const reason = worse.reasons.find((r) => r.includes(`${code}「`) && r.includes("差异系数"));
          const shown = Number(/差异系数为 ([0-9.]+)/.exec(reason ?? "")?.[1]);
          expect(shown).toBeGreaterThan(R.cvLimit[level]);
        },
      ),
    );
  });
});

// ---------------------------------------------------------------------------------------------
// 政府保障程度 and 教育质量: every item with a numeric rule.

const countyItems = (guarantee: GuaranteeInput) => evaluateGuarantee("测试县", [], guarantee, G, D);
const itemStatus = (r: ReturnType<typeof countyItems>, code: string) => r.items.find((i) => i.code === code)?.status;

/** (num, den) exactly at rate t = u/v, scaled by m; worse = one less in the numerator. */
function atRate(t: number, m: number, worse: boolean): { num: number; den: number } {
  const r = reduce(dec(t));
  return { num: Number(r.n) * m - (worse ? 1 : 0), den: Number(r.d) * m };
}

describe("G and Q rate items, exactly on and one below", () => {
  const mArb = fc.integer({ min: 1, max: 500 });
  it("G9 100%, G12 100%, G14 50%, G15 85%", () => {
    fc.assert(
      fc.property(mArb, fc.boolean(), (m, worse) => {
        const expected = worse ? "fail" : "pass";
        const g9 = atRate(G.g9.minCompletionRate, m, worse);
        const g12 = atRate(G.g12.minCertifiedRate, m, worse);
        const g14 = atRate(G.g14.minQuotaShare, m, worse);
        const g15 = atRate(G.g15.minMigrantPublicRate, m, worse);
        const r = countyItems({
          G9: { teachersRequired: g9.den, teachersCompleted: g9.num },
          G12: { fullTimeTeachers: g12.den, certifiedTeachers: g12.num },
          G14: { totalPlaces: g14.den, quotaPlaces: g14.num, tiltedToRural: true },
          G15: { eligibleMigrantChildren: g15.den, inPublicOrPurchasedPlaces: g15.num, leftBehindCareSystem: true },
        });
        for (const code of ["G9", "G12", "G14", "G15"]) expect(itemStatus(r, code)).toBe(expected);
        for (const code of ["G9", "G12", "G14", "G15"]) expect(r.items.find((i) => i.code === code)?.borderline).toEqual([]);
      }),
    );
  });
  it("G13 小学 100% and 初中 95%, each level on its own", () => {
    fc.assert(
      fc.property(mArb, levelArb, fc.boolean(), (m, level, worse) => {
        const p = atRate(G.g13.minCatchmentRate.primary, m, level === "primary" && worse);
        const j = atRate(G.g13.minCatchmentRate.junior, m, level === "junior" && worse);
        const r = countyItems({ G13: { primaryEntrants: p.den, primaryByCatchment: p.num, juniorEntrants: j.den, juniorByCatchment: j.num } });
        expect(itemStatus(r, "G13")).toBe(worse ? "fail" : "pass");
      }),
    );
  });
  it("G11 rotation ≥ 10% and key teachers ≥ 20% of those rotated", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 300 }), fc.constantFrom("none", "rotation", "key"), (j, worse) => {
        // rotated 5j of 50j eligible = 10%; j key teachers of 5j = 20%.
        const r = countyItems({
          G11: { eligibleTeachers: 50 * j, rotatedTeachers: 5 * j - (worse === "rotation" ? 1 : 0), rotatedKeyTeachers: j - (worse === "key" ? 1 : 0) },
        });
        expect(itemStatus(r, "G11")).toBe(worse === "none" ? "pass" : "fail");
      }),
    );
  });
  it("Q1 95% and Q2 95%", () => {
    fc.assert(
      fc.property(mArb, fc.boolean(), (m, worse) => {
        const q1 = atRate(Q.q1MinRetentionRate, m, worse);
        const q2 = atRate(Q.q2MinDisabledEnrollmentRate, m, worse);
        const quality: QualityInput = { Q1: { cohortEntrants: q1.den, currentGrade9: q1.num }, Q2: { disabledChildren: q2.den, enrolled: q2.num } };
        const r = evaluateQuality("测试县", [], quality, Q, D);
        expect(r.items.find((i) => i.code === "Q1")?.status).toBe(worse ? "fail" : "pass");
        expect(r.items.find((i) => i.code === "Q2")?.status).toBe(worse ? "fail" : "pass");
      }),
    );
  });
  it("any rate threshold a bureau sets (to 0.1%) is decided exactly on the integers", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1000 }), fc.integer({ min: 1, max: 20 }), fc.boolean(), (permille, m, worse) => {
        const t = permille / 1000;
        const x = atRate(t, m, worse);
        const r = evaluateGuarantee("测试县", [], { G12: { fullTimeTeachers: x.den, certifiedTeachers: x.num } }, { ...G, g12: { minCertifiedRate: t } }, D);
        expect(itemStatus(r, "G12")).toBe(worse ? "fail" : "pass");
      }),
    );
  });
  it("G7 6000 元 per student and G8 salary ≥ civil servants' (to the 分)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000_000 }), fc.boolean(), (cents, worse) => {
        const g7 = countyItems({ G7: { specialSchools: [{ name: "特教学校", students: 80, perStudentPublicFundsYuan: worse ? 5999.99 : 6000 }] } });
        expect(itemStatus(g7, "G7")).toBe(worse ? "fail" : "pass");
        const civil = cents / 100;
        const teacher = typed(sub(div(int(cents), int(100)), worse ? dec(0.01) : int(0)));
        const g8 = countyItems({ G8: { teacherAverageSalaryYuan: teacher, civilServantAverageSalaryYuan: civil, performancePayFullyApproved: true } });
        expect(itemStatus(g8, "G8")).toBe(worse ? "fail" : "pass");
      }),
    );
  });
});

describe("G3–G6 per school and per class, exactly on and one worse", () => {
  const base = (p: number, patch: Partial<SchoolInput>) => primarySchool("s", p, patch);
  const classes = (n: number, size: number, grade = 1) => Array.from({ length: n }, () => ({ grade, students: size }));
  it("G3: ⌈classes ÷ 12⌉ music rooms ≥ 96 m² and art rooms ≥ 90 m²", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.constantFrom("none", "area", "classes"), (r, worse) => {
        const n = 12 * r + (worse === "classes" ? 1 : 0);
        const rooms = Array.from({ length: r }, (_, i) => [
          { kind: "music" as const, areaM2: worse === "area" && i === 0 ? 95.99 : 96 },
          { kind: "art" as const, areaM2: 90 },
        ]).flat();
        const school = base(n * 30, { classes: classes(n, 30), specialRooms: rooms });
        const g = evaluateGuarantee("测试县", [school], {}, G, D);
        expect(g.items.find((i) => i.code === "G3")?.status).toBe(worse === "none" ? "pass" : "fail");
      }),
    );
  });
  it("G4: 2000 students (2500 for 九年一贯制) pass, one more fails", () => {
    fc.assert(
      fc.property(fc.boolean(), fc.boolean(), (nineYear, worse) => {
        const cap = nineYear ? G.g4.maxStudentsCombined : G.g4.maxStudentsSingleLevel;
        const p = cap + (worse ? 1 : 0);
        const school: SchoolInput = nineYear ? { ...base(p, {}), type: "nine_year", students: { primary: p - 700, junior: 700, senior: 0 } } : base(p, {});
        const g = evaluateGuarantee("测试县", [school], {}, G, D);
        expect(g.items.find((i) => i.code === "G4")?.status).toBe(worse ? "fail" : "pass");
      }),
    );
  });
  it("G5: a class of 45 (小学) or 50 (初中) passes, one more student fails", () => {
    fc.assert(
      fc.property(levelArb, fc.boolean(), fc.integer({ min: 1, max: 20 }), (level, worse, n) => {
        const cap = G.g5.maxClassSize[level];
        const grade = level === "primary" ? 3 : 8;
        const list = [...classes(n, cap, grade), ...classes(1, cap + (worse ? 1 : 0), grade)];
        const students = list.reduce((a, c) => a + c.students, 0);
        const school: SchoolInput = {
          ...base(students, { classes: list }),
          type: "nine_year",
          students: { primary: level === "primary" ? students : 0, junior: level === "junior" ? students : 0, senior: 0 },
        };
        const g = evaluateGuarantee("测试县", [school], {}, G, D);
        expect(g.items.find((i) => i.code === "G5")?.status).toBe(worse ? "fail" : "pass");
      }),
    );
  });
  it("G6: a rural school under 100 students funded as exactly 100 passes, as 99 fails", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 99 }), fc.boolean(), (p, worse) => {
        const school = base(p, {
          location: "rural",
          publicFunds: { fundedStudents: G.g6.fundingFloorStudents - (worse ? 1 : 0), annualBudgetWanYuan: null, teacherTrainingWanYuan: null },
        });
        const g = evaluateGuarantee("测试县", [school], {}, G, D);
        expect(g.items.find((i) => i.code === "G6")?.status).toBe(worse ? "fail" : "pass");
      }),
    );
  });
});

describe("Q4 and Q9", () => {
  const q4Of = (budget: number, training: number) =>
    evaluateQuality(
      "测试县",
      [primarySchool("s", 500, { publicFunds: { fundedStudents: 500, annualBudgetWanYuan: budget, teacherTrainingWanYuan: training } })],
      {},
      Q,
      D,
    ).items.find((i) => i.code === "Q4");
  it("issue 13: a budget of 12 万元 with 0.6 万元 of training is exactly 5% and passes, with no borderline flag", () => {
    const q4 = q4Of(12, 0.6);
    expect(q4?.status).toBe("pass");
    expect(q4?.borderline).toEqual([]);
    expect(q4?.schools[0]?.figures["share"]).toBe(0.05);
  });
  it("issue 13: every budget from 1.00 to 200.00 万元 with training at exactly 5% passes (41% failed on floats)", () => {
    let failed = 0;
    for (let cents = 100; cents <= 20_000; cents += 1) {
      const budget = typed(div(int(cents), int(100)));
      const training = typed(div(int(cents * 5), int(10_000)));
      if (q4Of(budget, training)?.status !== "pass") failed += 1;
    }
    expect(failed).toBe(0);
  });
  it("training one 元 (0.0001 万元) short of 5% fails, and the reason shows a figure below 5%", () => {
    fc.assert(
      fc.property(fc.integer({ min: 100, max: 20_000 }), (cents) => {
        const budget = typed(div(int(cents), int(100)));
        const training = typed(sub(div(int(cents * 5), int(10_000)), dec(0.0001)));
        const q4 = q4Of(budget, training);
        expect(q4?.status).toBe("fail");
        const shown = Number(/经费预算 ([0-9.]+)%/.exec(q4?.reasons[0] ?? "")?.[1]);
        expect(shown).toBeLessThan(5);
        expect(q4?.shortfalls[0]?.quantity).toBe(1); // 1 元
      }),
    );
  });
  it("Q9: level Ⅲ passes, Ⅱ fails; a difference rate below 0.15 passes, exactly 0.15 fails (< is strict)", () => {
    const q9 = (level: number, differenceRate: number) =>
      evaluateQuality("测试县", [], { Q9: { subjects: [{ subject: "数学", level, differenceRate }] } }, Q, D).items.find((i) => i.code === "Q9")?.status;
    expect(q9(3, 0.1499)).toBe("pass");
    expect(q9(2, 0.1499)).toBe("fail");
    expect(q9(3, 0.15)).toBe("fail");
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1499 }), (x) => {
        expect(q9(3, x / 10_000)).toBe("pass");
      }),
    );
  });
});

// ---------------------------------------------------------------------------------------------
// 社会认可度 ≥ 85%, the satisfied rule, and the sample plan.

const county = (population: number | null): CountyInput => ({ id: "C1", name: "测试县", residentPopulation: population, locationShare: null });
const parentCell = (valid: number, satisfied: number): SatisfactionCell => ({
  countyId: "C1",
  schoolId: "s",
  group: "parent",
  questionnaire: "social",
  location: "urban",
  grade: null,
  total: valid,
  invalid: 0,
  valid,
  satisfied,
});
const rule = S.rule;

describe("社会认可度 ≥ 85%, exactly on and one below", () => {
  it("17m of 20m satisfied passes, one fewer fails (sample sufficient)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 500 }), fc.boolean(), (m, worse) => {
        const x = atRate(S.threshold, m, worse);
        const r = evaluateSatisfaction(county(1000), { cells: [parentCell(x.den, x.num)], items: [], rule }, S, SP, D, new Map());
        expect(r.status).toBe(worse ? "fail" : "pass");
        expect(r.borderline).toEqual([]);
      }),
    );
  });
  it("without 常住人口 the part is not evaluated, never passed on the questionnaires alone", () => {
    const r = evaluateSatisfaction(county(null), { cells: [parentCell(1, 1)], items: [], rule }, S, SP, D, new Map());
    expect(r.status).toBe("not_evaluated");
    expect(r.sampleChecked).toBe(false);
    expect(r.plan).toBeNull();
    expect(r.reasons[0]).toContain("未填报常住人口");
    const whole = evaluateCounties(inputOf([], { counties: [county(null)], satisfaction: { source: "counts", rule, cells: [parentCell(1, 1)], items: [] } }))
      .counties[0];
    expect(whole?.reasons).toContain("【社会认可度：未评估（未填报常住人口，样本未核对）】");
    expect(whole?.reasons.some((t) => t.startsWith("未填报常住人口"))).toBe(true);
    expect(whole?.verdictLabel).toContain("社会认可度为自评");
  });
  it("mean-score rule: a mean of exactly 3.8 (or 4, 4.2) is satisfied, one point less in total is not", () => {
    fc.assert(
      fc.property(fc.constantFrom(3.8, 4, 4.2), fc.integer({ min: 1, max: 20 }), fc.boolean(), (min, m, worse) => {
        // 5m answers summing to exactly min × 5m (an integer), spread over the 1–5 scale.
        const count = 5 * m;
        let total = Math.round(min * count) - (worse ? 1 : 0);
        const scores: Record<string, number> = {};
        for (let i = 0; i < count; i += 1) {
          const left = count - i - 1;
          const s = Math.min(5, total - left);
          scores[`q${String(i)}`] = s;
          total -= s;
        }
        const c = classifyQuestionnaire(
          { valid: true, overallScore: null, itemScores: scores },
          { kind: "mean_at_least", minMeanScore: min, includeOverall: false },
        );
        expect(c.satisfied).toBe(!worse);
      }),
    );
  });
});

describe("sample plan, exactly on and one short", () => {
  it("⌈常住人口 × 1.5‰⌉ valid questionnaires suffice, one fewer is 样本不足", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 400 }), fc.integer({ min: 0, max: 1999 }), fc.boolean(), (j, rest, worse) => {
        const population = 2000 * j + rest;
        const n = requiredSampleSize(population, SP.perMille);
        // Exactly 1.5‰ of 2000j is 3j; anything above needs one more questionnaire.
        expect(n).toBe(3 * j + (rest === 0 ? 0 : Math.ceil((rest * 3) / 2000)));
        const plan = buildSamplePlan({ residentPopulation: population, locationShare: null }, SP);
        const valid = n - (worse ? 1 : 0);
        const r = evaluateSatisfaction(county(population), { cells: [parentCell(valid, valid)], items: [], rule }, S, SP, D, new Map());
        expect(plan.total).toBe(n);
        expect(r.status).toBe(worse ? "sample_insufficient" : "pass");
      }),
    );
  });
  it("parents at exactly ⌈50%⌉ of the sample suffice, one fewer is 样本不足", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 400 }), fc.boolean(), (j, worse) => {
        const population = 2000 * j;
        const plan = buildSamplePlan({ residentPopulation: population, locationShare: null }, SP);
        const parents = Math.ceil(plan.total / 2) - (worse ? 1 : 0);
        const cells = [
          parentCell(parents, parents),
          { ...parentCell(plan.total - parents, plan.total - parents), group: "teacher" as const, questionnaire: "staff" as const },
        ];
        const r = evaluateSatisfaction(county(population), { cells, items: [], rule }, S, SP, D, new Map());
        expect(plan.byGroup.parent).toBe(Math.ceil(plan.total / 2));
        expect(r.status).toBe(worse ? "sample_insufficient" : "pass");
      }),
    );
  });
  it("a 'roughly equal' cell is short only below required × (1 − 10%), exactly", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 200 }), fc.boolean(), (m, worse) => {
        const plan: SamplePlan = {
          total: 0,
          byGroup: { parent: 0, student: 10 * m, teacher: 0, principal: 0, deputy: 0, cppcc: 0, public: 0 },
          byLocation: null,
          studentByGrade: {},
          parentByGrade: {},
        };
        const got = 9 * m - (worse ? 1 : 0);
        const c = sampleCoverage(plan, { total: got, byGroup: { student: got }, byLocation: {}, studentByGrade: {}, parentByGrade: {} }, SP);
        expect(c.cells.find((x) => x.key === "student")?.short).toBe(worse);
      }),
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Golden cases of issue 13.

describe("issue 13 golden cases", () => {
  it("two 小学 of 120 students with 550 and 1 650 m² have a CV of exactly 0.5, which passes", () => {
    const a = generousSchool("a", "primary", 120);
    const b = generousSchool("b", "primary", 120);
    if (a.facilities) a.facilities.teachingAuxiliaryAreaM2 = 550;
    if (b.facilities) b.facilities.teachingAuxiliaryAreaM2 = 1650;
    const r = evaluateResources([a, b], R, D);
    expect(r.levels.primary.cvs.L4.cv).toBe(0.5);
    expect(r.levels.primary.cvs.L4.withinLimit).toBe(true);
    expect(r.status).toBe("pass");
    expect(r.reasons).toEqual([]);
  });
  it("56 students with 214.2 m² have L4 = 3.825, exactly the 85% floor, and pass for every school size", () => {
    const a = generousSchool("a", "primary", 56);
    if (a.facilities) a.facilities.teachingAuxiliaryAreaM2 = 214.2;
    const r = evaluateResources([a], R, D);
    expect(r.units[0]?.indicators.L4.value).toBe(3.825);
    expect(r.units[0]?.indicators.L4.floor).toBe(3.825);
    expect(r.units[0]?.status).toBe("pass");
    for (let p = 1; p <= 3000; p += 1) {
      const s = generousSchool("p", "primary", p);
      if (s.facilities) s.facilities.teachingAuxiliaryAreaM2 = typed(mul(dec(3.825), int(p)));
      expect(evaluateResources([s], R, D).units[0]?.status).toBe("pass");
    }
  });
  it("the floors are standard × floorRatio, exactly as the spec lists them, and follow the setting", () => {
    const floors = (level: Level) => INDICATOR_CODES.map((c) => typed(floorOf(level, c)));
    expect(floors("primary")).toEqual([3.57, 0.85, 0.765, 3.825, 6.375, 1700, 1.955]);
    expect(floors("junior")).toEqual([4.505, 0.85, 0.765, 4.93, 8.67, 2125, 2.04]);
    const s = generousSchool("a", "primary", 100);
    if (s.facilities) s.facilities.teachingAuxiliaryAreaM2 = 360; // 3.6 = 80% of 4.5
    expect(evaluateResources([s], R, D).units[0]?.status).toBe("fail");
    expect(evaluateResources([s], { ...R, floorRatio: 0.8 }, D).units[0]?.status).toBe("pass");
    expect(evaluateResources([s], { ...R, floorRatio: 0.8 }, D).units[0]?.indicators.L4.floor).toBe(3.6);
  });
  it("a borderline flag is raised exactly when the 2-decimal display would decide otherwise", () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 3000 }), (p) => {
        // One 0.01 m² below the L4 standard 4.5 × P: the value is 4.5 − 0.01/P.
        const s = generousSchool("a", "primary", p);
        if (s.facilities) s.facilities.teachingAuxiliaryAreaM2 = typed(sub(mul(dec(4.5), int(p)), dec(0.01)));
        const r = evaluateResources([s], R, D);
        const value = sub(dec(4.5), div(dec(0.01), int(p)));
        const displayedPasses = ge(roundExact(value, 2), dec(4.5));
        expect(r.units[0]?.indicators.L4.meetsStandard).toBe(false);
        expect(r.borderline.some((b) => b.code === "L4" && !b.passes)).toBe(displayedPasses);
      }),
    );
  });
});
