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

export async function getAccount(db: Kysely<Database>, id: number): Promise<Account | null> {
  const row = await db.selectFrom("accounts").selectAll().where("id", "=", id).executeTakeFirst();
  return row ? toAccount(row) : null;
}

export async function listAccounts(db: Kysely<Database>): Promise<Account[]> {
  const rows = await db.selectFrom("accounts").selectAll().orderBy("role").orderBy("username").execute();
  return rows.map(toAccount);
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
