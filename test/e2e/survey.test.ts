/**
 * A parent, end to end, in Debian's Chromium at 390×844 (zh-CN): open a link printed by
 * `npm run links`, answer every question by tapping, submit, see the thank-you page, reopen the
 * link and see 已提交 — then check the row in the database. Screenshots go to test/artifacts/.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { launchChromium, phoneContext } from "./browser";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const ARTIFACTS = path.join(ROOT, "test", "artifacts");
const baseUrl = inject("baseUrl");
const dataDir = inject("dataDir");

interface LinkLine {
  county: string;
  school: string;
  questionnaire: string;
  url: string;
}

/** `npm run links` against the e2e server's DATA_DIR: its raw stdout and parsed lines. */
function npmRunLinks(): { stdout: string; lines: LinkLine[] } {
  const stdout = execFileSync(process.execPath, ["--import", "tsx", "scripts/links.ts"], {
    cwd: ROOT,
    env: { ...process.env, DATA_DIR: dataDir, PUBLIC_URL: baseUrl, LOG_LEVEL: "warn" },
    encoding: "utf8",
  });
  const lines = stdout
    .trimEnd()
    .split("\n")
    .map((line) => {
      const [county = "", school = "", questionnaire = "", url = ""] = line.split("\t");
      return { county, school, questionnaire, url };
    });
  return { stdout, lines };
}

function link(lines: LinkLine[], school: string, questionnaire: string): string {
  const found = lines.find((l) => l.school === school && l.questionnaire === questionnaire);
  if (!found) throw new Error(`no link for ${school} ${questionnaire}`);
  return found.url;
}

function db(): Database.Database {
  return new Database(path.join(dataDir, "survey.sqlite"), { readonly: true });
}

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
}

/** Taps one option in every question on the current page; `choose` picks by question title. */
async function answerPage(page: Page, choose: (title: string, index: number) => string, comment: string, from = 0): Promise<void> {
  const questions = page.locator(".sd-page .sd-question");
  const n = await questions.count();
  for (let i = from; i < n; i++) {
    const q = questions.nth(i);
    const title = (await q.locator(".sd-question__title").innerText()).trim();
    if ((await q.locator("textarea").count()) > 0) {
      await q.locator("textarea").tap();
      await q.locator("textarea").fill(comment);
      continue;
    }
    await q
      .locator(".sd-item__control-label", { hasText: new RegExp(`^${choose(title, i)}$`) })
      .first()
      .tap();
  }
}

async function nextOrSubmit(page: Page): Promise<"next" | "submit"> {
  const next = page.locator("input.sd-navigation__next-btn, button.sd-navigation__next-btn, .sd-navigation__next-btn input");
  if (
    await next
      .first()
      .isVisible()
      .catch(() => false)
  ) {
    await next.first().tap();
    return "next";
  }
  await page.locator(".sd-navigation__complete-btn").first().tap();
  return "submit";
}

/** The text of the first element matching `selector`, once it is on the page. */
async function textOf(page: Page, selector: string): Promise<string> {
  const el = page.locator(selector).first();
  await el.waitFor();
  return (await el.innerText()).trim();
}

/** Taps an option in every question of the phone form; `choose` picks by question title. */
async function answerForm(page: Page, choose: (title: string, index: number) => string, comment: string, skip: readonly string[] = []): Promise<void> {
  const questions = page.locator("fieldset[data-q]");
  const n = await questions.count();
  for (let i = 0; i < n; i++) {
    const q = questions.nth(i);
    if (skip.includes((await q.getAttribute("data-q")) ?? "")) continue;
    const title = (await q.locator("legend").innerText()).trim();
    if ((await q.locator("textarea").count()) > 0) {
      if (comment) await q.locator("textarea").fill(comment);
      continue;
    }
    await q
      .locator("label.opt", { hasText: new RegExp(`^${choose(title, i)}$`) })
      .first()
      .tap();
  }
}

async function stored(where: string): Promise<Array<Record<string, unknown>>> {
  const conn = db();
  const rows = conn.prepare(`select * from responses where ${where}`).all() as Array<Record<string, unknown>>;
  conn.close();
  return rows;
}

