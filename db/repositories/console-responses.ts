/**
 * Individual responses as the console reviews them: open comments (searchable), the review
 * queue of responses carrying integrity flags, invalidated ones. Never the device hash or any
 * identifier beyond the response id.
 */
import { sql, type Kysely } from "kysely";
import type { SatisfactionRule } from "../../app/domain/satisfaction-rule";
import type { Database } from "../schema";
import { satisfiedSql } from "./satisfaction-sql";

export interface CommentRow {
  id: number;
  schoolId: string | null;
  questionnaireId: string;
  group: string;
  submittedAt: number;
  comment: string;
  invalid: boolean;
}

/** LIKE pattern for a literal substring (%, _ and \ escaped). */
export function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * The comment contains `search`, ignoring the case of Latin letters on both stores (SQLite's LIKE
 * folds ASCII case, PostgreSQL's does not; lower() on both sides makes them agree).
 */
function commentMatches(search: string) {
  return sql<boolean>`lower(comment) like lower(${likePattern(search)}) escape '\\'`;
}

export async function listComments(
  db: Kysely<Database>,
  q: { campaignId: string; countyId: string; search?: string | null; beforeId?: number | null; limit: number },
): Promise<CommentRow[]> {
  let query = db
    .selectFrom("responses")
    .select(["id", "school_id", "questionnaire_id", "respondent_group", "submitted_at", "comment", "invalidated_at"])
    .where("campaign_id", "=", q.campaignId)
    .where("county_id", "=", q.countyId)
    .where("comment", "is not", null)
    .orderBy("id", "desc")
    .limit(q.limit);
  if (q.search) query = query.where(commentMatches(q.search));
  if (q.beforeId) query = query.where("id", "<", q.beforeId);
  const rows = await query.execute();
  return rows.map((r) => ({
    id: Number(r.id),
    schoolId: r.school_id,
    questionnaireId: r.questionnaire_id,
    group: r.respondent_group,
    submittedAt: Number(r.submitted_at),
    comment: r.comment ?? "",
    invalid: r.invalidated_at !== null,
  }));
}

export async function countComments(db: Kysely<Database>, q: { campaignId: string; countyId: string; search?: string | null }): Promise<number> {
  let query = db
    .selectFrom("responses")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("campaign_id", "=", q.campaignId)
    .where("county_id", "=", q.countyId)
    .where("comment", "is not", null);
  if (q.search) query = query.where(commentMatches(q.search));
  return Number((await query.executeTakeFirstOrThrow()).n);
}

export interface ReviewRow {
  id: number;
  schoolId: string | null;
  questionnaireId: string;
  group: string;
  grade: number | null;
  overallScore: number | null;
  scoreSum: number;
  scoreCount: number;
  durationMs: number;
  submittedAt: number;
  flags: string[];
  invalidatedAt: number | null;
  invalidReason: string | null;
  answers: string;
}

function parseFlags(text: string): string[] {
  try {
    const v: unknown = JSON.parse(text);
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
  } catch {
    return [];
  }
}

const REVIEW_COLUMNS = [
  "id",
  "school_id",
  "questionnaire_id",
  "respondent_group",
  "grade",
  "overall_score",
  "score_sum",
  "score_count",
  "duration_ms",
  "submitted_at",
  "flags",
  "invalidated_at",
  "invalid_reason",
  "answers",
] as const;

function toReview(r: {
  id: number;
  school_id: string | null;
  questionnaire_id: string;
  respondent_group: string;
  grade: number | null;
  overall_score: number | null;
  score_sum: number;
  score_count: number;
  duration_ms: number;
  submitted_at: number;
  flags: string;
  invalidated_at: number | null;
  invalid_reason: string | null;
  answers: string;
}): ReviewRow {
  return {
    id: Number(r.id),
    schoolId: r.school_id,
    questionnaireId: r.questionnaire_id,
    group: r.respondent_group,
    grade: r.grade === null ? null : Number(r.grade),
    overallScore: r.overall_score === null ? null : Number(r.overall_score),
    scoreSum: Number(r.score_sum),
    scoreCount: Number(r.score_count),
    durationMs: Number(r.duration_ms),
    submittedAt: Number(r.submitted_at),
    flags: parseFlags(r.flags),
    invalidatedAt: r.invalidated_at === null ? null : Number(r.invalidated_at),
    invalidReason: r.invalid_reason,
    answers: r.answers,
  };
}

/** Flagged responses per link (school × questionnaire), from the partial index. */
export async function flaggedByLink(
  db: Kysely<Database>,
  campaignId: string,
  countyId: string,
): Promise<Array<{ schoolId: string | null; questionnaireId: string; flagged: number; invalid: number }>> {
  const rows = await db
    .selectFrom("responses")
    .select(["school_id", "questionnaire_id"])
    .select((eb) => [eb.fn.countAll<number>().as("n"), eb.fn.count<number>("invalidated_at").as("invalid")])
    .where("campaign_id", "=", campaignId)
    .where("county_id", "=", countyId)
    .where("flags", "<>", "[]")
    .groupBy(["school_id", "questionnaire_id"])
    .orderBy("school_id", (ob) => ob.asc().nullsFirst())
    .orderBy("questionnaire_id")
    .execute();
  return rows.map((r) => ({ schoolId: r.school_id, questionnaireId: r.questionnaire_id, flagged: Number(r.n), invalid: Number(r.invalid) }));
}

/** How many of a county's questionnaires carry each flag (a questionnaire with two flags counts under both). */
export async function flagTotals(db: Kysely<Database>, campaignId: string, countyId: string): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom("responses")
    .select("flags")
    .where("campaign_id", "=", campaignId)
    .where("county_id", "=", countyId)
    .where("flags", "<>", "[]")
    .execute();
  const totals = new Map<string, number>();
  for (const row of rows) {
    let flags: unknown = [];
    try {
      flags = JSON.parse(row.flags);
    } catch {
      continue;
    }
    if (!Array.isArray(flags)) continue;
    for (const f of new Set(flags.filter((x): x is string => typeof x === "string"))) totals.set(f, (totals.get(f) ?? 0) + 1);
  }
  return totals;
}

