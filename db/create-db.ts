/**
 * One Kysely instance per process, for the configured store.
 *
 * SQLite (the embedded default): WAL journal, so readers never block the writer and a killed
 * process loses nothing it acknowledged; `synchronous=FULL` by default so an acknowledged
 * response also survives a power cut (configurable: NORMAL trades that for throughput).
 * PostgreSQL (scale-out): int8 values come back as strings from `pg`; they are parsed to
 * numbers here (our ids and millisecond timestamps stay far below 2^53).
 */
import fs from "node:fs";
import path from "node:path";
import SQLite from "better-sqlite3";
import { Kysely, Migrator, PostgresAdapter, PostgresDialect, SqliteDialect, sql, type SqliteDatabase } from "kysely";
import pg from "pg";
import { MIGRATIONS } from "./migrations/index";
import type { Database } from "./schema";

export type StoreConfig =
  | {
      kind: "sqlite";
      file: string;
      synchronous: "FULL" | "NORMAL";
      /**
       * Responses reaching the store in the same event-loop turn (or while the previous commit
       * ran) are written in one transaction — one fsync for all of them under FULL
       * (db/repositories/responses.ts). Default true.
       */
      groupCommit?: boolean;
    }
  | { kind: "postgres"; url: string; schema?: string; /** Pool connections (default 10). */ poolSize?: number };

const PG_INT8 = 20;
const PG_NUMERIC = 1700;

/**
 * better-sqlite3 behind Kysely prepares every statement anew (tens to hundreds of µs each);
 * our queries are a small fixed set, so prepared statements are kept and reused by SQL text.
 * Safe because nothing streams (an iterating statement could not be shared).
 */
/** The better-sqlite3 handle behind a Kysely instance created here, for the submit fast path. */
const sqliteHandles = new WeakMap<Kysely<Database>, { handle: SQLite.Database; groupCommit: boolean }>();

/**
 * The embedded store's native handle, or null on PostgreSQL. Only for hot paths that run their
 * statements inside `db.connection()` (which holds Kysely's connection lock, so no Kysely
 * transaction can be open around them).
 */
export function sqliteHandleOf(db: Kysely<Database>): SQLite.Database | null {
  return sqliteHandles.get(db)?.handle ?? null;
}

/** Whether responses are group-committed on this SQLite store (see StoreConfig). */
export function sqliteGroupCommitOf(db: Kysely<Database>): boolean {
  return sqliteHandles.get(db)?.groupCommit ?? false;
}

function withStatementCache(database: SQLite.Database, max = 500): SqliteDatabase {
  const statements = new Map<string, SQLite.Statement>();
  return {
    close: () => {
      statements.clear();
      database.close();
    },
    prepare(sql: string) {
      let statement = statements.get(sql);
      if (!statement) {
        statement = database.prepare(sql);
        if (statements.size >= max) statements.clear();
        statements.set(sql, statement);
      }
      return statement;
    },
  };
}

export function createDb(store: StoreConfig): Kysely<Database> {
  if (store.kind === "sqlite") {
    if (store.file !== ":memory:") fs.mkdirSync(path.dirname(store.file), { recursive: true });
    const database = new SQLite(store.file);
    database.pragma("journal_mode = WAL");
    database.pragma(`synchronous = ${store.synchronous}`);
    database.pragma("foreign_keys = ON");
    database.pragma("busy_timeout = 5000");
    const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(database) }) });
    sqliteHandles.set(db, { handle: database, groupCommit: store.groupCommit ?? true });
    return db;
  }
  const types = {
    getTypeParser(oid: number, format?: "text" | "binary") {
      if (oid === PG_INT8 || oid === PG_NUMERIC) return (value: string) => Number(value);
      return pg.types.getTypeParser(oid, format);
    },
  };
  const pool = new pg.Pool({
    connectionString: store.url,
    max: store.poolSize ?? 10,
    types,
    ...(store.schema ? { options: `-c search_path=${store.schema}` } : {}),
  });
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}

/**
 * Applies every pending migration; throws with the failing migration's error.
 *
 * On PostgreSQL the migration bookkeeping is pinned to the connection's current schema: left
 * unset, Kysely decides whether `kysely_migration` exists by looking for that table name in
 * *any* schema of the database, so a second deployment (or test run) in its own schema would
 * skip creating its own tables and fail.
 */
export async function migrateToLatest(db: Kysely<Database>): Promise<string[]> {
  let migrationTableSchema: string | undefined;
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    const { rows } = await sql<{ schema: string | null }>`select current_schema() as schema`.execute(db);
    const schema = rows[0]?.schema;
    if (!schema) throw new Error("PostgreSQL: no current schema (does the schema in search_path exist?)");
    migrationTableSchema = schema;
  }
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => MIGRATIONS },
    ...(migrationTableSchema ? { migrationTableSchema } : {}),
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === "Success").map((r) => r.migrationName);
}
