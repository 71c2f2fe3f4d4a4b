/**
 * npm run bench:page [-- --runs 5]
 *
 * Loads a survey link in Debian's Chromium on the phone profile of STACK.md (390 px wide,
 * 150 ms RTT, 1.6 Mbit/s down, 4× CPU slowdown; a fresh browser and profile each run) and
 * measures, in the same run and interleaved:
 *
 *   - the phone page (/s/<token>: the server-rendered native form),
 *   - the stock SurveyJS page (/s/<token>/full: survey-react-ui in the browser),
 *   - the floor: a static HTML form of the same questions served gzip by a bare node:http server.
 *
 * Figures per page (medians over the runs):
 *   visible_ms     first answer option on screen
 *   kept_ms        a tap, dispatched the moment the first option shows, registered AND still
 *                  selected once the page has finished loading (a tap a late script wiped does
 *                  not count: it is tapped again and the later time counts)
 *   bytes          transferred (on the wire, with headers) up to kept_ms, and in total
 *   complete_ms    every question answered (taps one after another, pages turned)
 *
 * Prints a table, the ratios to the floor, and ends with one JSON line of named figures.
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

const PHONE_UA =
  "Mozilla/5.0 (Linux; Android 10; V2031A Build/QP1A.190711.020; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/107.0.5304.141 Mobile Safari/537.36 MicroMessenger/8.0.40.2420(0x28002837) WeChat/arm64 Weixin NetType/4G Language/zh_CN ABI/arm64";

const PROFILE = { latencyMs: 150, downKbps: 1600, upKbps: 750, cpuSlowdown: 4, width: 390, height: 844 };

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

/** Records, in the page, when an option first shows (and where), and every radio change. */
const INIT_SCRIPT = (optionSelector: string) => `
  window.__bench = { visible: null, changes: [], touch: null };
  document.addEventListener("touchstart", function () { if (window.__bench.touch === null) window.__bench.touch = performance.now(); }, true);
  document.addEventListener("change", function (e) {
    var t = e.target;
    if (t && t.type === "radio") window.__bench.changes.push({ t: performance.now(), name: t.name, value: t.value });
  }, true);
  (function poll() {
    if (window.__bench.visible === null) {
      var el = document.querySelector(${JSON.stringify(optionSelector)});
      if (el) {
        var r = el.getBoundingClientRect();
        if (r.height > 0 && r.width > 0 && r.top >= 0 && r.bottom <= window.innerHeight) {
          window.__bench.visible = performance.now();
          if (window.__benchVisible) window.__benchVisible(r.left + r.width / 2, r.top + r.height / 2);
          return;
        }
      }
      requestAnimationFrame(poll);
    }
  })();
`;

interface Target {
  name: string;
  key: "form" | "surveyjs" | "floor";
  url: string;
  /** A visible answer option (its label), and the radio input it controls. */
  option: string;
  radio: string;
  /** Answers every remaining question. */
  complete(page: Page): Promise<void>;
}

interface RunResult {
  visibleMs: number;
  keptMs: number;
  bytesBeforeAnswer: number;
  totalBytes: number;
  completeMs: number;
  taps: number;
  /** When the first touch reached the page (the gap after visible_ms is dispatch overhead plus a busy main thread). */
  touchMs: number | null;
}

/** One option per question, tapped in document order (one scroll). */
async function completeForm(page: Page, questionSelector: string, optionSelector: string): Promise<void> {
  const questions = page.locator(questionSelector);
  const n = await questions.count();
  for (let i = 0; i < n; i++) {
    const q = questions.nth(i);
    if ((await q.locator("input[type=radio]").count()) === 0) continue;
    if (await q.locator("input[type=radio]:checked").count()) continue;
    await q.locator(optionSelector).first().tap();
  }
}

