/**
 * The national 申报表 of one county (县域义务教育优质均衡发展督导评估), built from the engine's
 * output: county basic information, 表Ⅲ (the 7 indicators per unit and level with the county
 * mean, SD and 差异系数), the 15 政府保障程度 and 9 教育质量 items with their figures, the
 * per-school checks (G3–G7, Q4) and the monitoring results (Q9), 表Ⅵ, the 一票否决
 * declarations, and every borderline figure. Pure: `EvaluationResult` in, sheets out; the XLSX
 * writer is app/.server/evaluation-export.
 *
 * Rounding follows the 申报表 through number formats (settings.display: means and unit values
 * 2 decimals, 差异系数 3, percentages 2); the cells hold the full-precision numbers the engine
 * decided on. Where the rounded display would decide differently from the full value (a
 * borderline, 临界值), the full value is also shown in a column or row of its own, and the
 * 「临界值」 sheet lists every borderline flag the engine raised.
 */
import type { EvaluationResult } from "../evaluation";
import { PART_STATUS_LABELS } from "../evaluation";
import { INDICATOR_CODES, INDICATOR_LABELS, INDICATOR_UNITS, type IndicatorCode } from "../evaluation/codes";
import { isBorderline } from "../evaluation/display";
import { rateBorderline, type ItemResult } from "../evaluation/items";
import type { SchoolInput } from "../evaluation/input";
import { LEVEL_LABELS, LOCATION_LABELS, SCHOOL_TYPE_LABELS, SCHOOL_TYPES, type Level } from "../vocabulary";
import { HIDDEN_FIGURE_KEYS, ITEM_FIGURES, ratingLabel, requirementText, type FigureSpec } from "./items";
import {
  blank,
  COUNT_FORMAT,
  decimalsFormat,
  FULL_PRECISION_FORMAT,
  num,
  percentFormat,
  text,
  yesNo,
  YUAN_FORMAT,
  type CountyForms,
  type FormCell,
  type FormMerge,
  type FormSheet,
} from "./sheet";

import { col, FULL_PRECISION_HEADER, sheet, SHEET_NAMES, statusCell, type Ctx } from "./context";
import { g3Sheet, g4Sheet, g5Sheet, g6Sheet, g7Sheet, q4Sheet, q9Sheet } from "./per-school";

export * from "./sheet";
export { FULL_PRECISION_HEADER, SHEET_NAMES } from "./context";
export { ITEM_FIGURES, ratingLabel, requirementText } from "./items";

const unitStatusLabel = (s: "pass" | "fail" | "not_evaluated") => (s === "pass" ? "达标" : s === "fail" ? "未达标" : "缺数据");

/**
 * The 申报表 workbook of county `countyId` in `result`. Throws when the result holds no such
 * county (a programming error: callers pick the county from the result).
 */
export function countyForms(result: Pick<EvaluationResult, "settings" | "input" | "counties">, countyId: string): CountyForms {
  const verdict = result.counties.find((c) => c.countyId === countyId);
  if (!verdict) throw new Error(`评估结果中没有县（区）${countyId}`);
  const schools = result.input.schools.filter((s) => s.countyId === countyId);
  const d = result.settings.display;
  const ctx: Ctx = {
    result,
    settings: result.settings,
    verdict,
    schools,
    schoolById: new Map(schools.map((s) => [s.id, s])),
    meanFmt: decimalsFormat(d.meanDecimals),
    cvFmt: decimalsFormat(d.cvDecimals),
    pctFmt: percentFormat(d.percentDecimals),
    pctNumberFmt: decimalsFormat(d.percentDecimals),
  };
  const guarantee = verdict.parts.guarantee.items;
  const quality = verdict.parts.quality.items;
  const byCode = (items: ItemResult[], code: string) => items.find((i) => i.code === code);
  return {
    countyId,
    countyName: verdict.countyName,
    fileName: `${verdict.countyName}-申报表-${countyId}.xlsx`,
    sheets: [
      basicSheet(ctx),
      schoolListSheet(ctx),
      table3Sheet(ctx, "primary"),
      table3Sheet(ctx, "junior"),
      itemsSheet(ctx, SHEET_NAMES.guarantee, "政府保障程度（15项）", verdict.parts.guarantee.status, guarantee),
      g3Sheet(ctx, byCode(guarantee, "G3")),
      g4Sheet(ctx, byCode(guarantee, "G4")),
      g5Sheet(ctx, byCode(guarantee, "G5")),
      g6Sheet(ctx, byCode(guarantee, "G6")),
      g7Sheet(ctx, byCode(guarantee, "G7")),
      itemsSheet(ctx, SHEET_NAMES.quality, "教育质量（9项）", verdict.parts.quality.status, quality),
      q4Sheet(ctx, byCode(quality, "Q4")),
      q9Sheet(ctx, byCode(quality, "Q9")),
      table6Sheet(ctx),
      vetoSheet(ctx),
      borderlineSheet(ctx),
    ],
  };
}

