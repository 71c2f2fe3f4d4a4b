/**
 * Parsing one cell of the workbook by its column type, with Chinese error messages. Blank cells
 * are `null` ("not provided"); a blank required cell is an error.
 */
import { scoreOf } from "../../domain/survey-scale";
import { RATING_LABELS, RATINGS, type Rating } from "../../domain/evaluation/codes";
import { ProblemCell, type Cell } from "./tables";
import { normaliseValue, type CellType } from "./sheets";

/** `assumed`: the cell's text was not a code or label but a synonym, read as `label` (reported in the import's notes). */
export type Parsed = { ok: true; value: string | number | boolean | null; assumed?: { typed: string; label: string } } | { ok: false; message: string };

const shown = (c: Cell) => `“${String(c)}”`;

/**
 * Number text as officers type it: thousands separators (, and ，), full-width digits and signs
 * (２１５０, －３, ．５ — a Chinese IME's full-width mode), surrounding spaces. NFKC folds the
 * full-width forms to ASCII. Null when it is not a number.
 */
function numberText(c: Cell): string | null {
  if (typeof c !== "string") return null;
  const t = c.normalize("NFKC").trim().replace(/,/g, "");
  return t === "" || !/^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/.test(t) ? null : t;
}

function toNumber(c: Cell): number | null {
  if (typeof c === "number") return Number.isFinite(c) ? c : null;
  const t = numberText(c);
  if (t === null) return null;
  const n = Number(t);
  return Number.isFinite(n) ? n : null;
}

/** A number too large to hold (1e400): said as such, not as "not a number". */
const outOfRange = (c: Cell) => numberText(c) !== null && toNumber(c) === null;
const OUT_OF_RANGE = (c: Cell) => `数值过大，超出可处理的范围，实际为${shown(c)}`;

/** Blank: nothing in the cell. A ProblemCell (#DIV/0!, a formula never calculated) is not blank. */
export function isBlankCell(c: Cell | undefined): boolean {
  return c === undefined || c === null || (typeof c === "string" && c.trim() === "");
}

const YES = new Set(["是", "有", "true", "TRUE", "True", "Y", "y", "yes", "1", "√"]);
const NO = new Set(["否", "无", "false", "FALSE", "False", "N", "n", "no", "0", "×"]);

export function parseBool(c: Cell): boolean | null {
  if (typeof c === "boolean") return c;
  const t = String(c).trim();
  if (YES.has(t)) return true;
  if (NO.has(t)) return false;
  return null;
}

export function parseRating(c: Cell): Rating | null {
  const t = String(c).trim();
  return RATINGS.find((r) => r === t || RATING_LABELS[r] === t) ?? null;
}

export function parseCell(c: Cell | undefined, type: CellType, required: boolean): Parsed {
  if (c === undefined || isBlankCell(c)) return required ? { ok: false, message: "必填项为空" } : { ok: true, value: null };
  // Even in an optional cell: an error value or an uncalculated formula is not "not provided".
  if (c instanceof ProblemCell) return { ok: false, message: c.message };
  switch (type.kind) {
    case "text":
      return { ok: true, value: String(c).trim() };
    case "int": {
      if (outOfRange(c)) return { ok: false, message: OUT_OF_RANGE(c) };
      const n = toNumber(c);
      if (n === null || !Number.isInteger(n)) return { ok: false, message: `应为整数，实际为${shown(c)}` };
      if (type.min !== undefined && n < type.min) return { ok: false, message: `应不小于 ${String(type.min)}，实际为 ${String(n)}` };
      if (type.max !== undefined && n > type.max) return { ok: false, message: `应不大于 ${String(type.max)}，实际为 ${String(n)}` };
      return { ok: true, value: n };
    }
    case "number": {
      if (outOfRange(c)) return { ok: false, message: OUT_OF_RANGE(c) };
      const n = toNumber(c);
      if (n === null) return { ok: false, message: `应为数字，实际为${shown(c)}` };
      if (type.min !== undefined && n < type.min) return { ok: false, message: `不能为负数，实际为 ${String(n)}` };
      if (type.exclusiveMin !== undefined && n <= type.exclusiveMin) return { ok: false, message: `应大于 ${String(type.exclusiveMin)}，实际为 ${String(n)}` };
      return { ok: true, value: n };
    }
    case "percent": {
      const n = toNumber(typeof c === "string" ? c.normalize("NFKC").trim().replace(/%$/, "") : c);
      if (n === null || n < 0 || n > 100) return { ok: false, message: `应为 0–100 之间的百分数，实际为${shown(c)}` };
      return { ok: true, value: Number((n / 100).toPrecision(12)) };
    }
    case "enum": {
      const t = String(c).trim();
      const hit = Object.entries(type.values).find(([code, label]) => code === t || label === t);
      if (hit) return { ok: true, value: hit[0] };
      // Width, spaces or a known short form ("九年一贯制" for 九年一贯制学校): accepted, and said.
      const n = normaliseValue(t);
      const loose = Object.entries(type.values).find(([code, label]) => normaliseValue(code) === n || normaliseValue(label) === n);
      const code = loose?.[0] ?? type.synonyms?.[n];
      const label = code === undefined ? undefined : type.values[code];
      if (code === undefined || label === undefined) return { ok: false, message: `应为 ${Object.values(type.values).join("/")} 之一，实际为${shown(c)}` };
      return { ok: true, value: code, assumed: { typed: t, label } };
    }
    case "bool": {
      const v = parseBool(c);
      return v === null ? { ok: false, message: `应填“是”或“否”，实际为${shown(c)}` } : { ok: true, value: v };
    }
    case "rating": {
      const v = parseRating(c);
      return v === null ? { ok: false, message: `应为 优秀/良好/合格/不合格 之一，实际为${shown(c)}` } : { ok: true, value: v };
    }
    case "score": {
      if (typeof c === "string") {
        const s = scoreOf(c.trim());
        if (s !== undefined) return { ok: true, value: s };
      }
      const n = toNumber(c);
      if (n !== null && Number.isInteger(n) && n >= 1 && n <= 5) return { ok: true, value: n };
      return { ok: false, message: `应为 满意/比较满意/基本满意/不满意/很不满意/不了解 或 1–5，实际为${shown(c)}` };
    }
  }
}
