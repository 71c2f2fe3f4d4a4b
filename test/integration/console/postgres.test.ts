/**
 * The console on PostgreSQL (STORE=postgres), in a schema of its own dropped afterwards: its
 * migrations, accounts and server-side sessions, the tallies equal to the from-scratch counts
 * through folds and invalidations (upserts and locks in PostgreSQL's dialect), numbers as
 * numbers. Skipped, saying why, when DATABASE_URL is not set; .ci/run sets it.
 */
import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { foldTallies, setValidity } from "../../../db/repositories/console-tallies";
import { readTallies } from "../../../db/repositories/console-tallies-read";
import { deleteRawResponses } from "../../../db/repositories/campaign-archive";
import { satisfactionCounts } from "../../../db/repositories/satisfaction";
import { generateResponses } from "../../../app/.server/console/generate-responses";
import { publishDefinition } from "../../../app/.server/console/definitions";
import { DEFAULT_SATISFACTION_RULE, type SatisfactionRule } from "../../../app/domain/satisfaction-rule";
import { loader as dashboardLoader } from "../../../app/routes/admin.campaigns.$campaignId.counties.$countyId._index/route";
import { closeCollection } from "../../support/campaigns";
import { makeTestServices, type TestServices } from "../../support/services";
import { callLoader, roleCookies } from "./support";

const DATABASE_URL = process.env.DATABASE_URL;
if (!DATABASE_URL) console.warn("PostgreSQL console tests skipped: DATABASE_URL is not set");

describe.skipIf(!DATABASE_URL)("the console on PostgreSQL", () => {
  const schema = `yz_console_${randomBytes(6).toString("hex")}`;
  let services: TestServices;
  let admin: pg.Client;
  const rule: SatisfactionRule = DEFAULT_SATISFACTION_RULE;

  beforeAll(async () => {
    admin = new pg.Client({ connectionString: DATABASE_URL });
    await admin.connect();
    await admin.query(`create schema ${schema}`);
    const url = new URL(DATABASE_URL ?? "");
    url.searchParams.set("options", `-c search_path=${schema}`);
    services = await makeTestServices({ env: { STORE: "postgres", DATABASE_URL: url.toString() } });
    await generateResponses(services.db, { campaignId: "zw2026", count: 600, seed: 5, now: services.now() - 3_600_000, profile: "demo", label: "pg" });
    // The final figures: while a collection is open they are released in blocks (decision 0015).
    await closeCollection(services, "zw2026");
  });

  afterAll(async () => {
    await services?.dispose();
    await admin?.query(`drop schema if exists ${schema} cascade`);
    await admin?.end();
  });

  const normalise = (c: {
    cells: Array<{
      countyId: string;
      schoolId: string | null;
      group: string;
      questionnaire: string;
      location: string | null;
      grade: number | null;
      total: number;
      invalid: number;
      satisfied: number;
    }>;
  }) => c.cells.map((x) => [x.countyId, x.schoolId, x.group, x.questionnaire, x.location, x.grade, x.total, x.invalid, x.satisfied].join("|")).sort();

  it("signs in with a server-side session and serves a county dashboard", async () => {
    const cookies = await roleCookies(services);
    const res = await callLoader(services, dashboardLoader, "/admin/campaigns/zw2026/counties/640521", {
      cookie: cookies.county,
      params: { campaignId: "zw2026", countyId: "640521" },
    });
    expect(res.status).toBe(200);
    const n = (res.body as { view: { overall: { n: number } } }).view.overall.n;
    expect(typeof n).toBe("number");
    expect(n).toBeGreaterThan(100);
    expect((await callLoader(services, dashboardLoader, "/x", { cookie: cookies.county, params: { campaignId: "zw2026", countyId: "640502" } })).status).toBe(
      403,
    );
  });

  it("keeps the tallies equal to the from-scratch counts through folds and invalidations", async () => {
    expect(normalise(await readTallies(services.db, "zw2026", rule))).toEqual(normalise(await satisfactionCounts(services.db, "zw2026", rule)));
    await foldTallies(services.db, "zw2026", rule, { now: services.now(), lagMs: 0, sliceIds: 200 });
    const read = await readTallies(services.db, "zw2026", rule);
    expect(read.tail).toBe(0);
    expect(typeof read.watermark).toBe("number");
    const ids = (await services.db.selectFrom("responses").select("id").orderBy("id").limit(5).execute()).map((r) => Number(r.id));
    for (const id of ids) {
      const r = await setValidity(services.db, {
        campaignId: "zw2026",
        responseId: id,
        invalid: true,
        reason: "测试",
        rule,
        now: services.now(),
        reviewer: { accountId: null, username: null },
        inScope: () => true,
      });
      expect(r.ok).toBe(true);
    }
    expect(normalise(await readTallies(services.db, "zw2026", rule))).toEqual(normalise(await satisfactionCounts(services.db, "zw2026", rule)));
    const mean: SatisfactionRule = { kind: "mean_at_least", minMeanScore: 4, includeOverall: false };
    expect((await foldTallies(services.db, "zw2026", mean, { now: services.now(), lagMs: 0 })).recounted).toBe(true);
    expect(normalise(await readTallies(services.db, "zw2026", mean))).toEqual(normalise(await satisfactionCounts(services.db, "zw2026", mean)));
  });

  it("publishes a definition version once", async () => {
    const actor = { accountId: 1, username: "x", displayName: "x", role: "city" as const, countyId: null, schoolId: null };
    const text = JSON.stringify({ ...(await import("../../../surveys/social.v1.json")).default, version: 7 });
    expect(await publishDefinition(services, actor, text)).toMatchObject({ ok: true, version: 7 });
    expect(services.surveys.get("social", 7)).not.toBeNull();
    expect((await publishDefinition(services, actor, text)).ok).toBe(false);
  });

  it("archives: deletes the raw answers and keeps the tallies' figures", async () => {
    const mean: SatisfactionRule = { kind: "mean_at_least", minMeanScore: 4, includeOverall: false };
    const before = normalise(await readTallies(services.db, "zw2026", mean));
    const result = await deleteRawResponses(services.db, "zw2026", mean, { now: services.now(), by: "x" });
    expect(result?.deleted).toBeGreaterThanOrEqual(600);
    expect(normalise(await readTallies(services.db, "zw2026", mean))).toEqual(before);
    expect(await deleteRawResponses(services.db, "zw2026", mean, { now: services.now(), by: "x" })).toBeNull();
  });
});
