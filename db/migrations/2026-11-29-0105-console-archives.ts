/**
 * Data retention: a campaign whose raw answers have been archived and deleted after its
 * evaluation. The console's tallies keep every aggregate figure; this row says when, by whom,
 * and how many questionnaires were deleted, so the campaign is never recounted from nothing.
 */
import { PostgresAdapter, type Kysely } from "kysely";

type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  await db.schema
    .createTable("campaign_archives")
    .addColumn("campaign_id", "text", (c) => c.primaryKey().references("campaigns.id"))
    .addColumn("archived_at", pg ? "bigint" : "integer", (c) => c.notNull())
    .addColumn("archived_by", "text")
    .addColumn("responses_deleted", pg ? "bigint" : "integer", (c) => c.notNull())
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropTable("campaign_archives").ifExists().execute();
}
