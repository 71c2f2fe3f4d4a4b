/**
 * Campaigns as the console sees them, with the scope rules applied: the city role sees every
 * campaign; county and school accounts see the campaigns covering their county.
 */
import type { Kysely } from "kysely";
import { getCampaign, getCampaignQuestionnaires, listCampaignCounties, listCampaigns, type Campaign, type County } from "../../../db/repositories/campaigns";
import type { Database } from "../../../db/schema";
import { canSeeCampaign, canSeeCounty, type Principal } from "../../domain/roles";
import type { QuestionnaireId } from "../../domain/vocabulary";
import { forbidden, notFound } from "../auth/guard";

export interface CampaignSummary {
  id: string;
  name: string;
  year: number;
  phase: Campaign["phase"];
  opensAt: number;
  closesAt: number;
  isDemo: boolean;
  counties: County[];
}

export async function visibleCampaigns(db: Kysely<Database>, principal: Principal): Promise<CampaignSummary[]> {
  const out: CampaignSummary[] = [];
  for (const c of await listCampaigns(db)) {
    const counties = await listCampaignCounties(db, c.id);
    if (
      !canSeeCampaign(
        principal,
        counties.map((x) => x.id),
      )
    )
      continue;
    out.push({
      id: c.id,
      name: c.name,
      year: c.year,
      phase: c.phase,
      opensAt: c.opensAt,
      closesAt: c.closesAt,
      isDemo: c.isDemo,
      counties: principal.role === "city" ? counties : counties.filter((x) => x.id === principal.countyId),
    });
  }
  return out;
}

export interface CampaignInScope {
  campaign: Campaign;
  /** All counties of the campaign. */
  counties: County[];
  /** The counties this principal may see. */
  visibleCounties: County[];
  questionnaires: Map<QuestionnaireId, number>;
}

/** The campaign, or 404; 403 when none of its counties is the principal's. */
export async function requireCampaign(db: Kysely<Database>, principal: Principal, campaignId: string): Promise<CampaignInScope> {
  const campaign = await getCampaign(db, campaignId);
  if (!campaign) throw notFound("没有这个调查活动，或已被删除。");
  const counties = await listCampaignCounties(db, campaignId);
  if (
    !canSeeCampaign(
      principal,
      counties.map((c) => c.id),
    )
  )
    throw forbidden("您的账号无权查看这个调查活动。");
  const visibleCounties = principal.role === "city" ? counties : counties.filter((c) => c.id === principal.countyId);
  return { campaign, counties, visibleCounties, questionnaires: await getCampaignQuestionnaires(db, campaignId) };
}

/**
 * The campaign and one of its counties, for county-level pages: 404 when the county is not in
 * the campaign, 403 when the principal may not see it (a county officer editing the URL to
 * another county's id, or a school account).
 */
export async function requireCampaignCounty(
  db: Kysely<Database>,
  principal: Principal,
  campaignId: string,
  countyId: string,
): Promise<CampaignInScope & { county: County }> {
  const scope = await requireCampaign(db, principal, campaignId);
  const county = scope.counties.find((c) => c.id === countyId);
  if (!county) throw notFound("这个调查活动不包括该县（区）。");
  if (!canSeeCounty(principal, countyId)) throw forbidden("您的账号只能查看本县（区）的数据。");
  return { ...scope, county };
}
