/** Questionnaire versions published from the console: inserted once, never updated. */
import type { Kysely } from "kysely";
import type { Database } from "../schema";

export interface PublishedDefinition {
  questionnaireId: string;
  version: number;
  json: string;
  publishedAt: number;
  publishedBy: string | null;
}

export async function listPublishedDefinitions(db: Kysely<Database>): Promise<PublishedDefinition[]> {
  const rows = await db.selectFrom("survey_definitions").selectAll().orderBy("questionnaire_id").orderBy("version").execute();
  return rows.map((r) => ({
    questionnaireId: r.questionnaire_id,
    version: Number(r.version),
    json: r.json,
    publishedAt: Number(r.published_at),
    publishedBy: r.published_by,
  }));
}

/** Inserts a version; false when that version already exists (never overwritten). */
export async function insertDefinition(db: Kysely<Database>, d: PublishedDefinition): Promise<boolean> {
  const r = await db
    .insertInto("survey_definitions")
    .values({ questionnaire_id: d.questionnaireId, version: d.version, json: d.json, published_at: d.publishedAt, published_by: d.publishedBy })
    .onConflict((oc) => oc.columns(["questionnaire_id", "version"]).doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
}
