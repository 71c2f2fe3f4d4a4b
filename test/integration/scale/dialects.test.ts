/**
 * One data layer, two dialects: the same repository calls give the same values on SQLite and on
 * PostgreSQL — numbers as numbers (ids, counts, sums, millisecond timestamps), JSON answers back
 * as they went in, NULLs ordered first on both, a comment search that ignores Latin case on both.
 * Each store is fresh (test/support/services.ts); the PostgreSQL half is skipped, saying why,
 * without DATABASE_URL.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { countComments, flaggedByLink, listComments } from "../../../db/repositories/console-responses";
import { countResponses, insertResponse } from "../../../db/repositories/responses";
import { satisfactionCounts } from "../../../db/repositories/satisfaction";
import { DEFAULT_SATISFACTION_RULE } from "../../../app/domain/satisfaction-rule";
import type { NewResponse } from "../../../db/schema";
import { responseRow } from "../../support/rows";
import { makeTestServices, type TestServices } from "../../support/services";

const DATABASE_URL = process.env.DATABASE_URL;
if (!DATABASE_URL) console.warn("PostgreSQL half of the dialect tests skipped: DATABASE_URL is not set");

const ANSWERS = { grade: 3, overall: "满意", comment: '操场 WiFi 信号差 😀 "引号" \\ 反斜杠' };

function row(n: number, over: Partial<NewResponse> = {}): NewResponse {
  return responseRow(n, {
    answers: JSON.stringify(ANSWERS),
    score_sum: 9,
    score_count: 2,
    started_at: 1_773_100_000_000 + n,
    submitted_at: 1_773_100_300_000 + n,
    duration_ms: 300_000,
    ...over,
  });
}

/** What every store must answer identically (ids aside, which each store assigns). */
async function observe(services: TestServices) {
  const db = services.db;
  const ids: number[] = [];
  const put = async (n: number, over: Partial<NewResponse> = {}) => {
    const r = await insertResponse(db, row(n, over), [
      { item: "overall", score: over.overall_score === undefined ? 5 : over.overall_score },
      { item: "moral", score: null },
    ]);
    if (r.kind !== "inserted") throw new Error(`not inserted: ${r.kind}`);
    ids.push(r.id);
  };
  await put(1, { comment: "操场 WiFi 信号差" });
  await put(2, { comment: "希望增加课后服务", flags: JSON.stringify(["too_fast"]) });
  // A county-level link (no school, no location) and a response without a grade.
  await put(3, { school_id: null, location: null, respondent_group: "deputy", grade: null, overall_score: 2 });
  await put(4, { grade: null, overall_score: null, score_sum: 4, score_count: 1 });

  const stored = await db.selectFrom("responses").selectAll().where("idempotency_key", "=", "k1").executeTakeFirstOrThrow();
  const counts = await satisfactionCounts(db, "zw2026", DEFAULT_SATISFACTION_RULE);
  const sums = await db
    .selectFrom("responses")
    .select((eb) => [eb.fn.sum<number>("score_sum").as("sum"), eb.fn.max<number>("submitted_at").as("latest"), eb.fn.countAll<number>().as("n")])
    .executeTakeFirstOrThrow();
  return {
    idsAreNumbers: ids.every((id) => typeof id === "number" && Number.isInteger(id)),
    idsIncrease: ids.every((id, i) => i === 0 || id > (ids[i - 1] ?? 0)),
    storedTypes: [typeof stored.id, typeof stored.started_at, typeof stored.submitted_at, typeof stored.score_sum, typeof stored.grade],
    startedAt: stored.started_at,
    answers: JSON.parse(stored.answers) as unknown,
    total: await countResponses(db, "zw2026"),
    sums,
    cells: counts.cells,
    items: counts.items,
    wifi: (await listComments(db, { campaignId: "zw2026", countyId: "640502", search: "wifi", limit: 10 })).map((c) => c.comment),
    wifiCount: await countComments(db, { campaignId: "zw2026", countyId: "640502", search: "WIFI" }),
    percent: await countComments(db, { campaignId: "zw2026", countyId: "640502", search: "%" }),
    flagged: await flaggedByLink(db, "zw2026", "640502"),
  };
}

const stores = [
  { name: "SQLite", env: { STORE: "sqlite" }, skip: false },
  { name: "PostgreSQL", env: {}, skip: !DATABASE_URL },
] as const;

const seen = new Map<string, Awaited<ReturnType<typeof observe>>>();

for (const store of stores) {
  describe.skipIf(store.skip)(`the data layer on ${store.name}`, () => {
    let services: TestServices;
    beforeAll(async () => {
      const prior = process.env.TEST_STORE;
      // The PostgreSQL half asks makeTestServices for a schema of its own.
      if (store.name === "PostgreSQL") process.env.TEST_STORE = "postgres";
      try {
        services = await makeTestServices({ env: store.name === "SQLite" ? { ...store.env } : {} });
      } finally {
        if (prior === undefined) delete process.env.TEST_STORE;
        else process.env.TEST_STORE = prior;
      }
    });
    afterAll(async () => {
      await services?.dispose();
    });

    it("gives numbers as numbers, JSON back as sent, NULLs first, and a case-blind comment search", async () => {
      const o = await observe(services);
      seen.set(store.name, o);
      expect(services.config.store.kind).toBe(store.name === "SQLite" ? "sqlite" : "postgres");
      expect(o.idsAreNumbers).toBe(true);
      expect(o.idsIncrease).toBe(true);
      expect(o.storedTypes).toEqual(["number", "number", "number", "number", "number"]);
      expect(o.startedAt).toBe(1_773_100_000_001);
      expect(o.answers).toEqual(ANSWERS);
      expect(o.total).toBe(4);
      expect(o.sums).toEqual({ sum: 31, latest: 1_773_100_300_004, n: 4 });
      // The county-level link (school NULL) sorts first; within spt01 the NULL grade first.
      expect(o.cells.map((c) => [c.schoolId, c.group, c.grade, c.total, c.satisfied])).toEqual([
        [null, "deputy", null, 1, 0],
        ["spt01", "parent", null, 1, 0],
        ["spt01", "parent", 3, 2, 2],
      ]);
      expect(o.items.every((i) => typeof i.count === "number")).toBe(true);
      expect(o.wifi).toEqual(["操场 WiFi 信号差"]);
      expect(o.wifiCount).toBe(1);
      expect(o.percent).toBe(0);
      expect(o.flagged).toEqual([{ schoolId: "spt01", questionnaireId: "social", flagged: 1, invalid: 0 }]);
    });
  });
}

describe.skipIf(!DATABASE_URL)("both stores", () => {
  it("answered the same, value for value", () => {
    const a = seen.get("SQLite");
    const b = seen.get("PostgreSQL");
    expect(a).toBeDefined();
    expect(b).toEqual(a);
  });
});
