/**
 * Writes the 申报表 workbook of one county (app/domain/evaluation-forms) as XLSX with exceljs
 * (loaded lazily, app/.server/excel.ts). Every sheet: the title and notes, the form's header row
 * frozen and repeated on every printed page, Chinese-readable column widths with wrapped text,
 * A4 landscape fitted to one page wide. Numbers are written as numbers with the number format
 * that gives the form's rounding; every text cell is neutralised against formula injection
 * (app/domain/spreadsheet-safety.ts), since school names, evidence and notes come from the
 * uploaded data.
 */
import type ExcelJS from "exceljs";
import { headerRowNumber, type CountyForms, type FormSheet } from "../../domain/evaluation-forms";
import { neutralizeCell } from "../../domain/spreadsheet-safety";
import { loadExcel } from "../excel";

const HEADER_FILL: ExcelJS.Fill = { type: "pattern", pattern: "solid", fgColor: { argb: "FFEEF1F5" } };
const THIN: ExcelJS.Border = { style: "thin", color: { argb: "FF999999" } };
const BOX: Partial<ExcelJS.Borders> = { top: THIN, bottom: THIN, left: THIN, right: THIN };
/** Excel's paper size code for A4. */
export const A4 = 9;

/** Rows a wrapped text needs in a column `width` characters wide (a CJK character is 2). */
function linesNeeded(value: string, width: number): number {
  let units = 0;
  for (const ch of value) units += ch.charCodeAt(0) > 0x2e7f ? 2 : 1;
  return Math.max(1, Math.ceil(units / Math.max(1, width - 1)));
}

function writeSheet(wb: ExcelJS.Workbook, sheet: FormSheet, creatorNote: string): void {
  const header = headerRowNumber(sheet);
  const ws = wb.addWorksheet(sheet.name, {
    views: [{ state: "frozen", ySplit: header, xSplit: 0, topLeftCell: `A${String(header + 1)}` }],
    pageSetup: {
      paperSize: A4,
      orientation: "landscape",
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
      horizontalCentered: true,
      margins: { left: 0.4, right: 0.4, top: 0.5, bottom: 0.5, header: 0.3, footer: 0.3 },
    },
    headerFooter: { oddFooter: `${neutralizeCell(creatorNote)}  第 &P 页，共 &N 页` },
  });
  ws.pageSetup.printTitlesRow = `${String(header)}:${String(header)}`;
  ws.columns = sheet.columns.map((c) => ({ width: c.width }));
  const lastCol = Math.max(1, sheet.columns.length);

  const title = ws.getRow(1);
  title.getCell(1).value = neutralizeCell(sheet.title);
  title.font = { bold: true, size: 14 };
  title.height = 22;
  if (lastCol > 1) ws.mergeCells(1, 1, 1, lastCol);
  const totalWidth = sheet.columns.reduce((n, c) => n + c.width, 0);
  sheet.notes.forEach((note, i) => {
    const row = ws.getRow(2 + i);
    row.getCell(1).value = neutralizeCell(note);
    row.getCell(1).alignment = { wrapText: true, vertical: "top" };
    row.height = 15 * linesNeeded(note, totalWidth);
    if (lastCol > 1) ws.mergeCells(2 + i, 1, 2 + i, lastCol);
  });

  const head = ws.getRow(header);
  let headLines = 1;
  sheet.columns.forEach((c, i) => {
    const cell = head.getCell(i + 1);
    cell.value = neutralizeCell(c.header);
    cell.font = { bold: true };
    cell.fill = HEADER_FILL;
    cell.border = BOX;
    cell.alignment = { wrapText: true, vertical: "middle", horizontal: "center" };
    headLines = Math.max(headLines, linesNeeded(c.header, c.width));
  });
  head.height = 15 * headLines + 4;

  const emphasis = new Set(sheet.emphasis);
  sheet.rows.forEach((cells, r) => {
    const row = ws.getRow(header + 1 + r);
    let lines = 1;
    cells.forEach((c, i) => {
      const cell = row.getCell(i + 1);
      if (typeof c.value === "number") {
        cell.value = Number.isFinite(c.value) ? c.value : null;
        if (c.numFmt) cell.numFmt = c.numFmt;
        cell.alignment = { vertical: "top", horizontal: "right" };
      } else {
        cell.value = c.value === null ? null : neutralizeCell(c.value);
        cell.alignment = { vertical: "top", wrapText: true };
        if (c.value) lines = Math.max(lines, linesNeeded(c.value, sheet.columns[i]?.width ?? 10));
      }
      cell.border = BOX;
      if (emphasis.has(r)) cell.font = { bold: true };
    });
    row.height = Math.min(409, 15 * lines + 2);
  });
  for (const m of sheet.merges) ws.mergeCells(header + 1 + m.from, m.column + 1, header + 1 + m.to, m.column + 1);
}

/** The workbook of one county as XLSX bytes. */
export async function writeFormsWorkbook(forms: CountyForms): Promise<Uint8Array> {
  const wb = new (await loadExcel()).Workbook();
  wb.creator = "县域义务教育优质均衡发展调查评估平台";
  wb.title = `${forms.countyName} 县域义务教育优质均衡发展督导评估申报表`;
  for (const sheet of forms.sheets) writeSheet(wb, sheet, `${forms.countyName} 申报表`);
  return new Uint8Array(await wb.xlsx.writeBuffer());
}
