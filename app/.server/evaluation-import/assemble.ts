/**
 * Workbook tables (from .xlsx, CSV or a zip of CSV) → the evaluation input. Every cell is
 * parsed by its column's type; every problem is collected with its sheet, row and column;
 * cross-record rules run on the assembled input and are mapped back to the rows they came
 * from. Nothing is returned unless everything is valid.
 */
import { z } from "zod/v4";
import type { Level } from "../../domain/vocabulary";
import { RESPONDENT_GROUPS } from "../../domain/vocabulary";
import {
  EvaluationInputSchema,
  INPUT_FORMAT,
  type ClassInput,
  type CountyInput,
  type CountyItems,
  type EvaluationInput,
  type Facilities,
  type GuaranteeInput,
  type QualityInput,
  type SchoolInput,
  type SectionStaff,
  type SpecialRoom,
  type VetoInput,
} from "../../domain/evaluation/input";
import type { QuestionnaireRecord } from "../../domain/satisfaction";
import { validateInputSemantics, type Ref } from "../../domain/evaluation/validate-input";
import { isBlankCell, parseCell, type Parsed } from "./cells";
import type { ImportError, ImportResult } from "./errors";
import {
  AREAS_SHEET,
  CLASSES_SHEET,
  COUNTIES_SHEET,
  COUNTY_FIELDS,
  COUNTY_ITEMS_SHEET,
  EQUIPMENT_SHEET,
  MONITORING_SHEET,
  QUESTIONNAIRES_SHEET,
  README_SHEET_NAME,
  ROOMS_SHEET,
  SCHOOLS_SHEET,
  SHEETS,
  SPECIAL_SCHOOLS_SHEET,
  TEACHERS_SHEET,
  normaliseHeader,
  sheetForName,
  type ColumnSpec,
  type SheetSpec,
} from "./sheets";
import { ProblemCell, type Cell, type Table } from "./tables";

const zhCN = z.locales.zhCN();

type Value = string | number | boolean | null;
interface ParsedRow {
  row: number;
  values: Map<string, Value>;
  /** Extra columns (问卷 items): header → cell. */
  extra: Map<string, Cell>;
}

const str = (v: Value | undefined): string | null => (typeof v === "string" ? v : v === null || v === undefined ? null : String(v));
const num = (v: Value | undefined): number | null => (typeof v === "number" ? v : null);
const bool = (v: Value | undefined): boolean | null => (typeof v === "boolean" ? v : null);

/** Values read as a synonym, by sheet, column, typed text and label: the rows where each was. */
type Assumptions = Map<string, { sheet: string; column: string; typed: string; label: string; rows: number[] }>;

/** "「学校」「学校类型」：已将“九年一贯制”视为“九年一贯制学校”（第 3、5 行）". */
function assumptionNotes(assumed: Assumptions): string[] {
  return [...assumed.values()].map((a) => {
    const shown = a.rows.slice(0, 10).map(String).join("、");
    const where = a.rows.length > 10 ? `第 ${shown} 等行，共 ${String(a.rows.length)} 行` : `第 ${shown} 行`;
    return `「${a.sheet}」「${a.column}」：已将“${a.typed}”视为“${a.label}”（${where}）`;
  });
}

/** Parses a table against its sheet spec; problems go to `errors`, values read as synonyms to `assumed`. */
function parseTable(table: Table, spec: SheetSpec, errors: ImportError[], assumed: Assumptions): ParsedRow[] {
  const byHeader = new Map(table.header.map((h, i) => [normaliseHeader(h), i]));
  const indexOf = new Map<string, number>();
  for (const c of spec.columns) {
    const i = byHeader.get(normaliseHeader(c.header));
    if (i === undefined) {
      if (c.required) errors.push({ sheet: table.sheet, row: 1, column: c.header, message: `缺少列「${c.header}」` });
    } else indexOf.set(c.key, i);
  }
  const known = new Set([...indexOf.values()]);
  const extraCols = table.header.map((h, i) => ({ h: h.trim(), i })).filter(({ h, i }) => h !== "" && !known.has(i));
  const out: ParsedRow[] = [];
  for (const r of table.rows) {
    const values = new Map<string, Value>();
    let rowOk = true;
    for (const c of spec.columns) {
      const i = indexOf.get(c.key);
      const cell = i === undefined ? null : (r.cells[i] ?? null);
      const p: Parsed = parseCell(cell, c.type, c.required && i !== undefined);
      if (p.ok) {
        values.set(c.key, p.value);
        if (p.assumed) {
          const key = [table.sheet, c.header, p.assumed.typed].join("\u0000");
          const seen = assumed.get(key) ?? { sheet: table.sheet, column: c.header, typed: p.assumed.typed, label: p.assumed.label, rows: [] };
          seen.rows.push(r.row);
          assumed.set(key, seen);
        }
      } else {
        rowOk = false;
        errors.push({ sheet: table.sheet, row: r.row, column: c.header, message: p.message });
      }
    }
    const extra = new Map<string, Cell>();
    for (const { h, i } of extraCols) extra.set(h, r.cells[i] ?? null);
    if (rowOk) out.push({ row: r.row, values, extra });
  }
  return out;
}

