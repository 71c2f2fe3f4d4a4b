/**
 * What a county's evidence pack reads (decision 0026), a page at a time in key order so a
 * pack of any size is written in bounded memory: the county's review decisions and its rows of
 * the 操作日志 with their chain fields.
 */
import type { Kysely } from "kysely";
import type { AuditExtractRow } from "../../app/domain/evidence-pack";
import type { Database } from "../schema";
import { toStoredChainRow } from "./audit";

export interface ReviewDecision {
  id: number;
  responseId: number;
  action: string;
  reason: string;
  accountId: number | null;
  username: string | null;
  at: number;
}

/** Review decisions of one county of one campaign, in id order after `afterId`. No answers, no device data. */
export async function reviewDecisionsPage(
  db: Kysely<Database>,
  q: { campaignId: string; countyId: string; afterId: number; limit: number },
): Promise<ReviewDecision[]> {
  const rows = await db
    .selectFrom("response_reviews")
    .select(["id", "response_id", "action", "reason", "account_id", "username", "at"])
    .where("campaign_id", "=", q.campaignId)
    .where("county_id", "=", q.countyId)
    .where("id", ">", q.afterId)
    .orderBy("id")
    .limit(q.limit)
    .execute();
  return rows.map((r) => ({
    id: Number(r.id),
    responseId: Number(r.response_id),
    action: r.action,
    reason: r.reason,
    accountId: r.account_id === null ? null : Number(r.account_id),
    username: r.username,
    at: Number(r.at),
  }));
}

/** An audit row as the evidence pack's extract holds it: the chain's fields, its id and hash. */
export type CountyAuditRow = AuditExtractRow;

/**
 * The chained 操作日志 rows of one county of one campaign, in seq order after `afterSeq`, up to
 * `maxSeq` (the head read when the pack began, so rows written meanwhile stay out). Rows
 * without chain fields (written around the app) are not chained and are left out; the whole
 * log's check (`npm run audit:verify`) reports them.
 */
export async function countyAuditPage(
  db: Kysely<Database>,
  q: { campaignId: string; countyId: string; afterSeq: number; maxSeq: number; limit: number },
): Promise<CountyAuditRow[]> {
  const rows = await db
    .selectFrom("audit_log")
    .selectAll()
    .where("campaign_id", "=", q.campaignId)
    .where("county_id", "=", q.countyId)
    .where("seq", ">", q.afterSeq)
    .where("seq", "<=", q.maxSeq)
    .orderBy("seq")
    .limit(q.limit)
    .execute();
  const out: CountyAuditRow[] = [];
  for (const row of rows.map(toStoredChainRow)) {
    const { seq, prevHash, hash } = row;
    if (seq === null || prevHash === null || hash === null) continue;
    out.push({ ...row, seq, prevHash, hash });
  }
  return out;
}
