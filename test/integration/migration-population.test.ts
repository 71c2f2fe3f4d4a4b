/**
 * Migration 2026-12-03-0300: a campaign county's 常住人口 becomes nullable, existing 0s ("left
 * empty" as the console stored it) become NULL, real figures stay — on SQLite (a table rebuild)
 * and on PostgreSQL (when DATABASE_URL is set) — and it migrates back down.
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

const BEFORE = "2026-12-03-0200-supervision-questionnaires";
const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const c of cleanups) await c();
});

async function play(db: Kysely<Database>, migrationTableSchema?: string): Promise<void> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => MIGRATIONS }, ...(migrationTableSchema ? { migrationTableSchema } : {}) });
  expect((await migrator.migrateTo(BEFORE)).error).toBeUndefined();
  await db
    .insertInto("counties")
    .values([
      { id: "640502", name: "沙坡头区", city: "中卫市", is_demo: 0 },
      { id: "640521", name: "中宁县", city: "中卫市", is_demo: 0 },
    ])
    .execute();
  await db
    .insertInto("campaigns")
    .values({ id: "c1", name: "c1", city: "中卫市", year: 2026, phase: "self", opens_at: 0, closes_at: 1, satisfaction_rule: "{}", is_demo: 0, created_at: 0 })
    .execute();
  await db
    .insertInto("campaign_counties")
    .values([
      { campaign_id: "c1", county_id: "640502", resident_population: 406000, share_urban: 0.5, share_town: 0.25, share_rural: 0.25 },
      { campaign_id: "c1", county_id: "640521", resident_population: 0, share_urban: 0.4, share_town: 0.3, share_rural: 0.3 },
    ])
    .execute();

  expect((await migrator.migrateToLatest()).error).toBeUndefined();
  const rows = await db.selectFrom("campaign_counties").select(["county_id", "resident_population", "share_urban"]).orderBy("county_id").execute();
  expect(rows.map((r) => [r.county_id, r.resident_population === null ? null : Number(r.resident_population), Number(r.share_urban)])).toEqual([
    ["640502", 406000, 0.5],
    ["640521", null, 0.4],
  ]);
  // The primary key still holds after the rebuild.
  await expect(
    db
      .insertInto("campaign_counties")
      .values({ campaign_id: "c1", county_id: "640502", resident_population: null, share_urban: 1, share_town: 0, share_rural: 0 })
      .execute(),
  ).rejects.toThrow();
  await db
    .insertInto("campaign_counties")
    .values({ campaign_id: "c1", county_id: "640521", resident_population: null, share_urban: 1, share_town: 0, share_rural: 0 })
    .onConflict((oc) => oc.columns(["campaign_id", "county_id"]).doNothing())
    .execute();

  expect((await migrator.migrateTo(BEFORE)).error).toBeUndefined();
  const down = await db.selectFrom("campaign_counties").select(["county_id", "resident_population"]).orderBy("county_id").execute();
  expect(down.map((r) => Number(r.resident_population))).toEqual([406000, 0]);
}

describe("migration: 常住人口 nullable", () => {
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
