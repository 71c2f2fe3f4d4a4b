/**
 * A stored response row for repository tests: the demo campaign's 沙坡头区 school spt01, the
 * 社会卷, a parent; device, respondent and idempotency keys numbered by `n`. Override any column.
 */
import type { NewResponse } from "../../db/schema";

export function responseRow(n: number, over: Partial<NewResponse> = {}): NewResponse {
  return {
    campaign_id: "zw2026",
    county_id: "640502",
    school_id: "spt01",
    questionnaire_id: "social",
    questionnaire_version: 1,
    respondent_group: "parent",
    grade: 3,
    location: "urban",
    answers: "{}",
    overall_score: 5,
    score_sum: 5,
    score_count: 1,
    comment: null,
    started_at: 1,
    submitted_at: 2,
    duration_ms: 1,
    device_hash: `d${n}`,
    respondent_key: `r${n}`,
    idempotency_key: `k${n}`,
    supervision_code_id: null,
    flags: "[]",
    ...over,
  };
}
