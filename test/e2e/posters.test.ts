/**
 * Posters per audience (issue 16 item 8) printed by Debian's Chromium to A4 PDF, as an officer's
 * 打印本页 would: a school's kit is as many pages as it has audiences (家长, 教师, 学生), each
 * page's text carrying exactly one audience's heading (read back with poppler's pdftotext);
 * `?audience=staff` prints the one 教师 page; a bad value is refused in Chinese; the county
 * document is one page per sheet, school after school.
 *
 * Screenshots: /tmp/wip/posters-*.png (the page at 1440 px and 390 px, and each PDF page rendered
 * with pdftoppm), also under test/artifacts/, for a person to look at.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { demoCredentials } from "../../app/.server/auth/demo-accounts";
import { signKit } from "../../app/.server/collect/links";
import { loadConfig } from "../../app/.server/config";
import { createKeys, loadSecrets, type Keys } from "../../app/.server/keys";
import { launchChromium } from "./browser";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const ARTIFACTS = path.join(ROOT, "test", "artifacts");
const WIP = "/tmp/wip";
const baseUrl = inject("baseUrl");
const dataDir = inject("dataDir");

const HEADINGS = { parent: "家长请扫码", staff: "教师请扫码", student: "学生请扫码", county: "人大代表、政协委员、其他群众请扫码" } as const;

let browser: Browser;
let keys: Keys;
let passwords: Record<string, string> = {};
const browserErrors: string[] = [];

beforeAll(async () => {
  for (const dir of [ARTIFACTS, WIP]) fs.mkdirSync(dir, { recursive: true });
  keys = createKeys(loadSecrets(loadConfig({ DATA_DIR: dataDir })));
  passwords = Object.fromEntries(demoCredentials(keys).map((c) => [c.username, c.password]));
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  expect(browserErrors).toEqual([]);
});

async function newPage(width: number): Promise<Page> {
  const context = await browser.newContext({ viewport: { width, height: 900 }, locale: "zh-CN", timezoneId: "Asia/Shanghai" });
  const page = await context.newPage();
  page.on("pageerror", (e) => browserErrors.push(`pageerror: ${e.message}`));
  return page;
}

async function shot(page: Page, name: string, fullPage = true): Promise<void> {
  for (const dir of [ARTIFACTS, WIP]) await page.screenshot({ path: path.join(dir, `posters-${name}.png`), fullPage });
}

/**
 * The page printed to A4 as Chromium prints it (print media, backgrounds on), written to
 * /tmp/wip/posters-<name>.pdf; returns each PDF page's text, whitespace removed (pdftotext may
 * space out letter-spaced headings), and renders the pages to PNG with pdftoppm.
 */
async function printToPdf(page: Page, name: string): Promise<string[]> {
  await page.emulateMedia({ media: "print" });
  const pdf = await page.pdf({ format: "A4", printBackground: true, preferCSSPageSize: true });
  await page.emulateMedia({ media: "screen" });
  const file = path.join(WIP, `posters-${name}.pdf`);
  fs.writeFileSync(file, pdf);
  const info = execFileSync("pdfinfo", [file], { encoding: "utf8" });
  const pages = Number(/^Pages:\s+(\d+)/m.exec(info)?.[1]);
  // A4 is 595 × 842 pt.
  expect(info).toMatch(/Page size:.*\(A4\)/);
  const texts: string[] = [];
  for (let i = 1; i <= pages; i++) {
    texts.push(execFileSync("pdftotext", ["-f", String(i), "-l", String(i), "-enc", "UTF-8", file, "-"], { encoding: "utf8" }).replace(/\s+/g, ""));
  }
  for (const f of fs.readdirSync(WIP)) if (f.startsWith(`posters-${name}-page`)) fs.rmSync(path.join(WIP, f));
  execFileSync("pdftoppm", ["-r", "40", "-png", file, path.join(WIP, `posters-${name}-page`)]);
  return texts;
}

function headingsIn(text: string): string[] {
  return Object.entries(HEADINGS)
    .filter(([, h]) => text.includes(h))
    .map(([a]) => a);
}

