/**
 * Exported cells that a spreadsheet could run as a formula (CSV/formula injection, OWASP): a
 * text whose first non-blank character is `=`, `+`, `-` or `@` — or their full-width forms
 * `＝＋－＠` (and the small forms `﹦﹢﹣﹫`), which WPS and Excel with a Chinese IME accept as the
 * start of a formula — is prefixed with an apostrophe, so Excel and WPS show it as text. "Blank"
 * covers what spreadsheets skip before looking: spaces (ASCII, no-break, the full-width 　),
 * tabs, carriage returns and line feeds; a text starting with a tab, CR or LF is prefixed in
 * any case. Numbers stay numbers (a negative number is a number, not a text starting with "-").
 * Pure.
 */
const DANGEROUS = /^(?:[\t\r\n]|[ \u00a0\u3000\t\r\n]*[=+\-@\uff1d\uff0b\uff0d\uff20\ufe66\ufe62\ufe63\ufe6b])/;

export function neutralizeCell(value: string): string {
  return DANGEROUS.test(value) ? `'${value}` : value;
}

/** A value for a spreadsheet cell: texts neutralised, numbers and empties as they are. */
export function safeCellValue<T>(value: T): T | string {
  return typeof value === "string" ? neutralizeCell(value) : value;
}

/** One CSV field (RFC 4180): neutralised, then quoted when it holds a comma, quote or newline. */
export function csvField(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "";
  const safe = neutralizeCell(value);
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function csvLine(values: ReadonlyArray<string | number | null | undefined>): string {
  return `${values.map(csvField).join(",")}\r\n`;
}

/**
 * A `Content-Disposition: attachment` header for a file name that may hold anything a county or
 * school name holds (Chinese, quotes, backslashes, semicolons, line breaks): an ASCII fallback
 * `filename="…"` in which every character outside printable ASCII, and `"` and `\`, become `_`
 * (so the quoted string cannot be closed early), and the exact name as RFC 8187 `filename*`,
 * percent-encoding everything but the attr-chars (encodeURIComponent leaves `'()*!` alone, and
 * `'` delimits the charset there).
 */
export function attachmentHeader(name: string): string {
  const fallback = name.replace(/[^\x20-\x7e]|["\\]/g, "_");
  const encoded = encodeURIComponent(name).replace(/['()*!]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}