const SCALE = ["满意", "比较满意", "满意", "基本满意", "满意", "不了解", "比较满意"];

let browser: Browser;
let links: LinkLine[];

beforeAll(async () => {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  browser = await launchChromium();
  links = npmRunLinks().lines;
});

afterAll(async () => {
  await browser?.close();
});

describe("npm run links", () => {
  it("prints one tab-separated line per link and nothing else", () => {
    const { stdout, lines } = npmRunLinks();
    expect(stdout.endsWith("\n")).toBe(true);
    // 27 demo schools: 社会卷 + 校长教师卷 + 学生卷 each, and one county-level link per county.
    expect(lines).toHaveLength(27 * 3 + 3);
    for (const l of lines) {
      expect(l.url.startsWith(`${baseUrl}/s/`)).toBe(true);
      expect(["社会卷", "校长教师卷", "学生卷"]).toContain(l.questionnaire);
    }
    expect(lines.filter((l) => l.school === "")).toHaveLength(3);
    expect(lines.filter((l) => l.school === "").every((l) => l.questionnaire === "社会卷")).toBe(true);
  });
});

describe("a parent answers on a phone (the server-rendered form)", () => {
  it("answers every question by tapping, submits, sees the thank-you page, then 已提交 on reopening", async () => {
    const url = link(links, "沙坡头区第一小学（演示）", "社会卷");
    const context = await phoneContext(browser);
    const page = await context.newPage();
    const requested: string[] = [];
    page.on("request", (r) => requested.push(r.url()));
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));

    await page.goto(url);
    expect(page.url()).toBe(url);
    expect(await textOf(page, ".notice")).toContain("匿名");
    await shot(page, "01-phone-form-top");
    await answerForm(
      page,
      (title, i) => (title.includes("年级") ? "三年级" : title.includes("总体来说") ? "比较满意" : (SCALE[i % SCALE.length] ?? "满意")),
      "希望学校多开展课外活动。",
    );
    expect(await textOf(page, "#progress-dock .progress__text")).toBe("已答 14/14 题，可以提交了");
    await shot(page, "02-phone-form-answered");
    await page.getByRole("button", { name: "提交问卷" }).tap();
    await page.waitForURL(/\/done$/);
    expect(await textOf(page, "h1.page-message__title")).toBe("提交成功，感谢您的参与！");
    await shot(page, "03-thank-you");

    await page.goto(url);
    expect(await textOf(page, "h1.page-message__title")).toBe("已提交");
    await shot(page, "04-already-submitted");

    expect(errors).toEqual([]);
    // No request to any host but ours (no CDN, no web fonts), and no framework script at all.
    expect(requested.filter((u) => !u.startsWith(baseUrl))).toEqual([]);
    expect(requested.filter((u) => u.endsWith(".js"))).toEqual([]);

    const rows = await stored("school_id = 'spt01' and questionnaire_id = 'social'");
    expect(rows).toHaveLength(1);
    const row = rows[0]!;
    expect(row.respondent_group).toBe("parent");
    expect(row.grade).toBe(3);
    expect(row.overall_score).toBe(4);
    expect(row.comment).toBe("希望学校多开展课外活动。");
    expect(Object.keys(JSON.parse(String(row.answers))).sort()).toEqual(
      [
        "admission",
        "comment",
        "conduct",
        "equity",
        "exam_reform",
        "gap",
        "government",
        "grade",
        "homework",
        "moral",
        "overall",
        "pe_arts_labour",
        "quality_ed",
        "safety",
        "teachers",
      ].sort(),
    );
    expect(Number(row.duration_ms)).toBeGreaterThan(0);
    await context.close();
  });

  it("works on an old WebView (Chrome 61 / Safari 12): without AbortController, structuredClone and the newer built-ins, and without fetch", async () => {
    // What engines older than the build targets' newest features lack (issue 16 item 9): the
    // submit then runs without its per-attempt abort, and without fetch the form posts itself.
    const strip = (extra: string) => `(() => {
      const drop = (o, k) => { try { Object.defineProperty(o, k, { value: undefined, configurable: true, writable: true }); delete o[k]; } catch (e) {} };
      ["AbortController", "AbortSignal", "structuredClone", "queueMicrotask", "ResizeObserver", "IntersectionObserver"].forEach((k) => drop(window, k));
      drop(Object, "fromEntries"); drop(Array.prototype, "flat"); drop(Array.prototype, "flatMap"); drop(Array.prototype, "at");
      drop(String.prototype, "replaceAll"); drop(String.prototype, "at"); drop(Promise, "allSettled"); drop(Promise, "any");
      ${extra}
    })();`;
    for (const [school, extra, grade] of [
      ["沙坡头区宣和镇中心小学（演示）", "", "五年级"],
      ["海原县第三小学（演示）", 'drop(window, "fetch");', "六年级"],
    ] as const) {
      const context = await phoneContext(browser);
      await context.addInitScript({ content: strip(extra) });
      const page = await context.newPage();
      const errors: string[] = [];
      page.on("pageerror", (e) => errors.push(e.message));
      const url = link(links, school, "社会卷");
      await page.goto(url);
      expect(await page.evaluate(() => typeof (window as { AbortController?: unknown }).AbortController)).toBe("undefined");
      await answerForm(page, (title) => (title.includes("年级") ? grade : "满意"), "");
      await page.getByRole("button", { name: "提交问卷" }).tap();
      await page.waitForURL(/\/done$/);
      expect(await textOf(page, "h1.page-message__title")).toBe("提交成功，感谢您的参与！");
      expect(errors).toEqual([]);
      const id = school.startsWith("沙坡头区") ? "spt05" : "hy02";
      expect(await stored(`school_id = '${id}' and questionnaire_id = 'social'`)).toHaveLength(1);
      await context.close();
    }
  });

  it("works with JavaScript disabled: the browser checks required questions, the server stores once", async () => {
    const url = link(links, "中宁县第一小学（演示）", "社会卷");
    const context = await phoneContext(browser, { javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(url);
    // Submitting with a question unanswered: the browser's own required check keeps the page.
    await answerForm(page, (title) => (title.includes("年级") ? "二年级" : "满意"), "", ["overall"]);
    await page.getByRole("button", { name: "提交问卷" }).tap();
    expect(page.url()).toBe(url);
    await page.locator("#q-overall label.opt", { hasText: /^基本满意$/ }).tap();
    await page.getByRole("button", { name: "提交问卷" }).tap();
    await page.waitForURL(/\/done$/);
    expect(await textOf(page, "h1.page-message__title")).toBe("提交成功，感谢您的参与！");
    await shot(page, "05-no-js-thank-you");
    await page.goto(url);
    expect(await textOf(page, "h1.page-message__title")).toBe("已提交");
    const rows = await stored("school_id = 'zn01' and questionnaire_id = 'social'");
    expect(rows).toHaveLength(1);
    expect(rows[0]?.grade).toBe(2);
    expect(rows[0]?.overall_score).toBe(3);
    await context.close();
  });

  it("shows the server's refusal in place when a no-JavaScript post is wrong, keeping the answers", async () => {
    const url = link(links, "中宁县第三小学（演示）", "社会卷");
    const context = await phoneContext(browser, { javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(url);
    await answerForm(page, (title) => (title.includes("年级") ? "四年级" : "比较满意"), "");
    // A stale page: the start time no longer verifies (as if the form had been kept open for months).
    await page.route(url, async (route) => {
      const body = route.request().postData();
      await route.continue(body ? { postData: body.replace(/_started=[^&]*/, "_started=zz.AAAAAAAAAAAAAAAAAAAAAA") } : {});
    });
    const posted = page.waitForResponse((r) => r.request().method() === "POST");
    await page.getByRole("button", { name: "提交问卷" }).tap();
    expect((await posted).status()).toBe(400);
    await page.waitForLoadState();
    await page.unroute(url);
    const message = await textOf(page, "#form-message");
    expect(message).toContain("页面已过期");
    expect(await page.locator("#q-grade input[value='4']").isChecked()).toBe(true);
    await shot(page, "06-no-js-refused");
    // Submitting again from the re-rendered form (fresh start time) goes through.
    await page.getByRole("button", { name: "提交问卷" }).tap();
    await page.waitForURL(/\/done$/);
    expect(await stored("school_id = 'zn02' and questionnaire_id = 'social'")).toHaveLength(1);
    await context.close();
  });

  it("keeps answers through a reload, never over a newer tap, and stores a flaky-network submission once", async () => {
    const url = link(links, "沙坡头区第五小学（演示）", "社会卷");
    const context = await phoneContext(browser);
    const page = await context.newPage();
    await page.goto(url);
    await page.locator("#q-grade label.opt", { hasText: /^五年级$/ }).tap();
    await page.locator("#q-moral label.opt", { hasText: /^不满意$/ }).tap();
    await page.locator("#q-equity label.opt", { hasText: /^满意$/ }).tap();
    const key = await page.locator("input[name=_key]").inputValue();

    await page.reload();
    expect(await page.locator("#q-grade input[value='5']").isChecked()).toBe(true);
    expect(await page.locator("#q-moral input[value='不满意']").isChecked()).toBe(true);
    expect(await page.locator("input[name=_key]").inputValue()).toBe(key);
    expect(await textOf(page, "#progress-dock .progress__text")).toBe("已答 3/14 题");
    await shot(page, "07-draft-restored");

    // The first two submissions reach the server but their answers are lost on the way back.
    let dropped = 0;
    await page.route("**/submit", async (route) => {
      if (dropped < 2) {
        dropped++;
        await route.fetch();
        await route.abort("connectionreset");
        return;
      }
      await route.continue();
    });
    await answerForm(page, () => "满意", "", ["grade", "moral", "equity"]);
    await page.getByRole("button", { name: "提交问卷" }).tap();
    await page.waitForURL(/\/done$/, { timeout: 30_000 });
    expect(dropped).toBe(2);
    const rows = await stored("school_id = 'spt02' and questionnaire_id = 'social'");
    expect(rows).toHaveLength(1);
    expect(JSON.parse(String(rows[0]?.answers)).moral).toBe("不满意");
    expect(rows[0]?.idempotency_key).toBe(key);
    await context.close();
  });

  it("never hangs at 提交: a request held open is abandoned after 20 s and retried with the same key; a second tap sends nothing more", async () => {
    const url = link(links, "沙坡头区永康镇永丰小学（演示）", "社会卷");
    const context = await phoneContext(browser);
    const page = await context.newPage();
    await page.clock.install();
    await page.goto(url);
    const key = await page.locator("input[name=_key]").inputValue();
    // The first attempt reaches nothing: the request is held open, as by a dead cell link.
    const held: Array<{ abort(): Promise<void> }> = [];
    let sent = 0;
    await page.route("**/submit", async (route) => {
      sent++;
      if (sent === 1) {
        held.push(route);
        return;
      }
      await route.continue();
    });
    await answerForm(page, (title) => (title.includes("年级") ? "四年级" : "满意"), "");
    await page.getByRole("button", { name: "提交问卷" }).tap();
    await expect.poll(() => page.locator("#submit-status").innerText()).toBe("正在提交，请稍候…");
    await page.getByRole("button", { name: "提交问卷" }).tap();
    await page.clock.runFor(19_000);
    expect(sent).toBe(1);
    expect(await page.locator("#submit-status").innerText()).toBe("正在提交，请稍候…");
    await page.clock.runFor(1_000);
    await expect.poll(() => page.locator("#submit-status").innerText()).toBe("网络不好，正在重试（第2次）…");
    await shot(page, "07b-submit-retrying");
    await page.clock.runFor(1_000);
    await page.waitForURL(/\/done$/, { timeout: 30_000 });
    expect(sent).toBe(2);
    const rows = await stored(`idempotency_key = '${key.replace(/'/g, "''")}'`);
    expect(rows).toHaveLength(1);
    for (const route of held) await route.abort().catch(() => {});
    await context.close();
  });

  it("offline at 提交: says the answers are kept on the phone, and submits by itself when the network is back", async () => {
    const url = link(links, "海原县三河镇中心小学（演示）", "社会卷");
    const context = await phoneContext(browser);
    const page = await context.newPage();
    await page.goto(url);
    const key = await page.locator("input[name=_key]").inputValue();
    await answerForm(page, (title) => (title.includes("年级") ? "六年级" : "比较满意"), "");
    await context.setOffline(true);
    await page.getByRole("button", { name: "提交问卷" }).tap();
    await expect.poll(() => page.locator("#submit-status").innerText()).toContain("已保存在手机上，有网络时会自动提交");
    await shot(page, "07c-submit-offline");
    expect(await stored(`idempotency_key = '${key.replace(/'/g, "''")}'`)).toHaveLength(0);
    await context.setOffline(false);
    await page.waitForURL(/\/done$/, { timeout: 30_000 });
    expect(await stored(`idempotency_key = '${key.replace(/'/g, "''")}'`)).toHaveLength(1);
    await context.close();
  });

  it("keeps the answers when WeChat drops cookies and storage (the draft is in the address); the same answers sent again are flagged, not counted silently", async () => {
    const url = link(links, "中宁县宁安镇中心小学（演示）", "社会卷");
    const context = await phoneContext(browser);
    const page = await context.newPage();
    await page.goto(url);
    const seven: Record<string, string> = {
      grade: "二年级",
      moral: "比较满意",
      equity: "满意",
      teachers: "基本满意",
      safety: "满意",
      homework: "不满意",
      conduct: "满意",
    };
    for (const [q, option] of Object.entries(seven)) await page.locator(`#q-${q} label.opt`, { hasText: new RegExp(`^${option}$`) }).tap();
    expect(page.url()).toMatch(/#yz1\./);
    const addressWithDraft = page.url();

    // What WeChat does when the parent switches away and back: cookies and storage gone, the page
    // reloaded at its address.
    const loseEverything = async () => {
      await context.clearCookies();
      await page.evaluate(() => window.localStorage.clear());
    };
    await loseEverything();
    await page.reload();
    // The same address; the script may already have appended this page's renewal to the start token.
    expect(page.url().startsWith(addressWithDraft)).toBe(true);
    for (const [q, option] of Object.entries(seven)) {
      expect(
        await page
          .locator(`#q-${q} label.opt`, { hasText: new RegExp(`^${option}$`) })
          .locator("input")
          .isChecked(),
      ).toBe(true);
    }
    expect(await textOf(page, ".restored")).toContain("已恢复您上次填写的 7 题答案");
    expect(await textOf(page, "#progress-dock .progress__text")).toBe("已答 7/14 题");
    await shot(page, "07d-draft-from-address");

    const rest = async () => {
      await answerForm(page, () => "满意", "", Object.keys(seven));
      await page.getByRole("button", { name: "提交问卷" }).tap();
      await page.waitForURL(/\/done$/, { timeout: 30_000 });
    };
    await rest();
    const first = await stored("school_id = 'zn05' and questionnaire_id = 'social'");
    expect(first).toHaveLength(1);
    expect(JSON.parse(String(first[0]?.flags))).toContain("start_foreign");
    expect(JSON.parse(String(first[0]?.flags))).not.toContain("repeat_answers");

    // The thank-you page was lost too: the grandparent opens the address again and submits again.
    await loseEverything();
    await page.goto(addressWithDraft);
    expect(await textOf(page, ".restored")).toContain("7 题");
    await rest();
    const both = await stored("school_id = 'zn05' and questionnaire_id = 'social' order by id");
    expect(both).toHaveLength(2);
    expect(JSON.parse(String(both[1]?.flags))).toContain("repeat_answers");
    expect(JSON.parse(String(both[0]?.answers))).toEqual(JSON.parse(String(both[1]?.answers)));

    // A forwarded address: the recipient can clear what the sender had chosen.
    await loseEverything();
    await page.goto(addressWithDraft);
    await page.getByRole("button", { name: "不是我填的，清除重填" }).tap();
    expect(await textOf(page, "#progress-dock .progress__text")).toBe("已答 0/14 题");
    expect(page.url()).not.toContain("#yz1");
    await context.close();
  });

  it("is accessible: real labels and legends, readable contrast, a large-text mode", async () => {
    const url = link(links, "海原县西安镇园河小学（演示）", "学生卷");
    const context = await phoneContext(browser);
    const page = await context.newPage();
    await page.goto(url);
    const audit = await page.evaluate(() => {
      const luminance = (rgb: string) => {
        const [r, g, b] = (rgb.match(/[0-9.]+/g) ?? ["0", "0", "0"]).slice(0, 3).map((v) => {
          const c = Number(v) / 255;
          return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
        });
        return 0.2126 * (r ?? 0) + 0.7152 * (g ?? 0) + 0.0722 * (b ?? 0);
      };
      const background = (el: Element | null): string => {
        for (let e = el; e; e = e.parentElement) {
          const bg = getComputedStyle(e).backgroundColor;
          if (bg && !bg.startsWith("rgba(0, 0, 0, 0)") && bg !== "transparent") return bg;
        }
        return "rgb(255, 255, 255)";
      };
      const contrast = (el: Element) => {
        const a = luminance(getComputedStyle(el).color);
        const b = luminance(background(el));
        return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
      };
      const texts = [...document.querySelectorAll("legend, .opt span, .q__desc, .notice p, .survey-header__org, button")];
      return {
        radiosOutsideLabels: [...document.querySelectorAll("input[type=radio]")].filter((i) => !i.closest("label")).length,
        fieldsetsWithoutLegend: [...document.querySelectorAll("fieldset")].filter((f) => !f.querySelector("legend")).length,
        unlabelledText: [...document.querySelectorAll("textarea, input[type=text]")].filter((t) => !t.getAttribute("aria-label") && !t.closest("label")).length,
        lowestContrast: Math.min(...texts.map(contrast)),
        lang: document.documentElement.lang,
      };
    });
    expect(audit.radiosOutsideLabels).toBe(0);
    expect(audit.fieldsetsWithoutLegend).toBe(0);
    // The honeypot is the one text input, hidden from people and assistive technology alike.
    expect(audit.unlabelledText).toBe(0);
    expect(audit.lowestContrast).toBeGreaterThanOrEqual(4.5);
    expect(audit.lang).toBe("zh-CN");
    const before = await page.locator("#q-grade legend").evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
    await page.locator("#text-size").tap();
    const after = await page.locator("#q-grade legend").evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
    expect(after).toBeGreaterThan(before * 1.15);
    await page.reload();
    expect(await page.locator(".fast").getAttribute("class")).toContain("large");
    await shot(page, "08-large-text");
    await context.close();
  });
});

describe("the SurveyJS renderer (desktops, and /full on any device)", () => {
  it("answers every page, submits, and then says 已提交 on the phone form too", async () => {
    const url = link(links, "海原县第一小学（演示）", "社会卷");
    const context = await phoneContext(browser);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(`${url}/full`);
    await page.locator(".sd-question").first().waitFor();
    await shot(page, "09-surveyjs-first-page");
    let pages = 0;
    for (;;) {
      pages++;
      await answerPage(
        page,
        (title, i) => (title.includes("年级") ? "三年级" : title.includes("总体来说") ? "比较满意" : (SCALE[(pages + i) % SCALE.length] ?? "满意")),
        "谢谢",
      );
      if ((await nextOrSubmit(page)) === "submit") break;
      expect(pages).toBeLessThan(10);
    }
    await page.waitForURL(/\/done$/);
    expect(await textOf(page, "h1.page-message__title")).toBe("提交成功，感谢您的参与！");
    await page.goto(url);
    expect(await textOf(page, "h1.page-message__title")).toBe("已提交");
    expect(errors).toEqual([]);
    const rows = await stored("school_id = 'hy01' and questionnaire_id = 'social'");
    expect(rows).toHaveLength(1);
    expect(rows[0]?.overall_score).toBe(4);
    await context.close();
  });

  it("is what a desktop browser gets", async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "zh-CN" });
    const page = await context.newPage();
    const url = link(links, "海原县第三中学（演示）", "校长教师卷");
    await page.goto(url);
    await page.waitForURL(/\/full$/);
    await page.locator(".sd-question").first().waitFor();
    await shot(page, "10-surveyjs-desktop");
    await context.close();
  });
});

