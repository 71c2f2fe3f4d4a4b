/**
 * npm run bench -- stuffing — ballot stuffing against a parents' meeting, both sides measured on
 * the real server (issue 21, decision 0012).
 *
 * Each scenario starts the real server afresh (build/server.js, production, SQLite, in-process
 * limiter, TRUST_PROXY=X-Real-IP) and drives the 社会卷 link of 沙坡头区第一小学 (2,150 pupils)
 * over HTTP from ONE client address, as phones do: GET the page (a phone's user agent, no
 * cookie: the server mints a device cookie and a start token bound to it), then POST the answers
 * with that cookie and token. Nothing is minted with the server's secrets.
 *
 *   minted     a stuffing script: `--stuffing` submissions, each from a new device cookie got by
 *              fetching the page, sent at once (`--concurrency` workers);
 *   harvested  the same script with start tokens harvested in advance: `--harvest` pages fetched
 *              as fast as the server answers, `--harvest-wait` seconds spent waiting out the
 *              speed floor, then every harvested token spent as fast as the server takes them;
 *   meeting    a parents' meeting behind one NAT: `--meeting` phones, each opening the page at a
 *              moment of its own within `--arrival-seconds`, answering for 40–160 s, with
 *              answers of its own (a seeded generator: reproducible).
 * Prints per scenario: submissions sent, accepted (HTTP 200), stored (rows), stored and
 * unflagged (rows with no integrity flag), the flags' counts, pages refused (429 slow-down) and
 * p50/p99 of the submissions; then ONE JSON line of named figures. The goal: the stuffing
 * scenarios' stored-and-unflagged near zero while the meeting stays accepted = unflagged = all.
 * A measurement, not a test: nothing fails when slow.
 *
 *   npm run bench -- stuffing [--stuffing 1000] [--harvest 300] [--harvest-wait 35]
 *                             [--meeting 300] [--arrival-seconds 180] [--concurrency 8]
 *
 * The Remix build is made when missing (run `npm run build` after changing routes).
 */
import { randomBytes } from "node:crypto";
import http from "node:http";
import path from "node:path";
import { performance } from "node:perf_hooks";
import SQLite from "better-sqlite3";
import { createKeys } from "../app/.server/keys";
import { fail, parseFlags, positiveIntFlag } from "./lib/cli";
import { drive, percentile, post, residentMb, schoolLinks, SCORED_ITEMS, type Sample, type Submission } from "./lib/load";
import { startServerProcess, type ServerProcess } from "./lib/server-process";

const flags = parseFlags(process.argv.slice(2));
const num = (name: string, fallback: number): number => positiveIntFlag(flags, name, fallback);
const STUFFING = num("stuffing", 1000);
const HARVEST = num("harvest", 300);
const HARVEST_WAIT_S = num("harvest-wait", 35);
const MEETING = num("meeting", 300);
const ARRIVAL_S = num("arrival-seconds", 180);
const CONCURRENCY = num("concurrency", 8);
const ADDRESS = "203.0.113.50";
const PHONE_UA =
  "Mozilla/5.0 (Linux; Android 12; V2111A) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/86.0.4240.99 Mobile Safari/537.36 MicroMessenger/8.0.40";

// ---------------------------------------------------------------------------------------------
// Phones

/** A deterministic generator in [0, 1) (mulberry32). */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Cumulative shares of the options, as parents answer (half 满意) and as a stuffer does. */
const PARENT: Array<[number, string]> = [
  [0.5, "满意"],
  [0.75, "比较满意"],
  [0.87, "基本满意"],
  [0.92, "不满意"],
  [0.95, "很不满意"],
  [1, "不了解"],
];
const STUFFER: Array<[number, string]> = [
  [0.6, "满意"],
  [1, "比较满意"],
];

/** One person's answers to the 社会卷 of a 小学 (grade 1–6), never straight-lined. */
function answers(rand: () => number, shares: Array<[number, string]>): Record<string, unknown> {
  const out: Record<string, unknown> = { grade: 1 + Math.floor(rand() * 6) };
  for (const item of SCORED_ITEMS) {
    const r = rand();
    out[item] = shares.find(([upTo]) => r < upTo)?.[1] ?? "满意";
  }
  if (SCORED_ITEMS.every((item) => out[item] === out.moral)) out.homework = out.moral === "满意" ? "比较满意" : "满意";
  if (rand() < 0.2) out.comment = "希望增加课后服务的活动种类。";
  return out;
}

