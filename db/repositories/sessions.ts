/**
 * Server-side console sessions. The row id is the SHA-256 of the random token in the cookie, so
 * several app instances share sessions through the database and a copy of the table opens
 * nothing. Sessions end at `expires_at` or when revoked (sign-out, password reset, disabling).
 */
import type { Kysely } from "kysely";
import type { Database } from "../schema";
import { toAccount, type Account } from "./accounts";

export async function insertSession(db: Kysely<Database>, s: { id: string; accountId: number; createdAt: number; expiresAt: number }): Promise<void> {
  await db.insertInto("sessions").values({ id: s.id, account_id: s.accountId, created_at: s.createdAt, expires_at: s.expiresAt, revoked_at: null }).execute();
}

/** The live session's account: not expired, not revoked, account not disabled. */
export async function sessionAccount(db: Kysely<Database>, id: string, now: number): Promise<Account | null> {
  const row = await db
    .selectFrom("sessions")
    .innerJoin("accounts", "accounts.id", "sessions.account_id")
    .selectAll("accounts")
    .where("sessions.id", "=", id)
    .where("sessions.revoked_at", "is", null)
    .where("sessions.expires_at", ">", now)
    .where("accounts.disabled_at", "is", null)
    .executeTakeFirst();
  return row ? toAccount(row) : null;
}

export async function revokeSession(db: Kysely<Database>, id: string, now: number): Promise<void> {
  await db.updateTable("sessions").set({ revoked_at: now }).where("id", "=", id).where("revoked_at", "is", null).execute();
}

/** Ends every session of an account (password reset, disabling). */
export async function revokeAccountSessions(db: Kysely<Database>, accountId: number, now: number): Promise<void> {
  await db.updateTable("sessions").set({ revoked_at: now }).where("account_id", "=", accountId).where("revoked_at", "is", null).execute();
}

/** Removes sessions that ended more than `olderThanMs` ago (housekeeping; never the audit log). */
export async function purgeEndedSessions(db: Kysely<Database>, now: number, olderThanMs: number): Promise<void> {
  const before = now - olderThanMs;
  await db
    .deleteFrom("sessions")
    .where((eb) => eb.or([eb("expires_at", "<", before), eb("revoked_at", "<", before)]))
    .execute();
}
