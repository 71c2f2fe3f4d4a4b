/**
 * Storing responses exactly once. Two unique constraints do the work — never a
 * check-then-insert: `idempotency_key` (a retried submission) and `respondent_key`
 * (one response per device per link). The insert and its item rows share one transaction.
 *
 * On SQLite, responses are group-committed (unless the store was opened without it): those that
 * reach the store in the same event-loop turn, or while the previous commit ran, are written in
 * one transaction — one WAL fsync for all of them under `synchronous=FULL` — each in a savepoint
 * of its own, so one submission's error rolls back only its own rows and is thrown to its own
 * caller. Nobody is answered before that transaction has committed.
 */
import type { Database as SqliteDatabase, Statement } from "better-sqlite3";
import type { Kysely, Transaction } from "kysely";
import { sqliteGroupCommitOf, sqliteHandleOf } from "../create-db";
import type { Database, NewResponse } from "../schema";

export type InsertOutcome =
  /** Stored now. */
  | { kind: "inserted"; id: number }
  /** The same submission (same idempotency key, device and link) was stored before: a retry. */
  | { kind: "replayed"; id: number }
  /** This device already answered this link with another submission. */
  | { kind: "already_submitted" }
  /** The idempotency key belongs to a different device or link: refused. */
  | { kind: "key_conflict" };

export interface ItemScore {
  item: string;
  score: number | null;
}

async function insertOnce(trx: Transaction<Database>, row: NewResponse, items: readonly ItemScore[]): Promise<number | null> {
  const inserted = await trx
    .insertInto("responses")
    .values(row)
    .onConflict((oc) => oc.doNothing())
    .returning("id")
    .executeTakeFirst();
  if (!inserted) return null;
  if (items.length > 0) {
    await trx
      .insertInto("response_items")
      .values(items.map((i) => ({ response_id: inserted.id, item: i.item, score: i.score })))
      .execute();
  }
  return inserted.id;
}

/** Columns of a stored response, in the order the SQLite fast path binds them. */
const RESPONSE_COLUMNS = [
  "campaign_id",
  "county_id",
  "school_id",
  "questionnaire_id",
  "questionnaire_version",
  "respondent_group",
  "grade",
  "location",
  "answers",
  "overall_score",
  "score_sum",
  "score_count",
  "comment",
  "started_at",
  "submitted_at",
  "duration_ms",
  "device_hash",
  "respondent_key",
  "idempotency_key",
  "supervision_code_id",
  "flags",
  "invalidated_at",
  "invalid_reason",
] as const satisfies ReadonlyArray<keyof NewResponse>;

interface Pending {
  row: NewResponse;
  items: readonly ItemScore[];
}
type Settled = { ok: true; id: number | null } | { ok: false; error: unknown };

interface FastInsert {
  insertResponse: Statement;
  insertItems: Map<number, Statement>;
  transaction: (row: NewResponse, items: readonly ItemScore[]) => number | null;
  /** Several submissions in one transaction, each in its own savepoint; an outcome per submission. */
  group: (batch: readonly Pending[]) => Settled[];
}
const fastInserts = new WeakMap<SqliteDatabase, FastInsert>();

/**
 * The same insert as `insertOnce`, as synchronous better-sqlite3 transactions with prepared
 * statements: Kysely's per-query compilation and promise hops cost about as much as SQLite's
 * own work here (measured 305 µs vs 159 µs per submission). Runs inside `db.connection()`, so
 * it never lands inside another caller's open transaction.
 */
function fastInsertOf(handle: SqliteDatabase): FastInsert {
  let fast = fastInserts.get(handle);
  if (!fast) {
    const insertResponse = handle.prepare(
      `insert into responses (${RESPONSE_COLUMNS.join(", ")}) values (${RESPONSE_COLUMNS.map(() => "?").join(", ")}) on conflict do nothing returning id`,
    );
    const insertItems = new Map<number, Statement>();
    const itemsStatement = (n: number): Statement => {
      let statement = insertItems.get(n);
      if (!statement) {
        statement = handle.prepare(`insert into response_items (response_id, item, score) values ${Array.from({ length: n }, () => "(?, ?, ?)").join(", ")}`);
        insertItems.set(n, statement);
      }
      return statement;
    };
    // Called inside `group`'s transaction, better-sqlite3 runs this as a savepoint.
    const transaction = handle.transaction((r: NewResponse, its: readonly ItemScore[]): number | null => {
      const inserted: unknown = insertResponse.get(RESPONSE_COLUMNS.map((c) => r[c] ?? (c === "flags" ? "[]" : null)));
      if (typeof inserted !== "object" || inserted === null || !("id" in inserted) || typeof inserted.id !== "number") return null;
      const id = inserted.id;
      if (its.length > 0) itemsStatement(its.length).run(its.flatMap((i) => [id, i.item, i.score]));
      return id;
    });
    const group = handle.transaction((batch: readonly Pending[]): Settled[] =>
      batch.map((p): Settled => {
        try {
          return { ok: true, id: transaction(p.row, p.items) };
        } catch (error) {
          return { ok: false, error };
        }
      }),
    );
    fast = { insertResponse, insertItems, transaction, group };
    fastInserts.set(handle, fast);
  }
  return fast;
}

/** Most submissions in one group transaction (a bound on how long one commit holds the loop). */
const GROUP_MAX = 256;