// ——— 基本情况 ———

function basicSheet(ctx: Ctx): FormSheet {
  const v = ctx.verdict;
  const county = ctx.result.input.counties.find((c) => c.id === v.countyId);
  const rows: FormCell[][] = [];
  const row = (label: string, value: FormCell, unit: string, note = "") => rows.push([text(label), value, text(unit), text(note)]);
  row("县（区）代码", text(v.countyId), "");
  row("县（区）名称", text(v.countyName), "");
  row(
    "常住人口",
    num(county?.residentPopulation ?? null, COUNT_FORMAT),
    "人",
    county?.residentPopulation == null ? "未填报" : "社会认可度样本量按常住人口1.5‰",
  );
  const share = county?.locationShare ?? null;
  for (const loc of ["urban", "town", "rural"] as const)
    row(`${LOCATION_LABELS[loc]}人口占比`, num(share ? share[loc] : null, percentFormat(2)), "%", share ? "" : "未填报");
  row("义务教育学校数（含教学点）", num(ctx.schools.length, COUNT_FORMAT), "所");
  for (const type of SCHOOL_TYPES) row(`其中：${SCHOOL_TYPE_LABELS[type]}`, num(ctx.schools.filter((s) => s.type === type).length, COUNT_FORMAT), "所");
  const missingClasses = ctx.schools.filter((s) => !s.classes).length;
  const classNote = missingClasses > 0 ? `${String(missingClasses)} 所学校未填报班级，未计入` : "";
  const classesOf = (level: Level) =>
    ctx.schools.reduce((n, s) => n + (s.classes ?? []).filter((c) => (level === "primary" ? c.grade <= 6 : c.grade >= 7)).length, 0);
  row("班级数：小学（1–6年级）", num(classesOf("primary"), COUNT_FORMAT), "个", classNote);
  row("班级数：初中（7–9年级）", num(classesOf("junior"), COUNT_FORMAT), "个", classNote);
  row("班级数：合计", num(classesOf("primary") + classesOf("junior"), COUNT_FORMAT), "个", classNote);
  const primary = ctx.schools.reduce((n, s) => n + s.students.primary, 0);
  const junior = ctx.schools.reduce((n, s) => n + s.students.junior, 0);
  row("在校生数：小学", num(primary, COUNT_FORMAT), "人");
  row("在校生数：初中", num(junior, COUNT_FORMAT), "人");
  row("在校生数：义务教育阶段合计", num(primary + junior, COUNT_FORMAT), "人");
  for (const level of ["primary", "junior"] as const) {
    row(
      `资源配置评估单位：${LEVEL_LABELS[level]}`,
      num(v.parts.resource.levels[level].unitCount, COUNT_FORMAT),
      "个",
      "九年一贯制学校计小学部、初中部两个单位；不足50人的教学点不计",
    );
  }
  const p = v.parts;
  row("资源配置", text(PART_STATUS_LABELS[p.resource.status]), "");
  row("政府保障程度", text(PART_STATUS_LABELS[p.guarantee.status]), "");
  row("教育质量", text(PART_STATUS_LABELS[p.quality.status]), "");
  row("社会认可度（自评）", text(PART_STATUS_LABELS[p.satisfaction.status]), "");
  row("一票否决", text(p.veto.status === "pass" ? "无否决事项" : PART_STATUS_LABELS[p.veto.status]), "");
  row("评估结论", text(v.verdictLabel), "");
  return sheet(
    SHEET_NAMES.basic,
    `${v.countyName} 县域义务教育优质均衡发展督导评估 — 县（区）基本情况`,
    [
      ctx.result.input.title ? `数据：${ctx.result.input.title}` : "数据：评估数据文件",
      "本表由评估平台按申报表格式生成，全部数字以全精度参与判定，显示按申报表位数四舍五入。",
    ],
    [col("项目", 34), col("数值", 16), col("单位", 8), col("说明", 52)],
    rows,
    { emphasis: [rows.length - 1] },
  );
}

