/**
 * Campaigns, counties and schools, mapped from snake_case rows to domain types at this edge.
 */
import type { Kysely } from "kysely";
import {
  CAMPAIGN_PHASES,
  LOCATIONS,
  QUESTIONNAIRE_IDS,
  SCHOOL_TYPES,
  type CampaignPhase,
  type Location,
  type QuestionnaireId,
  type SchoolType,
} from "../../app/domain/vocabulary";
import { parseStoredRule, type SatisfactionRule } from "../../app/domain/satisfaction-rule";
import type { CampaignRow, Database, SchoolRow } from "../schema";

export interface Campaign {
  id: string;
  name: string;
  city: string;
  year: number;
  phase: CampaignPhase;
  opensAt: number;
  closesAt: number;
  /**
   * The satisfied-questionnaire rule; `null` when the stored one is not a rule this version
   * knows — counting refuses it (app/.server/console/tallies.ts `campaignRule`), the campaign
   * form shows it as 自定义; it is never read as the default. Collection goes on regardless.
   */
  satisfactionRule: SatisfactionRule | null;
  isDemo: boolean;
}

export interface County {
  id: string;
  name: string;
  city: string;
}

export interface School {
  id: string;
  countyId: string;
  name: string;
  type: SchoolType;
  location: Location;
  students: { primary: number; junior: number; senior: number };
  isDemo: boolean;
}

export class CorruptRowError extends Error {
  override name = "CorruptRowError";
}

export function oneOf<T extends string>(allowed: readonly T[], value: string, what: string): T {
  const found = allowed.find((a) => a === value);
  if (found === undefined) throw new CorruptRowError(`unexpected ${what} "${value}" in the database`);
  return found;
}

export function toCampaign(row: CampaignRow): Campaign {
  return {
    id: row.id,
    name: row.name,
    city: row.city,
    year: row.year,
    phase: oneOf(CAMPAIGN_PHASES, row.phase, "campaign phase"),
    opensAt: row.opens_at,
    closesAt: row.closes_at,
    satisfactionRule: parseStoredRule(row.satisfaction_rule),
    isDemo: row.is_demo === 1,
  };
}

export function toSchool(row: SchoolRow): School {
  return {
    id: row.id,
    countyId: row.county_id,
    name: row.name,
    type: oneOf(SCHOOL_TYPES, row.type, "school type"),
    location: oneOf(LOCATIONS, row.location, "location"),
    students: { primary: row.students_primary, junior: row.students_junior, senior: row.students_senior },
    isDemo: row.is_demo === 1,
  };
}

export async function getCampaign(db: Kysely<Database>, id: string): Promise<Campaign | null> {
  const row = await db.selectFrom("campaigns").selectAll().where("id", "=", id).executeTakeFirst();
  return row ? toCampaign(row) : null;
}

export async function listCampaigns(db: Kysely<Database>): Promise<Campaign[]> {
  const rows = await db.selectFrom("campaigns").selectAll().orderBy("created_at", "desc").execute();
  return rows.map(toCampaign);
}

export async function getCounty(db: Kysely<Database>, id: string): Promise<County | null> {
  const row = await db.selectFrom("counties").select(["id", "name", "city"]).where("id", "=", id).executeTakeFirst();
  return row ?? null;
}

export async function getSchool(db: Kysely<Database>, id: string): Promise<School | null> {
  const row = await db.selectFrom("schools").selectAll().where("id", "=", id).executeTakeFirst();
  return row ? toSchool(row) : null;
}

/** Counties taking part in a campaign, in id order. */
export async function listCampaignCounties(db: Kysely<Database>, campaignId: string): Promise<County[]> {
  return db
    .selectFrom("campaign_counties")
    .innerJoin("counties", "counties.id", "campaign_counties.county_id")
    .select(["counties.id", "counties.name", "counties.city"])
    .where("campaign_counties.campaign_id", "=", campaignId)
    .orderBy("counties.id")
    .execute();
}

export async function listSchools(db: Kysely<Database>, countyId: string): Promise<School[]> {
  const rows = await db.selectFrom("schools").selectAll().where("county_id", "=", countyId).orderBy("id").execute();
  return rows.map(toSchool);
}

/** Questionnaire → version collected in a campaign. */
export async function getCampaignQuestionnaires(db: Kysely<Database>, campaignId: string): Promise<Map<QuestionnaireId, number>> {
  const rows = await db.selectFrom("campaign_questionnaires").select(["questionnaire_id", "version"]).where("campaign_id", "=", campaignId).execute();
  return new Map(rows.map((r) => [oneOf(QUESTIONNAIRE_IDS, r.questionnaire_id, "questionnaire"), r.version] as const));
}
