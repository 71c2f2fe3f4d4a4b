/**
 * The county evidence pack (decision 0026) in Debian's Chromium against the shared production
 * server: the county exports page shows the pack's download link and the signing key's
 * fingerprint at 1440 px and 390 px; the pack and the public key are downloaded through the
 * browser, and `npm run evidence:verify` (no database) accepts the pack with that key, names
 * the same fingerprint as the page, and the manifest's audit head is what `audit:verify`
 * computes on the server's store. Screenshots go to /tmp/wip/evidence-*.png.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { strFromU8, unzipSync } from "fflate";
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
const EXPORTS = "/admin/campaigns/zw2026/counties/640521/exports";

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

function run(script: string, args: string[], env: Record<string, string>): { status: number; stdout: string } {
  try {
    const stdout = execFileSync(process.execPath, ["--import", "tsx", script, ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? "", NODE_ENV: "production", LOG_LEVEL: "warn", ...env },
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    });
    return { status: 0, stdout };
  } catch (e) {
    const failed = e as { status: number; stdout: string };
    return { status: failed.status, stdout: failed.stdout };
  }
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

describe("the county evidence pack", () => {
  it("is offered on the county exports page with the key's fingerprint, downloads, and verifies offline", async () => {
    const desktop = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: "zh-CN", timezoneId: "Asia/Shanghai", acceptDownloads: true });
    const page = await signedIn(desktop);
    await page.goto(`${baseUrl}${EXPORTS}`);
    const section = page.locator("section.c-evidence");
    await section.getByRole("heading", { name: "证据包（签名）" }).waitFor();
    const fingerprint = (await section.locator(".c-evidence__fingerprint .c-mono").innerText()).trim();
    expect(fingerprint).toMatch(/^([0-9a-f]{4} ){15}[0-9a-f]{4}$/);
    await page.screenshot({ path: path.join(SHOTS, "evidence-exports-1440.png"), fullPage: true });

    const [keyDownload] = await Promise.all([page.waitForEvent("download"), section.getByRole("link", { name: "下载签名公钥（PEM）" }).click()]);
    const keyFile = path.join(SHOTS, "evidence-public-key.pem");
    await keyDownload.saveAs(keyFile);
    expect(fs.readFileSync(keyFile, "utf8")).toContain("BEGIN PUBLIC KEY");
    const [packDownload] = await Promise.all([page.waitForEvent("download"), section.getByRole("link", { name: "下载中宁县证据包" }).click()]);
    expect(packDownload.suggestedFilename()).toBe("中宁县-证据包-zw2026.zip");
    const packFile = path.join(SHOTS, "evidence-pack.zip");
    await packDownload.saveAs(packFile);
    await desktop.close();

    // Offline: the verifier has no DATA_DIR of the server's, only the file and the key.
    const verified = run("scripts/evidence-verify.ts", [packFile, "--public-key", keyFile], { DATA_DIR: path.join(SHOTS, "evidence-no-store") });
    expect(verified.stdout).toContain("OK 证据包完好：中宁县（640521）");
    expect(verified.status).toBe(0);
    expect(verified.stdout).toContain(`公钥指纹 ${fingerprint}`);
    expect(verified.stdout).toContain("  table6.xlsx  ");
    expect(fs.existsSync(path.join(SHOTS, "evidence-no-store"))).toBe(false);

    // The head the manifest pinned is the server's chain head (the download was the last thing audited).
    const manifest = JSON.parse(strFromU8(unzipSync(new Uint8Array(fs.readFileSync(packFile)))["manifest.json"]!)) as {
      auditHead: { seq: number; hash: string };
    };
    const chain = run("scripts/audit-verify.ts", [], { DATA_DIR: dataDir, PUBLIC_URL: baseUrl });
    expect(chain.status).toBe(0);
    expect(chain.stdout).toContain(`链头 ${manifest.auditHead.hash}`);

    const phone = await phoneContext(browser);
    const mobile = await signedIn(phone);
    await mobile.goto(`${baseUrl}${EXPORTS}`);
    const onPhone = mobile.locator("section.c-evidence");
    await onPhone.scrollIntoViewIfNeeded();
    expect((await onPhone.locator(".c-evidence__fingerprint .c-mono").innerText()).trim()).toBe(fingerprint);
    expect(await noSidewaysScroll(mobile)).toBe(true);
    await onPhone.screenshot({ path: path.join(SHOTS, "evidence-exports-390-section.png") });
    await mobile.screenshot({ path: path.join(SHOTS, "evidence-exports-390.png"), fullPage: true });
    await phone.close();
    expect(browserErrors).toEqual([]);
  });
});
