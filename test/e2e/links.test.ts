/**
 * Getting links out (issue 20 item 1) in Debian's Chromium against the shared production
 * server, whose PUBLIC_URL is http://127.0.0.1:<port> — a loopback origin, so every page that
 * shows, copies or prints links must carry the warning banner.
 *
 * - 1440 px, a county officer (中宁县): from the console's home to the kits page, find a school,
 *   复制通知 and 复制链接 through the Clipboard API (permission granted), 下载二维码 as a PNG
 *   with its Chinese file name; the print kit carries the banner too.
 * - 390 px, a school contact on a phone whose WebView has no navigator.clipboard: the copy
 *   buttons fall back to select + execCommand("copy") and still say 已复制.
 *
 * Screenshots: /tmp/wip/links-*.png (and test/artifacts/links-*.png) for a person to look at.
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { demoCredentials } from "../../app/.server/auth/demo-accounts";
import { loadConfig } from "../../app/.server/config";
import { createKeys, loadSecrets } from "../../app/.server/keys";
import { decodePng } from "../support/png";
import { launchChromium, phoneContext } from "./browser";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const ARTIFACTS = path.join(ROOT, "test", "artifacts");
const WIP = "/tmp/wip";
const baseUrl = inject("baseUrl");
const dataDir = inject("dataDir");
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

let browser: Browser;
let passwords: Record<string, string> = {};
const browserErrors: string[] = [];

function watch(p: Page): Page {
  p.on("pageerror", (e) => browserErrors.push(`pageerror: ${e.message}`));
  p.on("console", (m) => {
    if (m.type() === "error") browserErrors.push(`console: ${m.text()}`);
  });
  return p;
}

async function shot(p: Page, name: string): Promise<void> {
  for (const dir of [ARTIFACTS, WIP]) await p.screenshot({ path: path.join(dir, `links-${name}.png`), fullPage: true });
}

async function signIn(p: Page, username: string): Promise<void> {
  await p.goto(`${baseUrl}/login`);
  await p.fill("input[name=username]", username);
  await p.fill("input[name=password]", passwords[username] ?? "");
  await Promise.all([p.waitForURL((u) => u.pathname.startsWith("/admin")), p.click("button[type=submit]")]);
}

/** Waits until React has hydrated, so the copy buttons have their handlers. */
async function hydrated(p: Page): Promise<void> {
  await p.waitForFunction(
    () => document.querySelector("[data-testid=copy-link]") !== null && (window as unknown as { __remixContext?: unknown }).__remixContext !== undefined,
  );
  await p.waitForLoadState("networkidle");
}

beforeAll(async () => {
  for (const dir of [ARTIFACTS, WIP]) fs.mkdirSync(dir, { recursive: true });
  const keys = createKeys(loadSecrets(loadConfig({ DATA_DIR: dataDir })));
  passwords = Object.fromEntries(demoCredentials(keys).map((c) => [c.username, c.password]));
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
});

const banner = `链接指向本机地址（${baseUrl}），家长手机无法打开。请管理员设置 PUBLIC_URL 为正式的 https 地址。`;

