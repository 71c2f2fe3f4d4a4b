import { describe, expect, it } from "vitest";
import { buildSamplePlan } from "./sample-plan";
import { DEFAULT_SAMPLE_PLAN_SETTINGS } from "./evaluation/settings";
import { isShort, participation, schoolTargets } from "./school-targets";

describe("schoolTargets", () => {
  const plan = buildSamplePlan({ residentPopulation: 336_000, locationShare: null }, DEFAULT_SAMPLE_PLAN_SETTINGS);

  it("apportions the parents' requirement by pupils, adding up to the county's", () => {
    // 504 questionnaires, 252 parents; students 42, teachers 42, principals 42.
    expect(plan.total).toBe(504);
    const schools = [
      { id: "a", location: "urban" as const, pupils: 1900, hasStudentQuestionnaire: true },
      { id: "b", location: "urban" as const, pupils: 100, hasStudentQuestionnaire: true },
      { id: "c", location: "rural" as const, pupils: 62, hasStudentQuestionnaire: false },
    ];
    const t = schoolTargets(plan, schools);
    const sum = (k: "parent" | "student" | "staff") => [...t.values()].reduce((a, x) => a + x[k], 0);
    expect(sum("parent")).toBe(plan.byGroup.parent);
    expect(sum("student")).toBe(plan.byGroup.student);
    expect(sum("staff")).toBe(plan.byGroup.teacher + plan.byGroup.principal);
    expect(t.get("c")?.student).toBe(0);
    // 252 × 1900 / 2062 = 232.2 → 232 (largest remainder may add one)
    expect(t.get("a")?.parent).toBeGreaterThanOrEqual(232);
    expect(t.get("a")?.parent).toBeLessThanOrEqual(233);
  });

  it("divides each requirement between 城区/镇区/乡村 as the plan does, then by pupils", () => {
    const located = buildSamplePlan({ residentPopulation: 336_000, locationShare: { urban: 0.45, town: 0.27, rural: 0.28 } }, DEFAULT_SAMPLE_PLAN_SETTINGS);
    const schools = [
      { id: "u1", location: "urban" as const, pupils: 1900, hasStudentQuestionnaire: true },
      { id: "u2", location: "urban" as const, pupils: 1450, hasStudentQuestionnaire: true },
      { id: "t1", location: "town" as const, pupils: 760, hasStudentQuestionnaire: true },
      { id: "r1", location: "rural" as const, pupils: 230, hasStudentQuestionnaire: true },
    ];
    const t = schoolTargets(located, schools);
    // Parents 252: 45/27/28 → 113 / 68 / 71; the only rural school carries the rural share.
    expect(t.get("r1")?.parent).toBe(71);
    expect(t.get("t1")?.parent).toBe(68);
    expect((t.get("u1")?.parent ?? 0) + (t.get("u2")?.parent ?? 0)).toBe(113);
  });

  it("flags a school short below target × (1 − tolerance) and computes participation", () => {
    expect(isShort(8, 10, 0.1)).toBe(true);
    expect(isShort(9, 10, 0.1)).toBe(false);
    expect(isShort(0, 0, 0.1)).toBe(false);
    expect(participation(50, 200)).toBe(0.25);
    expect(participation(3, 0)).toBeNull();
  });
});
