/**
 * Every link of a campaign: one per school × questionnaire, plus the county-level 社会卷 link
 * for 人大代表, 政协委员 and 其他群众. Used by `npm run links`, the start-up banner and the print
 * kits. Kit URLs (`/print/<kit>`) are signed too, so a school's QR page cannot be guessed.
 */
import type { Kysely } from "kysely";
import { getCampaignQuestionnaires, listCampaignCounties, listSchools, type County, type School } from "../../../db/repositories/campaigns";
import type { Database } from "../../../db/schema";
import { QUESTIONNAIRE_SCORING } from "../../domain/questionnaire-scoring";
import { GRADES_BY_SCHOOL_TYPE, QUESTIONNAIRE_IDS, type QuestionnaireId } from "../../domain/vocabulary";
import type { Keys } from "../keys";
import { signLink } from "./link-token";

export interface CampaignLink {
  county: County;
  school: School | null;
  questionnaireId: QuestionnaireId;
  url: string;
}

export interface KitScope {
  campaignId: string;
  countyId: string;
  schoolId: string | null;
}

export function signKit(keys: Keys, kit: KitScope): string {
  const payload = ["k1", kit.campaignId, kit.countyId, kit.schoolId ?? ""].join("~");
  return `${Buffer.from(payload, "utf8").toString("base64url")}.${keys.sign("kit", payload)}`;
}

export function verifyKit(keys: Keys, token: string): KitScope | null {
  const [encoded, signature, extra] = token.split(".");
  if (!encoded || !signature || extra !== undefined || token.length > 200) return null;
  const payload = Buffer.from(encoded, "base64url").toString("utf8");
  if (Buffer.from(payload, "utf8").toString("base64url") !== encoded) return null;
  if (!keys.verify("kit", payload, signature)) return null;
  const [version, campaignId, countyId, schoolId, more] = payload.split("~");
  if (version !== "k1" || !campaignId || !countyId || schoolId === undefined || more !== undefined) return null;
  return { campaignId, countyId, schoolId: schoolId === "" ? null : schoolId };
}

/** Which questionnaires a school's kit offers: 学生卷 only where grade 3 or above is taught. */
export function questionnairesForSchool(school: School, offered: ReadonlySet<QuestionnaireId>): QuestionnaireId[] {
  const grades = GRADES_BY_SCHOOL_TYPE[school.type];
  return QUESTIONNAIRE_IDS.filter((q) => offered.has(q) && (q !== "student" || grades.max >= QUESTIONNAIRE_SCORING.student.minGrade));
}

export async function campaignLinks(db: Kysely<Database>, keys: Keys, publicUrl: string, campaignId: string): Promise<CampaignLink[]> {
  const offered = new Set((await getCampaignQuestionnaires(db, campaignId)).keys());
  const links: CampaignLink[] = [];
  for (const county of await listCampaignCounties(db, campaignId)) {
    for (const school of await listSchools(db, county.id)) {
      for (const questionnaireId of questionnairesForSchool(school, offered)) {
        const token = signLink(keys, { campaignId, countyId: county.id, schoolId: school.id, questionnaireId });
        links.push({ county, school, questionnaireId, url: `${publicUrl}/s/${token}` });
      }
    }
    if (offered.has("social")) {
      const token = signLink(keys, { campaignId, countyId: county.id, schoolId: null, questionnaireId: "social" });
      links.push({ county, school: null, questionnaireId: "social", url: `${publicUrl}/s/${token}` });
    }
  }
  return links;
}
