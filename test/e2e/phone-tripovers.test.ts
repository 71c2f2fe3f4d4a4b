/**
 * Issue 16 item 5 — what a person trips over on the parent's phone page, tried again in Debian's
 * Chromium at 320 and 390 px with Android and WeChat user agents, in 大字 mode and with the phone's
 * font at 130%. The font setting is emulated as Android WebView's text zoom does it: every
 * element's computed font size multiplied by 1.3 (px sizes included, which a root font-size
 * would not touch). Screenshots go to /tmp/wip/phone-*.png for a person to look at.
 *
 * This file starts its own server with SUPPORT_CONTACT and ICP_BEIAN set (the shared one has
 * neither, and is used to check that nothing is shown then).
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { startServerProcess, type ServerProcess } from "../../scripts/lib/server-process";
import { launchChromium } from "./browser";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const SHOTS = "/tmp/wip";
const CONTACT = "沙坡头区教育局督导室 0955-7012345";
const ICP = "宁ICP备12345678号-1";

const UA = {
  android: "Mozilla/5.0 (Linux; Android 9; Redmi 7A) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/86.0.4240.110 Mobile Safari/537.36",
  wechat:
    "Mozilla/5.0 (Linux; Android 10; V2031A Build/QP1A.190711.020; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/107.0.5304.141 Mobile Safari/537.36 MicroMessenger/8.0.40.2420(0x28002837) WeChat/arm64 Weixin NetType/4G Language/zh_CN ABI/arm64",
};

interface Profile {
  name: string;
  width: number;
  ua: keyof typeof UA;
  large: boolean;
  zoom: number;
}

const PROFILES: Profile[] = [
  { name: "320-android-large", width: 320, ua: "android", large: true, zoom: 1 },
  { name: "320-wechat-font130", width: 320, ua: "wechat", large: false, zoom: 1.3 },
  { name: "320-wechat-large-font130", width: 320, ua: "wechat", large: true, zoom: 1.3 },
  { name: "390-wechat-large-font130", width: 390, ua: "wechat", large: true, zoom: 1.3 },
  { name: "390-android", width: 390, ua: "android", large: false, zoom: 1 },
];

interface LinkLine {
  school: string;
  questionnaire: string;
  url: string;
}

function linksOf(dataDir: string, publicUrl: string): LinkLine[] {
  const stdout = execFileSync(process.execPath, ["--import", "tsx", "scripts/links.ts"], {
    cwd: ROOT,
    env: { ...process.env, DATA_DIR: dataDir, PUBLIC_URL: publicUrl, LOG_LEVEL: "warn" },
    encoding: "utf8",
  });
  return stdout
    .trimEnd()
    .split("\n")
    .map((line) => {
      const [, school = "", questionnaire = "", url = ""] = line.split("\t");
      return { school, questionnaire, url };
    });
}

let browser: Browser;
let server: ServerProcess;
let links: LinkLine[];
let used = 0;

/** A school link of that questionnaire that no earlier test has answered. */
function freshLink(questionnaire: string): { school: string; url: string } {
  const all = links.filter((l) => l.questionnaire === questionnaire && l.school !== "");
  const found = all[used++ % all.length];
  if (!found) throw new Error(`no ${questionnaire} link`);
  return found;
}

function stored(dataDir: string, key: string): number {
  const conn = new Database(path.join(dataDir, "survey.sqlite"), { readonly: true });
  const row = conn.prepare("select count(*) as n from responses where idempotency_key = ?").get(key) as { n: number };
  conn.close();
  return row.n;
}

