/**
 * The console's files: the 申报表 表Ⅵ workbook (社会认可度 per county), a 表Ⅲ-style workbook of
 * the 差异系数 (资源配置) per county, and — for the city role only, since small cells are
 * identifiable in them — every raw response as CSV or XLSX, streamed in id order. Every text
 * cell is neutralised against formula injection (app/domain/spreadsheet-safety.ts); figures
 * are written as numbers rounded to the 申报表's decimals, as the pages show them, except a
 * borderline figure, which keeps the digits that decide and a note saying so.
 */
import { PassThrough, Readable } from "node:stream";
import type ExcelJS from "exceljs";
import { loadExcel } from "../excel";
import { listCampaignCounties, listSchools, type Campaign, type County } from "../../../db/repositories/campaigns";
import { exportPage } from "../../../db/repositories/console-responses";
import { INDICATOR_CODES, INDICATOR_LABELS, INDICATOR_UNITS } from "../../domain/evaluation/codes";
import { INTEGRITY_FLAG_LABELS, INTEGRITY_FLAGS } from "../../domain/integrity";
import { CONTENT_AREAS } from "../../domain/questionnaire-scoring";
import { describeRule } from "../../domain/satisfaction-rule";
import { itemLabel, satisfactionView } from "../../domain/satisfaction-view";
import { csvLine, neutralizeCell } from "../../domain/spreadsheet-safety";
import { MARGIN_MIN_N, uncertaintyText } from "../../domain/uncertainty";
import {
  LEVEL_LABELS,
  LOCATION_LABELS,
  LOCATIONS,
  QUESTIONNAIRE_IDS,
  QUESTIONNAIRE_LABELS,
  RESPONDENT_GROUP_LABELS,
  RESPONDENT_GROUPS,
} from "../../domain/vocabulary";
import type { Services } from "../context";
import { countyEvaluation, countyReadiness } from "./evaluation-data";
import { countyForms } from "../../domain/evaluation-forms";
import { A4, writeFormsWorkbook } from "../evaluation-export";
import { formatFixed, shownFigure, type Comparison } from "../../domain/evaluation/display";
import { countyCounts, SETTINGS } from "./satisfaction";
import { campaignRule } from "./tallies";

// The 申报表's decimals (percent 2, means 2, 差异系数 3), as the pages show them.
const { percentDecimals: PERCENT_DECIMALS, meanDecimals: MEAN_DECIMALS, cvDecimals: CV_DECIMALS } = SETTINGS.display;

const HEADER_FILL: ExcelJS.Fill = { type: "pattern", pattern: "solid", fgColor: { argb: "FFEEF1F5" } };

function styleHeader(row: ExcelJS.Row): void {
  row.font = { bold: true };
  row.eachCell((c) => {
    c.fill = HEADER_FILL;
    c.border = { bottom: { style: "thin", color: { argb: "FF999999" } } };
  });
}

/** Text safe for a cell; numbers pass through. */
function cell(v: string | number | null | undefined): string | number | null {
  if (v === null || v === undefined) return null;
  return typeof v === "number" ? v : neutralizeCell(v);
}

function addRow(ws: ExcelJS.Worksheet, values: ReadonlyArray<string | number | null | undefined>): ExcelJS.Row {
  return ws.addRow(values.map(cell));
}

/**
 * Writes a figure as the page shows it (issue 20 item 4): rounded to `decimals`, so a copied cell
 * holds the printed value, except where that rounding would cross one of `lines` — then with the
 * digits that decide, a cell note saying why. Returns whether it needed them.
 */
function figure(c: ExcelJS.Cell, value: number | null, decimals: number, lines: ReadonlyArray<{ comparison: Comparison; threshold: number }> = []): boolean {
  if (value === null) return false;
  const shown = shownFigure(value, decimals, lines);
  c.value = shown.value;
  c.numFmt = `0.${"0".repeat(shown.decimals)}`;
  if (shown.borderline) c.note = `临界值：保留${String(decimals)}位小数会显示为 ${formatFixed(value, decimals)}，与按全精度判定的结论相反，故多保留小数位。`;
  return shown.borderline;
}