async function completeSurveyJs(page: Page): Promise<void> {
  for (let pages = 0; pages < 12; pages++) {
    await completeForm(page, ".sd-page .sd-question", ".sd-item__control-label");
    const next = page.locator(".sd-navigation__next-btn").first();
    if (!(await next.isVisible().catch(() => false))) return;
    await next.tap();
  }
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
      userAgent: PHONE_UA,
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
    // Bytes on the wire per request, as they arrive (CDP monotonic seconds).
    const chunks: Array<{ at: number; bytes: number; id: string }> = [];
    const finished = new Map<string, { at: number; bytes: number }>();
    let start: number | null = null;
    cdp.on("Network.requestWillBeSent", (e: { timestamp: number; type?: string }) => {
      if (start === null && e.type === "Document") start = e.timestamp;
    });
    cdp.on("Network.dataReceived", (e: { requestId: string; timestamp: number; encodedDataLength: number }) => {
      chunks.push({ at: e.timestamp, bytes: e.encodedDataLength, id: e.requestId });
    });
    cdp.on("Network.loadingFinished", (e: { requestId: string; timestamp: number; encodedDataLength: number }) => {
      finished.set(e.requestId, { at: e.timestamp, bytes: e.encodedDataLength });
    });
    const problems: string[] = [];
    page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
    page.on("response", (r) => {
      if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`);
    });
    // The moment the first option shows, a finger lands on it (CDP touch at its centre).
    let firstTap: Promise<void> | null = null;
    await page.exposeFunction("__benchVisible", (x: number, y: number) => {
      firstTap = (async () => {
        await cdp.send("Input.dispatchTouchEvent", { type: "touchStart", touchPoints: [{ x, y }] });
        await cdp.send("Input.dispatchTouchEvent", { type: "touchEnd", touchPoints: [] });
      })();
    });
    await page.addInitScript(INIT_SCRIPT(target.option));
    await page.goto(target.url, { waitUntil: "commit" });
    try {
      await page.waitForFunction(() => (window as unknown as { __bench?: { visible: number | null } }).__bench?.visible != null, undefined, {
        timeout: 60_000,
        polling: 50,
      });
    } catch (error) {
      await page.screenshot({ path: "test/artifacts/bench-page-failure.png" }).catch(() => {});
      throw new Error(`${target.name}: no option became visible (${problems.join("; ") || String(error)})`);
    }
    while (firstTap === null) await new Promise((r) => setTimeout(r, 5));
    await firstTap;
    await page.waitForLoadState("load", { timeout: 60_000 });
    await page.waitForLoadState("networkidle", { timeout: 60_000 });
    await page.waitForTimeout(500);
    let taps = 1;
    // A tap that a late script wiped does not count: tap again until one sticks.
    while (!(await page.locator(target.radio).first().isChecked()) && taps < 5) {
      taps++;
      await page.locator(target.option).first().tap({ timeout: 60_000 });
      await page.waitForTimeout(500);
    }
    const early = await page.evaluate(() => (window as unknown as { __bench: { visible: number; touch: number; changes: Array<{ t: number }> } }).__bench);
    const kept = early.changes[early.changes.length - 1]?.t ?? Number.NaN;
    await target.complete(page);
    const late = await page.evaluate(() => (window as unknown as { __bench: { changes: Array<{ t: number }> } }).__bench);
    const completeMs = late.changes[late.changes.length - 1]?.t ?? Number.NaN;
    const zero = start ?? 0;
    const cutoff = zero + kept / 1000;
    const ids = new Set([...chunks.map((c) => c.id), ...finished.keys()]);
    let before = 0;
    let total = 0;
    for (const id of ids) {
      const done = finished.get(id);
      const received = chunks.filter((c) => c.id === id);
      total += done ? done.bytes : received.reduce((s2, c) => s2 + c.bytes, 0);
      before += done && done.at <= cutoff ? done.bytes : received.filter((c) => c.at <= cutoff).reduce((s2, c) => s2 + c.bytes, 0);
    }
    await context.close();
    return { visibleMs: early.visible, keptMs: kept, bytesBeforeAnswer: before, totalBytes: total, completeMs, taps, touchMs: early.touch };
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
      {
        name: "phone page (server-rendered form)",
        key: "form",
        url: link.url,
        option: "label.opt",
        radio: "fieldset[data-q] input[type=radio]",
        complete: (p) => completeForm(p, "fieldset[data-q]", "label.opt"),
      },
      {
        name: "stock SurveyJS page",
        key: "surveyjs",
        url: `${link.url}/full`,
        option: ".sd-item__control-label",
        radio: ".sd-question input[type=radio]",
        complete: completeSurveyJs,
      },
      {
        name: "floor (static HTML form)",
        key: "floor",
        url: floor.url,
        option: "label.o",
        radio: "input[type=radio]",
        complete: (p) => completeForm(p, "fieldset", "label.o"),
      },
    ];
    const results = new Map<string, RunResult[]>();
    for (let run = 0; run < runs; run++) {
      // Interleave the targets so machine noise falls on both alike.
      for (const target of targets) {
        const r = await measure(target);
        results.set(target.name, [...(results.get(target.name) ?? []), r]);
        process.stderr.write(
          `run ${run + 1}/${runs} ${target.name}: visible ${r.visibleMs.toFixed(0)} ms, touch arrived ${r.touchMs?.toFixed(0) ?? "?"} ms, kept ${r.keptMs.toFixed(0)} ms, ${r.bytesBeforeAnswer} B before answer, ${r.totalBytes} B total, ${r.taps} tap(s)\n`,
        );
      }
    }
    const summary = new Map(
      targets.map((t) => {
        const rs = results.get(t.name) ?? [];
        return [
          t.key,
          {
            name: t.name,
            visibleMs: median(rs.map((r) => r.visibleMs)),
            keptMs: median(rs.map((r) => r.keptMs)),
            bytesBeforeAnswer: median(rs.map((r) => r.bytesBeforeAnswer)),
            totalBytes: median(rs.map((r) => r.totalBytes)),
            completeMs: median(rs.map((r) => r.completeMs)),
          },
        ] as const;
      }),
    );
    const form = summary.get("form");
    const stock = summary.get("surveyjs");
    const base = summary.get("floor");
    if (!form || !stock || !base) throw new Error("no results");
    const s2 = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
    const kb = (b: number) => `${(b / 1024).toFixed(1)} KB`;
    process.stdout.write(
      [
        `Phone profile: ${PROFILE.width} px, ${PROFILE.latencyMs} ms RTT, ${PROFILE.downKbps / 1000} Mbit/s down, ${PROFILE.cpuSlowdown}× CPU; medians of ${runs} runs, fresh profile each`,
        "",
        "| page | first option visible | tap kept after load | transferred before that | transferred in total | all questions answered |",
        "|---|---|---|---|---|---|",
        ...[form, stock, base].map(
          (r) => `| ${r.name} | ${s2(r.visibleMs)} | ${s2(r.keptMs)} | ${kb(r.bytesBeforeAnswer)} | ${kb(r.totalBytes)} | ${s2(r.completeMs)} |`,
        ),
        "",
        `phone page ÷ floor: visible ${(form.visibleMs / base.visibleMs).toFixed(2)}×, tap kept ${(form.keptMs / base.keptMs).toFixed(2)}× (goal ≤ 1.5×, and ≤ 0.8 s with ≤ 40 KB before it)`,
        `SurveyJS ÷ floor: visible ${(stock.visibleMs / base.visibleMs).toFixed(2)}×, tap kept ${(stock.keptMs / base.keptMs).toFixed(2)}×`,
        "",
      ].join("\n"),
    );
    const figures = (prefix: string, r: typeof form) => ({
      [`${prefix}_visible_ms`]: Math.round(r.visibleMs),
      [`${prefix}_tap_kept_ms`]: Math.round(r.keptMs),
      [`${prefix}_bytes_before_answer`]: Math.round(r.bytesBeforeAnswer),
      [`${prefix}_total_bytes`]: Math.round(r.totalBytes),
      [`${prefix}_complete_ms`]: Math.round(r.completeMs),
    });
    process.stdout.write(
      `${JSON.stringify({
        bench: "page",
        runs,
        ...figures("form", form),
        ...figures("surveyjs", stock),
        ...figures("floor", base),
        ratio_form_visible: Number((form.visibleMs / base.visibleMs).toFixed(2)),
        ratio_form_tap_kept: Number((form.keptMs / base.keptMs).toFixed(2)),
        ratio_surveyjs_tap_kept: Number((stock.keptMs / base.keptMs).toFixed(2)),
        goal_met: form.keptMs <= 800 && form.bytesBeforeAnswer <= 40 * 1024 && form.keptMs / base.keptMs <= 1.5,
      })}\n`,
    );
  } finally {
    floor.server.close();
    await server.stop();
  }
}

await main();
