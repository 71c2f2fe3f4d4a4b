/**
 * The bureau console's accounts, server-side sessions and audit log (issue 5). Runs on SQLite
 * and PostgreSQL (serial ids and bigint timestamps branched on the adapter, like the initial
 * migration). Never edit after it has landed; add a new migration instead.
 */
import { PostgresAdapter, type Kysely } from "kysely";

// Migrations see the database as it was, not as db/schema.ts says it is now.
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  const ms = pg ? "bigint" : "integer";
  const serial = pg ? "bigserial" : "integer";

  await db.schema
    .createTable("accounts")
    .addColumn("id", serial, (c) => (pg ? c.primaryKey() : c.primaryKey().autoIncrement()))
    .addColumn("username", "text", (c) => c.notNull().unique())
    .addColumn("display_name", "text", (c) => c.notNull())
    .addColumn("role", "text", (c) => c.notNull())
    .addColumn("county_id", "text", (c) => c.references("counties.id"))
    .addColumn("school_id", "text", (c) => c.references("schools.id"))
    .addColumn("password_hash", "text", (c) => c.notNull())
    .addColumn("is_demo", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("created_at", ms, (c) => c.notNull())
    .addColumn("updated_at", ms, (c) => c.notNull())
    .addColumn("disabled_at", ms)
    .execute();

  // The session id is a hash of the cookie's random token: a copy of this table opens nothing.
  await db.schema
    .createTable("sessions")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("account_id", pg ? "bigint" : "integer", (c) => c.notNull().references("accounts.id").onDelete("cascade"))
    .addColumn("created_at", ms, (c) => c.notNull())
    .addColumn("expires_at", ms, (c) => c.notNull())
    .addColumn("revoked_at", ms)
    .execute();
  await db.schema.createIndex("sessions_account").on("sessions").column("account_id").execute();

  // No foreign keys: the log outlives whatever it mentions (an archived campaign, a renamed account).
  await db.schema
    .createTable("audit_log")
    .addColumn("id", serial, (c) => (pg ? c.primaryKey() : c.primaryKey().autoIncrement()))
    .addColumn("at", ms, (c) => c.notNull())
    .addColumn("account_id", pg ? "bigint" : "integer")
    .addColumn("username", "text")
    .addColumn("action", "text", (c) => c.notNull())
    .addColumn("campaign_id", "text")
    .addColumn("county_id", "text")
    .addColumn("subject", "text")
    .addColumn("detail", "text", (c) => c.notNull().defaultTo("{}"))
    .execute();
  await db.schema.createIndex("audit_log_at").on("audit_log").column("at").execute();
  await db.schema.createIndex("audit_log_action").on("audit_log").columns(["action", "at"]).execute();
}

export async function down(db: AnyDb): Promise<void> {
  for (const table of ["audit_log", "sessions", "accounts"]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
