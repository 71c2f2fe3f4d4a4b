/**
 * The documented JSON format (docs/evaluation.md, docs/schemas/evaluation-input.schema.json):
 * parsed, checked against the schema with Chinese messages, then against the cross-record
 * rules. Errors are located by top-level key (as the "sheet"), record number and field path.
 */
import { z } from "zod/v4";
import { EvaluationInputSchema, type EvaluationInput } from "../../domain/evaluation/input";
import { validateInputSemantics, type Ref } from "../../domain/evaluation/validate-input";
import type { ImportError, ImportResult } from "./errors";

const zhCN = z.locales.zhCN();

function locate(ref: Ref): Omit<ImportError, "message"> {
  const f = (field: string | undefined, prefix = "") => (field === undefined ? prefix || null : `${prefix}${prefix ? "." : ""}${field}`);
  switch (ref.entity) {
    case "county":
      return { sheet: "counties", row: ref.index + 1, column: f(ref.field) };
    case "school":
      return { sheet: "schools", row: ref.index + 1, column: f(ref.field) };
    case "section":
      return { sheet: "schools", row: ref.schoolIndex + 1, column: f(ref.field, `sections.${ref.level}`) };
    case "facilities":
      return { sheet: "schools", row: ref.schoolIndex + 1, column: f(ref.field, "facilities") };
    case "room":
      return { sheet: "schools", row: ref.schoolIndex + 1, column: f(ref.field, `specialRooms[${String(ref.roomIndex)}]`) };
    case "class":
      return { sheet: "schools", row: ref.schoolIndex + 1, column: f(ref.field, `classes[${String(ref.classIndex)}]`) };
    case "countyItem":
      return { sheet: "countyItems", row: ref.index + 1, column: ref.code ? f(ref.field, ref.code) : f(ref.field) };
    case "record":
      return { sheet: "satisfaction.records", row: ref.index + 1, column: f(ref.field) };
  }
}

function pathError(path: readonly PropertyKey[], message: string): ImportError {
  const parts = path.map((p) => (typeof p === "symbol" ? String(p) : p));
  // satisfaction.records[i].field → sheet "satisfaction.records", row i + 1
  const recordAt = parts.findIndex((p) => typeof p === "number");
  if (recordAt === -1) return { sheet: parts.length > 0 ? String(parts[0]) : "（根）", row: null, column: parts.slice(1).join(".") || null, message };
  const index = parts[recordAt];
  return {
    sheet: parts.slice(0, recordAt).join(".") || "（根）",
    row: typeof index === "number" ? index + 1 : null,
    column:
      parts
        .slice(recordAt + 1)
        .map((p) => (typeof p === "number" ? `[${String(p)}]` : String(p)))
        .join(".")
        .replace(/\.\[/g, "[") || null,
    message,
  };
}

/** Parses and validates the JSON input format. */
export function importJson(text: string): ImportResult<EvaluationInput> {
  let data: unknown;
  try {
    data = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (e) {
    // JSON.parse's own message is English; only the place it stopped at is passed on.
    const at = /position (\d+)/.exec(e instanceof Error ? e.message : "");
    let where = "";
    if (at) {
      const before = text.slice(0, Number(at[1]));
      const line = before.split("\n").length;
      where = `（第 ${String(line)} 行第 ${String(before.length - before.lastIndexOf("\n"))} 列附近）`;
    }
    return { ok: false, errors: [{ sheet: "JSON", row: null, column: null, message: `JSON 格式错误${where}，请检查括号、引号和逗号` }] };
  }
  const parsed = EvaluationInputSchema.safeParse(data, { error: zhCN.localeError });
  if (!parsed.success) return { ok: false, errors: parsed.error.issues.map((i) => pathError(i.path, i.message)) };
  const issues = validateInputSemantics(parsed.data);
  if (issues.length > 0) return { ok: false, errors: issues.map((i) => ({ ...locate(i.ref), message: i.message })) };
  return { ok: true, value: parsed.data };
}
