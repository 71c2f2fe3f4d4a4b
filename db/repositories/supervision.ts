/**
 * Supervision codes: issued by a school for a shared device (a computer room for the 学生卷, a
 * staff-room PC), they let one device submit several questionnaires of that school, each
 * still stored once by its idempotency key.
 */
import type { Kysely } from "kysely";
import type { Database } from "../schema";

export interface SupervisionCode {
  id: number;
  campaignId: string;
  schoolId: string;
  label: string;
  expiresAt: number;
}

export async function insertSupervisionCode(
  db: Kysely<Database>,
  code: { campaignId: string; schoolId: string; codeHash: string; label: string; createdAt: number; expiresAt: number },
): Promise<number> {
  const row = await db
    .insertInto("supervision_codes")
    .values({
      campaign_id: code.campaignId,
      school_id: code.schoolId,
      code_hash: code.codeHash,
      label: code.label,
      created_at: code.createdAt,
      expires_at: code.expiresAt,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

/** The code with this hash if it is neither expired nor revoked at `now`. */
export async function findActiveSupervisionCode(
  db: Kysely<Database>,
  where: { codeHash: string } | { id: number },
  now: number,
): Promise<SupervisionCode | null> {
  let query = db
    .selectFrom("supervision_codes")
    .select(["id", "campaign_id", "school_id", "label", "expires_at"])
    .where("revoked_at", "is", null)
    .where("expires_at", ">", now);
  query = "codeHash" in where ? query.where("code_hash", "=", where.codeHash) : query.where("id", "=", where.id);
  const row = await query.executeTakeFirst();
  return row
    ? { id: row.id, campaignId: row.campaign_id, schoolId: row.school_id, label: row.label, expiresAt: row.expires_at }
    : null;
}
