/**
 * What the evaluation engine returns (`evaluateCounties` in ./index.ts, `npm run evaluate`): the
 * county verdict and its Chinese labels, the parts and the whole result. Kept apart from the
 * engine so ./output-schema.ts can check the result against its schema without importing the
 * engine that re-exports the schema (no import circle).
 */
import type { BorderlineFlag } from "./display";
import type { CountyInput, EvaluationInput, SchoolInput } from "./input";
import type { ItemsPartResult, Shortfall } from "./items";
import type { PartStatus, ResourceResult } from "./resource";
import type { EvaluationSettings } from "./settings";
import type { ResourceShortfalls } from "./shortfalls";
import type { SatisfactionData, SatisfactionResult } from "./social";
import type { VetoResult } from "./veto";

export type Verdict = "pass" | "fail" | "not_evaluated" | "sample_insufficient";
export const VERDICT_LABELS: Record<Verdict, string> = {
  pass: "达标",
  fail: "未达标",
  not_evaluated: "未能全面评估（部分数据缺失）",
  sample_insufficient: "社会认可度样本不足",
};
/**
 * Status label of the 社会认可度 part: "未评估（样本未核对）" when questionnaires are in but the
 * sample could not be checked (no 常住人口), else the part status label.
 */
export function satisfactionStatusLabel(s: Pick<SatisfactionResult, "status" | "sampleChecked" | "overall">): string {
  if (s.status === "not_evaluated" && !s.sampleChecked && s.overall.n > 0) return "未评估（未填报常住人口，样本未核对）";
  return PART_STATUS_LABELS[s.status];
}

/** Appended to the verdict label when the 社会认可度 part is the platform's self-assessment. */
export const SELF_ASSESSMENT_LABEL = "（社会认可度为自评结果）";

export const PART_STATUS_LABELS: Record<PartStatus | "sample_insufficient", string> = {
  pass: "达标",
  fail: "未达标",
  incomplete: "数据不完整",
  not_evaluated: "未评估（无数据）",
  sample_insufficient: "样本不足",
};

export interface CountyShortfalls {
  resource: ResourceShortfalls;
  /** G1–G15 and Q1–Q9 shortfalls, per school or for the county. */
  items: Shortfall[];
  /** 社会认可度 (SAT) and sample-plan (SAMPLE) shortfalls. */
  satisfaction: Shortfall[];
  /** Chinese summary lines, county totals first. */
  summary: string[];
}

export interface CountyVerdict {
  countyId: string;
  countyName: string;
  verdict: Verdict;
  verdictLabel: string;
  /** Every failing item, unit or cell named in Chinese; then what is missing. */
  reasons: string[];
  parts: {
    resource: ResourceResult;
    guarantee: ItemsPartResult;
    quality: ItemsPartResult;
    satisfaction: SatisfactionResult;
    veto: VetoResult;
  };
  shortfalls: CountyShortfalls;
  borderline: BorderlineFlag[];
}

export interface EvaluationResult {
  format: "youzhi-junheng/evaluation-result";
  version: 1;
  notice: string;
  settings: EvaluationSettings;
  /** The inputs, echoed; questionnaire records are echoed as their count rows. */
  input: {
    title: string | null;
    note: string | null;
    counties: CountyInput[];
    schools: SchoolInput[];
    countyItems: EvaluationInput["countyItems"];
    satisfaction: (SatisfactionData & { source: "records" | "counts"; records: number | null }) | null;
  };
  counties: CountyVerdict[];
}
