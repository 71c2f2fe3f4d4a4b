/**
 * A campaign's survey as the 社会认可度 part of an evaluation (`npm run evaluate -- --campaign`),
 * read the way the console reads it, so the two never disagree:
 *
 * - the counts are the console's tallies (app/.server/console/tallies.ts `campaignCounts`): the
 *   folded tallies plus the live tail, or — once the campaign is archived and its raw responses
 *   are deleted — the tallies kept at archiving, under the rule they were counted by;
 * - the rule is that rule (the campaign's own), which the evaluation's settings then echo;
 * - each county's 常住人口 and 城区/镇区/乡村 split are the campaign's (`null` where the campaign
 *   has none: an empty field of the campaign form is stored as NULL).
 */
import { getCampaign } from "../../db/repositories/campaigns";
import { campaignCountyPlans } from "../../db/repositories/console-campaigns";
import { getArchive } from "../../db/repositories/campaign-archive";
import type { SatisfactionInput } from "../domain/evaluation/input";
import type { ItemScoreCount, SatisfactionCell } from "../domain/satisfaction";
import { campaignCounts } from "./console/tallies";
import type { Services } from "./context";

export class CampaignNotFoundError extends Error {
  override name = "CampaignNotFoundError";
}

export interface CampaignSatisfaction {
  campaignId: string;
  campaignName: string;
  /** When the raw responses were deleted (archived); the counts are then the kept tallies. */
  archivedAt: number | null;
  satisfaction: Extract<SatisfactionInput, { source: "counts" }>;
  /** The campaign's counties with their 常住人口 (`null` = not provided) and split. */
  counties: Array<{ countyId: string; residentPopulation: number | null; locationShare: { urban: number; town: number; rural: number } }>;
}

export async function campaignSatisfaction(services: Pick<Services, "db" | "now">, campaignId: string): Promise<CampaignSatisfaction> {
  const campaign = await getCampaign(services.db, campaignId);
  if (!campaign) throw new CampaignNotFoundError(`没有编号为 ${campaignId} 的调查活动`);
  const archive = await getArchive(services.db, campaignId);
  const counts = await campaignCounts(services, campaign, { withItems: true });
  // The evaluation's count rows carry neither the console's integrity flags nor a school per
  // item count: drop the one, sum over the other.
  const cells: SatisfactionCell[] = counts.cells.map((c) => ({
    countyId: c.countyId,
    schoolId: c.schoolId,
    group: c.group,
    questionnaire: c.questionnaire,
    location: c.location,
    grade: c.grade,
    total: c.total,
    invalid: c.invalid,
    valid: c.valid,
    satisfied: c.satisfied,
  }));
  const items = new Map<string, ItemScoreCount>();
  for (const i of counts.items) {
    const key = `${i.countyId}\u001f${i.group}\u001f${i.questionnaire}\u001f${i.itemId}\u001f${String(i.score)}`;
    const row = items.get(key);
    if (row) row.count += i.count;
    else items.set(key, { countyId: i.countyId, group: i.group, questionnaire: i.questionnaire, itemId: i.itemId, score: i.score, count: i.count });
  }
  const plans = await campaignCountyPlans(services.db, campaignId);
  return {
    campaignId,
    campaignName: campaign.name,
    archivedAt: archive?.archivedAt ?? null,
    satisfaction: { source: "counts", rule: counts.rule, cells, items: [...items.values()] },
    counties: plans.map((p) => ({ countyId: p.countyId, residentPopulation: p.residentPopulation, locationShare: p.locationShare })),
  };
}
