/**
 * Archiving a campaign: its raw responses deleted once everything is folded into the tallies
 * (./console-tallies.ts), the figures kept, and the archive recorded.
 */
import { sql, type Kysely } from "kysely";
import type { SatisfactionRule } from "../../app/domain/satisfaction-rule";
import type { Database } from "../schema";
import { foldTallies, lockState } from "./console-tallies";

export interface ArchiveRecord {
  archivedAt: number;
  archivedBy: string | null;
  responsesDeleted: number;
}

export async function getArchive(db: Kysely<Database>, campaignId: string): Promise<ArchiveRecord | null> {
  const row = await db.selectFrom("campaign_archives").selectAll().where("campaign_id", "=", campaignId).executeTakeFirst();
  return row ? { archivedAt: Number(row.archived_at), archivedBy: row.archived_by, responsesDeleted: Number(row.responses_deleted) } : null;
}

/**
 * Deletes a campaign's raw responses (their item rows go with them) after folding everything
 * into the tallies, and records the archive — one transaction, on the state row's lock, so no
 * fold or review can interleave. Returns null when already archived.
 */
export async function deleteRawResponses(
  db: Kysely<Database>,
  campaignId: string,
  rule: SatisfactionRule,
  input: { now: number; by: string | null },
): Promise<{ deleted: number } | null> {
  await foldTallies(db, campaignId, rule, { now: input.now, lagMs: 0, sliceIds: 1_000_000_000 });
  return db.transaction().execute(async (trx) => {
    const state = await lockState(trx, campaignId, JSON.stringify(rule), input.now);
    if (await trx.selectFrom("campaign_archives").select("campaign_id").where("campaign_id", "=", campaignId).executeTakeFirst()) return null;
    const stray = await sql<{
      n: number | string;
    }>`select count(*) as n from responses r where r.campaign_id = ${campaignId} and r.id > ${state.watermark}`.execute(trx);
    if (Number(stray.rows[0]?.n ?? 0) > 0) throw new Error("responses arrived after the last fold; archive again");
    await sql`delete from response_items where response_id in (select id from responses where campaign_id = ${campaignId})`.execute(trx);
    const deleted = await trx.deleteFrom("responses").where("campaign_id", "=", campaignId).executeTakeFirst();
    const n = Number(deleted.numDeletedRows);
    await trx
      .insertInto("campaign_archives")
      .values({ campaign_id: campaignId, archived_at: input.now, archived_by: input.by, responses_deleted: n })
      .execute();
    return { deleted: n };
  });
}
