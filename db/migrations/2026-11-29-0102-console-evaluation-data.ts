/**
 * The evaluation data (评估数据: schools' resources, teachers, county items, veto declarations)
 * imported for a campaign from the Excel template, so the console can show each county's
 * readiness. One current import per campaign; every import is in the audit log.
 */
import { PostgresAdapter, type Kysely } from "kysely";

type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  await db.schema
    .createTable("campaign_evaluation_data")
    .addColumn("campaign_id", "text", (c) => c.primaryKey().references("campaigns.id"))
    .addColumn("input", "text", (c) => c.notNull())
    .addColumn("file_name", "text", (c) => c.notNull())
    .addColumn("imported_at", pg ? "bigint" : "integer", (c) => c.notNull())
    .addColumn("imported_by", "text")
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropTable("campaign_evaluation_data").ifExists().execute();
}
