/**
 * Administering console accounts: the city role every account (the first city account comes
 * from `npm run admin:create`), a county officer the school contacts of their county
 * (canManageAccount). Every change is audited; resetting a password or disabling an account
 * ends its sessions at once.
 *
 * `within` is the signed-in person whose authority bounds the change; the command line passes
 * none (it runs with the server's own rights).
 */
import { z } from "zod";
import {
  countActiveCityAccounts,
  getAccount,
  insertAccount,
  listAccounts,
  setDisabled,
  setPasswordHash,
  type Account,
} from "../../../db/repositories/accounts";
import { revokeAccountSessions } from "../../../db/repositories/sessions";
import { getCounty, getSchool } from "../../../db/repositories/campaigns";
import { listAllCounties, listAllSchools } from "../../../db/repositories/directory";
import { canManageAccount, normalizeUsername, passwordProblem, ROLES, rolesManagedBy, USERNAME_PATTERN, type Principal, type Role } from "../../domain/roles";
import { guardedPasswordCheck, isLimited } from "../auth/attempts";
import { checkAccountPassword } from "../auth/demo-accounts";
import { hashPassword } from "../auth/password";
import { auditLimited, limitedMessage } from "../auth/sign-in";
import type { Services } from "../context";
import { audit } from "./audit";

export type Result<T> = { ok: true; value: T } | { ok: false; message: string; forbidden?: true };

const NOT_YOURS = { ok: false as const, message: "您的账号无权管理该账号：县（区）教育局只能管理本县（区）学校联络人的账号。", forbidden: true as const };

export const NewAccountSchema = z.object({
  username: z.string().transform(normalizeUsername).pipe(z.string().regex(USERNAME_PATTERN, "用户名为 3–32 位小写字母、数字或 . _ -，以字母或数字开头")),
  displayName: z.string().trim().min(1, "请填写姓名或单位").max(40, "姓名或单位最多 40 个字"),
  role: z.enum(ROLES, { errorMap: () => ({ message: "请选择角色" }) }),
  countyId: z
    .string()
    .trim()
    .optional()
    .transform((v) => (v ? v : null)),
  schoolId: z
    .string()
    .trim()
    .optional()
    .transform((v) => (v ? v : null)),
  password: z.string(),
});
export type NewAccountInput = z.input<typeof NewAccountSchema>;

/** Who did it: a signed-in principal, or the command line (`npm run admin:create`). */
export type Actor = Pick<Principal, "accountId" | "username"> | null;

export async function createAccount(services: Services, actor: Actor, raw: unknown, within?: Principal): Promise<Result<Account>> {
  const parsed = NewAccountSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, message: parsed.error.issues[0]?.message ?? "账号信息有误" };
  const input = parsed.data;
  if (within && !rolesManagedBy(within).includes(input.role)) return NOT_YOURS;
  let countyId: string | null = null;
  let schoolId: string | null = null;
  const role: Role = input.role;
  if (role === "county") {
    if (!input.countyId || !(await getCounty(services.db, input.countyId))) return { ok: false, message: "请选择账号所属的县（区）" };
    countyId = input.countyId;
  } else if (role === "school") {
    const school = input.schoolId ? await getSchool(services.db, input.schoolId) : null;
    if (!school) return { ok: false, message: "请选择账号所属的学校" };
    countyId = school.countyId;
    schoolId = school.id;
  }
  if (within && !canManageAccount(within, { role, countyId })) return NOT_YOURS;
  const problem = passwordProblem(input.password, input.username);
  if (problem) return { ok: false, message: problem };
  const account = await insertAccount(services.db, {
    username: input.username,
    displayName: input.displayName,
    role,
    countyId,
    schoolId,
    passwordHash: await hashPassword(input.password),
    now: services.now(),
  });
  if (!account) return { ok: false, message: `用户名 ${input.username} 已存在` };
  await audit(services, actor, "account_created", { countyId, subject: account.username, detail: { role, schoolId } });
  return { ok: true, value: account };
}

