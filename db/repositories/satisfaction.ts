/**
 * 社会认可度 counts straight from SQL: one row per (county, school, group, questionnaire,
 * location, grade) with total / invalid / valid / satisfied, and per-item score counts over the
 * valid questionnaires — the shape app/domain/satisfaction.ts computes rates from. Whether a
 * questionnaire is satisfied is decided here under the campaign's rule from the per-response
 * columns (overall_score, score_sum, score_count), so a changed rule or a reviewer's
 * invalidation is reflected at once; no JSON is parsed.
 */
import { sql, type Kysely, type RawBuilder } from "kysely";
import type { ItemScoreCount, SatisfactionCell, SatisfactionRule } from "../../app/domain/satisfaction";
import { overallScoresSatisfying } from "../../app/domain/satisfaction";
import { LOCATIONS, QUESTIONNAIRE_IDS, RESPONDENT_GROUPS } from "../../app/domain/vocabulary";
import type { Database } from "../schema";
import { oneOf } from "./campaigns";

/** SQL truth value of "this (valid) questionnaire is satisfied" under `rule`. */
function satisfiedCondition(rule: SatisfactionRule): RawBuilder<unknown> {
  if (rule.kind === "overall_in") {
    const scores = overallScoresSatisfying(rule) ?? [];
    if (scores.length === 0) return sql`1 = 0`;
    return sql`r.overall_score in (${sql.join(scores.map((s) => sql.lit(s)))})`;
  }
  // score_sum/score_count include the overall item; without it, take it back out.
  const sum = rule.includeOverall ? sql`r.score_sum` : sql`(r.score_sum - coalesce(r.overall_score, 0))`;
  const n = rule.includeOverall
    ? sql`r.score_count`
    : sql`(r.score_count - case when r.overall_score is null then 0 else 1 end)`;
  return sql`(${n} > 0 and ${sum} >= ${sql.lit(rule.minMeanScore)} * ${n})`;
}

export async function satisfactionCounts(
  db: Kysely<Database>,
  campaignId: string,
  rule: SatisfactionRule,
): Promise<{ cells: SatisfactionCell[]; items: ItemScoreCount[] }> {
  const satisfied = satisfiedCondition(rule);
  const cellRows = await sql<{
    county_id: string;
    school_id: string | null;
    respondent_group: string;
    questionnaire_id: string;
    location: string | null;
    grade: number | null;
    total: number | string;
    invalid: number | string;
    satisfied: number | string;
  }>`
    select r.county_id, r.school_id, r.respondent_group, r.questionnaire_id, r.location, r.grade,
           count(*) as total,
           sum(case when r.invalidated_at is not null then 1 else 0 end) as invalid,
           sum(case when r.invalidated_at is null and ${satisfied} then 1 else 0 end) as satisfied
    from responses r
    where r.campaign_id = ${campaignId}
    group by r.county_id, r.school_id, r.respondent_group, r.questionnaire_id, r.location, r.grade
    order by r.county_id, r.school_id nulls first, r.respondent_group, r.questionnaire_id, r.location nulls first, r.grade nulls first
  `.execute(db);
  const cells: SatisfactionCell[] = cellRows.rows.map((row) => {
    const total = Number(row.total);
    const invalid = Number(row.invalid);
    return {
      countyId: row.county_id,
      schoolId: row.school_id,
      group: oneOf(RESPONDENT_GROUPS, row.respondent_group, "respondent group"),
      questionnaire: oneOf(QUESTIONNAIRE_IDS, row.questionnaire_id, "questionnaire"),
      location: row.location === null ? null : oneOf(LOCATIONS, row.location, "location"),
      grade: row.grade === null ? null : Number(row.grade),
      total,
      invalid,
      valid: total - invalid,
      satisfied: Number(row.satisfied),
    };
  });

  const itemRows = await sql<{
    county_id: string;
    respondent_group: string;
    questionnaire_id: string;
    item: string;
    score: number | null;
    n: number | string;
  }>`
    select r.county_id, r.respondent_group, r.questionnaire_id, i.item, i.score, count(*) as n
    from response_items i
    join responses r on r.id = i.response_id
    where r.campaign_id = ${campaignId} and r.invalidated_at is null
    group by r.county_id, r.respondent_group, r.questionnaire_id, i.item, i.score
    order by r.county_id, r.respondent_group, r.questionnaire_id, i.item, i.score nulls first
  `.execute(db);
  const items: ItemScoreCount[] = itemRows.rows.map((row) => ({
    countyId: row.county_id,
    group: oneOf(RESPONDENT_GROUPS, row.respondent_group, "respondent group"),
    questionnaire: oneOf(QUESTIONNAIRE_IDS, row.questionnaire_id, "questionnaire"),
    itemId: row.item,
    score: row.score === null ? null : Number(row.score),
    count: Number(row.n),
  }));
  return { cells, items };
}
