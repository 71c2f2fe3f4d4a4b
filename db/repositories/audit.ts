/**
 * 操作日志 (audit log): append-only. Nothing in the application deletes from it; it is kept at
 * least six months (issue 5) — in practice for as long as the database. Every row is a link of
 * a hash chain (decision 0023, app/domain/audit-chain.ts): it carries its position `seq`, the
 * previous row's hash and its own, so a row deleted, altered or moved is detectable
 * (`npm run audit:verify`).
 *
 * The one exception to "a row per request" is a summary row (`appendAuditSummary`): a run of
 * refusals of the same kind — rate-limited sign-ins of one account within one limit window —
 * is one row whose `repeats` and `last_at` grow, instead of a row per request that a flood
 * could multiply without end. Its other columns keep the first request's values.
 */
import { sql, type Kysely } from "kysely";
import { auditRowHash, type StoredChainRow, type TextHash } from "../../app/domain/audit-chain";
import type { AuditLogRow, Database } from "../schema";

export interface AuditEntry {
  at: number;
  accountId: number | null;
  username: string | null;
  action: string;
  campaignId?: string | null;
  countyId?: string | null;
  subject?: string | null;
  detail?: Record<string, unknown>;
  /** The request's client address, when the action came through a request. */
  clientAddress?: string | null;
}

export interface AuditRecord {
  id: number;
  at: number;
  accountId: number | null;
  username: string | null;
  action: string;
  campaignId: string | null;
  countyId: string | null;
  subject: string | null;
  detail: Record<string, unknown>;
  clientAddress: string | null;
  /** Requests the row stands for (1, or the refusals of a summary row). */
  repeats: number;
  /** The latest request of a summary row; null on an ordinary row. */
  lastAt: number | null;
}

function parseDetail(text: string): Record<string, unknown> {
  try {
    const v: unknown = JSON.parse(text);
    return typeof v === "object" && v !== null && !Array.isArray(v) ? Object.fromEntries(Object.entries(v)) : {};
  } catch {
    return {};
  }
}

function toRecord(row: AuditLogRow): AuditRecord {
  return {
    id: Number(row.id),
    at: row.at,
    accountId: row.account_id === null ? null : Number(row.account_id),
    username: row.username,
    action: row.action,
    campaignId: row.campaign_id,
    countyId: row.county_id,
    subject: row.subject,
    detail: parseDetail(row.detail),
    clientAddress: row.client_address,
    repeats: Number(row.repeats),
    lastAt: row.last_at === null ? null : Number(row.last_at),
  };
}

function rowOf(e: AuditEntry) {
  return {
    at: e.at,
    account_id: e.accountId,
    username: e.username,
    action: e.action,
    campaign_id: e.campaignId ?? null,
    county_id: e.countyId ?? null,
    subject: e.subject ?? null,
    detail: JSON.stringify(e.detail ?? {}),
    client_address: e.clientAddress ?? null,
  };
}

/**
 * Runs `append` with the chain's head locked: the first statement of every append writes the
 * head row (`audit_chain_head`, a no-op update returning its seq and hash), which takes
 * SQLite's write lock (busy_timeout waits for another process's) and PostgreSQL's row lock
 * (held to the end of the transaction; a writer that waited reads the head its predecessor
 * committed). So two writers never chain on the same previous hash; the unique `seq` is the
 * second guard (a writer that somehow did would fail, never fork the chain).
 *
 * Inside a caller's transaction (`db.isTransaction`) the append joins it, so the audit row
 * commits or rolls back with the change it records; otherwise it gets a transaction of its own.
 */
async function withChainHead<T>(db: Kysely<Database>, append: (trx: Kysely<Database>, head: { seq: number; hash: string }) => Promise<T>): Promise<T> {
  const run = async (trx: Kysely<Database>) => {
    const head = await trx
      .updateTable("audit_chain_head")
      .set({ seq: sql<number>`seq` })
      .where("id", "=", 1)
      .returning(["seq", "hash"])
      .executeTakeFirst();
    if (!head) throw new Error("audit_chain_head is missing its row: run the migrations (decision 0023)");
    return append(trx, { seq: Number(head.seq), hash: head.hash });
  };
  return db.isTransaction ? run(db) : db.transaction().execute(run);
}

/** Inserts `row` as the chain's next link and moves the head to it. */
async function insertLink(
  trx: Kysely<Database>,
  head: { seq: number; hash: string },
  row: ReturnType<typeof rowOf> & { summary_key?: string | null; repeats?: number; last_at?: number | null },
  hash: TextHash,
): Promise<void> {
  const seq = head.seq + 1;
  const linkHash = auditRowHash(
    {
      seq,
      at: row.at,
      accountId: row.account_id,
      username: row.username,
      action: row.action,
      campaignId: row.campaign_id,
      countyId: row.county_id,
      subject: row.subject,
      detail: row.detail,
      clientAddress: row.client_address,
      summaryKey: row.summary_key ?? null,
      prevHash: head.hash,
    },
    hash,
  );
  await trx
    .insertInto("audit_log")
    .values({ ...row, seq, prev_hash: head.hash, hash: linkHash })
    .execute();
  await trx.updateTable("audit_chain_head").set({ seq, hash: linkHash }).where("id", "=", 1).execute();
}

