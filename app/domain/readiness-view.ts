/**
 * What the console shows of a county's verdict (达标评估): the four parts and the veto list,
 * every failing unit with its seven indicators against standard and 85% floor, every 差异系数
 * against its limit with the distance to it, every failing G/Q item, the concrete shortfalls
 * (teachers, m², 元, rooms), and one school's part of all of it (the drill-down). Pure: shapes
 * the engine's `CountyVerdict`; no figure is recomputed here.
 */
import { INDICATOR_CODES, INDICATOR_LABELS, INDICATOR_UNITS, type IndicatorCode } from "./evaluation/codes";
import type { CountyVerdict } from "./evaluation/index";
import { PART_STATUS_LABELS, satisfactionStatusLabel } from "./evaluation/index";
import { passBadge, passOutlookView, satisfactionTone, structureBanner, type PassOutlookView, type StructureBanner, type Tone } from "./pass-outlook";
import { itemLabel } from "./satisfaction-view";
import { LEVEL_LABELS, type Level } from "./vocabulary";
import { weightingView, type WeightingView } from "./weighting-view";

export interface IndicatorView {
  code: IndicatorCode;
  label: string;
  unit: string;
  value: number | null;
  standard: number;
  floor: number;
  /** standard: meets it; floor: below standard but at least 85%; below: under the floor; missing. */
  state: "standard" | "floor" | "below" | "missing";
  /** value − standard (negative = short). */
  gap: number | null;
}

export interface UnitView {
  unitId: string;
  schoolId: string;
  label: string;
  level: Level;
  levelLabel: string;
  students: number;
  indicatorsMet: number;
  status: "pass" | "fail" | "not_evaluated";
  reasons: string[];
  indicators: IndicatorView[];
  /** What it takes: "差 1 名县级以上骨干教师（达到标准 1）", … */
  needs: string[];
}

export interface CvView {
  code: IndicatorCode;
  label: string;
  level: Level;
  levelLabel: string;
  n: number;
  mean: number | null;
  cv: number | null;
  limit: number;
  withinLimit: boolean | null;
  /** cv − limit (positive = over the limit). */
  overBy: number | null;
  reason: string;
}

export interface ItemView {
  code: string;
  label: string;
  part: "guarantee" | "quality";
  status: string;
  reasons: string[];
  shortfalls: string[];
  failingSchools: Array<{ schoolId: string; schoolName: string; reasons: string[] }>;
}

export interface ReadinessView {
  verdict: CountyVerdict["verdict"];
  verdictLabel: string;
  parts: Array<{ key: string; label: string; status: string; statusLabel: string }>;
  reasons: string[];
  summary: string[];
  units: { failing: UnitView[]; passing: number; notEvaluated: number; excluded: Array<{ label: string; reason: string }> };
  cvs: CvView[];
  compositeCv: Record<Level, number | null>;
  cvFixes: string[];
  items: ItemView[];
  itemsPassing: number;
  veto: Array<{ code: string; label: string; occurred: boolean | null; note: string | null }>;
  satisfaction: {
    status: string;
    rate: number | null;
    n: number;
    required: number | null;
    shortfalls: string[];
    /** 国家抽样的把握 (app/domain/pass-outlook.ts); null without valid questionnaires or an official sample size. */
    outlook: PassOutlookView | null;
    /** The sample against the plan's structure, not only its totals. */
    structure: StructureBanner;
    /** The colour of the 社会认可度 figure: the worst of the rule's status, the probability and the structure. */
    tone: Tone | null;
    /** For a pass by the rule: the probability's words and colour instead of a plain 达标 (passBadge); else null. */
    badge: { label: string; tone: Tone } | null;
    /** Weighted to the official design beside the unweighted rate (./weighting-view.ts); null below 5 questionnaires. */
    weighting: WeightingView | null;
  };
  borderline: string[];
}

const PART_LABELS = { resource: "资源配置", guarantee: "政府保障程度", quality: "教育质量", satisfaction: "社会认可度", veto: "一票否决" } as const;

function statusLabel(status: string): string {
  return Object.entries(PART_STATUS_LABELS).find(([k]) => k === status)?.[1] ?? status;
}

