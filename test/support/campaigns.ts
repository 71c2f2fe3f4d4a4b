/**
 * Extra campaigns for tests: the demo schools in a campaign with a real window, so closed and
 * not-yet-open links can be exercised.
 */
import type { Services } from "../../app/.server/context";
import { DEFAULT_SATISFACTION_RULE } from "../../app/domain/satisfaction-rule";

export async function addCampaign(
  services: Services,
  options: { id: string; opensAt: number; closesAt: number; questionnaireVersion?: number },
): Promise<void> {
  await services.db
    .insertInto("campaigns")
    .values({
      id: options.id,
      name: `测试调查 ${options.id}`,
      city: "中卫市",
      year: 2026,
      phase: "self",
      opens_at: options.opensAt,
      closes_at: options.closesAt,
      satisfaction_rule: JSON.stringify(DEFAULT_SATISFACTION_RULE),
      is_demo: 0,
      created_at: options.opensAt,
    })
    .execute();
  await services.db
    .insertInto("campaign_counties")
    .values({ campaign_id: options.id, county_id: "640502", resident_population: 406000, share_urban: 0.5, share_town: 0.25, share_rural: 0.25 })
    .execute();
  await services.db
    .insertInto("campaign_questionnaires")
    .values(["social", "staff", "student"].map((q) => ({ campaign_id: options.id, questionnaire_id: q, version: options.questionnaireVersion ?? 1 })))
    .execute();
}

/**
 * Ends a campaign's collection (its end time one millisecond before the test clock): its figures
 * are then every accepted questionnaire, reviews applied, instead of the blocks of 5 an open
 * campaign publishes (decision 0015). For tests of suppression and of the figures themselves.
 */
export async function closeCollection(services: Services, campaignId: string): Promise<void> {
  await services.db
    .updateTable("campaigns")
    .set({ closes_at: services.now() - 1 })
    .where("id", "=", campaignId)
    .execute();
}

/** Opens a campaign's collection again (ends in a year of the test clock). */
export async function reopenCollection(services: Services, campaignId: string): Promise<void> {
  await services.db
    .updateTable("campaigns")
    .set({ closes_at: services.now() + 365 * 86_400_000 })
    .where("id", "=", campaignId)
    .execute();
}
