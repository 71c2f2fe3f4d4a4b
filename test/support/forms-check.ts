/**
 * Checks a 申报表 workbook, as read back by test/support/xlsx-reader.ts (not by exceljs, which
 * wrote it), against the engine's JSON for that county: every unit value, 达标项数 and 结论 of
 * 表Ⅲ, the county means, SDs and 差异系数, every item's status, evidence and numeric figures,
 * every per-school check, 表Ⅵ's counts and rates, the 一票否决 declarations and the borderline
 * flags — and the layout an inspector relies on (frozen header, A4 landscape fitted to width,
 * the forms' number formats).
 */
import { expect } from "vitest";
import type { CountyVerdict, EvaluationResult } from "../../app/domain/evaluation";
import { INDICATOR_CODES, ITEM_STATUS_LABELS } from "../../app/domain/evaluation/codes";
import type { CellValue, ReadSheet, ReadWorkbook } from "./xlsx-reader";

export const EXPECTED_SHEETS = [
  "基本情况",
  "学校名单",
  "表Ⅲ 小学",
  "表Ⅲ 初中",
  "政府保障程度",
  "G3 音乐美术专用教室",
  "G4 学校规模",
  "G5 班额",
  "G6 公用经费核定",
  "G7 特殊教育学校",
  "教育质量",
  "Q4 教师培训经费",
  "Q9 质量监测",
  "表Ⅵ 社会认可度",
  "一票否决",
  "临界值",
];

const colLetter = (c: number): string =>
  c <= 26 ? String.fromCharCode(64 + c) : `${colLetter(Math.floor((c - 1) / 26))}${String.fromCharCode(65 + ((c - 1) % 26))}`;

/** 1-based row number of the header: the first row whose first cell is "序号" (or "项目"/"调查对象"). */
export function headerRow(sheet: ReadSheet): number {
  const i = sheet.rows.findIndex((r, n) => n > 0 && (r[1] === "序号" || r[1] === "项目" || r[1] === "调查对象"));
  if (i < 0) throw new Error(`no header row in ${sheet.name}`);
  return i;
}

/** Column (1-based) whose header starts with `title`. */
export function column(sheet: ReadSheet, title: string): number {
  const h = sheet.rows[headerRow(sheet)] ?? [];
  const i = h.findIndex((v) => typeof v === "string" && v.startsWith(title));
  if (i < 0) throw new Error(`no column ${title} in ${sheet.name}: ${h.join(" | ")}`);
  return i;
}

function body(sheet: ReadSheet): { n: number; row: CellValue[] }[] {
  const h = headerRow(sheet);
  return sheet.rows.map((row, n) => ({ n, row })).filter((r) => r.n > h);
}

function rowWhere(sheet: ReadSheet, col: number, value: CellValue): { n: number; row: CellValue[] } {
  const found = body(sheet).find((r) => r.row[col] === value);
  if (!found) throw new Error(`no row with ${String(value)} in column ${String(col)} of ${sheet.name}`);
  return found;
}

const fmt = (sheet: ReadSheet, row: number, col: number) => sheet.cells.get(`${colLetter(col)}${String(row)}`)?.numFmt;

/** Same number to the last bit (the reader parses the written decimal), or both empty. */
function same(cell: CellValue | undefined, expected: number | null | undefined): void {
  const actual = cell ?? null;
  if (expected === null || expected === undefined)
    expect(actual === null || typeof actual === "string", `expected an empty or text cell, got ${String(actual)}`).toBe(true);
  else expect(actual).toBe(expected);
}

function checkLayout(sheet: ReadSheet): void {
  const h = headerRow(sheet);
  expect(sheet.frozen, `${sheet.name} frozen header`).toEqual({ xSplit: 0, ySplit: h });
  expect(sheet.pageSetup.paperSize).toBe("9");
  expect(sheet.pageSetup.orientation).toBe("landscape");
  expect(sheet.pageSetup.fitToWidth).toBe("1");
  expect(sheet.pageSetup.fitToHeight).toBe("0");
  expect(sheet.fitToPage).toBe(true);
  expect(sheet.printTitles).toContain(`$${String(h)}:$${String(h)}`);
  for (const [c, w] of sheet.columnWidths) expect(w, `${sheet.name} column ${String(c)} width`).toBeGreaterThanOrEqual(6);
}

