/**
 * The SQLite fast path of insertResponse (db/repositories/responses.ts) must behave as the
 * Kysely one: never land inside another caller's open transaction, and classify conflicts.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { insertResponse } from "../../db/repositories/responses";
import { responseRow } from "../support/rows";
import { makeTestServices, type TestServices } from "../support/services";

let services: TestServices;
beforeEach(async () => {
  services = await makeTestServices();
});
afterEach(async () => {
  await services.dispose();
});

const row = (n: number) => responseRow(n);

describe("insertResponse", () => {
  it("is not swept into a concurrent transaction that rolls back", async () => {
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    const rolledBack = services.db
      .transaction()
      .execute(async (trx) => {
        await trx.insertInto("responses").values(row(1)).execute();
        await held;
        throw new Error("roll back");
      })
      .catch((e: unknown) => (e instanceof Error ? e.message : String(e)));
    // Starts while the other transaction is open; must wait for it, not join it.
    const inserting = insertResponse(services.db, row(2), [{ item: "overall", score: 5 }]);
    await new Promise((r) => setTimeout(r, 20));
    release();
    expect(await rolledBack).toBe("roll back");
    expect(await inserting).toMatchObject({ kind: "inserted" });
    const keys = (await services.db.selectFrom("responses").select("idempotency_key").execute()).map((r) => r.idempotency_key);
    expect(keys).toEqual(["k2"]);
    expect(await services.db.selectFrom("response_items").selectAll().execute()).toHaveLength(1);
  });

  it("classifies a replay, a second submission and a stolen key", async () => {
    expect((await insertResponse(services.db, row(1), [])).kind).toBe("inserted");
    expect((await insertResponse(services.db, row(1), [])).kind).toBe("replayed");
    expect((await insertResponse(services.db, { ...row(1), idempotency_key: "other" }, [])).kind).toBe("already_submitted");
    expect((await insertResponse(services.db, { ...row(2), idempotency_key: "k1" }, [])).kind).toBe("key_conflict");
    expect(await services.db.selectFrom("responses").select("id").execute()).toHaveLength(1);
  });
});
