/**
 * 达标评估 through the real loaders: each county's verdict from the engine over the imported
 * evaluation data and the campaign's counts, the drill-down to a school, the comparison with
 * the previous campaign, and importing the Excel template (all or nothing; a county officer
 * replaces only their county; audited).
 */
import { closeCollection } from "../../support/campaigns";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { listAudit } from "../../../db/repositories/audit";
import { generateResponses } from "../../../app/.server/console/generate-responses";
import { attachDemoEvaluationData } from "../../../app/.server/console/demo-data";
import { buildWorkbook, importJson } from "../../../app/.server/evaluation-import";
import type { ReadinessChange, ReadinessView } from "../../../app/domain/readiness-view";
import { putEvaluationData } from "../../../db/repositories/evaluation-data";
import { loader as readinessLoader } from "../../../app/routes/admin.campaigns.$campaignId.counties.$countyId.readiness._index/route";
import { loader as schoolLoader } from "../../../app/routes/admin.campaigns.$campaignId.counties.$countyId.readiness.$schoolId/route";
import { action as importAction, loader as importLoader } from "../../../app/routes/admin.campaigns.$campaignId.evaluation-data/route";
import { loader as exportLoader } from "../../../app/routes/admin_.export.$campaignId.$file/route";
import { action as newCampaignAction } from "../../../app/routes/admin.campaigns.new/route";
import { loader as dashboardLoader } from "../../../app/routes/admin.campaigns.$campaignId.counties.$countyId._index/route";
import type { CountyDashboard } from "../../../app/.server/console/satisfaction";
import { addCampaign } from "../../support/campaigns";
import { makeTestServices, type TestServices } from "../../support/services";
import { callAction, callLoader, roleCookies } from "./support";

const ROOT = fileURLToPath(new URL("../../..", import.meta.url));
let services: TestServices;
let cookies: Awaited<ReturnType<typeof roleCookies>>;

beforeAll(async () => {
  services = await makeTestServices();
  await generateResponses(services.db, { campaignId: "zw2026", count: 1600, seed: 10, now: services.now() - 3_600_000, profile: "demo", label: "demo" });
  // Suppression and figures are checked on the final figures (decision 0015: blocks of 5 while open, tested in release-blocks.test.ts).
  await closeCollection(services, "zw2026");
  cookies = await roleCookies(services);
});
afterAll(async () => {
  await services.dispose();
});

const params = (countyId: string) => ({ campaignId: "zw2026", countyId });
async function readiness(countyId: string, cookie = cookies.city) {
  return callLoader(services, readinessLoader, `/admin/campaigns/zw2026/counties/${countyId}/readiness`, { cookie, params: params(countyId) });
}

function fileForm(name: string, bytes: Uint8Array): FormData {
  const f = new FormData();
  f.append("file", new File([Buffer.from(bytes)], name));
  return f;
}

