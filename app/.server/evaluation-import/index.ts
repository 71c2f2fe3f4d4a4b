/**
 * Importing evaluation data (评估数据导入) from an .xlsx workbook, a zip of CSV files (one per
 * sheet), a single CSV sheet, or the JSON format. Buffers in: no file paths, so the CLI and the
 * web console share it. All or nothing: `{ ok: false, errors }` lists every problem by sheet,
 * row and column in Chinese, and no partial input is ever returned.
 */
import type { EvaluationInput } from "../../domain/evaluation/input";
import { assembleInput } from "./assemble";
import type { ImportError, ImportResult } from "./errors";
import { importJson } from "./json";
import { csvFilesFromZip, tablesFromCsvFiles, tablesFromXlsx, type NamedFile } from "./tables";

export { formatImportError } from "./errors";
export type { ImportError, ImportResult } from "./errors";
export { importJson } from "./json";
export { buildWorkbook } from "./template";
export { SHEETS, COUNTY_FIELDS } from "./sheets";

const fail = (message: string, sheet = "文件"): ImportResult<EvaluationInput> => ({ ok: false, errors: [{ sheet, row: null, column: null, message }] });

/** An .xlsx workbook. */
export async function importXlsx(bytes: Uint8Array): Promise<ImportResult<EvaluationInput>> {
  let tables;
  try {
    tables = await tablesFromXlsx(bytes);
  } catch (e) {
    return fail(`无法读取 Excel 文件：${e instanceof Error ? e.message : String(e)}`);
  }
  return assembleInput(tables);
}

/** CSV files, one per sheet, named by sheet (学校.csv) or key (schools.csv). */
export function importCsvFiles(files: readonly NamedFile[]): ImportResult<EvaluationInput> {
  const { tables, unknown } = tablesFromCsvFiles(files);
  const errors: ImportError[] = unknown.map((name) => ({ sheet: name, row: null, column: null, message: "无法识别的文件名，应为工作表名加 .csv，如 学校.csv" }));
  const result = assembleInput(tables);
  if (errors.length > 0) return { ok: false, errors: [...errors, ...(result.ok ? [] : result.errors)] };
  return result;
}

/** A zip of CSV files. */
export function importZip(bytes: Uint8Array): ImportResult<EvaluationInput> {
  let files;
  try {
    files = csvFilesFromZip(bytes);
  } catch (e) {
    return fail(`无法读取 zip 文件：${e instanceof Error ? e.message : String(e)}`);
  }
  if (files.length === 0) return fail("zip 文件中没有 CSV 文件");
  return importCsvFiles(files);
}

/** Dispatches on the file name's extension: .json, .xlsx, .zip or .csv. */
export async function importEvaluationFile(fileName: string, bytes: Uint8Array): Promise<ImportResult<EvaluationInput>> {
  const ext = fileName.toLowerCase().split(".").pop();
  switch (ext) {
    case "json":
      return importJson(new TextDecoder("utf-8").decode(bytes));
    case "xlsx":
      return importXlsx(bytes);
    case "zip":
      return importZip(bytes);
    case "csv":
      return importCsvFiles([{ name: fileName, bytes }]);
    default:
      return fail(`不支持的文件类型「${fileName}」，请使用 .xlsx、.zip（CSV）或 .json`);
  }
}