const BORDERLINE_NOTE = "带批注的数值为临界值：按常规位数四舍五入会与全精度判定的结论相反，故多保留了小数位；其余数值按显示位数四舍五入。";

const beijing = (ms: number) => new Date(ms + 8 * 3600_000).toISOString().replace("T", " ").slice(0, 19);

/**
 * Printed straight into the report: A4, one page wide, and the header row (when the sheet has one)
 * repeated on every page (issue 20 item 4).
 */
function printOnA4(ws: ExcelJS.Worksheet, orientation: "portrait" | "landscape", headerRow: number | null): void {
  ws.pageSetup = { ...ws.pageSetup, paperSize: A4, orientation, fitToPage: true, fitToWidth: 1, fitToHeight: 0, horizontalCentered: true };
  if (headerRow !== null) ws.pageSetup.printTitlesRow = `${String(headerRow)}:${String(headerRow)}`;
}

/** 表Ⅵ and its breakdowns for one county (suppressed like the dashboard). */
export async function table6Workbook(services: Pick<Services, "db" | "now">, campaign: Campaign, county: County): Promise<Uint8Array> {
  const c = await countyCounts(services, campaign, county);
  const view = satisfactionView({
    result: c.result,
    cells: c.cells,
    items: c.items,
    itemSatisfiedScores: SETTINGS.satisfaction.itemSatisfiedScores,
    z: SETTINGS.satisfaction.z,
    schoolNames: new Map(c.schools.map((s) => [s.id, s.name])),
  });
  const wb = new (await loadExcel()).Workbook();
  wb.creator = "县域义务教育优质均衡发展调查评估平台";
  const ws = wb.addWorksheet("表Ⅵ 社会认可度");
  ws.columns = [{ width: 16 }, { width: 12 }, { width: 12 }, { width: 12 }, { width: 16 }];
  addRow(ws, [`${county.name} 社会认可度（${campaign.name}）`]).font = { bold: true, size: 13 };
  addRow(ws, ["本表为县级自评/模拟测评结果，不是国家督导评估的官方结果。"]).font = { color: { argb: "FFC00000" } };
  addRow(ws, [`判定规则：${describeRule(c.rule)}；导出时间：${beijing(services.now())}（北京时间）`]);
  addRow(ws, []);
  styleHeader(addRow(ws, ["调查对象", "问卷总数", "有效问卷数", "满意问卷数", "综合满意度（%）"]));
  printOnA4(ws, "portrait", ws.rowCount);
  const line85 = [{ comparison: ">=" as const, threshold: SETTINGS.satisfaction.threshold * 100 }];
  let borderline = false;
  for (const [label, row] of [
    ["全体", view.table6.all],
    ["其中：家长", view.table6.parents],
  ] as const) {
    const r = addRow(ws, [label, row.total, row.valid, row.satisfied, null]);
    borderline = figure(r.getCell(5), row.ratePercent, PERCENT_DECIMALS, line85) || borderline;
  }
  addRow(ws, []);
  if (borderline) addRow(ws, [BORDERLINE_NOTE]);
  addRow(ws, [
    `样本量：有效问卷 ${String(view.overall.n)} 份，计划 ${view.sample.required === null ? "—" : String(view.sample.required)} 份（常住人口1.5‰）${view.sample.insufficient ? "，样本不足" : ""}`,
  ]);
  if (view.overall.marginOfError !== null) addRow(ws, [`误差范围（95%置信水平）：±${(view.overall.marginOfError * 100).toFixed(2)} 个百分点`]);

  const breakdownSheet = (name: string, head: string, rows: typeof view.byGroup) => {
    const s = wb.addWorksheet(name);
    s.columns = [{ width: 34 }, { width: 12 }, { width: 12 }, { width: 14 }, { width: 14 }];
    styleHeader(addRow(s, [head, "有效问卷数", "满意问卷数", "满意度（%）", "误差范围（95%）"]));
    printOnA4(s, "portrait", 1);
    let borderline = false;
    for (const r of rows) {
      const row = addRow(s, [
        r.label,
        r.suppressed === "primary" ? "<5" : r.suppressed ? "已隐藏" : r.n,
        r.suppressed ? "已隐藏" : r.satisfied,
        r.rate === null && r.suppressed ? "已隐藏" : null,
        r.suppressed ? null : uncertaintyText(r),
      ]);
      if (r.rate !== null) borderline = figure(row.getCell(4), r.rate * 100, PERCENT_DECIMALS, line85) || borderline;
    }
    addRow(s, []);
    if (borderline) addRow(s, [BORDERLINE_NOTE]);
    addRow(s, [
      `误差范围：${String(MARGIN_MIN_N)} 份及以上为95%置信水平的正态近似（±百分点）；不足 ${String(MARGIN_MIN_N)} 份或满意度为0%、100%时为95% Wilson 区间，与平台页面一致。`,
    ]);
    addRow(s, ["不足5份问卷的单元，以及可借以推算它们的单元（含全部满意或全部不满意时可推知每个人答案的情形），已隐藏，其问卷数和满意数均不显示。"]);
  };
  breakdownSheet("按调查对象", "调查对象", view.byGroup);
  breakdownSheet("按学校", "学校", view.bySchool);
  const items = wb.addWorksheet("各题满意度");
  items.columns = [{ width: 34 }, { width: 10 }, { width: 10 }, { width: 16 }, { width: 14 }];
  styleHeader(addRow(items, ["题目（从低到高）", "作答数", "不了解", "满意+比较满意（%）", "平均得分率"]));
  printOnA4(items, "portrait", 1);
  let itemsBorderline = false;
  for (const r of [...view.items, ...(view.overallItem ? [view.overallItem] : [])]) {
    const hidden = r.suppressed === "primary" ? "<5" : r.suppressed ? "已隐藏" : null;
    const row = addRow(items, [r.label, hidden ?? r.answered, hidden ? null : r.unknown, r.rate === null ? hidden : null, null]);
    if (r.rate !== null) itemsBorderline = figure(row.getCell(4), r.rate * 100, PERCENT_DECIMALS, line85) || itemsBorderline;
    if (!hidden) figure(row.getCell(5), r.meanPercent, 1);
  }
  if (itemsBorderline) {
    addRow(items, []);
    addRow(items, [BORDERLINE_NOTE]);
  }
  return new Uint8Array(await wb.xlsx.writeBuffer());
}

