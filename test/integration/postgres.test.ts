/**
 * The same submit path on PostgreSQL (STORE=postgres): migrations, stored-once guarantees and
 * the satisfaction counts, in a schema of its own that is dropped afterwards. Skipped, saying
 * why, when DATABASE_URL is not set; .ci/run sets it.
 */
import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { satisfactionCounts } from "../../db/repositories/satisfaction";
import { DEFAULT_SATISFACTION_RULE } from "../../app/domain/satisfaction-rule";
import { callSubmit, linkToken, newDevice, parentAnswers, validBody } from "../support/requests";
import { makeTestServices, type TestServices } from "../support/services";

const DATABASE_URL = process.env.DATABASE_URL;
if (!DATABASE_URL) console.warn("PostgreSQL tests skipped: DATABASE_URL is not set");

describe.skipIf(!DATABASE_URL)("on PostgreSQL", () => {
  const schema = `yz_test_${randomBytes(6).toString("hex")}`;
  let services: TestServices;
  let admin: pg.Client;

  beforeAll(async () => {
    admin = new pg.Client({ connectionString: DATABASE_URL });
    await admin.connect();
    await admin.query(`create schema ${schema}`);
    const url = new URL(DATABASE_URL ?? "");
    url.searchParams.set("options", `-c search_path=${schema}`);
    services = await makeTestServices({ env: { STORE: "postgres", DATABASE_URL: url.toString() } });
  });

  afterAll(async () => {
    await services?.dispose();
    await admin?.query(`drop schema if exists ${schema} cascade`);
    await admin?.end();
  });

  it("runs the migrations into its own schema and seeds the demo", async () => {
    const { rows } = await admin.query<{ n: string }>(`select count(*) as n from ${schema}.schools`);
    expect(Number(rows[0]?.n)).toBe(27);
  });

  it("stores a submission once, answers retries and second submissions as on SQLite, with numbers as numbers", async () => {
    const token = linkToken(services);
    const cookie = newDevice(services);
    const body = validBody(services);
    const results = await Promise.all(Array.from({ length: 3 }, () => callSubmit(services, { token, cookie, body })));
    expect(results.filter((r) => r.body.status === "accepted")).toHaveLength(1);
    expect(results.every((r) => r.status === 200)).toBe(true);
    const again = await callSubmit(services, { token, cookie, body: validBody(services) });
    expect(again.body.error).toBe("already_submitted");
    const row = await services.db.selectFrom("responses").selectAll().executeTakeFirstOrThrow();
    expect(typeof row.id).toBe("number");
    expect(typeof row.started_at).toBe("number");
    expect(row.submitted_at).toBe(services.now());
    expect(row.score_sum).toBe(51);
    const items = await services.db
      .selectFrom("response_items")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    expect(items.n).toBe(13);
  });

  it("aggregates the satisfaction counts as numbers", async () => {
    for (const overall of ["满意", "不满意", "不了解"]) {
      const res = await callSubmit(services, {
        token: linkToken(services),
        cookie: newDevice(services),
        body: validBody(services, { answers: parentAnswers({ overall }) }),
      });
      expect(res.status).toBe(200);
    }
    const { cells, items } = await satisfactionCounts(services.db, "zw2026", DEFAULT_SATISFACTION_RULE);
    expect(cells).toEqual([
      {
        countyId: "640502",
        schoolId: "spt01",
        group: "parent",
        questionnaire: "social",
        location: "urban",
        grade: 3,
        total: 4,
        invalid: 0,
        valid: 4,
        satisfied: 2,
      },
    ]);
    expect(items.find((i) => i.itemId === "overall" && i.score === null)?.count).toBe(1);
  });
});
