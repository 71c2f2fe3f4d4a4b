/**
 * Campaign details the console edits and reads beyond db/repositories/campaigns.ts: each
 * county's 常住人口 and 城区/镇区/乡村 split (the sample plan's inputs).
 */
import type { Kysely } from "kysely";
import type { SatisfactionRule } from "../../app/domain/satisfaction-rule";
import type { Database } from "../schema";
import { followSchoolCounties } from "./accounts";

export interface CampaignCountyPlan {
  countyId: string;
  countyName: string;
  /**
   * 常住人口; null when not provided. Stored as NULL; a 0, which a database from before migration
   * 2026-12-03-0300 may still hand back after a restore, is never a population either and is
   * read as null here, at the edge — so no reader can plan a sample of 0.
   */
  residentPopulation: number | null;
  locationShare: { urban: number; town: number; rural: number };
}

/** A stored 常住人口: a positive number of persons, else null (NULL, or a legacy 0). */
function populationOf(stored: number | string | bigint | null): number | null {
  const n = stored === null ? null : Number(stored);
  return n !== null && Number.isFinite(n) && n > 0 ? n : null;
}

export async function campaignCountyPlans(db: Kysely<Database>, campaignId: string): Promise<CampaignCountyPlan[]> {
  const rows = await db
    .selectFrom("campaign_counties")
    .innerJoin("counties", "counties.id", "campaign_counties.county_id")
    .select([
      "campaign_counties.county_id",
      "counties.name",
      "campaign_counties.resident_population",
      "campaign_counties.share_urban",
      "campaign_counties.share_town",
      "campaign_counties.share_rural",
    ])
    .where("campaign_counties.campaign_id", "=", campaignId)
    .orderBy("campaign_counties.county_id")
    .execute();
  return rows.map((r) => ({
    countyId: r.county_id,
    countyName: r.name,
    residentPopulation: populationOf(r.resident_population),
    locationShare: { urban: Number(r.share_urban), town: Number(r.share_town), rural: Number(r.share_rural) },
  }));
}

export interface CampaignWrite {
  id: string;
  name: string;
  city: string;
  year: number;
  phase: string;
  opensAt: number;
  closesAt: number;
  satisfactionRule: SatisfactionRule;
  questionnaires: ReadonlyArray<{ id: string; version: number }>;
  counties: ReadonlyArray<{ countyId: string; residentPopulation: number | null; share: { urban: number; town: number; rural: number } }>;
}

/** Inserts a campaign with its counties and questionnaires; false when the id is taken. */
export async function insertCampaign(db: Kysely<Database>, c: CampaignWrite, now: number): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const inserted = await trx
      .insertInto("campaigns")
      .values({
        id: c.id,
        name: c.name,
        city: c.city,
        year: c.year,
        phase: c.phase,
        opens_at: c.opensAt,
        closes_at: c.closesAt,
        satisfaction_rule: JSON.stringify(c.satisfactionRule),
        is_demo: 0,
        created_at: now,
      })
      .onConflict((oc) => oc.column("id").doNothing())
      .returning("id")
      .executeTakeFirst();
    if (!inserted) return false;
    await writeParts(trx, c);
    return true;
  });
}

async function writeParts(trx: Kysely<Database>, c: CampaignWrite): Promise<void> {
  await trx.deleteFrom("campaign_counties").where("campaign_id", "=", c.id).execute();
  await trx.deleteFrom("campaign_questionnaires").where("campaign_id", "=", c.id).execute();
  if (c.counties.length > 0) {
    await trx
      .insertInto("campaign_counties")
      .values(
        c.counties.map((x) => ({
          campaign_id: c.id,
          county_id: x.countyId,
          resident_population: x.residentPopulation,
          share_urban: x.share.urban,
          share_town: x.share.town,
          share_rural: x.share.rural,
        })),
      )
      .execute();
  }
  if (c.questionnaires.length > 0) {
    await trx
      .insertInto("campaign_questionnaires")
      .values(c.questionnaires.map((q) => ({ campaign_id: c.id, questionnaire_id: q.id, version: q.version })))
      .execute();
  }
}

