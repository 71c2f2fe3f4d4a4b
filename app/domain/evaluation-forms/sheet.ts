/**
 * The shape of one sheet of the 申报表 workbook, independent of any spreadsheet library: a title,
 * a few note lines, one header row (the national form's column titles) and the data rows. The
 * writer (app/.server/evaluation-export) turns it into XLSX; tests read the XLSX back with another
 * reader and compare with these values and the engine's JSON.
 *
 * Numbers stay full precision; `numFmt` is the Excel number format that gives the form's
 * rounding (e.g. "0.000" for a 差异系数), so the cell shows the rounded figure while a formula or
 * a reader still gets the exact value.
 */

export type FormValue = string | number | null;

export interface FormCell {
  value: FormValue;
  /** Excel number format for a numeric cell, e.g. "0.00", "0.000", "0.00%". */
  numFmt?: string;
}

export interface FormColumn {
  header: string;
  /** Column width in Excel character units (a Chinese character is about 2). */
  width: number;
}

/** A vertical merge of one column over data rows `from`..`to` (0-based data-row indexes). */
export interface FormMerge {
  column: number;
  from: number;
  to: number;
}

export interface FormSheet {
  /** Sheet name (≤ 31 characters, none of : \ / ? * [ ]). */
  name: string;
  title: string;
  notes: string[];
  columns: FormColumn[];
  rows: FormCell[][];
  merges: FormMerge[];
  /** Data-row indexes printed in bold (summary rows such as 县均值, 差异系数). */
  emphasis: number[];
}

/** The workbook of one county. */
export interface CountyForms {
  countyId: string;
  countyName: string;
  /** Suggested file name, e.g. "中宁县-申报表-640521.xlsx". */
  fileName: string;
  sheets: FormSheet[];
}

/** 1-based row number of a sheet's header row in the written workbook: title, notes, header. */
export function headerRowNumber(sheet: Pick<FormSheet, "notes">): number {
  return 2 + sheet.notes.length;
}

/** Excel number format with `decimals` places: 0 → "0", 2 → "0.00". */
export function decimalsFormat(decimals: number): string {
  return decimals <= 0 ? "0" : `0.${"0".repeat(decimals)}`;
}

/** Percent number format for a 0–1 rate shown with `decimals` places: 2 → "0.00%". */
export function percentFormat(decimals: number): string {
  return `${decimalsFormat(decimals)}%`;
}

/** Format of a full-precision value: Excel's General shows up to 11 significant digits. */
export const FULL_PRECISION_FORMAT = "General";
export const COUNT_FORMAT = "0";
export const YUAN_FORMAT = "#,##0.00";

/** A text cell; an empty or absent text is an empty cell. */
export const text = (value: string | null | undefined): FormCell => ({ value: value === undefined || value === "" ? null : value });
export const num = (value: number | null | undefined, numFmt: string): FormCell => ({ value: value ?? null, numFmt });
export const blank: FormCell = { value: null };
export const yesNo = (value: boolean | null | undefined, absent = "未填报"): FormCell => ({ value: value === true ? "是" : value === false ? "否" : absent });

/** Checks the names Excel accepts for a sheet. */
export function isValidSheetName(name: string): boolean {
  return name.length > 0 && name.length <= 31 && !/[:\\/?*[\]]/.test(name);
}
