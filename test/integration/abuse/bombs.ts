/**
 * Hostile and careless uploads, built on the fly (nothing big is committed): zips that inflate
 * far beyond what they declare, workbooks of a million rows, too many entries, huge cells,
 * bytes in no encoding. Each piece of an entry is deflated on its own (zlib, ending in a sync
 * flush, so the pieces simply follow one another in the stream) and a piece that repeats is
 * deflated once: the 300 MB CSV is never held in memory here and takes milliseconds to write.
 */
import { constants, crc32, deflateRawSync } from "node:zlib";
import { strToU8, zipSync } from "fflate";

export function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}

export interface StreamedEntry {
  name: string;
  /** The entry's content, piece by piece. */
  pieces: () => Iterable<Uint8Array>;
  /** zlib level: 9 (the default) for bombs, 1 for big honest content that would take long to squeeze. */
  level?: number;
}

/** A zip of deflated entries, written piece by piece (the central directory holds the true sizes and CRCs). */
export function streamedZip(entries: readonly StreamedEntry[]): Uint8Array {
  const out: Uint8Array[] = [];
  const central: Uint8Array[] = [];
  let offset = 0;
  const deflated = new Map<Uint8Array, Uint8Array>();
  for (const e of entries) {
    const name = strToU8(e.name);
    const data: Uint8Array[] = [];
    let crc = 0;
    let size = 0;
    for (const piece of e.pieces()) {
      let d = deflated.get(piece);
      if (!d) {
        d = new Uint8Array(deflateRawSync(piece, { level: e.level ?? 9, finishFlush: constants.Z_SYNC_FLUSH }));
        deflated.set(piece, d);
      }
      data.push(d);
      crc = crc32(piece, crc);
      size += piece.byteLength;
    }
    data.push(Uint8Array.of(0x03, 0x00)); // the final, empty block
    const compressed = data.reduce((n, d) => n + d.byteLength, 0);
    const header = (central: boolean) => {
      const h = new DataView(new ArrayBuffer(central ? 46 : 30));
      let at = 0;
      h.setUint32(at, central ? 0x02014b50 : 0x04034b50, true);
      at += 4;
      if (central) {
        h.setUint16(at, 20, true);
        at += 2;
      }
      h.setUint16(at, 20, true); // version needed
      h.setUint16(at + 2, 0x800, true); // UTF-8 name
      h.setUint16(at + 4, 8, true); // deflate
      h.setUint32(at + 10, crc >>> 0, true);
      h.setUint32(at + 14, compressed, true);
      h.setUint32(at + 18, size, true);
      h.setUint16(at + 22, name.byteLength, true);
      if (central) h.setUint32(42, offset, true);
      return new Uint8Array(h.buffer);
    };
    central.push(header(true), name);
    const local = [header(false), name, ...data];
    out.push(...local);
    offset += local.reduce((n, d) => n + d.byteLength, 0);
  }
  const directory = concat(central);
  const end = new DataView(new ArrayBuffer(22));
  end.setUint32(0, 0x06054b50, true);
  end.setUint16(8, entries.length, true);
  end.setUint16(10, entries.length, true);
  end.setUint32(12, directory.byteLength, true);
  end.setUint32(16, offset, true);
  return concat([...out, directory, new Uint8Array(end.buffer)]);
}

/** `count` copies of `piece`. */
export function* repeat(piece: Uint8Array, count: number): Iterable<Uint8Array> {
  for (let i = 0; i < count; i += 1) yield piece;
}

/**
 * The same zip with every entry's declared uncompressed size (central directory and local
 * headers) set to `size`: what a zip bomb does to slip past a check of declared sizes.
 */
export function lyingAboutSize(zip: Uint8Array, size = 1000): Uint8Array {
  const out = Uint8Array.from(zip);
  const view = new DataView(out.buffer);
  let eocd = out.byteLength - 22;
  while (eocd >= 0 && view.getUint32(eocd, true) !== 0x06054b50) eocd -= 1;
  let at = view.getUint32(eocd + 16, true);
  const count = view.getUint16(eocd + 10, true);
  for (let i = 0; i < count; i += 1) {
    view.setUint32(at + 24, size, true);
    const local = view.getUint32(at + 42, true);
    view.setUint32(local + 22, size, true);
    at += 46 + view.getUint16(at + 28, true) + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
  }
  return out;
}

const xmlEscape = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

export interface MinimalSheet {
  name: string;
  header: readonly string[];
  /** The XML inside <sheetData> after the header row, piece by piece. */
  body: () => Iterable<string>;
}

