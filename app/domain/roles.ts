/**
 * Who uses the bureau console and what each may see (issue 5):
 *
 * - city (市教育局): every county of every campaign; administers accounts, campaigns and
 *   questionnaires; the only role that may export raw responses or read the audit log;
 * - county (县区教育局): its own county only — dashboards, coverage, readiness, review, exports;
 * - school (学校联络人): its own school's links, QR kit and response counts, never answers.
 *
 * Pure: the server checks these rules in every loader and action (app/.server/auth/scope.ts).
 */
export const ROLES = ["city", "county", "school"] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, string> = {
  city: "市教育局",
  county: "县（区）教育局",
  school: "学校联络人",
};

/** The signed-in person as every loader sees them. */
export interface Principal {
  accountId: number;
  username: string;
  displayName: string;
  role: Role;
  /** Set for county and school accounts (a school account's county is its school's). */
  countyId: string | null;
  /** Set for school accounts only. */
  schoolId: string | null;
}

/** Whether `p` may see county-level figures of `countyId` (dashboards, coverage, readiness). */
export function canSeeCounty(p: Principal, countyId: string): boolean {
  if (p.role === "city") return true;
  if (p.role === "county") return p.countyId === countyId;
  return false;
}

/** Whether `p` may see a school's links, kit and response counts. */
export function canSeeSchool(p: Principal, school: { id: string; countyId: string }): boolean {
  if (p.role === "city") return true;
  if (p.role === "county") return p.countyId === school.countyId;
  return p.schoolId === school.id;
}

/** Whether `p` takes part in a campaign covering `countyIds` at all. */
export function canSeeCampaign(p: Principal, countyIds: readonly string[]): boolean {
  if (p.role === "city") return true;
  return p.countyId !== null && countyIds.includes(p.countyId);
}

/**
 * Whether `p` may administer an account of `target`'s role and county (create it, reset its
 * password, disable or enable it). The city administers every account; a county officer the
 * school contacts of their own county, who change with staff; nobody else any.
 */
export function canManageAccount(p: Principal, target: { role: Role; countyId: string | null }): boolean {
  if (p.role === "city") return true;
  if (p.role === "county") return target.role === "school" && p.countyId !== null && target.countyId === p.countyId;
  return false;
}

/** The roles `p` may create accounts for, in the order of ROLES. */
export function rolesManagedBy(p: Principal): Role[] {
  if (p.role === "city") return [...ROLES];
  if (p.role === "county") return ["school"];
  return [];
}

/** Account names: 3–32 lower-case letters, digits, `.`, `_`, `-`, starting with a letter or digit. */
export const USERNAME_PATTERN = /^[a-z0-9][a-z0-9._-]{2,31}$/;

/** Normalises what a person typed as a user name (trimmed, lower-case). */
export function normalizeUsername(input: string): string {
  return input.trim().toLowerCase();
}

/** Shortest password accepted. Officers choose their own; 10 characters resists guessing under the sign-in limit. */
export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 200;

/**
 * The commonest passwords — the top of the published leaked-password lists, including the ones
 * Chinese users choose most (拼音, 520/1314, keyboard runs) — compared ignoring case. The short
 * ones are refused by the length rule already; they are listed so that the refusal names the
 * real problem. A guesser tries these first, against every account name it knows.
 */
export const COMMON_PASSWORDS: ReadonlySet<string> = new Set([
  "123456",
  "1234567",
  "12345678",
  "123456789",
  "1234567890",
  "12345678910",
  "0123456789",
  "0987654321",
  "111111",
  "1111111111",
  "000000",
  "0000000000",
  "666666",
  "888888",
  "8888888888",
  "123123",
  "123123123",
  "123321",
  "654321",
  "987654321",
  "112233",
  "11223344",
  "147258369",
  "159357",
  "5201314",
  "1314520",
  "woaini",
  "woaini1314",
  "woaini520",
  "iloveyou",
  "iloveyou1314",
  "password",
  "password1",
  "password123",
  "password1234",
  "passw0rd",
  "p@ssw0rd",
  "p@ssword",
  "p@ssw0rd123",
  "admin",
  "admin123",
  "admin1234",
  "admin12345",
  "admin123456",
  "administrator",
  "root",
  "root123456",
  "qwerty",
  "qwerty123",
  "qwertyuiop",
  "qwertyuiop123",
  "qwe123",
  "qwe123456",
  "qweasdzxc",
  "qweasdzxc123",
  "1qaz2wsx",
  "1qaz2wsx3edc",
  "1q2w3e4r",
  "1q2w3e4r5t",
  "1q2w3e4r5t6y",
  "q1w2e3r4t5",
  "zxcvbnm",
  "zxcvbnm123",
  "asdfghjkl",
  "asd123456",
  "abc123",
  "abc123456",
  "abcd1234",
  "abcd123456",
  "a123456",
  "a123456789",
  "aa123456",
  "abc12345678",
  "a1b2c3d4",
  "a1b2c3d4e5",
  "letmein",
  "welcome",
  "welcome123",
  "changeme",
  "default",
  "test123",
  "test123456",
  "guest",
  "monkey",
  "dragon",
  "zhangsan",
  "wangyi",
  "nihao123",
  "jiaoyuju",
  "jiaoyuju123",
  "xuexiao123",
  "duban123",
  "youzhijunheng",
]);

/** Whether `password` is `username` itself, or it with digits or marks before or after (zhangsan2026). */
function isUsernameVariant(password: string, username: string): boolean {
  const p = password.toLowerCase();
  const u = username.toLowerCase();
  if (u.length < 3 || !p.includes(u)) return false;
  return p.replace(u, "").replace(/[0-9!@#$%^&*._-]/g, "") === "";
}

/**
 * A Chinese reason a new password is refused, or null when acceptable. `username` is the
 * account's (a password that is the user name, or it with a few digits, is refused).
 */
export function passwordProblem(password: string, username: string | null = null): string | null {
  if (COMMON_PASSWORDS.has(password.toLowerCase())) return "该密码过于常见，很容易被猜中，请换一个";
  if (username !== null && isUsernameVariant(password, username)) return "密码不能是用户名或用户名加数字，请换一个";
  if (password.length < PASSWORD_MIN_LENGTH) return `密码至少 ${String(PASSWORD_MIN_LENGTH)} 个字符`;
  if (password.length > PASSWORD_MAX_LENGTH) return `密码最多 ${String(PASSWORD_MAX_LENGTH)} 个字符`;
  if (/^(.)\1*$/.test(password)) return "密码不能由同一个字符重复组成";
  return null;
}
