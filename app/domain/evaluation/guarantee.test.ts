import { describe, expect, it } from "vitest";
import { evaluateGuarantee, roomsNeeded } from "./guarantee";
import type { GuaranteeInput, SchoolInput } from "./input";
import { DEFAULT_DISPLAY_SETTINGS as D, DEFAULT_GUARANTEE_SETTINGS as G } from "./settings";
import { primarySchool, schoolOfType } from "./test-helpers";

const classes = (n: number, size: number, grade = 3) =>
  Array.from({ length: n }, (_, i) => ({ grade, name: `${String(grade)}年级${String(i + 1)}班`, students: size }));
const itemOf = (schools: SchoolInput[], input: GuaranteeInput, code: string) =>
  evaluateGuarantee("测试县", schools, input, G, D).items.find((i) => i.code === code);

describe("G3 music and art rooms per 12 classes", () => {
  it("rooms needed = ⌈classes ÷ 12⌉ by default, max(1, ⌊n ÷ 12⌋) as the other reading", () => {
    expect([1, 12, 13, 24, 25].map((n) => roomsNeeded(n, 12, "ceil"))).toEqual([1, 1, 2, 2, 3]);
    expect([1, 12, 13, 24, 25].map((n) => roomsNeeded(n, 12, "floor_at_least_one"))).toEqual([1, 1, 1, 2, 2]);
  });
  it("25 classes need 3 of each; an undersized room does not count", () => {
    // 25 classes → ⌈25/12⌉ = 3. Music: 96, 96, 80 m² → 2 compliant (80 < 96) → 需增加 1 间, or
    // enlarge the 80 m² room by 16 m². Art: 3 rooms of 90 m² → ok.
    const school = primarySchool("a", 1000, {
      classes: classes(25, 40),
      specialRooms: [
        { kind: "music", areaM2: 96 },
        { kind: "music", areaM2: 96 },
        { kind: "music", name: "音乐二室", areaM2: 80 },
        { kind: "art", areaM2: 90 },
        { kind: "art", areaM2: 90 },
        { kind: "art", areaM2: 90 },
      ],
    });
    const r = itemOf([school], {}, "G3");
    expect(r?.status).toBe("fail");
    expect(r?.shortfalls[0]?.text).toBe("需增加 1 间音乐专用教室（或扩建现有不足 96 m² 的：「音乐二室」80 m² 差 16 m²）");
  });
  it("is not evaluated without class or room data", () => {
    expect(itemOf([primarySchool("a", 1000)], {}, "G3")?.status).toBe("not_evaluated");
  });
});

describe("G4, G5, G6 per school and per class", () => {
  it("G4: 2 150 students in a 小学 is 150 over 2 000; a 九年一贯制 of 2 400 is within 2 500", () => {
    const r = itemOf([primarySchool("a", 2150), schoolOfType("n", "nine_year", { primary: 1400, junior: 1000, senior: 0 })], {}, "G4");
    expect(r?.status).toBe("fail");
    expect(r?.schools.map((s) => s.status)).toEqual(["fail", "pass"]);
    expect(r?.shortfalls[0]).toMatchObject({ quantity: 150, unit: "student" });
  });
  it("G5: a 46-student 小学 class fails, a 50-student 初中 class passes", () => {
    const school = schoolOfType(
      "n",
      "nine_year",
      { primary: 46 + 45, junior: 50, senior: 0 },
      { classes: [...classes(1, 46, 2), ...classes(1, 45, 3), ...classes(1, 50, 8)] },
    );
    const r = itemOf([school], {}, "G5");
    expect(r?.status).toBe("fail");
    expect(r?.shortfalls[0]?.text).toBe("1 个班超过 45 人（共超出 1 人）");
    expect(r?.figures["classesOverCap"]).toBe(1);
  });
  it("G6: a 教学点 of 36 funded as 36 fails (差 64 人); funded as 100 passes; big schools are not concerned", () => {
    const tp = (funded: number) =>
      schoolOfType(
        "t",
        "teaching_point",
        { primary: 36, junior: 0, senior: 0 },
        { location: "rural", publicFunds: { fundedStudents: funded, annualBudgetWanYuan: null, teacherTrainingWanYuan: null } },
      );
    expect(itemOf([tp(36)], {}, "G6")?.shortfalls[0]).toMatchObject({ quantity: 64 });
    expect(itemOf([tp(100)], {}, "G6")?.status).toBe("pass");
    expect(itemOf([primarySchool("a", 1000)], {}, "G6")?.status).toBe("not_applicable");
  });
});

