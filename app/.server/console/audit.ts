/**
 * Recording an action in the 操作日志. Every console action that changes something, signs in
 * or exports data calls this with the acting principal.
 *
 * Each row carries the request's client address (decision 0010: the address itself — console
 * users are officers, not anonymous respondents). A principal read from a request by
 * `requirePrincipal` remembers its request's address (`rememberClientAddress`), so every action
 * that audits with its principal records the address without passing it along; an action
 * without a principal (a refused sign-in) passes `clientAddress` itself. The command line has
 * no address (null).
 *
 * Every row is the next link of the log's hash chain (decision 0023): SHA-256 over the row's
 * canonical UTF-8 text (app/domain/audit-chain.ts), appended under the chain head's lock.
 */
import { createHash } from "node:crypto";
import {
  appendAudit,
  appendAuditSummary,
  auditChainHead,
  auditChainPage,
  findAuditLink,
  listAudit,
  type AuditQuery,
  type AuditRecord,
} from "../../../db/repositories/audit";
import type { AuditAction } from "../../domain/audit-actions";
import { checkChainHead, checkChainRow, EMPTY_CHAIN, type ChainVerdict } from "../../domain/audit-chain";
import type { Principal } from "../../domain/roles";
import type { Services } from "../context";

type Actor = Pick<Principal, "accountId" | "username">;

/** SHA-256 of the UTF-8 bytes of `text`, lowercase hex: the chain's hash (decision 0023). */
export function sha256Hex(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}

/** Principal → the client address of the request it was read from (never sent to a page). */
const addresses = new WeakMap<object, string>();

/** Ties `principal` to the address of the request it came with; returns it. */
export function rememberClientAddress<P extends Actor>(principal: P, clientAddress: string): P {
  addresses.set(principal, clientAddress);
  return principal;
}

export interface AuditFields {
  campaignId?: string | null;
  countyId?: string | null;
  subject?: string | null;
  detail?: Record<string, unknown>;
  /** Overrides the address remembered for the actor (needed when there is no actor). */
  clientAddress?: string | null;
}

function entryOf(services: Pick<Services, "now">, actor: Actor | null, action: AuditAction, fields: AuditFields) {
  const { clientAddress, ...rest } = fields;
  return {
    at: services.now(),
    accountId: actor?.accountId ?? null,
    username: actor?.username ?? null,
    action,
    ...rest,
    clientAddress: clientAddress ?? (actor ? addresses.get(actor) : undefined) ?? null,
  };
}

export async function audit(services: Pick<Services, "db" | "now">, actor: Actor | null, action: AuditAction, fields: AuditFields = {}): Promise<void> {
  await appendAudit(services.db, entryOf(services, actor, action, fields), sha256Hex);
}

/**
 * One summarised row for a run of refusals: the first request of `summaryKey` writes the row,
 * later ones only count on it (`repeats`, `last_at`). For refusals a flood can repeat without
 * end — rate-limited sign-ins are summarised per account and limit window.
 */
export async function auditSummary(
  services: Pick<Services, "db" | "now">,
  summaryKey: string,
  actor: Actor | null,
  action: AuditAction,
  fields: AuditFields = {},
): Promise<void> {
  await appendAuditSummary(services.db, summaryKey, entryOf(services, actor, action, fields), sha256Hex);
}

/** The audit log, newest first (keyset paging). */
export async function auditEntries(services: Pick<Services, "db">, query: AuditQuery): Promise<AuditRecord[]> {
  return listAudit(services.db, query);
}

/**
 * The chain's head as recorded (`seq` rows, the last one's hash; seq 0 and 64 zeros before the
 * first row): printed on the county report and the audit page, and for the evidence pack, so a
 * printed copy pins every row written before it.
 */
export async function auditHead(services: Pick<Services, "db">): Promise<{ seq: number; hash: string }> {
  const head = await auditChainHead(services.db);
  if (!head) throw new Error("audit_chain_head is missing its row: run the migrations (decision 0023)");
  return head;
}

/**
 * Re-computes the whole chain from the first row, `pageSize` rows at a time (memory stays flat
 * however long the log), and checks its end against the recorded head. Returns the row count
 * and head hash, or the first break.
 */
export async function verifyAuditChain(services: Pick<Services, "db">, pageSize = 2000): Promise<ChainVerdict> {
  let state = EMPTY_CHAIN;
  for (;;) {
    const rows = await auditChainPage(services.db, state.lastSeq, pageSize);
    if (rows.length === 0) break;
    for (const row of rows) {
      const step = checkChainRow(state, row, sha256Hex);
      if (!step.ok) return { ok: false, count: state.count, break: step.break };
      state = step.state;
    }
  }
  const broken = checkChainHead(state, await auditChainHead(services.db));
  return broken ? { ok: false, count: state.count, break: broken } : { ok: true, count: state.count, headHash: state.headHash, headSeq: state.lastSeq };
}

/**
 * Whether a head printed earlier (on a report: the full hash, or its first 12+ hex digits) is
 * still a row of the chain — the check that catches the newest rows deleted together with the
 * recorded head. Null when no row (or more than one, for a short prefix) carries it.
 */
export async function findPrintedHead(services: Pick<Services, "db">, hash: string): Promise<{ id: number; seq: number; hash: string } | null> {
  if (!/^[0-9a-f]{12,64}$/.test(hash)) return null;
  return findAuditLink(services.db, hash);
}
