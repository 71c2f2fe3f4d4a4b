/**
 * Initial schema. Runs on SQLite and PostgreSQL: the one dialect difference (autoincrement vs
 * bigserial, bigint timestamps) is branched on the adapter. Never edit after it has landed;
 * add a new migration instead.
 */
import { PostgresAdapter, type Kysely } from "kysely";

// Migrations see the database as it was, not as db/schema.ts says it is now (Kysely's advice).
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  const ms = pg ? "bigint" : "integer";

  await db.schema
    .createTable("counties")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("city", "text", (c) => c.notNull())
    .addColumn("is_demo", "integer", (c) => c.notNull().defaultTo(0))
    .execute();

  await db.schema
    .createTable("schools")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("county_id", "text", (c) => c.notNull().references("counties.id"))
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("type", "text", (c) => c.notNull())
    .addColumn("location", "text", (c) => c.notNull())
    .addColumn("students_primary", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("students_junior", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("students_senior", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("is_demo", "integer", (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.createIndex("schools_county").on("schools").column("county_id").execute();

  await db.schema
    .createTable("campaigns")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("city", "text", (c) => c.notNull())
    .addColumn("year", "integer", (c) => c.notNull())
    .addColumn("phase", "text", (c) => c.notNull())
    .addColumn("opens_at", ms, (c) => c.notNull())
    .addColumn("closes_at", ms, (c) => c.notNull())
    .addColumn("satisfaction_rule", "text", (c) => c.notNull())
    .addColumn("is_demo", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("created_at", ms, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("campaign_counties")
    .addColumn("campaign_id", "text", (c) => c.notNull().references("campaigns.id"))
    .addColumn("county_id", "text", (c) => c.notNull().references("counties.id"))
    .addColumn("resident_population", "integer", (c) => c.notNull())
    .addColumn("share_urban", "real", (c) => c.notNull())
    .addColumn("share_town", "real", (c) => c.notNull())
    .addColumn("share_rural", "real", (c) => c.notNull())
    .addPrimaryKeyConstraint("campaign_counties_pk", ["campaign_id", "county_id"])
    .execute();

  await db.schema
    .createTable("campaign_questionnaires")
    .addColumn("campaign_id", "text", (c) => c.notNull().references("campaigns.id"))
    .addColumn("questionnaire_id", "text", (c) => c.notNull())
    .addColumn("version", "integer", (c) => c.notNull())
    .addPrimaryKeyConstraint("campaign_questionnaires_pk", ["campaign_id", "questionnaire_id"])
    .execute();

  await db.schema
    .createTable("supervision_codes")
    .addColumn("id", pg ? "bigserial" : "integer", (c) => (pg ? c.primaryKey() : c.primaryKey().autoIncrement()))
    .addColumn("campaign_id", "text", (c) => c.notNull().references("campaigns.id"))
    .addColumn("school_id", "text", (c) => c.notNull().references("schools.id"))
    .addColumn("code_hash", "text", (c) => c.notNull().unique())
    .addColumn("label", "text", (c) => c.notNull())
    .addColumn("created_at", ms, (c) => c.notNull())
    .addColumn("expires_at", ms, (c) => c.notNull())
    .addColumn("revoked_at", ms)
    .execute();

  await db.schema
    .createTable("responses")
    .addColumn("id", pg ? "bigserial" : "integer", (c) => (pg ? c.primaryKey() : c.primaryKey().autoIncrement()))
    .addColumn("campaign_id", "text", (c) => c.notNull().references("campaigns.id"))
    .addColumn("county_id", "text", (c) => c.notNull().references("counties.id"))
    .addColumn("school_id", "text", (c) => c.references("schools.id"))
    .addColumn("questionnaire_id", "text", (c) => c.notNull())
    .addColumn("questionnaire_version", "integer", (c) => c.notNull())
    .addColumn("respondent_group", "text", (c) => c.notNull())
    .addColumn("grade", "integer")
    .addColumn("location", "text")
    .addColumn("answers", "text", (c) => c.notNull())
    .addColumn("overall_score", "integer")
    .addColumn("score_sum", "integer", (c) => c.notNull())
    .addColumn("score_count", "integer", (c) => c.notNull())
    .addColumn("comment", "text")
    .addColumn("started_at", ms, (c) => c.notNull())
    .addColumn("submitted_at", ms, (c) => c.notNull())
    .addColumn("duration_ms", ms, (c) => c.notNull())
    .addColumn("device_hash", "text", (c) => c.notNull())
    .addColumn("respondent_key", "text", (c) => c.unique())
    .addColumn("idempotency_key", "text", (c) => c.notNull().unique())
    .addColumn("supervision_code_id", pg ? "bigint" : "integer", (c) => c.references("supervision_codes.id"))
    .addColumn("flags", "text", (c) => c.notNull().defaultTo("[]"))
    .addColumn("invalidated_at", ms)
    .addColumn("invalid_reason", "text")
    .execute();
  // Covering index for the satisfaction counts: campaign → county → questionnaire → group.
  await db.schema
    .createIndex("responses_satisfaction")
    .on("responses")
    .columns(["campaign_id", "county_id", "questionnaire_id", "respondent_group", "overall_score", "invalidated_at"])
    .execute();
  await db.schema.createIndex("responses_school").on("responses").columns(["campaign_id", "school_id"]).execute();

  await db.schema
    .createTable("response_items")
    .addColumn("response_id", pg ? "bigint" : "integer", (c) => c.notNull().references("responses.id").onDelete("cascade"))
    .addColumn("item", "text", (c) => c.notNull())
    .addColumn("score", "integer")
    .addPrimaryKeyConstraint("response_items_pk", ["response_id", "item"])
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  for (const table of [
    "response_items",
    "responses",
    "supervision_codes",
    "campaign_questionnaires",
    "campaign_counties",
    "campaigns",
    "schools",
    "counties",
  ]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
