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

/** Which file a county's evaluation data came from, and who imported it. */
export interface CountyImportProvenance {
  fileName: string;
  importedAt: number;
  importedBy: string | null;
}

/**
 * The import that last set one county's evaluation data, from the append-only audit log: the
 * newest `evaluation_imported` entry of the campaign that is that county's own (a county
 * officer's file) or a city or system file listing it (which replaces every county). The row in
 * `campaign_evaluation_data` keeps only the campaign's latest file, which may be another
 * county's: its name and importer are not shown to this county. `undefined` when the campaign
 * has no import in the audit log at all (data written by a script, not through the console).
 */
export async function countyImportProvenance(db: Kysely<Database>, campaignId: string, countyId: string): Promise<CountyImportProvenance | null | undefined> {
  const rows = await db
    .selectFrom("audit_log")
    .select(["at", "username", "county_id", "subject", "detail"])
    .where("campaign_id", "=", campaignId)
    .where("action", "=", "evaluation_imported")
    .orderBy("id", "desc")
    .execute();
  for (const r of rows) {
    if (r.county_id !== null && r.county_id !== countyId) continue;
    if (r.county_id === null) {
      let counties: unknown = null;
      try {
        const detail: unknown = JSON.parse(r.detail);
        counties = typeof detail === "object" && detail !== null && "counties" in detail ? detail.counties : null;
      } catch {
        counties = null;
      }
      // A city file replaces every county's data: if it did not hold this county, there is none.
      // (An entry without a county list — the demo data — is a whole-campaign file.)
      if (Array.isArray(counties) && !counties.includes(countyId)) return null;
    }
    return { fileName: r.subject ?? "", importedAt: Number(r.at), importedBy: r.username };
  }
  return rows.length === 0 ? undefined : null;
}