/** A minimal but complete .xlsx (inline strings), the way small generators write one. */
export function minimalXlsxSheets(sheets: readonly MinimalSheet[], level = 9): Uint8Array {
  const cell = (ref: string, text: string) => `<c r="${ref}" t="inlineStr"><is><t>${xmlEscape(text)}</t></is></c>`;
  const letters = (i: number) => (i < 26 ? String.fromCharCode(65 + i) : String.fromCharCode(64 + Math.floor(i / 26)) + String.fromCharCode(65 + (i % 26)));
  const n = (i: number) => String(i + 1);
  const fixed: Record<string, string> = {
    "[Content_Types].xml": `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>${sheets.map((_, i) => `<Override PartName="/xl/worksheets/sheet${n(i)}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`).join("")}</Types>`,
    "_rels/.rels": `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
    "xl/workbook.xml": `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>${sheets.map((sh, i) => `<sheet name="${xmlEscape(sh.name)}" sheetId="${n(i)}" r:id="rId${n(i)}"/>`).join("")}</sheets></workbook>`,
    "xl/_rels/workbook.xml.rels": `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${sheets.map((_, i) => `<Relationship Id="rId${n(i)}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet${n(i)}.xml"/>`).join("")}</Relationships>`,
  };
  return streamedZip([
    ...Object.entries(fixed).map(([name, text]) => ({ name, pieces: () => [strToU8(text)] })),
    ...sheets.map((sheet, i) => ({
      name: `xl/worksheets/sheet${n(i)}.xml`,
      level,
      pieces: function* () {
        yield strToU8(
          `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1">${sheet.header.map((h, c) => cell(`${letters(c)}1`, h)).join("")}</row>`,
        );
        // A piece that repeats is the same bytes, so streamedZip deflates it once.
        const bytes = new Map<string, Uint8Array>();
        for (const s of sheet.body()) {
          let b = bytes.get(s);
          if (!b) bytes.set(s, (b = strToU8(s)));
          yield b;
        }
        yield strToU8("</sheetData></worksheet>");
      },
    })),
  ]);
}

/** One sheet: see minimalXlsxSheets. */
export function minimalXlsx(sheetName: string, header: readonly string[], body: () => Iterable<string>): Uint8Array {
  return minimalXlsxSheets([{ name: sheetName, header, body }]);
}

/** `n` rows of one number each, from row 2 on, in pieces of 10,000 rows. */
export function* numberRows(n: number): Iterable<string> {
  for (let start = 2; start < n + 2; start += 10_000) {
    let s = "";
    for (let r = start; r < Math.min(start + 10_000, n + 2); r += 1) s += `<row r="${String(r)}"><c r="A${String(r)}"><v>1</v></c></row>`;
    yield s;
  }
}

/** A zip of `n` tiny CSV files. */
export function manyEntries(n: number): Uint8Array {
  return zipSync(Object.fromEntries(Array.from({ length: n }, (_, i) => [`f${String(i)}.csv`, strToU8("a\n1\n")])));
}

/**
 * An honest but heavy workbook within every cap: 中宁县 and `rows` questionnaire records of 32
 * items each (about 1 million cells). It imports; it simply takes seconds to read, which is
 * what the main thread must not wait for.
 */
export function heavyWorkbook(rows: number): Uint8Array {
  const items = Array.from({ length: 32 }, (_, i) => `Q${String(i + 1)}`);
  const header = ["问卷类型", "县（区）代码", "学校标识码", "调查对象", "年级", "城乡类型", "总体评价", "是否有效", ...items];
  const letters = (i: number) => (i < 26 ? String.fromCharCode(65 + i) : String.fromCharCode(64 + Math.floor(i / 26)) + String.fromCharCode(65 + (i % 26)));
  const text = (ref: string, t: string) => `<c r="${ref}" t="inlineStr"><is><t>${t}</t></is></c>`;
  return minimalXlsxSheets(
    [
      {
        name: "县（区）",
        header: ["县（区）代码", "县（区）名称"],
        body: () => ['<row r="2"><c r="A2" t="inlineStr"><is><t>640521</t></is></c><c r="B2" t="inlineStr"><is><t>中宁县</t></is></c></row>'],
      },
      {
        name: "问卷",
        header,
        body: function* () {
          for (let start = 2; start < rows + 2; start += 1000) {
            let s = "";
            for (let r = start; r < Math.min(start + 1000, rows + 2); r += 1) {
              const n = String(r);
              s += `<row r="${n}">${text(`A${n}`, "社会卷")}${text(`B${n}`, "640521")}${text(`D${n}`, "家长")}<c r="G${n}"><v>${String(1 + (r % 5))}</v></c>${text(`H${n}`, "是")}`;
              for (let i = 0; i < items.length; i += 1) s += `<c r="${letters(8 + i)}${n}"><v>${String(1 + ((r + i) % 5))}</v></c>`;
              s += "</row>";
            }
            yield s;
          }
        },
      },
    ],
    1,
  );
}
