/**
 * The Excel template (评估数据填报模板): one sheet per table with Chinese headers carrying their
 * units, a note on each header, drop-down lists for coded columns, and a 填表说明 sheet. Given an
 * input, the same workbook is filled with it (e.g. the 中卫市 demo), so export → import is a
 * round trip.
 */
import type ExcelJS from "exceljs";
import { loadExcel } from "../excel";
import { RATING_LABELS } from "../../domain/evaluation/codes";
import type { EvaluationInput } from "../../domain/evaluation/input";
import { safeCellValue } from "../../domain/spreadsheet-safety";
import { SCALE_CHOICES } from "../../domain/survey-scale";
import { LOCATION_LABELS, QUESTIONNAIRE_LABELS, RESPONDENT_GROUP_LABELS, SCHOOL_TYPE_LABELS } from "../../domain/vocabulary";
import {
  AREAS_SHEET,
  CLASSES_SHEET,
  COUNTIES_SHEET,
  COUNTY_FIELDS,
  COUNTY_ITEMS_SHEET,
  EQUIPMENT_SHEET,
  LEVEL_VALUES,
  MONITORING_SHEET,
  QUESTIONNAIRES_SHEET,
  README_SHEET_NAME,
  ROOMS_SHEET,
  ROOM_KIND_VALUES,
  SCHOOLS_SHEET,
  SHEETS,
  SPECIAL_SCHOOLS_SHEET,
  TEACHERS_SHEET,
  type CellType,
  type SheetSpec,
} from "./sheets";

type Row = (string | number | null)[];

const yesNo = (v: boolean | null | undefined) => (v === true ? "是" : v === false ? "否" : null);
const pct = (share: number) => Number((share * 100).toPrecision(12));
const scoreLabel = (s: number | null) => (s === null ? "不了解" : (SCALE_CHOICES[5 - s] ?? String(s)));

function listFor(type: CellType): string[] | null {
  switch (type.kind) {
    case "enum":
      return Object.values(type.values);
    case "bool":
      return ["是", "否"];
    case "rating":
      return Object.values(RATING_LABELS);
    case "score":
      return [...SCALE_CHOICES];
    default:
      return null;
  }
}

function addSheet(wb: ExcelJS.Workbook, spec: SheetSpec, rows: Row[], extraHeaders: string[] = []): void {
  const ws = wb.addWorksheet(spec.name, { views: [{ state: "frozen", ySplit: 1 }] });
  const headers = [...spec.columns.map((c) => c.header), ...extraHeaders];
  ws.addRow(headers);
  const head = ws.getRow(1);
  head.font = { bold: true };
  head.alignment = { wrapText: true, vertical: "middle" };
  head.height = 36;
  spec.columns.forEach((c, i) => {
    const cell = head.getCell(i + 1);
    cell.fill = { type: "pattern", pattern: "solid", fgColor: { argb: c.required ? "FFFCE4D6" : "FFDDEBF7" } };
    const note = [c.required ? "必填" : "选填", c.note].filter((x) => x !== "").join("。");
    cell.note = note;
    ws.getColumn(i + 1).width = Math.max(12, Math.min(40, c.header.length * 2 + 4));
    // Codes such as 学校标识码 keep their leading zeros when typed in.
    if (c.type.kind === "text") ws.getColumn(i + 1).numFmt = "@";
    const list = listFor(c.type);
    if (list) {
      const col = ws.getColumn(i + 1).letter;
      // @ts-expect-error exceljs 4.4 has Worksheet.dataValidations at run time but not in its typings.
      ws.dataValidations.add(`${col}2:${col}5000`, {
        type: "list",
        allowBlank: true,
        formulae: [`"${list.join(",")}"`],
        showErrorMessage: true,
        errorTitle: "取值不在列表中",
        error: `请选择：${list.join("/")}`,
      });
    }
  });
  for (const r of rows) ws.addRow(r.map(safeCellValue));
}

