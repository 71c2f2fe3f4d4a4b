/**
 * Issue 16 item 7 — one phone, two children at the same school (decision 0027), in Debian's
 * Chromium at 390 px with a WeChat user agent against the shared production server: answer,
 * thanked, tap 为另一个孩子填写（同一所学校）, answer again for the second child, thanked — two rows
 * stored, the second flagged several_children; the 已提交 page offers the next child instead of a
 * dead end, and the third child reaches the limit. The same again with JavaScript off.
 *
 * Uses 沙坡头区迎水桥学校（演示） (spt07), which no other end-to-end test answers or counts; the
 * city's review page (1440 px) then counts the flag. Screenshots go to /tmp/wip/twochildren-*.png
 * for a person to look at.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { loadConfig } from "../../app/.server/config";
import { demoCredentials } from "../../app/.server/auth/demo-accounts";
import { createKeys, loadSecrets } from "../../app/.server/keys";
import { launchChromium, phoneContext } from "./browser";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const SHOTS = "/tmp/wip";
const baseUrl = inject("baseUrl");
const dataDir = inject("dataDir");
const SCHOOL = "沙坡头区迎水桥学校（演示）";
const SCHOOL_ID = "spt07";
const BUTTON = "为另一个孩子填写（同一所学校）";
const LIMIT = "这台手机已为3个孩子填写过这份问卷，已达到上限。";

let browser: Browser;
let url = "";
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
  await p.screenshot({ path: path.join(SHOTS, `twochildren-${name}.png`), fullPage: true });
}

/** Taps `text` in every required question (the grade question gets the grade asked for). */
async function answerAll(page: Page, text: string, grade: string): Promise<void> {
  const qs = page.locator("fieldset[data-q][data-required]");
  const n = await qs.count();
  for (let i = 0; i < n; i++) {
    const q = qs.nth(i);
    const want = (await q.getAttribute("data-q")) === "grade" ? grade : text;
    const option = q.locator("label.opt", { hasText: new RegExp(`^${want}$`) });
    await ((await option.count()) > 0 ? option.first() : q.locator("label.opt").first()).tap();
  }
}

/** Clicks without touch: a JavaScript-less context gets a plain click and navigation. */
async function press(page: Page, name: string, js: boolean): Promise<void> {
  const button = page.getByRole(name === "提交问卷" ? "button" : "link", { name });
  if (js) await button.tap();
  else await button.click();
}

function rowsOf(): Array<{ respondent_key: string; device_hash: string; flags: string; grade: number | null }> {
  const conn = new Database(path.join(dataDir, "survey.sqlite"), { readonly: true });
  try {
    return conn
      .prepare("select respondent_key, device_hash, flags, grade from responses where school_id = ? and questionnaire_id = 'social' order by id")
      .all(SCHOOL_ID) as Array<{ respondent_key: string; device_hash: string; flags: string; grade: number | null }>;
  } finally {
    conn.close();
  }
}

beforeAll(async () => {
  browser = await launchChromium();
  const stdout = execFileSync(process.execPath, ["--import", "tsx", "scripts/links.ts"], {
    cwd: ROOT,
    env: { ...process.env, DATA_DIR: dataDir, PUBLIC_URL: baseUrl, LOG_LEVEL: "warn" },
    encoding: "utf8",
  });
  const line = stdout.split("\n").find((l) => l.split("\t")[1] === SCHOOL && l.split("\t")[2] === "社会卷");
  url = line?.split("\t")[3] ?? "";
  if (!url) throw new Error(`no 社会卷 link for ${SCHOOL}`);
});

afterAll(async () => {
  await browser?.close();
});

