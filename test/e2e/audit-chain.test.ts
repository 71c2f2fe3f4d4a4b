/**
 * The 操作日志's chain head (decision 0023) in Debian's Chromium against the shared production
 * server: the audit page and the printable county report show the same head, short and in
 * full; `npm run audit:verify` on the server's store agrees with what the page printed, and
 * accepts the printed short form with `--head`. Screenshots at 390 px and 1440 px go to
 * /tmp/wip/audit-*.png for a person to look at.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { demoCredentials } from "../../app/.server/auth/demo-accounts";
import { loadConfig } from "../../app/.server/config";
import { createKeys, loadSecrets } from "../../app/.server/keys";
import { launchChromium, phoneContext } from "./browser";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const SHOTS = "/tmp/wip";
const baseUrl = inject("baseUrl");
const dataDir = inject("dataDir");

let browser: Browser;
let password = "";
const browserErrors: string[] = [];

function watch(p: Page): Page {
  p.on("pageerror", (e) => browserErrors.push(`pageerror: ${e.message}`));
  p.on("console", (m) => {
    if (m.type() === "error") browserErrors.push(`console: ${m.text()}`);
  });
  return p;
}

async function signedIn(context: BrowserContext): Promise<Page> {
  const p = watch(await context.newPage());
  await p.goto(`${baseUrl}/login`);
  await p.fill("input[name=username]", "demo-city");
  await p.fill("input[name=password]", password);
  await Promise.all([p.waitForURL((u) => u.pathname.startsWith("/admin")), p.click("button[type=submit]")]);
  return p;
}

function verify(args: string[] = []): { status: number; stdout: string } {
  try {
    const stdout = execFileSync(process.execPath, ["--import", "tsx", "scripts/audit-verify.ts", ...args], {
      cwd: ROOT,
      env: { ...process.env, DATA_DIR: dataDir, PUBLIC_URL: baseUrl, LOG_LEVEL: "warn", NODE_ENV: "production" },
      encoding: "utf8",
    });
    return { status: 0, stdout };
  } catch (e) {
    const failed = e as { status: number; stdout: string };
    return { status: failed.status, stdout: failed.stdout };
  }
}

/** The head the page shows: its short form (title = full hash) and the full hash. */
async function shownHead(p: Page): Promise<{ short: string; title: string | null; full: string; text: string }> {
  const box = p.locator(".c-audit-head").first();
  const short = box.locator("strong.c-mono");
  return {
    short: (await short.innerText()).trim(),
    title: await short.getAttribute("title"),
    full: (await box.locator(".c-audit-head__full").innerText()).trim(),
    text: await box.innerText(),
  };
}

const noSidewaysScroll = (p: Page) => p.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);

beforeAll(async () => {
  fs.mkdirSync(SHOTS, { recursive: true });
  const keys = createKeys(loadSecrets(loadConfig({ DATA_DIR: dataDir })));
  password = demoCredentials(keys).find((c) => c.username === "demo-city")?.password ?? "";
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
});

describe("the audit chain's head on the console", () => {
  it("is shown on the audit page and the county report, equals what audit:verify computes, and is accepted as --head", async () => {
    // Both sign in first: a sign-in is audited, so it moves the head.
    const desktop = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: "zh-CN", timezoneId: "Asia/Shanghai" });
    const page = await signedIn(desktop);
    const phone = await phoneContext(browser);
    const mobile = await signedIn(phone);

    await page.goto(`${baseUrl}/admin/audit`);
    const onAudit = await shownHead(page);
    expect(onAudit.full).toMatch(/^[0-9a-f]{64}$/);
    expect(onAudit.title).toBe(onAudit.full);
    expect(onAudit.short).toBe(onAudit.full.slice(0, 12));
    expect(onAudit.text).toContain("操作日志链头");
    await page.screenshot({ path: path.join(SHOTS, "audit-log-1440.png"), fullPage: true });

    // Nothing is written between the page and the check (opening a page is not audited).
    const ok = verify();
    expect(ok.status).toBe(0);
    expect(ok.stdout).toMatch(new RegExp(`^OK \\d+ 条记录，链头 ${onAudit.full}\\n$`));
    const pinned = verify(["--head", onAudit.short]);
    expect(pinned.status).toBe(0);
    expect(pinned.stdout).toContain(`打印的链头 ${onAudit.short} 是第`);

    await page.goto(`${baseUrl}/admin/report/zw2026/640521`);
    await page.getByRole("heading", { level: 1 }).filter({ hasText: "自评报告" }).waitFor();
    const onReport = await shownHead(page);
    expect(onReport.full).toBe(onAudit.full);
    await page.screenshot({ path: path.join(SHOTS, "audit-report-1440.png"), fullPage: true });
    // On paper the full hash is printed (a title does not print).
    await page.emulateMedia({ media: "print" });
    expect(await page.locator(".c-audit-head__full").isVisible()).toBe(true);
    await desktop.close();

    await mobile.goto(`${baseUrl}/admin/audit`);
    expect((await shownHead(mobile)).full).toBe(onAudit.full);
    expect(await noSidewaysScroll(mobile)).toBe(true);
    await mobile
      .locator(".c-audit-head")
      .first()
      .screenshot({ path: path.join(SHOTS, "audit-log-390-head.png") });
    await mobile.screenshot({ path: path.join(SHOTS, "audit-log-390.png") });
    await mobile.goto(`${baseUrl}/admin/report/zw2026/640521`);
    expect((await shownHead(mobile)).full).toBe(onAudit.full);
    expect(await noSidewaysScroll(mobile)).toBe(true);
    await mobile.locator(".c-audit-head").first().scrollIntoViewIfNeeded();
    await mobile.screenshot({ path: path.join(SHOTS, "audit-report-390.png") });
    await phone.close();
    expect(browserErrors).toEqual([]);
  });
});