/** Checks every figure of `verdict` in the workbook. */
export function expectWorkbookMatches(wb: ReadWorkbook, verdict: CountyVerdict, result: Pick<EvaluationResult, "settings" | "input">): void {
  expect(wb.sheetNames).toEqual(EXPECTED_SHEETS);
  for (const name of wb.sheetNames) checkLayout(wb.sheet(name));
  const d = result.settings.display;
  const meanFmt = `0.${"0".repeat(d.meanDecimals)}`;
  const cvFmt = `0.${"0".repeat(d.cvDecimals)}`;
  const pctFmt = `0.${"0".repeat(d.percentDecimals)}%`;

  // 基本情况
  const basic = wb.sheet("基本情况");
  const county = result.input.counties.find((c) => c.id === verdict.countyId);
  const schools = result.input.schools.filter((s) => s.countyId === verdict.countyId);
  const value = (label: string) => rowWhere(basic, 1, label).row[2];
  expect(value("县（区）代码")).toBe(verdict.countyId);
  expect(value("县（区）名称")).toBe(verdict.countyName);
  same(value("常住人口"), county?.residentPopulation ?? null);
  expect(value("义务教育学校数（含教学点）")).toBe(schools.length);
  expect(value("在校生数：小学")).toBe(schools.reduce((n, s) => n + s.students.primary, 0));
  expect(value("在校生数：初中")).toBe(schools.reduce((n, s) => n + s.students.junior, 0));
  expect(value("班级数：合计")).toBe(schools.reduce((n, s) => n + (s.classes?.length ?? 0), 0));
  expect(value("评估结论")).toBe(verdict.verdictLabel);
  expect(body(wb.sheet("学校名单")).length).toBe(schools.length);

  // 表Ⅲ
  for (const level of ["primary", "junior"] as const) {
    const sheet = wb.sheet(level === "primary" ? "表Ⅲ 小学" : "表Ⅲ 初中");
    const units = verdict.parts.resource.units.filter((u) => u.level === level);
    const unitRows = body(sheet).filter((r) => typeof r.row[1] === "number");
    expect(unitRows.map((r) => r.row[2])).toEqual(units.map((u) => u.label));
    const cols = INDICATOR_CODES.map((code) => column(sheet, `${code} `));
    const met = column(sheet, "达标项数");
    const concl = column(sheet, "结论");
    units.forEach((u, i) => {
      const r = unitRows[i];
      if (!r) throw new Error("missing unit row");
      expect(r.row[4]).toBe(u.students);
      INDICATOR_CODES.forEach((code, k) => {
        const c = cols[k] ?? 0;
        same(r.row[c], u.indicators[code]?.value);
        if (u.indicators[code]?.value != null) expect(fmt(sheet, r.n, c)).toBe(meanFmt);
      });
      expect(r.row[met]).toBe(u.indicatorsMet);
      expect(r.row[concl]).toBe(u.status === "pass" ? "达标" : u.status === "fail" ? "未达标" : "缺数据");
    });
    const lv = verdict.parts.resource.levels[level];
    const summary = (label: string) => rowWhere(sheet, 2, label);
    const mean = summary("县均值 X̄（学生加权）");
    const sd = summary("标准差 S");
    const cv = summary("差异系数 CV");
    const limit = summary("差异系数限值（≤）");
    INDICATOR_CODES.forEach((code, k) => {
      const c = cols[k] ?? 0;
      const x = lv.cvs[code];
      same(mean.row[c], x?.mean);
      same(sd.row[c], x?.sd);
      same(cv.row[c], x?.cv);
      same(limit.row[c], x?.limit);
      if (x?.mean != null) expect(fmt(sheet, mean.n, c)).toBe(meanFmt);
      if (x?.cv != null) expect(fmt(sheet, cv.n, c)).toBe(cvFmt);
    });
    same(summary("综合差异系数（7项平均，仅供参考）").row[cols[0] ?? 0], lv.compositeCv);
  }

  // 政府保障程度, 教育质量
  for (const [name, part] of [
    ["政府保障程度", verdict.parts.guarantee],
    ["教育质量", verdict.parts.quality],
  ] as const) {
    const sheet = wb.sheet(name);
    const codeCol = column(sheet, "代码");
    const valueCol = column(sheet, "数值");
    const statusCol = column(sheet, "结论");
    const evidenceCol = column(sheet, "佐证材料");
    const rows = body(sheet);
    expect(rows.filter((r) => typeof r.row[codeCol] === "string").map((r) => r.row[codeCol])).toEqual(part.items.map((i) => i.code));
    for (const item of part.items) {
      const start = rows.findIndex((r) => r.row[codeCol] === item.code);
      const first = rows[start];
      if (!first) throw new Error(`no row for ${item.code}`);
      expect(first.row[statusCol], item.code).toBe(ITEM_STATUS_LABELS[item.status]);
      expect(first.row[evidenceCol]).toBe(item.evidence);
      let end = rows.findIndex((r, i) => i > start && typeof r.row[codeCol] === "string");
      if (end < 0) end = rows.length;
      const block = rows.slice(start, end);
      const numbers = block.map((r) => r.row[valueCol]).filter((v): v is number => typeof v === "number");
      for (const [key, v] of Object.entries(item.figures)) {
        if (typeof v !== "number" || ["required", "schoolsChecked", "schoolsFailing"].includes(key)) continue;
        expect(numbers, `${item.code}.${key}`).toContain(v);
        if (/rate|share/i.test(key)) {
          const r = block.find((b) => b.row[valueCol] === v);
          expect(r && fmt(sheet, r.n, valueCol)).toBe(pctFmt);
        }
      }
      if (item.schools.length > 0) expect(numbers).toContain(item.schools.length);
      // …and every number of the item's rows is one of its figures or its school counts.
      const known = [...Object.values(item.figures), item.schools.length, item.schools.filter((x) => x.status === "fail").length];
      for (const n of numbers) expect(known, `${item.code} shows ${String(n)}`).toContain(n);
    }
  }

  // Per-school checks
  const perSchool: [string, string, CountyVerdict["parts"]["guarantee"]][] = [
    ["G3", "G3 音乐美术专用教室", verdict.parts.guarantee],
    ["G4", "G4 学校规模", verdict.parts.guarantee],
    ["G5", "G5 班额", verdict.parts.guarantee],
    ["G6", "G6 公用经费核定", verdict.parts.guarantee],
    ["G7", "G7 特殊教育学校", verdict.parts.guarantee],
    ["Q4", "Q4 教师培训经费", verdict.parts.quality],
  ];
  for (const [code, name, part] of perSchool) {
    const sheet = wb.sheet(name);
    const item = part.items.find((i) => i.code === code);
    const rows = body(sheet);
    expect(rows.length, name).toBe(item?.schools.length ?? 0);
    const statusCol = column(sheet, "结论");
    item?.schools.forEach((check, i) => {
      const r = rows[i];
      if (!r) throw new Error("missing school row");
      expect(r.row[2]).toBe(check.schoolName);
      expect(r.row[statusCol]).toBe(ITEM_STATUS_LABELS[check.status]);
      for (const [key, v] of Object.entries(check.figures)) if (typeof v === "number") expect(r.row, `${code} ${check.schoolName} ${key}`).toContain(v);
    });
  }
  const q9 = wb.sheet("Q9 质量监测");
  const subjects = result.input.countyItems.find((c) => c.countyId === verdict.countyId)?.quality?.Q9?.subjects ?? [];
  const q9Rows = body(q9);
  expect(q9Rows.length).toBe(subjects.length);
  subjects.forEach((s, i) => {
    expect(q9Rows[i]?.row[3]).toBe(s.subject);
    expect(q9Rows[i]?.row[5]).toBe(s.level);
    expect(q9Rows[i]?.row[6]).toBe(s.differenceRate);
  });

  // 表Ⅵ
  const t6 = wb.sheet("表Ⅵ 社会认可度");
  expect((t6.rows[headerRow(t6)] ?? []).slice(1, 6)).toEqual(["调查对象", "问卷总数", "有效问卷数", "满意问卷数", "综合满意度（%）"]);
  for (const [label, r] of [
    ["全体", verdict.parts.satisfaction.table6.all],
    ["其中：家长", verdict.parts.satisfaction.table6.parents],
  ] as const) {
    const row = rowWhere(t6, 1, label);
    expect(row.row.slice(2, 5)).toEqual([r.total, r.valid, r.satisfied]);
    same(row.row[5], r.ratePercent);
    if (r.ratePercent !== null) expect(fmt(t6, row.n, 5)).toBe(`0.${"0".repeat(d.percentDecimals)}`);
  }

  // 一票否决
  const veto = wb.sheet("一票否决");
  for (const v of verdict.parts.veto.items) {
    const row = rowWhere(veto, 2, v.code);
    expect(row.row[4]).toBe(v.occurred === true ? "是" : v.occurred === false ? "否" : "未申报");
    expect(row.row[5]).toBe(v.note);
  }

  // 临界值
  const flags = body(wb.sheet("临界值"));
  expect(flags.length).toBe(verdict.borderline.length);
  verdict.borderline.forEach((f, i) => {
    expect(flags[i]?.row[2]).toBe(f.subject);
    expect(flags[i]?.row[4]).toBe(f.value);
    expect(flags[i]?.row[5]).toBe(f.displayed);
  });
}