interface Page {
  status: number;
  cookie: string;
  started: string;
  ms: number;
}

/** GET /s/<token> as a phone without a cookie: the device cookie and start token it was given. */
function openPage(agent: http.Agent, port: number, token: string): Promise<Page> {
  return new Promise((resolve) => {
    const t = performance.now();
    const req = http.get({ agent, host: "127.0.0.1", port, path: `/s/${token}`, headers: { "User-Agent": PHONE_UA, "X-Real-IP": ADDRESS } }, (res) => {
      let html = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (html += chunk));
      res.on("end", () => {
        const cookie = (res.headers["set-cookie"] ?? []).map((c) => c.split(";")[0] ?? "").find((c) => c.startsWith("yz_did=")) ?? "";
        const started = /name="_started" value="([^"]*)"/.exec(html)?.[1] ?? "";
        resolve({ status: res.statusCode ?? 0, cookie, started, ms: performance.now() - t });
      });
    });
    req.on("error", () => resolve({ status: 0, cookie: "", started: "", ms: performance.now() - t }));
  });
}

function submission(token: string, page: Page, body: Record<string, unknown>): Submission {
  return {
    path: `/s/${token}/submit`,
    cookie: page.cookie,
    address: ADDRESS,
    body: JSON.stringify({ version: 1, idempotencyKey: randomBytes(16).toString("base64url"), started: page.started, answers: body }),
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------------------------------------
// Scenarios

interface Outcome {
  sent: number;
  accepted: number;
  stored: number;
  unflagged: number;
  pagesRefused: number;
  flags: Record<string, number>;
  p50: number;
  p99: number;
  seconds: number;
}

function storedRows(server: ServerProcess): { stored: number; unflagged: number; flags: Record<string, number> } {
  const db = new SQLite(path.join(server.dataDir, "survey.sqlite"), { readonly: true, fileMustExist: true });
  try {
    const rows = db.prepare("select flags from responses").all() as Array<{ flags: string }>;
    const counts: Record<string, number> = {};
    let unflagged = 0;
    for (const r of rows) {
      const parsed: unknown = JSON.parse(r.flags);
      const list = Array.isArray(parsed) ? parsed.map(String) : [];
      if (list.length === 0) unflagged += 1;
      for (const f of list) counts[f] = (counts[f] ?? 0) + 1;
    }
    return { stored: rows.length, unflagged, flags: counts };
  } finally {
    db.close();
  }
}

function outcome(server: ServerProcess, samples: Sample[], pagesRefused: number, seconds: number): Outcome {
  const latencies = samples.map((s) => s.ms).sort((a, b) => a - b);
  return {
    sent: samples.length,
    accepted: samples.filter((s) => s.status === 200).length,
    ...storedRows(server),
    pagesRefused,
    p50: percentile(latencies, 0.5),
    p99: percentile(latencies, 0.99),
    seconds,
  };
}

/** (a) A new device per submission: fetch the page, post at once. */
async function minted(server: ServerProcess, port: number, token: string): Promise<Outcome> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const rand = random(1);
  const samples: Sample[] = [];
  let refused = 0;
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < STUFFING) {
        next += 1;
        const page = await openPage(agent, port, token);
        if (page.status !== 200 || !page.cookie) {
          refused += 1;
          continue;
        }
        samples.push(await post(agent, port, submission(token, page, answers(rand, STUFFER))));
      }
    }),
  );
  agent.destroy();
  return outcome(server, samples, refused, (performance.now() - t0) / 1000);
}

/** (b) Start tokens harvested in advance, then spent as fast as the server takes them. */
async function harvested(server: ServerProcess, port: number, token: string): Promise<Outcome & { harvestSeconds: number; spendSeconds: number }> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const rand = random(2);
  const pages: Page[] = [];
  let refused = 0;
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < HARVEST) {
        next += 1;
        const page = await openPage(agent, port, token);
        if (page.status === 200 && page.cookie) pages.push(page);
        else refused += 1;
      }
    }),
  );
  agent.destroy();
  const harvestSeconds = (performance.now() - t0) / 1000;
  await sleep(HARVEST_WAIT_S * 1000);
  const spent = await drive(
    port,
    pages.map((p) => submission(token, p, answers(rand, STUFFER))),
    CONCURRENCY,
  );
  return { ...outcome(server, spent.samples, refused, (performance.now() - t0) / 1000), harvestSeconds, spendSeconds: spent.seconds };
}

