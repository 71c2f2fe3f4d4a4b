/**
 * Instances of a deployment start together (a rolling restart, a fresh install): on one empty
 * PostgreSQL schema, several at the same moment each apply the migrations and seed the demo
 * without failing each other — the migration lock serialises the first, the demo campaign's
 * key decides the second. What one instance publishes (a questionnaire version) the others serve
 * within seconds. Skipped, saying why, without DATABASE_URL.
 */
import { randomBytes } from "node:crypto";
import { sql } from "kysely";
import { afterAll, describe, expect, it, vi } from "vitest";
import { publishDefinition } from "../../../app/.server/console/definitions";
import { PEER_REFRESH_MS } from "../../../app/.server/services";
import { makeTestServices, createPostgresSchema, type TestServices } from "../../support/services";

const DATABASE_URL = process.env.DATABASE_URL;
if (!DATABASE_URL) console.warn("Simultaneous start-up test skipped: DATABASE_URL is not set");

describe.skipIf(!DATABASE_URL)("four instances starting at once on an empty schema", () => {
  const started: TestServices[] = [];
  let drop: (() => Promise<void>) | undefined;
  afterAll(async () => {
    for (const s of started) await s.dispose();
    await drop?.();
  });

  it("all come up, with the schema migrated once and the demo seeded once", async () => {
    const schema = await createPostgresSchema("yz_start");
    drop = schema.drop;
    const env = {
      STORE: "postgres",
      DATABASE_URL: schema.url,
      SIGNING_SECRET: randomBytes(32).toString("base64url"),
      DEVICE_SALT: randomBytes(32).toString("base64url"),
    };
    const results = await Promise.allSettled(Array.from({ length: 4 }, () => makeTestServices({ env })));
    for (const r of results) if (r.status === "fulfilled") started.push(r.value);
    expect(results.map((r) => (r.status === "rejected" ? String(r.reason) : "ok"))).toEqual(["ok", "ok", "ok", "ok"]);
    const db = started[0]?.db;
    if (!db) throw new Error("no instance");
    expect(await db.selectFrom("campaigns").select("id").execute()).toEqual([{ id: "zw2026" }]);
    expect((await db.selectFrom("schools").select("id").execute()).length).toBe(27);
    expect((await db.selectFrom("accounts").select("username").execute()).length).toBe(3);
    const migrations = await sql<{ name: string }>`select name from kysely_migration`.execute(db);
    expect(migrations.rows.length).toBe(new Set(migrations.rows.map((r) => r.name)).size);
    expect(migrations.rows.length).toBeGreaterThan(0);
  });

  it("serves a questionnaire version published on one instance from the others within seconds", { timeout: 30_000 }, async () => {
    const [a, b] = started;
    if (!a || !b) throw new Error("no instances");
    const actor = { accountId: 1, username: "x", displayName: "x", role: "city" as const, countyId: null, schoolId: null };
    const text = JSON.stringify({ ...(await import("../../../surveys/social.v1.json")).default, version: 9 });
    expect(await publishDefinition(a, actor, text)).toMatchObject({ ok: true, version: 9 });
    expect(a.surveys.get("social", 9)).not.toBeNull();
    // Not the registry's own minute: the peer refresh of services.ts (PEER_REFRESH_MS).
    await vi.waitFor(() => expect(b.surveys.get("social", 9)).not.toBeNull(), { timeout: PEER_REFRESH_MS * 3, interval: 200 });
  });
});