describe("a school's posters printed to A4", () => {
  const kitUrl = () => `${baseUrl}/print/${signKit(keys, { campaignId: "zw2026", countyId: "640521", schoolId: "zn01" })}`;

  it("prints one A4 page per audience — 家长, 教师, 学生 — each with one audience's heading at ≥ 28 pt", async () => {
    const page = await newPage(1440);
    const res = await page.goto(kitUrl());
    expect(res?.status()).toBe(200);
    const sheets = await page.locator(".kit__sheet").evaluateAll((els) => els.map((el) => el.getAttribute("data-audience")));
    expect(sheets).toEqual(["parent", "staff", "student"]);
    expect(await page.locator(".kit__sheet").first().locator(".kit__qr svg").count()).toBe(1);
    // One kit, named on screen (not on paper) with its sheets.
    expect(await page.locator("article.kit__page").count()).toBe(1);
    expect(await page.getByRole("heading", { name: "中宁县第一小学（演示）" }).innerText()).toBe(
      "中宁县第一小学（演示）（3 页：家长、教师、学生，每页一类人员）",
    );
    await shot(page, "kit-1440");

    // In print, every heading is at least 28 pt (37.3 CSS px) and the choice bar is hidden.
    await page.emulateMedia({ media: "print" });
    const sizes = await page.locator(".kit__heading").evaluateAll((els) => els.map((el) => parseFloat(getComputedStyle(el).fontSize)));
    expect(sizes).toHaveLength(3);
    for (const px of sizes) expect(px * 0.75).toBeGreaterThanOrEqual(28);
    expect(await page.getByTestId("kit-audience-choice").isVisible()).toBe(false);
    await page.emulateMedia({ media: "screen" });

    const texts = await printToPdf(page, "kit");
    expect(texts).toHaveLength(sheets.length);
    expect(texts.map(headingsIn)).toEqual([["parent"], ["staff"], ["student"]]);
    expect(texts[0]).toContain("本码仅供本校学生家长扫码填写，其他人员请勿使用。");
    expect(texts[1]).toContain("本码仅供本校校长、教师扫码填写，其他人员请勿使用。");
    expect(texts[2]).toContain("本码仅供本校三年级及以上学生扫码填写，其他人员请勿使用。");
    for (const t of texts) expect(t).toContain("中宁县第一小学（演示）");
    await page.context().close();
  });

  it("the officer picks 只打印教师页 and gets the one 教师 page; a bad ?audience= is a Chinese 400", async () => {
    const page = await newPage(390);
    await page.goto(kitUrl());
    await shot(page, "kit-390");
    await Promise.all([page.waitForURL(/audience=staff/), page.getByRole("link", { name: "只打印教师页（教师办公室）" }).click()]);
    expect(await page.locator(".kit__sheet").count()).toBe(1);
    expect(await page.locator(".kit__choice a[aria-current=page]").innerText()).toBe("只打印教师页（教师办公室）");
    await shot(page, "kit-staff-390");
    const texts = await printToPdf(page, "kit-staff");
    expect(texts).toHaveLength(1);
    expect(texts.map(headingsIn)).toEqual([["staff"]]);

    const bad = await page.goto(`${kitUrl()}?audience=teacher`);
    expect(bad?.status()).toBe(400);
    expect(await page.locator("body").innerText()).toContain("只能是 parent（家长页）、staff（教师页）或 student（学生页）");
    expect(await page.locator(".kit__qr svg").count()).toBe(0);
    await shot(page, "kit-bad-390");
    await page.context().close();
  });
});

describe("the county document printed to A4", () => {
  it("is one page per sheet: the county's, then each school's 家长, 教师, 学生", async () => {
    const page = await newPage(1440);
    await page.goto(`${baseUrl}/login`);
    await page.fill("input[name=username]", "demo-county");
    await page.fill("input[name=password]", passwords["demo-county"] ?? "");
    await Promise.all([page.waitForURL((u) => u.pathname.startsWith("/admin")), page.click("button[type=submit]")]);
    await page.goto(`${baseUrl}/admin/campaigns/zw2026/kits`);
    await shot(page, "kits-page-1440");
    const docHref = await page.getByRole("link", { name: "只打印家长页（校门口张贴）" }).first().getAttribute("href");
    expect(docHref).toBe("/admin/kit/zw2026/640521?audience=parent");

    await page.goto(`${baseUrl}/admin/kit/zw2026/640521`);
    // The document is 28 sheets long: the first screenful is enough to look at.
    await shot(page, "county-1440", false);
    const order = await page.locator(".kit__sheet").evaluateAll((els) => els.map((el) => el.getAttribute("data-audience") ?? ""));
    expect(order[0]).toBe("county");
    // One kit per school after the county's, each named on screen.
    const kits = await page.locator("article.kit__page").count();
    expect(kits).toBe(1 + order.filter((a) => a === "parent").length);
    expect(await page.getByRole("heading", { name: "中宁县第一小学（演示）" }).count()).toBe(1);
    // Headroom: each sheet laid out at the A4 text width (210 − 2 × 12 mm = 186 mm ≈ 703 px) in
    // print media is shorter than the page's 273 mm, with room to spare for a longer name.
    await page.setViewportSize({ width: 703, height: 1000 });
    await page.emulateMedia({ media: "print" });
    const heights = await page.locator(".kit__sheet").evaluateAll((els) => els.map((el) => (el.getBoundingClientRect().height * 25.4) / 96));
    await page.emulateMedia({ media: "screen" });
    await page.setViewportSize({ width: 1440, height: 900 });
    const tallest = Math.max(...heights);
    console.info(`posters: tallest of ${String(heights.length)} sheets ${tallest.toFixed(1)} mm of 273 mm`);
    expect(tallest).toBeLessThan(273);
    const texts = await printToPdf(page, "county");
    expect(texts).toHaveLength(order.length);
    expect(texts.map(headingsIn)).toEqual(order.map((a) => [a]));
    // School after school, each in the order 家长, 教师, 学生.
    const rank = { parent: 0, staff: 1, student: 2 } as Record<string, number>;
    for (let i = 2; i < order.length; i++) {
      if (order[i] !== "parent") expect(rank[order[i] ?? ""]).toBeGreaterThan(rank[order[i - 1] ?? ""] ?? -1);
    }

    await page.goto(`${baseUrl}/admin/kit/zw2026/640521?audience=parent`);
    const parents = await printToPdf(page, "county-parent");
    const schools = await page.locator(".kit__sheet").count();
    expect(parents).toHaveLength(schools);
    expect(parents.every((t) => headingsIn(t).join() === "parent")).toBe(true);
    await page.context().close();
  });
});
