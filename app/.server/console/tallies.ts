/**
 * The counts behind every console dashboard: the campaign's tallies plus the responses after
 * their watermark, counted live (db/repositories/console-tallies.ts). Reading folds the backlog
 * into the tallies first when it has grown past `FOLD_AFTER` responses or the campaign's rule
 * changed — derived data only, invisible to anyone (the figures are the same either way), so a
 * dashboard's GET changes nothing a person can see.
 */
import { foldTallies, tailSize, tallyState } from "../../../db/repositories/console-tallies";
import { readTallies, type TallyRead } from "../../../db/repositories/console-tallies-read";
import { getArchive } from "../../../db/repositories/campaign-archive";
import type { Campaign } from "../../../db/repositories/campaigns";
import { parseStoredRule, type SatisfactionRule } from "../../domain/satisfaction-rule";
import type { Services } from "../context";

/** Responses counted live before a read folds them in (about 10 ms of live counting). */
export const FOLD_AFTER = 1000;
/**
 * Responses younger than this stay in the live tail: a PostgreSQL transaction that took its id
 * earlier may still commit, and must not be skipped by the watermark.
 */
export const FOLD_LAG_MS = 60_000;

/**
 * The rule a campaign's figures are counted by. A stored rule this version does not know
 * (`null`, see `Campaign`) is refused: no figure is computed under a rule nobody chose.
 */
export function campaignRule(campaign: Pick<Campaign, "id" | "satisfactionRule">): SatisfactionRule {
  if (campaign.satisfactionRule === null) throw new Error(`调查活动 ${campaign.id} 的满意判定规则无效`);
  return campaign.satisfactionRule;
}

/** Folds when due (see the module comment). */
export async function refreshIfDue(services: Pick<Services, "db" | "now">, campaignId: string, rule: SatisfactionRule): Promise<void> {
  const state = await tallyState(services.db, campaignId);
  const due = state === null || state.rule !== JSON.stringify(rule) || (await tailSize(services.db, campaignId, state.watermark)) > FOLD_AFTER;
  if (due) await foldTallies(services.db, campaignId, rule, { now: services.now(), lagMs: FOLD_LAG_MS });
}

/**
 * What a read publishes (decision 0015): while the collection is open, the released blocks —
 * figures move in steps of 5 questionnaires per cell; once it has closed (or the campaign is
 * archived), every accepted questionnaire with the reviews applied.
 */
export interface Release {
  /** Figures are released blocks (the collection is open). */
  blocks: boolean;
  /** Questionnaires received in the cells read. */
  received: number;
  /** Of them, in the published figures. */
  counted: number;
  /** Received, not yet in a released block (0 once closed). */
  pending: number;
  /** Marked invalid by a review; counted out only when the collection closes (while open, 0 in the figures). */
  invalidReceived: number;
}

export type CampaignCounts = Omit<TallyRead, "released"> & {
  rule: SatisfactionRule;
  /** Every questionnaire received (reviews applied): for sizes of cells, never for published figures. */
  received: TallyRead["cells"];
  release: Release;
};

function published(read: TallyRead, rule: SatisfactionRule, closed: boolean): CampaignCounts {
  const received = read.cells.reduce((a, c) => a + c.total, 0);
  const invalidReceived = read.cells.reduce((a, c) => a + c.invalid, 0);
  const cells = closed ? read.cells : read.released.cells;
  const counted = cells.reduce((a, c) => a + c.total, 0);
  return {
    cells,
    items: closed ? read.items : read.released.items,
    tail: read.tail,
    watermark: read.watermark,
    rule,
    received: read.cells,
    release: { blocks: !closed, received, counted, pending: received - counted, invalidReceived },
  };
}

/**
 * A campaign's published counts (`cells`, `items`: see `Release`) beside what was received.
 * Every figure a page, a download or the evaluate CLI shows comes from here.
 */
export async function campaignCounts(
  services: Pick<Services, "db" | "now">,
  campaign: Pick<Campaign, "id" | "satisfactionRule" | "closesAt">,
  filter: { countyIds?: readonly string[] | null; schoolId?: string | null; withItems?: boolean } = {},
): Promise<CampaignCounts> {
  // An archived campaign has no raw answers left: its tallies, under the rule they were
  // counted by, are the figures; nothing is folded or recounted.
  if (await getArchive(services.db, campaign.id)) {
    const state = await tallyState(services.db, campaign.id);
    const stored = state ? parseStoredRule(state.rule) : null;
    const rule = stored ?? campaignRule(campaign);
    return published(await readTallies(services.db, campaign.id, rule, filter), rule, true);
  }
  const rule = campaignRule(campaign);
  await refreshIfDue(services, campaign.id, rule);
  return published(await readTallies(services.db, campaign.id, rule, filter), rule, collectionClosed(campaign, services.now()));
}

/** The collection has closed: its end time has passed. */
export function collectionClosed(campaign: Pick<Campaign, "closesAt">, now: number): boolean {
  return now > campaign.closesAt;
}

/** The notice every page with figures shows while they are released in blocks; null once closed. */
export function releaseNotice(release: Release): string | null {
  if (!release.blocks) return null;
  const pending =
    release.pending > 0
      ? `已收到 ${String(release.received)} 份问卷，其中 ${String(release.pending)} 份尚未计入，将在所在学校同类调查对象满 5 份时一并计入。`
      : `已收到的 ${String(release.received)} 份问卷均已计入。`;
  const invalid = release.invalidReceived > 0 ? `复核标记为无效的 ${String(release.invalidReceived)} 份问卷在调查结束后从统计中剔除。` : "";
  return `调查进行中：为保护作答人，各项满意度数据按每所学校、每类调查对象每满 5 份问卷更新一次。${pending}${invalid}调查结束后按全部有效问卷计算。`;
}
