/**
 * 社会认可度 counts straight from SQL: one row per (county, school, group, questionnaire,
 * location, grade) with total / invalid / valid / satisfied, and per-item score counts over the
 * valid questionnaires — the shape app/domain/satisfaction.ts computes rates from. Whether a
 * questionnaire is satisfied is decided under the campaign's rule (./satisfaction-sql.ts) from
 * the per-response columns (overall_score, score_sum, score_count), so a changed rule or a
 * reviewer's invalidation is reflected at once; no JSON is parsed.
 */
import { sql, type Kysely } from "kysely";
import type { ItemScoreCount, SatisfactionCell } from "../../app/domain/satisfaction";
import type { SatisfactionRule } from "../../app/domain/satisfaction-rule";
import { LOCATIONS, QUESTIONNAIRE_IDS, RESPONDENT_GROUPS } from "../../app/domain/vocabulary";
import type { Database } from "../schema";
import { oneOf } from "./campaigns";
import { satisfiedSql } from "./satisfaction-sql";

export async function satisfactionCounts(
  db: Kysely<Database>,
  campaignId: string,
  rule: SatisfactionRule,
): Promise<{ cells: SatisfactionCell[]; items: ItemScoreCount[] }> {
  const satisfied = satisfiedSql(rule);
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
