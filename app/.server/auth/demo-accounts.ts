/**
 * The demo console accounts' passwords (演示账号): derived from this installation's signing
 * secret, never stored. They differ per installation, cannot be guessed without DATA_DIR's
 * secret, and are printed at start-up in development only (server/banner.ts). An administrator
 * who resets a demo account's password gives it an ordinary scrypt hash.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import type { Account } from "../../../db/repositories/accounts";
import { DEMO_ACCOUNTS, DEMO_PASSWORD_MARKER } from "../../../db/seed/seed-demo";
import type { Keys } from "../keys";
import { verifyAgainstDummy, verifyPassword } from "./password";

export function demoPassword(keys: Keys, username: string): string {
  return `demo-${keys.sign("session", `demo-account-password\n${username}`).slice(0, 12)}`;
}

/** The demo accounts with their passwords, for the development banner and tests. */
export function demoCredentials(keys: Keys): Array<{ username: string; password: string; displayName: string; role: string }> {
  return DEMO_ACCOUNTS.map((a) => ({ username: a.username, password: demoPassword(keys, a.username), displayName: a.displayName, role: a.role }));
}

const digest = (s: string) => createHash("sha256").update(s.normalize("NFKC")).digest();

/** Whether `password` is the account's: scrypt, or the derived demo password (same time either way). */
export async function checkAccountPassword(keys: Keys, account: Account, password: string): Promise<boolean> {
  if (account.isDemo && account.passwordHash === DEMO_PASSWORD_MARKER) {
    await verifyAgainstDummy(password);
    return timingSafeEqual(digest(password), digest(demoPassword(keys, account.username)));
  }
  return verifyPassword(password, account.passwordHash);
}
