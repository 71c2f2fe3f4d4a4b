/**
 * npm run bench:page [-- --runs 5]
 *
 * Loads a survey link in Debian's Chromium on the phone profile of STACK.md (390 px wide,
 * 150 ms RTT, 1.6 Mbit/s down, 4× CPU slowdown; a fresh browser profile each run) and measures,
 * for the survey page and — as the floor, in the same run — a static HTML form of the same
 * questions served gzip by a bare node:http server:
 *
 *   visible_ms   first answer option visible on screen
 *   kept_ms      a tap on the first option registered AND still selected once the page has
 *                finished loading (a tap wiped by a late script does not count)
 *   bytes        transferred (encoded, with headers) up to kept_ms, and in total
 *
 * Prints medians over the runs, the ratios to the floor, and ends with one JSON line.
 */
import { createServer, type Server } from "node:http";
import { gzipSync } from "node:zlib";
import { chromium, type Page } from "playwright-core";
import { compileSurvey, type CompiledQuestion } from "../app/survey/compile";
import { surveyVariablesFor } from "../app/survey/variables";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "../test/e2e/browser";
import { loadDefinition } from "../app/survey/test-definitions";
import { parseFlags } from "./lib/cli";
import { freePort, linksOf, startServerProcess } from "./lib/server-process";

const PROFILE = { latencyMs: 150, downKbps: 1600, upKbps: 750, cpuSlowdown: 4, width: 390, height: 844 };

interface RunResult {
  visibleMs: number;
  keptMs: number;
  bytesBeforeAnswer: number;
  totalBytes: number;
  taps: number;
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The floor: the same questions as a plain HTML form, no script, no framework. */
function floorHtml(): string {
  const survey = compileSurvey(loadDefinition("social.v1.json"));
  const vars = surveyVariablesFor("primary");
  const visible = (q: CompiledQuestion) => q.conditions.every((c) => c.runValues({ ...vars }));
  const questions = survey.questions.filter(visible).map((q, i) => {
    const title = `<p class="t">${i + 1}. ${escapeHtml(q.title)}</p>`;
    if (q.kind === "text") return `<fieldset>${title}<textarea name="${q.name}" rows="4"></textarea></fieldset>`;
    const choices = q.choices
      .filter((c) => !c.visibleIf || c.visibleIf.runValues({ ...vars }))
      .map((c) => `<label class="o"><input type="radio" name="${q.name}" value="${escapeHtml(String(c.value))}"> ${escapeHtml(c.text)}</label>`)
      .join("");
    return `<fieldset>${title}${choices}</fieldset>`;
  });
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(survey.title)}</title><style>body{font:17px/1.6 sans-serif;margin:0;padding:12px}fieldset{border:0;margin:0 0 16px;padding:0}.t{font-weight:600}.o{display:block;min-height:44px;padding:8px 0}</style></head><body><h1>${escapeHtml(survey.title)}</h1><form method="post">${questions.join("")}<button>提交</button></form></body></html>`;
}

async function startFloor(): Promise<{ url: string; server: Server }> {
  const body = gzipSync(Buffer.from(floorHtml(), "utf8"));
  const server = createServer((_req, res) => {
    res.writeHead(200, { "Content-Type": "text/html; charset=utf-8", "Content-Encoding": "gzip", "Content-Length": body.length, "Cache-Control": "no-store" });
    res.end(body);
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${port}/`, server };
}

/** Records, in the page, when an option first shows and every change of a radio button. */
const INIT_SCRIPT = (optionSelector: string) => `
  window.__bench = { visible: null, changes: [] };
  document.addEventListener("change", function (e) {
    var t = e.target;
    if (t && t.type === "radio") window.__bench.changes.push({ t: performance.now(), name: t.name, value: t.value });
  }, true);
  (function poll() {
    if (window.__bench.visible === null) {
      var el = document.querySelector(${JSON.stringify(optionSelector)});
      if (el) {
        var r = el.getBoundingClientRect();
        if (r.height > 0 && r.width > 0 && r.top < window.innerHeight) window.__bench.visible = performance.now();
      }
      requestAnimationFrame(poll);
    }
  })();
`;

interface Target {
  name: string;
  url: string;
  /** A visible answer option (its label), and the radio input it controls. */
  option: string;
  radio: string;
}

