/**
 * The console's county cards (home page and campaign overview): each county's 综合满意度 with its
 * margin, its sample against the plan and its 达标评估 verdict at a glance. Nothing is computed
 * twice: the figures are `campaignOverview`'s (./satisfaction.ts: the campaign page's figures)
 * and the verdict is the readiness page's (./evaluation-data.ts `campaignReadiness`, the same
 * engine run as `countyReadiness`, the campaign's data read once).
 */
import { getCampaign, type Campaign, type County } from "../../../db/repositories/campaigns";
import type { Principal } from "../../domain/roles";
import type { Services } from "../context";
import { visibleCampaigns, type CampaignSummary } from "./campaigns";
import { InvalidEvaluationInputError } from "../../domain/evaluation/county-input";
import { campaignReadiness, type Readiness } from "./evaluation-data";
import { campaignOverview, SETTINGS, type CountySummary } from "./satisfaction";

export interface CountyCard extends CountySummary {
  /** The readiness page's verdict: pass, fail, sample_insufficient or not_evaluated. */
  verdict: string;
  verdictLabel: string;
  /** Evaluation data imported for the county (else only 社会认可度 can be judged). */
  hasData: boolean;
}

export interface CampaignCards {
  notice: string;
  ruleLabel: string;
  release: string | null;
  /** 社会认可度's threshold (0.85 by default), for the colour of the rate. */
  threshold: number;
  counties: CountyCard[];
}

/** Cards of the `counties` of one campaign the principal may see (the caller has scoped them). */
export async function countyCards(services: Pick<Services, "db" | "now" | "log">, campaign: Campaign, counties: readonly County[]): Promise<CampaignCards> {
  const overview = await campaignOverview(services, campaign, counties);
  // The readiness page's verdicts, the campaign's data read once for all its counties.
  const verdicts = await campaignReadiness(services, campaign, counties);
  const cards: CountyCard[] = [];
  for (const summary of overview.counties) {
    const readiness = verdictOf(services, campaign.id, summary.countyId, verdicts.get(summary.countyId));
    const known = readiness === null || readiness === "invalid" ? null : readiness;
    cards.push({
      ...summary,
      verdict: known?.verdict?.verdict ?? "not_evaluated",
      verdictLabel: readiness === "invalid" ? "评估数据有误，请打开达标评估页查看" : (known?.verdict?.verdictLabel ?? "暂无评估结果"),
      hasData: known !== null && known.dataFile !== null,
    });
  }
  return { ...overview, threshold: SETTINGS.satisfaction.threshold, counties: cards };
}

/**
 * A stored input the engine's checks refuse (a bug or a bad stored figure: the readiness page
 * answers 500 and logs it) leaves this card without a verdict instead of taking the whole home
 * page down with it; any other error is thrown.
 */
function verdictOf(
  services: Pick<Services, "log">,
  campaignId: string,
  countyId: string,
  found: Readiness | { error: unknown } | undefined,
): Readiness | "invalid" | null {
  if (found === undefined) return null;
  if (!("error" in found)) return found;
  if (!(found.error instanceof InvalidEvaluationInputError)) throw found.error;
  services.log.error("county card: evaluation input refused", { campaignId, countyId, error: found.error.message });
  return "invalid";
}

/** A campaign on the home page; `cards` null when its stored rule is unknown (no figure under a rule nobody chose). */
export type HomeCampaign = CampaignSummary & { cards: CampaignCards | null };

/** Every campaign the principal may see, each with its visible counties' cards. */
export async function homeCampaigns(services: Pick<Services, "db" | "now" | "log">, principal: Principal): Promise<HomeCampaign[]> {
  const out: HomeCampaign[] = [];
  for (const summary of await visibleCampaigns(services.db, principal)) {
    const campaign = await getCampaign(services.db, summary.id);
    if (!campaign) continue;
    out.push({ ...summary, cards: campaign.satisfactionRule === null ? null : await countyCards(services, campaign, summary.counties) });
  }
  return out;
}
