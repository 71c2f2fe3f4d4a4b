/**
 * Storing responses exactly once. Two unique constraints do the work — never a
 * check-then-insert: `idempotency_key` (a retried submission) and `respondent_key`
 * (one response per device per link). The insert and its item rows share one transaction.
 */
import type { Kysely, Transaction } from "kysely";
import type { Database, NewResponse } from "../schema";

export type InsertOutcome =
  /** Stored now. */
  | { kind: "inserted"; id: number }
  /** The same submission (same idempotency key, device and link) was stored before: a retry. */
  | { kind: "replayed"; id: number }
  /** This device already answered this link with another submission. */
  | { kind: "already_submitted" }
  /** The idempotency key belongs to a different device or link: refused. */
  | { kind: "key_conflict" };

export interface ItemScore {
  item: string;
  score: number | null;
}

async function insertOnce(
  trx: Transaction<Database>,
  row: NewResponse,
  items: readonly ItemScore[],
): Promise<number | null> {
  const inserted = await trx
    .insertInto("responses")
    .values(row)
    .onConflict((oc) => oc.doNothing())
    .returning("id")
    .executeTakeFirst();
  if (!inserted) return null;
  if (items.length > 0) {
    await trx
      .insertInto("response_items")
      .values(items.map((i) => ({ response_id: inserted.id, item: i.item, score: i.score })))
      .execute();
  }
  return inserted.id;
}

export async function insertResponse(
  db: Kysely<Database>,
  row: NewResponse,
  items: readonly ItemScore[],
): Promise<InsertOutcome> {
  const id = await db.transaction().execute((trx) => insertOnce(trx, row, items));
  if (id !== null) return { kind: "inserted", id };

  // Nothing inserted: a unique constraint held. Find out which one.
  const byKey = await db
    .selectFrom("responses")
    .select(["id", "campaign_id", "county_id", "school_id", "questionnaire_id", "device_hash"])
    .where("idempotency_key", "=", row.idempotency_key)
    .executeTakeFirst();
  if (byKey) {
    const sameSubmission =
      byKey.campaign_id === row.campaign_id &&
      byKey.county_id === row.county_id &&
      byKey.school_id === (row.school_id ?? null) &&
      byKey.questionnaire_id === row.questionnaire_id &&
      byKey.device_hash === row.device_hash;
    return sameSubmission ? { kind: "replayed", id: byKey.id } : { kind: "key_conflict" };
  }
  return { kind: "already_submitted" };
}

/** Whether this device (respondent key = device × link) has a stored response. */
export async function hasResponded(db: Kysely<Database>, respondentKey: string): Promise<boolean> {
  const row = await db
    .selectFrom("responses")
    .select("id")
    .where("respondent_key", "=", respondentKey)
    .executeTakeFirst();
  return row !== undefined;
}

export async function countResponses(db: Kysely<Database>, campaignId: string): Promise<number> {
  const row = await db
    .selectFrom("responses")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("campaign_id", "=", campaignId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
