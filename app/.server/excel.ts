/**
 * exceljs, loaded the first time a workbook is read or written rather than when the server
 * starts: it adds about 28 MB of resident memory, which only the console's imports and exports
 * need — an instance that only serves parents' phones never loads it.
 */
import type ExcelJS from "exceljs";

let loaded: Promise<typeof ExcelJS> | undefined;

export function loadExcel(): Promise<typeof ExcelJS> {
  loaded ??= import("exceljs").then((m) => m.default);
  return loaded;
}
