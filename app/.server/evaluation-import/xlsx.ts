/**
 * Reading the cells of an .xlsx workbook as plain tables, streaming and capped: each part
 * inflates through the capped zip reader (./unzip) straight into an incremental XML tokenizer
 * (./xml), sheet by sheet in workbook order, and a sheet past the row cap stops the read.
 *
 * Why not exceljs here (it still writes the template): `Workbook.xlsx.load` holds the whole
 * workbook and fails on files re-saved by openpyxl («Cannot read properties of undefined
 * (reading 'comments')» — it looks comments up by a relative part name, openpyxl writes
 * absolute ones), and its streaming `WorkbookReader` finds sheet names only by relative
 * targets too (an openpyxl file's sheets come out as «Sheet1»…) and cannot be stopped inside a
 * zip entry. The relationships are resolved here as the Open Packaging Conventions define them
 * (relative to the part, or absolute), which is what Excel, WPS, LibreOffice and openpyxl write.
 */
import { FileRefused, type ImportLimits } from "./limits";
import { ZipReader, type ZipEntry } from "./unzip";
import { decodeXmlText, XmlTokenizer, type XmlHandler } from "./xml";

/**
 * A cell that holds no usable value although something is in it: an Excel error (#DIV/0!,
 * #N/A, #REF!) or a formula without a computed result (a file written by a program that does
 * not calculate, such as openpyxl, and never opened in Excel). Never read as "not provided".
 */
export class ProblemCell {
  constructor(
    readonly kind: "error" | "uncalculated",
    /** The error code, or the formula. */
    readonly detail: string,
  ) {}

  get message(): string {
    return this.kind === "error"
      ? `单元格为错误值 ${this.detail}，请修正公式或直接填写数值`
      : `单元格是公式（=${this.detail}）但文件中没有计算结果，请在 Excel 或 WPS 中打开后重新保存，或直接填写数值`;
  }

  toString(): string {
    return this.kind === "error" ? this.detail : `=${this.detail}`;
  }
}

export type XlsxCell = string | number | boolean | null | ProblemCell;

export interface XlsxSheet {
  name: string;
  /** Rows with a value, by 1-based row number; cells by 0-based column. */
  rows: { row: number; cells: XlsxCell[] }[];
}

const broken = () => new FileRefused("无法读取 Excel 文件：文件已损坏，或不是 .xlsx 格式（旧版 .xls 请另存为 .xlsx）");

/** Column letters of a cell reference («AB12» → 27), 0-based; -1 when there are none. */
function columnOf(ref: string): number {
  let n = 0;
  let i = 0;
  for (; i < ref.length; i += 1) {
    const c = ref.charCodeAt(i);
    if (c >= 65 && c <= 90) n = n * 26 + (c - 64);
    else if (c >= 97 && c <= 122) n = n * 26 + (c - 96);
    else break;
  }
  return i === 0 ? -1 : n - 1;
}

/** A part name relative to another part (OPC): «worksheets/sheet1.xml» from xl/workbook.xml, or «/xl/…». */
function resolvePart(from: string, target: string): string {
  if (target.startsWith("/")) return target.slice(1);
  const base = from.split("/").slice(0, -1);
  for (const segment of target.split("/")) {
    if (segment === "..") base.pop();
    else if (segment !== "." && segment !== "") base.push(segment);
  }
  return base.join("/");
}

const relsOf = (part: string) => {
  const parts = part.split("/");
  const file = parts.pop() ?? "";
  return [...parts, "_rels", `${file}.rels`].join("/");
};

export class XlsxReader {
  private readonly zip: ZipReader;
  private readonly byName = new Map<string, ZipEntry>();

