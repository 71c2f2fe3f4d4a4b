/**
 * Supervision codes: issued by a school for a shared device (a computer room for the 学生卷, a
 * staff-room PC for the 校长教师卷), they let one device submit several questionnaires of that
 * school — only the questionnaires the code was issued for — each still stored once by its
 * idempotency key.
 */
import type { Kysely } from "kysely";
import { QUESTIONNAIRE_IDS, type QuestionnaireId } from "../../app/domain/vocabulary";
import type { Database } from "../schema";

export interface SupervisionCode {
  id: number;
  campaignId: string;
  schoolId: string;
  label: string;
  expiresAt: number;
  /** The questionnaires this code admits; never empty. */
  questionnaires: QuestionnaireId[];
}

/** The stored JSON array, keeping only known ids (an unreadable value admits nothing). */
function parseQuestionnaires(text: string): QuestionnaireId[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return [];
  }
  if (!Array.isArray(parsed)) return [];
  return QUESTIONNAIRE_IDS.filter((q) => parsed.includes(q));
}

export async function insertSupervisionCode(
  db: Kysely<Database>,
  code: {
    campaignId: string;
    schoolId: string;
    codeHash: string;
    label: string;
    createdAt: number;
    expiresAt: number;
    questionnaires: readonly QuestionnaireId[];
  },
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
      questionnaires: JSON.stringify(QUESTIONNAIRE_IDS.filter((q) => code.questionnaires.includes(q))),
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return Number(row.id);
}

/** The code with this hash if it is neither expired nor revoked at `now`. */
export async function findActiveSupervisionCode(
  db: Kysely<Database>,
  where: { codeHash: string } | { id: number },
  now: number,
): Promise<SupervisionCode | null> {
  let query = db
    .selectFrom("supervision_codes")
    .select(["id", "campaign_id", "school_id", "label", "expires_at", "questionnaires"])
    .where("revoked_at", "is", null)
    .where("expires_at", ">", now);
  query = "codeHash" in where ? query.where("code_hash", "=", where.codeHash) : query.where("id", "=", where.id);
  const row = await query.executeTakeFirst();
  return row
    ? {
        id: Number(row.id),
        campaignId: row.campaign_id,
        schoolId: row.school_id,
        label: row.label,
        expiresAt: Number(row.expires_at),
        questionnaires: parseQuestionnaires(row.questionnaires),
      }
    : null;
}
