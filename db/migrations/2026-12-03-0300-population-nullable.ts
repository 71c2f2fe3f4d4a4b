/**
 * A campaign county's 常住人口 may be NULL: "not provided" (the sample plan cannot be checked,
 * so 社会认可度 is not judged), where the console used to store 0 for an empty field. Existing
 * 0s become NULL; 0 is never a population.
 *
 * PostgreSQL drops the NOT NULL; SQLite cannot, so the table is rebuilt with the same columns
 * and primary key (nothing references it) inside the migration's transaction.
 * Runs on SQLite and PostgreSQL. Never edit after it has landed; add a new migration instead.
 */
import { PostgresAdapter, sql, type Kysely } from "kysely";

// Migrations see the database as it was, not as db/schema.ts says it is now.
type AnyDb = Kysely<any>;

async function rebuildSqlite(db: AnyDb, populationNotNull: boolean): Promise<void> {
  await db.schema
    .createTable("campaign_counties_next")
    .addColumn("campaign_id", "text", (c) => c.notNull().references("campaigns.id"))
    .addColumn("county_id", "text", (c) => c.notNull().references("counties.id"))
    .addColumn("resident_population", "integer", (c) => (populationNotNull ? c.notNull() : c))
    .addColumn("share_urban", "real", (c) => c.notNull())
    .addColumn("share_town", "real", (c) => c.notNull())
    .addColumn("share_rural", "real", (c) => c.notNull())
    .addPrimaryKeyConstraint("campaign_counties_pk", ["campaign_id", "county_id"])
    .execute();
  await sql`insert into campaign_counties_next (campaign_id, county_id, resident_population, share_urban, share_town, share_rural)
    select campaign_id, county_id, ${populationNotNull ? sql`coalesce(resident_population, 0)` : sql`nullif(resident_population, 0)`}, share_urban, share_town, share_rural
    from campaign_counties`.execute(db);
  await db.schema.dropTable("campaign_counties").execute();
  await db.schema.alterTable("campaign_counties_next").renameTo("campaign_counties").execute();
}

export async function up(db: AnyDb): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    await db.schema
      .alterTable("campaign_counties")
      .alterColumn("resident_population", (c) => c.dropNotNull())
      .execute();
    await db.updateTable("campaign_counties").set({ resident_population: null }).where("resident_population", "=", 0).execute();
    return;
  }
  await rebuildSqlite(db, false);
}

export async function down(db: AnyDb): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    await db.updateTable("campaign_counties").set({ resident_population: 0 }).where("resident_population", "is", null).execute();
    await db.schema
      .alterTable("campaign_counties")
      .alterColumn("resident_population", (c) => c.setNotNull())
      .execute();
    return;
  }
  await rebuildSqlite(db, true);
}
