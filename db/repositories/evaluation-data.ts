/**
 * A campaign's imported evaluation data (the validated EvaluationInput as JSON, without the
 * 社会认可度 part, which comes from the campaign's responses).
 */
import type { Kysely } from "kysely";
import type { Database } from "../schema";

export interface StoredEvaluationData {
  campaignId: string;
  /** JSON text of the validated input. */
  input: string;
  fileName: string;
  importedAt: number;
  importedBy: string | null;
}

export async function getEvaluationData(db: Kysely<Database>, campaignId: string): Promise<StoredEvaluationData | null> {
  const row = await db.selectFrom("campaign_evaluation_data").selectAll().where("campaign_id", "=", campaignId).executeTakeFirst();
  return row
    ? { campaignId: row.campaign_id, input: row.input, fileName: row.file_name, importedAt: Number(row.imported_at), importedBy: row.imported_by }
    : null;
}

export async function putEvaluationData(db: Kysely<Database>, data: StoredEvaluationData): Promise<void> {
  await db
    .insertInto("campaign_evaluation_data")
    .values({ campaign_id: data.campaignId, input: data.input, file_name: data.fileName, imported_at: data.importedAt, imported_by: data.importedBy })
    .onConflict((oc) =>
      oc.column("campaign_id").doUpdateSet({ input: data.input, file_name: data.fileName, imported_at: data.importedAt, imported_by: data.importedBy }),
    )
    .execute();
}
