/**
 * Satisfaction figures released in blocks of 5 (decision 0015): the tallies keep, per cell, the
 * block released so far beside the full counts.
 *
 * - `console_cell_tallies` gains `satisfied_any` (satisfied under the rule, validity left aside)
 *   and the released block's `rel_total`, `rel_satisfied`, `rel_flagged`;
 * - `console_item_tallies` is keyed per cell like the cell tallies (location and grade join the
 *   key, so a cell's block releases its items too) and gains `n_any` (all questionnaires' answers)
 *   and `rel_n` (the released block's). SQLite cannot change a primary key: the table is rebuilt,
 *   on both stores alike.
 *
 * Tallies are derived data: an open campaign's are dropped with its state row and recounted, in
 * blocks, at the next read. An archived campaign has no raw answers to recount from: its tallies
 * are kept (items under location '' and grade 0) with everything released — it is closed, and a
 * closed campaign publishes all its questionnaires.
 * Runs on SQLite and PostgreSQL. Never edit after it has landed; add a new migration instead.
 */
import { PostgresAdapter, sql, type Kysely } from "kysely";

// Migrations see the database as it was, not as db/schema.ts says it is now.
type AnyDb = Kysely<any>;

const CELL_COLUMNS = ["satisfied_any", "rel_total", "rel_satisfied", "rel_flagged"] as const;
const ARCHIVED = sql`(select a.campaign_id from campaign_archives a)`;

export async function up(db: AnyDb): Promise<void> {
  const n = db.getExecutor().adapter instanceof PostgresAdapter ? "bigint" : "integer";
  // One column per statement: SQLite's ALTER TABLE adds one at a time.
  for (const column of CELL_COLUMNS) {
    await db.schema
      .alterTable("console_cell_tallies")
      .addColumn(column, n, (c) => c.notNull().defaultTo(0))
      .execute();
  }
  await sql`delete from console_cell_tallies where campaign_id not in ${ARCHIVED}`.execute(db);
  await sql`delete from console_tally_state where campaign_id not in ${ARCHIVED}`.execute(db);
  await sql`update console_cell_tallies set satisfied_any = satisfied, rel_total = total, rel_satisfied = satisfied, rel_flagged = flagged`.execute(db);

  await db.schema
    .createTable("console_item_tallies_next")
    .addColumn("campaign_id", "text", (c) => c.notNull())
    .addColumn("county_id", "text", (c) => c.notNull())
    .addColumn("school_id", "text", (c) => c.notNull())
    .addColumn("respondent_group", "text", (c) => c.notNull())
    .addColumn("questionnaire_id", "text", (c) => c.notNull())
    .addColumn("location", "text", (c) => c.notNull())
    .addColumn("grade", "integer", (c) => c.notNull())
    .addColumn("item", "text", (c) => c.notNull())
    .addColumn("score", "integer", (c) => c.notNull())
    .addColumn("n", n, (c) => c.notNull())
    .addColumn("n_any", n, (c) => c.notNull().defaultTo(0))
    .addColumn("rel_n", n, (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint("console_item_tallies_cell_pk", [
      "campaign_id",
      "county_id",
      "school_id",
      "respondent_group",
      "questionnaire_id",
      "location",
      "grade",
      "item",
      "score",
    ])
    .execute();
  await sql`insert into console_item_tallies_next
      (campaign_id, county_id, school_id, respondent_group, questionnaire_id, location, grade, item, score, n, n_any, rel_n)
    select campaign_id, county_id, school_id, respondent_group, questionnaire_id, '', 0, item, score, n, n, n
    from console_item_tallies where campaign_id in ${ARCHIVED}`.execute(db);
  await db.schema.dropTable("console_item_tallies").execute();
  await db.schema.alterTable("console_item_tallies_next").renameTo("console_item_tallies").execute();
}

export async function down(db: AnyDb): Promise<void> {
  const n = db.getExecutor().adapter instanceof PostgresAdapter ? "bigint" : "integer";
  await db.schema
    .createTable("console_item_tallies_prev")
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
  // The valid answers per school and group, as the tallies held them before.
  await sql`insert into console_item_tallies_prev (campaign_id, county_id, school_id, respondent_group, questionnaire_id, item, score, n)
    select campaign_id, county_id, school_id, respondent_group, questionnaire_id, item, score, sum(n)
    from console_item_tallies
    group by campaign_id, county_id, school_id, respondent_group, questionnaire_id, item, score`.execute(db);
  await db.schema.dropTable("console_item_tallies").execute();
  await db.schema.alterTable("console_item_tallies_prev").renameTo("console_item_tallies").execute();
  for (const column of [...CELL_COLUMNS].reverse()) {
    await db.schema.alterTable("console_cell_tallies").dropColumn(column).execute();
  }
}