function indicatorViews(unit: CountyVerdict["parts"]["resource"]["units"][number]): IndicatorView[] {
  return INDICATOR_CODES.map((code) => {
    const c = unit.indicators[code];
    const state = c.value === null ? "missing" : c.meetsStandard ? "standard" : c.meetsFloor ? "floor" : "below";
    return {
      code,
      label: INDICATOR_LABELS[code],
      unit: INDICATOR_UNITS[code],
      value: c.value,
      standard: c.standard,
      floor: c.floor,
      state,
      gap: c.value === null ? null : c.value - c.standard,
    };
  });
}

function unitView(v: CountyVerdict, unit: CountyVerdict["parts"]["resource"]["units"][number]): UnitView {
  const plan = v.shortfalls.resource.units.find((p) => p.unitId === unit.unitId);
  return {
    unitId: unit.unitId,
    schoolId: unit.schoolId,
    label: unit.label,
    level: unit.level,
    levelLabel: LEVEL_LABELS[unit.level],
    students: unit.students,
    indicatorsMet: unit.indicatorsMet,
    status: unit.status,
    reasons: unit.reasons,
    indicators: indicatorViews(unit),
    needs: plan?.needs.map((n) => `${n.indicator}：${n.text}`) ?? [],
  };
}

function satisfactionPart(s: CountyVerdict["parts"]["satisfaction"]): ReadinessView["satisfaction"] {
  const outlook = passOutlookView(s.passProbability, itemLabel);
  const structure = structureBanner(s.coverage);
  return {
    status: s.status,
    rate: s.overall.rate,
    n: s.overall.n,
    required: s.plan?.total ?? null,
    shortfalls: s.shortfalls.map((x) => x.text),
    outlook,
    structure,
    tone: satisfactionTone(s.status, outlook, structure),
    badge: passBadge(s.status, outlook, structure),
    weighting: weightingView(s.weighting),
  };
}

export function readinessView(v: CountyVerdict): ReadinessView {
  const r = v.parts.resource;
  const cvs: CvView[] = [];
  for (const level of ["primary", "junior"] as const) {
    const lv = r.levels[level];
    if (lv.unitCount === 0) continue;
    for (const code of INDICATOR_CODES) {
      const c = lv.cvs[code];
      cvs.push({
        code,
        label: INDICATOR_LABELS[code],
        level,
        levelLabel: LEVEL_LABELS[level],
        n: c.n,
        mean: c.mean,
        cv: c.cv,
        limit: c.limit,
        withinLimit: c.withinLimit,
        // The sign follows the exact decision (a CV of exactly 0.5 is over by 0, never by float noise).
        overBy: c.cv === null ? null : c.withinLimit === false ? c.cv - c.limit : Math.min(0, c.cv - c.limit),
        reason: c.reason,
      });
    }
  }
  const items: ItemView[] = [];
  let itemsPassing = 0;
  for (const [part, result] of [
    ["guarantee", v.parts.guarantee],
    ["quality", v.parts.quality],
  ] as const) {
    for (const item of result.items) {
      if (item.status === "pass" || item.status === "not_applicable") {
        itemsPassing += 1;
        continue;
      }
      items.push({
        code: item.code,
        label: item.label,
        part,
        status: item.status,
        reasons: item.reasons,
        shortfalls: item.shortfalls.map((s) => `${s.subject}：${s.text}`),
        failingSchools: item.schools.filter((s) => s.status === "fail").map((s) => ({ schoolId: s.schoolId, schoolName: s.schoolName, reasons: s.reasons })),
      });
    }
  }
  const s = v.parts.satisfaction;
  return {
    verdict: v.verdict,
    verdictLabel: v.verdictLabel,
    parts: (["resource", "guarantee", "quality", "satisfaction", "veto"] as const).map((key) => ({
      key,
      label: PART_LABELS[key],
      status: v.parts[key].status,
      statusLabel:
        key === "veto" && v.parts.veto.status === "pass"
          ? "未发生"
          : key === "veto" && v.parts.veto.status === "fail"
            ? "存在否决事项"
            : key === "satisfaction"
              ? satisfactionStatusLabel(s)
              : statusLabel(v.parts[key].status),
    })),
    reasons: v.reasons,
    summary: v.shortfalls.summary,
    units: {
      failing: r.units.filter((u) => u.status !== "pass").map((u) => unitView(v, u)),
      passing: r.units.filter((u) => u.status === "pass").length,
      notEvaluated: r.units.filter((u) => u.status === "not_evaluated").length,
      excluded: r.excluded.map((e) => ({ label: `${e.schoolName}（${LEVEL_LABELS[e.level]} ${String(e.students)} 人）`, reason: e.reason })),
    },
    cvs,
    compositeCv: { primary: r.levels.primary.compositeCv, junior: r.levels.junior.compositeCv },
    cvFixes: v.shortfalls.resource.cvFixes.map((f) => f.summary),
    items,
    itemsPassing,
    veto: v.parts.veto.items.map((i) => ({ code: i.code, label: i.label, occurred: i.occurred, note: i.note })),
    satisfaction: satisfactionPart(s),
    borderline: v.borderline.map((b) => b.note),
  };
}