  constructor(
    bytes: Uint8Array,
    private readonly limits: ImportLimits,
  ) {
    this.zip = new ZipReader(bytes, limits, "无法读取 Excel 文件");
    for (const e of this.zip.entries) this.byName.set(e.name.replace(/\\/g, "/").replace(/^\//, "").toLowerCase(), e);
  }

  private entry(part: string): ZipEntry | undefined {
    return this.byName.get(part.toLowerCase());
  }

  private parse(part: string, handler: XmlHandler): boolean {
    const entry = this.entry(part);
    if (!entry) return false;
    const tokenizer = new XmlTokenizer(handler, broken);
    this.zip.read(entry, (chunk) => tokenizer.push(chunk));
    tokenizer.push(new Uint8Array(0), true);
    return true;
  }

  private relationships(part: string): { id: string; type: string; target: string }[] {
    const out: { id: string; type: string; target: string }[] = [];
    this.parse(relsOf(part), {
      open: (name, a) => {
        if (name === "Relationship" && a.TargetMode !== "External") out.push({ id: a.Id ?? "", type: a.Type ?? "", target: resolvePart(part, a.Target ?? "") });
      },
      close: () => undefined,
      text: () => undefined,
    });
    return out;
  }

  /** Every worksheet, in workbook order (chartsheets and macrosheets have no cells here). */
  sheets(): XlsxSheet[] {
    const root = this.relationships("");
    const workbook = root.find((r) => r.type.endsWith("/officeDocument"))?.target ?? "xl/workbook.xml";
    const declared: { name: string; rid: string }[] = [];
    const found = this.parse(workbook, {
      open: (name, a) => {
        if (name === "sheet") declared.push({ name: a.name ?? "", rid: a.id ?? "" });
      },
      close: () => undefined,
      text: () => undefined,
    });
    if (!found) throw broken();
    const rels = this.relationships(workbook);
    const strings = this.sharedStrings(rels.find((r) => r.type.endsWith("/sharedStrings"))?.target ?? null);
    const out: XlsxSheet[] = [];
    for (const s of declared) {
      const rel = rels.find((r) => r.id === s.rid);
      if (!rel || !rel.type.endsWith("/worksheet")) continue;
      out.push({ name: s.name, rows: this.sheet(s.name, rel.target, strings) });
    }
    return out;
  }

  private tooLong(where: string): FileRefused {
    return new FileRefused(`${where}的单元格超过 ${String(this.limits.cellChars)} 个字符（Excel 单元格的上限），请检查文件`);
  }

  /** The shared string table: the text of each <si>, phonetic runs (<rPh>) left out. */
  private sharedStrings(part: string | null): string[] {
    const strings: string[] = [];
    if (part === null) return strings;
    let inText = false;
    let inPhonetic = false;
    let raw = "";
    const cap = this.limits.cellChars;
    this.parse(part, {
      open: (name) => {
        if (name === "si") raw = "";
        else if (name === "rPh") inPhonetic = true;
        else if (name === "t" && !inPhonetic) inText = true;
      },
      close: (name) => {
        if (name === "t") inText = false;
        else if (name === "rPh") inPhonetic = false;
        else if (name === "si") {
          const text = decodeXmlText(raw);
          if (text.length > cap) throw this.tooLong("共享字符串表中");
          strings.push(text);
        }
      },
      text: (t) => {
        if (!inText) return;
        raw += t;
        // Raw text can be longer than the text (entities); six times the cap is certainly too long.
        if (raw.length > cap * 6) throw this.tooLong("共享字符串表中");
      },
    });
    return strings;
  }

  private sheet(sheetName: string, part: string, strings: readonly string[]): XlsxSheet["rows"] {
    const { rowsPerSheet, columnsPerRow, cellChars } = this.limits;
    const rows: XlsxSheet["rows"] = [];
    let rowCount = 0;
    let rowNumber = 0;
    let cells: XlsxCell[] = [];
    let column = -1;
    let type = "n";
    let capture: "v" | "f" | "t" | null = null;
    let inPhonetic = false;
    let value = "";
    let formula: string | null = null;
    let inline = "";
    let hasValue = false;
    const where = () => `工作表「${sheetName}」第 ${String(rowNumber)} 行第 ${String(column + 1)} 列`;
    const found = this.parse(part, {
      open: (name, a) => {
        switch (name) {
          case "row": {
            rowCount += 1;
            if (rowCount > rowsPerSheet) throw new FileRefused(`工作表「${sheetName}」超过 ${String(rowsPerSheet)} 行，请检查是否选错了文件或误填了大量空行`);
            const r = Number(a.r);
            rowNumber = Number.isInteger(r) && r > 0 ? r : rowNumber + 1;
            cells = [];
            column = -1;
            break;
          }
          case "c": {
            const c = a.r === undefined ? -1 : columnOf(a.r);
            column = c >= 0 ? c : column + 1;
            type = a.t ?? "n";
            value = "";
            formula = null;
            inline = "";
            hasValue = false;
            break;
          }
          case "v":
            capture = "v";
            hasValue = true;
            break;
          case "f":
            capture = "f";
            formula ??= "";
            break;
          case "rPh":
            inPhonetic = true;
            break;
          case "t":
            if (!inPhonetic) capture = "t";
            break;
        }
      },
      close: (name) => {
        switch (name) {
          case "v":
          case "f":
          case "t":
            capture = null;
            break;
          case "rPh":
            inPhonetic = false;
            break;
          case "c": {
            const cell = this.cellValue(
              type,
              hasValue ? decodeXmlText(value) : null,
              formula === null ? null : decodeXmlText(formula),
              decodeXmlText(inline),
              strings,
            );
            if (cell === null) break;
            if (typeof cell === "string" && cell.length > cellChars) throw this.tooLong(where());
            if (column >= columnsPerRow) throw new FileRefused(`工作表「${sheetName}」第 ${String(rowNumber)} 行超过 ${String(columnsPerRow)} 列，请检查文件`);
            while (cells.length < column) cells.push(null);
            cells[column] = cell;
            break;
          }
          case "row":
            if (cells.length > 0) rows.push({ row: rowNumber, cells });
            cells = [];
            break;
        }
      },
      text: (t) => {
        if (capture === null) return;
        if (capture === "v") value += t;
        else if (capture === "f") formula = (formula ?? "") + t;
        else inline += t;
        if (value.length + inline.length + (formula?.length ?? 0) > cellChars * 6) throw this.tooLong(where());
      },
    });
    if (!found) throw broken();
    return rows;
  }

  private cellValue(type: string, v: string | null, formula: string | null, inline: string, strings: readonly string[]): XlsxCell {
    const uncalculated = formula !== null && (v === null || v === "") ? new ProblemCell("uncalculated", formula.trim() || "…") : null;
    switch (type) {
      case "s": {
        if (v === null || v === "") return uncalculated;
        const s = strings[Number(v)];
        if (s === undefined) throw broken();
        return s;
      }
      case "inlineStr":
        return inline;
      case "str":
        return uncalculated ?? v ?? "";
      case "b":
        return uncalculated ?? (v === null ? null : v.trim() === "1" || v.trim().toLowerCase() === "true");
      case "e":
        return new ProblemCell("error", v?.trim() || "#VALUE!");
      default: {
        // "n", "d" (ISO date text) and anything unknown: a number when it is one.
        if (uncalculated) return uncalculated;
        if (v === null || v.trim() === "") return null;
        if (type === "d") return v.trim();
        const n = Number(v);
        // 1e400 stays text, so the cell parser says what is wrong with it.
        return Number.isFinite(n) ? n : v.trim();
      }
    }
  }
}