function schoolListSheet(ctx: Ctx): FormSheet {
  const classes = (s: SchoolInput, level: Level) => (s.classes ? s.classes.filter((c) => (level === "primary" ? c.grade <= 6 : c.grade >= 7)).length : null);
  const rows = ctx.schools.map((s, i) => [
    num(i + 1, COUNT_FORMAT),
    text(s.id),
    text(s.name),
    text(SCHOOL_TYPE_LABELS[s.type]),
    text(LOCATION_LABELS[s.location]),
    num(s.students.primary, COUNT_FORMAT),
    num(s.students.junior, COUNT_FORMAT),
    num(classes(s, "primary"), COUNT_FORMAT),
    num(classes(s, "junior"), COUNT_FORMAT),
  ]);
  return sheet(
    SHEET_NAMES.schools,
    `${ctx.verdict.countyName} 义务教育学校（含教学点）名单`,
    ["班级数为空表示未填报。"],
    [
      col("序号", 6),
      col("学校标识码", 14),
      col("学校名称", 34),
      col("学校类型", 16),
      col("城乡类型", 10),
      col("小学在校生数（人）", 12),
      col("初中在校生数（人）", 12),
      col("小学班级数（个）", 12),
      col("初中班级数（个）", 12),
    ],
    rows,
  );
}

// ——— 表Ⅲ ———

const CV_REASON_LABELS = { ok: "", no_units: "无评估单位", zero_mean: "均值为0，无法计算", missing_data: "有评估单位缺数据" } as const;

/**
 * 表Ⅲ of one level: each unit's 7 values (2 decimals), 达标项数 and 结论; then the standard, the
 * county mean X̄, SD S and 差异系数 CV (3 decimals) of each indicator, its limit and whether it is
 * within. A full-precision column is added for an indicator when some unit's value is borderline
 * (against its standard or its floor), and a full-precision 差异系数 row when some CV is.
 */