export interface SchoolReadinessView {
  schoolId: string;
  schoolName: string;
  units: UnitView[];
  /** The school's checks in G3, G4, G5, G6, Q4 … (every status). */
  checks: Array<{ code: string; label: string; status: string; reasons: string[]; figures: Record<string, number | boolean | string | null> }>;
  shortfalls: string[];
  excluded: string[];
}

/** One school's part of the verdict (the drill-down); null when the school is not in the data. */
export function schoolReadinessView(v: CountyVerdict, schoolId: string, schoolName: string): SchoolReadinessView {
  const units = v.parts.resource.units.filter((u) => u.schoolId === schoolId).map((u) => unitView(v, u));
  const checks = [...v.parts.guarantee.items, ...v.parts.quality.items].flatMap((item) =>
    item.schools
      .filter((s) => s.schoolId === schoolId)
      .map((s) => ({ code: item.code, label: item.label, status: s.status, reasons: s.reasons, figures: s.figures })),
  );
  const shortfalls = [...v.parts.guarantee.items, ...v.parts.quality.items].flatMap((item) =>
    item.shortfalls.filter((s) => s.schoolId === schoolId).map((s) => `${item.code}：${s.text}`),
  );
  const excluded = v.parts.resource.excluded.filter((e) => e.schoolId === schoolId).map((e) => e.reason);
  return { schoolId, schoolName, units, checks, shortfalls, excluded };
}

/** What changed between two campaigns' readiness for one county (the previous one first). */
export interface ReadinessChange {
  /** Every 差异系数 either campaign has, this campaign's order first; null where one has none. */
  cvs: Array<{ level: Level; levelLabel: string; code: IndicatorCode; label: string; limit: number; before: number | null; after: number | null }>;
  /** The 综合差异系数 per level either campaign has. */
  composite: Array<{ level: Level; levelLabel: string; before: number | null; after: number | null }>;
  /** The G/Q items whose status changed (an item missing from a view's list passed there). */
  items: Array<{ code: string; label: string; before: string; beforeLabel: string; after: string; afterLabel: string }>;
}

const itemStatusLabel = (status: string) => (status === "not_applicable" ? "不适用" : statusLabel(status));

export function compareReadiness(before: ReadinessView, after: ReadinessView): ReadinessChange {
  const key = (c: CvView) => `${c.level}:${c.code}`;
  const previous = new Map(before.cvs.map((c) => [key(c), c]));
  const current = new Map(after.cvs.map((c) => [key(c), c]));
  const row = (c: CvView) => ({ level: c.level, levelLabel: c.levelLabel, code: c.code, label: c.label, limit: c.limit });
  const cvs: ReadinessChange["cvs"] = [
    ...after.cvs.map((c) => ({ ...row(c), before: previous.get(key(c))?.cv ?? null, after: c.cv })),
    ...before.cvs.filter((c) => !current.has(key(c))).map((c) => ({ ...row(c), before: c.cv, after: null })),
  ];
  const composite = (["primary", "junior"] as const)
    .map((level) => ({ level, levelLabel: LEVEL_LABELS[level], before: before.compositeCv[level], after: after.compositeCv[level] }))
    .filter((c) => c.before !== null || c.after !== null);
  const statusIn = (view: ReadinessView, code: string) => view.items.find((i) => i.code === code)?.status ?? "pass";
  const codes = [...new Set([...before.items, ...after.items].map((i) => i.code))].sort((a, b) => a.localeCompare(b, "en", { numeric: true }));
  const items: ReadinessChange["items"] = [];
  for (const code of codes) {
    const was = statusIn(before, code);
    const is = statusIn(after, code);
    if (was === is) continue;
    const label = (after.items.find((i) => i.code === code) ?? before.items.find((i) => i.code === code))?.label ?? code;
    items.push({ code, label, before: was, beforeLabel: itemStatusLabel(was), after: is, afterLabel: itemStatusLabel(is) });
  }
  return { cvs, composite, items };
}
