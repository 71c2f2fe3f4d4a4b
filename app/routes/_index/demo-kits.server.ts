import { getCampaign, listCampaignCounties, listSchools } from "../../../db/repositories/campaigns";
import { DEMO_CAMPAIGN_ID } from "../../../db/seed/demo-zhongwei";
import { signKit } from "../../.server/collect/links";
import type { Services } from "../../.server/context";

export interface DemoKits {
  campaignName: string;
  counties: Array<{ name: string; kitPath: string; schools: Array<{ name: string; kitPath: string }> }>;
}

/** The demo campaign's QR kit pages, or null when there is no demo campaign. */
export async function demoKits(services: Services): Promise<DemoKits | null> {
  const campaign = await getCampaign(services.db, DEMO_CAMPAIGN_ID);
  if (!campaign?.isDemo) return null;
  const counties = await listCampaignCounties(services.db, campaign.id);
  return {
    campaignName: campaign.name,
    counties: await Promise.all(
      counties.map(async (county) => ({
        name: county.name,
        kitPath: `/print/${signKit(services.keys, { campaignId: campaign.id, countyId: county.id, schoolId: null })}`,
        schools: (await listSchools(services.db, county.id)).map((school) => ({
          name: school.name,
          kitPath: `/print/${signKit(services.keys, { campaignId: campaign.id, countyId: county.id, schoolId: school.id })}`,
        })),
      })),
    ),
  };
}
