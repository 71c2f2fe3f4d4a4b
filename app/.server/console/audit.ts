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
 */
import { appendAudit, appendAuditSummary, listAudit, type AuditQuery, type AuditRecord } from "../../../db/repositories/audit";
import type { AuditAction } from "../../domain/audit-actions";
import type { Principal } from "../../domain/roles";
import type { Services } from "../context";

type Actor = Pick<Principal, "accountId" | "username">;

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

export async function audit(
  services: Pick<Services, "db" | "now">,
  actor: Actor | null,
  action: AuditAction,
  fields: AuditFields = {},
): Promise<void> {
  await appendAudit(services.db, entryOf(services, actor, action, fields));
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
  await appendAuditSummary(services.db, summaryKey, entryOf(services, actor, action, fields));
}

/** The audit log, newest first (keyset paging). */
export async function auditEntries(services: Pick<Services, "db">, query: AuditQuery): Promise<AuditRecord[]> {
  return listAudit(services.db, query);
}
