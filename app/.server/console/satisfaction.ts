/**
 * The 社会认可度 dashboards: per county (the engine's figures, shaped and suppressed by
 * app/domain/satisfaction-view.ts) and the campaign overview of every county the principal may
 * see. Counts come from the tallies (./tallies.ts), so a county page reads a few thousand rows
 * whatever the number of responses.
 */
import { listSchools, type Campaign, type County, type School } from "../../../db/repositories/campaigns";
import { campaignCountyPlans, type CampaignCountyPlan } from "../../../db/repositories/console-campaigns";
import type { ConsoleCell, ConsoleItemCount } from "../../../db/repositories/console-tallies-read";
import { resolveSettings } from "../../domain/evaluation";
import { countyInputOf } from "../../domain/evaluation/county-input";
import { evaluateSatisfaction, SELF_ASSESSMENT_NOTICE, type SatisfactionResult } from "../../domain/evaluation/social";
import {
  passBadge,
  passOutlookView,
  satisfactionTone,
  structureBanner,
  type PassOutlookView,
  type StructureBanner,
  type Tone,
} from "../../domain/pass-outlook";
import { describeRule, type SatisfactionRule } from "../../domain/satisfaction-rule";
import { weightingView, type WeightingView } from "../../domain/weighting-view";
import { itemLabel, satisfactionView, schoolItemsView, type SatisfactionView } from "../../domain/satisfaction-view";
import type { Services } from "../context";
import { campaignCounts, releaseNotice, type Release } from "./tallies";

export const SETTINGS = resolveSettings();

export interface CountyCounts {
  county: County;
  plan: CampaignCountyPlan | undefined;
  schools: School[];
  cells: ConsoleCell[];
  items: ConsoleItemCount[];
  rule: SatisfactionRule;
  result: SatisfactionResult;
  /** Blocks or all (decision 0015), with what was received. */
  release: Release;
  /** Every questionnaire received, reviews applied: cell sizes, never published figures. */
  received: ConsoleCell[];
}

/** One county's counts and the engine's 社会认可度 result. */
export async function countyCounts(services: Pick<Services, "db" | "now">, campaign: Campaign, county: County, withItems = true): Promise<CountyCounts> {
  const [counts, plans, schools] = await Promise.all([
    campaignCounts(services, campaign, { countyIds: [county.id], withItems }),
    campaignCountyPlans(services.db, campaign.id),
    listSchools(services.db, county.id),
  ]);
  const plan = plans.find((p) => p.countyId === county.id);
  const schoolNames = new Map(schools.map((s) => [s.id, s.name]));
  const result = evaluateSatisfaction(
    countyInputOf(plan, county),
    { cells: counts.cells, items: counts.items, rule: counts.rule },
    SETTINGS.satisfaction,
    SETTINGS.samplePlan,
    SETTINGS.display,
    schoolNames,
  );
  return { county, plan, schools, cells: counts.cells, items: counts.items, rule: counts.rule, result, release: counts.release, received: counts.received };
}

/**
 * One school's items, protected across the county's schools, with 总体评价 hidden wherever the
 * school's satisfaction figure is (they are the same answers): every page showing a school's
 * items goes through here.
 */
export function schoolItems(c: CountyCounts, schoolId: string, view?: SatisfactionView): ReturnType<typeof schoolItemsView> {
  const v =
    view ??
    satisfactionView({
      result: c.result,
      cells: c.cells,
      items: c.items,
      itemSatisfiedScores: SETTINGS.satisfaction.itemSatisfiedScores,
      z: SETTINGS.satisfaction.z,
      schoolNames: new Map(c.schools.map((s) => [s.id, s.name])),
    });
  const marks = new Map(v.bySchool.map((r) => [r.key, r.suppressed]));
  return schoolItemsView(
    c.items,
    schoolId,
    SETTINGS.satisfaction.itemSatisfiedScores,
    SETTINGS.satisfaction.z,
    SETTINGS.satisfaction.threshold,
    undefined,
    marks,
  );
}

export interface CountyDashboard {
  notice: string;
  ruleLabel: string;
  view: SatisfactionView;
  /** With `?school=`: that school's items, protected across the county's schools. */
  school: { id: string; name: string; items: ReturnType<typeof schoolItemsView> } | null;
  schools: Array<{ id: string; name: string }>;
  flagged: number;
  invalid: number;
  /** While the collection is open: the figures are released in blocks of 5 (decision 0015). */
  release: string | null;
  /** 国家抽样的把握 and the sample's structure (app/domain/pass-outlook.ts), and the badge of a pass. */
  outlook: PassOutlookView | null;
  structure: StructureBanner;
  badge: { label: string; tone: string } | null;
  /** The colour of the county's figure: the worst of the rule's status, the probability and the structure; null when not evaluated. */
  tone: Tone | null;
  /** The rate weighted to the official design (app/domain/weighting-view.ts), beside the unweighted one; null below 5 questionnaires. */
  weighting: WeightingView | null;
}

