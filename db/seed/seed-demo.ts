/**
 * Seeds the demo 中卫市 campaign (演示数据) on first start: counties, schools, the campaign with
 * each county's resident population, the questionnaire versions it collects, and one demo
 * console account per role. Idempotent: leaves an existing demo campaign alone and only adds
 * demo accounts that are missing. The demo campaign is open whatever today's date
 * is (its window runs from 1970 to 9999), so the quick start always has a working survey.
 */
import type { Kysely } from "kysely";
import type { Role } from "../../app/domain/roles";
import { DEFAULT_SATISFACTION_RULE } from "../../app/domain/satisfaction-rule";
import type { QuestionnaireId } from "../../app/domain/vocabulary";
import type { Database } from "../schema";
import { DEMO_CAMPAIGN_ID, DEMO_CAMPAIGN_NAME, DEMO_CITY, DEMO_COUNTIES } from "./demo-zhongwei";

/** The demo campaign never closes: until 9999-12-31 23:59 北京时间, the latest a date-time field can show and save back. */
export const ALWAYS_OPEN = { opensAt: 0, closesAt: Date.UTC(9999, 11, 31, 15, 59) } as const;

/**
 * Stored instead of a hash for the demo console accounts: their password is derived from the
 * installation's signing secret (app/.server/auth/demo-accounts.ts), so it is never stored,
 * differs per installation, and is printed at start-up in development only.
 */
export const DEMO_PASSWORD_MARKER = "demo-derived";

/** One demo console account per role (演示账号). */
export const DEMO_ACCOUNTS: ReadonlyArray<{
  username: string;
  displayName: string;
  role: Role;
  countyId: string | null;
  schoolId: string | null;
}> = [
  { username: "demo-city", displayName: "中卫市教育局（演示）", role: "city", countyId: null, schoolId: null },
  { username: "demo-county", displayName: "中宁县教育局（演示）", role: "county", countyId: "640521", schoolId: null },
  { username: "demo-school", displayName: "中宁县第一小学联络人（演示）", role: "school", countyId: "640521", schoolId: "zn01" },
];

/** Inserts the demo accounts that are missing (a reset password or a disabled account stays as it is). */
async function seedDemoAccounts(db: Kysely<Database>, now: number): Promise<void> {
  for (const a of DEMO_ACCOUNTS) {
    await db
      .insertInto("accounts")
      .values({
        username: a.username,
        display_name: a.displayName,
        role: a.role,
        county_id: a.countyId,
        school_id: a.schoolId,
        password_hash: DEMO_PASSWORD_MARKER,
        is_demo: 1,
        created_at: now,
        updated_at: now,
        disabled_at: null,
      })
      .onConflict((oc) => oc.column("username").doNothing())
      .execute();
  }
}

export async function seedDemo(db: Kysely<Database>, options: { now: number; questionnaireVersions: ReadonlyMap<QuestionnaireId, number> }): Promise<boolean> {
  const exists = await db.selectFrom("campaigns").select("id").where("id", "=", DEMO_CAMPAIGN_ID).executeTakeFirst();
  if (exists) {
    await seedDemoAccounts(db, options.now);
    return false;
  }
  // Several instances starting at once on an empty PostgreSQL all find no campaign: the first
  // campaign row decides (the others wait on its unique key, then insert nothing and stop).
  const seeded = await db.transaction().execute(async (trx) => {
    for (const county of DEMO_COUNTIES) {
      await trx
        .insertInto("counties")
        .values({ id: county.id, name: county.name, city: DEMO_CITY, is_demo: 1 })
        .onConflict((oc) => oc.doNothing())
        .execute();
      for (const school of county.schools) {
        await trx
          .insertInto("schools")
          .values({
            id: school.id,
            county_id: county.id,
            name: school.name,
            type: school.type,
            location: school.location,
            students_primary: school.students.primary,
            students_junior: school.students.junior,
            students_senior: school.students.senior,
            is_demo: 1,
          })
          .onConflict((oc) => oc.doNothing())
          .execute();
      }
    }
    const campaign = await trx
      .insertInto("campaigns")
      .values({
        id: DEMO_CAMPAIGN_ID,
        name: DEMO_CAMPAIGN_NAME,
        city: DEMO_CITY,
        year: 2026,
        phase: "self",
        opens_at: ALWAYS_OPEN.opensAt,
        closes_at: ALWAYS_OPEN.closesAt,
        satisfaction_rule: JSON.stringify(DEFAULT_SATISFACTION_RULE),
        is_demo: 1,
        created_at: options.now,
      })
      .onConflict((oc) => oc.column("id").doNothing())
      .returning("id")
      .executeTakeFirst();
    if (!campaign) return false;
    await trx
      .insertInto("campaign_counties")
      .values(
        DEMO_COUNTIES.map((c) => ({
          campaign_id: DEMO_CAMPAIGN_ID,
          county_id: c.id,
          resident_population: c.residentPopulation,
          share_urban: c.locationShare.urban,
          share_town: c.locationShare.town,
          share_rural: c.locationShare.rural,
        })),
      )
      .execute();
    await trx
      .insertInto("campaign_questionnaires")
      .values(
        [...options.questionnaireVersions].map(([questionnaireId, version]) => ({
          campaign_id: DEMO_CAMPAIGN_ID,
          questionnaire_id: questionnaireId,
          version,
        })),
      )
      .execute();
    return true;
  });
  await seedDemoAccounts(db, options.now);
  return seeded;
}
