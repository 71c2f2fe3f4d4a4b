/**
 * Exported cells that a spreadsheet could run as a formula (CSV/formula injection, OWASP): a
 * text starting with `=`, `+`, `-` or `@` — or with a tab or carriage return, which some
 * spreadsheets skip before looking — is prefixed with an apostrophe, so Excel and WPS show it as
 * text. Numbers stay numbers (a negative number is a number, not a text starting with "-").
 * Pure.
 */
const DANGEROUS = /^[=+\-@\t\r]/;

export function neutralizeCell(value: string): string {
  return DANGEROUS.test(value) ? `'${value}` : value;
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
