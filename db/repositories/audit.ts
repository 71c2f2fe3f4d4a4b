/**
 * 操作日志 (audit log): append-only. Nothing in the application deletes from it; it is kept at
 * least six months (issue 5) — in practice for as long as the database.
 *
 * The one exception to "a row per request" is a summary row (`appendAuditSummary`): a run of
 * refusals of the same kind — rate-limited sign-ins of one account within one limit window —
 * is one row whose `repeats` and `last_at` grow, instead of a row per request that a flood
 * could multiply without end. Its other columns keep the first request's values.
 */
import { sql, type Kysely } from "kysely";
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

export async function appendAudit(db: Kysely<Database>, e: AuditEntry): Promise<void> {
  await db.insertInto("audit_log").values(rowOf(e)).execute();
}

/**
 * Records one more request of the run `summaryKey` stands for: the first inserts the row
 * (repeats 1), every later one adds 1 to `repeats` and moves `last_at` — in one statement, so
 * concurrent requests (several app instances on PostgreSQL) neither lose a count nor add a row.
 */
export async function appendAuditSummary(db: Kysely<Database>, summaryKey: string, e: AuditEntry): Promise<void> {
  await db
    .insertInto("audit_log")
    .values({ ...rowOf(e), summary_key: summaryKey, repeats: 1, last_at: e.at })
    .onConflict((oc) =>
      oc.column("summary_key").doUpdateSet({
        repeats: sql<number>`audit_log.repeats + 1`,
        last_at: (eb) => eb.ref("excluded.last_at"),
      }),
    )
    .execute();
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