/** 表Ⅲ-style: each indicator's county mean, SD and 差异系数 per level, with the units' values. Null without data. */
export async function cvWorkbook(services: Pick<Services, "db" | "now">, campaign: Campaign, county: County): Promise<Uint8Array | null> {
  const r = await countyReadiness(services, campaign, county);
  if (!r.dataFile || !r.verdict) return null;
  const res = r.verdict.parts.resource;
  const wb = new (await loadExcel()).Workbook();
  wb.creator = "县域义务教育优质均衡发展调查评估平台";
  const ws = wb.addWorksheet("表Ⅲ 差异系数");
  ws.columns = [{ width: 8 }, { width: 44 }, { width: 10 }, { width: 12 }, { width: 12 }, { width: 12 }, { width: 10 }, { width: 10 }];
  // Two levels, each with its own header row: none repeated.
  printOnA4(ws, "landscape", null);
  let cvBorderline = false;
  addRow(ws, [`${county.name} 义务教育学校资源配置差异系数（${campaign.name}）`]).font = { bold: true, size: 13 };
  addRow(ws, [`数据：${r.dataFile.fileName}；学生加权、总体标准差；差异系数保留3位小数，均值保留2位小数。`]);
  addRow(ws, []);
  for (const level of ["primary", "junior"] as const) {
    const lv = res.levels[level];
    if (lv.unitCount === 0) continue;
    addRow(ws, [`${LEVEL_LABELS[level]}（${String(lv.unitCount)} 个评估单位，${String(lv.students)} 名学生）`]).font = { bold: true };
    styleHeader(addRow(ws, ["代码", "指标", "单位", "县均值", "标准差", "差异系数", "限值", "是否达标"]));
    for (const code of INDICATOR_CODES) {
      const c = lv.cvs[code];
      const row = addRow(ws, [
        code,
        INDICATOR_LABELS[code],
        INDICATOR_UNITS[code],
        null,
        null,
        null,
        c.limit,
        c.withinLimit === null ? "—" : c.withinLimit ? "是" : "否",
      ]);
      figure(row.getCell(4), c.mean, MEAN_DECIMALS);
      figure(row.getCell(5), c.sd, MEAN_DECIMALS);
      cvBorderline = figure(row.getCell(6), c.cv, CV_DECIMALS, [{ comparison: "<=", threshold: c.limit }]) || cvBorderline;
      row.getCell(7).numFmt = "0.00";
    }
    const comp = addRow(ws, ["", "综合（7项差异系数的算术平均，仅供参考）", "", null, null, null, null, ""]);
    figure(comp.getCell(6), lv.compositeCv, CV_DECIMALS);
    addRow(ws, []);
  }
  if (cvBorderline) addRow(ws, [BORDERLINE_NOTE]);
  const units = wb.addWorksheet("评估单位");
  units.columns = [{ width: 36 }, { width: 8 }, { width: 10 }, ...INDICATOR_CODES.map(() => ({ width: 11 })), { width: 10 }, { width: 10 }];
  styleHeader(addRow(units, ["评估单位", "学段", "学生数", ...INDICATOR_CODES, "达标项数", "结论"]));
  printOnA4(units, "landscape", 1);
  let unitsBorderline = false;
  for (const u of res.units) {
    const row = addRow(units, [
      u.label,
      LEVEL_LABELS[u.level],
      u.students,
      ...INDICATOR_CODES.map(() => null),
      u.indicatorsMet,
      u.status === "pass" ? "达标" : u.status === "fail" ? "未达标" : "缺数据",
    ]);
    INDICATOR_CODES.forEach((code, i) => {
      const c = u.indicators[code];
      unitsBorderline =
        figure(row.getCell(4 + i), c.value, MEAN_DECIMALS, [
          { comparison: ">=", threshold: c.standard },
          { comparison: ">=", threshold: c.floor },
        ]) || unitsBorderline;
    });
  }
  if (unitsBorderline) {
    addRow(units, []);
    addRow(units, [BORDERLINE_NOTE]);
  }
  return new Uint8Array(await wb.xlsx.writeBuffer());
}

