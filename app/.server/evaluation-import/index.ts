/**
 * Importing evaluation data (评估数据导入) from an .xlsx workbook, a zip of CSV files (one per
 * sheet), a single CSV sheet, or the JSON format. Buffers in: no file paths, so the CLI and the
 * web console share it. All or nothing: `{ ok: false, errors }` lists every problem by sheet,
 * row and column in Chinese, and no partial input is ever returned.
 *
 * Every reader works within `ImportLimits` (./limits): decompressed size, entry count, rows,
 * columns and cell length are counted while the file is read, and the first cap passed refuses
 * the file with one message. The console runs this in a worker thread (app/.server/import-worker)
 * so that even a file within the caps never holds up the server; the CLI runs it in-process.
 */
import type { EvaluationInput } from "../../domain/evaluation/input";
import { assembleInput, type AssembleOptions } from "./assemble";
import type { ImportError, ImportResult } from "./errors";
import { importJson } from "./json";
import { FileRefused, IMPORT_LIMITS, type ImportLimits } from "./limits";
import { csvFilesFromZip, decodeText, tablesFromCsvFiles, tablesFromXlsx, type NamedFile } from "./tables";

export { formatImportError } from "./errors";
export type { AssembleOptions, KnownCounty } from "./assemble";
export type { ImportError, ImportResult } from "./errors";
export { importJson } from "./json";
export { buildWorkbook } from "./template";
export { SHEETS, COUNTY_FIELDS } from "./sheets";
export { IMPORT_LIMITS, FileRefused, limitsWith, type ImportLimits } from "./limits";

const fail = (message: string, sheet = "文件"): ImportResult<EvaluationInput> => ({ ok: false, errors: [{ sheet, row: null, column: null, message }] });

/** Runs a reader; a refusal (a cap passed, a broken file) becomes the one error of the result. */
function refusing(read: () => ImportResult<EvaluationInput>, unreadable: string): ImportResult<EvaluationInput> {
  try {
    return read();
  } catch (e) {
    if (e instanceof FileRefused) return fail(e.message);
    // A library's own message is English and means nothing to an officer; it is not shown.
    return fail(unreadable);
  }
}

/** An .xlsx workbook. */
export async function importXlsx(
  bytes: Uint8Array,
  limits: ImportLimits = IMPORT_LIMITS,
  options: AssembleOptions = {},
): Promise<ImportResult<EvaluationInput>> {
  return Promise.resolve(
    refusing(() => assembleInput(tablesFromXlsx(bytes, limits), options), "无法读取 Excel 文件：文件已损坏，或不是 .xlsx 格式（旧版 .xls 请另存为 .xlsx）"),
  );
}

/** CSV files, one per sheet, named by sheet (学校.csv) or key (schools.csv). */
export function importCsvFiles(
  files: readonly NamedFile[],
  limits: ImportLimits = IMPORT_LIMITS,
  options: AssembleOptions = {},
): ImportResult<EvaluationInput> {
  return refusing(() => {
    const { tables, unknown } = tablesFromCsvFiles(files, limits);
    const errors: ImportError[] = unknown.map((name) => ({
      sheet: name,
      row: null,
      column: null,
      message: "无法识别的文件名，应为工作表名加 .csv，如 学校.csv",
    }));
    const result = assembleInput(tables, options);
    if (errors.length > 0) return { ok: false, errors: [...errors, ...(result.ok ? [] : result.errors)] };
    return result;
  }, "无法读取 CSV 文件，请检查文件是否损坏");
}

/** A zip of CSV files. */
export function importZip(bytes: Uint8Array, limits: ImportLimits = IMPORT_LIMITS, options: AssembleOptions = {}): ImportResult<EvaluationInput> {
  return refusing(() => {
    const files = csvFilesFromZip(bytes, limits);
    if (files.length === 0) return fail("zip 文件中没有 CSV 文件");
    return importCsvFiles(files, limits, options);
  }, "无法读取 zip 文件：文件已损坏或不是 zip 格式");
}

/**
 * Dispatches on the file name's extension: .json, .xlsx, .zip or .csv. `options.knownCounties`
 * (the school-list import) lets a workbook or CSV set leave out its 县（区） sheet.
 */
export async function importEvaluationFile(
  fileName: string,
  bytes: Uint8Array,
  limits: ImportLimits = IMPORT_LIMITS,
  options: AssembleOptions = {},
): Promise<ImportResult<EvaluationInput>> {
  const ext = fileName.toLowerCase().split(".").pop();
  switch (ext) {
    case "json":
      return refusing(() => importJson(decodeText(bytes, "文件", "JSON")), "无法读取 JSON 文件");
    case "xlsx":
      return importXlsx(bytes, limits, options);
    case "zip":
      return importZip(bytes, limits, options);
    case "csv":
      return importCsvFiles([{ name: fileName, bytes }], limits, options);
    default:
      return fail(`不支持的文件类型「${fileName}」，请使用 .xlsx、.zip（CSV）或 .json`);
  }
}