/** The template, empty or filled with `input`. Returns the .xlsx bytes. */
export async function buildWorkbook(input?: EvaluationInput): Promise<Uint8Array> {
  const wb = new (await loadExcel()).Workbook();
  wb.creator = "县域义务教育优质均衡发展评估平台";
  wb.title = input?.title ?? "县域义务教育优质均衡发展督导评估 — 评估数据填报模板";

  const readme = wb.addWorksheet(README_SHEET_NAME);
  readme.columns = [{ width: 18 }, { width: 34 }, { width: 12 }, { width: 70 }];
  readme.addRow(["县域义务教育优质均衡发展督导评估 — 评估数据填报模板"]).font = { bold: true, size: 14 };
  if (input?.note) readme.addRow([input.note]).font = { bold: true, color: { argb: "FFC00000" } };
  readme.addRow([
    "每个工作表第1行为表头（勿改动）；数据从第2行起。留空表示未填报，该项显示为“未评估”，不会判为不达标。面积单位 m²，金额单位见表头（万元或元）。",
  ]);
  readme.addRow([]);
  readme.addRow(["工作表", "列", "必填", "说明"]).font = { bold: true };
  for (const s of SHEETS) {
    readme.addRow([s.name, "", "", s.description]).font = { bold: true };
    for (const c of s.columns) readme.addRow(["", c.header, c.required ? "是" : "否", c.note]);
  }
  readme.addRow([]);
  readme.addRow(["「县级指标」数据项", "", "", "指标代码 + 数据项代码（勿修改）；填报值按“单位或取值”填写"]).font = { bold: true };
  for (const f of COUNTY_FIELDS) readme.addRow([`${f.item} ${f.field}`, f.label, f.unit, ""]);

  const i = input;
  addSheet(
    wb,
    COUNTIES_SHEET,
    (i?.counties ?? []).map((c) => [
      c.id,
      c.name,
      c.residentPopulation,
      c.locationShare ? pct(c.locationShare.urban) : null,
      c.locationShare ? pct(c.locationShare.town) : null,
      c.locationShare ? pct(c.locationShare.rural) : null,
    ]),
  );
  addSheet(
    wb,
    SCHOOLS_SHEET,
    (i?.schools ?? []).map((s) => [
      s.id,
      s.name,
      s.countyId,
      SCHOOL_TYPE_LABELS[s.type],
      LOCATION_LABELS[s.location],
      s.students.primary,
      s.students.junior,
      s.students.senior,
      s.publicFunds?.fundedStudents ?? null,
      s.publicFunds?.annualBudgetWanYuan ?? null,
      s.publicFunds?.teacherTrainingWanYuan ?? null,
    ]),
  );
  addSheet(
    wb,
    TEACHERS_SHEET,
    (i?.schools ?? []).flatMap((s) =>
      (["primary", "junior"] as const).flatMap((level) => {
        const t = s.sections[level];
        return t ? [[s.id, LEVEL_VALUES[level], t.fullTimeTeachers, t.aboveRequiredDegree, t.keyTeachers, t.peTeachers, t.musicTeachers, t.artTeachers]] : [];
      }),
    ),
  );
  addSheet(
    wb,
    AREAS_SHEET,
    (i?.schools ?? []).flatMap((s) =>
      s.facilities
        ? [[s.id, s.facilities.teachingAuxiliaryAreaM2, s.facilities.indoorSportsAreaM2, s.facilities.sportsGroundAreaM2, s.facilities.sportsHallAreaM2]]
        : [],
    ),
  );
  addSheet(
    wb,
    EQUIPMENT_SHEET,
    (i?.schools ?? []).flatMap((s) => (s.facilities ? [[s.id, s.facilities.equipmentValueWanYuan, s.facilities.multimediaClassrooms]] : [])),
  );
  addSheet(
    wb,
    ROOMS_SHEET,
    (i?.schools ?? []).flatMap((s) => (s.specialRooms ?? []).map((r) => [s.id, ROOM_KIND_VALUES[r.kind], r.name ?? null, r.areaM2])),
  );
  addSheet(
    wb,
    CLASSES_SHEET,
    (i?.schools ?? []).flatMap((s) => (s.classes ?? []).map((c) => [s.id, c.grade, c.name ?? null, c.students])),
  );

  const countyRows: Row[] = [];
  const countiesForItems = i ? i.counties.map((c) => c.id) : [""];
  for (const countyId of countiesForItems) {
    const ci = i?.countyItems.find((c) => c.countyId === countyId);
    const seen = new Set<string>();
    for (const f of COUNTY_FIELDS) {
      const value = f.type === "note" ? null : countyFieldValue(ci, f.item, f.field);
      const evidence = seen.has(f.item) ? null : countyEvidence(ci, f.item);
      seen.add(f.item);
      countyRows.push([countyId === "" ? null : countyId, f.item, f.field, f.label, f.unit, value, evidence]);
    }
  }
  addSheet(wb, COUNTY_ITEMS_SHEET, countyRows);
  addSheet(
    wb,
    SPECIAL_SCHOOLS_SHEET,
    (i?.countyItems ?? []).flatMap((c) => (c.guarantee?.G7?.specialSchools ?? []).map((s) => [c.countyId, s.name, s.students, s.perStudentPublicFundsYuan])),
  );
  addSheet(
    wb,
    MONITORING_SHEET,
    (i?.countyItems ?? []).flatMap((c) => (c.quality?.Q9?.subjects ?? []).map((s) => [c.countyId, s.grade ?? null, s.subject, s.level, s.differenceRate])),
  );

  const records = i?.satisfaction?.source === "records" ? i.satisfaction.records : [];
  const itemIds = [...new Set(records.flatMap((r) => Object.keys(r.itemScores)))];
  addSheet(
    wb,
    QUESTIONNAIRES_SHEET,
    records.map((r) => [
      QUESTIONNAIRE_LABELS[r.questionnaire],
      r.countyId,
      r.schoolId,
      RESPONDENT_GROUP_LABELS[r.group],
      r.grade,
      r.location ? LOCATION_LABELS[r.location] : null,
      r.overallScore === null ? "不了解" : scoreLabel(r.overallScore),
      r.valid ? "是" : "否",
      ...itemIds.map((id) => {
        const s = r.itemScores[id];
        return s === undefined ? null : scoreLabel(s);
      }),
    ]),
    itemIds,
  );
  const buffer = await wb.xlsx.writeBuffer();
  return new Uint8Array(buffer);
}

