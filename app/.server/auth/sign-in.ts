/**
 * Signing in to the console: the sign-in tier of the rate limiter first (per account name and
 * per address, before any password is checked), then the scrypt check, then a new session.
 * Every outcome is written to the audit log; the password never is.
 */
import { getAccountByUsername } from "../../../db/repositories/accounts";
import { purgeEndedSessions } from "../../../db/repositories/sessions";
import { normalizeUsername, PASSWORD_MAX_LENGTH } from "../../domain/roles";
import { checkLimits, signInChecks } from "../rate-limit/policy";
import { audit } from "../console/audit";
import type { Services } from "../services";
import { checkAccountPassword } from "./demo-accounts";
import { verifyAgainstDummy } from "./password";
import { principalOf, startSession } from "./session";

export type SignInOutcome =
  | { ok: true; setCookie: string }
  | { ok: false; status: 400 | 401 | 429; message: string; retryAfterSeconds?: number };

export const WRONG_CREDENTIALS = "用户名或密码不正确";

/** Ended sessions are deleted this long after they ended (30 days). */
export const SESSION_RETENTION_MS = 30 * 86_400_000;

export async function signIn(
  services: Services,
  input: { username: string; password: string; clientAddress: string },
): Promise<SignInOutcome> {
  const username = normalizeUsername(input.username);
  if (username === "" || input.password === "") return { ok: false, status: 400, message: "请输入用户名和密码" };
  if (username.length > 64 || input.password.length > PASSWORD_MAX_LENGTH) return { ok: false, status: 401, message: WRONG_CREDENTIALS };

  const limited = await checkLimits(services.limiter, signInChecks(username, input.clientAddress), services.now());
  if (!limited.ok) {
    await audit(services, null, "sign_in_limited", { subject: username });
    const minutes = Math.max(1, Math.ceil(limited.retryAfterSeconds / 60));
    return {
      ok: false,
      status: 429,
      message: `登录尝试次数过多，请 ${String(minutes)} 分钟后再试。`,
      retryAfterSeconds: limited.retryAfterSeconds,
    };
  }

  const account = await getAccountByUsername(services.db, username);
  const valid = account ? await checkAccountPassword(services.keys, account, input.password) : await verifyAgainstDummy(input.password);
  if (!account || !valid || account.disabledAt !== null) {
    await audit(services, account ? { accountId: account.id, username: account.username } : null, "sign_in_failed", {
      subject: username,
      detail: { reason: !account ? "unknown_account" : !valid ? "wrong_password" : "disabled" },
    });
    return { ok: false, status: 401, message: WRONG_CREDENTIALS };
  }
  const setCookie = await startSession(services, account.id);
  // Housekeeping: sessions that ended a month ago are of no use to anyone (the audit log stays).
  await purgeEndedSessions(services.db, services.now(), SESSION_RETENTION_MS);
  await audit(services, principalOf(account), "sign_in", { subject: account.username });
  return { ok: true, setCookie };
}

/** Where to go after signing in: only a path inside the console (no open redirect). */
export function safeNext(next: string | null): string {
  if (!next || !next.startsWith("/admin") || next.startsWith("//") || next.includes("\\")) return "/admin";
  return next;
}