async function phone(profile: Pick<Profile, "width" | "ua">): Promise<BrowserContext> {
  return browser.newContext({
    viewport: { width: profile.width, height: profile.width === 320 ? 640 : 844 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale: "zh-CN",
    timezoneId: "Asia/Shanghai",
    userAgent: UA[profile.ua],
  });
}

/** Android WebView's text zoom: every element's font size × factor, computed before any change. */
async function textZoom(page: Page, factor: number): Promise<void> {
  if (factor === 1) return;
  await page.evaluate((f) => {
    const els = Array.from(document.querySelectorAll<HTMLElement>("body, body *"));
    const sizes = els.map((e) => parseFloat(getComputedStyle(e).fontSize));
    els.forEach((e, i) => e.style.setProperty("font-size", `${(sizes[i] ?? 16) * f}px`, "important"));
  }, factor);
}

async function open(page: Page, url: string, profile: Pick<Profile, "large" | "zoom">): Promise<void> {
  await page.goto(url);
  await page.locator("fieldset[data-q]").first().waitFor();
  if (profile.large) {
    await page.locator("#text-size").tap();
    await expect.poll(() => page.locator(".fast").getAttribute("class")).toContain("large");
  }
  await textZoom(page, profile.zoom);
}

async function shot(page: Page, name: string, fullPage = false): Promise<void> {
  await page.screenshot({ path: path.join(SHOTS, `phone-${name}.png`), fullPage });
}

/** Taps the option with that text in every required question (the first option where absent). */
async function answerAll(page: Page, text: string): Promise<void> {
  const qs = page.locator("fieldset[data-q][data-required]");
  const n = await qs.count();
  for (let i = 0; i < n; i++) {
    const q = qs.nth(i);
    const option = q.locator("label.opt", { hasText: new RegExp(`^${text}$`) });
    await ((await option.count()) > 0 ? option.first() : q.locator("label.opt").first()).tap();
  }
}

/** Where the sticky progress bar is, and whether it covers the 提交问卷 button. */
async function buttonVersusBar(page: Page): Promise<{ button: { top: number; bottom: number }; bar: { top: number; bottom: number }; covered: boolean }> {
  return page.evaluate(() => {
    const b = document.querySelector(".button--submit")!.getBoundingClientRect();
    const d = document.getElementById("progress-dock")!.getBoundingClientRect();
    return { button: { top: b.top, bottom: b.bottom }, bar: { top: d.top, bottom: d.bottom }, covered: b.bottom > d.top && b.top < d.bottom };
  });
}

/** Scrolls the page's scrolling area so that `selector` starts `offset` px below its top. */
async function scrollTo(page: Page, selector: string, offset: number): Promise<void> {
  await page.evaluate(
    ([sel, off]) => {
      const area = document.getElementById("fast-scroll")!;
      area.scrollTop += document.querySelector(sel)!.getBoundingClientRect().top - area.getBoundingClientRect().top - off;
    },
    [selector, offset] as const,
  );
}

/** The bar sits below the scrolling area, inside the screen: nothing in the page can be under it. */
async function barBesidePage(page: Page): Promise<void> {
  const r = await page.evaluate(() => {
    const area = document.getElementById("fast-scroll")!.getBoundingClientRect();
    const bar = document.getElementById("progress-dock")!.getBoundingClientRect();
    return {
      areaBottom: area.bottom,
      barTop: bar.top,
      barBottom: bar.bottom,
      height: window.innerHeight,
      docScrolls: document.documentElement.scrollHeight > window.innerHeight + 1,
    };
  });
  expect(r.barTop).toBeGreaterThanOrEqual(r.areaBottom - 0.5);
  expect(r.barBottom).toBeLessThanOrEqual(r.height + 0.5);
  expect(r.docScrolls).toBe(false);
}

/** Scrolls so that 提交问卷 sits just above the progress bar at the bottom of the screen. */
async function buttonJustAboveBar(page: Page): Promise<void> {
  await barBesidePage(page);
  await page.evaluate(() => {
    const area = document.getElementById("fast-scroll")!;
    const button = document.querySelector(".button--submit")!.getBoundingClientRect();
    area.scrollTop += Math.ceil(button.bottom - area.getBoundingClientRect().bottom + 2);
  });
  const before = await buttonVersusBar(page);
  expect(before.covered).toBe(false);
  expect(before.bar.bottom).toBeCloseTo((await page.viewportSize())!.height, 0);
}

beforeAll(async () => {
  fs.mkdirSync(SHOTS, { recursive: true });
  browser = await launchChromium();
  server = await startServerProcess({ SUPPORT_CONTACT: CONTACT, ICP_BEIAN: ICP });
  links = linksOf(server.dataDir, server.baseUrl);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe("the phone page at 320–390 px, 大字 and the phone's font at 130%", () => {
  for (const profile of PROFILES) {
    it(`${profile.name}: one column of options, no choice broken, each circle inside its box, nothing wider than the screen`, async () => {
      const context = await phone(profile);
      const page = await context.newPage();
      await open(page, freshLink("社会卷").url, profile);
      const qs = page.locator("fieldset[data-q]");
      const n = await qs.count();
      const problems: string[] = [];
      for (let i = 0; i < n; i++) {
        const q = qs.nth(i);
        await q.scrollIntoViewIfNeeded();
        const found = await q.evaluate((fs) => {
          const out: string[] = [];
          const opts = Array.from(fs.querySelectorAll<HTMLLabelElement>("label.opt"));
          const lefts = new Set(opts.map((o) => Math.round(o.getBoundingClientRect().left)));
          if (opts.length && lefts.size !== 1) out.push(`${fs.id}: options in ${lefts.size} columns`);
          for (const o of opts) {
            const span = o.querySelector("span")!;
            const input = o.querySelector("input")!;
            const s = span.getBoundingClientRect();
            const r = input.getBoundingClientRect();
            if (r.left < s.left || r.right > s.right || r.top < s.top || r.bottom > s.bottom) out.push(`${fs.id} ${span.textContent}: circle outside its box`);
            const range = document.createRange();
            range.selectNodeContents(span);
            const tops = new Set(Array.from(range.getClientRects()).map((x) => Math.round(x.top)));
            if (tops.size !== 1) out.push(`${fs.id} ${span.textContent}: broken over ${tops.size} lines`);
          }
          return out;
        });
        problems.push(...found);
      }
      expect(problems).toEqual([]);
      expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
      await barBesidePage(page);
      await scrollTo(page, "#q-grade", 8);
      await shot(page, `${profile.name}-grade`);
      await scrollTo(page, "#q-moral", 8);
      await shot(page, `${profile.name}-options`);
      // Scrolled mid-question: the last option is cut off at the bar's edge, not drawn under it.
      await scrollTo(page, "#q-equity", 40);
      await barBesidePage(page);
      await shot(page, `${profile.name}-mid-scroll`);
      await context.close();
    });
  }
});

describe("without JavaScript (320 px, Android)", () => {
  it("the page scrolls as an ordinary page with no bar, one column, the footer at its end, and the post still goes through", async () => {
    const context = await browser.newContext({
      viewport: { width: 320, height: 640 },
      isMobile: true,
      hasTouch: true,
      locale: "zh-CN",
      userAgent: UA.android,
      javaScriptEnabled: false,
    });
    const page = await context.newPage();
    const link = freshLink("社会卷");
    await page.goto(link.url);
    expect(await page.locator("#progress-dock").isVisible()).toBe(false);
    expect(await page.evaluate(() => document.documentElement.className.includes("docked"))).toBe(false);
    expect(await page.evaluate(() => document.documentElement.scrollHeight > window.innerHeight)).toBe(true);
    const lefts = await page.locator("#q-moral label.opt").evaluateAll((els) => new Set(els.map((e) => Math.round(e.getBoundingClientRect().left))).size);
    expect(lefts).toBe(1);
    expect(await page.locator(".survey-footer__contact").innerText()).toBe(`如有疑问，请联系：${CONTACT}`);
    await answerAll(page, "满意");
    await page.getByRole("button", { name: "提交问卷" }).tap();
    await page.waitForURL(/\/done$/);
    expect(await page.locator("main").innerText()).toContain("如果您还有孩子在其他学校就读");
    await context.close();
  });
});

describe("an early 提交, then answering everything (320 px, WeChat, font at 130%)", () => {
  it("the red 还有 N 题 line and the errors go once all is answered; the grade error has no 不了解; progress reads 14/14 with the comment empty", async () => {
    const profile = PROFILES[1]!;
    const context = await phone(profile);
    const page = await context.newPage();
    await open(page, freshLink("社会卷").url, profile);
    await page.getByRole("button", { name: "提交问卷" }).tap();
    const status = page.locator("#submit-status");
    await expect.poll(() => status.innerText()).toBe("还有 14 题未作答，请补全后再提交。");
    expect(await page.locator("#q-grade .q__err").innerText()).toBe("请选择一项");
    expect(await page.locator("#q-moral .q__err").innerText()).toBe("请选择一项（不清楚可选“不了解”）");
    // The first question missing is scrolled to, and its message (under its title) is on the
    // screen above the bar, though the question is taller than the screen.
    const seen = await page.evaluate(() => {
      const err = document.querySelector("#q-grade .q__err")!.getBoundingClientRect();
      const bar = document.getElementById("progress-dock")!.getBoundingClientRect();
      const q = document.getElementById("q-grade")!.getBoundingClientRect();
      return { errTop: err.top, errBottom: err.bottom, barTop: bar.top, qTop: q.top, qTaller: q.height > bar.top };
    });
    expect(seen.qTop).toBeGreaterThanOrEqual(-1);
    expect(seen.qTaller).toBe(true);
    expect(seen.errTop).toBeGreaterThanOrEqual(0);
    expect(seen.errBottom).toBeLessThanOrEqual(seen.barTop);
    await shot(page, "early-submit-errors");
    await answerAll(page, "比较满意");
    expect(await status.isVisible()).toBe(false);
    expect(await status.innerText()).toBe("");
    expect(await page.locator(".q--error, .q__err").count()).toBe(0);
    expect(await page.locator("#progress-dock .progress__text").innerText()).toBe("已答 14/14 题，可以提交了");
    expect(await page.locator("#progress-dock .progress__fill").evaluate((el) => (el as HTMLElement).style.width)).toBe("100%");
    await page.locator("textarea").fill("希望多开展课外活动");
    expect(await page.locator("#progress-dock .progress__text").innerText()).toBe("已答 14/14 题，可以提交了");
    await buttonJustAboveBar(page);
    await shot(page, "all-answered");
    await context.close();
  });

  it("one answer left: the line counts down to it and says 1 题", async () => {
    const profile = PROFILES[0]!;
    const context = await phone(profile);
    const page = await context.newPage();
    await open(page, freshLink("社会卷").url, profile);
    await page.locator("#q-moral label.opt").first().tap();
    await page.getByRole("button", { name: "提交问卷" }).tap();
    await expect.poll(() => page.locator("#submit-status").innerText()).toBe("还有 13 题未作答，请补全后再提交。");
    const qs = page.locator("fieldset[data-q][data-required]");
    for (let i = 0; i < (await qs.count()); i++) {
      const q = qs.nth(i);
      if ((await q.getAttribute("data-q")) === "overall" || (await q.locator("input:checked").count()) > 0) continue;
      await q.locator("label.opt").first().tap();
    }
    expect(await page.locator("#submit-status").innerText()).toBe("还有 1 题未作答，请补全后再提交。");
    expect(await page.locator("#progress-dock .progress__text").innerText()).toBe("已答 13/14 题");
    await page.locator("#q-overall label.opt").first().tap();
    expect(await page.locator("#submit-status").isVisible()).toBe(false);
    await context.close();
  });
});

describe("offline at 提交 (390 px, WeChat, 大字 and font at 130%)", () => {
  it("keeps waiting for minutes (not just 31 s), never covers 提交问卷 with the bar, and goes by itself when the network is back — stored once", async () => {
    const profile = PROFILES[3]!;
    const context = await phone(profile);
    const page = await context.newPage();
    await page.clock.install();
    await open(page, freshLink("社会卷").url, profile);
    const key = await page.locator("input[name=_key]").inputValue();
    await answerAll(page, "满意");
    await buttonJustAboveBar(page);
    await context.setOffline(true);
    await page.getByRole("button", { name: "提交问卷" }).tap();
    const status = page.locator("#submit-status");
    await expect.poll(() => status.innerText()).toBe("手机没有网络。答案已保存在手机上，有网络时会自动提交。");
    // The message grew above the button: the button was moved up, not pushed under the bar.
    expect((await buttonVersusBar(page)).covered).toBe(false);
    await shot(page, "offline-message");
    await page.clock.runFor(5 * 60_000);
    expect(await status.innerText()).toBe("手机没有网络。答案已保存在手机上，有网络时会自动提交。");
    expect((await buttonVersusBar(page)).covered).toBe(false);
    expect(stored(server.dataDir, key)).toBe(0);
    await context.setOffline(false);
    await page.waitForURL(/\/done$/, { timeout: 30_000 });
    expect(stored(server.dataDir, key)).toBe(1);
    await context.close();
  });

  it("a refusal's message above the button does not push it under the bar either (320 px, font at 130%)", async () => {
    const profile = PROFILES[2]!;
    const context = await phone(profile);
    const page = await context.newPage();
    await open(page, freshLink("社会卷").url, profile);
    await answerAll(page, "基本满意");
    await buttonJustAboveBar(page);
    await page.route("**/submit", (route) =>
      route.fulfill({
        status: 403,
        contentType: "application/json",
        body: JSON.stringify({ ok: false, error: "closed", message: "本次调查已于12月31日结束，感谢您的关注。如有疑问请联系学校或县教育局。" }),
      }),
    );
    await page.getByRole("button", { name: "提交问卷" }).tap();
    await expect.poll(() => page.locator("#submit-status").innerText()).toContain("本次调查已于12月31日结束");
    const placed = await buttonVersusBar(page);
    expect(placed.covered).toBe(false);
    expect(placed.button.top).toBeGreaterThanOrEqual(0);
    await shot(page, "refused-message");
    await context.close();
  });
});

describe("the thank-you and 已提交 pages, the share title, the contact line and ICP 备案", () => {
  const cases = [
    { questionnaire: "社会卷", audience: "家长", otherChild: true, you: "您" },
    { questionnaire: "校长教师卷", audience: "校长、教师", otherChild: false, you: "您" },
    { questionnaire: "学生卷", audience: "学生", otherChild: false, you: "你" },
  ];
  for (const c of cases) {
    it(`${c.questionnaire}: titled 「<学校> 满意度调查（${c.audience}）」, thanked in its own words, with the contact line and ICP footer`, async () => {
      const context = await phone({ width: 390, ua: "wechat" });
      const page = await context.newPage();
      const link = freshLink(c.questionnaire);
      await page.goto(link.url);
      expect(await page.title()).toBe(`${link.school} 满意度调查（${c.audience}）`);
      expect(await page.locator('meta[property="og:title"]').getAttribute("content")).toBe(`${link.school} 满意度调查（${c.audience}）`);
      expect(await page.locator(".survey-footer__contact").innerText()).toBe(`如有疑问，请联系：${CONTACT}`);
      expect(await page.locator(".survey-footer__icp a").innerText()).toBe(ICP);
      expect(await page.locator(".survey-footer__icp a").getAttribute("href")).toBe("https://beian.miit.gov.cn/");
      expect(await page.locator(".survey-footer__tel").getAttribute("href")).toBe("tel:09557012345");
      await answerAll(page, "满意");
      await page.getByRole("button", { name: "提交问卷" }).tap();
      await page.waitForURL(/\/done$/);
      const done = await page.locator("main").innerText();
      expect(done.includes("如果您还有孩子在其他学校就读")).toBe(c.otherChild);
      expect(done.includes(c.you)).toBe(true);
      expect(await page.locator(".survey-footer").innerText()).toContain(ICP);
      await shot(page, `done-${c.audience.replace("、", "")}`, true);
      await page.goto(link.url);
      await page.getByRole("heading", { name: "已提交" }).waitFor();
      const again = await page.locator("main").innerText();
      expect(again.includes("孩子")).toBe(c.otherChild);
      expect(await page.locator(".survey-footer__contact").innerText()).toBe(`如有疑问，请联系：${CONTACT}`);
      await shot(page, `already-${c.audience.replace("、", "")}`, true);
      await context.close();
    });
  }

  it("a broken or closed link's page says who to call too", async () => {
    const context = await phone({ width: 320, ua: "wechat" });
    const page = await context.newPage();
    const response = await page.goto(`${server.baseUrl}/s/not-a-real-link`);
    expect(response!.status()).toBeGreaterThanOrEqual(400);
    expect(await page.locator("h1").first().innerText()).not.toBe("");
    expect(await page.locator(".survey-footer__contact").innerText()).toBe(`如有疑问，请联系：${CONTACT}`);
    expect(await page.locator(".survey-footer__icp a").innerText()).toBe(ICP);
    await shot(page, "broken-link", true);
    await context.close();
  });

  it("without SUPPORT_CONTACT and ICP_BEIAN (the shared server) there is no footer at all, not a placeholder", async () => {
    const baseUrl = inject("baseUrl");
    const shared = linksOf(inject("dataDir"), baseUrl).find((l) => l.questionnaire === "社会卷" && l.school !== "");
    const context = await phone({ width: 390, ua: "android" });
    const page = await context.newPage();
    await page.goto(shared!.url);
    await page.locator("fieldset[data-q]").first().waitFor();
    expect(await page.locator(".survey-footer").count()).toBe(0);
    const html = await page.content();
    expect(html).not.toMatch(/ICP|如有疑问/);
    await page.goto(`${baseUrl}/s/not-a-real-link`);
    expect(await page.locator(".survey-footer").count()).toBe(0);
    await context.close();
  });
});
