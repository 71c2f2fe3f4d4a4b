/**
 * Just enough of a TrueType reader to draw a caption under a QR code: the first font of a
 * .ttf or .ttc file with `glyf` outlines (WenQuanYi Micro Hei, Droid Sans Fallback — Debian's
 * fonts-wqy-microhei), its cmap (formats 4 and 12), metrics, and simple and composite glyphs
 * as polygons (quadratic curves flattened). No hinting, no kerning, no shaping: Chinese text
 * needs none of them at caption size. A font with CFF outlines (OpenType .otf, Noto CJK) is
 * refused (`null`), and the caller draws no caption.
 */
export interface Point {
  x: number;
  y: number;
}

export interface Font {
  unitsPerEm: number;
  ascender: number;
  descender: number;
  /** Glyph index of a code point; 0 (.notdef) when the font has none. */
  glyphIndex(codePoint: number): number;
  advance(glyph: number): number;
  /** Closed contours in font units, y up. */
  outline(glyph: number): Point[][];
}

const CURVE_STEPS = 6;

export function parseFont(data: Buffer): Font | null {
  if (data.length < 12) return null;
  let base = 0;
  if (data.toString("latin1", 0, 4) === "ttcf") base = data.readUInt32BE(12);
  const version = data.readUInt32BE(base);
  if (version !== 0x00010000 && data.toString("latin1", base, base + 4) !== "true") return null;
  const numTables = data.readUInt16BE(base + 4);
  const tables = new Map<string, { offset: number; length: number }>();
  for (let i = 0; i < numTables; i++) {
    const rec = base + 12 + 16 * i;
    tables.set(data.toString("latin1", rec, rec + 4), { offset: data.readUInt32BE(rec + 8), length: data.readUInt32BE(rec + 12) });
  }
  const head = tables.get("head");
  const hhea = tables.get("hhea");
  const hmtx = tables.get("hmtx");
  const loca = tables.get("loca");
  const glyf = tables.get("glyf");
  const cmap = tables.get("cmap");
  const maxp = tables.get("maxp");
  if (!head || !hhea || !hmtx || !loca || !glyf || !cmap || !maxp) return null;
  const unitsPerEm = data.readUInt16BE(head.offset + 18);
  const longLoca = data.readInt16BE(head.offset + 50) === 1;
  const ascender = data.readInt16BE(hhea.offset + 4);
  const descender = data.readInt16BE(hhea.offset + 6);
  const numberOfHMetrics = data.readUInt16BE(hhea.offset + 34);
  const numGlyphs = data.readUInt16BE(maxp.offset + 4);

  const lookup = cmapLookup(data, cmap.offset);
  if (!lookup) return null;

  const glyphRange = (g: number): [number, number] => {
    if (longLoca) return [data.readUInt32BE(loca.offset + 4 * g), data.readUInt32BE(loca.offset + 4 * g + 4)];
    return [data.readUInt16BE(loca.offset + 2 * g) * 2, data.readUInt16BE(loca.offset + 2 * g + 2) * 2];
  };

  const outline = (g: number, depth = 0): Point[][] => {
    if (g < 0 || g >= numGlyphs || depth > 4) return [];
    const [start, end] = glyphRange(g);
    if (end <= start) return [];
    const p = glyf.offset + start;
    const contours = data.readInt16BE(p);
    return contours >= 0 ? simpleGlyph(data, p, contours) : compositeGlyph(data, p + 10, (child) => outline(child, depth + 1));
  };

  return {
    unitsPerEm,
    ascender,
    descender,
    glyphIndex: (cp) => {
      const g = lookup(cp);
      return g > 0 && g < numGlyphs ? g : 0;
    },
    advance: (g) => data.readUInt16BE(hmtx.offset + 4 * Math.min(g, numberOfHMetrics - 1)),
    outline: (g) => outline(g),
  };
}

function cmapLookup(data: Buffer, offset: number): ((cp: number) => number) | null {
  const count = data.readUInt16BE(offset + 2);
  let format4: number | null = null;
  let format12: number | null = null;
  for (let i = 0; i < count; i++) {
    const rec = offset + 4 + 8 * i;
    const platform = data.readUInt16BE(rec);
    const encoding = data.readUInt16BE(rec + 2);
    const sub = offset + data.readUInt32BE(rec + 4);
    const format = data.readUInt16BE(sub);
    if (format === 12 && (platform === 3 || platform === 0)) format12 = sub;
    if (format === 4 && ((platform === 3 && encoding === 1) || platform === 0)) format4 ??= sub;
  }
  if (format12 !== null) {
    const sub = format12;
    const groups = data.readUInt32BE(sub + 12);
    return (cp) => {
      let lo = 0;
      let hi = groups - 1;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        const g = sub + 16 + 12 * mid;
        const startCode = data.readUInt32BE(g);
        const endCode = data.readUInt32BE(g + 4);
        if (cp < startCode) hi = mid - 1;
        else if (cp > endCode) lo = mid + 1;
        else return data.readUInt32BE(g + 8) + (cp - startCode);
      }
      return 0;
    };
  }
  if (format4 !== null) {
    const sub = format4;
    const segX2 = data.readUInt16BE(sub + 6);
    const ends = sub + 14;
    const starts = ends + segX2 + 2;
    const deltas = starts + segX2;
    const rangeOffsets = deltas + segX2;
    return (cp) => {
      if (cp > 0xffff) return 0;
      for (let i = 0; i < segX2; i += 2) {
        if (cp > data.readUInt16BE(ends + i)) continue;
        const startCode = data.readUInt16BE(starts + i);
        if (cp < startCode) return 0;
        const delta = data.readInt16BE(deltas + i);
        const ro = data.readUInt16BE(rangeOffsets + i);
        if (ro === 0) return (cp + delta) & 0xffff;
        const g = data.readUInt16BE(rangeOffsets + i + ro + 2 * (cp - startCode));
        return g === 0 ? 0 : (g + delta) & 0xffff;
      }
      return 0;
    };
  }
  return null;
}

