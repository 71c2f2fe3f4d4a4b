/**
 * 达标评估 pages: each county's verdict from the evaluation engine over the campaign's imported
 * data and its survey counts (./evaluation-data.ts), shaped by app/domain/readiness-view.ts;
 * the drill-down to one school; and the comparison with the county's previous campaign (the
 * latest earlier campaign covering it).
 */
import { listCampaignCounties, listCampaigns, listSchools, type Campaign, type County } from "../../../db/repositories/campaigns";
import { checkEnrolment, readinessEnrolmentNote } from "../../domain/enrolment-sources";
import {
  compareReadiness,
  readinessView,
  schoolReadinessView,
  type ReadinessChange,
  type ReadinessView,
  type SchoolReadinessView,
} from "../../domain/readiness-view";
import type { schoolItemsView } from "../../domain/satisfaction-view";
import type { Services } from "../context";
import { countyReadiness } from "./evaluation-data";
import { countyCounts, schoolItems } from "./satisfaction";

export interface Comparison {
  campaign: { id: string; name: string; year: number };
  verdictLabel: string;
  verdict: string;
  rate: number | null;
  n: number;
  failingUnits: number;
  failingItems: number;
  hasData: boolean;
  /** 差异系数 and item by item; null unless both campaigns have a verdict. */
  change: ReadinessChange | null;
}

/** The latest campaign before `campaign` that covers `countyId`, or null. */
export async function previousCampaign(services: Pick<Services, "db">, campaign: Campaign, countyId: string): Promise<Campaign | null> {
  const all = await listCampaigns(services.db);
  const earlier = all.filter((c) => c.id !== campaign.id && (c.year < campaign.year || (c.year === campaign.year && c.opensAt < campaign.opensAt)));
  earlier.sort((a, b) => b.year - a.year || b.opensAt - a.opensAt);
  for (const c of earlier) {
    if ((await listCampaignCounties(services.db, c.id)).some((x) => x.id === countyId)) return c;
  }
  return null;
}

export interface CountyReadinessPage {
  view: ReadinessView | null;
  dataFile: { fileName: string; importedAt: number; importedBy: string | null } | null;
  previous: Comparison | null;
  schools: Array<{ id: string; name: string }>;
  /** The school list against the evaluation data (app/domain/enrolment-sources.ts): 在校生 that differ, schools not evaluated. */
  enrolment: { differences: string[]; notInData: string[] };
}

export async function countyReadinessPage(services: Pick<Services, "db" | "now">, campaign: Campaign, county: County): Promise<CountyReadinessPage> {
  const now = await countyReadiness(services, campaign, county);
  const view = now.verdict ? readinessView(now.verdict) : null;
  const prevCampaign = await previousCampaign(services, campaign, county.id);
  let previous: Comparison | null = null;
  if (prevCampaign) {
    const then = await countyReadiness(services, prevCampaign, county);
    const v = then.verdict ? readinessView(then.verdict) : null;
    previous = {
      campaign: { id: prevCampaign.id, name: prevCampaign.name, year: prevCampaign.year },
      verdict: then.verdict?.verdict ?? "not_evaluated",
      verdictLabel: then.verdict?.verdictLabel ?? "—",
      rate: v?.satisfaction.rate ?? null,
      n: v?.satisfaction.n ?? 0,
      failingUnits: v?.units.failing.filter((u) => u.status === "fail").length ?? 0,
      failingItems: v?.items.filter((i) => i.status === "fail").length ?? 0,
      hasData: then.dataFile !== null,
      change: v && view && then.dataFile !== null && now.dataFile !== null ? compareReadiness(v, view) : null,
    };
  }
  const schools = await listSchools(services.db, county.id);
  const enrolment = checkEnrolment(schools, now.dataFile ? now.dataSchools : null);
  return {
    view,
    dataFile: now.dataFile,
    previous,
    schools: schools.map((s) => ({ id: s.id, name: s.name })),
    enrolment: { differences: enrolment.differences.map(readinessEnrolmentNote), notInData: enrolment.notInData.map((s) => s.name) },
  };
}

export interface SchoolReadinessPage {
  school: SchoolReadinessView | null;
  satisfactionItems: ReturnType<typeof schoolItemsView>;
  hasData: boolean;
}

export async function schoolReadinessPage(
  services: Pick<Services, "db" | "now">,
  campaign: Campaign,
  county: County,
  school: { id: string; name: string },
): Promise<SchoolReadinessPage> {
  const r = await countyReadiness(services, campaign, county);
  const counts = await countyCounts(services, campaign, county);
  return {
    school: r.verdict ? schoolReadinessView(r.verdict, school.id, school.name) : null,
    satisfactionItems: schoolItems(counts, school.id),
    hasData: r.dataFile !== null,
  };
}