/**
 * The national 申报表 of one county (app/domain/evaluation-forms): 基本情况, 表Ⅲ, the 政府保障程度
 * and 教育质量 items with per-school checks, 表Ⅵ, 一票否决 and 临界值, from the campaign's
 * evaluation data and its 社会认可度 counts. Null without evaluation data.
 */
export async function formsWorkbook(
  services: Pick<Services, "db" | "now">,
  campaign: Campaign,
  county: County,
): Promise<{ bytes: Uint8Array; fileName: string } | null> {
  const { result, dataFile } = await countyEvaluation(services, campaign, county);
  if (!dataFile || !result.counties.some((c) => c.countyId === county.id)) return null;
  const forms = countyForms(result, county.id);
  return { bytes: await writeFormsWorkbook(forms), fileName: `${county.name}-申报表-${campaign.id}.xlsx` };
}

/** Column layout of the raw export: fixed columns, then every scored item, then the comment. */
function rawColumns(): { headers: string[]; items: string[] } {
  const items = Object.keys(CONTENT_AREAS);
  return {
    headers: [
      "问卷编号",
      "县（区）",
      "学校",
      "学校标识码",
      "问卷",
      "版本",
      "调查对象",
      "年级",
      "城乡",
      "提交时间（北京时间）",
      "用时（秒）",
      "数据质量标记",
      "是否有效",
      "无效原因",
      "是否满意问卷",
      ...items.map(itemLabel),
      "意见建议",
    ],
    items,
  };
}

const PAGE = 2000;

