/**
 * Reading the workbook's sheets as plain tables, from .xlsx (exceljs), CSV files (papaparse;
 * UTF-8 with or without BOM, or GB18030 as saved by Excel on a Chinese Windows) or a zip of CSV
 * files (fflate). Buffers in, tables out: no paths, so the web console can reuse it.
 */
import Papa from "papaparse";
import { FileRefused, IMPORT_LIMITS, sizeLabel, type ImportLimits } from "./limits";
import { sheetForName, type SheetSpec } from "./sheets";
import { ZipReader } from "./unzip";
import { ProblemCell, XlsxReader } from "./xlsx";

export { ProblemCell } from "./xlsx";

/** A cell as read: blank is null; a ProblemCell (#DIV/0!, a formula never calculated) is refused by the cell parser. */
export type Cell = string | number | boolean | null | ProblemCell;

export interface Table {
  /** Sheet name as in the workbook (or CSV file name without `.csv`). */
  sheet: string;
  header: string[];
  /** Data rows with their 1-based row number in the sheet / file (the header is row 1). */
  rows: { row: number; cells: Cell[] }[];
}

const isBlank = (c: Cell) => c === null || (typeof c === "string" && c.trim() === "");

/** All worksheets of an .xlsx file as tables, read within `limits` (see ./limits). */
export function tablesFromXlsx(bytes: Uint8Array, limits: ImportLimits = IMPORT_LIMITS): Table[] {
  return new XlsxReader(bytes, limits).sheets().map((ws) => {
    let header: string[] = [];
    const rows: Table["rows"] = [];
    for (const r of ws.rows) {
      if (r.row === 1) header = r.cells.map((c) => (c === null ? "" : String(c)));
      else if (!r.cells.every(isBlank)) rows.push(r);
    }
    return { sheet: ws.name, header, rows };
  });
}

const undecodable = (what: string) =>
  what === "JSON" ? "文件编码无法识别，请保存为 UTF-8 编码的 JSON" : "文件编码无法识别，请另存为 UTF-8 或 GB18030（GBK）编码的 CSV";

/**
 * Decodes CSV bytes: UTF-8 (BOM stripped), UTF-16 with its BOM (Excel's «Unicode 文本»), else
 * GB18030 as Excel saves CSV on a Chinese Windows. Bytes that are none of these (a binary file
 * renamed .csv) are refused with one message, never turned into replacement characters.
 */
