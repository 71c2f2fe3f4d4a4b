/**
 * Console sessions: a random 256-bit token in an httpOnly, SameSite=Lax cookie (Secure when
 * the public origin is https), signed with the "session" key; the database keeps only its
 * SHA-256 (db/repositories/sessions.ts), so several app instances share sessions and a stolen
 * copy of the table opens nothing. Sessions last a working day and are not extended by
 * reading pages (no GET changes anything).
 */
import { createHash, randomBytes } from "node:crypto";
import { insertSession, revokeSession, sessionAccount } from "../../../db/repositories/sessions";
import type { Account } from "../../../db/repositories/accounts";
import type { Principal } from "../../domain/roles";
import { readCookie, serializeCookie } from "../collect/device";
import type { Services } from "../context";

export const SESSION_COOKIE = "yz_console";
/** 12 hours: one working day, then sign in again. */
export const SESSION_TTL_MS = 12 * 3600_000;

const TOKEN = /^([A-Za-z0-9_-]{43})\.([A-Za-z0-9_-]{22})$/;

function sessionId(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

export function principalOf(account: Account): Principal {
  return {
    accountId: account.id,
    username: account.username,
    displayName: account.displayName,
    role: account.role,
    countyId: account.countyId,
    schoolId: account.schoolId,
  };
}

/** Starts a session for `accountId`; returns the Set-Cookie header value. */
export async function startSession(services: Services, accountId: number): Promise<string> {
  const token = randomBytes(32).toString("base64url");
  const now = services.now();
  await insertSession(services.db, { id: sessionId(token), accountId, createdAt: now, expiresAt: now + SESSION_TTL_MS });
  return serializeCookie(SESSION_COOKIE, `${token}.${services.keys.sign("session", token)}`, {
    maxAgeSeconds: SESSION_TTL_MS / 1000,
    secure: services.config.secureCookies,
  });
}

function tokenFrom(services: Services, cookieHeader: string | null): string | null {
  const raw = readCookie(cookieHeader, SESSION_COOKIE);
  const m = raw ? TOKEN.exec(raw) : null;
  if (!m?.[1] || !m[2]) return null;
  return services.keys.verify("session", m[1], m[2]) ? m[1] : null;
}

/** The signed-in account of a request, or null (no cookie, forged, expired, revoked, disabled). */
export async function readSession(services: Services, request: Request): Promise<Principal | null> {
  const token = tokenFrom(services, request.headers.get("cookie"));
  if (!token) return null;
  const account = await sessionAccount(services.db, sessionId(token), services.now());
  return account ? principalOf(account) : null;
}

/** Revokes the request's session (if any); returns the Set-Cookie header that clears the cookie. */
export async function endSession(services: Services, request: Request): Promise<string> {
  const token = tokenFrom(services, request.headers.get("cookie"));
  if (token) await revokeSession(services.db, sessionId(token), services.now());
  return serializeCookie(SESSION_COOKIE, "", { maxAgeSeconds: 0, secure: services.config.secureCookies });
}
