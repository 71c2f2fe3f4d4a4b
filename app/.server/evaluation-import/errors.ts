/** An import error, located by sheet (or JSON section), row and column, in Chinese. */
export interface ImportError {
  /** Sheet name (「学校」), CSV file, or the JSON top-level key (schools). */
  sheet: string;
  /** 1-based row of the sheet (header = 1), or the 1-based record number in JSON; null = whole sheet/file. */
  row: number | null;
  /** Column header, or the JSON field path inside the record; null = whole row. */
  column: string | null;
  message: string;
}

/** 「学校」第 5 行「小学在校生数（人）」：应为不小于 0 的整数，实际为“-3” */
export function formatImportError(e: ImportError): string {
  const where = [`「${e.sheet}」`, e.row !== null ? `第 ${String(e.row)} 行` : "", e.column !== null ? `「${e.column}」` : ""].join("");
  return `${where}：${e.message}`;
}

/**
 * `notes`: what the import assumed to accept the file as typed (a sheet named "县(区)", a type
 * written "九年一贯制", a missing optional sheet), in Chinese, to show with the result.
 */
export type ImportResult<T> = { ok: true; value: T; notes?: string[] } | { ok: false; errors: ImportError[] };
