/**
 * Every migration, by name, in order. Listed statically (not discovered on disk) so they load
 * the same under tsx, vitest and the Vite server bundle; FileMigrationProvider cannot import
 * `.ts` files on Node 20.
 */
import type { Migration } from "kysely";
import * as initial from "./2026-11-29-0001-initial";
import * as consoleAccounts from "./2026-11-29-0100-console-accounts";

export const MIGRATIONS: Record<string, Migration> = {
  "2026-11-29-0001-initial": initial,
  "2026-11-29-0100-console-accounts": consoleAccounts,
};
