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
        d = new Uint8Array(deflateRawSync(piece, { level: 9, finishFlush: constants.Z_SYNC_FLUSH }));
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

/**
 * A minimal but complete .xlsx with one sheet (inline strings), the way small generators write
 * it; `body` yields the XML inside <sheetData> after the header row.
 */
export function minimalXlsx(sheetName: string, header: readonly string[], body: () => Iterable<string>): Uint8Array {
  const cell = (ref: string, text: string) => `<c r="${ref}" t="inlineStr"><is><t>${xmlEscape(text)}</t></is></c>`;
  const letters = (i: number) => String.fromCharCode(65 + i);
  const head = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1">${header.map((h, i) => cell(`${letters(i)}1`, h)).join("")}</row>`;
  const fixed: Record<string, string> = {
    "[Content_Types].xml": `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>`,
    "_rels/.rels": `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
    "xl/workbook.xml": `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="${xmlEscape(sheetName)}" sheetId="1" r:id="rId1"/></sheets></workbook>`,
    "xl/_rels/workbook.xml.rels": `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`,
  };
  return streamedZip([
    ...Object.entries(fixed).map(([name, text]) => ({ name, pieces: () => [strToU8(text)] })),
    {
      name: "xl/worksheets/sheet1.xml",
      pieces: function* () {
        yield strToU8(head);
        const bytes = new Map<string, Uint8Array>();
        for (const s of body()) {
          let b = bytes.get(s);
          if (!b) bytes.set(s, (b = strToU8(s)));
          yield b;
        }
        yield strToU8("</sheetData></worksheet>");
      },
    },
  ]);
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
