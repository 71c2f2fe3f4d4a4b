/**
 * Group commit on SQLite (db/repositories/responses.ts): submissions that reach the store in the
 * same event-loop turn share one transaction, and each still gets its own outcome — inserted,
 * a replay, already submitted, a stolen key, or its own error — exactly as when each had its
 * own transaction (SQLITE_GROUP_COMMIT=false, checked alongside).
 */
import { afterEach, describe, expect, it } from "vitest";
import { groupCommitStats, insertResponse, type InsertOutcome } from "../../../db/repositories/responses";
import { responseRow } from "../../support/rows";
import { makeTestServices, type TestServices } from "../../support/services";

const row = responseRow;
const items = [
  { item: "overall", score: 5 },
  { item: "moral", score: null },
];

let services: TestServices | undefined;
afterEach(async () => {
  await services?.dispose();
  services = undefined;
});

for (const groupCommit of [true, false]) {
  describe(`insertResponse with SQLITE_GROUP_COMMIT=${String(groupCommit)}`, () => {
    it("gives each of many submissions sent at once its own outcome", async () => {
      services = await makeTestServices({ env: { STORE: "sqlite", SQLITE_GROUP_COMMIT: String(groupCommit) } });
      const db = services.db;
      const calls: Array<Promise<InsertOutcome>> = [];
      for (let n = 0; n < 40; n++) calls.push(insertResponse(db, row(n), items));
      // In the same turn: a retry of #1, another submission by the device of #2 on the same
      // link, #3's key from another device, and a row whose campaign does not exist.
      calls.push(insertResponse(db, row(1), items));
      calls.push(insertResponse(db, row(2, { idempotency_key: "another" }), items));
      calls.push(insertResponse(db, row(99, { idempotency_key: "k3" }), items));
      const broken = insertResponse(db, row(100, { campaign_id: "no-such-campaign" }), items).then(
        () => "stored",
        (error: unknown) => (error instanceof Error ? error.message : String(error)),
      );
      const outcomes = await Promise.all(calls);
      expect(await broken).toMatch(/FOREIGN KEY/);

      const first = outcomes.slice(0, 40);
      expect(first.every((o) => o.kind === "inserted")).toBe(true);
      expect(outcomes[40]).toEqual({ kind: "replayed", id: first[1]?.kind === "inserted" ? first[1].id : -1 });
      expect(outcomes[41]).toEqual({ kind: "already_submitted" });
      expect(outcomes[42]).toEqual({ kind: "key_conflict" });

      expect(await db.selectFrom("responses").select("id").execute()).toHaveLength(40);
      // Every stored response has its own two item rows, and nothing of the refused one.
      expect(await db.selectFrom("response_items").select("response_id").execute()).toHaveLength(80);
      const stats = groupCommitStats(db);
      if (groupCommit) {
        expect(stats.submissions).toBe(44);
        expect(stats.transactions).toBeLessThan(5);
      } else {
        expect(stats).toEqual({ transactions: 0, submissions: 0 });
      }
    });
  });
}

describe("group commit", () => {
  it("never answers before the commit, and a later turn starts a new transaction", async () => {
    services = await makeTestServices({ env: { STORE: "sqlite" } });
    const db = services.db;
    const a = await insertResponse(db, row(1), items);
    const b = await insertResponse(db, row(2), items);
    expect([a.kind, b.kind]).toEqual(["inserted", "inserted"]);
    expect(groupCommitStats(db)).toEqual({ transactions: 2, submissions: 2 });
    // What an answered caller was told is on disk for every other reader, at once.
    const other = (await import("better-sqlite3")).default;
    const reader = new other(`${services.dataDir}/survey.sqlite`, { readonly: true });
    try {
      expect(reader.prepare("select count(*) as n from responses").get()).toEqual({ n: 2 });
    } finally {
      reader.close();
    }
  });
});
