/**
 * 操作日志 (audit log): append-only. Nothing in the application deletes from it; it is kept at
 * least six months (issue 5) — in practice for as long as the database.
 */
import type { Kysely } from "kysely";
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
  };
}

export async function appendAudit(db: Kysely<Database>, e: AuditEntry): Promise<void> {
  await db
    .insertInto("audit_log")
    .values({
      at: e.at,
      account_id: e.accountId,
      username: e.username,
      action: e.action,
      campaign_id: e.campaignId ?? null,
      county_id: e.countyId ?? null,
      subject: e.subject ?? null,
      detail: JSON.stringify(e.detail ?? {}),
    })
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