async function* rawRows(services: Pick<Services, "db">, campaign: Campaign, countyId: string | null): AsyncGenerator<Array<string | number | null>> {
  const counties = await listCampaignCounties(services.db, campaign.id);
  const countyName = new Map(counties.map((c) => [c.id, c.name]));
  const schools = new Map((await Promise.all(counties.map((c) => listSchools(services.db, c.id)))).flat().map((s) => [s.id, s.name]));
  const { items } = rawColumns();
  // 是否满意问卷: the campaign's rule, as in every figure (validity is its own column).
  const rule = campaignRule(campaign);
  const label = <T extends string>(list: readonly T[], labels: Record<T, string>, v: string | null) => {
    const k = list.find((x) => x === v);
    return k ? labels[k] : (v ?? "");
  };
  let after = 0;
  for (;;) {
    const page = await exportPage(services.db, { campaignId: campaign.id, countyId, afterId: after, limit: PAGE, rule });
    for (const r of page) {
      let answers: Record<string, unknown> = {};
      try {
        const parsed: unknown = JSON.parse(r.answers);
        if (typeof parsed === "object" && parsed !== null) answers = Object.fromEntries(Object.entries(parsed));
      } catch {
        answers = {};
      }
      const text = (v: unknown) => (v === undefined || v === null ? null : typeof v === "number" ? v : String(v));
      yield [
        r.id,
        countyName.get(r.countyId) ?? r.countyId,
        r.schoolId ? (schools.get(r.schoolId) ?? r.schoolId) : "县级链接",
        r.schoolId,
        label(QUESTIONNAIRE_IDS, QUESTIONNAIRE_LABELS, r.questionnaireId),
        r.questionnaireVersion,
        label(RESPONDENT_GROUPS, RESPONDENT_GROUP_LABELS, r.group),
        r.grade,
        r.location ? label(LOCATIONS, LOCATION_LABELS, r.location) : null,
        beijing(r.submittedAt),
        Math.round(r.durationMs / 1000),
        r.flags.map((f) => label(INTEGRITY_FLAGS, INTEGRITY_FLAG_LABELS, f)).join("；"),
        r.invalidatedAt === null ? "是" : "否",
        r.invalidReason,
        r.satisfied ? "是" : "否",
        ...items.map((i) => text(answers[i])),
        text(answers.comment),
      ];
    }
    const last = page.at(-1);
    if (!last || page.length < PAGE) return;
    after = last.id;
  }
}

/** Every raw response as CSV (UTF-8 with BOM, so Excel on a Chinese Windows reads it). */
export function responsesCsv(services: Pick<Services, "db">, campaign: Campaign, countyId: string | null): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const rows = rawRows(services, campaign, countyId);
  let started = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!started) {
        started = true;
        controller.enqueue(encoder.encode(`\uFEFF${csvLine(rawColumns().headers)}`));
        return;
      }
      let chunk = "";
      for (let i = 0; i < 500; i++) {
        const next = await rows.next();
        if (next.done) {
          if (chunk) controller.enqueue(encoder.encode(chunk));
          controller.close();
          return;
        }
        chunk += csvLine(next.value);
      }
      controller.enqueue(encoder.encode(chunk));
    },
    async cancel() {
      await rows.return(undefined);
    },
  });
}

/** Every raw response as an XLSX workbook, written as a stream (constant memory). */
export async function responsesXlsx(services: Pick<Services, "db">, campaign: Campaign, countyId: string | null): Promise<Readable> {
  const out = new PassThrough();
  const wb = new (await loadExcel()).stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: false, useStyles: true });
  // The header stays in view and carries filters (school, group, 是否满意问卷 …) when opened in Excel.
  const headers = rawColumns().headers;
  const ws = wb.addWorksheet("原始答卷", {
    views: [{ state: "frozen", ySplit: 1 }],
    pageSetup: { paperSize: A4, orientation: "landscape", fitToPage: true, fitToWidth: 1, fitToHeight: 0 },
  });
  ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: headers.length } };
  void (async () => {
    try {
      const header = ws.addRow(headers);
      header.font = { bold: true };
      header.commit();
      for await (const values of rawRows(services, campaign, countyId)) ws.addRow(values.map(cell)).commit();
      ws.commit();
      await wb.commit();
    } catch (error) {
      out.destroy(error instanceof Error ? error : new Error(String(error)));
    }
  })();
  return out;
}

export { rawColumns };