/** Replaces a campaign's fields, counties and questionnaires (the caller checked what may change). */
export async function updateCampaign(db: Kysely<Database>, c: CampaignWrite): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable("campaigns")
      .set({
        name: c.name,
        city: c.city,
        year: c.year,
        phase: c.phase,
        opens_at: c.opensAt,
        closes_at: c.closesAt,
        satisfaction_rule: JSON.stringify(c.satisfactionRule),
      })
      .where("id", "=", c.id)
      .execute();
    await writeParts(trx, c);
  });
}

/** Responses per county and questionnaire (to know what may no longer change). */
export async function responsesByCountyAndQuestionnaire(
  db: Kysely<Database>,
  campaignId: string,
): Promise<Array<{ countyId: string; questionnaireId: string; n: number }>> {
  const rows = await db
    .selectFrom("responses")
    .select(["county_id", "questionnaire_id"])
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("campaign_id", "=", campaignId)
    .groupBy(["county_id", "questionnaire_id"])
    .execute();
  return rows.map((r) => ({ countyId: r.county_id, questionnaireId: r.questionnaire_id, n: Number(r.n) }));
}

/** Inserts or updates counties and schools (the school list import); returns how many of each were new. */
export async function upsertDirectory(
  db: Kysely<Database>,
  counties: ReadonlyArray<{ id: string; name: string; city: string }>,
  schools: ReadonlyArray<{
    id: string;
    countyId: string;
    name: string;
    type: string;
    location: string;
    students: { primary: number; junior: number; senior: number };
  }>,
  now = 0,
): Promise<{ newCounties: number; newSchools: number; updatedSchools: number; movedAccounts: Array<{ username: string; from: string | null; to: string }> }> {
  return db.transaction().execute(async (trx) => {
    let newCounties = 0;
    let newSchools = 0;
    let updatedSchools = 0;
    for (const c of counties) {
      const existed = await trx.selectFrom("counties").select("id").where("id", "=", c.id).executeTakeFirst();
      if (existed) await trx.updateTable("counties").set({ name: c.name }).where("id", "=", c.id).execute();
      else {
        await trx.insertInto("counties").values({ id: c.id, name: c.name, city: c.city, is_demo: 0 }).execute();
        newCounties += 1;
      }
    }
    for (const s of schools) {
      const values = {
        county_id: s.countyId,
        name: s.name,
        type: s.type,
        location: s.location,
        students_primary: s.students.primary,
        students_junior: s.students.junior,
        students_senior: s.students.senior,
      };
      const existed = await trx.selectFrom("schools").select("id").where("id", "=", s.id).executeTakeFirst();
      if (existed) {
        await trx.updateTable("schools").set(values).where("id", "=", s.id).execute();
        updatedSchools += 1;
      } else {
        await trx
          .insertInto("schools")
          .values({ id: s.id, ...values, is_demo: 0 })
          .execute();
        newSchools += 1;
      }
    }
    // A school moved to another county takes its contact's account (and so its scope) along.
    const movedAccounts = (await followSchoolCounties(trx, now)).map(({ username, from, to }) => ({ username, from, to }));
    return { newCounties, newSchools, updatedSchools, movedAccounts };
  });
}

/** Adds counties to a campaign that are not in it yet (population from the import, or 0 = to be filled in). */
export async function addCampaignCounties(
  db: Kysely<Database>,
  campaignId: string,
  counties: ReadonlyArray<{ countyId: string; residentPopulation: number | null; share: { urban: number; town: number; rural: number } }>,
): Promise<number> {
  let added = 0;
  for (const c of counties) {
    const r = await db
      .insertInto("campaign_counties")
      .values({
        campaign_id: campaignId,
        county_id: c.countyId,
        resident_population: c.residentPopulation,
        share_urban: c.share.urban,
        share_town: c.share.town,
        share_rural: c.share.rural,
      })
      .onConflict((oc) => oc.columns(["campaign_id", "county_id"]).doNothing())
      .executeTakeFirst();
    if (Number(r.numInsertedOrUpdatedRows ?? 0) > 0) added += 1;
  }
  return added;
}
