/**
 * A campaign's satisfied-questionnaire rule as stored: one that is none of the form's presets is
 * shown as 自定义 and kept when the campaign is saved; one this version does not understand is
 * refused when counting and cannot be saved back — never read as the default.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getCampaign } from "../../../db/repositories/campaigns";
import { campaignCounts } from "../../../app/.server/console/tallies";
import type { SatisfactionRule } from "../../../app/domain/satisfaction-rule";
import { action as editAction, loader as editLoader } from "../../../app/routes/admin.campaigns.$campaignId.edit/route";
import { action as newAction, loader as newLoader } from "../../../app/routes/admin.campaigns.new/route";
import { addCampaign } from "../../support/campaigns";
import { makeTestServices, type TestServices } from "../../support/services";
import { callAction, callLoader, roleCookies } from "./support";

let services: TestServices;
let cookies: Awaited<ReturnType<typeof roleCookies>>;

const OPENS = Date.UTC(2026, 2, 1);
const CLOSES = Date.UTC(2026, 3, 1);
const MEAN_35: SatisfactionRule = { kind: "mean_at_least", minMeanScore: 3.5, includeOverall: true };

async function campaignWithStoredRule(id: string, stored: string): Promise<void> {
  await addCampaign(services, { id, opensAt: OPENS, closesAt: CLOSES });
  await services.db.updateTable("campaigns").set({ satisfaction_rule: stored }).where("id", "=", id).execute();
}

function editForm(rule: string): FormData {
  const fields: Record<string, string> = {
    name: "测试调查（已编辑）",
    city: "中卫市",
    year: "2026",
    phase: "self",
    opensAt: "2026-03-01T08:00",
    closesAt: "2026-04-01T08:00",
    rule,
    q_social: "1",
    q_staff: "1",
    q_student: "1",
    county_640502: "on",
    pop_640502: "406000",
    urban_640502: "50",
    town_640502: "25",
    rural_640502: "25",
  };
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) f.append(k, v);
  return f;
}

async function edit(id: string, rule: string) {
  return callAction(services, editAction, `/admin/campaigns/${id}/edit`, { cookie: cookies.city, params: { campaignId: id }, form: editForm(rule) });
}

async function formData(id: string) {
  const res = await callLoader(services, editLoader, `/admin/campaigns/${id}/edit`, { cookie: cookies.city, params: { campaignId: id } });
  expect(res.status).toBe(200);
  return res.body as { campaign: { rule: string }; rules: Array<{ key: string; label: string }> };
}

beforeAll(async () => {
  services = await makeTestServices();
  cookies = await roleCookies(services);
});
afterAll(async () => {
  await services.dispose();
});

describe("a stored rule that is none of the presets", () => {
  it("is shown as 自定义 with its sentence, and saving the form keeps it", async () => {
    await campaignWithStoredRule("rule-mean35", JSON.stringify(MEAN_35));
    const data = await formData("rule-mean35");
    expect(data.campaign.rule).toBe("custom");
    expect(data.rules.map((r) => r.key)).toEqual(["top2", "top3", "mean4", "custom"]);
    expect(data.rules.at(-1)?.label).toBe("自定义：各题平均分不低于 3.5 分（满分 5 分，含总体评价，不了解不计）的问卷计为满意");

    const saved = await edit("rule-mean35", "custom");
    expect(saved.status).toBe(302);
    const campaign = await getCampaign(services.db, "rule-mean35");
    if (!campaign) throw new Error("campaign missing");
    expect(campaign.name).toBe("测试调查（已编辑）");
    expect(campaign.satisfactionRule).toEqual(MEAN_35);
    expect((await campaignCounts(services, campaign)).rule).toEqual(MEAN_35);
  });

  it("is not offered as 自定义 to a campaign on a preset, nor to a new one", async () => {
    await campaignWithStoredRule("rule-top3", JSON.stringify({ kind: "overall_in", options: ["满意", "比较满意", "基本满意"] }));
    const data = await formData("rule-top3");
    expect(data.campaign.rule).toBe("top3");
    expect(data.rules.map((r) => r.key)).toEqual(["top2", "top3", "mean4"]);

    const fresh = await callLoader(services, newLoader, "/admin/campaigns/new", { cookie: cookies.city });
    const body = fresh.body as { campaign: null; rules: Array<{ key: string }>; defaultRule: string };
    expect(body.campaign).toBeNull();
    expect(body.rules.map((r) => r.key)).toEqual(["top2", "top3", "mean4"]);
    expect(body.defaultRule).toBe("top2");
    const form = editForm("custom");
    form.set("id", "rule-new");
    const refused = await callAction(services, newAction, "/admin/campaigns/new", { cookie: cookies.city, form });
    expect(refused.status).toBe(400);
    expect((refused.body as { errors: string[] }).errors).toEqual(["原满意判定规则无法识别，请选择一种判定规则"]);
  });
});

describe("a stored rule this version does not understand", () => {
  it("is read as no rule: the figures are refused, the form shows 自定义 and refuses to save it", async () => {
    await campaignWithStoredRule("rule-unknown", JSON.stringify({ kind: "top_box", share: 0.5 }));
    const campaign = await getCampaign(services.db, "rule-unknown");
    expect(campaign?.satisfactionRule).toBeNull();
    if (!campaign) throw new Error("campaign missing");
    await expect(campaignCounts(services, campaign)).rejects.toThrow("调查活动 rule-unknown 的满意判定规则无效");

    const data = await formData("rule-unknown");
    expect(data.campaign.rule).toBe("custom");
    expect(data.rules.at(-1)).toEqual({ key: "custom", label: "自定义（无法识别的规则，请选择一种）" });

    const refused = await edit("rule-unknown", "custom");
    expect(refused.status).toBe(400);
    expect((refused.body as { errors: string[] }).errors).toEqual(["原满意判定规则无法识别，请选择一种判定规则"]);
    const stored = await services.db.selectFrom("campaigns").select("satisfaction_rule").where("id", "=", "rule-unknown").executeTakeFirstOrThrow();
    expect(JSON.parse(stored.satisfaction_rule)).toEqual({ kind: "top_box", share: 0.5 });

    // Choosing a rule repairs it.
    const chosen = await edit("rule-unknown", "top2");
    expect(chosen.status).toBe(302);
    expect((await getCampaign(services.db, "rule-unknown"))?.satisfactionRule).toEqual({ kind: "overall_in", options: ["满意", "比较满意"] });
  });
});