/** Where each assembled record came from, to map cross-record problems back to rows. */
interface Origins {
  county: number[];
  school: number[];
  section: Map<string, number>;
  areas: Map<number, number>;
  rooms: Map<string, number>;
  classes: Map<string, number>;
  countyField: Map<string, number>;
  countyItemFirstRow: Map<number, number>;
  record: number[];
}

function headerOf(spec: SheetSpec, key: string | undefined): string | null {
  if (key === undefined) return null;
  const last = key.split(".").pop() ?? key;
  const aliases: Record<string, string> = { locationShare: "urban", students: "primary" };
  return spec.columns.find((c: ColumnSpec) => c.key === (aliases[last] ?? last))?.header ?? null;
}

function locate(ref: Ref, o: Origins, input: EvaluationInput): Omit<ImportError, "message"> {
  switch (ref.entity) {
    case "county":
      return { sheet: COUNTIES_SHEET.name, row: o.county[ref.index] ?? null, column: headerOf(COUNTIES_SHEET, ref.field) };
    case "school":
      return { sheet: SCHOOLS_SHEET.name, row: o.school[ref.index] ?? null, column: headerOf(SCHOOLS_SHEET, ref.field) };
    case "section":
      return { sheet: TEACHERS_SHEET.name, row: o.section.get(`${String(ref.schoolIndex)}:${ref.level}`) ?? null, column: headerOf(TEACHERS_SHEET, ref.field) };
    case "facilities":
      return { sheet: AREAS_SHEET.name, row: o.areas.get(ref.schoolIndex) ?? null, column: headerOf(AREAS_SHEET, ref.field) };
    case "room":
      return {
        sheet: ROOMS_SHEET.name,
        row: o.rooms.get(`${String(ref.schoolIndex)}:${String(ref.roomIndex)}`) ?? null,
        column: headerOf(ROOMS_SHEET, ref.field),
      };
    case "class":
      return {
        sheet: CLASSES_SHEET.name,
        row: o.classes.get(`${String(ref.schoolIndex)}:${String(ref.classIndex)}`) ?? null,
        column: headerOf(CLASSES_SHEET, ref.field),
      };
    case "countyItem": {
      const countyId = input.countyItems[ref.index]?.countyId ?? "";
      const row = o.countyField.get(`${countyId}:${ref.code}:${ref.field ?? ""}`) ?? o.countyItemFirstRow.get(ref.index) ?? null;
      return { sheet: COUNTY_ITEMS_SHEET.name, row, column: ref.field === "countyId" ? "县（区）代码" : "填报值" };
    }
    case "record":
      return { sheet: QUESTIONNAIRES_SHEET.name, row: o.record[ref.index] ?? null, column: headerOf(QUESTIONNAIRES_SHEET, ref.field) };
  }
}

/** A county the caller already knows (the campaign's), which a file may leave out of its 县（区） sheet. */
export interface KnownCounty {
  id: string;
  name: string;
}

export interface AssembleOptions {
  title?: string;
  /**
   * The counties already known (a campaign's): with them, a file without a 县（区） sheet is read
   * as belonging to these counties (the school-list import), and the import says so. Without
   * them (the evaluation data, the CLI) the 县（区） sheet is required.
   */
  knownCounties?: readonly KnownCounty[];
}

