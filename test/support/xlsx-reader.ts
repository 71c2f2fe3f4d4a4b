/**
 * A small XLSX reader for tests, independent of exceljs (which writes the workbooks): unzips with
 * fflate and reads the SpreadsheetML parts itself — workbook.xml and its relationships for the
 * sheet names, sharedStrings.xml, styles.xml for each cell's number format, and each sheet's
 * cells, merges, frozen pane, column widths and page setup. Only what the tests check; it
 * follows ECMA-376 Part 1 §18, not exceljs's own output, so a writer bug cannot hide behind a
 * matching reader bug.
 */
import { unzipSync, strFromU8 } from "fflate";

export type CellValue = string | number | boolean | null;

export interface ReadCell {
  value: CellValue;
  /** Number format code of the cell's style ("General" when none). */
  numFmt: string;
  /** The raw <v> text of a numeric cell (to check nothing was rounded on write). */
  raw: string | null;
}

export interface ReadSheet {
  name: string;
  /** Cells by A1 reference. */
  cells: Map<string, ReadCell>;
  merges: string[];
  frozen: { xSplit: number; ySplit: number } | null;
  columnWidths: Map<number, number>;
  pageSetup: Record<string, string>;
  fitToPage: boolean;
  printTitles: string | null;
  /** Row-major values: rows[r][c] for 1-based r, c (index 0 unused), missing cells null. */
  rows: CellValue[][];
}

export interface ReadWorkbook {
  sheetNames: string[];
  sheet(name: string): ReadSheet;
}

/** Excel's built-in number formats (ECMA-376 §18.8.30) that a writer may refer to by id. */
const BUILTIN_FORMATS: Record<number, string> = {
  0: "General",
  1: "0",
  2: "0.00",
  3: "#,##0",
  4: "#,##0.00",
  9: "0%",
  10: "0.00%",
  11: "0.00E+00",
  12: "# ?/?",
  13: "# ??/??",
  14: "mm-dd-yy",
  49: "@",
};

function decodeXml(s: string): string {
  return s.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|lt|gt|amp|quot|apos);/g, (_, e: string) => {
    if (e === "lt") return "<";
    if (e === "gt") return ">";
    if (e === "amp") return "&";
    if (e === "quot") return '"';
    if (e === "apos") return "'";
    return String.fromCodePoint(e.startsWith("#x") ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
  });
}

function attrs(tag: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of tag.matchAll(/([A-Za-z_:][\w:.-]*)="([^"]*)"/g)) out[m[1] ?? ""] = decodeXml(m[2] ?? "");
  return out;
}

/** Text of every <t> inside a fragment (plain or rich-text runs), concatenated. */
function texts(fragment: string): string {
  let out = "";
  for (const m of fragment.matchAll(/<t(?:\s[^>]*)?>([\s\S]*?)<\/t>|<t(?:\s[^>]*)?\/>/g)) out += decodeXml(m[1] ?? "");
  return out;
}

/** "B12" → { col: 2, row: 12 }. */
export function parseRef(ref: string): { col: number; row: number } {
  const m = /^([A-Z]+)(\d+)$/.exec(ref);
  if (!m) throw new Error(`bad cell reference ${ref}`);
  let col = 0;
  for (const ch of m[1] ?? "") col = col * 26 + (ch.charCodeAt(0) - 64);
  return { col, row: Number(m[2]) };
}

