/**
 * Data retention (issue 5): after a campaign's evaluation, the city role archives it — every
 * response folded into the tallies, then the raw answers deleted — keeping every aggregate
 * figure (dashboards, 表Ⅵ, readiness read the tallies). Only a closed campaign, only with its
 * id typed as confirmation, audited with the number of questionnaires deleted. Download the raw
 * export first if the answers must be kept elsewhere.
 */
import type { Campaign } from "../../../db/repositories/campaigns";
import { deleteRawResponses, getArchive } from "../../../db/repositories/campaign-archive";
import type { Principal } from "../../domain/roles";
import type { Services } from "../context";
import { audit } from "./audit";
import { campaignRule } from "./tallies";

export type ArchiveOutcome = { ok: true; deleted: number } | { ok: false; message: string };

export async function archiveCampaign(services: Pick<Services, "db" | "now">, actor: Principal, campaign: Campaign, confirm: string): Promise<ArchiveOutcome> {
  if (actor.role !== "city") return { ok: false, message: "只有市级管理员可以归档调查活动" };
  if (services.now() <= campaign.closesAt) return { ok: false, message: "调查活动尚未结束，结束并完成评估后才能归档" };
  if (confirm.trim() !== campaign.id) return { ok: false, message: `请输入调查活动编号 ${campaign.id} 以确认` };
  if (await getArchive(services.db, campaign.id)) return { ok: false, message: "这个调查活动已经归档" };
  const result = await deleteRawResponses(services.db, campaign.id, campaignRule(campaign), { now: services.now(), by: actor.username });
  if (!result) return { ok: false, message: "这个调查活动已经归档" };
  await audit(services, actor, "campaign_archived", { campaignId: campaign.id, subject: campaign.name, detail: { deleted: result.deleted } });
  return { ok: true, deleted: result.deleted };
}

export async function archiveState(services: Pick<Services, "db">, campaignId: string) {
  return getArchive(services.db, campaignId);
}
