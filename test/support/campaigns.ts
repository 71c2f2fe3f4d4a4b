/**
 * Extra campaigns for tests: the demo schools in a campaign with a real window, so closed and
 * not-yet-open links can be exercised.
 */
import type { Services } from "../../app/.server/services";

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
      satisfaction_rule: JSON.stringify({ kind: "overall_in", options: ["满意", "比较满意"] }),
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
