/**
 * The property test of satisfactionView's protection: every assignment of satisfied counts an
 * attacker could solve for is enumerated, for 500 random counties — seconds on a loaded machine,
 * so it runs in the slow project (vitest.config.ts), not beside the millisecond unit tests in
 * satisfaction-view.test.ts.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DEFAULT_EVALUATION_SETTINGS } from "./evaluation/settings";
import { evaluateSatisfaction } from "./evaluation/social";
import type { SatisfactionCell } from "./satisfaction";
import { COUNTY_LINK_KEY, satisfactionView } from "./satisfaction-view";

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

describe("satisfactionView: property — no small figure can be pinned from everything a county is shown", () => {
  type Spec = { school: string | null; group: SatisfactionCell["group"]; n: number; s: number; location: SatisfactionCell["location"] };
  const groups = ["parent", "teacher"] as const;

  /** Every assignment of satisfied counts to the county's cells consistent with what the view shows. */
  function attack(specs: readonly Spec[], view: ReturnType<typeof satisfactionView>) {
    const keyOf = (s: string | null) => s ?? COUNTY_LINK_KEY;
    const visibleCell = new Map<string, number>();
    for (const row of view.schoolGroups.rows)
      row.cells.forEach(
        (c, j) => c.suppressed === null && c.satisfied !== null && visibleCell.set(`${row.key}|${view.schoolGroups.groups[j]?.key ?? ""}`, c.satisfied),
      );
    const visibleSchool = new Map(view.bySchool.filter((r) => r.suppressed === null).map((r) => [r.key, r.satisfied ?? 0]));
    const visibleGroup = new Map(view.byGroup.filter((r) => r.suppressed === null).map((r) => [r.key, r.satisfied ?? 0]));
    const visibleLocation = new Map(view.byLocation.filter((r) => r.suppressed === null).map((r) => [r.key, r.satisfied ?? 0]));
    const total = view.table6.all.satisfied;
    const values = new Map<string, Set<number>>();
    const add = (k: string, v: number) => (values.get(k) ?? values.set(k, new Set()).get(k))?.add(v);
    const x: number[] = [];
    const walk = (i: number) => {
      if (i === specs.length) {
        const sum = (f: (s: Spec) => boolean) => specs.reduce((a, s, j) => a + (f(s) ? (x[j] ?? 0) : 0), 0);
        if (sum(() => true) !== total) return;
        for (const [k, v] of visibleSchool) if (sum((s) => keyOf(s.school) === k) !== v) return;
        for (const [k, v] of visibleGroup) if (sum((s) => s.group === k) !== v) return;
        for (const [k, v] of visibleLocation) if (sum((s) => s.location === k) !== v) return;
        specs.forEach((s, j) => {
          add(`cell:${keyOf(s.school)}|${s.group}`, x[j] ?? 0);
        });
        for (const k of new Set(specs.map((s) => keyOf(s.school))))
          add(
            `school:${k}`,
            sum((s) => keyOf(s.school) === k),
          );
        for (const g of groups)
          add(
            `group:${g}`,
            sum((s) => s.group === g),
          );
        for (const l of ["urban", "rural"])
          add(
            `location:${l}`,
            sum((s) => s.location === l),
          );
        return;
      }
      const s = specs[i];
      if (!s) return;
      const fixed = visibleCell.get(`${keyOf(s.school)}|${s.group}`);
      for (let v = 0; v <= s.n; v++) {
        if (fixed !== undefined && v !== fixed) continue;
        x[i] = v;
        walk(i + 1);
      }
    };
    walk(0);
    return values;
  }

  type County = { schools: Array<{ location: "urban" | "rural"; parent: number; teacher: number; ps: number; ts: number }>; link: number; ls: number };

  /** Every small figure the county's total alone leaves open is left open by everything the view shows. */
  function checkCounty({ schools, link, ls }: County): void {
    const specs: Spec[] = [];
    schools.forEach((sc, i) => {
      if (sc.parent > 0) specs.push({ school: `s${String(i)}`, group: "parent", n: sc.parent, s: Math.min(sc.ps, sc.parent), location: sc.location });
      if (sc.teacher > 0) specs.push({ school: `s${String(i)}`, group: "teacher", n: sc.teacher, s: Math.min(sc.ts, sc.teacher), location: sc.location });
    });
    if (link > 0) specs.push({ school: null, group: "parent", n: link, s: Math.min(ls, link), location: null });
    if (specs.length === 0) return;
    const cells = specs.map((s) => ({ ...cell(s.school, s.group, s.n, s.s), location: s.location }));
    const result = evaluateSatisfaction(
      { id: "c", name: "县", residentPopulation: null, locationShare: null },
      { cells, items: [], rule: { kind: "overall_in", options: ["满意", "比较满意"] } },
      S.satisfaction,
      S.samplePlan,
      S.display,
      new Map(),
    );
    const view = satisfactionView({ result, cells, items: [], itemSatisfiedScores: [5, 4], z: 1.96, schoolNames: new Map() });
    const seen = attack(specs, view);
    // The most anyone could do: show only the county's total.
    const blind = attack(specs, {
      ...view,
      schoolGroups: {
        ...view.schoolGroups,
        rows: view.schoolGroups.rows.map((r) => ({ ...r, cells: r.cells.map((c) => ({ ...c, suppressed: "complementary" as const })) })),
      },
      bySchool: [],
      byGroup: [],
      byLocation: [],
    });
    const size = (k: string) => {
      const [kind, key] = k.split(":");
      const f = (s: Spec) =>
        kind === "cell"
          ? `${s.school ?? COUNTY_LINK_KEY}|${s.group}` === key
          : kind === "school"
            ? (s.school ?? COUNTY_LINK_KEY) === key
            : kind === "group"
              ? s.group === key
              : s.location === key;
      return specs.filter(f).reduce((a, s) => a + s.n, 0);
    };
    const small = [
      ...view.schoolGroups.rows.flatMap((r) =>
        r.cells.map((c, j) => (c.suppressed === "primary" ? `cell:${r.key}|${view.schoolGroups.groups[j]?.key ?? ""}` : null)),
      ),
      ...view.bySchool.map((r) => (r.suppressed === "primary" ? `school:${r.key}` : null)),
      ...view.byGroup.map((r) => (r.suppressed === "primary" ? `group:${r.key}` : null)),
      ...view.byLocation.map((r) => (r.suppressed === "primary" ? `location:${r.key}` : null)),
    ].filter((k): k is string => k !== null);
    for (const k of small) {
      const n = size(k);
      if ((blind.get(k)?.size ?? 0) !== n + 1) continue;
      expect([k, seen.get(k)?.size]).toEqual([k, n + 1]);
    }
  }

  it("regression (seed 1225411378): s1's 4 teachers stay open where that needs both groups' figures and a school's hidden together", () => {
    // Shown before the fix: s0 (3 of 8), both groups (4 of 9, 6 of 9) and the county (10 of
    // 18). Then s1's teachers = 6 − s0's teachers (≤ 3) − s2's (≤ 2) ≥ 1, never 0; no single
    // figure more would open them (the audit gave up), only the groups' and s0's together.
    checkCounty({
      schools: [
        { location: "rural", parent: 5, teacher: 3, ps: 0, ts: 3 },
        { location: "urban", parent: 1, teacher: 4, ps: 1, ts: 2 },
        { location: "rural", parent: 3, teacher: 2, ps: 3, ts: 1 },
      ],
      link: 0,
      ls: 0,
    });
  });

  it("random counties of up to 3 schools, 2 groups, 2 locations and the county-level link", () => {
    const spec = fc.record({
      schools: fc.array(
        fc.record({
          location: fc.constantFrom("urban" as const, "rural" as const),
          parent: fc.nat({ max: 6 }),
          teacher: fc.nat({ max: 4 }),
          ps: fc.nat({ max: 6 }),
          ts: fc.nat({ max: 4 }),
        }),
        { minLength: 1, maxLength: 3 },
      ),
      link: fc.nat({ max: 3 }),
      ls: fc.nat({ max: 3 }),
    });
    fc.assert(fc.property(spec, checkCounty), { numRuns: 500 });
  });
});