/** (c) The parents' meeting: each phone opens at its own moment, answers for 40–160 s. */
async function meeting(server: ServerProcess, port: number, token: string): Promise<Outcome> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const rand = random(20261203);
  const plan = Array.from({ length: MEETING }, () => ({
    opensAfter: rand() * ARRIVAL_S * 1000,
    answersFor: 40_000 + rand() * 120_000,
    answers: answers(rand, PARENT),
  }));
  const samples: Sample[] = [];
  let refused = 0;
  const t0 = performance.now();
  await Promise.all(
    plan.map(async (phone) => {
      await sleep(phone.opensAfter);
      const page = await openPage(agent, port, token);
      if (page.status !== 200 || !page.cookie) {
        refused += 1;
        return;
      }
      await sleep(phone.answersFor);
      samples.push(await post(agent, port, submission(token, page, phone.answers)));
    }),
  );
  agent.destroy();
  return outcome(server, samples, refused, (performance.now() - t0) / 1000);
}

// ---------------------------------------------------------------------------------------------
// Run

const secrets = { signing: randomBytes(32).toString("base64url"), deviceSalt: randomBytes(32).toString("base64url") };
const keys = createKeys(secrets);
const link = schoolLinks(keys).find((l) => l.scope.schoolId === "spt01");
if (!link) fail("the demo school spt01 is missing");

async function scenario<T extends Outcome>(
  name: string,
  run: (server: ServerProcess, port: number, token: string) => Promise<T>,
): Promise<T & { peakRssMb: number | null }> {
  const server = await startServerProcess({ SIGNING_SECRET: secrets.signing, DEVICE_SALT: secrets.deviceSalt, TRUST_PROXY: "X-Real-IP" });
  try {
    const port = Number(new URL(server.baseUrl).port);
    process.stdout.write(`${name}: running…\n`);
    const result = await run(server, port, link?.token ?? "");
    const peak = residentMb(server.child.pid)?.peak ?? null;
    const f =
      Object.entries(result.flags)
        .map(([k, v]) => `${k} ${v}`)
        .join(", ") || "none";
    process.stdout.write(
      `${name}: sent ${result.sent}, accepted ${result.accepted}, stored ${result.stored}, stored and unflagged ${result.unflagged}, ` +
        `pages refused ${result.pagesRefused}, ${result.seconds.toFixed(1)} s, submit p50 ${result.p50.toFixed(1)} ms p99 ${result.p99.toFixed(1)} ms; flags: ${f}\n`,
    );
    return { ...result, peakRssMb: peak };
  } finally {
    await server.stop();
  }
}

const a = await scenario("minted (a new device per submission)", minted);
const b = await scenario("harvested (start tokens fetched in advance)", harvested);
process.stdout.write(`  harvest ${b.harvestSeconds.toFixed(1)} s, wait ${HARVEST_WAIT_S} s, spent in ${b.spendSeconds.toFixed(1)} s\n`);
const c = await scenario(`meeting (${MEETING} phones behind one NAT)`, meeting);

const figures = {
  benchmark: "stuffing",
  minted_sent: a.sent,
  minted_stored: a.stored,
  minted_stored_unflagged: a.unflagged,
  minted_pages_refused: a.pagesRefused,
  harvested_sent: b.sent,
  harvested_stored: b.stored,
  harvested_stored_unflagged: b.unflagged,
  harvested_spend_seconds: Number(b.spendSeconds.toFixed(2)),
  meeting_phones: MEETING,
  meeting_accepted: c.accepted,
  meeting_stored: c.stored,
  meeting_stored_unflagged: c.unflagged,
  meeting_pages_refused: c.pagesRefused,
  meeting_p99_ms: Number(c.p99.toFixed(1)),
  peak_rss_mb: Math.max(a.peakRssMb ?? 0, b.peakRssMb ?? 0, c.peakRssMb ?? 0) || null,
};
process.stdout.write(`${JSON.stringify(figures)}\n`);
