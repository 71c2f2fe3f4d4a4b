/**
 * 按国家抽样设计加权 (issue 14 item 2, decision 0025) in Debian's Chromium against the shared
 * production server: the readiness page's card shows the weighted rate beside the unweighted one
 * the verdict uses, the weights' range, n_eff and the notes (加权仅用于自评参考; one school pushing
 * its parents cannot move the figure), the same figures as the loader's data; the county dashboard
 * carries the one-line summary. At 1440 px and on a 390 px phone, screenshots to
 * /tmp/wip/weighting-*.png for a person to look at.
 *
 * Its own county, schools and closed campaign (ids wt…, county 649902), with generated responses:
 * the demo campaign's schools are counted one by one by the parents' end-to-end test.
 */
import fs from "node:fs";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { loadConfig } from "../../app/.server/config";
import { createKeys, loadSecrets } from "../../app/.server/keys";
import { demoCredentials } from "../../app/.server/auth/demo-accounts";
import type { WeightingView } from "../../app/domain/weighting-view";
import { launchChromium, phoneContext } from "./browser";
import { generateInto, seedCounty } from "./seed-county";

const SHOTS = "/tmp/wip";
const baseUrl = inject("baseUrl");
const dataDir = inject("dataDir");
const CAMPAIGN = "wt2026";
const COUNTY = "649902";
const SCHOOLS = [
  { id: "wt01", name: "加权县实验小学", type: "primary", location: "urban", p: 1800, j: 0 },
  { id: "wt02", name: "加权县城关初级中学", type: "junior", location: "town", p: 0, j: 1100 },
  { id: "wt03", name: "加权县红柳九年制学校", type: "nine_year", location: "rural", p: 360, j: 240 },
];
const READINESS = `/admin/campaigns/${CAMPAIGN}/counties/${COUNTY}/readiness`;

let browser: Browser;
let passwords: Record<string, string> = {};
const browserErrors: string[] = [];

function watch(p: Page): Page {
  p.on("pageerror", (e) => browserErrors.push(`pageerror: ${e.message}`));
  p.on("console", (m) => {
    if (m.type() === "error" && !m.text().startsWith("Failed to load resource")) browserErrors.push(`console: ${m.text()}`);
  });
  return p;
}

async function shot(p: Page, name: string): Promise<void> {
  fs.mkdirSync(SHOTS, { recursive: true });
  await p.screenshot({ path: path.join(SHOTS, `weighting-${name}.png`), fullPage: true });
}

async function signIn(p: Page, username: string): Promise<void> {
  await p.goto(`${baseUrl}/login`);
  await p.fill("input[name=username]", username);
  await p.fill("input[name=password]", passwords[username] ?? "");
  await Promise.all([p.waitForURL((u) => u.pathname.startsWith("/admin")), p.click("button[type=submit]")]);
}

/** The readiness loader's weighting, as the page got it (Remix's `?_data=`). */
async function loaderWeighting(p: Page): Promise<WeightingView> {
  const res = await p.request.get(
    `${baseUrl}${READINESS}?_data=${encodeURIComponent("routes/admin.campaigns.$campaignId.counties.$countyId.readiness._index")}`,
  );
  expect(res.status()).toBe(200);
  const body = (await res.json()) as { view: { satisfaction: { weighting: WeightingView | null } } };
  const w = body.view.satisfaction.weighting;
  if (!w) throw new Error("no weighting in the loader's data");
  return w;
}

const pct = (r: number | null) => (r === null ? "—" : `${(Math.round(r * 10000) / 100).toFixed(2)}%`);

beforeAll(async () => {
  const keys = createKeys(loadSecrets(loadConfig({ DATA_DIR: dataDir })));
  passwords = Object.fromEntries(demoCredentials(keys).map((c) => [c.username, c.password]));
  seedCounty({ dataDir, county: { id: COUNTY, name: "加权测试县" }, campaign: { id: CAMPAIGN, name: "2026年加权测试调查" }, schools: SCHOOLS });
  generateInto({ dataDir, baseUrl, campaignId: CAMPAIGN, count: 240, seed: 14, label: "weighting-e2e" });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
});

describe("weighted 社会认可度 on the console", () => {
  it("readiness at 1440 px: weighted beside unweighted, weights' range, n_eff and both notes, as the loader computed them", async () => {
    const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: "zh-CN", timezoneId: "Asia/Shanghai" });
    const p = watch(await ctx.newPage());
    await signIn(p, "demo-city");
    await p.goto(`${baseUrl}${READINESS}`);
    const card = p.locator("[data-testid=weighting]");
    await card.waitFor();
    const w = await loaderWeighting(p);
    expect(w.n).toBeGreaterThan(100);
    const summary = (await card.locator("[data-testid=weighting-summary]").textContent()) ?? "";
    expect(summary).toBe(w.summary);
    expect(summary).toMatch(/^按国家抽样设计加权后的满意度为 \d+\.\d\d%（加权仅用于自评参考，达标判定仍按问卷原始统计）$/);
    expect((await card.locator("[data-testid=weighting-unweighted] .c-kpi__value").textContent())?.trim()).toBe(pct(w.unweightedRate));
    expect((await card.locator("[data-testid=weighting-weighted] .c-kpi__value").textContent())?.trim()).toBe(pct(w.weightedRate));
    const text = (await card.textContent()) ?? "";
    expect(text).toContain(w.comparison);
    expect(text).toContain(w.weightsText);
    expect(text).toContain(`有效样本量约 ${Math.round(w.effectiveSampleSize).toLocaleString("zh-CN")} 份`);
    expect(await card.locator("[data-testid=weighting-school-note]").textContent()).toContain("某一所学校动员全部家长集中填答，不能靠人数左右全县的加权满意度");
    // The tile above still shows the unweighted rate: the verdict's figure.
    expect(await p.locator("[data-testid=part-satisfaction] .c-kpi__sub").textContent()).toContain(pct(w.unweightedRate));
    await shot(p, "readiness-1440");
    await card.screenshot({ path: path.join(SHOTS, "weighting-card-1440.png") });
    await p.goto(`${baseUrl}/admin/campaigns/${CAMPAIGN}/counties/${COUNTY}`);
    const line = p.locator("[data-testid=weighting-line]");
    await line.waitFor();
    expect(await line.textContent()).toContain(w.summary);
    await shot(p, "dashboard-1440");
    await line.screenshot({ path: path.join(SHOTS, "weighting-dashboard-line-1440.png") });
    await ctx.close();
    expect(browserErrors).toEqual([]);
  });

  it("on a 390 px phone the card holds: nothing in it wider than the screen", async () => {
    const ctx = await phoneContext(browser);
    const p = watch(await ctx.newPage());
    await signIn(p, "demo-city");
    await p.goto(`${baseUrl}${READINESS}`);
    const card = p.locator("[data-testid=weighting]");
    await card.waitFor();
    // Nothing inside the card is wider than the screen (the verdict heading above it, outside this
    // change, still pushes the page to about 409 px with a long badge).
    const wide = await card.evaluate((el) => [...el.querySelectorAll("*")].filter((e) => e.getBoundingClientRect().right > 390.5).map((e) => e.tagName));
    expect(wide).toEqual([]);
    expect(await card.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
    const box = await card.boundingBox();
    expect(box?.width ?? 999).toBeLessThanOrEqual(390);
    await card.scrollIntoViewIfNeeded();
    await shot(p, "readiness-390");
    await card.screenshot({ path: path.join(SHOTS, "weighting-card-390.png") });
    await ctx.close();
    expect(browserErrors).toEqual([]);
  });
});
