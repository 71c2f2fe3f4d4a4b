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

/** A Chinese reason a new password is refused, or null when acceptable. */
export function passwordProblem(password: string): string | null {
  if (password.length < PASSWORD_MIN_LENGTH) return `密码至少 ${String(PASSWORD_MIN_LENGTH)} 个字符`;
  if (password.length > PASSWORD_MAX_LENGTH) return `密码最多 ${String(PASSWORD_MAX_LENGTH)} 个字符`;
  if (/^(.)\1*$/.test(password)) return "密码不能由同一个字符重复组成";
  return null;
}