describe("getting one school's links into a WeChat group", () => {
  it("at 1440 px a county officer copies the 通知 and the link and downloads the QR PNG, under the PUBLIC_URL banner", async () => {
    const context = await browser.newContext({
      viewport: { width: 1440, height: 900 },
      locale: "zh-CN",
      timezoneId: "Asia/Shanghai",
      acceptDownloads: true,
      permissions: ["clipboard-read", "clipboard-write"],
    });
    await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: baseUrl });
    const page = watch(await context.newPage());
    await signIn(page, "demo-county");
    // The path a new officer takes: home → the campaign → 二维码与链接.
    await page
      .getByRole("link", { name: /中卫市2026年/ })
      .first()
      .click();
    await page.getByRole("link", { name: "二维码与链接" }).click();
    await page.waitForURL((u) => u.pathname.endsWith("/kits"));
    await hydrated(page);
    await expect.poll(() => page.getByTestId("public-origin-banner").innerText()).toContain(banner);
    expect(await page.getByTestId("public-origin-banner").getAttribute("data-level")).toBe("loopback");
    await shot(page, "kits-1440");

    await page.getByTestId("school-filter").fill("第一小学");
    const row = page.locator("tr[data-school=zn01]");
    await expect.poll(() => page.locator("tr[data-school]").count()).toBe(1);
    const parentLink = row.getByTestId("link-tools").first();
    const href = await parentLink.locator("a.c-link-tools__url").getAttribute("href");
    expect(href).toMatch(new RegExp(`^${baseUrl.replace(/[.]/g, "\\.")}/s/[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+$`));

    await parentLink.getByTestId("copy-notice").click();
    await expect.poll(() => parentLink.getByTestId("copy-notice").innerText()).toBe("已复制");
    const notice = await page.evaluate(() => navigator.clipboard.readText());
    expect(notice).toContain("各位家长：");
    expect(notice).toContain("中宁县第一小学（演示）的家长");
    expect(notice).toContain("不记录姓名、电话");
    expect(notice.split("\n")).toContain(href);

    // The kits page brings the 通知 into the page only when asked for: the same text.
    expect(await parentLink.locator("pre").count()).toBe(0);
    await parentLink.locator("details summary").click();
    await expect.poll(() => parentLink.locator("pre").innerText()).toBe(notice);

    await parentLink.getByTestId("copy-link").click();
    await expect.poll(() => parentLink.getByTestId("copy-link").innerText()).toBe("已复制");
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(href);
    // The label comes back, so a second copy is visibly a second copy.
    await expect.poll(() => parentLink.getByTestId("copy-link").innerText(), { timeout: 5000 }).toBe("复制链接");

    const [download] = await Promise.all([page.waitForEvent("download"), parentLink.getByTestId("download-qr").click()]);
    expect(download.suggestedFilename()).toBe("中宁县第一小学（演示）-社会卷（家长）-二维码.png");
    const png = fs.readFileSync(await download.path());
    expect(png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    const img = decodePng(png);
    expect(img.width).toBeGreaterThanOrEqual(800);
    // The production server runs on this machine, which has fonts-wqy-microhei: captioned.
    expect(img.height).toBeGreaterThan(img.width + 100);
    fs.writeFileSync(path.join(WIP, "links-qr-download.png"), png);
    await page.getByTestId("school-filter").fill("");
    await shot(page, "kits-1440-copied");

    // The print kit warns as well (on screen and on paper).
    const kitHref = await row.getByRole("link", { name: "打印页" }).getAttribute("href");
    await page.goto(`${baseUrl}${kitHref ?? ""}`);
    expect(await page.getByTestId("public-origin-banner").innerText()).toContain(banner);
    await shot(page, "print-kit-1440");
    await context.close();
    expect(browserErrors).toEqual([]);
  });

  it("at 390 px a school contact copies with the fallback when the WebView has no Clipboard API", async () => {
    const context = await phoneContext(browser);
    await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: baseUrl });
    // An old WebView: no navigator.clipboard (the test keeps a handle to read what was copied).
    await context.addInitScript(() => {
      const real = navigator.clipboard;
      (window as unknown as { __clipboard: Clipboard }).__clipboard = real;
      Object.defineProperty(Navigator.prototype, "clipboard", { configurable: true, get: () => undefined });
    });
    const page = watch(await context.newPage());
    await signIn(page, "demo-school");
    expect(new URL(page.url()).pathname).toBe("/admin/campaigns/zw2026/schools/zn01");
    await hydrated(page);
    expect(await page.getByTestId("public-origin-banner").innerText()).toContain(banner);
    expect(await page.evaluate(() => navigator.clipboard === undefined)).toBe(true);

    const tools = page.getByTestId("link-tools");
    expect(await tools.count()).toBe(3);
    const staff = tools.nth(1);
    await staff.getByTestId("copy-notice").click();
    await expect.poll(() => staff.getByTestId("copy-notice").innerText()).toBe("已复制");
    const copied = await page.evaluate(() => (window as unknown as { __clipboard: Clipboard }).__clipboard.readText());
    expect(copied).toContain("各位老师：");
    expect(copied).toContain(await staff.locator("a.c-link-tools__url").getAttribute("href"));

    // A WebView where even execCommand("copy") fails: the text is shown, selected, to copy by hand.
    await page.evaluate(() => {
      document.execCommand = () => false;
    });
    const student = tools.nth(2);
    await student.getByTestId("copy-link").click();
    const manual = student.locator(".c-link-tools__manual textarea");
    await manual.waitFor();
    expect(await manual.inputValue()).toBe(await student.locator("a.c-link-tools__url").getAttribute("href"));
    expect(await student.getByTestId("copy-link").innerText()).toBe("复制链接");

    // Nothing sticks out sideways at phone width.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await staff.locator("details summary").click();
    await shot(page, "school-390");

    const [download] = await Promise.all([page.waitForEvent("download"), tools.nth(0).getByTestId("download-qr").click()]);
    expect(download.suggestedFilename()).toBe("中宁县第一小学（演示）-社会卷（家长）-二维码.png");
    // In WeChat's browser downloads do nothing: 打开图片 shows the card inline to long-press.
    const view = await tools.nth(0).getByTestId("view-qr").getAttribute("href");
    const inline = await page.request.get(`${baseUrl}${view ?? ""}`);
    expect(inline.headers()["content-type"]).toBe("image/png");
    expect(inline.headers()["content-disposition"]).toMatch(/^inline;/);
    // Another school's QR is refused, whatever the URL says.
    const refused = await page.request.get(`${baseUrl}/admin/qr/zw2026/640521/social?school=zn02`);
    expect(refused.status()).toBe(403);
    expect(refused.headers()["content-type"]).not.toBe("image/png");
    await context.close();
    expect(browserErrors).toEqual([]);
  });

  it("at 390 px the kits page holds for a county officer on a phone", async () => {
    const context = await phoneContext(browser);
    const page = watch(await context.newPage());
    await signIn(page, "demo-county");
    await page.goto(`${baseUrl}/admin/campaigns/zw2026/kits`);
    await hydrated(page);
    expect(await page.getByTestId("public-origin-banner").isVisible()).toBe(true);
    await page.getByTestId("school-filter").fill("第一小学");
    await expect.poll(() => page.locator("tr[data-school]").count()).toBe(1);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await shot(page, "kits-390");
    await context.close();
    expect(browserErrors).toEqual([]);
  });
});
