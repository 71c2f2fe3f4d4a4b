/**
 * The QR card posted in a class WeChat group: the link's QR code (whole pixels per module, the
 * standard quiet zone of 4) with a caption under it — the school, who is asked and
 * 请扫码填写《…》 — so a parent scrolling the group sees what the picture is. The caption is
 * drawn from a system CJK TrueType font (fonts-wqy-microhei: see CAPTION_FONT_FILES); where none
 * is installed the card is the QR code alone, which still scans.
 */
import fs from "node:fs";
import QRCode from "qrcode";
import { createCanvas, encodePng, fillPolygons, fillRect, type Canvas } from "./raster";
import { parseFont, type Font } from "./truetype";

/** Fonts tried in turn; the first that parses (TrueType outlines) draws captions. */
export const CAPTION_FONT_FILES = [
  "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
  "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
  "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
  "/usr/share/fonts/truetype/arphic/uming.ttc",
];

let cached: Font | null | undefined;

/** The caption font of this machine, read once; null when none of CAPTION_FONT_FILES is usable. */
export function captionFont(files: readonly string[] = CAPTION_FONT_FILES): Font | null {
  if (cached !== undefined && files === CAPTION_FONT_FILES) return cached;
  let found: Font | null = null;
  for (const file of files) {
    try {
      found = parseFont(fs.readFileSync(file));
    } catch {
      found = null;
    }
    if (found) break;
  }
  if (files === CAPTION_FONT_FILES) cached = found;
  return found;
}

export interface CaptionLine {
  text: string;
  /** Font size as a fraction of the card's width. */
  size: number;
  /** 0 black … 255 white. */
  ink: number;
}

/** Width in pixels of `text` at `px`. */
function measure(font: Font, text: string, px: number): number {
  let w = 0;
  for (const ch of text) w += font.advance(font.glyphIndex(ch.codePointAt(0) ?? 0));
  return (w * px) / font.unitsPerEm;
}

function drawText(c: Canvas, font: Font, text: string, px: number, x: number, baseline: number, ink: number): void {
  const scale = px / font.unitsPerEm;
  let pen = x;
  for (const ch of text) {
    const g = font.glyphIndex(ch.codePointAt(0) ?? 0);
    const contours = font.outline(g).map((poly) => poly.map((p) => ({ x: pen + p.x * scale, y: baseline - p.y * scale })));
    fillPolygons(c, contours, ink);
    pen += font.advance(g) * scale;
  }
}

export interface QrCard {
  png: Buffer;
  width: number;
  height: number;
  /** Pixels per module, and the quiet zone in modules. */
  scale: number;
  margin: number;
  captioned: boolean;
}

/**
 * The card for `url`: QR at ⌈minWidth / (modules + 2 × margin)⌉ px per module, then the caption
 * lines centred under it (each shrunk to fit the width, never wrapped).
 */
export function qrCard(url: string, caption: readonly CaptionLine[], options: { minWidth: number; margin: number; font?: Font | null }): QrCard {
  const qr = QRCode.create(url, { errorCorrectionLevel: "M" });
  const modules = qr.modules.size;
  const margin = options.margin;
  const scale = Math.ceil(options.minWidth / (modules + 2 * margin));
  const width = (modules + 2 * margin) * scale;
  const font = options.font === undefined ? captionFont() : options.font;
  const lines = font ? caption.filter((l) => l.text.trim() !== "") : [];
  const side = Math.round(width * 0.06);
  const sized = lines.map((l) => {
    const wanted = Math.round(width * l.size);
    const fits = font ? Math.floor((wanted * (width - 2 * side)) / Math.max(1, measure(font, l.text, wanted))) : wanted;
    return { ...l, px: Math.max(10, Math.min(wanted, fits)) };
  });
  const textHeight = sized.reduce((h, l) => h + Math.round(l.px * 1.45), 0);
  const height = width + (sized.length > 0 ? textHeight + Math.round(scale * margin * 0.75) : 0);
  const canvas = createCanvas(width, height);
  for (let r = 0; r < modules; r++) {
    for (let col = 0; col < modules; col++) {
      if (qr.modules.get(r, col)) fillRect(canvas, (col + margin) * scale, (r + margin) * scale, scale, scale, 0);
    }
  }
  if (font) {
    // The caption starts inside the bottom quiet zone's lower part: 3 of its 4 modules stay clear.
    let y = width - Math.round(scale * margin * 0.25);
    for (const l of sized) {
      const lineHeight = Math.round(l.px * 1.45);
      const baseline = y + Math.round((lineHeight + l.px * ((font.ascender + font.descender) / font.unitsPerEm)) / 2);
      drawText(canvas, font, l.text, l.px, Math.round((width - measure(font, l.text, l.px)) / 2), baseline, l.ink);
      y += lineHeight;
    }
  }
  return { png: encodePng(canvas), width, height, scale, margin, captioned: sized.length > 0 };
}