describe("county-figure items", () => {
  it("G11: 10% rotation and 20% key teachers, with the counts still needed", () => {
    // 1 000 eligible, 90 rotated (9%) of whom 15 key. Need ⌈0.1 × 1 000⌉ = 100 rotated (10 more)
    // and 20% × 100 = 20 key teachers (5 more).
    const r = itemOf([], { G11: { eligibleTeachers: 1000, rotatedTeachers: 90, rotatedKeyTeachers: 15 } }, "G11");
    expect(r?.status).toBe("fail");
    expect(r?.shortfalls.map((s) => s.quantity)).toEqual([10, 5]);
  });
  it("G13: 小学 must be 100%, 初中 95%: 949 of 1 000 (94.90%) fails by 1 student", () => {
    const r = itemOf([], { G13: { primaryEntrants: 500, primaryByCatchment: 500, juniorEntrants: 1000, juniorByCatchment: 949 } }, "G13");
    expect(r?.status).toBe("fail");
    expect(r?.shortfalls[0]).toMatchObject({ quantity: 1, text: "初中就近划片入学还差 1 人" });
    const ok = itemOf([], { G13: { primaryEntrants: 500, primaryByCatchment: 500, juniorEntrants: 1000, juniorByCatchment: 950 } }, "G13");
    expect(ok?.status).toBe("pass");
  });
  it("a rate a hair under its threshold is flagged borderline (94.9996% shows as 95.00%)", () => {
    const r = itemOf([], { G13: { primaryEntrants: 1, primaryByCatchment: 1, juniorEntrants: 1_000_000, juniorByCatchment: 949_996 } }, "G13");
    expect(r?.status).toBe("fail");
    expect(r?.borderline[0]?.displayed).toBe("95.00");
  });
  it("G15 needs the care system and 85%; no eligible children is not applicable", () => {
    expect(itemOf([], { G15: { leftBehindCareSystem: true, eligibleMigrantChildren: 200, inPublicOrPurchasedPlaces: 170 } }, "G15")?.status).toBe("pass");
    expect(itemOf([], { G15: { leftBehindCareSystem: false, eligibleMigrantChildren: 200, inPublicOrPurchasedPlaces: 170 } }, "G15")?.status).toBe("fail");
    expect(itemOf([], { G15: { leftBehindCareSystem: true, eligibleMigrantChildren: 0, inPublicOrPurchasedPlaces: 0 } }, "G15")?.status).toBe("not_applicable");
  });
  it("G8 salary gap per teacher; G7 funding gap in 万元", () => {
    const g8 = itemOf([], { G8: { teacherAverageSalaryYuan: 98_000, civilServantAverageSalaryYuan: 101_500, performancePayFullyApproved: true } }, "G8");
    expect(g8?.shortfalls[0]?.text).toBe("教师年平均工资每人差 3500 元");
    // 5 600 元/生 × 120 students: (6 000 − 5 600) × 120 = 48 000 元 = 4.8 万元.
    const g7 = itemOf([], { G7: { specialSchools: [{ name: "特校", students: 120, perStudentPublicFundsYuan: 5600 }] } }, "G7");
    expect(g7?.shortfalls[0]?.text).toContain("共缺 4.8 万元");
  });
  it("the part: no data → not evaluated; partial data → incomplete", () => {
    expect(evaluateGuarantee("测试县", [], undefined, G, D).status).toBe("not_evaluated");
    expect(evaluateGuarantee("测试县", [], { G1: { met: true } }, G, D).status).toBe("incomplete");
  });
});
