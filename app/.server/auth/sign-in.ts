/**
 * Signing in to the console: the sign-in limits (which count failed attempts only — per user
 * name × address, per address, and per user name for the addresses that failed for it; see
 * attempts.ts and decision 0010), then the scrypt check, then a new session. Every outcome is
 * written to the audit log with the client address; the password never is. A refused attempt
 * is not a row per request: the refusals of one user name within one limit window are one
 * summarised row (`sign_in_limited`, with how many and the latest).
 */
import { getAccountByUsername } from "../../../db/repositories/accounts";
import { purgeEndedSessions } from "../../../db/repositories/sessions";
import { normalizeUsername, PASSWORD_MAX_LENGTH } from "../../domain/roles";
import { audit, auditSummary, rememberClientAddress } from "../console/audit";
import type { Services } from "../context";
import { guardedPasswordCheck, isLimited, type Limited } from "./attempts";
import { checkAccountPassword } from "./demo-accounts";
import { verifyAgainstDummy } from "./password";
import { principalOf, startSession } from "./session";

export type SignInOutcome = { ok: true; setCookie: string } | { ok: false; status: 400 | 401 | 429; message: string; retryAfterSeconds?: number };

export const WRONG_CREDENTIALS = "用户名或密码不正确";

/** Ended sessions are deleted this long after they ended (30 days). */
export const SESSION_RETENTION_MS = 30 * 86_400_000;

/** The Chinese answer to a limited attempt: whole minutes, rounded up. */
export function limitedMessage(retryAfterSeconds: number): string {
  const minutes = Math.max(1, Math.ceil(retryAfterSeconds / 60));
  return `登录尝试次数过多，请 ${String(minutes)} 分钟后再试。`;
}

/**
 * Audits a limited password check as one summarised row per user name, action and limit
 * window: the first refusal writes it, later ones in the window count on it.
 */
export async function auditLimited(
  services: Services,
  action: "sign_in_limited" | "password_change_limited",
  username: string,
  clientAddress: string,
  limited: Limited,
  actor: { accountId: number; username: string } | null = null,
): Promise<void> {
  const { tier, reset, windowMs } = limited.decision;
  const windowStart = reset - windowMs;
  await auditSummary(services, `${action}\n${username}\n${String(windowStart)}`, actor, action, {
    subject: username,
    clientAddress,
    detail: { limit: tier, windowEnds: new Date(reset).toISOString() },
  });
}

export async function signIn(services: Services, input: { username: string; password: string; clientAddress: string }): Promise<SignInOutcome> {
  const username = normalizeUsername(input.username);
  const clientAddress = input.clientAddress;
  if (username === "" || input.password === "") return { ok: false, status: 400, message: "请输入用户名和密码" };
  if (username.length > 64 || input.password.length > PASSWORD_MAX_LENGTH) return { ok: false, status: 401, message: WRONG_CREDENTIALS };

  const checked = await guardedPasswordCheck(services, username, clientAddress, async () => {
    const account = await getAccountByUsername(services.db, username);
    const valid = account ? await checkAccountPassword(services.keys, account, input.password) : await verifyAgainstDummy(input.password);
    if (account && valid && account.disabledAt === null) return { ok: true as const, account };
    return { ok: false as const, account, reason: !account ? "unknown_account" : !valid ? "wrong_password" : "disabled" };
  });
  if (isLimited(checked)) {
    await auditLimited(services, "sign_in_limited", username, clientAddress, checked);
    return { ok: false, status: 429, message: limitedMessage(checked.decision.retryAfterSeconds), retryAfterSeconds: checked.decision.retryAfterSeconds };
  }
  if (!checked.ok) {
    const account = checked.account;
    await audit(services, account ? { accountId: account.id, username: account.username } : null, "sign_in_failed", {
      subject: username,
      clientAddress,
      detail: { reason: checked.reason },
    });
    return { ok: false, status: 401, message: WRONG_CREDENTIALS };
  }
  const account = checked.account;
  const setCookie = await startSession(services, account.id);
  // Housekeeping: sessions that ended a month ago are of no use to anyone (the audit log stays).
  await purgeEndedSessions(services.db, services.now(), SESSION_RETENTION_MS);
  await audit(services, rememberClientAddress(principalOf(account), clientAddress), "sign_in", { subject: account.username });
  return { ok: true, setCookie };
}

/** Where to go after signing in: only a path inside the console (no open redirect). */
export function safeNext(next: string | null): string {
  if (!next || !next.startsWith("/admin") || next.startsWith("//") || next.includes("\\")) return "/admin";
  return next;
}
