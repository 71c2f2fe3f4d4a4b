/**
 * Migration 2026-12-04-0100 (decision 0015): the cell tallies gain the released block's columns,
 * the item tallies are rebuilt per cell (location and grade in the key). An open campaign's
 * tallies and state are dropped (recounted in blocks at the next read); an archived campaign's
 * are kept, everything released. On SQLite and on PostgreSQL (when DATABASE_URL is set), up and
 * back down.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { Migrator, type Kysely } from "kysely";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { createDb } from "../../db/create-db";
import { MIGRATIONS } from "../../db/migrations";
import type { Database } from "../../db/schema";

const BEFORE = "2026-12-03-0300-population-nullable";
const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const c of cleanups) await c();
});

// Migrations see the database as it was: the tables before this migration are not db/schema.ts's.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see above: the schema before the migration
type AnyDb = Kysely<any>;

const cell = (campaign: string, grade: number, total: number, satisfied: number) => ({
  campaign_id: campaign,
  county_id: "640502",
  school_id: "s1",
  respondent_group: "parent",
  questionnaire_id: "social",
  location: "urban",
  grade,
  total,
  invalid: 1,
  satisfied,
  flagged: 2,
});
const item = (campaign: string, score: number, n: number) => ({
  campaign_id: campaign,
  county_id: "640502",
  school_id: "s1",
  respondent_group: "parent",
  questionnaire_id: "social",
  item: "q1",
  score,
  n,
});

async function play(typed: Kysely<Database>, migrationTableSchema?: string): Promise<void> {
  const db: AnyDb = typed;
  const migrator = new Migrator({ db: typed, provider: { getMigrations: async () => MIGRATIONS }, ...(migrationTableSchema ? { migrationTableSchema } : {}) });
  expect((await migrator.migrateTo(BEFORE)).error).toBeUndefined();
  for (const id of ["open", "old"]) {
    await db
      .insertInto("campaigns")
      .values({ id, name: id, city: "中卫市", year: 2026, phase: "self", opens_at: 0, closes_at: 1, satisfaction_rule: "{}", is_demo: 0, created_at: 0 })
      .execute();
    await db.insertInto("console_tally_state").values({ campaign_id: id, rule: "{}", watermark: 40, folded_at: 1 }).execute();
    await db
      .insertInto("console_cell_tallies")
      .values([cell(id, 3, 12, 7), cell(id, 4, 6, 2)])
      .execute();
    await db
      .insertInto("console_item_tallies")
      .values([item(id, 5, 9), item(id, 2, 8)])
      .execute();
  }
  await db.insertInto("campaign_archives").values({ campaign_id: "old", archived_at: 2, archived_by: "x", responses_deleted: 18 }).execute();

  expect((await migrator.migrateToLatest()).error).toBeUndefined();
  // The open campaign is recounted from its responses at the next read.
  expect(await db.selectFrom("console_cell_tallies").select("campaign_id").where("campaign_id", "=", "open").execute()).toEqual([]);
  expect(await db.selectFrom("console_item_tallies").select("campaign_id").where("campaign_id", "=", "open").execute()).toEqual([]);
  expect(await db.selectFrom("console_tally_state").select("campaign_id").execute()).toEqual([{ campaign_id: "old" }]);
  // The archived one keeps its figures, all released.
  const cells = await db
    .selectFrom("console_cell_tallies")
    .select(["grade", "total", "satisfied", "satisfied_any", "rel_total", "rel_satisfied", "rel_flagged"])
    .orderBy("grade")
    .execute();
  expect(cells.map((c) => Object.values(c).map(Number))).toEqual([
    [3, 12, 7, 7, 12, 7, 2],
    [4, 6, 2, 2, 6, 2, 2],
  ]);
  const items = await db.selectFrom("console_item_tallies").select(["location", "grade", "score", "n", "n_any", "rel_n"]).orderBy("score").execute();
  expect(items.map((i) => [i.location, Number(i.grade), Number(i.score), Number(i.n), Number(i.n_any), Number(i.rel_n)])).toEqual([
    ["", 0, 2, 8, 8, 8],
    ["", 0, 5, 9, 9, 9],
  ]);
  // The new key: the same item and score in another grade is another row; the same cell is not.
  await db
    .insertInto("console_item_tallies")
    .values({ ...item("old", 5, 1), location: "urban", grade: 3, n_any: 1, rel_n: 0 })
    .execute();
  await expect(
    db
      .insertInto("console_item_tallies")
      .values({ ...item("old", 5, 1), location: "urban", grade: 3, n_any: 1, rel_n: 0 })
      .execute(),
  ).rejects.toThrow();

  expect((await migrator.migrateTo(BEFORE)).error).toBeUndefined();
  // Back down: per school and group again (the two rows of score 5 summed), without the new columns.
  const down = await db.selectFrom("console_item_tallies").selectAll().orderBy("score").execute();
  expect(down.map((i) => [i.campaign_id, Number(i.score), Number(i.n)])).toEqual([
    ["old", 2, 8],
    ["old", 5, 10],
  ]);
  expect(Object.keys(down[0] ?? {}).sort()).toEqual(["campaign_id", "county_id", "item", "n", "questionnaire_id", "respondent_group", "school_id", "score"]);
  const downCell = await db.selectFrom("console_cell_tallies").selectAll().where("grade", "=", 3).executeTakeFirstOrThrow();
  expect(Object.keys(downCell).sort()).toEqual([
    "campaign_id",
    "county_id",
    "flagged",
    "grade",
    "invalid",
    "location",
    "questionnaire_id",
    "respondent_group",
    "satisfied",
    "school_id",
    "total",
  ]);
  // And up again.
  expect((await migrator.migrateToLatest()).error).toBeUndefined();
}

describe("migration: release blocks", () => {
  it("on SQLite", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "yz-mig-"));
    const db = createDb({ kind: "sqlite", file: path.join(dir, "survey.sqlite"), synchronous: "NORMAL" });
    cleanups.push(async () => {
      await db.destroy();
      fs.rmSync(dir, { recursive: true, force: true });
    });
    await play(db);
  });

  const url = process.env.DATABASE_URL;
  if (!url) console.log("migration on PostgreSQL skipped — DATABASE_URL is not set");
  it.skipIf(!url)("on PostgreSQL", async () => {
    const schema = `yz_mig_${randomBytes(4).toString("hex")}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`create schema ${schema}`);
    const u = new URL(url ?? "");
    u.searchParams.set("options", `-c search_path=${schema}`);
    const db = createDb({ kind: "postgres", url: u.toString() });
    cleanups.push(async () => {
      await db.destroy();
      await admin.query(`drop schema if exists ${schema} cascade`);
      await admin.end();
    });
    await play(db, schema);
  });
});