function table3Sheet(ctx: Ctx, level: Level): FormSheet {
  const res = ctx.verdict.parts.resource;
  const lv = res.levels[level];
  const units = res.units.filter((u) => u.level === level);
  const d = ctx.settings.display;
  const unitBorderline = (code: IndicatorCode) =>
    units.some((u) => {
      const c = u.indicators[code];
      return (
        c !== undefined && c.value !== null && (isBorderline(c.value, d.meanDecimals, ">=", c.standard) || isBorderline(c.value, d.meanDecimals, ">=", c.floor))
      );
    });
  const fullCols = INDICATOR_CODES.filter(unitBorderline);
  const cvBorderline = INDICATOR_CODES.some((code) => {
    const c = lv.cvs[code];
    return c !== undefined && c.cv !== null && isBorderline(c.cv, d.cvDecimals, "<=", c.limit);
  });
  const columns = [
    col("序号", 6),
    col("学校（评估单位）", 30),
    col("学校类型", 14),
    col("学生数（人）", 10),
    ...INDICATOR_CODES.map((code) => col(`${code} ${INDICATOR_LABELS[code]}（${INDICATOR_UNITS[code]}）`, 14)),
    col("达标项数", 8),
    col("结论", 10),
    ...fullCols.map((code) => col(`${code} ${FULL_PRECISION_HEADER}`, 18)),
  ];
  const rows: FormCell[][] = units.map((u, i) => [
    num(i + 1, COUNT_FORMAT),
    text(u.label),
    text(SCHOOL_TYPE_LABELS[u.schoolType]),
    num(u.students, COUNT_FORMAT),
    ...INDICATOR_CODES.map((code) => num(u.indicators[code]?.value ?? null, ctx.meanFmt)),
    num(u.indicatorsMet, COUNT_FORMAT),
    text(unitStatusLabel(u.status)),
    ...fullCols.map((code) => num(u.indicators[code]?.value ?? null, FULL_PRECISION_FORMAT)),
  ]);
  const emphasis: number[] = [];
  const summary = (label: string, cells: FormCell[], strong = false) => {
    if (strong) emphasis.push(rows.length);
    rows.push([blank, text(label), blank, blank, ...cells, blank, blank, ...fullCols.map(() => blank)]);
  };
  const std = ctx.settings.resource.standards[level];
  summary(
    "标准值",
    INDICATOR_CODES.map((code) => num(std[code]?.standard ?? null, ctx.meanFmt)),
  );
  summary(
    "县均值 X̄（学生加权）",
    INDICATOR_CODES.map((code) => num(lv.cvs[code]?.mean ?? null, ctx.meanFmt)),
    true,
  );
  summary(
    "标准差 S",
    INDICATOR_CODES.map((code) => num(lv.cvs[code]?.sd ?? null, ctx.meanFmt)),
    true,
  );
  summary(
    "差异系数 CV",
    INDICATOR_CODES.map((code) => num(lv.cvs[code]?.cv ?? null, ctx.cvFmt)),
    true,
  );
  if (cvBorderline)
    summary(
      `差异系数 ${FULL_PRECISION_HEADER}`,
      INDICATOR_CODES.map((code) => num(lv.cvs[code]?.cv ?? null, FULL_PRECISION_FORMAT)),
    );
  summary(
    "差异系数限值（≤）",
    INDICATOR_CODES.map((code) => num(lv.cvs[code]?.limit ?? null, decimalsFormat(2))),
  );
  summary(
    "差异系数是否达标",
    INDICATOR_CODES.map((code) => {
      const c = lv.cvs[code];
      if (!c) return blank;
      if (c.withinLimit === null) return text(CV_REASON_LABELS[c.reason] || "—");
      return text(c.withinLimit ? "是" : "否");
    }),
  );
  summary("综合差异系数（7项平均，仅供参考）", [num(lv.compositeCv, ctx.cvFmt), ...INDICATOR_CODES.slice(1).map(() => blank)]);
  const passing = units.filter((u) => u.status === "pass").length;
  const excluded = res.excluded.filter((e) => e.level === level);
  const notes = [
    `评估单位 ${String(units.length)} 个，学生 ${String(lv.students)} 人；单位达标 ${String(passing)} 个。单位达标：7项中至少6项达到标准、其余1项不低于标准的85%。`,
    `数值保留${String(d.meanDecimals)}位小数，差异系数保留${String(d.cvDecimals)}位小数；差异系数按学生数加权、总体标准差计算（X̄ = Σ(Pᵢ/P)·Xᵢ，S = √Σ(Pᵢ/P)(Xᵢ − X̄)²，CV = S ÷ X̄），判定按全精度数值。`,
    ...(excluded.length > 0
      ? [
          `不足${String(ctx.settings.resource.teachingPointMinStudents)}人的教学点不作为评估单位：${excluded.map((e) => `${e.schoolName}（${String(e.students)} 人）`).join("、")}`,
        ]
      : []),
  ];
  return sheet(
    level === "primary" ? SHEET_NAMES.table3Primary : SHEET_NAMES.table3Junior,
    `${ctx.verdict.countyName} 表Ⅲ 义务教育学校资源配置7项指标及差异系数（${LEVEL_LABELS[level]}）`,
    notes,
    columns,
    rows,
    { emphasis },
  );
}

// ——— 政府保障程度 / 教育质量 ———

function figureCell(ctx: Ctx, spec: FigureSpec, value: number | boolean | string | null | undefined): FormCell {
  if (value === undefined || value === null) return spec.kind === "rate" ? text("—") : text(spec.kind === "bool" ? "未填报" : "—");
  switch (spec.kind) {
    case "bool":
      return typeof value === "boolean" ? yesNo(value) : text(String(value));
    case "rating":
      return text(typeof value === "string" ? ratingLabel(value) : String(value));
    case "rate":
      return typeof value === "number" ? num(value, ctx.pctFmt) : text(String(value));
    case "yuan":
      return typeof value === "number" ? num(value, YUAN_FORMAT) : text(String(value));
    case "count":
      return typeof value === "number" ? num(value, COUNT_FORMAT) : text(String(value));
  }
}

function requirementCell(ctx: Ctx, item: ItemResult, spec: FigureSpec): FormCell {
  if (spec.requirement) {
    const r = spec.requirement(ctx.settings);
    return text(requirementText(r.threshold, r.comparison));
  }
  if (spec.kind === "bool") return text("是");
  if (spec.kind === "rating") {
    const min = item.figures["minRating"];
    return text(typeof min === "string" ? `${ratingLabel(min)}及以上` : "—");
  }
  return blank;
}

/** Full-precision value of a rate figure whose rounded percentage would decide differently. */
function rateFullPrecision(ctx: Ctx, spec: FigureSpec, value: unknown): FormCell {
  if (!spec.requirement || typeof value !== "number") return blank;
  const r = spec.requirement(ctx.settings);
  const flag = rateBorderline("", "", value, r.threshold, ctx.settings.display.percentDecimals, r.comparison === "<" ? "<" : ">=");
  return flag ? num(value, FULL_PRECISION_FORMAT) : blank;
}

