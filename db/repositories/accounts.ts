/**
 * Console accounts, mapped to domain types at this edge. Accounts are disabled, never deleted,
 * so the audit log keeps meaning what it said.
 */
import type { Kysely } from "kysely";
import { ROLES, type Role } from "../../app/domain/roles";
import type { AccountRow, Database } from "../schema";
import { oneOf } from "./campaigns";

export interface Account {
  id: number;
  username: string;
  displayName: string;
  role: Role;
  countyId: string | null;
  schoolId: string | null;
  passwordHash: string;
  isDemo: boolean;
  createdAt: number;
  updatedAt: number;
  disabledAt: number | null;
}

export function toAccount(row: AccountRow): Account {
  return {
    id: Number(row.id),
    username: row.username,
    displayName: row.display_name,
    role: oneOf(ROLES, row.role, "account role"),
    countyId: row.county_id,
    schoolId: row.school_id,
    passwordHash: row.password_hash,
    isDemo: row.is_demo === 1,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    disabledAt: row.disabled_at,
  };
}

export interface NewAccount {
  username: string;
  displayName: string;
  role: Role;
  countyId: string | null;
  schoolId: string | null;
  passwordHash: string;
  isDemo?: boolean;
  now: number;
}

/** Inserts an account; returns null when the user name is taken (unique constraint, no pre-check). */
export async function insertAccount(db: Kysely<Database>, a: NewAccount): Promise<Account | null> {
  const row = await db
    .insertInto("accounts")
    .values({
      username: a.username,
      display_name: a.displayName,
      role: a.role,
      county_id: a.countyId,
      school_id: a.schoolId,
      password_hash: a.passwordHash,
      is_demo: a.isDemo ? 1 : 0,
      created_at: a.now,
      updated_at: a.now,
      disabled_at: null,
    })
    .onConflict((oc) => oc.column("username").doNothing())
    .returningAll()
    .executeTakeFirst();
  return row ? toAccount(row) : null;
}

export async function getAccountByUsername(db: Kysely<Database>, username: string): Promise<Account | null> {
  const row = await db.selectFrom("accounts").selectAll().where("username", "=", username).executeTakeFirst();
  return row ? toAccount(row) : null;
}

/**
 * Accounts as the console administers them: a school contact's county is its school's county
 * as it is now (a school moved to another county by the school list import takes its contact
 * with it, so the old county's officer can no longer manage that account), even for a row that
 * predates `followSchoolCounties`.
 */
function withSchoolCounty(db: Kysely<Database>) {
  return db
    .selectFrom("accounts")
    .leftJoin("schools", "schools.id", "accounts.school_id")
    .selectAll("accounts")
    .select("schools.county_id as school_county_id");
}

function toAdministeredAccount(row: AccountRow & { school_county_id: string | null }): Account {
  const { school_county_id: schoolCounty, ...rest } = row;
  const account = toAccount(rest);
  return account.role === "school" && schoolCounty !== null ? { ...account, countyId: schoolCounty } : account;
}

export async function getAccount(db: Kysely<Database>, id: number): Promise<Account | null> {
  const row = await withSchoolCounty(db).where("accounts.id", "=", id).executeTakeFirst();
  return row ? toAdministeredAccount(row) : null;
}

export async function listAccounts(db: Kysely<Database>): Promise<Account[]> {
  const rows = await withSchoolCounty(db).orderBy("accounts.role").orderBy("accounts.username").execute();
  return rows.map(toAdministeredAccount);
}

/**
 * Moves every school contact's account to its school's current county (run in the transaction
 * that changes schools, so a moved school's contact is never left in the old county's scope);
 * returns the accounts moved.
 */
export async function followSchoolCounties(
  db: Kysely<Database>,
  now: number,
): Promise<Array<{ id: number; username: string; from: string | null; to: string }>> {
  const rows = await db
    .selectFrom("accounts")
    .innerJoin("schools", "schools.id", "accounts.school_id")
    .select(["accounts.id as id", "accounts.username as username", "accounts.county_id as from", "schools.county_id as to"])
    .where("accounts.role", "=", "school")
    .where((eb) => eb.or([eb("accounts.county_id", "is", null), eb("accounts.county_id", "<>", eb.ref("schools.county_id"))]))
    .execute();
  for (const r of rows) await db.updateTable("accounts").set({ county_id: r.to, updated_at: now }).where("id", "=", r.id).execute();
  return rows.map((r) => ({ id: Number(r.id), username: r.username, from: r.from, to: r.to }));
}

export async function countActiveCityAccounts(db: Kysely<Database>): Promise<number> {
  const row = await db
    .selectFrom("accounts")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("role", "=", "city")
    .where("disabled_at", "is", null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function setPasswordHash(db: Kysely<Database>, id: number, passwordHash: string, now: number): Promise<void> {
  await db.updateTable("accounts").set({ password_hash: passwordHash, updated_at: now }).where("id", "=", id).execute();
}

export async function setDisabled(db: Kysely<Database>, id: number, disabledAt: number | null, now: number): Promise<void> {
  await db.updateTable("accounts").set({ disabled_at: disabledAt, updated_at: now }).where("id", "=", id).execute();
}