interface Queue {
  waiting: Array<Pending & { resolve: (id: number | null) => void; reject: (error: unknown) => void }>;
  /** A flush is scheduled or waiting for the connection; new arrivals join it. */
  flushing: boolean;
  /** Group transactions run and submissions they carried (what the batching achieved). */
  transactions: number;
  submissions: number;
}
const queues = new WeakMap<Kysely<Database>, Queue>();

/** How many group transactions a SQLite store has run and how many submissions they carried. */
export function groupCommitStats(db: Kysely<Database>): { transactions: number; submissions: number } {
  const q = queues.get(db);
  return { transactions: q?.transactions ?? 0, submissions: q?.submissions ?? 0 };
}

/**
 * Queues a submission for the next group transaction. The flush runs after the current
 * event-loop turn (setImmediate: every request parsed in this turn has queued by then) and
 * takes whatever has queued by the time it holds the connection.
 */
function insertGrouped(db: Kysely<Database>, handle: SqliteDatabase, row: NewResponse, items: readonly ItemScore[]): Promise<number | null> {
  let queue = queues.get(db);
  if (!queue) {
    queue = { waiting: [], flushing: false, transactions: 0, submissions: 0 };
    queues.set(db, queue);
  }
  const q = queue;
  return new Promise((resolve, reject) => {
    q.waiting.push({ row, items, resolve, reject });
    if (!q.flushing) {
      q.flushing = true;
      setImmediate(() => void flush(db, handle, q));
    }
  });
}

async function flush(db: Kysely<Database>, handle: SqliteDatabase, q: Queue): Promise<void> {
  let batch: Queue["waiting"] = [];
  try {
    const settled = await db.connection().execute(async () => {
      batch = q.waiting.splice(0, GROUP_MAX);
      q.flushing = false;
      if (q.waiting.length > 0) {
        q.flushing = true;
        setImmediate(() => void flush(db, handle, q));
      }
      const fast = fastInsertOf(handle);
      q.transactions += 1;
      q.submissions += batch.length;
      // Alone, no savepoint is needed: its error is its own.
      const first = batch[0];
      if (batch.length === 1 && first) {
        try {
          return [{ ok: true, id: fast.transaction(first.row, first.items) }] satisfies Settled[];
        } catch (error) {
          return [{ ok: false, error }] satisfies Settled[];
        }
      }
      return fast.group(batch);
    });
    batch.forEach((p, i) => {
      const s = settled[i];
      if (s?.ok) p.resolve(s.id);
      else p.reject(s ? s.error : new Error("group commit: no outcome"));
    });
  } catch (error) {
    // The commit itself failed (or the connection could not be had): nothing of this batch is
    // stored, and every caller hears so.
    for (const p of batch) p.reject(error);
    if (batch.length === 0) {
      // Failed before taking a batch: the waiting ones are still queued; fail them too rather
      // than leave them hanging.
      q.flushing = false;
      for (const p of q.waiting.splice(0)) p.reject(error);
    }
  }
}

export async function insertResponse(db: Kysely<Database>, row: NewResponse, items: readonly ItemScore[]): Promise<InsertOutcome> {
  const handle = sqliteHandleOf(db);
  const id = handle
    ? sqliteGroupCommitOf(db)
      ? await insertGrouped(db, handle, row, items)
      : await db.connection().execute(async () => fastInsertOf(handle).transaction(row, items))
    : await db.transaction().execute((trx) => insertOnce(trx, row, items));
  if (id !== null) return { kind: "inserted", id };

  // Nothing inserted: a unique constraint held. Find out which one.
  const byKey = await db
    .selectFrom("responses")
    .select(["id", "campaign_id", "county_id", "school_id", "questionnaire_id", "device_hash"])
    .where("idempotency_key", "=", row.idempotency_key)
    .executeTakeFirst();
  if (byKey) {
    const sameSubmission =
      byKey.campaign_id === row.campaign_id &&
      byKey.county_id === row.county_id &&
      byKey.school_id === (row.school_id ?? null) &&
      byKey.questionnaire_id === row.questionnaire_id &&
      byKey.device_hash === row.device_hash;
    return sameSubmission ? { kind: "replayed", id: byKey.id } : { kind: "key_conflict" };
  }
  return { kind: "already_submitted" };
}

/** Whether this device (respondent key = device × link) has a stored response. */
export async function hasResponded(db: Kysely<Database>, respondentKey: string): Promise<boolean> {
  const row = await db.selectFrom("responses").select("id").where("respondent_key", "=", respondentKey).executeTakeFirst();
  return row !== undefined;
}

/**
 * Which of these respondent keys have a stored response (a device's child ordinals on one link,
 * decision 0027): one indexed lookup for all of them.
 */
export async function respondedAmong(db: Kysely<Database>, respondentKeys: readonly string[]): Promise<Set<string>> {
  if (respondentKeys.length === 0) return new Set();
  const rows = await db
    .selectFrom("responses")
    .select("respondent_key")
    .where("respondent_key", "in", [...respondentKeys])
    .execute();
  const found = new Set<string>();
  for (const r of rows) if (r.respondent_key !== null) found.add(r.respondent_key);
  return found;
}

export async function countResponses(db: Kysely<Database>, campaignId: string): Promise<number> {
  const row = await db
    .selectFrom("responses")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("campaign_id", "=", campaignId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