describe("server rendering of Chinese text", () => {
  it("a long Chinese page arrives without a single NUL byte (React 18 streaming trap)", async () => {
    const url = link(links, "海原县第一小学（演示）", "学生卷");
    const res = await fetch(url);
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(res.status).toBe(200);
    expect(bytes.length).toBeGreaterThan(10_000);
    expect(bytes.indexOf(0)).toBe(-1);
    const html = bytes.toString("utf8");
    expect(html).toContain("不满14周岁的同学");
    expect(html).not.toContain("\uFFFD");
  });
});

describe("printable QR kits", () => {
  it("the home page lists the demo kits; a school's A4 page carries its three QR codes", async () => {
    const context = await browser.newContext({ viewport: { width: 1000, height: 1400 }, locale: "zh-CN" });
    const page = await context.newPage();
    await page.goto(baseUrl);
    expect(await textOf(page, "h1")).toBe("义务教育优质均衡发展调查评估平台");
    await page.getByText("中宁县鸣沙学校（演示）").click();
    await page.waitForURL(/\/print\//);
    expect(await textOf(page, ".kit__title")).toBe("中宁县鸣沙学校（演示）");
    expect(await page.locator(".kit__qr svg").count()).toBe(3);
    expect(await page.locator("figcaption strong").allInnerTexts()).toEqual(["家长", "教师、校长", "三年级及以上学生"]);
    await shot(page, "06-print-kit-school");
    await page.goto(baseUrl);
    await page.getByText("海原县（县级二维码）").click();
    await page.waitForURL(/\/print\//);
    expect(await page.locator(".kit__qr svg").count()).toBe(1);
    expect(await textOf(page, "figcaption strong")).toBe("人大代表、政协委员、其他群众");
    await shot(page, "07-print-kit-county");
    const tampered = await page.goto(`${page.url()}x`);
    expect(tampered?.status()).toBe(404);
    await context.close();
  });
});

describe("a school's computer room in supervised mode", () => {
  it("after a teacher enters the code, pupils answer one after another on one device", async () => {
    const out = execFileSync(process.execPath, ["--import", "tsx", "scripts/supervise.ts", "--school", "zn07", "--label", "三年级机房"], {
      cwd: ROOT,
      env: { ...process.env, DATA_DIR: dataDir, PUBLIC_URL: baseUrl, LOG_LEVEL: "warn" },
      encoding: "utf8",
    });
    const code = /监督码：([A-Z0-9]{8})/.exec(out)?.[1];
    expect(code).toBeTruthy();
    const url = link(links, "中宁县鸣沙学校（演示）", "学生卷");
    const context = await phoneContext(browser);
    const page = await context.newPage();
    await page.goto(`${url}/supervise`);
    await page.locator("#code").fill("WRONG123");
    await page.getByRole("button", { name: "开启监督模式" }).click();
    expect(await textOf(page, ".form__error")).toContain("监督码不正确");
    await page.locator("#code").fill(code!.toLowerCase());
    await page.getByRole("button", { name: "开启监督模式" }).click();
    await page.waitForURL(url);
    expect(await textOf(page, ".supervised-banner")).toContain("三年级机房");
    await shot(page, "08-supervised-mode");
    for (let pupil = 0; pupil < 2; pupil++) {
      if (pupil > 0) {
        await page.getByText("下一位开始作答").click();
        await page.waitForURL(url);
      }
      await answerForm(page, (title) => (title.includes("年级") ? "四年级" : "满意"), pupil === 0 ? "谢谢老师" : "");
      await page.getByRole("button", { name: "提交问卷" }).tap();
      await page.waitForURL(/\/done$/);
    }
    const conn = db();
    const rows = conn
      .prepare("select respondent_key, supervision_code_id from responses where school_id = 'zn07' and questionnaire_id = 'student'")
      .all() as Array<{ respondent_key: string | null; supervision_code_id: number | null }>;
    conn.close();
    expect(rows).toHaveLength(2);
    expect(rows.every((r) => r.respondent_key === null && r.supervision_code_id !== null)).toBe(true);
    await context.close();
  });
});
