/**
 * 催收 (issue 20 item 2) in Debian's Chromium against the shared production server: the home
 * page's county cards, the coverage page's schools furthest behind first with 复制提醒 (the
 * Clipboard API, and the select + execCommand fallback where it is missing), a school contact's
 * own shortfall on a 390 px phone and another school's refused through `?_data=`.
 *
 * Its own county, schools and closed campaign are written into the server's store first (ids
 * sf…, county 649901), with generated responses: the demo campaign's schools are counted one by
 * one by the parents' end-to-end test, so nothing is generated there. Screenshots at 1440 and
 * 390 px go to /tmp/wip/shortfall-*.png for a person to look at.
 */
import fs from "node:fs";
import path from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { loadConfig } from "../../app/.server/config";
import { createKeys, loadSecrets } from "../../app/.server/keys";
import { demoCredentials } from "../../app/.server/auth/demo-accounts";
import { launchChromium, phoneContext } from "./browser";
import { generateInto, seedCounty } from "./seed-county";

const SHOTS = "/tmp/wip";
const baseUrl = inject("baseUrl");
const dataDir = inject("dataDir");
const CAMPAIGN = "sf2026";
const COUNTY = "649901";
const SCHOOLS = [
  { id: "sf01", name: "催收县实验小学", type: "primary", location: "urban", p: 1800, j: 0 },
  { id: "sf02", name: "催收县第二小学", type: "primary", location: "urban", p: 900, j: 0 },
  { id: "sf03", name: "催收县城关初级中学", type: "junior", location: "town", p: 0, j: 1100 },
  { id: "sf04", name: "催收县红柳九年制学校", type: "nine_year", location: "rural", p: 360, j: 240 },
  { id: "sf05", name: "催收县沙湾教学点", type: "teaching_point", location: "rural", p: 45, j: 0 },
];

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
  await p.screenshot({ path: path.join(SHOTS, `shortfall-${name}.png`), fullPage: true });
}

async function signIn(p: Page, username: string): Promise<void> {
  await p.goto(`${baseUrl}/login`);
  await p.fill("input[name=username]", username);
  await p.fill("input[name=password]", passwords[username] ?? "");
  await Promise.all([p.waitForURL((u) => u.pathname.startsWith("/admin")), p.click("button[type=submit]")]);
}

async function desktop(): Promise<BrowserContext> {
  const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: "zh-CN", timezoneId: "Asia/Shanghai" });
  await ctx.grantPermissions(["clipboard-read", "clipboard-write"], { origin: baseUrl });
  return ctx;
}

/** "差 45%" on each school of the list, in page order. */
async function listedShares(p: Page): Promise<number[]> {
  const badges = await p.locator("[data-testid=shortfall-school] .c-shortfall__head .c-badge").allTextContents();
  return badges.map((t) => (t.startsWith("差 ") ? Number(t.replace(/[^\d]/g, "")) : t === "已达到" ? 0 : -1));
}

beforeAll(async () => {
  const keys = createKeys(loadSecrets(loadConfig({ DATA_DIR: dataDir })));
  passwords = Object.fromEntries(demoCredentials(keys).map((c) => [c.username, c.password]));
  seedCounty({ dataDir, county: { id: COUNTY, name: "催收测试县" }, campaign: { id: CAMPAIGN, name: "2026年催收测试调查" }, schools: SCHOOLS });
  generateInto({ dataDir, baseUrl, campaignId: CAMPAIGN, count: 70, seed: 7, label: "shortfall-e2e" });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
});

