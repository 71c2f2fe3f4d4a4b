/**
 * Distribution from the console: every school's printable QR kit (/print/<kit>, signed), one
 * print-ready document per county, the county-level links for 人大代表, 政协委员 and 其他群众,
 * and for a school contact their school's links, kit and response counts (never answers).
 */
import { getCampaignQuestionnaires, listSchools, type Campaign, type County, type School } from "../../../db/repositories/campaigns";
import { canSeeSchool, type Principal } from "../../domain/roles";
import { QUESTIONNAIRE_LABELS, RESPONDENT_GROUP_LABELS, type QuestionnaireId } from "../../domain/vocabulary";
import { signLink } from "../collect/link-token";
import { questionnairesForSchool, signKit } from "../collect/links";
import type { Services } from "../context";
import { campaignCounts } from "./tallies";

export interface CountyKits {
  county: County;
  countyKitPath: string;
  documentPath: string;
  countyLinks: Array<{ questionnaire: string; url: string }>;
  schools: Array<{ id: string; name: string; kitPath: string; links: Array<{ questionnaire: string; url: string }> }>;
}

function schoolLinks(services: Pick<Services, "keys" | "config">, campaignId: string, school: School, offered: ReadonlySet<QuestionnaireId>) {
  return questionnairesForSchool(school, offered).map((q) => ({
    questionnaire: QUESTIONNAIRE_LABELS[q],
    url: `${services.config.publicUrl}/s/${signLink(services.keys, { campaignId, countyId: school.countyId, schoolId: school.id, questionnaireId: q })}`,
  }));
}

export async function campaignKits(services: Pick<Services, "db" | "keys" | "config">, campaign: Campaign, counties: readonly County[]): Promise<CountyKits[]> {
  const offered = new Set((await getCampaignQuestionnaires(services.db, campaign.id)).keys());
  const out: CountyKits[] = [];
  for (const county of counties) {
    const schools = await listSchools(services.db, county.id);
    out.push({
      county,
      countyKitPath: `/print/${signKit(services.keys, { campaignId: campaign.id, countyId: county.id, schoolId: null })}`,
      documentPath: `/admin/kit/${encodeURIComponent(campaign.id)}/${encodeURIComponent(county.id)}`,
      countyLinks: offered.has("social")
        ? [{ questionnaire: "社会卷（人大代表、政协委员、其他群众）", url: `${services.config.publicUrl}/s/${signLink(services.keys, { campaignId: campaign.id, countyId: county.id, schoolId: null, questionnaireId: "social" })}` }]
        : [],
      schools: schools.map((s) => ({
        id: s.id,
        name: s.name,
        kitPath: `/print/${signKit(services.keys, { campaignId: campaign.id, countyId: county.id, schoolId: s.id })}`,
        links: schoolLinks(services, campaign.id, s, offered),
      })),
    });
  }
  return out;
}

export interface SchoolPage {
  school: { id: string; name: string; countyId: string };
  kitPath: string;
  links: Array<{ questionnaire: string; url: string }>;
  counts: Array<{ questionnaire: string; group: string; total: number; valid: number }>;
  total: number;
}

/** A school's links, kit and counts; 403/404 decided by the caller with `canSeeSchool`. */
export async function schoolPage(services: Pick<Services, "db" | "keys" | "config" | "now">, campaign: Campaign, school: School, principal: Principal): Promise<SchoolPage | null> {
  if (!canSeeSchool(principal, school)) return null;
  const offered = new Set((await getCampaignQuestionnaires(services.db, campaign.id)).keys());
  const counts = await campaignCounts(services, campaign, { countyIds: [school.countyId], schoolId: school.id, withItems: false });
  const byKey = new Map<string, { questionnaire: string; group: string; total: number; valid: number }>();
  for (const c of counts.cells) {
    const key = `${c.questionnaire}|${c.group}`;
    const row = byKey.get(key) ?? { questionnaire: QUESTIONNAIRE_LABELS[c.questionnaire], group: RESPONDENT_GROUP_LABELS[c.group], total: 0, valid: 0 };
    row.total += c.total;
    row.valid += c.valid;
    byKey.set(key, row);
  }
  const rows = [...byKey.values()];
  return {
    school: { id: school.id, name: school.name, countyId: school.countyId },
    kitPath: `/print/${signKit(services.keys, { campaignId: campaign.id, countyId: school.countyId, schoolId: school.id })}`,
    links: schoolLinks(services, campaign.id, school, offered),
    counts: rows,
    total: rows.reduce((a, r) => a + r.total, 0),
  };
}
