/**
 * What the console's dashboards read (issue 5), so that they stay fast at a million responses:
 *
 * - `console_cell_tallies`: per campaign × county × school × group × questionnaire × location ×
 *   grade, the questionnaires total / invalid / satisfied (under the campaign's rule) / flagged;
 * - `console_item_tallies`: valid questionnaires' answers per item and score, per school and group;
 * - `console_tally_state`: the rule they were counted under and the last response id folded in.
 *
 * Both tallies are derived data: responses after the watermark are counted live, and
 * invalidations adjust them in the same transaction. Keys hold '' / 0 instead of NULL (no school,
 * no location, no grade, 不了解) because NULLs never conflict in a unique key.
 *
 * Also: `response_reviews` (each invalidation and restoration, with its reason and reviewer),
 * and two partial indexes for the comment list and the review queue.
 */
import { PostgresAdapter, sql, type Kysely } from "kysely";

type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  const ms = pg ? "bigint" : "integer";
  const n = pg ? "bigint" : "integer";

  await db.schema
    .createTable("console_tally_state")
    .addColumn("campaign_id", "text", (c) => c.primaryKey().references("campaigns.id"))
    .addColumn("rule", "text", (c) => c.notNull())
    .addColumn("watermark", n, (c) => c.notNull())
    .addColumn("folded_at", ms, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("console_cell_tallies")
    .addColumn("campaign_id", "text", (c) => c.notNull())
    .addColumn("county_id", "text", (c) => c.notNull())
    .addColumn("school_id", "text", (c) => c.notNull())
    .addColumn("respondent_group", "text", (c) => c.notNull())
    .addColumn("questionnaire_id", "text", (c) => c.notNull())
    .addColumn("location", "text", (c) => c.notNull())
    .addColumn("grade", "integer", (c) => c.notNull())
    .addColumn("total", n, (c) => c.notNull())
    .addColumn("invalid", n, (c) => c.notNull())
    .addColumn("satisfied", n, (c) => c.notNull())
    .addColumn("flagged", n, (c) => c.notNull())
    .addPrimaryKeyConstraint("console_cell_tallies_pk", ["campaign_id", "county_id", "school_id", "respondent_group", "questionnaire_id", "location", "grade"])
    .execute();

  await db.schema
    .createTable("console_item_tallies")
    .addColumn("campaign_id", "text", (c) => c.notNull())
    .addColumn("county_id", "text", (c) => c.notNull())
    .addColumn("school_id", "text", (c) => c.notNull())
    .addColumn("respondent_group", "text", (c) => c.notNull())
    .addColumn("questionnaire_id", "text", (c) => c.notNull())
    .addColumn("item", "text", (c) => c.notNull())
    .addColumn("score", "integer", (c) => c.notNull())
    .addColumn("n", n, (c) => c.notNull())
    .addPrimaryKeyConstraint("console_item_tallies_pk", ["campaign_id", "county_id", "school_id", "respondent_group", "questionnaire_id", "item", "score"])
    .execute();

  await db.schema
    .createTable("response_reviews")
    .addColumn("id", pg ? "bigserial" : "integer", (c) => (pg ? c.primaryKey() : c.primaryKey().autoIncrement()))
    .addColumn("response_id", pg ? "bigint" : "integer", (c) => c.notNull())
    .addColumn("campaign_id", "text", (c) => c.notNull())
    .addColumn("county_id", "text", (c) => c.notNull())
    .addColumn("action", "text", (c) => c.notNull())
    .addColumn("reason", "text", (c) => c.notNull())
    .addColumn("account_id", pg ? "bigint" : "integer")
    .addColumn("username", "text")
    .addColumn("at", ms, (c) => c.notNull())
    .execute();
  await db.schema.createIndex("response_reviews_response").on("response_reviews").columns(["response_id", "id"]).execute();

  // Open comments of a county, newest first; the review queue of flagged responses.
  await db.schema
    .createIndex("responses_comments")
    .on("responses")
    .columns(["campaign_id", "county_id", "id"])
    .where(sql.ref("comment"), "is not", null)
    .execute();
  await db.schema
    .createIndex("responses_flagged")
    .on("responses")
    .columns(["campaign_id", "county_id", "school_id", "id"])
    .where(sql.ref("flags"), "<>", "[]")
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropIndex("responses_flagged").ifExists().execute();
  await db.schema.dropIndex("responses_comments").ifExists().execute();
  for (const table of ["response_reviews", "console_item_tallies", "console_cell_tallies", "console_tally_state"]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