export async function countyDashboard(
  services: Pick<Services, "db" | "now">,
  campaign: Campaign,
  county: County,
  schoolId: string | null,
): Promise<CountyDashboard> {
  const c = await countyCounts(services, campaign, county);
  const schoolNames = new Map(c.schools.map((s) => [s.id, s.name]));
  const view = satisfactionView({
    result: c.result,
    cells: c.cells,
    items: c.items,
    itemSatisfiedScores: SETTINGS.satisfaction.itemSatisfiedScores,
    z: SETTINGS.satisfaction.z,
    schoolNames,
  });
  const school =
    schoolId && schoolNames.has(schoolId) ? { id: schoolId, name: schoolNames.get(schoolId) ?? schoolId, items: schoolItems(c, schoolId, view) } : null;
  return {
    notice: SELF_ASSESSMENT_NOTICE,
    ruleLabel: describeRule(c.rule),
    view,
    school,
    schools: c.schools.map((s) => ({ id: s.id, name: s.name })),
    flagged: c.cells.reduce((a, x) => a + x.flagged, 0),
    invalid: c.release.invalidReceived,
    release: releaseNotice(c.release),
    ...outlookOf(c.result),
    weighting: weightingView(c.result.weighting),
  };
}

/** The pass probability, the structure banner and the badge of one county's result. */
export function outlookOf(r: SatisfactionResult): {
  outlook: PassOutlookView | null;
  structure: StructureBanner;
  badge: { label: string; tone: string } | null;
  tone: Tone | null;
} {
  const outlook = passOutlookView(r.passProbability, itemLabel);
  const structure = structureBanner(r.coverage);
  return { outlook, structure, badge: passBadge(r.status, outlook, structure), tone: satisfactionTone(r.status, outlook, structure) };
}

export interface CountySummary {
  countyId: string;
  countyName: string;
  status: SatisfactionResult["status"];
  n: number;
  total: number;
  invalid: number;
  flagged: number;
  rate: number | null;
  marginOfError: number | null;
  parentsRate: number | null;
  required: number | null;
  parentsRequired: number | null;
  parents: number;
  /** A pass's words and colour by the probability and the structure (app/domain/pass-outlook.ts); null otherwise. */
  badge: { label: string; tone: string } | null;
}

/** Every visible county's headline figures, from one read of the campaign's tallies. */
export async function campaignOverview(
  services: Pick<Services, "db" | "now">,
  campaign: Campaign,
  counties: readonly County[],
): Promise<{ notice: string; ruleLabel: string; release: string | null; counties: CountySummary[] }> {
  const [counts, plans] = await Promise.all([
    campaignCounts(services, campaign, { countyIds: counties.map((c) => c.id), withItems: false }),
    campaignCountyPlans(services.db, campaign.id),
  ]);
  const summaries = counties.map((county): CountySummary => {
    const cells = counts.cells.filter((c) => c.countyId === county.id);
    const plan = plans.find((p) => p.countyId === county.id);
    const r = evaluateSatisfaction(
      countyInputOf(plan, county),
      { cells, items: [], rule: counts.rule },
      SETTINGS.satisfaction,
      SETTINGS.samplePlan,
      SETTINGS.display,
      new Map(),
    );
    return {
      countyId: county.id,
      countyName: county.name,
      status: r.status,
      n: r.overall.n,
      total: r.table6.all.total,
      // Reviews are counted out of the figures only at close; how many there were is no answer.
      invalid: counts.received.filter((c) => c.countyId === county.id).reduce((a, c) => a + c.invalid, 0),
      flagged: cells.reduce((a, c) => a + c.flagged, 0),
      rate: r.overall.rate,
      marginOfError: r.overall.marginOfError,
      parentsRate: r.table6.parents.ratePercent === null ? null : r.table6.parents.ratePercent / 100,
      required: r.plan?.total ?? null,
      parentsRequired: r.plan?.byGroup.parent ?? null,
      parents: r.table6.parents.valid,
      badge: outlookOf(r).badge,
    };
  });
  return { notice: SELF_ASSESSMENT_NOTICE, ruleLabel: describeRule(counts.rule), release: releaseNotice(counts.release), counties: summaries };
}