export function readXlsx(bytes: Uint8Array): ReadWorkbook {
  const files = unzipSync(bytes);
  const part = (path: string): string | null => {
    const f = files[path];
    return f ? strFromU8(f) : null;
  };
  const workbook = part("xl/workbook.xml");
  if (!workbook) throw new Error("not an XLSX: no xl/workbook.xml");
  const rels = new Map<string, string>();
  for (const m of (part("xl/_rels/workbook.xml.rels") ?? "").matchAll(/<Relationship\b[^>]*>/g)) {
    const a = attrs(m[0]);
    if (a.Id && a.Target) rels.set(a.Id, a.Target.replace(/^\/?xl\//, "").replace(/^\//, ""));
  }
  const sheets: { name: string; path: string; index: number }[] = [];
  for (const m of workbook.matchAll(/<sheet\b[^>]*>/g)) {
    const a = attrs(m[0]);
    const target = rels.get(a["r:id"] ?? "");
    if (a.name && target) sheets.push({ name: a.name, path: `xl/${target}`, index: sheets.length });
  }
  const printTitles = new Map<number, string>();
  for (const m of workbook.matchAll(/<definedName\b([^>]*)>([\s\S]*?)<\/definedName>/g)) {
    const a = attrs(m[1] ?? "");
    if (a.name === "_xlnm.Print_Titles" && a.localSheetId !== undefined) printTitles.set(Number(a.localSheetId), decodeXml(m[2] ?? ""));
  }

  const shared: string[] = [];
  for (const m of (part("xl/sharedStrings.xml") ?? "").matchAll(/<si>([\s\S]*?)<\/si>/g)) shared.push(texts(m[1] ?? ""));

  const styles = part("xl/styles.xml") ?? "";
  const customFormats = new Map<number, string>();
  for (const m of styles.matchAll(/<numFmt\b[^>]*>/g)) {
    const a = attrs(m[0]);
    if (a.numFmtId && a.formatCode !== undefined) customFormats.set(Number(a.numFmtId), a.formatCode);
  }
  const xfFormats: string[] = [];
  const cellXfs = /<cellXfs\b[^>]*>([\s\S]*?)<\/cellXfs>/.exec(styles)?.[1] ?? "";
  for (const m of cellXfs.matchAll(/<xf\b[^>]*>/g)) {
    const id = Number(attrs(m[0]).numFmtId ?? "0");
    xfFormats.push(customFormats.get(id) ?? BUILTIN_FORMATS[id] ?? `#${String(id)}`);
  }

  const cache = new Map<string, ReadSheet>();
  const readSheet = (s: { name: string; path: string; index: number }): ReadSheet => {
    const xml = part(s.path);
    if (!xml) throw new Error(`missing part ${s.path}`);
    const cells = new Map<string, ReadCell>();
    let maxRow = 0;
    let maxCol = 0;
    for (const m of xml.matchAll(/<c\b([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g)) {
      const a = attrs(m[1] ?? "");
      const body = m[2] ?? "";
      const ref = a.r;
      if (!ref) continue;
      const v = /<v>([\s\S]*?)<\/v>/.exec(body)?.[1];
      let value: CellValue = null;
      let raw: string | null = null;
      switch (a.t) {
        case "s":
          value = v === undefined ? null : (shared[Number(v)] ?? null);
          break;
        case "inlineStr":
          value = texts(/<is>([\s\S]*?)<\/is>/.exec(body)?.[1] ?? "");
          break;
        case "str":
          value = v === undefined ? null : decodeXml(v);
          break;
        case "b":
          value = v === "1";
          break;
        case "e":
          value = v === undefined ? null : `#ERROR ${decodeXml(v)}`;
          break;
        default:
          raw = v ?? null;
          value = v === undefined ? null : Number(v);
      }
      const numFmt = xfFormats[Number(a.s ?? "0")] ?? "General";
      cells.set(ref, { value, numFmt, raw });
      const { col, row } = parseRef(ref);
      maxRow = Math.max(maxRow, row);
      maxCol = Math.max(maxCol, col);
    }
    const rows: CellValue[][] = [];
    for (let r = 0; r <= maxRow; r++) rows.push(new Array<CellValue>(maxCol + 1).fill(null));
    for (const [ref, c] of cells) {
      const { col, row } = parseRef(ref);
      const line = rows[row];
      if (line) line[col] = c.value;
    }
    const pane = /<pane\b[^>]*>/.exec(xml);
    const paneAttrs = pane ? attrs(pane[0]) : null;
    const columnWidths = new Map<number, number>();
    for (const m of xml.matchAll(/<col\b[^>]*>/g)) {
      const a = attrs(m[0]);
      for (let c = Number(a.min); c <= Number(a.max); c++) columnWidths.set(c, Number(a.width));
    }
    const setup = /<pageSetup\b[^>]*>/.exec(xml);
    return {
      name: s.name,
      cells,
      merges: [...xml.matchAll(/<mergeCell\b[^>]*>/g)].map((m) => attrs(m[0]).ref ?? ""),
      frozen: paneAttrs && paneAttrs.state === "frozen" ? { xSplit: Number(paneAttrs.xSplit ?? 0), ySplit: Number(paneAttrs.ySplit ?? 0) } : null,
      columnWidths,
      pageSetup: setup ? attrs(setup[0]) : {},
      fitToPage: /<pageSetUpPr\b[^>]*fitToPage="(1|true)"/.test(xml),
      printTitles: printTitles.get(s.index) ?? null,
      rows,
    };
  };
  return {
    sheetNames: sheets.map((s) => s.name),
    sheet(name) {
      const s = sheets.find((x) => x.name === name);
      if (!s) throw new Error(`no sheet named ${name}; sheets: ${sheets.map((x) => x.name).join(", ")}`);
      let read = cache.get(name);
      if (!read) {
        read = readSheet(s);
        cache.set(name, read);
      }
      return read;
    },
  };
}

/** Data rows below the header row `header` (1-based), each as cells 1..n (index 0 dropped). */
export function dataRows(sheet: ReadSheet, header: number): CellValue[][] {
  return sheet.rows.slice(header + 1).map((r) => r.slice(1));
}

/** The header row's titles. */
export function headerTitles(sheet: ReadSheet, header: number): CellValue[] {
  return (sheet.rows[header] ?? []).slice(1);
}