export function decodeText(bytes: Uint8Array, name = "文件", what: "CSV" | "JSON" = "CSV"): string {
  const decode = (encoding: string, b: Uint8Array) => new TextDecoder(encoding, { fatal: true, ignoreBOM: true }).decode(b);
  let text: string;
  try {
    if (bytes[0] === 0xff && bytes[1] === 0xfe) text = decode("utf-16le", bytes.subarray(2));
    else if (bytes[0] === 0xfe && bytes[1] === 0xff) text = decode("utf-16be", bytes.subarray(2));
    else {
      try {
        text = decode("utf-8", bytes);
      } catch {
        text = decode("gb18030", bytes);
      }
    }
  } catch {
    throw new FileRefused(name === "文件" ? undecodable(what) : `「${name}」：${undecodable(what)}`);
  }
  if (text.includes("\u0000")) throw new FileRefused(name === "文件" ? undecodable(what) : `「${name}」：${undecodable(what)}`);
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/**
 * One CSV file as a table named `sheet`, row by row: a file past the row cap, or a cell past
 * the cell cap, stops the parse at that row.
 */
export function tableFromCsv(sheet: string, text: string, limits: ImportLimits = IMPORT_LIMITS): Table {
  let header: string[] | null = null;
  const rows: Table["rows"] = [];
  let line = 0;
  let refused: FileRefused | null = null;
  Papa.parse<string[]>(text, {
    skipEmptyLines: false,
    step: (result, parser) => {
      line += 1;
      const cells = result.data;
      if (line > limits.rowsPerSheet) refused = new FileRefused(`「${sheet}」超过 ${String(limits.rowsPerSheet)} 行，请检查是否选错了文件`);
      else if (cells.length > limits.columnsPerRow)
        refused = new FileRefused(`「${sheet}」第 ${String(line)} 行超过 ${String(limits.columnsPerRow)} 列，请检查文件`);
      else if (cells.some((c) => c.length > limits.cellChars))
        refused = new FileRefused(`「${sheet}」第 ${String(line)} 行的单元格超过 ${String(limits.cellChars)} 个字符，请检查文件`);
      if (refused) {
        parser.abort();
        return;
      }
      if (header === null) {
        header = cells.map((h) => h.trim());
        return;
      }
      const row: Cell[] = cells.map((c) => (c.trim() === "" ? null : c));
      if (!row.every(isBlank)) rows.push({ row: line, cells: row });
    },
  });
  if (refused) throw refused;
  return { sheet, header: header ?? [], rows };
}

/** The sheet a file name stands for ("学校.csv", "schools.csv", "data/学校.csv"), or `null`. */
export function sheetForFileName(name: string): SheetSpec | null {
  return sheetForName(csvBaseName(name))?.spec ?? null;
}

const csvBaseName = (name: string) => (name.split(/[\\/]/).pop() ?? name).replace(/\.csv$/i, "").trim();

/** Zip entry names not flagged UTF-8 come out one char per byte; recover GBK names. */
function recoverName(name: string): string {
  if (sheetForFileName(name)) return name;
  if ([...name].some((ch) => ch.charCodeAt(0) > 0xff)) return name;
  const bytes = Uint8Array.from([...name].map((ch) => ch.charCodeAt(0)));
  try {
    return new TextDecoder("gb18030", { fatal: true }).decode(bytes);
  } catch {
    return name;
  }
}

export interface NamedFile {
  name: string;
  bytes: Uint8Array;
}

/** CSV files (one per sheet) as tables; files whose name is not a sheet are reported. */
export function tablesFromCsvFiles(files: readonly NamedFile[], limits: ImportLimits = IMPORT_LIMITS): { tables: Table[]; unknown: string[] } {
  const tables: Table[] = [];
  const unknown: string[] = [];
  for (const f of files) {
    const spec = sheetForFileName(f.name);
    if (!spec) {
      unknown.push(f.name);
      continue;
    }
    // A file named loosely ("县(区).csv") keeps its own name, so the import says what it assumed.
    const base = csvBaseName(f.name);
    const named = sheetForName(base);
    tables.push(tableFromCsv(named?.assumed ? base : spec.name, decodeText(f.bytes, f.name), limits));
  }
  return { tables, unknown };
}

/**
 * The CSV files of a zip (directories and entries such as __MACOSX/ and ._x are ignored, and
 * never inflated), each inflated within the caps of `limits`.
 */
export function csvFilesFromZip(bytes: Uint8Array, limits: ImportLimits = IMPORT_LIMITS): NamedFile[] {
  const zip = new ZipReader(bytes, limits);
  const files: NamedFile[] = [];
  const tooMuchText = () =>
    new FileRefused(`压缩包内的 CSV 文件解压后合计超过 ${sizeLabel(limits.textBytes)}，请改用 Excel 模板（.xlsx）导入，或按县（区）拆分后分别导入`);
  let text = 0;
  for (const entry of zip.entries) {
    const name = entry.legacyName ? recoverName(entry.name) : entry.name;
    if (entry.directory || !/\.csv$/i.test(name) || name.includes("__MACOSX") || (name.split("/").pop() ?? "").startsWith(".")) continue;
    // Declared sizes first (nothing inflated), then the real ones as each entry is read.
    if (text + entry.declaredSize > limits.textBytes) throw tooMuchText();
    const read = zip.readAll(entry);
    text += read.byteLength;
    if (text > limits.textBytes) throw tooMuchText();
    files.push({ name, bytes: read });
  }
  return files;
}
