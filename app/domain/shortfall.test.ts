import { describe, expect, it } from "vitest";
import { DEFAULT_SAMPLE_PLAN_SETTINGS } from "./evaluation/settings";
import { countyShortfallTotals, gradeBandLabel, rankShortfalls, reminderText, schoolShortfall, type SchoolShortfallInput } from "./shortfall";

const SETTINGS = {
  parentGrades: DEFAULT_SAMPLE_PLAN_SETTINGS.parentGrades,
  studentGrades: DEFAULT_SAMPLE_PLAN_SETTINGS.studentGrades,
  cellTolerance: DEFAULT_SAMPLE_PLAN_SETTINGS.cellTolerance,
};

function primary(over: Partial<SchoolShortfallInput> = {}): SchoolShortfallInput {
  return {
    id: "p1",
    name: "第一小学",
    location: "urban",
    grades: { min: 1, max: 6 },
    target: { parent: 60, student: 20, staff: 10 },
    hasStudentQuestionnaire: true,
    collected: [],
    ...over,
  };
}

describe("schoolShortfall", () => {
  it("splits the parents' target equally over the grades taught and sums it per band", () => {
    // 60 parents over grades 1–6: 10 each → 一至三年级 30, 四至六年级 30. Collected: 25 in 1–3, 15 in 4–6, 2 without a grade.
    const s = schoolShortfall(
      primary({
        collected: [
          { group: "parent", grade: 1, valid: 10 },
          { group: "parent", grade: 2, valid: 15 },
          { group: "parent", grade: 5, valid: 15 },
          { group: "parent", grade: null, valid: 2 },
          { group: "student", grade: 4, valid: 20 },
          { group: "teacher", grade: null, valid: 8 },
          { group: "principal", grade: null, valid: 2 },
        ],
      }),
      SETTINGS,
    );
    const parent = s.groups.find((g) => g.group === "parent");
    expect(parent).toMatchObject({ target: 60, collected: 42, missing: 18, short: true });
    expect(parent?.bands).toEqual([
      { min: 1, max: 3, label: "一至三年级", target: 30, collected: 25, missing: 5 },
      { min: 4, max: 6, label: "四至六年级", target: 30, collected: 15, missing: 15 },
    ]);
    // Students 20 over grades 3–6 (the plan starts at 3): 5 each → 三年级 5, 四至六年级 15; all 20 in grade 4.
    const student = s.groups.find((g) => g.group === "student");
    expect(student?.bands.map((b) => [b.label, b.target, b.missing])).toEqual([
      ["三年级", 5, 5],
      ["四至六年级", 15, 0],
    ]);
    expect(student).toMatchObject({ collected: 20, missing: 0, short: false });
    expect(s.groups.find((g) => g.group === "staff")).toMatchObject({ target: 10, collected: 10, missing: 0, bands: [] });
    // The group's own figure leads; the bands say where: a band may owe more than its group (here no).
    expect(s.summary).toBe("还差：家长 18 份（一至三年级 5 份、四至六年级 15 份）");
    expect(s).toMatchObject({ target: 90, collected: 72, missing: 18, met: false, locationLabel: "城区" });
    expect(s.missingShare).toBeCloseTo(18 / 90, 12);
  });

  it("writes the issue's example line", () => {
    // 家长 target 46 over 1–6 (apportioned 8,8,8,8,7,7 → bands 24 / 22); 1–3 filled, 4–6 has 7.
    const s = schoolShortfall(
      primary({
        target: { parent: 46, student: 0, staff: 0 },
        hasStudentQuestionnaire: false,
        collected: [
          { group: "parent", grade: 2, valid: 16 },
          { group: "parent", grade: 6, valid: 7 },
        ],
      }),
      SETTINGS,
    );
    expect(s.groups.find((g) => g.group === "parent")?.bands.map((b) => b.target)).toEqual([24, 22]);
    expect(s.summary).toBe("还差：家长 23 份（一至三年级 8 份、四至六年级 15 份）");
    expect(s.groups.map((g) => g.group)).toEqual(["parent", "staff"]);
  });

  it("names no band for a school with one band, nor for groups met", () => {
    const s = schoolShortfall(
      primary({ grades: { min: 7, max: 9 }, target: { parent: 30, student: 30, staff: 6 }, collected: [{ group: "student", grade: 8, valid: 31 }] }),
      SETTINGS,
    );
    expect(s.groups.find((g) => g.group === "parent")?.bands.map((b) => b.label)).toEqual(["七至九年级"]);
    expect(s.summary).toBe("还差：家长 30 份；教师和校长 6 份");
  });

  it("says 已达到计划 when nothing is missing and 本校未分配样本 without a target", () => {
    const met = schoolShortfall(
      primary({
        target: { parent: 2, student: 0, staff: 1 },
        collected: [
          { group: "parent", grade: 1, valid: 5 },
          { group: "teacher", grade: null, valid: 1 },
        ],
      }),
      SETTINGS,
    );
    expect(met).toMatchObject({ summary: "已达到计划", met: true, missing: 0, missingShare: 0 });
    const none = schoolShortfall(primary({ target: { parent: 0, student: 0, staff: 0 } }), SETTINGS);
    expect(none).toMatchObject({ summary: "本校未分配样本", missingShare: null });
  });

  it("ignores county-level groups and grades outside the school's bands for the bands", () => {
    const s = schoolShortfall(
      primary({
        target: { parent: 6, student: 0, staff: 0 },
        hasStudentQuestionnaire: false,
        collected: [
          { group: "public", grade: null, valid: 9 },
          { group: "parent", grade: 8, valid: 3 },
        ],
      }),
      SETTINGS,
    );
    const parent = s.groups[0];
    expect(parent).toMatchObject({ collected: 3, missing: 3 });
    expect(parent?.bands.reduce((a, b) => a + b.collected, 0)).toBe(0);
  });

  it("property: band targets add up to the group's target whatever the target and grades", () => {
    for (let t = 0; t <= 200; t += 7) {
      for (const grades of [
        { min: 1, max: 6 },
        { min: 7, max: 9 },
        { min: 1, max: 9 },
      ]) {
        const s = schoolShortfall(primary({ grades, target: { parent: t, student: t, staff: t } }), SETTINGS);
        for (const g of s.groups.filter((x) => x.group !== "staff")) expect(g.bands.reduce((a, b) => a + b.target, 0)).toBe(t);
        expect(s.missing).toBe(s.target);
      }
    }
  });
});

