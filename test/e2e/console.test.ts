/**
 * The bureau console in Debian's Chromium against the shared production server: signing in
 * (the demo accounts, whose passwords come from the server's own secret), a campaign from
 * creation to QR kit, the dashboards over generated demo data, an invalidation moving the
 * rate, the scope rules as a county officer and a school contact meet them, and every export
 * downloaded, opened and checked. Desktop pages at 1366 px, and the coverage page and the
 * readiness page's 国家抽样的把握 at 390 px, are
 * kept under test/artifacts/console-*.png for a person to look at; every console page at 390 px
 * (no sideways scrolling) under test/artifacts/phone-*.png.
 *
 * The campaign created here covers a county of its own (利通区, imported from the Excel
 * template), so its generated responses never mix with the demo campaign's schools that the
 * parents' end-to-end test counts.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import ExcelJS from "exceljs";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { demoCredentials } from "../../app/.server/auth/demo-accounts";
import { loadConfig } from "../../app/.server/config";
import { buildWorkbook, importJson } from "../../app/.server/evaluation-import";
import { createKeys, loadSecrets } from "../../app/.server/keys";
import { launchChromium, phoneContext } from "./browser";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const ARTIFACTS = path.join(ROOT, "test", "artifacts");
const baseUrl = inject("baseUrl");
const dataDir = inject("dataDir");
const CAMPAIGN = "e2e2026";
const COUNTY = "640302";

let browser: Browser;
let desktop: BrowserContext;
let page: Page;
const browserErrors: string[] = [];
let dialogs = 0;
let passwords: Record<string, string> = {};

function watch(p: Page): Page {
  p.on("pageerror", (e) => browserErrors.push(`pageerror: ${e.message}`));
  p.on("console", (m) => {
    // A page answered 403/404 on purpose logs "Failed to load resource"; anything else is a bug.
    if (m.type() === "error" && !m.text().startsWith("Failed to load resource")) browserErrors.push(`console: ${m.text()}`);
  });
  p.on("dialog", (d) => {
    dialogs += 1;
    void d.dismiss();
  });
  return p;
}

async function newDesktop(): Promise<BrowserContext> {
  return browser.newContext({ viewport: { width: 1366, height: 900 }, locale: "zh-CN", timezoneId: "Asia/Shanghai", acceptDownloads: true });
}

async function shot(p: Page, name: string): Promise<void> {
  await p.screenshot({ path: path.join(ARTIFACTS, `console-${name}.png`), fullPage: true });
}

async function signIn(p: Page, username: string, password: string): Promise<void> {
  await p.goto(`${baseUrl}/login`);
  await p.fill("input[name=username]", username);
  await p.fill("input[name=password]", password);
  await Promise.all([p.waitForURL((u) => u.pathname.startsWith("/admin")), p.click("button[type=submit]")]);
}

/** Waits until the page's ECharts charts have drawn their SVG. */
async function chartsDrawn(p: Page): Promise<void> {
  const charts = await p.locator("[data-chart]").count();
  for (let i = 0; i < charts; i++) await p.locator("[data-chart]").nth(i).locator("svg").first().waitFor();
}

async function download(p: Page, selector: string): Promise<Buffer> {
  const [file] = await Promise.all([p.waitForEvent("download"), p.click(selector)]);
  const where = await file.path();
  return fs.readFileSync(where);
}

async function workbook(bytes: Buffer): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
  return wb;
}

function cli(args: string[]): string {
  return execFileSync(process.execPath, ["--import", "tsx", ...args], {
    cwd: ROOT,
    env: { ...process.env, DATA_DIR: dataDir, PUBLIC_URL: baseUrl, LOG_LEVEL: "warn", NODE_ENV: "production" },
    encoding: "utf8",
  });
}

const kpiNumber = async (p: Page, testId: string) => Number((await p.locator(`[data-testid=${testId}]`).innerText()).replace(/[,%\s]/g, ""));

