/**
 * Recording an action in the 操作日志. Every console action that changes something, signs in
 * or exports data calls this with the acting principal.
 */
import { appendAudit, listAudit, type AuditQuery, type AuditRecord } from "../../../db/repositories/audit";
import type { AuditAction } from "../../domain/audit-actions";
import type { Principal } from "../../domain/roles";
import type { Services } from "../services";

export async function audit(
  services: Pick<Services, "db" | "now">,
  actor: Pick<Principal, "accountId" | "username"> | null,
  action: AuditAction,
  fields: { campaignId?: string | null; countyId?: string | null; subject?: string | null; detail?: Record<string, unknown> } = {},
): Promise<void> {
  await appendAudit(services.db, {
    at: services.now(),
    accountId: actor?.accountId ?? null,
    username: actor?.username ?? null,
    action,
    ...fields,
  });
}

/** The audit log, newest first (keyset paging). */
export async function auditEntries(services: Pick<Services, "db">, query: AuditQuery): Promise<AuditRecord[]> {
  return listAudit(services.db, query);
}
