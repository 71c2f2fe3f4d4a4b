import { describe, expect, it } from "vitest";
import { compareReadiness, type CvView, type ItemView, type ReadinessView } from "./readiness-view";

function cv(level: "primary" | "junior", code: CvView["code"], value: number | null): CvView {
  const limit = level === "primary" ? 0.5 : 0.45;
  return {
    code,
    label: `指标 ${code}`,
    level,
    levelLabel: level === "primary" ? "小学" : "初中",
    n: 5,
    mean: 1,
    cv: value,
    limit,
    withinLimit: value === null ? null : value <= limit,
    overBy: value === null ? null : value - limit,
    reason: "",
  };
}

function item(code: string, status: string): ItemView {
  return { code, label: `项目 ${code}`, part: code.startsWith("G") ? "guarantee" : "quality", status, reasons: [], shortfalls: [], failingSchools: [] };
}

function view(cvs: CvView[], items: ItemView[], compositeCv: ReadinessView["compositeCv"]): ReadinessView {
  return {
    verdict: "fail",
    verdictLabel: "未达标",
    parts: [],
    reasons: [],
    summary: [],
    units: { failing: [], passing: 0, notEvaluated: 0, excluded: [] },
    cvs,
    compositeCv,
    cvFixes: [],
    items,
    itemsPassing: 0,
    veto: [],
    satisfaction: {
      status: "pass",
      rate: 0.9,
      n: 100,
      required: 100,
      shortfalls: [],
      outlook: null,
      structure: { tone: "ok", text: "", shortCells: [] },
      tone: "pass",
      badge: null,
      weighting: null,
    },
    borderline: [],
  };
}

describe("compareReadiness", () => {
  it("pairs each 差异系数 by level and indicator, keeps one only one campaign has, and lists changed items", () => {
    const before = view(
      [cv("primary", "L1", 0.62), cv("primary", "L2", 0.3), cv("junior", "L1", 0.5)],
      [item("G3", "fail"), item("Q4", "fail"), item("G10", "incomplete")],
      { primary: 0.41, junior: 0.38 },
    );
    const after = view([cv("primary", "L1", 0.48), cv("primary", "L2", 0.33)], [item("G10", "incomplete"), item("G5", "fail")], {
      primary: 0.36,
      junior: null,
    });
    const change = compareReadiness(before, after);
    expect(change.cvs.map((c) => [c.levelLabel, c.code, c.before, c.after, c.limit])).toEqual([
      ["小学", "L1", 0.62, 0.48, 0.5],
      ["小学", "L2", 0.3, 0.33, 0.5],
      ["初中", "L1", 0.5, null, 0.45],
    ]);
    expect(change.composite).toEqual([
      { level: "primary", levelLabel: "小学", before: 0.41, after: 0.36 },
      { level: "junior", levelLabel: "初中", before: 0.38, after: null },
    ]);
    // G3 and Q4 now pass (absent from the list of non-passing items); G5 newly fails; G10 unchanged.
    expect(change.items.map((i) => `${i.code} ${i.beforeLabel}→${i.afterLabel}`)).toEqual(["G3 未达标→达标", "G5 达标→未达标", "Q4 未达标→达标"]);
  });

  it("reports nothing changed between equal views", () => {
    const v = view([cv("primary", "L1", 0.4)], [item("G3", "fail")], { primary: 0.4, junior: null });
    expect(compareReadiness(v, v)).toEqual({
      cvs: [{ level: "primary", levelLabel: "小学", code: "L1", label: "指标 L1", limit: 0.5, before: 0.4, after: 0.4 }],
      composite: [{ level: "primary", levelLabel: "小学", before: 0.4, after: 0.4 }],
      items: [],
    });
  });
});