describe("gradeBandLabel", () => {
  it("writes Chinese numerals", () => {
    expect(gradeBandLabel(4, 6)).toBe("四至六年级");
    expect(gradeBandLabel(3, 3)).toBe("三年级");
  });
});

describe("rankShortfalls", () => {
  it("puts the largest share missing first, then the most missing, then the given order; no target last", () => {
    const rows = [
      { id: "a", missingShare: 0.2, missing: 10 },
      { id: "b", missingShare: null, missing: 0 },
      { id: "c", missingShare: 0.5, missing: 5 },
      { id: "d", missingShare: 0.2, missing: 40 },
      { id: "e", missingShare: 0, missing: 0 },
      { id: "f", missingShare: 0.2, missing: 10 },
    ];
    expect(rankShortfalls(rows).map((r) => r.id)).toEqual(["c", "d", "a", "f", "e", "b"]);
    expect(rows[0]?.id).toBe("a");
  });
});

describe("countyShortfallTotals", () => {
  it("adds the schools' missing by group and by location", () => {
    const a = schoolShortfall(primary({ id: "a", location: "urban", target: { parent: 10, student: 4, staff: 2 } }), SETTINGS);
    const b = schoolShortfall(
      primary({ id: "b", location: "rural", target: { parent: 6, student: 0, staff: 1 }, collected: [{ group: "parent", grade: 1, valid: 6 }] }),
      SETTINGS,
    );
    const t = countyShortfallTotals([a, b]);
    expect(t.byGroup).toEqual({ parent: 10, student: 4, staff: 3 });
    expect(t.byLocation).toEqual({ urban: 16, town: 0, rural: 1 });
    expect(t).toMatchObject({ missing: 17, behind: 2, withTarget: 2 });
    expect(t.summary).toBe("2 所学校未达到计划，共还差：家长 10 份；学生 4 份；教师和校长 3 份。按城乡：城区 16 份、乡村 1 份");
    const met = schoolShortfall(primary({ target: { parent: 1, student: 0, staff: 0 }, collected: [{ group: "parent", grade: 1, valid: 1 }] }), SETTINGS);
    expect(countyShortfallTotals([met]).summary).toBe("各校均已达到计划");
  });
});

describe("reminderText", () => {
  const links = [
    { label: "家长问卷（社会卷）", url: "https://x.test/s/p", groups: ["parent"] as const },
    { label: "学生问卷", url: "https://x.test/s/s", groups: ["student"] as const },
    { label: "校长教师问卷", url: "https://x.test/s/t", groups: ["staff"] as const },
  ];
  it("says what is missing and gives only the links still needed", () => {
    const s = schoolShortfall(
      primary({
        target: { parent: 10, student: 4, staff: 2 },
        collected: [
          { group: "student", grade: 3, valid: 1 },
          { group: "student", grade: 4, valid: 3 },
        ],
      }),
      SETTINGS,
    );
    const text = reminderText({ campaignName: "2026年社会认可度调查", asOf: "2026/12/07 21:30", shortfall: s, links });
    expect(text.split("\n")).toEqual([
      "【2026年社会认可度调查】第一小学 问卷回收提醒（截至 2026/12/07 21:30）",
      "本校已回收有效问卷 4 份，样本计划 16 份。",
      "还差：家长 10 份（一至三年级 6 份、四至六年级 4 份）；教师和校长 2 份。",
      "请各位班主任把下面的问卷链接转发到班级群，提醒尚未填写的家长和同学尽快完成（匿名填写，每台手机每份问卷只需填写一次）。",
      "家长问卷（社会卷）：https://x.test/s/p",
      "校长教师问卷：https://x.test/s/t",
    ]);
  });
  it("thanks instead once the plan is met", () => {
    const s = schoolShortfall(primary({ target: { parent: 1, student: 0, staff: 0 }, collected: [{ group: "parent", grade: 1, valid: 1 }] }), SETTINGS);
    const text = reminderText({ campaignName: "活动", asOf: "t", shortfall: s, links });
    expect(text).toContain("已达到本校的样本计划");
    expect(text).not.toContain("https://");
  });
});