async function measure(target: Target): Promise<RunResult> {
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
  try {
    const context = await browser.newContext({
      viewport: { width: PROFILE.width, height: PROFILE.height },
      isMobile: true,
      hasTouch: true,
      deviceScaleFactor: 2,
      locale: "zh-CN",
    });
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send("Network.enable");
    await cdp.send("Network.emulateNetworkConditions", {
      offline: false,
      latency: PROFILE.latencyMs,
      downloadThroughput: (PROFILE.downKbps * 1000) / 8,
      uploadThroughput: (PROFILE.upKbps * 1000) / 8,
    });
    await cdp.send("Emulation.setCPUThrottlingRate", { rate: PROFILE.cpuSlowdown });
    const finished: Array<{ at: number; bytes: number }> = [];
    let start: number | null = null;
    cdp.on("Network.requestWillBeSent", (e: { timestamp: number; type?: string }) => {
      if (start === null && e.type === "Document") start = e.timestamp;
    });
    cdp.on("Network.loadingFinished", (e: { timestamp: number; encodedDataLength: number }) => {
      finished.push({ at: e.timestamp, bytes: e.encodedDataLength });
    });
    const problems: string[] = [];
    page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
    page.on("requestfailed", (r) => problems.push(`failed: ${r.url()} ${r.failure()?.errorText ?? ""}`));
    page.on("response", (r) => {
      if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`);
    });
    await page.addInitScript(INIT_SCRIPT(target.option));
    await page.goto(target.url, { waitUntil: "commit" });
    try {
      await page.locator(target.option).first().waitFor({ state: "visible", timeout: 60_000 });
    } catch (error) {
      await page.screenshot({ path: "test/artifacts/bench-page-failure.png" }).catch(() => {});
      throw new Error(`${target.name}: no option became visible (${problems.join("; ") || String(error)})`);
    }
    let taps = 0;
    const tapAndSettle = async () => {
      taps++;
      await page.locator(target.option).first().tap({ timeout: 60_000 });
      await page.waitForLoadState("networkidle", { timeout: 60_000 });
      await page.waitForTimeout(500);
    };
    await tapAndSettle();
    // A tap that a late script wiped does not count: tap again until one sticks.
    while (!(await page.locator(target.radio).first().isChecked()) && taps < 5) await tapAndSettle();
    const bench = await page.evaluate(() => (window as unknown as { __bench: { visible: number; changes: Array<{ t: number }> } }).__bench);
    const kept = bench.changes[bench.changes.length - 1]?.t ?? Number.NaN;
    const zero = start ?? 0;
    const before = finished.filter((f) => (f.at - zero) * 1000 <= kept).reduce((s, f) => s + f.bytes, 0);
    const total = finished.reduce((s, f) => s + f.bytes, 0);
    await context.close();
    return { visibleMs: bench.visible, keptMs: kept, bytesBeforeAnswer: before, totalBytes: total, taps };
  } finally {
    await browser.close();
  }
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] ?? Number.NaN) : ((s[m - 1] ?? 0) + (s[m] ?? 0)) / 2;
};

async function main(): Promise<void> {
  const flags = parseFlags(process.argv.slice(2));
  const runsFlag = flags.get("runs");
  const runs = typeof runsFlag === "string" ? Math.max(1, Number(runsFlag)) : 5;
  const server = await startServerProcess();
  const floor = await startFloor();
  try {
    const link = linksOf(server).find((l) => l.school === "沙坡头区第一小学（演示）" && l.questionnaire === "社会卷");
    if (!link) throw new Error("demo link not found");
    const targets: Target[] = [
      { name: "survey page (SurveyJS)", url: link.url, option: ".sd-item__control-label", radio: ".sd-question input[type=radio]" },
      { name: "floor (static HTML form)", url: floor.url, option: "label.o", radio: "input[type=radio]" },
    ];
    const results = new Map<string, RunResult[]>();
    for (let run = 0; run < runs; run++) {
      // Interleave the targets so machine noise falls on both alike.
      for (const target of targets) {
        const r = await measure(target);
        results.set(target.name, [...(results.get(target.name) ?? []), r]);
        process.stderr.write(`run ${run + 1}/${runs} ${target.name}: visible ${r.visibleMs.toFixed(0)} ms, kept ${r.keptMs.toFixed(0)} ms, ${r.bytesBeforeAnswer} B before answer, ${r.totalBytes} B total, ${r.taps} tap(s)\n`);
      }
    }
    const summary = targets.map((t) => {
      const rs = results.get(t.name) ?? [];
      return {
        name: t.name,
        visibleMs: median(rs.map((r) => r.visibleMs)),
        keptMs: median(rs.map((r) => r.keptMs)),
        bytesBeforeAnswer: median(rs.map((r) => r.bytesBeforeAnswer)),
        totalBytes: median(rs.map((r) => r.totalBytes)),
      };
    });
    const [page, base] = summary;
    if (!page || !base) throw new Error("no results");
    process.stdout.write(
      [
        `Phone profile: ${PROFILE.width} px, ${PROFILE.latencyMs} ms RTT, ${PROFILE.downKbps / 1000} Mbit/s down, ${PROFILE.cpuSlowdown}× CPU; medians of ${runs} runs, fresh profile each`,
        "",
        "| page | first option visible | tap kept after load | transferred before answer | transferred in total |",
        "|---|---|---|---|---|",
        ...summary.map((s) => `| ${s.name} | ${(s.visibleMs / 1000).toFixed(2)} s | ${(s.keptMs / 1000).toFixed(2)} s | ${(s.bytesBeforeAnswer / 1024).toFixed(1)} KB | ${(s.totalBytes / 1024).toFixed(1)} KB |`),
        "",
        `survey page ÷ floor: visible ${(page.visibleMs / base.visibleMs).toFixed(1)}×, tap kept ${(page.keptMs / base.keptMs).toFixed(1)}×, bytes before answer ${(page.bytesBeforeAnswer / base.bytesBeforeAnswer).toFixed(1)}×`,
        "",
      ].join("\n"),
    );
    process.stdout.write(
      `${JSON.stringify({
        bench: "page",
        runs,
        survey_visible_ms: Math.round(page.visibleMs),
        survey_tap_kept_ms: Math.round(page.keptMs),
        survey_bytes_before_answer: page.bytesBeforeAnswer,
        survey_total_bytes: page.totalBytes,
        floor_visible_ms: Math.round(base.visibleMs),
        floor_tap_kept_ms: Math.round(base.keptMs),
        floor_bytes_before_answer: base.bytesBeforeAnswer,
        ratio_visible: Number((page.visibleMs / base.visibleMs).toFixed(2)),
        ratio_tap_kept: Number((page.keptMs / base.keptMs).toFixed(2)),
      })}\n`,
    );
  } finally {
    floor.server.close();
    await server.stop();
  }
}

await main();
