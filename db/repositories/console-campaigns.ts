/**
 * Campaign details the console edits and reads beyond db/repositories/campaigns.ts: each
 * county's 常住人口 and 城区/镇区/乡村 split (the sample plan's inputs).
 */
import type { Kysely } from "kysely";
import type { Database } from "../schema";

export interface CampaignCountyPlan {
  countyId: string;
  countyName: string;
  residentPopulation: number;
  locationShare: { urban: number; town: number; rural: number };
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
    residentPopulation: Number(r.resident_population),
    locationShare: { urban: Number(r.share_urban), town: Number(r.share_town), rural: Number(r.share_rural) },
  }));
}