beforeAll(async () => {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const keys = createKeys(loadSecrets(loadConfig({ DATA_DIR: dataDir })));
  passwords = Object.fromEntries(demoCredentials(keys).map((c) => [c.username, c.password]));
  browser = await launchChromium();
  desktop = await newDesktop();
  page = watch(await desktop.newPage());
});

afterAll(async () => {
  await browser?.close();
});

describe("the bureau console", () => {
  it("signs in: a wrong password is refused in Chinese; the demo city account lands on the console", async () => {
    await page.goto(`${baseUrl}/admin/campaigns`);
    expect(new URL(page.url()).pathname).toBe("/login");
    await shot(page, "01-login");
    await page.fill("input[name=username]", "demo-city");
    await page.fill("input[name=password]", "not the password");
    await page.click("button[type=submit]");
    await page.getByRole("alert").filter({ hasText: "用户名或密码不正确" }).waitFor();
    await page.fill("input[name=password]", passwords["demo-city"] ?? "");
    await Promise.all([page.waitForURL(`${baseUrl}/admin/campaigns`), page.click("button[type=submit]")]);
    await page.goto(`${baseUrl}/admin`);
    await page.getByText("您好，中卫市教育局（演示）").waitFor();
    await shot(page, "02-home");
  });

  it("creates a campaign, imports its school list from the Excel template, and prints its QR kits", async () => {
    await page.goto(`${baseUrl}/admin/campaigns`);
    await shot(page, "03-campaigns");
    await page.click("text=新建调查活动");
    await page.fill("input[name=id]", CAMPAIGN);
    await page.fill("input[name=name]", "吴忠市利通区2026年社会认可度自评调查（端到端测试）");
    await page.fill("input[name=city]", "吴忠市");
    await page.fill("input[name=opensAt]", "2026-01-01T08:00");
    await page.fill("input[name=closesAt]", "2027-06-30T20:00");
    await page.check("input[name=county_640521]");
    await page.fill("input[name=pop_640521]", "336000");
    await page.fill("input[name=urban_640521]", "45");
    await page.fill("input[name=town_640521]", "27");
    await page.fill("input[name=rural_640521]", "28");
    await shot(page, "04-campaign-new");
    await Promise.all([page.waitForURL(/\/kits\?created=1$/), page.click("button:has-text('创建调查活动')")]);
    await page.getByText("调查活动已创建").waitFor();

    // The school list: 利通区 and four schools, from the template's 县（区） and 学校 sheets.
    await page.click("text=导入学校名单");
    const bytes = await buildWorkbook({
      format: "youzhi-junheng/evaluation-input",
      version: 1,
      counties: [{ id: COUNTY, name: "利通区", residentPopulation: 420000, locationShare: { urban: 0.6, town: 0.25, rural: 0.15 } }],
      schools: [
        {
          id: "lt01",
          countyId: COUNTY,
          name: "利通区第一小学",
          type: "primary",
          location: "urban",
          students: { primary: 1800, junior: 0, senior: 0 },
          sections: {},
        },
        {
          id: "lt02",
          countyId: COUNTY,
          name: "利通区金积镇中学",
          type: "junior",
          location: "town",
          students: { primary: 0, junior: 900, senior: 0 },
          sections: {},
        },
        {
          id: "lt03",
          countyId: COUNTY,
          name: "利通区扁担沟学校",
          type: "nine_year",
          location: "rural",
          students: { primary: 240, junior: 180, senior: 0 },
          sections: {},
        },
        {
          id: "lt04",
          countyId: COUNTY,
          name: "利通区古城教学点",
          type: "teaching_point",
          location: "rural",
          students: { primary: 25, junior: 0, senior: 0 },
          sections: {},
        },
      ],
      countyItems: [],
    });
    await page.setInputFiles("input[type=file]", {
      name: "利通区学校名单.xlsx",
      mimeType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      buffer: Buffer.from(bytes),
    });
    await page.click("button:has-text('导入')");
    await page.getByText("新增学校 4 所").waitFor();
    await shot(page, "05-schools-import");

    // 中宁县 was only needed to create the campaign: it leaves again (no responses yet).
    await page.click("text=编辑调查活动");
    await page.uncheck("input[name=county_640521]");
    await page.fill("input[name=pop_640302]", "420000");
    await Promise.all([page.waitForURL(`${baseUrl}/admin/campaigns/${CAMPAIGN}`), page.click("button:has-text('保存')")]);

    await page.goto(`${baseUrl}/admin/campaigns/${CAMPAIGN}/kits`);
    await page.getByRole("heading", { name: "利通区", exact: true }).waitFor();
    expect(await page.locator("text=中宁县").count()).toBe(0);
    await shot(page, "06-kits");
    const kitDoc = await desktop.newPage();
    watch(kitDoc);
    await kitDoc.goto(`${baseUrl}/admin/kit/${CAMPAIGN}/${COUNTY}`);
    expect(await kitDoc.locator("article.kit__page").count()).toBe(5);
    // County page: one code; each school: 社会卷, 校长教师卷, 学生卷 (all teach grade 3 or above).
    expect(await kitDoc.locator(".kit__qr svg").count()).toBe(1 + 3 + 3 + 3 + 3);
    await shot(kitDoc, "07-county-kit-document");
    // A school's own QR page, and the link inside its QR code opens the parents' questionnaire.
    const kitHref = await page.locator("details.c-details a:has-text('打印页')").first().getAttribute("href");
    const linkText = (await page.locator("details.c-details .c-mono").first().textContent()) ?? "";
    await kitDoc.goto(`${baseUrl}${kitHref ?? ""}`);
    await kitDoc.getByRole("heading", { name: "利通区第一小学" }).waitFor();
    const survey = await kitDoc.goto(linkText);
    expect(survey?.status()).toBe(200);
    await kitDoc.close();
  });

  it("shows the dashboards over generated demo data: rate against 85%, items lowest first, small cells hidden, comments as text, live coverage", async () => {
    const out = cli([
      "scripts/generate-responses.ts",
      "--campaign",
      CAMPAIGN,
      "--county",
      COUNTY,
      "--count",
      "900",
      "--seed",
      "10",
      "--profile",
      "demo",
      "--label",
      "e2e",
    ]);
    expect(JSON.parse(out.trim().split("\n").at(-1) ?? "{}")).toMatchObject({ written: 900 });

    await page.goto(`${baseUrl}/admin/campaigns/${CAMPAIGN}`);
    await page.getByText("综合满意度（全体）").first().waitFor();
    await chartsDrawn(page);
    await shot(page, "08-campaign-overview");

    await page.goto(`${baseUrl}/admin/campaigns/${CAMPAIGN}/counties/${COUNTY}`);
    await chartsDrawn(page);
    // While the collection is open, each school's group counts in blocks of 5 (decision 0015):
    // the page says how many of the 900 wait for their block.
    const released = await kpiNumber(page, "county-n");
    expect(released % 5).toBe(0);
    expect(released).toBeGreaterThan(600);
    expect(released).toBeLessThanOrEqual(900);
    const notice = await page.locator("[data-testid=release-notice]").innerText();
    expect(notice).toContain("已收到 900 份问卷");
    if (released < 900) expect(notice).toContain(`其中 ${String(900 - released)} 份尚未计入`);
    await page.getByText("自评/模拟测评").first().waitFor();
    const itemRates = await page.locator("section:has(h2:has-text('各题满意度（从低到高')) tbody tr td.rate").allInnerTexts();
    const numbers = itemRates.map((t) => Number.parseFloat(t)).slice(0, -1); // the last row is 总体评价
    expect(numbers).toEqual([...numbers].sort((a, b) => a - b));
    // The 教学点 (25 pupils) has fewer than 5 questionnaires: while open, none of them is counted yet.
    for (const row of await page.locator("tr:has-text('利通区古城教学点')").allInnerTexts()) expect(row).not.toMatch(/\d%/);
    await shot(page, "09-satisfaction");

    await page.click("nav.c-tabs >> text=意见建议");
    await page.getByRole("heading", { name: /利通区：意见建议/ }).waitFor();
    await page.fill("input[name=q]", "作业");
    await page.press("input[name=q]", "Enter");
    await page.getByRole("heading", { name: /含“作业”/ }).waitFor();
    const found = await page.locator(".c-comments__text").allInnerTexts();
    expect(found.length).toBeGreaterThan(0);
    expect(found.every((t) => t.includes("作业"))).toBe(true);
    await page.goto(`${baseUrl}/admin/campaigns/${CAMPAIGN}/counties/${COUNTY}/comments?q=${encodeURIComponent("script")}`);
    if ((await page.locator(".c-comments__text").count()) > 0) {
      expect(await page.locator(".c-comments__text").first().innerText()).toContain("<script>");
    }
    expect(dialogs).toBe(0);
    await page.goto(`${baseUrl}/admin/campaigns/${CAMPAIGN}/counties/${COUNTY}/comments`);
    await shot(page, "10-comments");

    await page.click("nav.c-tabs >> text=样本覆盖");
    await page.getByRole("heading", { name: "各校回收情况（已收 / 应收）" }).waitFor();
    await chartsDrawn(page);
    await shot(page, "11-coverage");

    const phone = await phoneContext(browser);
    const p = watch(await phone.newPage());
    await signIn(p, "demo-city", passwords["demo-city"] ?? "");
    await p.goto(`${baseUrl}/admin/campaigns/${CAMPAIGN}/counties/${COUNTY}/coverage`);
    await p.getByRole("heading", { name: "各校回收情况（已收 / 应收）" }).waitFor();
    await chartsDrawn(p);
    expect(await p.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await p.screenshot({ path: path.join(ARTIFACTS, "console-12-coverage-phone.png"), fullPage: true });
    await phone.close();
  });

  it("at phone width: the coverage banner follows the plan's structure; the readiness page says 国家抽样的把握 as an estimate", async () => {
    const phone = await phoneContext(browser);
    const p = watch(await phone.newPage());
    await signIn(p, "demo-city", passwords["demo-city"] ?? "");
    await p.goto(`${baseUrl}/admin/campaigns/${CAMPAIGN}/counties/${COUNTY}/coverage`);
    // Green only when every planned cell is reached; else amber, naming the short cells.
    const banner = await p.locator("[data-testid=structure-banner]").innerText();
    expect(banner).toMatch(/样本总量、家长份数和计划的各单元|样本结构未达到计划|样本不足/);

    await p.goto(`${baseUrl}/admin/campaigns/${CAMPAIGN}/counties/${COUNTY}/readiness`);
    const outlook = p.locator("[data-testid=pass-outlook]");
    await outlook.waitFor();
    expect(await outlook.innerText()).toMatch(/按目前的调查结果，国家抽样调查达到85%的把握(约为 \d+%|接近但不足95%|95%以上|不足5%)/);
    expect(await outlook.innerText()).toContain("不是保证");
    expect(await p.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await outlook.screenshot({ path: path.join(ARTIFACTS, "console-12b-pass-outlook-phone.png") });
    await phone.close();
  });

  it("creates a county officer who invalidates flagged questionnaires: counted once the collection closes; then the rate moves, and moves back on restoring", async () => {
    await page.goto(`${baseUrl}/admin/accounts`);
    await page.fill("input[name=username]", "lt-officer");
    await page.fill("input[name=displayName]", "利通区教育局");
    await page.selectOption("select[name=role]", "county");
    await page.selectOption("select[name=countyId]", { label: "利通区" });
    await page.fill("section:has(h2:has-text('新建账号')) input[name=password]", "litong password 2026");
    await page.click("button:has-text('创建账号')");
    await page.getByText("已创建账号 lt-officer").waitFor();
    await shot(page, "13-accounts");

    const ctx = await newDesktop();
    const officer = watch(await ctx.newPage());
    await signIn(officer, "lt-officer", "litong password 2026");
    const invalidateSix = async () => {
      await officer.goto(`${baseUrl}/admin/campaigns/${CAMPAIGN}/counties/${COUNTY}/review`);
      await officer.getByRole("heading", { name: "有质量标记的问卷（按学校和链接）" }).waitFor();
      // Questionnaires of cells under 5 cannot be selected by a county officer (issue 12).
      const boxes = officer.locator("input[type=checkbox][name=id]:not([disabled])");
      expect(await boxes.count()).toBeGreaterThanOrEqual(6);
      for (let i = 0; i < 6; i++) await boxes.nth(i).check();
      await officer.selectOption("select[name=reason]", "所有题目选择同一选项");
      await officer.click("button:has-text('将选中的问卷标记为无效')");
      await officer.getByText("已将 6 份问卷标记为无效").waitFor();
    };
    const restoreSix = async () => {
      await officer.goto(`${baseUrl}/admin/campaigns/${CAMPAIGN}/counties/${COUNTY}/review?show=invalid`);
      const invalid = officer.locator("input[type=checkbox][name=id]");
      expect(await invalid.count()).toBe(6);
      for (let i = 0; i < 6; i++) await invalid.nth(i).check();
      await officer.click("button:has-text('将选中的问卷恢复为有效')");
      await officer.getByText("已将 6 份问卷恢复为有效").waitFor();
    };

    // Open: a reviewer's 无效 would be a one-questionnaire step, so it waits for the close (decision 0015).
    await officer.goto(`${baseUrl}/admin/campaigns/${CAMPAIGN}/counties/${COUNTY}`);
    const released = await kpiNumber(officer, "county-n");
    const releasedRate = await officer.locator("[data-testid=county-rate]").innerText();
    await invalidateSix();
    await officer.goto(`${baseUrl}/admin/campaigns/${CAMPAIGN}/counties/${COUNTY}`);
    expect(await kpiNumber(officer, "county-n")).toBe(released);
    expect(await officer.locator("[data-testid=county-rate]").innerText()).toBe(releasedRate);
    expect(await officer.locator("[data-testid=release-notice]").innerText()).toContain("复核标记为无效的 6 份问卷在调查结束后从统计中剔除");
    await restoreSix();

    // The city ends the collection (yesterday, Beijing time): every questionnaire counts.
    await page.goto(`${baseUrl}/admin/campaigns/${CAMPAIGN}/edit`);
    await page.fill("input[name=closesAt]", new Date(Date.now() - 86_400_000 + 8 * 3_600_000).toISOString().slice(0, 16));
    await Promise.all([page.waitForURL(`${baseUrl}/admin/campaigns/${CAMPAIGN}`), page.click("button:has-text('保存')")]);

    await officer.goto(`${baseUrl}/admin/campaigns/${CAMPAIGN}/counties/${COUNTY}`);
    const n0 = await kpiNumber(officer, "county-n");
    expect(n0).toBe(900);
    expect(await officer.locator("[data-testid=release-notice]").count()).toBe(0);
    // Closed, the 教学点's few questionnaires count: hidden, with a complement.
    expect(await officer.locator("td:has-text('已隐藏')").count()).toBeGreaterThan(0);
    const rate0 = await officer.locator("[data-testid=county-rate]").innerText();

    await invalidateSix();
    await shot(officer, "14-review");

    await officer.click("nav.c-tabs >> text=满意度");
    await officer.locator("[data-testid=county-n]").waitFor();
    expect(await kpiNumber(officer, "county-n")).toBe(n0 - 6);
    const rate1 = await officer.locator("[data-testid=county-rate]").innerText();
    const t6 = await officer.locator("section:has(h2:has-text('表')) tbody tr").first().locator("td").allInnerTexts();
    // The headline equals 满意 ÷ 有效 of the 表Ⅵ row.
    expect(Number.parseFloat(rate1)).toBeCloseTo((100 * Number(t6[3]?.replace(/,/g, ""))) / Number(t6[2]?.replace(/,/g, "")), 2);
    expect(rate1).not.toBe(rate0);

    await restoreSix();
    await officer.goto(`${baseUrl}/admin/campaigns/${CAMPAIGN}/counties/${COUNTY}`);
    expect(await kpiNumber(officer, "county-n")).toBe(n0);
    expect(await officer.locator("[data-testid=county-rate]").innerText()).toBe(rate0);

    // Scope: another county's id in the URL, and a city-only page.
    const other = await officer.goto(`${baseUrl}/admin/campaigns/zw2026/counties/640521`);
    expect(other?.status()).toBe(403);
    await officer.getByText("无权访问").first().waitFor();
    expect(await officer.locator("[data-testid=county-rate]").count()).toBe(0);
    await shot(officer, "15-scope-403");
    expect((await officer.goto(`${baseUrl}/admin/audit`))?.status()).toBe(403);
    // Their county's school contacts' accounts, and only those schools to choose from.
    expect((await officer.goto(`${baseUrl}/admin/accounts`))?.status()).toBe(200);
    await officer.getByRole("heading", { name: "学校账号", exact: true }).waitFor();
    expect(await officer.locator("select[name=role] option").allInnerTexts()).toEqual(["学校联络人"]);
    expect(await officer.locator("select[name=countyId]").count()).toBe(0);
    const groups = await officer.locator("select[name=schoolId] optgroup").evaluateAll((els) => els.map((e) => e.getAttribute("label")));
    expect(groups).toHaveLength(1);
    await shot(officer, "15b-county-school-accounts");
    expect((await officer.goto(`${baseUrl}/admin/export/${CAMPAIGN}/responses.csv?county=${COUNTY}`))?.status()).toBe(403);
    await ctx.close();
  });

  it("lets a school contact see their school's links, kit and counts, never answers or other schools", async () => {
    const ctx = await newDesktop();
    const s = watch(await ctx.newPage());
    await signIn(s, "demo-school", passwords["demo-school"] ?? "");
    await s.goto(`${baseUrl}/admin`);
    await s.waitForURL(`${baseUrl}/admin/campaigns/zw2026/schools/zn01`);
    await s.getByRole("heading", { name: /中宁县第一小学（演示）：问卷链接与二维码/ }).waitFor();
    // No satisfaction figure: 满意度 only in the sentence saying it is not shown, and as the name of
    // the survey in the ready-to-paste 通知 (…满意度调查).
    const text = await s.locator("main").innerText();
    expect(text.replace(/满意度调查/g, "").match(/满意度/g) ?? []).toHaveLength(1);
    expect(text).not.toMatch(/满意度[：:]?\s*\d/);
    await shot(s, "16-school");
    expect((await s.goto(`${baseUrl}/admin/campaigns/zw2026/counties/640521`))?.status()).toBe(403);
    expect((await s.goto(`${baseUrl}/admin/campaigns/zw2026/schools/zn02`))?.status()).toBe(403);
    await ctx.close();
  });

  it("imports evaluation data through the page and shows each county's readiness with drill-down", async () => {
    const demo = importJson(fs.readFileSync(path.join(ROOT, "docs", "zhongwei-demo-example.json"), "utf8"));
    if (!demo.ok) throw new Error("demo example does not validate");
    const bytes = await buildWorkbook({ ...demo.value, satisfaction: undefined });
    await page.goto(`${baseUrl}/admin/campaigns/zw2026/evaluation-data`);
    await page.setInputFiles("input[type=file]", {
      name: "中卫市评估数据.xlsx",
      mimeType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      buffer: Buffer.from(bytes),
    });
    await page.click("button:has-text('导入')");
    await page.getByText("已导入 3 个县（区）、27 所学校的评估数据。").waitFor();
    await shot(page, "17-evaluation-data");
    await page.goto(`${baseUrl}/admin/campaigns/zw2026/counties/640522/readiness`);
    await chartsDrawn(page);
    await page.getByText("小学 L5 差异系数").first().waitFor();
    await shot(page, "18-readiness");
    await page.goto(`${baseUrl}/admin/campaigns/zw2026/counties/640521/readiness/zn08`);
    await page.getByText("差 1 名县级以上骨干教师").first().waitFor();
    await shot(page, "19-readiness-school");
  });

  it("downloads every export and opens it: 表Ⅵ, 表Ⅲ, raw CSV and XLSX (neutralised), the printable report", async () => {
    await page.goto(`${baseUrl}/admin/campaigns/${CAMPAIGN}/counties/${COUNTY}`);
    const n = await kpiNumber(page, "county-n");
    await page.goto(`${baseUrl}/admin/campaigns/${CAMPAIGN}/counties/${COUNTY}/exports`);
    await shot(page, "20-exports");

    const t6 = await workbook(await download(page, "a:has-text('表Ⅵ 社会认可度（Excel）')"));
    const sheet = t6.getWorksheet("表Ⅵ 社会认可度");
    const all = sheet?.getRow(6).values;
    expect(Array.isArray(all) ? all.slice(1, 3) : []).toEqual(["全体", n]);

    const csv = (await download(page, `a[href='/admin/export/${CAMPAIGN}/responses.csv?county=${COUNTY}']`)).toString("utf8");
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    const lines = csv.slice(1).trimEnd().split("\r\n");
    expect(lines).toHaveLength(n + 1);
    expect(lines.some((l) => /(^|,)[=+@]/.test(l))).toBe(false);

    const xlsx = await workbook(await download(page, `a[href='/admin/export/${CAMPAIGN}/responses.xlsx?county=${COUNTY}']`));
    const raw = xlsx.getWorksheet("原始答卷");
    expect(raw?.rowCount).toBe(n + 1);
    const texts = (raw?.getSheetValues() ?? []).flat().filter((v): v is string => typeof v === "string");
    expect(texts.some((v) => /^[=+\-@]/.test(v))).toBe(false);

    await page.goto(`${baseUrl}/admin/campaigns/zw2026/counties/640522/exports`);
    const cv = await workbook(await download(page, "a:has-text('表Ⅲ 差异系数（Excel）')"));
    const rows = (cv.getWorksheet("表Ⅲ 差异系数")?.getSheetValues() ?? []).filter(Array.isArray).map((r) => r.slice(1));
    // Rounded as displayed: 3 decimals, as the readiness page prints it.
    expect(rows.find((r) => r[0] === "L5")?.[5]).toBe(0.646);

    const report = await desktop.newPage();
    watch(report);
    await report.goto(`${baseUrl}/admin/report/${CAMPAIGN}/${COUNTY}`);
    await report.getByRole("heading", { name: "利通区义务教育优质均衡发展自评报告" }).waitFor();
    await chartsDrawn(report);
    await shot(report, "21-report");
    await report.close();
  });

  it("fits every console page on a 390 px phone: no sideways scrolling, a full-page screenshot of each", async () => {
    const phone = await phoneContext(browser);
    const p = watch(await phone.newPage());
    await signIn(p, "demo-city", passwords["demo-city"] ?? "");
    const county = `/admin/campaigns/${CAMPAIGN}/counties/${COUNTY}`;
    const pages: Array<[name: string, url: string]> = [
      ["home", "/admin"],
      ["campaigns", "/admin/campaigns"],
      ["campaign-new", "/admin/campaigns/new"],
      ["campaign-overview", `/admin/campaigns/${CAMPAIGN}`],
      ["satisfaction", county],
      ["coverage", `${county}/coverage`],
      ["readiness", "/admin/campaigns/zw2026/counties/640522/readiness"],
      ["readiness-school", "/admin/campaigns/zw2026/counties/640521/readiness/zn08"],
      ["review", `${county}/review`],
      ["comments", `${county}/comments`],
      ["exports", `${county}/exports`],
      ["kits", `/admin/campaigns/${CAMPAIGN}/kits`],
      ["school", "/admin/campaigns/zw2026/schools/zn01"],
      ["accounts", "/admin/accounts"],
      ["audit", "/admin/audit"],
      ["questionnaires", "/admin/questionnaires"],
      ["evaluation-data", "/admin/campaigns/zw2026/evaluation-data"],
      ["schools-import", `/admin/campaigns/${CAMPAIGN}/schools-import`],
      ["campaign-edit", `/admin/campaigns/${CAMPAIGN}/edit`],
      ["password", "/admin/password"],
      ["report", `/admin/report/${CAMPAIGN}/${COUNTY}`],
      ["kit", `/admin/kit/${CAMPAIGN}/${COUNTY}`],
      ["preview", "/admin/preview/social/1"],
    ];
    const widths: Record<string, number> = {};
    for (const [name, url] of pages) {
      const res = await p.goto(`${baseUrl}${url}`);
      expect(res?.status(), url).toBe(200);
      await chartsDrawn(p);
      // Folded sections (each school's links, a unit's indicators) are measured open; a row's own
      // history inside a table stays folded, as an officer first sees it.
      await p.evaluate(() => {
        for (const d of document.querySelectorAll("details")) if (!d.closest("td")) d.open = true;
      });
      widths[name] = await p.evaluate(() => document.documentElement.scrollWidth);
      await p.screenshot({ path: path.join(ARTIFACTS, `phone-${name}.png`), fullPage: true });
    }
    expect(widths).toEqual(Object.fromEntries(pages.map(([name]) => [name, 390])));
    await phone.close();
  });

  it("shows the remaining console pages (audit log, questionnaires and preview, password)", async () => {
    await page.goto(`${baseUrl}/admin/audit`);
    await page.locator("td", { hasText: "标记问卷无效" }).first().waitFor();
    await page.locator("td", { hasText: "导出数据" }).first().waitFor();
    await shot(page, "22-audit");
    await page.goto(`${baseUrl}/admin/questionnaires`);
    await shot(page, "23-questionnaires");
    await page.goto(`${baseUrl}/admin/preview/social/1`);
    await page.getByText("问卷预览").first().waitFor();
    // The preview has the phone page's 大字 toggle, a target of at least 44 px, and it works.
    const toggle = page.locator(".text-size");
    const box = await toggle.boundingBox();
    expect(box?.height ?? 0).toBeGreaterThanOrEqual(44);
    expect(await toggle.evaluate((el) => parseFloat(getComputedStyle(el).fontSize))).toBeGreaterThanOrEqual(16);
    await toggle.click();
    await page.waitForURL(/large=1/);
    expect(await page.locator(".fast").getAttribute("class")).toContain("large");
    await shot(page, "24-preview");
    await page.goto(`${baseUrl}/admin/password`);
    await shot(page, "25-password");
    await page.goto(`${baseUrl}/admin/campaigns/${CAMPAIGN}/edit`);
    await shot(page, "26-campaign-edit");
    // Signing out ends the session: the console asks to sign in again.
    await page.click("button:has-text('退出')");
    await page.waitForURL(`${baseUrl}/login`);
    await page.goto(`${baseUrl}/admin`);
    expect(new URL(page.url()).pathname).toBe("/login");
    expect(browserErrors).toEqual([]);
  });
});
