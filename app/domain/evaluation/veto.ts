/**
 * 一票否决 (spec "Veto items"): exam-based admission, illegal school choice, key schools or
 * classes, unfilled posts or long-term contract teachers outside the establishment, a major
 * safety accident or serious violation, falsified data, failure to curb off-campus tutoring and
 * homework burden. Any one that occurred fails the county whatever its figures.
 */
import { VETO_CODES, VETO_LABELS, type VetoCode } from "./codes";
import type { VetoInput } from "./input";
import type { PartStatus } from "./resource";

export interface VetoItemResult {
  code: VetoCode;
  label: string;
  /** `true` = occurred (fails the county), `false` = declared absent, `null` = not declared. */
  occurred: boolean | null;
  note: string | null;
}

export interface VetoResult {
  /** `fail` if any occurred; `pass` if all declared absent; `not_evaluated` if none declared; else `incomplete`. */
  status: PartStatus;
  items: VetoItemResult[];
  reasons: string[];
}

export function evaluateVeto(input: VetoInput | undefined): VetoResult {
  const items = VETO_CODES.map((code): VetoItemResult => {
    const i = input?.[code];
    const note = i?.note ?? null;
    return { code, label: VETO_LABELS[code], occurred: i?.occurred ?? null, note: note === "" ? null : note };
  });
  const occurred = items.filter((i) => i.occurred === true);
  const undeclared = items.filter((i) => i.occurred === null);
  const status: PartStatus =
    occurred.length > 0 ? "fail" : undeclared.length === items.length ? "not_evaluated" : undeclared.length > 0 ? "incomplete" : "pass";
  const reasons = occurred.map((i) => `一票否决：${i.code} ${i.label}${i.note ? `（${i.note}）` : ""}`);
  if (status === "incomplete") reasons.push(`未申报：${undeclared.map((i) => i.code).join("、")}`);
  if (status === "not_evaluated") reasons.push("一票否决事项未申报");
  return { status, items, reasons };
}