/** Rows added for an item checked school by school: how many were checked and how many fail. */
function schoolRows(item: ItemResult, sheetName: string): { label: string; value: number; unit: string }[] {
  if (item.schools.length === 0) return [];
  return [
    { label: `逐校核查的学校数（见「${sheetName}」）`, value: item.schools.length, unit: "所" },
    { label: "其中：未达标学校数", value: item.schools.filter((s) => s.status === "fail").length, unit: "所" },
  ];
}

const PER_SCHOOL_SHEET: Record<string, string> = {
  G3: SHEET_NAMES.g3,
  G4: SHEET_NAMES.g4,
  G5: SHEET_NAMES.g5,
  G6: SHEET_NAMES.g6,
  G7: SHEET_NAMES.g7,
  Q4: SHEET_NAMES.q4,
  Q9: SHEET_NAMES.q9,
};

/**
 * One sheet of items: each item takes one row per figure (序号, 代码, 评估内容, 结论, 佐证 and
 * 说明 merged over the item's rows), with the figure's value, unit and requirement, and the
 * full-precision value where the rounded display of a rate would decide differently.
 */
function itemsSheet(ctx: Ctx, name: string, heading: string, status: keyof typeof PART_STATUS_LABELS, items: ItemResult[]): FormSheet {
  const rows: FormCell[][] = [];
  const merges: FormMerge[] = [];
  items.forEach((item, index) => {
    const specs = ITEM_FIGURES[item.code] ?? [];
    const known = new Set(specs.map((s) => s.key));
    const figureRows: { label: FormCell; value: FormCell; unit: FormCell; requirement: FormCell; full: FormCell }[] = [];
    for (const spec of specs) {
      if (!(spec.key in item.figures) && spec.kind !== "bool" && spec.kind !== "rating") continue;
      const value = item.figures[spec.key];
      figureRows.push({
        label: text(spec.label),
        value: figureCell(ctx, spec, value),
        unit: text(spec.unit),
        requirement: requirementCell(ctx, item, spec),
        full: rateFullPrecision(ctx, spec, value),
      });
    }
    for (const [key, value] of Object.entries(item.figures)) {
      if (known.has(key) || HIDDEN_FIGURE_KEYS.has(key)) continue;
      const cell = typeof value === "number" ? num(value, FULL_PRECISION_FORMAT) : typeof value === "boolean" ? yesNo(value) : text(value);
      figureRows.push({ label: text(key), value: cell, unit: blank, requirement: blank, full: blank });
    }
    const perSchool = PER_SCHOOL_SHEET[item.code];
    if (perSchool)
      for (const s of schoolRows(item, perSchool))
        figureRows.push({ label: text(s.label), value: num(s.value, COUNT_FORMAT), unit: text(s.unit), requirement: blank, full: blank });
    if (item.code === "Q9" && perSchool)
      figureRows.push({ label: text(`逐科结果见「${perSchool}」`), value: blank, unit: blank, requirement: blank, full: blank });
    if (figureRows.length === 0) figureRows.push({ label: text("—"), value: blank, unit: blank, requirement: blank, full: blank });
    const from = rows.length;
    figureRows.forEach((f, i) => {
      const first = i === 0;
      rows.push([
        first ? num(index + 1, COUNT_FORMAT) : blank,
        first ? text(item.code) : blank,
        first ? text(item.label) : blank,
        f.label,
        f.value,
        f.unit,
        f.requirement,
        first ? statusCell(item.status) : blank,
        first ? text(item.evidence ?? "") : blank,
        first ? text(item.reasons.join("；")) : blank,
        f.full,
      ]);
    });
    const to = rows.length - 1;
    if (to > from) for (const column of [0, 1, 2, 7, 8, 9]) merges.push({ column, from, to });
  });
  const passing = items.filter((i) => i.status === "pass" || i.status === "not_applicable").length;
  return sheet(
    name,
    `${ctx.verdict.countyName} ${heading}`,
    [
      `结论：${PART_STATUS_LABELS[status]}；达标（含不适用）${String(passing)} 项，共 ${String(items.length)} 项，全部达标方为达标。比例保留${String(ctx.settings.display.percentDecimals)}位小数，判定按全精度数值。`,
    ],
    [
      col("序号", 6),
      col("代码", 6),
      col("评估内容", 40),
      col("数据项", 34),
      col("数值", 14),
      col("单位", 8),
      col("要求", 10),
      col("结论", 10),
      col("佐证材料", 30),
      col("说明", 40),
      col(FULL_PRECISION_HEADER, 20),
    ],
    rows,
    { merges },
  );
}