describe("chasing schools", () => {
  it("home page at 1440 px: a card per county with rate, sample against plan and the verdict", async () => {
    const ctx = await desktop();
    const p = watch(await ctx.newPage());
    await signIn(p, "demo-city");
    await p.goto(`${baseUrl}/admin`);
    const card = p.locator("[data-testid=county-card]", { hasText: "催收测试县" });
    await card.waitFor();
    await expect(card.textContent()).resolves.toMatch(/有效问卷 \d+ \/ 计划 120 份/);
    // The readiness page's wording of the verdict.
    const verdict = (await card.locator("[data-testid=county-verdict]").textContent()) ?? "";
    await p.goto(`${baseUrl}/admin/campaigns/${CAMPAIGN}/counties/${COUNTY}/readiness`);
    const readinessVerdict = (await p.locator(".c-card header h2 .c-badge").first().textContent()) ?? "";
    expect(verdict.startsWith(readinessVerdict)).toBe(true);
    await p.goto(`${baseUrl}/admin`);
    await card.waitFor();
    await shot(p, "home-1440");
    await ctx.close();
  });

  it("coverage at 1440 px: schools furthest behind first, each with its line, and 复制提醒 puts the reminder on the clipboard", async () => {
    const ctx = await desktop();
    const p = watch(await ctx.newPage());
    await signIn(p, "demo-city");
    await p.goto(`${baseUrl}/admin/campaigns/${CAMPAIGN}/counties/${COUNTY}/coverage`);
    const items = p.locator("[data-testid=shortfall-school]");
    await items.first().waitFor();
    expect(await items.count()).toBe(SCHOOLS.length);
    const shares = await listedShares(p);
    expect(shares).toEqual([...shares].sort((a, b) => b - a));
    const first = items.first();
    const name = (await first.locator(".c-shortfall__head a").textContent()) ?? "";
    const summary = (await first.locator(".c-shortfall__summary").textContent()) ?? "";
    expect(summary).toMatch(/^还差：/);
    await first.locator("[data-testid=copy-reminder]").click();
    await first.getByText("已复制，可粘贴到学校群").waitFor();
    const copied = await p.evaluate(() => navigator.clipboard.readText());
    expect(copied).toContain(`【2026年催收测试调查】${name}`);
    expect(copied).toContain(summary);
    expect(copied).toContain(`${baseUrl}/s/`);
    await first.getByRole("button", { name: "查看提醒" }).click();
    await shot(p, "coverage-1440");
    await ctx.close();
  });

  it("without the Clipboard API (plain http, old phones) the copy falls back to select + execCommand", async () => {
    const ctx = await browser.newContext({
      viewport: { width: 390, height: 844 },
      locale: "zh-CN",
      timezoneId: "Asia/Shanghai",
      isMobile: true,
      hasTouch: true,
    });
    await ctx.addInitScript(() => {
      Object.defineProperty(navigator, "clipboard", { value: undefined, configurable: true });
      const original = document.execCommand.bind(document);
      const record = window as unknown as { copied?: string };
      document.execCommand = (command: string, ...rest: unknown[]) => {
        const el = document.activeElement;
        if (command === "copy" && el instanceof HTMLTextAreaElement) record.copied = el.value.slice(el.selectionStart, el.selectionEnd);
        return original(command, ...(rest as [boolean?, string?]));
      };
    });
    const p = watch(await ctx.newPage());
    await signIn(p, "demo-city");
    await p.goto(`${baseUrl}/admin/campaigns/${CAMPAIGN}/counties/${COUNTY}/coverage`);
    const first = p.locator("[data-testid=shortfall-school]").first();
    await first.locator("[data-testid=copy-reminder]").click();
    await first
      .locator(".c-copy__status")
      .filter({ hasText: /已复制|未能自动复制/ })
      .waitFor();
    const copied = await p.evaluate(() => (window as unknown as { copied?: string }).copied ?? "");
    expect(copied).toContain("问卷回收提醒");
    expect(copied).toContain("还差：");
    // The off-screen textarea is gone again.
    expect(await p.locator("textarea[aria-hidden=true]").count()).toBe(0);
    await shot(p, "coverage-390");
    await p.locator("[data-testid=county-shortfall]").screenshot({ path: path.join(SHOTS, "shortfall-coverage-390-list.png") });
    expect(await p.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await p.goto(`${baseUrl}/admin`);
    await p.locator("[data-testid=county-card]", { hasText: "催收测试县" }).waitFor();
    await shot(p, "home-390");
    expect(await p.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await ctx.close();
  });

  it("a school contact on a 390 px phone sees their own shortfall, and another school's is refused through ?_data=", async () => {
    const ctx = await phoneContext(browser);
    const p = watch(await ctx.newPage());
    await signIn(p, "demo-school");
    await p.waitForURL(`${baseUrl}/admin/campaigns/zw2026/schools/zn01`);
    const card = p.locator("[data-testid=school-shortfall]");
    await card.waitFor();
    const line = (await card.locator("[data-testid=shortfall-summary]").textContent()) ?? "";
    expect(line).toMatch(/^(还差：家长 \d+ 份|已达到计划)/);
    await card.getByText("一至三年级").first().waitFor();
    expect(await p.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await card.getByRole("button", { name: "查看提醒" }).click();
    await card.locator("textarea").waitFor();
    await shot(p, "school-390");
    const other = await p.evaluate(async () => {
      const res = await fetch("/admin/campaigns/zw2026/schools/zn02?_data=routes%2Fadmin.campaigns.%24campaignId.schools.%24schoolId");
      return { status: res.status, text: await res.text() };
    });
    expect(other.status).toBe(403);
    expect(other.text).not.toContain("还差");
    expect(other.text).not.toContain("中宁县第三小学");
    const list = await p.evaluate(
      async () =>
        (await fetch("/admin/campaigns/zw2026/counties/640521/coverage?_data=routes%2Fadmin.campaigns.%24campaignId.counties.%24countyId.coverage")).status,
    );
    expect(list).toBe(403);
    await ctx.close();
  });

  it("logged no browser error", () => {
    expect(browserErrors).toEqual([]);
  });
});