export async function listReview(
  db: Kysely<Database>,
  q: {
    campaignId: string;
    countyId: string;
    kind: "flagged" | "invalid";
    schoolId?: string | null;
    questionnaireId?: string | null;
    limit: number;
    beforeId?: number | null;
  },
): Promise<ReviewRow[]> {
  let query = db
    .selectFrom("responses")
    .select(REVIEW_COLUMNS)
    .where("campaign_id", "=", q.campaignId)
    .where("county_id", "=", q.countyId)
    .orderBy("id", "desc")
    .limit(q.limit);
  query = q.kind === "flagged" ? query.where("flags", "<>", "[]") : query.where("invalidated_at", "is not", null);
  if (q.schoolId !== undefined && q.schoolId !== null)
    query = q.schoolId === "" ? query.where("school_id", "is", null) : query.where("school_id", "=", q.schoolId);
  if (q.questionnaireId) query = query.where("questionnaire_id", "=", q.questionnaireId);
  if (q.beforeId) query = query.where("id", "<", q.beforeId);
  return (await query.execute()).map(toReview);
}

export async function getReviewRow(db: Kysely<Database>, campaignId: string, id: number): Promise<(ReviewRow & { countyId: string }) | null> {
  const row = await db
    .selectFrom("responses")
    .select([...REVIEW_COLUMNS, "county_id"])
    .where("id", "=", id)
    .where("campaign_id", "=", campaignId)
    .executeTakeFirst();
  return row ? { ...toReview(row), countyId: row.county_id } : null;
}

export async function reviewHistory(
  db: Kysely<Database>,
  responseIds: readonly number[],
): Promise<Array<{ responseId: number; action: string; reason: string; username: string | null; at: number }>> {
  if (responseIds.length === 0) return [];
  const rows = await db
    .selectFrom("response_reviews")
    .select(["response_id", "action", "reason", "username", "at"])
    .where("response_id", "in", [...responseIds])
    .orderBy("id")
    .execute();
  return rows.map((r) => ({ responseId: Number(r.response_id), action: r.action, reason: r.reason, username: r.username, at: Number(r.at) }));
}

export interface ExportRow {
  id: number;
  countyId: string;
  schoolId: string | null;
  questionnaireId: string;
  questionnaireVersion: number;
  group: string;
  grade: number | null;
  location: string | null;
  answers: string;
  submittedAt: number;
  durationMs: number;
  flags: string[];
  invalidatedAt: number | null;
  invalidReason: string | null;
  /** A satisfied questionnaire under the rule asked for (the same SQL as every count), validity aside. */
  satisfied: boolean;
}

/** A page of a campaign's responses in id order (keyset paging: stream any number). */
export async function exportPage(
  db: Kysely<Database>,
  q: { campaignId: string; countyId: string | null; afterId: number; limit: number; rule: SatisfactionRule },
): Promise<ExportRow[]> {
  let query = db
    .selectFrom("responses as r")
    .select(sql<number>`case when ${satisfiedSql(q.rule)} then 1 else 0 end`.as("satisfied"))
    .select([
      "id",
      "county_id",
      "school_id",
      "questionnaire_id",
      "questionnaire_version",
      "respondent_group",
      "grade",
      "location",
      "answers",
      "submitted_at",
      "duration_ms",
      "flags",
      "invalidated_at",
      "invalid_reason",
    ])
    .where("id", ">", q.afterId)
    .where("campaign_id", "=", q.campaignId)
    .orderBy("id")
    .limit(q.limit);
  if (q.countyId) query = query.where("county_id", "=", q.countyId);
  const rows = await query.execute();
  return rows.map((r) => ({
    id: Number(r.id),
    countyId: r.county_id,
    schoolId: r.school_id,
    questionnaireId: r.questionnaire_id,
    questionnaireVersion: Number(r.questionnaire_version),
    group: r.respondent_group,
    grade: r.grade === null ? null : Number(r.grade),
    location: r.location,
    answers: r.answers,
    submittedAt: Number(r.submitted_at),
    durationMs: Number(r.duration_ms),
    flags: parseFlags(r.flags),
    invalidatedAt: r.invalidated_at === null ? null : Number(r.invalidated_at),
    invalidReason: r.invalid_reason,
    satisfied: Number(r.satisfied) === 1,
  }));
}
