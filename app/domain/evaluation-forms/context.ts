/** What every sheet of the 申报表 builder shares: the sheet names, the build context, small cell helpers. */
import type { CountyVerdict, EvaluationResult, EvaluationSettings } from "../evaluation";
import { ITEM_STATUS_LABELS } from "../evaluation/codes";
import type { SchoolInput } from "../evaluation/input";
import { text, type FormCell, type FormColumn, type FormSheet } from "./sheet";

/** Sheet names, in workbook order. */
export const SHEET_NAMES = {
  basic: "基本情况",
  schools: "学校名单",
  table3Primary: "表Ⅲ 小学",
  table3Junior: "表Ⅲ 初中",
  guarantee: "政府保障程度",
  g3: "G3 音乐美术专用教室",
  g4: "G4 学校规模",
  g5: "G5 班额",
  g6: "G6 公用经费核定",
  g7: "G7 特殊教育学校",
  quality: "教育质量",
  q4: "Q4 教师培训经费",
  q9: "Q9 质量监测",
  table6: "表Ⅵ 社会认可度",
  veto: "一票否决",
  borderline: "临界值",
} as const;

export const FULL_PRECISION_HEADER = "全精度值（临界值）";

export interface Ctx {
  result: Pick<EvaluationResult, "settings" | "input">;
  settings: EvaluationSettings;
  verdict: CountyVerdict;
  schools: SchoolInput[];
  schoolById: Map<string, SchoolInput>;
  meanFmt: string;
  cvFmt: string;
  pctFmt: string;
  pctNumberFmt: string;
}

export function sheet(
  name: string,
  title: string,
  notes: string[],
  columns: FormColumn[],
  rows: FormCell[][],
  extra: Partial<Pick<FormSheet, "merges" | "emphasis">> = {},
): FormSheet {
  return { name, title, notes, columns, rows, merges: extra.merges ?? [], emphasis: extra.emphasis ?? [] };
}

export const col = (header: string, width: number): FormColumn => ({ header, width });
export const statusCell = (s: keyof typeof ITEM_STATUS_LABELS): FormCell => text(ITEM_STATUS_LABELS[s]);