// ——— per-school checks ———

function table6Sheet(ctx: Ctx): FormSheet {
  const s = ctx.verdict.parts.satisfaction;
  const threshold = ctx.settings.satisfaction.threshold;
  const full = (rate: number | null): FormCell =>
    rate !== null && rateBorderline("", "", rate, threshold, ctx.settings.display.percentDecimals) ? num(rate * 100, FULL_PRECISION_FORMAT) : blank;
  const row = (label: string, r: typeof s.table6.all, judged: boolean) => [
    text(label),
    num(r.total, COUNT_FORMAT),
    num(r.valid, COUNT_FORMAT),
    num(r.satisfied, COUNT_FORMAT),
    num(r.ratePercent, ctx.pctNumberFmt),
    judged ? full(r.valid > 0 ? r.satisfied / r.valid : null) : blank,
  ];
  const plan = s.plan;
  const notes = [
    s.notice,
    `结论：${PART_STATUS_LABELS[s.status]}；综合满意度达到 ${requirementText(threshold, ">=").slice(2)} 以上为达标（按全体有效问卷）。`,
    plan
      ? `样本：有效问卷 ${String(s.overall.n)} 份，计划 ${String(plan.total)} 份（常住人口 ${String(ctx.settings.samplePlan.perMille)}‰）${s.coverage?.insufficient ? "，样本不足" : ""}。`
      : `样本：有效问卷 ${String(s.overall.n)} 份；未填报常住人口，无法核对样本量。`,
    ...(s.overall.marginOfError !== null ? [`误差范围（95%置信水平）：±${(s.overall.marginOfError * 100).toFixed(2)} 个百分点。`] : []),
  ];
  return sheet(
    SHEET_NAMES.table6,
    `${ctx.verdict.countyName} 表Ⅵ 社会认可度`,
    notes,
    [col("调查对象", 16), col("问卷总数", 12), col("有效问卷数", 12), col("满意问卷数", 12), col("综合满意度（%）", 16), col(FULL_PRECISION_HEADER, 20)],
    [row("全体", s.table6.all, true), row("其中：家长", s.table6.parents, false)],
  );
}

function vetoSheet(ctx: Ctx): FormSheet {
  const v = ctx.verdict.parts.veto;
  const rows = v.items.map((i, n) => [num(n + 1, COUNT_FORMAT), text(i.code), text(i.label), yesNo(i.occurred, "未申报"), text(i.note ?? "")]);
  return sheet(
    SHEET_NAMES.veto,
    `${ctx.verdict.countyName} 一票否决事项申报`,
    [`结论：${v.status === "pass" ? "无一票否决事项" : PART_STATUS_LABELS[v.status]}。任何一项存在，即评估不达标。`],
    [col("序号", 6), col("代码", 6), col("事项", 44), col("是否存在", 10), col("说明", 50)],
    rows,
  );
}

function borderlineSheet(ctx: Ctx): FormSheet {
  const flags = ctx.verdict.borderline;
  const cmp = { ">=": "≥", "<=": "≤", "<": "<", ">": ">" } as const;
  const rows = flags.map((f, i) => [
    num(i + 1, COUNT_FORMAT),
    text(f.subject),
    text(f.code),
    num(f.value, FULL_PRECISION_FORMAT),
    text(f.displayed),
    text(`${cmp[f.comparison]} ${String(f.threshold)}`),
    text(f.passes ? "达标" : "不达标"),
    text(f.note),
  ]);
  return sheet(
    SHEET_NAMES.borderline,
    `${ctx.verdict.countyName} 临界值（显示值与全精度判定不同的数字）`,
    [
      flags.length === 0
        ? "无临界值：所有数字按申报表位数显示后的判定与全精度判定一致。"
        : "以下数字按申报表位数四舍五入后显示的判定与全精度判定不同；判定以全精度为准，请核对原始数据。",
    ],
    [col("序号", 6), col("对象", 40), col("代码", 8), col("全精度值", 20), col("显示值", 12), col("要求", 12), col("按全精度判定", 12), col("说明", 60)],
    rows,
  );
}