describe("readiness", () => {
  it("without evaluation data: only 社会认可度 is judged, the rest not evaluated", async () => {
    const res = await readiness("640521");
    const body = res.body as { view: ReadinessView; dataFile: unknown };
    expect(body.dataFile).toBeNull();
    expect(body.view.verdict).toBe("not_evaluated");
    expect(body.view.parts.find((p) => p.key === "satisfaction")?.status).toBe("pass");
    expect(body.view.parts.find((p) => p.key === "resource")?.status).toBe("not_evaluated");
  });

  it("with the demo data: every failing unit, 差异系数 and item, with the concrete shortfalls", async () => {
    await attachDemoEvaluationData(services, "zw2026", ROOT);
    const hy = (await readiness("640522")).body as { view: ReadinessView };
    expect(hy.view.verdict).toBe("fail");
    expect(hy.view.cvs.find((c) => c.level === "primary" && c.code === "L5")).toMatchObject({ withinLimit: false });
    expect(hy.view.cvs.find((c) => c.level === "primary" && c.code === "L5")?.overBy).toBeCloseTo(0.1457, 3);
    expect(hy.view.units.failing.map((u) => u.label)).toContain("海原县三河镇中心小学（演示）");
    expect(hy.view.items.map((i) => i.code)).toEqual(expect.arrayContaining(["G3", "G4", "G5", "G11", "Q1"]));
    expect(hy.view.summary.some((s) => s.includes("间网络多媒体教室"))).toBe(true);
    expect(hy.view.parts.find((p) => p.key === "satisfaction")?.status).toBe("sample_insufficient");

    const zn = (await readiness("640521", cookies.county)).body as { view: ReadinessView };
    expect(zn.view.units.failing.map((u) => u.label)).toEqual(["中宁县恩和镇红宝小学（演示）"]);
    expect(zn.view.units.failing[0]?.needs).toEqual([
      "L2：差 1 名县级以上骨干教师（达到标准 1）",
      "L7：需增加 1 间网络多媒体教室（达到85%底线 1.955，本项可作为唯一未达标项）",
    ]);
  });

  it("drills down to one school: its units, its per-school checks and its satisfaction items", async () => {
    const res = await callLoader(services, schoolLoader, "/admin/campaigns/zw2026/counties/640521/readiness/zn08", {
      cookie: cookies.county,
      params: { ...params("640521"), schoolId: "zn08" },
    });
    const page = (res.body as { page: { school: { units: Array<{ indicatorsMet: number }>; checks: Array<{ code: string }> }; satisfactionItems: unknown[] } })
      .page;
    expect(page.school.units[0]?.indicatorsMet).toBe(5);
    expect(page.school.checks.map((c) => c.code)).toEqual(expect.arrayContaining(["G3", "G4", "G5"]));
    expect(page.satisfactionItems.length).toBeGreaterThan(0);
    // Another county's school under this county's URL is not found; another county is forbidden.
    expect((await callLoader(services, schoolLoader, "/x", { cookie: cookies.county, params: { ...params("640521"), schoolId: "spt01" } })).status).toBe(404);
    expect((await callLoader(services, schoolLoader, "/x", { cookie: cookies.county, params: { ...params("640502"), schoolId: "spt01" } })).status).toBe(403);
    expect((await callLoader(services, schoolLoader, "/x", { cookie: cookies.school, params: { ...params("640521"), schoolId: "zn01" } })).status).toBe(403);
  });

  it("compares with the county's previous campaign", async () => {
    await addCampaign(services, { id: "zw2025", opensAt: Date.UTC(2025, 2, 1), closesAt: Date.UTC(2025, 3, 1) });
    await services.db.updateTable("campaigns").set({ year: 2025 }).where("id", "=", "zw2025").execute();
    await generateResponses(services.db, { campaignId: "zw2025", count: 300, seed: 3, now: Date.UTC(2025, 2, 20), profile: "bulk", label: "old" });
    const res = (await readiness("640502")).body as { previous: { campaign: { id: string }; n: number; hasData: boolean; change: unknown } };
    expect(res.previous).toMatchObject({ campaign: { id: "zw2025" }, n: 300, hasData: false, change: null });
    expect((await readiness("640521")).body).toMatchObject({ previous: null });

    // With last year's evaluation data too: 差异系数 by 差异系数 and item by item. Last year
    // 沙坡头区第一小学 had a third of its equipment and G1 (the layout plan) was not met.
    const demo = importJson(await readFile(`${ROOT}/docs/zhongwei-demo-example.json`, "utf8"));
    if (!demo.ok) throw new Error("demo does not validate");
    const lastYear = {
      ...demo.value,
      satisfaction: undefined,
      schools: demo.value.schools.map((s) => (s.id === "spt01" ? { ...s, facilities: { ...s.facilities, equipmentValueWanYuan: 150 } } : s)),
      countyItems: demo.value.countyItems.map((c) =>
        c.countyId === "640502" ? { ...c, guarantee: { ...c.guarantee, G1: { met: false, evidence: "规划未印发" } } } : c,
      ),
    };
    await putEvaluationData(services.db, {
      campaignId: "zw2025",
      input: JSON.stringify(lastYear),
      fileName: "2025.xlsx",
      importedAt: services.now(),
      importedBy: null,
    });
    const compared = (await readiness("640502")).body as { previous: { hasData: boolean; change: ReadinessChange } };
    expect(compared.previous.hasData).toBe(true);
    const change = compared.previous.change;
    const moved = change.cvs.filter((c) => c.before !== c.after);
    expect(moved.map((c) => `${c.levelLabel}${c.code}`)).toEqual(["小学L6"]);
    expect(moved[0]?.before).toBeGreaterThan(moved[0]?.after ?? Infinity);
    expect(change.cvs.filter((c) => c.level === "primary")).toHaveLength(7);
    expect(change.items).toContainEqual(expect.objectContaining({ code: "G1", before: "fail", after: "pass", afterLabel: "达标" }));
  });
});

