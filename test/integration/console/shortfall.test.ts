/**
 * 催收 through the real loaders (issue 20 item 2), over the demo picture (generated responses,
 * seed 10, collection closed): a school contact gets their own school's shortfall and no other
 * school's, on the page and through `?_data=`; a county officer gets their county's schools
 * furthest behind first, the same figures the school page and the coverage table show; the home
 * page's county cards carry the campaign page's figures and the readiness page's verdict.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateResponses } from "../../../app/.server/console/generate-responses";
import type { SchoolShortfall } from "../../../app/domain/shortfall";
import { loader as homeLoader } from "../../../app/routes/admin._index/route";
import { loader as overviewLoader } from "../../../app/routes/admin.campaigns.$campaignId._index/route";
import { loader as coverageLoader } from "../../../app/routes/admin.campaigns.$campaignId.counties.$countyId.coverage/route";
import { loader as readinessLoader } from "../../../app/routes/admin.campaigns.$campaignId.counties.$countyId.readiness._index/route";
import { loader as schoolLoader } from "../../../app/routes/admin.campaigns.$campaignId.schools.$schoolId/route";
import { closeCollection } from "../../support/campaigns";
import { makeTestServices, type TestServices } from "../../support/services";
import { callLoader, roleCookies } from "./support";

let services: TestServices;
let cookies: Awaited<ReturnType<typeof roleCookies>>;

beforeAll(async () => {
  services = await makeTestServices();
  await generateResponses(services.db, { campaignId: "zw2026", count: 1600, seed: 10, now: services.now() - 3_600_000, profile: "demo", label: "demo" });
  await closeCollection(services, "zw2026");
  cookies = await roleCookies(services);
});
afterAll(async () => {
  await services.dispose();
});

type Row = SchoolShortfall & { reminder: string };
const schoolData = (id: string) => `/admin/campaigns/zw2026/schools/${id}?_data=routes%2Fadmin.campaigns.%24campaignId.schools.%24schoolId`;
const coverageData = (county: string) =>
  `/admin/campaigns/zw2026/counties/${county}/coverage?_data=routes%2Fadmin.campaigns.%24campaignId.counties.%24countyId.coverage`;

async function school(cookie: string, id: string) {
  return callLoader(services, schoolLoader, schoolData(id), { cookie, params: { campaignId: "zw2026", schoolId: id } });
}
async function coverage(cookie: string, county: string) {
  return callLoader(services, coverageLoader, coverageData(county), { cookie, params: { campaignId: "zw2026", countyId: county } });
}
function shortfallOf(body: unknown): Row {
  const s = (body as { shortfall: { planned: boolean; shortfall: Row | null } }).shortfall;
  expect(s.planned).toBe(true);
  if (!s.shortfall) throw new Error("no shortfall");
  return s.shortfall;
}

describe("a school's shortfall", () => {
  it("is the school contact's own, by group and grade band, with the reminder for its group chat", async () => {
    const res = await school(cookies.school, "zn01");
    expect(res.status).toBe(200);
    const s = shortfallOf(res.body);
    expect(s.id).toBe("zn01");
    expect(s.groups.map((g) => g.group)).toEqual(["parent", "student", "staff"]);
    const parent = s.groups[0];
    // A 小学: parents' children in 一至三 and 四至六年级, the bands adding up to the target.
    expect(parent?.bands.map((b) => b.label)).toEqual(["一至三年级", "四至六年级"]);
    expect(parent?.bands.reduce((a, b) => a + b.target, 0)).toBe(parent?.target);
    expect(s.missing).toBe(s.groups.reduce((a, g) => a + Math.max(0, g.target - g.collected), 0));
    expect(s.summary).toMatch(s.met ? /^已达到计划$/ : /^还差：/);
    expect(s.reminder).toContain("中宁县第一小学（演示）");
    if (!s.met) expect(s.reminder).toContain(`${services.config.publicUrl}/s/`);
    // Counts only: no satisfaction figure on a school contact's page.
    expect(res.text).not.toMatch(/"rate"|satisfied/);
  });

  it("of another school is refused to a school contact through ?_data=, with nothing of it in the answer", async () => {
    const own = shortfallOf((await school(cookies.school, "zn01")).body);
    const other = await school(cookies.school, "zn02");
    expect(other.status).toBe(403);
    expect(other.text).not.toContain("中宁县第三小学");
    expect(other.text).not.toContain("shortfall");
    expect(other.text).not.toContain("还差");
    // Another county's school: 403 for the contact and for that county's officer alike.
    expect((await school(cookies.school, "spt01")).status).toBe(403);
    expect((await school(cookies.otherCounty, "zn01")).status).toBe(403);
    // Nor the county's list, which holds every school's.
    const list = await coverage(cookies.school, "640521");
    expect(list.status).toBe(403);
    expect(list.text).not.toContain(own.summary);
  });

  it("is the same for the school contact, the county officer and the coverage table", async () => {
    const own = shortfallOf((await school(cookies.school, "zn01")).body);
    const byOfficer = shortfallOf((await school(cookies.county, "zn01")).body);
    expect(byOfficer).toEqual(own);
    const body = (await coverage(cookies.county, "640521")).body as {
      coverage: { schools: Array<{ id: string; parent: { collected: number; target: number }; staff: { collected: number; target: number } }> };
      shortfall: { schools: Row[] };
    };
    const row = body.coverage.schools.find((x) => x.id === "zn01");
    const listed = body.shortfall.schools.find((x) => x.id === "zn01");
    expect(listed?.summary).toBe(own.summary);
    expect(listed?.groups.find((g) => g.group === "parent")).toMatchObject({ target: row?.parent.target, collected: row?.parent.collected });
    expect(listed?.groups.find((g) => g.group === "staff")).toMatchObject({ target: row?.staff.target, collected: row?.staff.collected });
  });
});

describe("the county's list of schools to chase", () => {
  it("holds every school of the county, furthest behind first, and adds up by group and location", async () => {
    const res = await coverage(cookies.county, "640521");
    expect(res.status).toBe(200);
    const body = res.body as {
      coverage: { schools: Array<{ id: string }> };
      shortfall: {
        planned: boolean;
        schools: Row[];
        totals: { missing: number; byGroup: Record<string, number>; byLocation: Record<string, number>; summary: string };
      };
    };
    const list = body.shortfall.schools;
    expect(new Set(list.map((s) => s.id))).toEqual(new Set(body.coverage.schools.map((s) => s.id)));
    for (let i = 1; i < list.length; i += 1) {
      const a = list[i - 1];
      const b = list[i];
      if (!a || !b) continue;
      const sa = a.missingShare ?? -1;
      const sb = b.missingShare ?? -1;
      expect(sa > sb || (sa === sb && a.missing >= b.missing)).toBe(true);
    }
    // The demo county is not evenly collected: someone is behind, and the first is behind most.
    expect(list[0]?.missing).toBeGreaterThan(0);
    const t = body.shortfall.totals;
    expect(t.missing).toBe(list.reduce((a, s) => a + s.missing, 0));
    expect(Object.values(t.byGroup).reduce((a, n) => a + n, 0)).toBe(t.missing);
    expect(Object.values(t.byLocation).reduce((a, n) => a + n, 0)).toBe(t.missing);
    expect(t.summary).toMatch(/所学校未达到计划，共还差：/);
    // Each reminder names its own school and only links for what it still owes.
    for (const s of list.filter((x) => x.target > 0)) expect(s.reminder).toContain(s.name);
  });

  it("is refused to another county's officer", async () => {
    const res = await coverage(cookies.otherCounty, "640521");
    expect(res.status).toBe(403);
    expect(res.text).not.toContain("中宁县第一小学");
  });
});

describe("the home page's county cards", () => {
  type Card = { countyId: string; n: number; rate: number | null; required: number | null; verdict: string; verdictLabel: string };
  type Home = { campaigns: Array<{ id: string; cards: { counties: Card[] } | null }> };

  it("show a county officer their own county only, with the campaign page's figures and the readiness page's verdict", async () => {
    const res = await callLoader(services, homeLoader, "/admin?_data=routes%2Fadmin._index", { cookie: cookies.county });
    expect(res.status).toBe(200);
    const zw = (res.body as Home).campaigns.find((c) => c.id === "zw2026");
    const cards = zw?.cards?.counties ?? [];
    expect(cards.map((c) => c.countyId)).toEqual(["640521"]);
    const overview = await callLoader(services, overviewLoader, "/admin/campaigns/zw2026", { cookie: cookies.county, params: { campaignId: "zw2026" } });
    const fromOverview = (overview.body as { counties: Card[] }).counties[0];
    expect(cards[0]).toMatchObject({ n: fromOverview?.n, rate: fromOverview?.rate, required: fromOverview?.required });
    const readiness = await callLoader(services, readinessLoader, "/admin/campaigns/zw2026/counties/640521/readiness", {
      cookie: cookies.county,
      params: { campaignId: "zw2026", countyId: "640521" },
    });
    const view = (readiness.body as { view: { verdict: string; verdictLabel: string } | null }).view;
    expect(cards[0]?.verdict).toBe(view?.verdict ?? "not_evaluated");
    expect(cards[0]?.verdictLabel).toBe(view?.verdictLabel);
  });

  it("show the city every county; send a school contact to their school", async () => {
    const city = await callLoader(services, homeLoader, "/admin", { cookie: cookies.city });
    const zw = (city.body as Home).campaigns.find((c) => c.id === "zw2026");
    expect(zw?.cards?.counties.map((c) => c.countyId).sort()).toEqual(["640502", "640521", "640522"]);
    // Each verdict as the readiness page words it (no evaluation data here: 海原县, short of its sample, too).
    for (const card of zw?.cards?.counties ?? []) {
      const readiness = await callLoader(services, readinessLoader, `/admin/campaigns/zw2026/counties/${card.countyId}/readiness`, {
        cookie: cookies.city,
        params: { campaignId: "zw2026", countyId: card.countyId },
      });
      const view = (readiness.body as { view: { verdict: string; verdictLabel: string } | null }).view;
      expect([card.verdict, card.verdictLabel]).toEqual([view?.verdict ?? "not_evaluated", view?.verdictLabel ?? "暂无评估结果"]);
    }
    const school = await callLoader(services, homeLoader, "/admin", { cookie: cookies.school });
    expect(school.status).toBe(302);
    expect(school.headers.get("location")).toBe("/admin/campaigns/zw2026/schools/zn01");
  });
});
