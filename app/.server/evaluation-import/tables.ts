/**
 * Reading the workbook's sheets as plain tables, from .xlsx (exceljs), CSV files (papaparse;
 * UTF-8 with or without BOM, or GB18030 as saved by Excel on a Chinese Windows) or a zip of CSV
 * files (fflate). Buffers in, tables out: no paths, so the web console can reuse it.
 */
import type ExcelJS from "exceljs";
import { loadExcel } from "../excel";
import { unzipSync } from "fflate";
import Papa from "papaparse";
import { SHEETS, type SheetSpec } from "./sheets";

export type Cell = string | number | boolean | null;

export interface Table {
  /** Sheet name as in the workbook (or CSV file name without `.csv`). */
  sheet: string;
  header: string[];
  /** Data rows with their 1-based row number in the sheet / file (the header is row 1). */
  rows: { row: number; cells: Cell[] }[];
}

function cellOf(value: ExcelJS.CellValue): Cell {
  if (value === null || value === undefined) return null;
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") return value;
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if ("richText" in value) return value.richText.map((t) => t.text).join("");
  if ("result" in value) return cellOf(value.result ?? null);
  if ("text" in value && typeof value.text === "string") return value.text;
  if ("error" in value) return null;
  return null;
}

const isBlank = (c: Cell) => c === null || (typeof c === "string" && c.trim() === "");

/** All worksheets of an .xlsx file as tables. */
export async function tablesFromXlsx(bytes: Uint8Array): Promise<Table[]> {
  const wb = new (await loadExcel()).Workbook();
  // exceljs 4.4's typings name the pre-generic `Buffer`; a copy into a fresh Buffer satisfies them.
  const buffer: Buffer = Buffer.alloc(bytes.byteLength);
  buffer.set(bytes);
  // @ts-expect-error exceljs 4.4 declares load(buffer: Buffer) against an older @types/node Buffer.
  await wb.xlsx.load(buffer);
  const tables: Table[] = [];
  wb.eachSheet((ws) => {
    let header: string[] = [];
    const rows: Table["rows"] = [];
    ws.eachRow({ includeEmpty: false }, (row, rowNumber) => {
      const cells: Cell[] = [];
      for (let c = 1; c <= row.cellCount; c += 1) cells.push(cellOf(row.getCell(c).value));
      if (rowNumber === 1) header = cells.map((c) => (c === null ? "" : String(c)));
      else if (!cells.every(isBlank)) rows.push({ row: rowNumber, cells });
    });
    tables.push({ sheet: ws.name, header, rows });
  });
  return tables;
}

/** Decodes CSV bytes: UTF-8 (BOM stripped), else GB18030. */
export function decodeText(bytes: Uint8Array): string {
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    text = new TextDecoder("gb18030").decode(bytes);
  }
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** One CSV file as a table named `sheet`. */
export function tableFromCsv(sheet: string, text: string): Table {
  const parsed = Papa.parse<string[]>(text, { skipEmptyLines: false });
  const data = parsed.data;
  const header = (data[0] ?? []).map((h) => h.trim());
  const rows: Table["rows"] = [];
  data.slice(1).forEach((cells, i) => {
    const row: Cell[] = cells.map((c) => (c.trim() === "" ? null : c));
    if (!row.every(isBlank)) rows.push({ row: i + 2, cells: row });
  });
  return { sheet, header, rows };
}

/** The sheet a file name stands for ("学校.csv", "schools.csv", "data/学校.csv"), or `null`. */
export function sheetForFileName(name: string): SheetSpec | null {
  const base = (name.split(/[\\/]/).pop() ?? name).replace(/\.csv$/i, "").trim();
  return SHEETS.find((s) => s.name === base || s.key.toLowerCase() === base.toLowerCase()) ?? null;
}

/** Zip entry names not flagged UTF-8 come out of fflate as Latin-1; recover GBK names. */
function recoverName(name: string): string {
  if (sheetForFileName(name)) return name;
  if ([...name].some((ch) => ch.charCodeAt(0) > 0xff)) return name;
  const bytes = Uint8Array.from([...name].map((ch) => ch.charCodeAt(0)));
  try {
    return new TextDecoder("gb18030").decode(bytes);
  } catch {
    return name;
  }
}

export interface NamedFile {
  name: string;
  bytes: Uint8Array;
}

/** CSV files (one per sheet) as tables; files whose name is not a sheet are reported. */
export function tablesFromCsvFiles(files: readonly NamedFile[]): { tables: Table[]; unknown: string[] } {
  const tables: Table[] = [];
  const unknown: string[] = [];
  for (const f of files) {
    const spec = sheetForFileName(f.name);
    if (!spec) {
      unknown.push(f.name);
      continue;
    }
    tables.push(tableFromCsv(spec.name, decodeText(f.bytes)));
  }
  return { tables, unknown };
}

/** A zip of CSV files (directories and non-CSV entries such as __MACOSX are ignored). */
export function csvFilesFromZip(bytes: Uint8Array): NamedFile[] {
  const entries = unzipSync(bytes);
  return Object.entries(entries)
    .map(([name, data]) => ({ name: recoverName(name), bytes: data }))
    .filter((f) => /\.csv$/i.test(f.name) && !f.name.includes("__MACOSX") && !(f.name.split("/").pop() ?? "").startsWith("."));
}