export async function resetPassword(services: Services, actor: Actor, accountId: number, password: string, within?: Principal): Promise<Result<Account>> {
  const account = await getAccount(services.db, accountId);
  if (!account) return { ok: false, message: "账号不存在" };
  if (within && !canManageAccount(within, account)) return NOT_YOURS;
  const problem = passwordProblem(password, account.username);
  if (problem) return { ok: false, message: problem };
  const now = services.now();
  await services.db.transaction().execute(async (trx) => {
    await setPasswordHash(trx, account.id, await hashPassword(password), now);
    await revokeAccountSessions(trx, account.id, now);
    await audit({ db: trx, now: services.now }, actor, "password_reset", { countyId: account.countyId, subject: account.username });
  });
  return { ok: true, value: account };
}

/**
 * A signed-in person changing their own password (the current one is asked for). The current
 * password is checked under the sign-in limits (auth/attempts.ts: only failures count, per user
 * name × address and so on), so a borrowed or stolen session cannot be used to guess it; a
 * wrong one is audited (`password_change_failed`), and refusals by the limit as one summarised
 * row per window (`password_change_limited`).
 */
export async function changeOwnPassword(
  services: Services,
  principal: Principal,
  current: string,
  next: string,
  clientAddress: string,
): Promise<Result<null> & { retryAfterSeconds?: number }> {
  const checked = await guardedPasswordCheck(services, principal.username, clientAddress, async () => {
    const account = await getAccount(services.db, principal.accountId);
    return account && (await checkAccountPassword(services.keys, account, current)) ? { ok: true as const, account } : { ok: false as const };
  });
  if (isLimited(checked)) {
    await auditLimited(services, "password_change_limited", principal.username, clientAddress, checked, principal);
    return { ok: false, message: limitedMessage(checked.decision.retryAfterSeconds), retryAfterSeconds: checked.decision.retryAfterSeconds };
  }
  if (!checked.ok) {
    await audit(services, principal, "password_change_failed", { subject: principal.username, clientAddress });
    return { ok: false, message: "当前密码不正确" };
  }
  const account = checked.account;
  const problem = passwordProblem(next, account.username);
  if (problem) return { ok: false, message: problem };
  const now = services.now();
  await services.db.transaction().execute(async (trx) => {
    await setPasswordHash(trx, account.id, await hashPassword(next), now);
    await revokeAccountSessions(trx, account.id, now);
    await audit({ db: trx, now: services.now }, principal, "password_changed", { subject: account.username, clientAddress });
  });
  return { ok: true, value: null };
}

export async function setAccountDisabled(services: Services, actor: Principal, accountId: number, disabled: boolean): Promise<Result<Account>> {
  const account = await getAccount(services.db, accountId);
  if (!account) return { ok: false, message: "账号不存在" };
  if (!canManageAccount(actor, account)) return NOT_YOURS;
  if (disabled && account.id === actor.accountId) return { ok: false, message: "不能停用自己的账号" };
  if (disabled && account.role === "city" && account.disabledAt === null && (await countActiveCityAccounts(services.db)) <= 1) {
    return { ok: false, message: "至少保留一个可用的市级管理员账号" };
  }
  const now = services.now();
  await services.db.transaction().execute(async (trx) => {
    await setDisabled(trx, account.id, disabled ? now : null, now);
    if (disabled) await revokeAccountSessions(trx, account.id, now);
    await audit({ db: trx, now: services.now }, actor, disabled ? "account_disabled" : "account_enabled", {
      countyId: account.countyId,
      subject: account.username,
    });
  });
  return { ok: true, value: account };
}

/**
 * What the account page shows `principal`: the accounts they administer (never a password
 * hash) and the pickers, limited to their county for a county officer.
 */
export async function accountsPage(services: Services, principal: Principal) {
  const db = services.db;
  const [accounts, counties, schools] = await Promise.all([listAccounts(db), listAllCounties(db), listAllSchools(db)]);
  const inScope = (countyId: string) => principal.role === "city" || countyId === principal.countyId;
  return {
    accounts: accounts.filter((a) => canManageAccount(principal, a)).map(({ passwordHash: _hash, ...a }) => a),
    counties: counties.filter((c) => inScope(c.id)),
    schools: schools.filter((s) => inScope(s.countyId)).map((s) => ({ id: s.id, name: s.name, countyId: s.countyId })),
  };
}
