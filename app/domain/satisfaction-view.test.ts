import { describe, expect, it } from "vitest";
import { DEFAULT_EVALUATION_SETTINGS } from "./evaluation/settings";
import { evaluateSatisfaction } from "./evaluation/social";
import type { ItemScoreCount, SatisfactionCell } from "./satisfaction";
import { COUNTY_LINK_KEY, lowestFirst, satisfactionView, schoolItemsView } from "./satisfaction-view";

const S = DEFAULT_EVALUATION_SETTINGS;
const cell = (schoolId: string | null, group: SatisfactionCell["group"], valid: number, satisfied: number): SatisfactionCell => ({
  countyId: "c",
  schoolId,
  group,
  questionnaire: group === "teacher" ? "staff" : "social",
  location: schoolId ? "urban" : null,
  grade: null,
  total: valid,
  invalid: 0,
  valid,
  satisfied,
});
const item = (schoolId: string | null, group: ItemScoreCount["group"], itemId: string, score: number | null, count: number) => ({
  countyId: "c",
  schoolId,
  group,
  questionnaire: group === "teacher" ? ("staff" as const) : ("social" as const),
  itemId,
  score,
  count,
});

describe("satisfactionView", () => {
  const cells = [
    cell("a", "parent", 40, 36),
    cell("a", "teacher", 3, 1),
    cell("b", "parent", 30, 24),
    cell("b", "teacher", 9, 9),
    cell(null, "public", 20, 18),
  ];
  const items = [
    item("a", "parent", "homework", 5, 20),
    item("a", "parent", "homework", 2, 20),
    item("b", "parent", "homework", 4, 30),
    item("a", "parent", "safety", 5, 40),
    item("b", "parent", "safety", 5, 30),
    item("a", "teacher", "homework", 1, 3),
    item("b", "teacher", "homework", 5, 9),
  ];
  const result = evaluateSatisfaction(
    { id: "c", name: "测试县", residentPopulation: null, locationShare: null },
    { cells, items, rule: S.satisfaction.rule },
    S.satisfaction,
    S.samplePlan,
    S.display,
    new Map([
      ["a", "甲校"],
      ["b", "乙校"],
    ]),
  );
  const view = satisfactionView({
    result,
    cells,
    items,
    itemSatisfiedScores: [5, 4],
    z: 1.96,
    schoolNames: new Map([
      ["a", "甲校"],
      ["b", "乙校"],
    ]),
  });

  it("reports the county's rate and the schools lowest first, the county-level link among them", () => {
    expect(view.overall.n).toBe(102);
    expect(view.overall.satisfied).toBe(88);
    // 乙校's 9 teachers are all satisfied, so with the teachers' figure (10 of 12) 甲校's 3
    // teachers would have at least 1 satisfied: the teachers' figure is hidden with another
    // group's, and 甲校's with the county-level link's (the audit of all figures together,
    // decision record 0011).
    expect(view.bySchool.map((r) => r.label)).toEqual(["乙校", "县级链接（人大代表、政协委员、其他群众）", "甲校"]);
    expect(view.bySchool.map((r) => r.rate)).toEqual([33 / 39, null, null]);
    expect(view.byGroup.find((r) => r.key === "teacher")?.suppressed).toBe("complementary");
    expect(view.byGroup.filter((r) => r.suppressed !== null)).toHaveLength(2);
    expect(view.bySchool.find((r) => r.key === COUNTY_LINK_KEY)?.below).toBe(false);
  });

  it("hides the 3 teachers of 甲校 and, as complement, the 9 of 乙校 in the school × group table", () => {
    const a = view.schoolGroups.rows.find((r) => r.key === "a");
    const b = view.schoolGroups.rows.find((r) => r.key === "b");
    const teacher = view.schoolGroups.groups.findIndex((g) => g.key === "teacher");
    expect(a?.cells[teacher]).toMatchObject({ suppressed: "primary", n: null, rate: null });
    expect(b?.cells[teacher]).toMatchObject({ suppressed: "complementary", n: null, rate: null });
    // Row 甲校 is then protected by hiding its parents' cell too.
    expect(a?.cells.filter((c) => c.suppressed !== null).length).toBeGreaterThanOrEqual(2);
  });

  it("sorts items lowest first and hides the teachers' small item cell across groups", () => {
    expect(view.items.map((i) => i.itemId)).toEqual(["homework", "safety"]);
    expect(view.items[0]?.rate).toBeCloseTo(59 / 82, 10);
    const homework = view.itemsByGroup.rows.find((r) => r.itemId === "homework");
    const teacher = view.itemsByGroup.groups.findIndex((g) => g.key === "teacher");
    expect(homework?.cells[teacher]?.rate).toBe(0.75);
    expect(schoolItemsView(items, "a", [5, 4], 1.96, 0.85).find((r) => r.itemId === "homework")?.rate).toBeCloseTo(20 / 43, 10);
  });

  it("lowestFirst keeps rows without a rate last", () => {
    expect(lowestFirst([{ rate: null }, { rate: 0.9 }, { rate: 0.2 }]).map((r) => r.rate)).toEqual([0.2, 0.9, null]);
  });
});

