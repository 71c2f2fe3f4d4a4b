/**
 * Reads back the PNGs the QR card writes (8-bit greyscale, or 8-bit RGB/RGBA as `qrcode` writes,
 * every row filter 0 or any of the five filters): width, height and one grey value per pixel.
 * For tests: the app never decodes images.
 */
import { inflateSync } from "node:zlib";

export interface GreyImage {
  width: number;
  height: number;
  /** 0 black … 255 white, row-major. */
  at(x: number, y: number): number;
}

export function decodePng(png: Buffer): GreyImage {
  if (!png.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) throw new Error("not a PNG");
  let offset = 8;
  let width = 0;
  let height = 0;
  let colorType = 0;
  const idat: Buffer[] = [];
  while (offset < png.length) {
    const length = png.readUInt32BE(offset);
    const type = png.toString("latin1", offset + 4, offset + 8);
    const body = png.subarray(offset + 8, offset + 8 + length);
    if (type === "IHDR") {
      width = body.readUInt32BE(0);
      height = body.readUInt32BE(4);
      if (body.readUInt8(8) !== 8) throw new Error("only 8-bit PNGs");
      colorType = body.readUInt8(9);
    }
    if (type === "IDAT") idat.push(body);
    offset += 12 + length;
  }
  const channels = colorType === 0 ? 1 : colorType === 2 ? 3 : colorType === 6 ? 4 : 0;
  if (channels === 0) throw new Error(`colour type ${String(colorType)} not handled`);
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const out = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)] ?? 0;
    for (let i = 0; i < stride; i++) {
      const x = raw[y * (stride + 1) + 1 + i] ?? 0;
      const a = i >= channels ? (out[y * stride + i - channels] ?? 0) : 0;
      const b = y > 0 ? (out[(y - 1) * stride + i] ?? 0) : 0;
      const c = y > 0 && i >= channels ? (out[(y - 1) * stride + i - channels] ?? 0) : 0;
      const p = a + b - c;
      const pa = Math.abs(p - a);
      const pb = Math.abs(p - b);
      const pc = Math.abs(p - c);
      const predictor = [0, a, b, (a + b) >> 1, pa <= pb && pa <= pc ? a : pb <= pc ? b : c][filter] ?? 0;
      out[y * stride + i] = (x + predictor) & 0xff;
    }
  }
  return { width, height, at: (x, y) => out[y * stride + x * channels] ?? 255 };
}
