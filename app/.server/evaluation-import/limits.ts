/**
 * Caps on what an uploaded evaluation-data or school-list file may unpack to, checked while it
 * is read (a running count as each zip entry inflates, a row count as each sheet streams), so a
 * small zip of a huge CSV or a workbook of a million rows is refused before it is held in full.
 *
 * Sized for a city-wide file with a wide margin: a county has at most a few hundred schools,
 * a city some 2,000; the 班级 sheet (one row per class) is the longest, about 40,000 rows for a
 * city, and the demo city's whole workbook unpacks to under 2 MB. docs/evaluation.md lists them.
 */

export interface ImportLimits {
  /** Bytes all entries of a zip (or .xlsx) may inflate to together. */
  totalBytes: number;
  /** Bytes one entry may inflate to. */
  entryBytes: number;
  /**
   * Bytes of CSV text a zip may hold, all entries together. CSV is held whole to be decoded
   * (its encoding is only known from all of it), where an .xlsx part streams through the XML
   * reader: this is what bounds the import worker's heap (../import-worker/), and 20 MB is
   * several times a city's real tables (a 班级 sheet of 40,000 rows is about 3 MB of CSV).
   */
  textBytes: number;
  /** Entries in a zip (an Excel workbook has about 20, the CSV zip 11). */
  entries: number;
  /** Rows of one sheet or CSV file, header included. */
  rowsPerSheet: number;
  /** Columns of one row (问卷 has 8 fixed columns plus one per question: about 50 for all three questionnaires). */
  columnsPerRow: number;
  /** Characters in one cell: Excel's own limit, so no real workbook holds more. */
  cellChars: number;
}

export const IMPORT_LIMITS: ImportLimits = {
  totalBytes: 50 * 1024 * 1024,
  entryBytes: 50 * 1024 * 1024,
  textBytes: 20 * 1024 * 1024,
  entries: 200,
  rowsPerSheet: 100_000,
  columnsPerRow: 200,
  cellChars: 32_767,
};

export const limitsWith = (overrides: Partial<ImportLimits> = {}): ImportLimits => ({ ...IMPORT_LIMITS, ...overrides });

/** 50 MB, 1.5 MB, 800 KB: the way the message to the officer states a byte cap. */
export function sizeLabel(bytes: number): string {
  const mb = bytes / (1024 * 1024);
  if (mb >= 1) return `${Number(mb.toFixed(mb >= 10 ? 0 : 1)).toString()} MB`;
  return `${Math.max(1, Math.round(bytes / 1024)).toString()} KB`;
}

/**
 * A file refused as a whole, for one cause, with the message the officer sees
 * (「文件解压后超过 50 MB」). Thrown from deep inside a reader to stop it at once.
 */
export class FileRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = "FileRefused";
  }
}
