/**
 * Data retention: archiving a closed campaign deletes its raw answers and keeps every figure —
 * the dashboard and 表Ⅵ read the same before and after; only the city role, only closed, only
 * with the id typed; audited; the rule can no longer change.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listAudit } from "../../../db/repositories/audit";
import { generateResponses } from "../../../app/.server/console/generate-responses";
import { action as editAction } from "../../../app/routes/admin.campaigns.$campaignId.edit/route";
import { loader as dashboardLoader } from "../../../app/routes/admin.campaigns.$campaignId.counties.$countyId._index/route";
import { addCampaign } from "../../support/campaigns";
import { makeTestServices, type TestServices } from "../../support/services";
import { callAction, callLoader, roleCookies } from "./support";

let services: TestServices;
let cookies: Awaited<ReturnType<typeof roleCookies>>;
const OLD = "spt2025";
const params = { campaignId: OLD, countyId: "640502" };

beforeAll(async () => {
  services = await makeTestServices();
  await addCampaign(services, { id: OLD, opensAt: Date.UTC(2025, 2, 1), closesAt: Date.UTC(2025, 3, 1) });
  await generateResponses(services.db, { campaignId: OLD, count: 700, seed: 12, now: Date.UTC(2025, 2, 25), days: 20, profile: "bulk", label: "old" });
  cookies = await roleCookies(services);
});
afterAll(async () => {
  await services.dispose();
});

async function view() {
  const res = await callLoader(services, dashboardLoader, "/x", { cookie: cookies.city, params });
  return (res.body as { view: unknown }).view;
}

function form(fields: Record<string, string>): FormData {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) f.append(k, v);
  return f;
}

describe("archiving a campaign", () => {
  it("is refused unless the city role types the id of a closed campaign", async () => {
    expect(
      (await callAction(services, editAction, "/x", { cookie: cookies.county, params: { campaignId: OLD }, form: form({ intent: "archive", confirm: OLD }) }))
        .status,
    ).toBe(403);
    const wrong = await callAction(services, editAction, "/x", {
      cookie: cookies.city,
      params: { campaignId: OLD },
      form: form({ intent: "archive", confirm: "nope" }),
    });
    expect(wrong.body).toEqual({ errors: [`请输入调查活动编号 ${OLD} 以确认`] });
    const open = await callAction(services, editAction, "/x", {
      cookie: cookies.city,
      params: { campaignId: "zw2026" },
      form: form({ intent: "archive", confirm: "zw2026" }),
    });
    expect(open.body).toEqual({ errors: ["调查活动尚未结束，结束并完成评估后才能归档"] });
  });

  it("deletes the raw answers and keeps every figure; audited; the rule is frozen", async () => {
    const before = await view();
    const res = await callAction(services, editAction, "/x", {
      cookie: cookies.city,
      params: { campaignId: OLD },
      form: form({ intent: "archive", confirm: OLD }),
    });
    expect(res.body).toEqual({ errors: null, archived: 700 });
    const left = await services.db
      .selectFrom("responses")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("campaign_id", "=", OLD)
      .executeTakeFirstOrThrow();
    expect(Number(left.n)).toBe(0);
    expect(await view()).toEqual(before);
    const logged = await listAudit(services.db, { action: "campaign_archived", limit: 5 });
    expect(logged[0]).toMatchObject({ username: "city-admin", campaignId: OLD, detail: { deleted: 700 } });
    const again = await callAction(services, editAction, "/x", {
      cookie: cookies.city,
      params: { campaignId: OLD },
      form: form({ intent: "archive", confirm: OLD }),
    });
    expect(again.body).toEqual({ errors: ["这个调查活动已经归档"] });
    const ruleChange = await callAction(services, editAction, "/x", {
      cookie: cookies.city,
      params: { campaignId: OLD },
      form: form({
        name: "旧调查",
        city: "中卫市",
        year: "2025",
        phase: "self",
        opensAt: "2025-03-01T08:00",
        closesAt: "2025-04-01T08:00",
        rule: "mean4",
        q_social: "1",
        q_staff: "1",
        q_student: "1",
        county_640502: "on",
        pop_640502: "406000",
        urban_640502: "50",
        town_640502: "25",
        rural_640502: "25",
      }),
    });
    expect((ruleChange.body as { errors: string[] }).errors).toContain("已归档的调查活动不能更改满意判定规则：原始答卷已删除，无法按新规则重新计算");
  });
});
