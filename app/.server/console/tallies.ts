/**
 * The counts behind every console dashboard: the campaign's tallies plus the responses after
 * their watermark, counted live (db/repositories/console-tallies.ts). Reading folds the backlog
 * into the tallies first when it has grown past `FOLD_AFTER` responses or the campaign's rule
 * changed — derived data only, invisible to anyone (the figures are the same either way), so a
 * dashboard's GET changes nothing a person can see.
 */
import { foldTallies, getArchive, readTallies, tailSize, tallyState, type TallyRead } from "../../../db/repositories/console-tallies";
import type { Campaign } from "../../../db/repositories/campaigns";
import { SatisfactionRuleSchema } from "../../domain/evaluation/input";
import type { SatisfactionRule } from "../../domain/satisfaction";
import type { Services } from "../services";

/** Responses counted live before a read folds them in (about 10 ms of live counting). */
export const FOLD_AFTER = 1000;
/**
 * Responses younger than this stay in the live tail: a PostgreSQL transaction that took its id
 * earlier may still commit, and must not be skipped by the watermark.
 */
export const FOLD_LAG_MS = 60_000;

export function campaignRule(campaign: Pick<Campaign, "id" | "satisfactionRule">): SatisfactionRule {
  const parsed = SatisfactionRuleSchema.safeParse(campaign.satisfactionRule);
  if (!parsed.success) throw new Error(`调查活动 ${campaign.id} 的满意判定规则无效`);
  return parsed.data;
}

/** Folds when due (see the module comment). */
export async function refreshIfDue(services: Pick<Services, "db" | "now">, campaignId: string, rule: SatisfactionRule): Promise<void> {
  const state = await tallyState(services.db, campaignId);
  const due = state === null || state.rule !== JSON.stringify(rule) || (await tailSize(services.db, campaignId, state.watermark)) > FOLD_AFTER;
  if (due) await foldTallies(services.db, campaignId, rule, { now: services.now(), lagMs: FOLD_LAG_MS });
}

export async function campaignCounts(
  services: Pick<Services, "db" | "now">,
  campaign: Pick<Campaign, "id" | "satisfactionRule">,
  filter: { countyIds?: readonly string[] | null; schoolId?: string | null; withItems?: boolean } = {},
): Promise<TallyRead & { rule: SatisfactionRule }> {
  // An archived campaign has no raw answers left: its tallies, under the rule they were
  // counted by, are the figures; nothing is folded or recounted.
  if (await getArchive(services.db, campaign.id)) {
    const state = await tallyState(services.db, campaign.id);
    const stored = SatisfactionRuleSchema.safeParse(state ? JSON.parse(state.rule) : null);
    const rule = stored.success ? stored.data : campaignRule(campaign);
    return { ...(await readTallies(services.db, campaign.id, rule, filter)), rule };
  }
  const rule = campaignRule(campaign);
  await refreshIfDue(services, campaign.id, rule);
  return { ...(await readTallies(services.db, campaign.id, rule, filter)), rule };
}
