/**
 * An 8-bit grey canvas with anti-aliased polygon filling (non-zero winding, 4 sub-scanlines,
 * exact horizontal coverage) and a PNG encoder (greyscale, filter 0, node:zlib) — what the QR
 * card needs, without a native canvas library.
 */
import { deflateSync } from "node:zlib";
import type { Point } from "./truetype";

export interface Canvas {
  width: number;
  height: number;
  /** Row-major, 0 black … 255 white. */
  pixels: Uint8Array;
}

export function createCanvas(width: number, height: number): Canvas {
  return { width, height, pixels: new Uint8Array(width * height).fill(255) };
}

export function fillRect(c: Canvas, x: number, y: number, w: number, h: number, value: number): void {
  for (let row = Math.max(0, y); row < Math.min(c.height, y + h); row++) {
    c.pixels.fill(value, row * c.width + Math.max(0, x), row * c.width + Math.min(c.width, x + w));
  }
}

const SUB = 4;

/** Fills closed polygons (pixel coordinates, y down) with `ink`, blending by coverage. */
export function fillPolygons(c: Canvas, polygons: readonly Point[][], ink: number): void {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  const edges: Array<[number, number, number, number]> = [];
  for (const poly of polygons) {
    for (let i = 0; i < poly.length; i++) {
      const a = poly[i];
      const b = poly[(i + 1) % poly.length];
      if (!a || !b || a.y === b.y) continue;
      edges.push([a.x, a.y, b.x, b.y]);
      minX = Math.min(minX, a.x, b.x);
      maxX = Math.max(maxX, a.x, b.x);
      minY = Math.min(minY, a.y, b.y);
      maxY = Math.max(maxY, a.y, b.y);
    }
  }
  if (edges.length === 0) return;
  const x0 = Math.max(0, Math.floor(minX));
  const x1 = Math.min(c.width, Math.ceil(maxX) + 1);
  const acc = new Float32Array(x1 - x0 + 1);
  const crossings: Array<{ x: number; w: number }> = [];
  for (let y = Math.max(0, Math.floor(minY)); y < Math.min(c.height, Math.ceil(maxY)); y++) {
    acc.fill(0);
    for (let s = 0; s < SUB; s++) {
      const sy = y + (s + 0.5) / SUB;
      crossings.length = 0;
      for (const [ax, ay, bx, by] of edges) {
        if ((ay <= sy && sy < by) || (by <= sy && sy < ay)) crossings.push({ x: ax + ((sy - ay) * (bx - ax)) / (by - ay), w: by > ay ? 1 : -1 });
      }
      crossings.sort((p, q) => p.x - q.x);
      let winding = 0;
      for (let i = 0; i < crossings.length - 1; i++) {
        const here = crossings[i];
        const next = crossings[i + 1];
        if (!here || !next) continue;
        winding += here.w;
        if (winding === 0) continue;
        const xa = Math.max(x0, here.x);
        const xb = Math.min(x1, next.x);
        for (let px = Math.floor(xa); px < xb; px++) {
          const cover = Math.min(xb, px + 1) - Math.max(xa, px);
          if (cover > 0) acc[px - x0] = (acc[px - x0] ?? 0) + cover / SUB;
        }
      }
    }
    for (let px = x0; px < x1; px++) {
      const cov = Math.min(1, acc[px - x0] ?? 0);
      if (cov <= 0) continue;
      const at = y * c.width + px;
      c.pixels[at] = Math.round((c.pixels[at] ?? 255) * (1 - cov) + ink * cov);
    }
  }
}

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let v = n;
    for (let k = 0; k < 8; k++) v = v & 1 ? 0xedb88320 ^ (v >>> 1) : v >>> 1;
    t[n] = v >>> 0;
  }
  return t;
})();

function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const b of bytes) crc = (CRC_TABLE[(crc ^ b) & 0xff] ?? 0) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function chunk(type: string, body: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(body.length, 0);
  head.write(type, 4, "latin1");
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), body])), 0);
  return Buffer.concat([head, body, crc]);
}

/** The canvas as an 8-bit greyscale PNG (every row filter 0). */
export function encodePng(c: Canvas): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(c.width, 0);
  ihdr.writeUInt32BE(c.height, 4);
  ihdr.writeUInt8(8, 8); // bit depth
  ihdr.writeUInt8(0, 9); // greyscale
  const raw = Buffer.alloc((c.width + 1) * c.height);
  for (let y = 0; y < c.height; y++) {
    raw[y * (c.width + 1)] = 0;
    raw.set(c.pixels.subarray(y * c.width, (y + 1) * c.width), y * (c.width + 1) + 1);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", ihdr),
    chunk("IDAT", deflateSync(raw, { level: 6 })),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}
