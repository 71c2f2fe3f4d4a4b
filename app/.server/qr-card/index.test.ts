import fs from "node:fs";
import QRCode from "qrcode";
import { describe, expect, it } from "vitest";
import { decodePng } from "../../../test/support/png";
import { CAPTION_FONT_FILES, captionFont, qrCard } from ".";
import { createCanvas, encodePng, fillPolygons } from "./raster";
import { parseFont } from "./truetype";

const URL_ = "https://survey.zwjy.gov.cn/s/MX56dzIwMjZ-NjQwNTIxfnpuMDF-c29jaWFs.OkP6BnY00UNNaaXK_G6STw";
const CAPTION = [
  { text: "中宁县第一小学", size: 0.06, ink: 0 },
  { text: "家长 · 请扫码填写《社会卷》", size: 0.048, ink: 0 },
];
const font = captionFont();
const fontFile = CAPTION_FONT_FILES.find((f) => fs.existsSync(f));
if (!font) console.info(`no CJK TrueType font among ${CAPTION_FONT_FILES.join(", ")}: the caption tests are skipped (install fonts-wqy-microhei)`);

describe("the PNG encoder and the polygon filler", () => {
  it("round-trips a canvas through PNG", () => {
    const c = createCanvas(3, 2);
    c.pixels.set([0, 128, 255, 7, 8, 9]);
    const img = decodePng(encodePng(c));
    expect([img.width, img.height]).toEqual([3, 2]);
    expect([img.at(0, 0), img.at(1, 0), img.at(2, 0), img.at(0, 1), img.at(1, 1), img.at(2, 1)]).toEqual([0, 128, 255, 7, 8, 9]);
  });

  it("fills a square with exact coverage at its half-pixel edges", () => {
    const c = createCanvas(20, 20);
    fillPolygons(
      c,
      [
        [
          { x: 2.5, y: 2 },
          { x: 12.5, y: 2 },
          { x: 12.5, y: 12 },
          { x: 2.5, y: 12 },
        ],
      ],
      0,
    );
    const at = (x: number, y: number) => c.pixels[y * 20 + x];
    expect(at(5, 5)).toBe(0); // inside
    expect(at(2, 5)).toBe(128); // half covered: 255 × 0.5, rounded
    expect(at(12, 5)).toBe(128);
    expect(at(1, 5)).toBe(255);
    expect(at(5, 12)).toBe(255); // the bottom edge is at y = 12 exactly
    expect(at(5, 1)).toBe(255);
  });

  it("leaves a hole where the winding cancels (a ring)", () => {
    const c = createCanvas(20, 20);
    const outer = [
      { x: 0, y: 0 },
      { x: 20, y: 0 },
      { x: 20, y: 20 },
      { x: 0, y: 20 },
    ];
    const inner = [
      { x: 5, y: 5 },
      { x: 5, y: 15 },
      { x: 15, y: 15 },
      { x: 15, y: 5 },
    ]; // opposite direction
    fillPolygons(c, [outer, inner], 0);
    expect(c.pixels[2 * 20 + 2]).toBe(0);
    expect(c.pixels[10 * 20 + 10]).toBe(255);
  });
});

describe("the QR card", () => {
  it("without a font is the QR code alone, whole pixels per module, quiet zone of 4, every module where qrcode puts it", () => {
    const card = qrCard(URL_, CAPTION, { minWidth: 800, margin: 4, font: null });
    const modules = QRCode.create(URL_, { errorCorrectionLevel: "M" }).modules;
    expect(card.captioned).toBe(false);
    expect(card.width).toBe(card.height);
    expect(card.width).toBe((modules.size + 8) * card.scale);
    expect(card.width).toBeGreaterThanOrEqual(800);
    const img = decodePng(card.png);
    for (let r = -4; r < modules.size + 4; r++) {
      for (let col = -4; col < modules.size + 4; col++) {
        const dark = r >= 0 && col >= 0 && r < modules.size && col < modules.size && modules.get(r, col) === 1;
        const x = (col + 4) * card.scale + (card.scale >> 1);
        const y = (r + 4) * card.scale + (card.scale >> 1);
        expect(img.at(x, y), `module ${String(r)},${String(col)}`).toBe(dark ? 0 : 255);
      }
    }
  });

  it.skipIf(!font)("with the system CJK font draws the caption under the code and keeps 3 modules of quiet zone clear", () => {
    const card = qrCard(URL_, CAPTION, { minWidth: 800, margin: 4, font });
    expect(card.captioned).toBe(true);
    expect(card.height).toBeGreaterThan(card.width + 100);
    const img = decodePng(card.png);
    const qrBottom = card.width - 4 * card.scale;
    let clear = true;
    for (let y = qrBottom; y < qrBottom + 3 * card.scale; y++) for (let x = 0; x < img.width; x++) if (img.at(x, y) !== 255) clear = false;
    expect(clear).toBe(true);
    let ink = 0;
    for (let y = qrBottom + 3 * card.scale; y < img.height; y++) for (let x = 0; x < img.width; x++) if (img.at(x, y) < 128) ink++;
    expect(ink).toBeGreaterThan(2000); // two lines of Chinese at ~40 px
    // Left and right margins of the caption stay white (centred, shrunk to fit).
    for (let y = card.width; y < img.height; y++) {
      expect(img.at(2, y)).toBe(255);
      expect(img.at(img.width - 3, y)).toBe(255);
    }
  });

  it.skipIf(!font)("shrinks a line too long for the width instead of cutting it", () => {
    const long = [{ text: "中".repeat(60), size: 0.06, ink: 0 }];
    const card = qrCard(URL_, long, { minWidth: 800, margin: 4, font });
    const img = decodePng(card.png);
    for (let y = card.width; y < img.height; y++) {
      for (let x = 0; x < 10; x++) expect(img.at(x, y)).toBe(255);
    }
  });
});

describe.skipIf(!fontFile)("the TrueType reader", () => {
  it("maps Chinese and ASCII to glyphs with outlines and advances", () => {
    const f = parseFont(fs.readFileSync(fontFile ?? ""));
    expect(f).not.toBeNull();
    if (!f) return;
    const zhong = f.glyphIndex("中".codePointAt(0) ?? 0);
    const a = f.glyphIndex(65);
    expect(zhong).toBeGreaterThan(0);
    expect(a).toBeGreaterThan(0);
    expect(f.outline(zhong).length).toBeGreaterThanOrEqual(2); // 口 and the stroke through it
    expect(f.advance(zhong)).toBe(f.unitsPerEm); // full width
    expect(f.advance(a)).toBeLessThan(f.unitsPerEm);
    expect(f.glyphIndex(0x10ffff)).toBe(0);
  });

  it("refuses what is not a TrueType font", () => {
    expect(parseFont(Buffer.from("not a font at all"))).toBeNull();
    expect(parseFont(Buffer.alloc(4))).toBeNull();
  });
});
