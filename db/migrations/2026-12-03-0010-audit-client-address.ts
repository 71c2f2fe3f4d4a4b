/**
 * The audit log (操作日志) records where an action came from, and repeated refusals are kept as
 * one summarised row (decision 0010):
 *
 * - `client_address`: the client address of the request (client-address.ts: the socket's peer,
 *   or the one header TRUST_PROXY names), as the address itself — console users are officers
 *   acting in their office, not anonymous respondents; parents' addresses are never written here;
 * - `summary_key`: set on a row that stands for a run of refusals (e.g. rate-limited sign-ins of
 *   one account within one window); unique, so concurrent refusals land on the same row;
 * - `repeats`: how many requests the row stands for (1 for an ordinary row);
 * - `last_at`: when the latest of them came (null for an ordinary row).
 *
 * Runs on SQLite and PostgreSQL. Never edit after it has landed; add a new migration instead.
 */
import { PostgresAdapter, type Kysely } from "kysely";

// Migrations see the database as it was, not as db/schema.ts says it is now.
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  await db.schema.alterTable("audit_log").addColumn("client_address", "text").execute();
  await db.schema.alterTable("audit_log").addColumn("summary_key", "text").execute();
  await db.schema
    .alterTable("audit_log")
    .addColumn("repeats", pg ? "bigint" : "integer", (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema
    .alterTable("audit_log")
    .addColumn("last_at", pg ? "bigint" : "integer")
    .execute();
  // NULLs are distinct in a unique index on both databases: ordinary rows never collide.
  await db.schema.createIndex("audit_log_summary_key").on("audit_log").column("summary_key").unique().execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropIndex("audit_log_summary_key").ifExists().execute();
  for (const column of ["last_at", "repeats", "summary_key", "client_address"]) {
    await db.schema.alterTable("audit_log").dropColumn(column).execute();
  }
}