/** Assembles the evaluation input from workbook tables (see the module comment). */
export function assembleInput(tables: readonly Table[], options: AssembleOptions = {}): ImportResult<EvaluationInput> {
  const errors: ImportError[] = [];
  const notes: string[] = [];
  const assumed: Assumptions = new Map();
  const bySheet = new Map<string, Table>();
  for (const t of tables) {
    if (t.sheet === README_SHEET_NAME || normaliseHeader(t.sheet) === normaliseHeader(README_SHEET_NAME)) continue;
    const found = sheetForName(t.sheet);
    if (!found) {
      errors.push({ sheet: t.sheet, row: null, column: null, message: `无法识别的工作表「${t.sheet}」，应为：${SHEETS.map((s) => s.name).join("、")}` });
      continue;
    }
    const spec = found.spec;
    if (bySheet.has(spec.name))
      errors.push({ sheet: t.sheet, row: null, column: null, message: `工作表重复${t.sheet === spec.name ? "" : `（「${t.sheet}」也是「${spec.name}」）`}` });
    else if (found.assumed && t.sheet.trim() !== spec.key) notes.push(`已将工作表“${t.sheet}”视为“${spec.name}”`);
    bySheet.set(spec.name, t);
  }
  const parsed = (spec: SheetSpec): ParsedRow[] | null => {
    const t = bySheet.get(spec.name);
    return t ? parseTable(t, spec, errors, assumed) : null;
  };
  const known = options.knownCounties;
  if (!bySheet.has(COUNTIES_SHEET.name) && !known) errors.push({ sheet: COUNTIES_SHEET.name, row: null, column: null, message: "缺少「县（区）」工作表" });

  const o: Origins = {
    county: [],
    school: [],
    section: new Map(),
    areas: new Map(),
    rooms: new Map(),
    classes: new Map(),
    countyField: new Map(),
    countyItemFirstRow: new Map(),
    record: [],
  };

  // 县（区）
  const counties: CountyInput[] = [];
  for (const r of parsed(COUNTIES_SHEET) ?? []) {
    const u = num(r.values.get("urban"));
    const t = num(r.values.get("town"));
    const ru = num(r.values.get("rural"));
    const anyShare = u !== null || t !== null || ru !== null;
    if (anyShare && (u === null || t === null || ru === null)) {
      errors.push({ sheet: COUNTIES_SHEET.name, row: r.row, column: "城区人口占比（%）", message: "城区、镇区、乡村人口占比须三项都填或都不填" });
      continue;
    }
    o.county.push(r.row);
    counties.push({
      id: str(r.values.get("id")) ?? "",
      name: str(r.values.get("name")) ?? "",
      residentPopulation: num(r.values.get("residentPopulation")),
      locationShare: u !== null && t !== null && ru !== null ? { urban: u, town: t, rural: ru } : null,
    });
  }

  // 学校
  const schools: SchoolInput[] = [];
  const schoolIndex = new Map<string, number>();
  for (const r of parsed(SCHOOLS_SHEET) ?? []) {
    const v = r.values;
    const type = str(v.get("type"));
    const location = str(v.get("location"));
    const parsedType = z.enum(["primary", "junior", "nine_year", "twelve_year", "complete_secondary", "teaching_point"]).safeParse(type);
    const parsedLocation = z.enum(["urban", "town", "rural"]).safeParse(location);
    if (!parsedType.success || !parsedLocation.success) continue; // already reported by the cell parser
    const funded = num(v.get("fundedStudents"));
    const budget = num(v.get("annualBudgetWanYuan"));
    const training = num(v.get("teacherTrainingWanYuan"));
    const id = str(v.get("id")) ?? "";
    if (!schoolIndex.has(id)) schoolIndex.set(id, schools.length);
    o.school.push(r.row);
    schools.push({
      id,
      countyId: str(v.get("countyId")) ?? "",
      name: str(v.get("name")) ?? "",
      type: parsedType.data,
      location: parsedLocation.data,
      students: { primary: num(v.get("primary")) ?? 0, junior: num(v.get("junior")) ?? 0, senior: num(v.get("senior")) ?? 0 },
      sections: {},
      ...(funded !== null || budget !== null || training !== null
        ? { publicFunds: { fundedStudents: funded, annualBudgetWanYuan: budget, teacherTrainingWanYuan: training } }
        : {}),
    });
  }
  // No 县（区） sheet, and the counties known (a campaign's): the schools' own county codes say
  // which counties, read from what is known; a code nobody knows needs the sheet after all.
  if (!bySheet.has(COUNTIES_SHEET.name) && known) {
    const used = [...new Set(schools.map((s) => s.countyId))];
    for (const id of used) {
      const k = known.find((c) => c.id === id);
      if (k) {
        o.county.push(0);
        counties.push({ id: k.id, name: k.name, residentPopulation: null, locationShare: null });
      } else {
        const rows = schools.flatMap((s, i) => (s.countyId === id ? [o.school[i] ?? 0] : []));
        errors.push({
          sheet: SCHOOLS_SHEET.name,
          row: rows[0] ?? null,
          column: "所属县（区）代码",
          message: `县（区）代码 ${id} 不是本调查活动的县（区）${rows.length > 1 ? `（共 ${String(rows.length)} 行）` : ""}；新的县（区）请在「县（区）」工作表中填写代码和名称后一并导入`,
        });
      }
    }
    if (counties.length > 0)
      notes.push(`文件中没有「县（区）」工作表：学校按所属县（区）代码归入本调查活动已有的县（区）：${counties.map((c) => `${c.name}（${c.id}）`).join("、")}`);
  }

  // One error per cause: a school whose own 学校 row was refused is not reported again on each
  // of its rows elsewhere (its 学校 row says what is wrong), and an id missing from 学校 is
  // reported once per sheet with the rows that use it, not once per row.
  const schoolsTable = bySheet.get(SCHOOLS_SHEET.name);
  const idColumn = schoolsTable ? new Map(schoolsTable.header.map((h, i) => [normaliseHeader(h), i])).get(normaliseHeader("学校标识码")) : undefined;
  const idsInSchoolsSheet = new Set(idColumn === undefined || !schoolsTable ? [] : schoolsTable.rows.map((r) => String(r.cells[idColumn] ?? "").trim()));
  const unknownSchool = new Map<string, { error: ImportError; rows: number[] }>();
  const schoolOf = (sheet: SheetSpec, r: ParsedRow): { school: SchoolInput; index: number } | null => {
    const id = str(r.values.get("schoolId")) ?? "";
    const index = schoolIndex.get(id);
    const school = index === undefined ? undefined : schools[index];
    if (index === undefined || !school) {
      if (idsInSchoolsSheet.has(id)) return null;
      const key = `${sheet.name}\u0000${id}`;
      const seen = unknownSchool.get(key);
      if (seen) {
        seen.rows.push(r.row);
        const shownRows = seen.rows.slice(0, 10).map(String).join("、");
        seen.error.message = `学校标识码 ${id} 不在「学校」表中（第 ${shownRows}${seen.rows.length > 10 ? " 等" : ""} 行，共 ${String(seen.rows.length)} 行）`;
      } else {
        const error: ImportError = { sheet: sheet.name, row: r.row, column: "学校标识码", message: `学校标识码 ${id} 不在「学校」表中` };
        unknownSchool.set(key, { error, rows: [r.row] });
        errors.push(error);
      }
      return null;
    }
    return { school, index };
  };

  // 教师
  for (const r of parsed(TEACHERS_SHEET) ?? []) {
    const s = schoolOf(TEACHERS_SHEET, r);
    if (!s) continue;
    const levelValue = str(r.values.get("level"));
    const level: Level | null = levelValue === "primary" || levelValue === "junior" ? levelValue : null;
    if (!level) continue;
    if (s.school.sections[level]) {
      errors.push({
        sheet: TEACHERS_SHEET.name,
        row: r.row,
        column: "学段",
        message: `学校 ${s.school.id} 的${level === "primary" ? "小学" : "初中"}学段重复`,
      });
      continue;
    }
    const staff: SectionStaff = {
      fullTimeTeachers: num(r.values.get("fullTimeTeachers")) ?? 0,
      aboveRequiredDegree: num(r.values.get("aboveRequiredDegree")) ?? 0,
      keyTeachers: num(r.values.get("keyTeachers")) ?? 0,
      peTeachers: num(r.values.get("peTeachers")) ?? 0,
      musicTeachers: num(r.values.get("musicTeachers")) ?? 0,
      artTeachers: num(r.values.get("artTeachers")) ?? 0,
    };
    s.school.sections[level] = staff;
    o.section.set(`${String(s.index)}:${level}`, r.row);
  }

  // 校舍场地 + 教学装备 → facilities
  const areas = new Map<number, { row: number; v: Map<string, Value> }>();
  const equipment = new Map<number, { row: number; v: Map<string, Value> }>();
  for (const [spec, target] of [
    [AREAS_SHEET, areas],
    [EQUIPMENT_SHEET, equipment],
  ] as const) {
    for (const r of parsed(spec) ?? []) {
      const s = schoolOf(spec, r);
      if (!s) continue;
      if (target.has(s.index)) {
        errors.push({ sheet: spec.name, row: r.row, column: "学校标识码", message: `学校 ${s.school.id} 重复` });
        continue;
      }
      target.set(s.index, { row: r.row, v: r.values });
    }
  }
  for (const [index, a] of areas) {
    const e = equipment.get(index);
    const school = schools[index];
    if (!school) continue;
    if (!e) {
      errors.push({ sheet: EQUIPMENT_SHEET.name, row: null, column: "学校标识码", message: `学校 ${school.id} 已填「校舍场地」，但「教学装备」中没有该校` });
      continue;
    }
    const facilities: Facilities = {
      teachingAuxiliaryAreaM2: num(a.v.get("teachingAuxiliaryAreaM2")) ?? 0,
      indoorSportsAreaM2: num(a.v.get("indoorSportsAreaM2")) ?? 0,
      sportsGroundAreaM2: num(a.v.get("sportsGroundAreaM2")) ?? 0,
      sportsHallAreaM2: num(a.v.get("sportsHallAreaM2")) ?? 0,
      equipmentValueWanYuan: num(e.v.get("equipmentValueWanYuan")) ?? 0,
      multimediaClassrooms: num(e.v.get("multimediaClassrooms")) ?? 0,
    };
    school.facilities = facilities;
    o.areas.set(index, a.row);
  }
  for (const [index, e] of equipment) {
    const school = schools[index];
    if (school && !areas.has(index))
      errors.push({
        sheet: AREAS_SHEET.name,
        row: null,
        column: "学校标识码",
        message: `学校 ${school.id} 已填「教学装备」（第 ${String(e.row)} 行），但「校舍场地」中没有该校`,
      });
  }

  // 专用教室: with the sheet present, a school without rows has no rooms.
  const roomRows = parsed(ROOMS_SHEET);
  if (roomRows) {
    for (const s of schools) s.specialRooms = [];
    for (const r of roomRows) {
      const s = schoolOf(ROOMS_SHEET, r);
      if (!s) continue;
      const kind = str(r.values.get("kind"));
      if (kind !== "music" && kind !== "art") continue;
      const rooms: SpecialRoom[] = s.school.specialRooms ?? [];
      o.rooms.set(`${String(s.index)}:${String(rooms.length)}`, r.row);
      rooms.push({ kind, name: str(r.values.get("name")), areaM2: num(r.values.get("areaM2")) ?? 0 });
      s.school.specialRooms = rooms;
    }
  }

  // 班级
  for (const r of parsed(CLASSES_SHEET) ?? []) {
    const s = schoolOf(CLASSES_SHEET, r);
    if (!s) continue;
    const list: ClassInput[] = s.school.classes ?? [];
    o.classes.set(`${String(s.index)}:${String(list.length)}`, r.row);
    list.push({ grade: num(r.values.get("grade")) ?? 0, name: str(r.values.get("name")), students: num(r.values.get("students")) ?? 0 });
    s.school.classes = list;
  }

  // 县级指标, 特殊教育学校, 质量监测
  const countyIds = new Set(counties.map((c) => c.id));
  const fieldValues = new Map<string, Map<string, Value>>(); // countyId → "G8.teacherAverageSalaryYuan" → value
  const evidence = new Map<string, string[]>(); // "countyId:G8" → notes
  const touchedItems = new Map<string, Set<string>>(); // countyId → item codes with any value
  const countyItemsTable = bySheet.get(COUNTY_ITEMS_SHEET.name);
  const countyFirstRow = new Map<string, number>();
  if (countyItemsTable) {
    const header = new Map(countyItemsTable.header.map((h, i) => [normaliseHeader(h), i]));
    const at = (key: string) => header.get(normaliseHeader(COUNTY_ITEMS_SHEET.columns.find((c) => c.key === key)?.header ?? ""));
    const [ci, ii, fi, vi, ei] = [at("countyId"), at("item"), at("field"), at("value"), at("evidence")];
    // Rows are parsed per data item below (each has its own type); only the columns are checked here.
    for (const key of ["countyId", "item", "field", "value"]) {
      if (at(key) === undefined) {
        const header = COUNTY_ITEMS_SHEET.columns.find((c) => c.key === key)?.header ?? key;
        errors.push({ sheet: COUNTY_ITEMS_SHEET.name, row: 1, column: header, message: `缺少列「${header}」` });
      }
    }
    for (const r of countyItemsTable.rows) {
      const cell = (i: number | undefined): Cell => (i === undefined ? null : (r.cells[i] ?? null));
      const countyCell = cell(ci);
      const valueCell = cell(vi);
      const evidenceCell = cell(ei);
      if (isBlankCell(valueCell) && isBlankCell(evidenceCell)) continue; // unfilled template row
      const countyId = isBlankCell(countyCell) ? "" : String(countyCell).trim();
      if (countyId === "") {
        errors.push({ sheet: COUNTY_ITEMS_SHEET.name, row: r.row, column: "县（区）代码", message: "必填项为空" });
        continue;
      }
      if (!countyIds.has(countyId)) {
        errors.push({ sheet: COUNTY_ITEMS_SHEET.name, row: r.row, column: "县（区）代码", message: `县（区）代码 ${countyId} 不在「县（区）」表中` });
        continue;
      }
      const item = String(cell(ii) ?? "")
        .trim()
        .toUpperCase();
      const field = String(cell(fi) ?? "").trim();
      const spec = COUNTY_FIELDS.find((f) => f.item === item && f.field === field);
      if (!spec) {
        errors.push({
          sheet: COUNTY_ITEMS_SHEET.name,
          row: r.row,
          column: "数据项代码",
          message: `未知的数据项「${item} ${field}」，请使用模板中的指标代码和数据项代码`,
        });
        continue;
      }
      if (evidenceCell instanceof ProblemCell) {
        errors.push({ sheet: COUNTY_ITEMS_SHEET.name, row: r.row, column: "佐证材料及说明", message: evidenceCell.message });
        continue;
      }
      if (!isBlankCell(evidenceCell)) {
        const key = `${countyId}:${item}`;
        evidence.set(key, [...(evidence.get(key) ?? []), String(evidenceCell).trim()]);
      }
      if (!countyFirstRow.has(countyId)) countyFirstRow.set(countyId, r.row);
      const touched = touchedItems.get(countyId) ?? new Set<string>();
      touched.add(item);
      touchedItems.set(countyId, touched);
      if (isBlankCell(valueCell)) continue;
      if (spec.type === "note") {
        errors.push({ sheet: COUNTY_ITEMS_SHEET.name, row: r.row, column: "填报值", message: `${spec.label}：此行不填数值` });
        continue;
      }
      const type =
        spec.type === "int"
          ? { kind: "int" as const, min: 0 }
          : spec.type === "number"
            ? { kind: "number" as const, min: 0 }
            : spec.type === "bool"
              ? { kind: "bool" as const }
              : { kind: "rating" as const };
      const p = parseCell(valueCell, type, false);
      if (!p.ok) {
        errors.push({ sheet: COUNTY_ITEMS_SHEET.name, row: r.row, column: "填报值", message: `${spec.label}：${p.message}` });
        continue;
      }
      const values = fieldValues.get(countyId) ?? new Map<string, Value>();
      const key = `${item}.${field}`;
      if (values.has(key)) {
        errors.push({ sheet: COUNTY_ITEMS_SHEET.name, row: r.row, column: "数据项代码", message: `县（区）${countyId} 的数据项「${item} ${field}」重复` });
        continue;
      }
      values.set(key, p.value);
      fieldValues.set(countyId, values);
      o.countyField.set(`${countyId}:${item}:${field}`, r.row);
    }
  }
  const specialSchools = new Map<string, { name: string; students: number; perStudentPublicFundsYuan: number }[]>();
  for (const r of parsed(SPECIAL_SCHOOLS_SHEET) ?? []) {
    const countyId = str(r.values.get("countyId")) ?? "";
    if (!countyIds.has(countyId)) {
      errors.push({ sheet: SPECIAL_SCHOOLS_SHEET.name, row: r.row, column: "县（区）代码", message: `县（区）代码 ${countyId} 不在「县（区）」表中` });
      continue;
    }
    specialSchools.set(countyId, [
      ...(specialSchools.get(countyId) ?? []),
      {
        name: str(r.values.get("name")) ?? "",
        students: num(r.values.get("students")) ?? 0,
        perStudentPublicFundsYuan: num(r.values.get("perStudentPublicFundsYuan")) ?? 0,
      },
    ]);
  }
  const monitoring = new Map<string, { subject: string; grade: number | null; level: number; differenceRate: number }[]>();
  for (const r of parsed(MONITORING_SHEET) ?? []) {
    const countyId = str(r.values.get("countyId")) ?? "";
    if (!countyIds.has(countyId)) {
      errors.push({ sheet: MONITORING_SHEET.name, row: r.row, column: "县（区）代码", message: `县（区）代码 ${countyId} 不在「县（区）」表中` });
      continue;
    }
    monitoring.set(countyId, [
      ...(monitoring.get(countyId) ?? []),
      {
        subject: str(r.values.get("subject")) ?? "",
        grade: num(r.values.get("grade")),
        level: num(r.values.get("level")) ?? 0,
        differenceRate: num(r.values.get("differenceRate")) ?? 0,
      },
    ]);
  }
  const countyItems: CountyItems[] = [];
  for (const county of counties) {
    const values = fieldValues.get(county.id) ?? new Map<string, Value>();
    const touched = touchedItems.get(county.id) ?? new Set<string>();
    const specials = specialSchools.get(county.id);
    const subjects = monitoring.get(county.id);
    if (touched.size === 0 && !specials && !subjects) continue;
    const ev = (item: string) => {
      const list = evidence.get(`${county.id}:${item}`);
      return list ? [...new Set(list)].join("；") : null;
    };
    const has = (item: string) => touched.has(item);
    const b = (item: string, field: string) => bool(values.get(`${item}.${field}`));
    const n = (item: string, field: string) => num(values.get(`${item}.${field}`));
    const rating = (item: string) => {
      const v = values.get(`${item}.rating`);
      return v === "excellent" || v === "good" || v === "adequate" || v === "poor" ? v : null;
    };
    const guarantee: GuaranteeInput = {};
    if (has("G1")) guarantee.G1 = { met: b("G1", "met"), evidence: ev("G1") };
    if (has("G2"))
      guarantee.G2 = {
        buildingStandardUnified: b("G2", "buildingStandardUnified"),
        staffingStandardUnified: b("G2", "staffingStandardUnified"),
        fundingBaselineUnified: b("G2", "fundingBaselineUnified"),
        equipmentStandardUnified: b("G2", "equipmentStandardUnified"),
        evidence: ev("G2"),
      };
    const hasSpecial = b("G7", "hasSpecialSchool");
    if (hasSpecial === true && !specials) {
      errors.push({
        sheet: COUNTY_ITEMS_SHEET.name,
        row: o.countyField.get(`${county.id}:G7:hasSpecialSchool`) ?? null,
        column: "填报值",
        message: `填报县域内有特殊教育学校，但「特殊教育学校」表中没有县（区）${county.id} 的学校`,
      });
    }
    if (hasSpecial === false && specials) {
      errors.push({
        sheet: COUNTY_ITEMS_SHEET.name,
        row: o.countyField.get(`${county.id}:G7:hasSpecialSchool`) ?? null,
        column: "填报值",
        message: `填报县域内没有特殊教育学校，但「特殊教育学校」表中有县（区）${county.id} 的学校`,
      });
    }
    if (specials || has("G7")) guarantee.G7 = { specialSchools: specials ?? (hasSpecial === false ? [] : null), evidence: ev("G7") };
    if (has("G8"))
      guarantee.G8 = {
        teacherAverageSalaryYuan: n("G8", "teacherAverageSalaryYuan"),
        civilServantAverageSalaryYuan: n("G8", "civilServantAverageSalaryYuan"),
        performancePayFullyApproved: b("G8", "performancePayFullyApproved"),
        evidence: ev("G8"),
      };
    if (has("G9")) guarantee.G9 = { teachersRequired: n("G9", "teachersRequired"), teachersCompleted: n("G9", "teachersCompleted"), evidence: ev("G9") };
    if (has("G10")) guarantee.G10 = { met: b("G10", "met"), evidence: ev("G10") };
    if (has("G11"))
      guarantee.G11 = {
        eligibleTeachers: n("G11", "eligibleTeachers"),
        rotatedTeachers: n("G11", "rotatedTeachers"),
        rotatedKeyTeachers: n("G11", "rotatedKeyTeachers"),
        evidence: ev("G11"),
      };
    if (has("G12")) guarantee.G12 = { fullTimeTeachers: n("G12", "fullTimeTeachers"), certifiedTeachers: n("G12", "certifiedTeachers"), evidence: ev("G12") };
    if (has("G13"))
      guarantee.G13 = {
        primaryEntrants: n("G13", "primaryEntrants"),
        primaryByCatchment: n("G13", "primaryByCatchment"),
        juniorEntrants: n("G13", "juniorEntrants"),
        juniorByCatchment: n("G13", "juniorByCatchment"),
        evidence: ev("G13"),
      };
    if (has("G14"))
      guarantee.G14 = {
        totalPlaces: n("G14", "totalPlaces"),
        quotaPlaces: n("G14", "quotaPlaces"),
        tiltedToRural: b("G14", "tiltedToRural"),
        evidence: ev("G14"),
      };
    if (has("G15"))
      guarantee.G15 = {
        leftBehindCareSystem: b("G15", "leftBehindCareSystem"),
        eligibleMigrantChildren: n("G15", "eligibleMigrantChildren"),
        inPublicOrPurchasedPlaces: n("G15", "inPublicOrPurchasedPlaces"),
        evidence: ev("G15"),
      };
    const quality: QualityInput = {};
    if (has("Q1")) quality.Q1 = { cohortEntrants: n("Q1", "cohortEntrants"), currentGrade9: n("Q1", "currentGrade9"), evidence: ev("Q1") };
    if (has("Q2")) quality.Q2 = { disabledChildren: n("Q2", "disabledChildren"), enrolled: n("Q2", "enrolled"), evidence: ev("Q2") };
    if (has("Q3")) quality.Q3 = { charterAllSchools: b("Q3", "charterAllSchools"), managementDigitised: b("Q3", "managementDigitised"), evidence: ev("Q3") };
    for (const code of ["Q5", "Q6", "Q7", "Q8"] as const) if (has(code)) quality[code] = { rating: rating(code), evidence: ev(code) };
    if (subjects || has("Q9")) quality.Q9 = { subjects: subjects ?? null, evidence: ev("Q9") };
    const veto: VetoInput = {};
    for (const code of ["V1", "V2", "V3", "V4", "V5", "V6", "V7"] as const) if (has(code)) veto[code] = { occurred: b(code, "occurred"), note: ev(code) };
    const firstRow = countyFirstRow.get(county.id);
    if (firstRow !== undefined) o.countyItemFirstRow.set(countyItems.length, firstRow);
    countyItems.push({ countyId: county.id, guarantee, quality, veto });
  }

  // 问卷
  const questionnaireRows = parsed(QUESTIONNAIRES_SHEET);
  const records: QuestionnaireRecord[] = [];
  for (const r of questionnaireRows ?? []) {
    const v = r.values;
    const itemScores: Record<string, number | null> = {};
    let ok = true;
    for (const [header, cell] of r.extra) {
      const p = parseCell(cell, { kind: "score" }, false);
      if (!p.ok) {
        ok = false;
        errors.push({ sheet: QUESTIONNAIRES_SHEET.name, row: r.row, column: header, message: p.message });
      } else itemScores[header] = num(p.value);
    }
    const group = RESPONDENT_GROUPS.find((g) => g === v.get("group"));
    const questionnaire = v.get("questionnaire");
    const location = v.get("location");
    if (!ok || !group || (questionnaire !== "social" && questionnaire !== "staff" && questionnaire !== "student")) continue;
    o.record.push(r.row);
    records.push({
      questionnaire,
      countyId: str(v.get("countyId")) ?? "",
      schoolId: str(v.get("schoolId")),
      group,
      grade: num(v.get("grade")),
      location: location === "urban" || location === "town" || location === "rural" ? location : null,
      overallScore: num(v.get("overall")),
      itemScores,
      valid: bool(v.get("valid")) ?? false,
    });
  }

  if (errors.length > 0) return { ok: false, errors };
  const input: EvaluationInput = {
    format: INPUT_FORMAT,
    version: 1,
    ...(options.title ? { title: options.title } : {}),
    counties,
    schools,
    countyItems,
    ...(questionnaireRows ? { satisfaction: { source: "records" as const, records } } : {}),
  };
  const check = EvaluationInputSchema.safeParse(input, { error: zhCN.localeError });
  if (!check.success) {
    return {
      ok: false,
      errors: check.error.issues.map((i) => ({
        sheet: String(i.path[0] ?? ""),
        row: typeof i.path[1] === "number" ? i.path[1] + 1 : null,
        column: i.path.slice(2).join(".") || null,
        message: i.message,
      })),
    };
  }
  const semantic = validateInputSemantics(check.data);
  if (semantic.length > 0) return { ok: false, errors: semantic.map((s) => ({ ...locate(s.ref, o, check.data), message: s.message })) };
  const allNotes = [...notes, ...assumptionNotes(assumed)];
  return allNotes.length > 0 ? { ok: true, value: check.data, notes: allNotes } : { ok: true, value: check.data };
}
