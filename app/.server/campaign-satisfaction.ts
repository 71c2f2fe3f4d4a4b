/**
 * A campaign's stored survey responses as the 社会认可度 part of an evaluation: the campaign's
 * own satisfied-questionnaire rule, and the counts SQL aggregates under it.
 */
import type { Kysely } from "kysely";
import { getCampaign } from "../../db/repositories/campaigns";
import { satisfactionCounts } from "../../db/repositories/satisfaction";
import type { Database } from "../../db/schema";
import { SatisfactionRuleSchema, type SatisfactionInput } from "../domain/evaluation/input";

export class CampaignNotFoundError extends Error {
  override name = "CampaignNotFoundError";
}

export async function campaignSatisfaction(
  db: Kysely<Database>,
  campaignId: string,
): Promise<Extract<SatisfactionInput, { source: "counts" }>> {
  const campaign = await getCampaign(db, campaignId);
  if (!campaign) throw new CampaignNotFoundError(`没有编号为 ${campaignId} 的调查活动`);
  const rule = SatisfactionRuleSchema.safeParse(campaign.satisfactionRule);
  if (!rule.success) throw new Error(`调查活动 ${campaignId} 的满意判定规则无效`);
  const { cells, items } = await satisfactionCounts(db, campaignId, rule.data);
  return { source: "counts", rule: rule.data, cells, items };
}