function simpleGlyph(data: Buffer, p: number, contours: number): Point[][] {
  const endPts: number[] = [];
  for (let i = 0; i < contours; i++) endPts.push(data.readUInt16BE(p + 10 + 2 * i));
  const numPoints = (endPts[endPts.length - 1] ?? -1) + 1;
  let q = p + 10 + 2 * contours;
  q += 2 + data.readUInt16BE(q); // instructions
  const flags: number[] = [];
  while (flags.length < numPoints) {
    const f = data.readUInt8(q++);
    flags.push(f);
    if (f & 8) {
      let repeat = data.readUInt8(q++);
      while (repeat-- > 0) flags.push(f);
    }
  }
  const xs: number[] = [];
  let v = 0;
  for (const f of flags) {
    if (f & 2) {
      const d = data.readUInt8(q++);
      v += f & 16 ? d : -d;
    } else if (!(f & 16)) {
      v += data.readInt16BE(q);
      q += 2;
    }
    xs.push(v);
  }
  const ys: number[] = [];
  v = 0;
  for (const f of flags) {
    if (f & 4) {
      const d = data.readUInt8(q++);
      v += f & 32 ? d : -d;
    } else if (!(f & 32)) {
      v += data.readInt16BE(q);
      q += 2;
    }
    ys.push(v);
  }
  const out: Point[][] = [];
  let first = 0;
  for (const last of endPts) {
    const pts = [];
    for (let i = first; i <= last; i++) pts.push({ x: xs[i] ?? 0, y: ys[i] ?? 0, on: ((flags[i] ?? 0) & 1) === 1 });
    first = last + 1;
    if (pts.length > 1) out.push(flatten(pts));
  }
  return out;
}

/** Quadratic B-spline contour (on/off points) → polygon. */
function flatten(pts: Array<{ x: number; y: number; on: boolean }>): Point[] {
  const n = pts.length;
  const at = (i: number) => pts[((i % n) + n) % n] ?? { x: 0, y: 0, on: true };
  // Start from an on-curve point (or the midpoint of two off-curve points).
  let startIndex = pts.findIndex((p) => p.on);
  const poly: Point[] = [];
  let start: Point;
  if (startIndex === -1) {
    const a = at(0);
    const b = at(1);
    start = { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 };
    startIndex = 0;
  } else {
    start = at(startIndex);
  }
  poly.push({ x: start.x, y: start.y });
  let current = start;
  for (let k = 1; k <= n; k++) {
    const p = at(startIndex + k);
    if (p.on) {
      poly.push({ x: p.x, y: p.y });
      current = p;
      continue;
    }
    const next = at(startIndex + k + 1);
    const end = next.on ? next : { x: (p.x + next.x) / 2, y: (p.y + next.y) / 2 };
    for (let s = 1; s <= CURVE_STEPS; s++) {
      const t = s / CURVE_STEPS;
      const u = 1 - t;
      poly.push({ x: u * u * current.x + 2 * u * t * p.x + t * t * end.x, y: u * u * current.y + 2 * u * t * p.y + t * t * end.y });
    }
    current = end;
    if (next.on) k++;
  }
  return poly;
}

function compositeGlyph(data: Buffer, p: number, child: (g: number) => Point[][]): Point[][] {
  const out: Point[][] = [];
  for (;;) {
    const flags = data.readUInt16BE(p);
    const index = data.readUInt16BE(p + 2);
    p += 4;
    let dx = 0;
    let dy = 0;
    if (flags & 1) {
      dx = flags & 2 ? data.readInt16BE(p) : 0;
      dy = flags & 2 ? data.readInt16BE(p + 2) : 0;
      p += 4;
    } else {
      dx = flags & 2 ? data.readInt8(p) : 0;
      dy = flags & 2 ? data.readInt8(p + 1) : 0;
      p += 2;
    }
    let [a, b, c, d] = [1, 0, 0, 1];
    const f2dot14 = (o: number) => data.readInt16BE(o) / 16384;
    if (flags & 8) {
      a = d = f2dot14(p);
      p += 2;
    } else if (flags & 0x40) {
      a = f2dot14(p);
      d = f2dot14(p + 2);
      p += 4;
    } else if (flags & 0x80) {
      a = f2dot14(p);
      b = f2dot14(p + 2);
      c = f2dot14(p + 4);
      d = f2dot14(p + 6);
      p += 8;
    }
    for (const contour of child(index)) out.push(contour.map((pt) => ({ x: a * pt.x + c * pt.y + dx, y: b * pt.x + d * pt.y + dy })));
    if (!(flags & 0x20)) break;
  }
  return out;
}