/** Appends one row to the chain; `hash` is the server's SHA-256 (hex) over UTF-8 text. */
export async function appendAudit(db: Kysely<Database>, e: AuditEntry, hash: TextHash): Promise<void> {
  await withChainHead(db, (trx, head) => insertLink(trx, head, rowOf(e), hash));
}

async function countOnSummary(db: Kysely<Database>, summaryKey: string, at: number): Promise<boolean> {
  const r = await db
    .updateTable("audit_log")
    .set({ repeats: sql<number>`repeats + 1`, last_at: at })
    .where("summary_key", "=", summaryKey)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/**
 * Records one more request of the run `summaryKey` stands for: the first inserts the row as a
 * link of the chain (repeats 1), every later one adds 1 to `repeats` and moves `last_at` (both
 * outside the chain: decision 0023). A later request needs no chain lock — a flood of refusals
 * only counts; the first takes the head's lock and looks again under it, so concurrent requests
 * (several app instances on PostgreSQL) neither lose a count nor add a row.
 */
export async function appendAuditSummary(db: Kysely<Database>, summaryKey: string, e: AuditEntry, hash: TextHash): Promise<void> {
  if (await countOnSummary(db, summaryKey, e.at)) return;
  await withChainHead(db, async (trx, head) => {
    if (await countOnSummary(trx, summaryKey, e.at)) return;
    await insertLink(trx, head, { ...rowOf(e), summary_key: summaryKey, repeats: 1, last_at: e.at }, hash);
  });
}

/** The chain's recorded head (seq 0 and 64 zeros before the first row). */
export async function auditChainHead(db: Kysely<Database>): Promise<{ seq: number; hash: string } | null> {
  const row = await db.selectFrom("audit_chain_head").select(["seq", "hash"]).where("id", "=", 1).executeTakeFirst();
  return row ? { seq: Number(row.seq), hash: row.hash } : null;
}

/**
 * A page of the chain for the verifier, in ascending `seq` after `afterSeq`; rows without a
 * `seq` (written around the app) come first, so a verifier meets them before anything else.
 */
export async function auditChainPage(db: Kysely<Database>, afterSeq: number, limit: number): Promise<StoredChainRow[]> {
  const unchained = afterSeq === 0 ? await db.selectFrom("audit_log").selectAll().where("seq", "is", null).orderBy("id").limit(limit).execute() : [];
  const rows =
    unchained.length > 0 ? unchained : await db.selectFrom("audit_log").selectAll().where("seq", ">", afterSeq).orderBy("seq").limit(limit).execute();
  return rows.map(toStoredChainRow);
}

/** A stored audit row, snake_case mapped at the edge, with its chain fields as stored (null where unchained). */
export function toStoredChainRow(row: AuditLogRow): StoredChainRow {
  return {
    id: Number(row.id),
    seq: row.seq === null ? null : Number(row.seq),
    at: Number(row.at),
    accountId: row.account_id === null ? null : Number(row.account_id),
    username: row.username,
    action: row.action,
    campaignId: row.campaign_id,
    countyId: row.county_id,
    subject: row.subject,
    detail: row.detail,
    clientAddress: row.client_address,
    summaryKey: row.summary_key,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

export interface AuditQuery {
  action?: string | null;
  username?: string | null;
  campaignId?: string | null;
  /** Entries with id below this (keyset paging, newest first). */
  beforeId?: number | null;
  limit: number;
}

/** Newest first. */
export async function listAudit(db: Kysely<Database>, q: AuditQuery): Promise<AuditRecord[]> {
  let query = db.selectFrom("audit_log").selectAll().orderBy("id", "desc").limit(q.limit);
  if (q.action) query = query.where("action", "=", q.action);
  if (q.username) query = query.where("username", "=", q.username);
  if (q.campaignId) query = query.where("campaign_id", "=", q.campaignId);
  if (q.beforeId) query = query.where("id", "<", q.beforeId);
  return (await query.execute()).map(toRecord);
}

/** The chained row whose hash is `hash`, or starts with it (a head printed in short form, 12+ hex digits). */
export async function findAuditLink(db: Kysely<Database>, hash: string): Promise<{ id: number; seq: number; hash: string } | null> {
  const rows = await db
    .selectFrom("audit_log")
    .select(["id", "seq", "hash"])
    .where("hash", "like", `${hash}%`)
    .where("seq", "is not", null)
    .orderBy("seq")
    .limit(2)
    .execute();
  const [row] = rows;
  if (!row || rows.length > 1 || row.seq === null || row.hash === null) return null;
  return { id: Number(row.id), seq: Number(row.seq), hash: row.hash };
}