describe("one phone, two children at the same school (390 px, WeChat)", () => {
  it("answer, thanked, 为另一个孩子填写, answer again, thanked: two rows, the second flagged; 已提交 offers the third; then the limit", async () => {
    const before = rowsOf().length;
    const context = await phoneContext(browser);
    const page = watch(await context.newPage());
    await page.goto(url);
    await answerAll(page, "满意", "三年级");
    await press(page, "提交问卷", true);
    await page.waitForURL(/\/done$/);
    const thanked = await page.locator("main").innerText();
    expect(thanked).toContain("提交成功");
    expect(thanked).toContain("如果您还有一个孩子也在这所学校就读");
    await shot(page, "1-done-first-child");

    await press(page, BUTTON, true);
    await page.waitForURL(/\?child=2$/);
    expect(await page.locator(".child-banner").innerText()).toBe("正在为您的第2个孩子填写（同一所学校）。请按这个孩子的情况作答。");
    // A fresh form: nothing of the first child's answers came back.
    expect(await page.locator("input[type=radio]:checked").count()).toBe(0);
    expect(await page.locator(".restored").count()).toBe(0);
    await page.screenshot({ path: path.join(SHOTS, "twochildren-2-form-second-child.png") });
    await answerAll(page, "比较满意", "六年级");
    await press(page, "提交问卷", true);
    await page.waitForURL(/\/done$/);
    expect(await page.locator("main").innerText()).toContain("提交成功");
    await shot(page, "3-done-second-child");

    const rows = rowsOf().slice(before);
    expect(rows).toHaveLength(2);
    expect(rows[0]!.respondent_key).not.toBe(rows[1]!.respondent_key);
    expect(rows[0]!.device_hash).toBe(rows[1]!.device_hash);
    expect(JSON.parse(rows[0]!.flags)).not.toContain("several_children");
    expect(JSON.parse(rows[1]!.flags)).toContain("several_children");
    expect(rows.map((r) => r.grade)).toEqual([3, 6]);

    // The link again: 已提交, with the way on rather than a dead end.
    await page.goto(url);
    await page.getByRole("heading", { name: "已提交" }).waitFor();
    expect(await page.getByRole("link", { name: BUTTON }).getAttribute("href")).toMatch(/\?child=3$/);
    await shot(page, "4-already-submitted");
    await press(page, BUTTON, true);
    await page.waitForURL(/\?child=3$/);
    await answerAll(page, "满意", "一年级");
    await press(page, "提交问卷", true);
    await page.waitForURL(/\/done$/);
    const last = await page.locator("main").innerText();
    expect(last).toContain(LIMIT);
    expect(await page.getByRole("link", { name: BUTTON }).count()).toBe(0);
    await shot(page, "5-done-limit");
    expect(rowsOf().slice(before)).toHaveLength(3);
    expect(browserErrors).toEqual([]);
    await context.close();
  });

  it("works without JavaScript: the offer is a link, the ordinal travels in the form", async () => {
    const before = rowsOf().length;
    const context = await phoneContext(browser, { javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(url);
    await answerAll(page, "满意", "四年级");
    await press(page, "提交问卷", false);
    await page.waitForURL(/\/done$/);
    await press(page, BUTTON, false);
    await page.waitForURL(/\?child=2$/);
    expect(await page.locator("input[name=_child]").getAttribute("value")).toBe("2");
    // 大字 without JavaScript is a link to the page itself: it keeps the child.
    expect(await page.locator("#text-size").getAttribute("href")).toBe("?large=1&child=2");
    await answerAll(page, "基本满意", "五年级");
    await press(page, "提交问卷", false);
    await page.waitForURL(/\/done$/);
    expect(await page.locator("main").innerText()).toContain(BUTTON);
    await shot(page, "6-nojs-done-second-child");
    const rows = rowsOf().slice(before);
    expect(rows.map((r) => JSON.parse(r.flags).includes("several_children"))).toEqual([false, true]);
    expect(rows.map((r) => r.grade)).toEqual([4, 5]);
    await context.close();
  });

  it("the SurveyJS page (/full) carries the ordinal too: the second child answered there is stored and flagged", async () => {
    const before = rowsOf().length;
    const context = await phoneContext(browser);
    const page = watch(await context.newPage());
    await page.goto(url);
    await answerAll(page, "满意", "二年级");
    await press(page, "提交问卷", true);
    await page.waitForURL(/\/done$/);
    await page.goto(`${url}/full?child=2`);
    await page.locator(".sd-question").first().waitFor();
    expect(await page.locator(".child-banner").innerText()).toContain("第2个孩子");
    for (let pages = 1; ; pages++) {
      const questions = page.locator(".sd-page .sd-question");
      const n = await questions.count();
      for (let i = 0; i < n; i++) {
        const q = questions.nth(i);
        if ((await q.locator("textarea").count()) > 0) continue;
        const title = (await q.locator(".sd-question__title").innerText()).trim();
        await q
          .locator(".sd-item__control-label", { hasText: new RegExp(`^${title.includes("年级") ? "七年级（初一）" : "比较满意"}$`) })
          .first()
          .tap();
      }
      const next = page.locator("input.sd-navigation__next-btn, button.sd-navigation__next-btn, .sd-navigation__next-btn input");
      if (
        await next
          .first()
          .isVisible()
          .catch(() => false)
      )
        await next.first().tap();
      else {
        await page.locator(".sd-navigation__complete-btn").first().tap();
        break;
      }
      expect(pages).toBeLessThan(10);
    }
    await page.waitForURL(/\/done$/);
    expect(await page.locator("main").innerText()).toContain(BUTTON);
    const rows = rowsOf().slice(before);
    expect(rows.map((r) => JSON.parse(r.flags).includes("several_children"))).toEqual([false, true]);
    expect(rows.map((r) => r.grade)).toEqual([2, 7]);
    expect(browserErrors).toEqual([]);
    await context.close();
  });

  it("the city's review page counts several_children with the other flags (1440 px)", async () => {
    const keys = createKeys(loadSecrets(loadConfig({ DATA_DIR: dataDir })));
    const city = demoCredentials(keys).find((c) => c.username === "demo-city");
    if (!city) throw new Error("no demo-city account");
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: "zh-CN", timezoneId: "Asia/Shanghai" });
    const page = watch(await context.newPage());
    await page.goto(`${baseUrl}/login`);
    await page.fill("input[name=username]", city.username);
    await page.fill("input[name=password]", city.password);
    await Promise.all([page.waitForURL((u) => u.pathname.startsWith("/admin")), page.click("button[type=submit]")]);
    await page.goto(`${baseUrl}/admin/campaigns/zw2026/counties/640502/review`);
    const totals = await page.getByRole("list", { name: "按标记统计" }).innerText();
    // Children 2 and 3 of the first phone, child 2 of the second and of the third: four questionnaires.
    expect(totals).toContain("同一手机为同一学校的多个孩子填写（本份为第2个及以后的孩子）：4 份");
    await shot(page, "7-review-1440");
    expect(browserErrors).toEqual([]);
    await context.close();
  });
});