describe("importing evaluation data", () => {
  it("takes the Excel template filled in: city for the campaign, county for its own county only", async () => {
    const demo = importJson(await readFile(`${ROOT}/docs/zhongwei-demo-example.json`, "utf8"));
    if (!demo.ok) throw new Error("demo does not validate");
    const workbook = await buildWorkbook({ ...demo.value, satisfaction: undefined });
    const city = await callAction(services, importAction, "/admin/campaigns/zw2026/evaluation-data", {
      cookie: cookies.city,
      params: { campaignId: "zw2026" },
      form: fileForm("评估数据.xlsx", workbook),
    });
    expect(city.status).toBe(200);
    expect(city.body).toMatchObject({ ok: true, message: "已导入 3 个县（区）、27 所学校的评估数据。" });

    const all = await callAction(services, importAction, "/admin/campaigns/zw2026/evaluation-data", {
      cookie: cookies.county,
      params: { campaignId: "zw2026" },
      form: fileForm("评估数据.xlsx", workbook),
    });
    expect(all.status).toBe(400);
    expect(all.body).toMatchObject({ errors: ["县（区）账号只能导入本县（区）的评估数据，文件中不能包含其他县（区）"] });

    const own = await buildWorkbook({
      ...demo.value,
      satisfaction: undefined,
      counties: demo.value.counties.filter((c) => c.id === "640521"),
      schools: demo.value.schools.filter((s) => s.countyId === "640521"),
      countyItems: demo.value.countyItems.filter((c) => c.countyId === "640521"),
    });
    const county = await callAction(services, importAction, "/admin/campaigns/zw2026/evaluation-data", {
      cookie: cookies.county,
      params: { campaignId: "zw2026" },
      form: fileForm("中宁县.xlsx", own),
    });
    expect(county.body).toMatchObject({ ok: true });
    const page = await callLoader(services, importLoader, "/admin/campaigns/zw2026/evaluation-data", {
      cookie: cookies.city,
      params: { campaignId: "zw2026" },
    });
    expect(page.body).toMatchObject({ stored: { fileName: "中宁县.xlsx", counties: ["沙坡头区", "海原县", "中宁县"], schools: 27 } });
    const logged = await listAudit(services.db, { action: "evaluation_imported", limit: 10 });
    expect(logged.map((e) => e.username)).toEqual(["zn-officer", "city-admin", null]);
  });

  it("refuses a broken file as a whole, with every error located in Chinese", async () => {
    const res = await callAction(services, importAction, "/admin/campaigns/zw2026/evaluation-data", {
      cookie: cookies.city,
      params: { campaignId: "zw2026" },
      form: fileForm("坏.xlsx", new Uint8Array([1, 2, 3])),
    });
    expect(res.status).toBe(400);
    expect((res.body as { errors: string[] }).errors[0]).toMatch(/无法读取 Excel 文件/);
    expect(
      (await callAction(services, importAction, "/x", { cookie: cookies.school, params: { campaignId: "zw2026" }, form: fileForm("a.json", new Uint8Array()) }))
        .status,
    ).toBe(403);
  });

  it("hands out the template pre-filled (county officers get their county only)", async () => {
    const res = await callLoader(services, exportLoader, "/admin/export/zw2026/template.xlsx", {
      cookie: cookies.county,
      params: { campaignId: "zw2026", file: "template.xlsx" },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-disposition")).toContain("filename*=UTF-8''");
    expect((await callLoader(services, exportLoader, "/x", { cookie: cookies.school, params: { campaignId: "zw2026", file: "template.xlsx" } })).status).toBe(
      403,
    );
  });
});

describe("a campaign county without 常住人口", () => {
  it("is stored as not provided and read back as null: no sample plan of 0, 社会认可度 not judged, the reason says why", async () => {
    const now = services.now();
    await addCampaign(services, { id: "np2026", opensAt: now - 86_400_000 * 10, closesAt: now + 86_400_000 * 10 });
    // As the campaign form stores an empty 常住人口 field (NULL since migration 2026-12-03-0300).
    await services.db.updateTable("campaign_counties").set({ resident_population: null }).where("campaign_id", "=", "np2026").execute();
    await generateResponses(services.db, { campaignId: "np2026", count: 60, seed: 3, now: now - 3_600_000, profile: "demo", label: "np" });
    const res = await callLoader(services, readinessLoader, "/admin/campaigns/np2026/counties/640502/readiness", {
      cookie: cookies.city,
      params: { campaignId: "np2026", countyId: "640502" },
    });
    const view = (res.body as { view: ReadinessView }).view;
    expect(view.satisfaction.n).toBeGreaterThan(0);
    expect(view.satisfaction.required).toBeNull();
    expect(view.satisfaction.status).toBe("not_evaluated");
    expect(view.parts.find((p) => p.key === "satisfaction")?.statusLabel).toBe("未评估（未填报常住人口，样本未核对）");
    expect(view.reasons.some((r) => r.startsWith("未填报常住人口，无法按 1.5‰ 制定样本计划、核对样本量，社会认可度不予判定"))).toBe(true);
    expect(view.verdictLabel).toContain("社会认可度为自评");
  });

  it("left empty on the campaign form: the readiness page says the sample plan cannot be made, never plans 0; the dashboard still warns", async () => {
    const f = new FormData();
    const fields = {
      id: "np2028",
      name: "中卫市2028年社会认可度自评调查",
      city: "中卫市",
      year: "2028",
      phase: "self",
      opensAt: "2026-03-01T08:00",
      closesAt: "2026-03-31T20:00",
      rule: "top2",
      q_social: "1",
      q_staff: "1",
      q_student: "",
      county_640502: "on",
      pop_640502: "",
      urban_640502: "50",
      town_640502: "25",
      rural_640502: "25",
    };
    for (const [k, v] of Object.entries(fields)) f.append(k, v);
    expect((await callAction(services, newCampaignAction, "/admin/campaigns/new", { cookie: cookies.city, form: f })).status).toBe(302);
    await generateResponses(services.db, { campaignId: "np2028", count: 60, seed: 4, now: services.now() - 3_600_000, profile: "demo", label: "np28" });
    await closeCollection(services, "np2028");
    const at = { campaignId: "np2028", countyId: "640502" };

    const res = await callLoader(services, readinessLoader, "/admin/campaigns/np2028/counties/640502/readiness", { cookie: cookies.city, params: at });
    expect(res.status).toBe(200);
    const view = (res.body as { view: ReadinessView }).view;
    expect(view.satisfaction.n).toBeGreaterThan(0);
    expect(view.satisfaction.required).toBeNull();
    expect(view.satisfaction.structure).toMatchObject({ tone: "none", text: "未填写常住人口，无法制定样本计划。" });
    expect(view.satisfaction.status).toBe("not_evaluated");
    expect(res.text).not.toMatch(/"required":0\b/);

    const dash = await callLoader(services, dashboardLoader, "/admin/campaigns/np2028/counties/640502", { cookie: cookies.city, params: at });
    expect(dash.status).toBe(200);
    const board = dash.body as CountyDashboard;
    expect(board.view.sample.required).toBeNull();
    expect(board.view.reasons.some((r) => r.startsWith("未填报常住人口，无法按 1.5‰ 制定样本计划、核对样本量，社会认可度不予判定"))).toBe(true);
    expect(board.structure).toMatchObject({ tone: "none", text: "未填写常住人口，无法制定样本计划。" });

    // A 0 that a database from before migration 2026-12-03-0300 may still hold after a restore is no population either.
    await services.db.updateTable("campaign_counties").set({ resident_population: 0 }).where("campaign_id", "=", "np2028").execute();
    const legacy = (await callLoader(services, readinessLoader, "/admin/campaigns/np2028/counties/640502/readiness", { cookie: cookies.city, params: at }))
      .body as { view: ReadinessView };
    expect(legacy.view.satisfaction.required).toBeNull();
    expect(legacy.view.satisfaction.structure.tone).toBe("none");
  });
});