describe("satisfactionView: figures taken together (decision record 0011)", () => {
  // 教学点 (3 teachers, all satisfied), two larger schools, and the county-level link.
  const cells = [
    cell("z", "teacher", 3, 3),
    cell("y", "parent", 33, 25),
    cell("x", "parent", 60, 50),
    cell("x", "teacher", 20, 15),
    cell("w", "parent", 58, 48),
    cell("w", "teacher", 12, 9),
    cell(null, "public", 70, 60),
  ];
  const result = evaluateSatisfaction(
    { id: "c", name: "县", residentPopulation: null, locationShare: null },
    { cells, items: [], rule: { kind: "overall_in", options: ["满意", "比较满意"] } },
    S.satisfaction,
    S.samplePlan,
    S.display,
    new Map(),
  );
  const view = satisfactionView({
    result,
    cells,
    items: [],
    itemSatisfiedScores: [5, 4],
    z: 1.96,
    schoolNames: new Map([
      ["z", "教学点"],
      ["y", "乙校"],
      ["x", "甲校"],
      ["w", "丙校"],
    ]),
  });

  it("a school hidden beside the small one does not show as the sum of its cells in schools × groups", () => {
    const hidden = view.bySchool.filter((r) => r.suppressed !== null).map((r) => r.key);
    expect(hidden).toContain("z");
    expect(hidden.length).toBeGreaterThanOrEqual(2);
    for (const key of hidden) {
      const row = view.schoolGroups.rows.find((r) => r.key === key);
      expect(row?.cells.some((c) => c.suppressed !== null && c.n !== 0)).toBe(true);
    }
  });

  it("attack: county − shown schools − schools whose cells all show leaves the 教学点 open", () => {
    // What the attacker can sum: every school shown in the list, or all of whose cells show.
    const known = (key: string) => {
      const listed = view.bySchool.find((r) => r.key === key);
      if (listed && listed.suppressed === null) return listed.satisfied ?? 0;
      const row = view.schoolGroups.rows.find((r) => r.key === key);
      if (row && row.cells.every((c) => c.suppressed === null)) return row.cells.reduce((a, c) => a + (c.satisfied ?? 0), 0);
      return null;
    };
    const unknown = view.bySchool.filter((r) => known(r.key) === null);
    expect(unknown.map((r) => r.key)).toContain("z");
    expect(unknown.length).toBeGreaterThanOrEqual(2);
    const rest = view.table6.all.satisfied - view.bySchool.reduce((a, r) => a + (known(r.key) ?? 0), 0);
    const sizes = new Map([
      ["z", 3],
      ["y", 33],
      ["x", 80],
      ["w", 70],
      ["__county__", 70],
    ]);
    const others = unknown.filter((r) => r.key !== "z").reduce((a, r) => a + (sizes.get(r.key) ?? 0), 0);
    // The 教学点's satisfied count can be anything from 0 to 3.
    expect(Math.max(0, rest - others)).toBe(0);
    expect(Math.min(3, rest)).toBe(3);
  });
});