type CountyItems = EvaluationInput["countyItems"][number];

/** The sheet value of a county data item: numbers as is, booleans 是/否, ratings in Chinese. */
function countyFieldValue(ci: CountyItems | undefined, item: string, field: string): string | number | null {
  if (!ci) return null;
  const g = ci.guarantee ?? {};
  const q = ci.quality ?? {};
  const v = ci.veto ?? {};
  const pick = (obj: object | undefined, key: string): unknown => (obj === undefined ? undefined : Object.entries(obj).find(([k]) => k === key)?.[1]);
  if (item === "G7" && field === "hasSpecialSchool") {
    const list = g.G7?.specialSchools;
    return list === undefined || list === null ? null : list.length > 0 ? "是" : "否";
  }
  const container = pick(item.startsWith("G") ? g : item.startsWith("Q") ? q : v, item);
  const raw = typeof container === "object" && container !== null ? pick(container, field) : undefined;
  if (typeof raw === "number") return raw;
  if (typeof raw === "boolean") return yesNo(raw);
  if (typeof raw === "string") {
    const rating = Object.entries(RATING_LABELS).find(([k]) => k === raw);
    return rating ? rating[1] : raw;
  }
  return null;
}

function countyEvidence(ci: CountyItems | undefined, item: string): string | null {
  if (!ci) return null;
  const all: Record<string, unknown> = { ...ci.guarantee, ...ci.quality, ...ci.veto };
  const container = all[item];
  if (typeof container !== "object" || container === null) return null;
  const e = Object.entries(container).find(([k]) => k === "evidence" || k === "note")?.[1];
  return typeof e === "string" && e !== "" ? e : null;
}
