/**
 * npm run bench:ingest — how fast the collection path accepts submissions over HTTP, next to the
 * floor of this machine measured in the same run.
 *
 * This process is the driver; the servers are child processes (a second process, as a phone is):
 *   - baseline: a bare node:http server that parses the JSON body and inserts the same row (the
 *     responses row and its item rows, one transaction) into a fresh SQLite file with the same
 *     pragmas — the floor: no validation, no limits, no framework;
 *   - app: the real server (server/index.ts, production mode) on a fresh DATA_DIR, behind which
 *     every submission passes the whole collection path (signed link, campaign window, rate
 *     limits, device, JSON, signed start time, validation, scoring, integrity flags, the store).
 *
 * Phases, each run `--runs` times (medians reported), every server started fresh:
 *   throughput  `--requests` distinct devices on the 27 demo schools' 社会卷 links from 200
 *               client addresses (X-Real-IP, TRUST_PROXY) at `--concurrency`: accepted/s, p50, p99;
 *   NAT         300 devices behind one address on one school link, all at once: accepted, flagged;
 *   flood       one device submitting 50 times in a row (statuses, latency of the 429s), then
 *               one device sending 5 000 at `--concurrency` (429s per second, p50/p99).
 * Device cookies and signed start times are minted with the server's secrets (given to it in
 * SIGNING_SECRET / DEVICE_SALT), as its survey page would hand them out.
 *
 * Ends with ONE JSON line of named figures. A measurement, not a test: nothing fails when slow.
 *
 *   npm run bench:ingest -- [--runs 3] [--requests 20000] [--concurrency 32]
 *                           [--backend memory|redis] [--handler lean|remix] [--synchronous NORMAL|FULL]
 *
 * `--backend redis` needs REDIS_URL (keys under a prefix of their own, deleted afterwards).
 * `--profile <dir>` writes a CPU profile of each app server into <dir> (node --cpu-prof).
 * `--handler remix` sends submissions through the Remix action (SUBMIT_HANDLER=remix), which
 * needs a current `npm run build`; the lean handler needs no build for the submit path.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import SQLite from "better-sqlite3";
import { Redis as IORedis } from "ioredis";
import { newDeviceCookie } from "../app/.server/device";
import { createKeys, type Keys } from "../app/.server/keys";
import { scopeKey, signLink, type LinkScope } from "../app/.server/link-token";
import { signStarted } from "../app/.server/started-token";
import { GRADES_BY_SCHOOL_TYPE } from "../app/domain/vocabulary";
import { createDb, migrateToLatest } from "../db/create-db";
import { DEMO_CAMPAIGN_ID, DEMO_COUNTIES } from "../db/seed/demo-zhongwei";
import { fail, parseFlags, ROOT } from "./lib/cli";

// ---------------------------------------------------------------------------------------------
// Settings

const flags = parseFlags(process.argv.slice(2));
const num = (name: string, fallback: number): number => {
  const v = flags.get(name);
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) fail(`--${name} must be a positive integer`);
  return n;
};
const choice = <T extends string>(name: string, allowed: readonly T[], fallback: T): T => {
  const v = flags.get(name);
  if (v === undefined) return fallback;
  const found = allowed.find((a) => a === v);
  if (found === undefined) fail(`--${name} must be one of ${allowed.join(", ")}`);
  return found;
};

const ROLE = choice("role", ["driver", "baseline"], "driver");
const RUNS = num("runs", 3);
const REQUESTS = num("requests", 20_000);
const CONCURRENCY = num("concurrency", 32);
const WARMUP = Math.min(3_000, Math.ceil(REQUESTS / 5));
const BACKEND = choice("backend", ["memory", "redis"], "memory");
const HANDLER = choice("handler", ["lean", "remix"], "lean");
const SYNCHRONOUS = choice("synchronous", ["NORMAL", "FULL"], "NORMAL");
const ADDRESSES = 200;
const NAT_DEVICES = 300;
const FLOOD_SEQUENTIAL = 50;
const FLOOD_CONCURRENT = 5_000;

// ---------------------------------------------------------------------------------------------
// The baseline server (child role): node:http + better-sqlite3, the same row, nothing else.

const SCORED_ITEMS = [
  "moral", "equity", "admission", "gap", "teachers", "conduct", "quality_ed",
  "exam_reform", "homework", "pe_arts_labour", "safety", "government", "overall",
];

function runBaseline(dataDir: string, port: number): void {
  const db = new SQLite(path.join(dataDir, "survey.sqlite"));
  db.pragma("journal_mode = WAL");
  db.pragma(`synchronous = ${SYNCHRONOUS}`);
  db.pragma("foreign_keys = ON");
  const insertResponse = db.prepare(`insert into responses (campaign_id, county_id, school_id, questionnaire_id,
    questionnaire_version, respondent_group, grade, location, answers, overall_score, score_sum, score_count, comment,
    started_at, submitted_at, duration_ms, device_hash, respondent_key, idempotency_key, supervision_code_id, flags)
    values (?, ?, ?, 'social', 1, 'parent', ?, 'urban', ?, 4, 51, 12, ?, ?, ?, ?, ?, ?, ?, null, '[]')
    on conflict do nothing returning id`);
  const insertItem = db.prepare("insert into response_items (response_id, item, score) values (?, ?, ?)");
  const store = db.transaction((body: { idempotencyKey: string; answers: Record<string, unknown> }, device: string) => {
    const now = Date.now();
    const row = insertResponse.get(
      DEMO_CAMPAIGN_ID, "640502", "spt01", Number(body.answers.grade ?? 1), JSON.stringify(body.answers),
      typeof body.answers.comment === "string" ? body.answers.comment : null, now - 240_000, now, 240_000,
      device, `${device}:spt01`, body.idempotencyKey,
    );
    const id = typeof row === "object" && row !== null && "id" in row ? Number(row.id) : null;
    if (id === null) return false;
    for (const item of SCORED_ITEMS) insertItem.run(id, item, 4);
    return true;
  });
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      let status = 200;
      let payload = '{"ok":true,"status":"accepted"}';
      try {
        const body: unknown = JSON.parse(Buffer.concat(chunks).toString("utf8"));
        const device = /yz_did=([^;.]+)/.exec(req.headers.cookie ?? "")?.[1] ?? "";
        if (typeof body !== "object" || body === null || !("idempotencyKey" in body) || !("answers" in body)) throw new Error("bad body");
        const idempotencyKey = String(body.idempotencyKey);
        const answers = typeof body.answers === "object" && body.answers !== null ? Object.fromEntries(Object.entries(body.answers)) : {};
        if (!store({ idempotencyKey, answers }, device)) {
          status = 409;
          payload = '{"ok":false,"error":"already_submitted"}';
        }
      } catch {
        status = 400;
        payload = '{"ok":false,"error":"bad_request"}';
      }
      res.writeHead(status, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(payload) });
      res.end(payload);
    });
  });
  server.keepAliveTimeout = 65_000;
  server.listen(port, "127.0.0.1", () => process.stdout.write("ready\n"));
  process.on("SIGTERM", () => {
    server.close();
    server.closeAllConnections();
    db.close();
    process.exit(0);
  });
}

// ---------------------------------------------------------------------------------------------
// The driver

interface Sample {
  status: number;
  ms: number;
}

interface Submission {
  path: string;
  cookie: string;
  address: string;
  body: string;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function percentile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

function median(values: readonly number[]): number {
  return percentile([...values].sort((a, b) => a - b), 0.5);
}

const OPTIONS = ["满意", "比较满意", "基本满意", "不满意", "很不满意", "不了解"];

/** A plausible, varied parent's answer set for a school of `type`. */
function answersFor(type: keyof typeof GRADES_BY_SCHOOL_TYPE, n: number): Record<string, unknown> {
  const grades = GRADES_BY_SCHOOL_TYPE[type];
  const answers: Record<string, unknown> = { grade: grades.min + (n % (grades.max - grades.min + 1)) };
  SCORED_ITEMS.forEach((item, i) => {
    answers[item] = OPTIONS[(n + i * 7 + (i % 3)) % 4] ?? "满意";
  });
  if (n % 5 === 0) answers.comment = "希望增加课后服务的活动种类。";
  return answers;
}

interface Link {
  scope: LinkScope;
  token: string;
  type: keyof typeof GRADES_BY_SCHOOL_TYPE;
}

function schoolLinks(keys: Keys): Link[] {
  return DEMO_COUNTIES.flatMap((county) =>
    county.schools.map((school) => {
      const scope: LinkScope = { campaignId: DEMO_CAMPAIGN_ID, countyId: county.id, schoolId: school.id, questionnaireId: "social" };
      return { scope, token: signLink(keys, scope), type: school.type };
    }),
  );
}

function mint(keys: Keys, link: Link, n: number, address: string, device?: string): Submission {
  const cookie = device ?? newDeviceCookie(keys, false).setCookie.split(";")[0] ?? "";
  // Opened four to six minutes ago: an ordinary answering time, not "too fast".
  const started = signStarted(keys, scopeKey(link.scope), Date.now() - 240_000 - (n % 120) * 1000);
  const body = JSON.stringify({ version: 1, idempotencyKey: randomBytes(16).toString("base64url"), started, answers: answersFor(link.type, n) });
  return { path: `/s/${link.token}/submit`, cookie, address, body };
}

function post(agent: http.Agent, port: number, s: Submission): Promise<Sample> {
  return new Promise((resolve) => {
    const t = performance.now();
    const req = http.request(
      {
        agent,
        host: "127.0.0.1",
        port,
        method: "POST",
        path: s.path,
        headers: {
          "Content-Type": "application/json",
          "Content-Length": Buffer.byteLength(s.body),
          Cookie: s.cookie,
          "X-Real-IP": s.address,
        },
      },
      (res) => {
        res.resume();
        res.on("end", () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - t }));
      },
    );
    req.on("error", () => resolve({ status: 0, ms: performance.now() - t }));
    req.end(s.body);
  });
}

/** Sends every submission with at most `concurrency` in flight; returns samples and wall time. */
async function drive(port: number, submissions: readonly Submission[], concurrency: number): Promise<{ samples: Sample[]; seconds: number }> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const samples: Sample[] = new Array(submissions.length);
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: Math.min(concurrency, submissions.length) }, async () => {
      for (;;) {
        const i = next++;
        const s = submissions[i];
        if (s === undefined) return;
        samples[i] = await post(agent, port, s);
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  agent.destroy();
  return { samples, seconds };
}

interface Throughput {
  /** Server CPU time per request, in µs (user + system, from /proc). */
  cpuMicrosPerRequest: number | null;
  acceptedPerSecond: number;
  p50: number;
  p99: number;
  accepted: number;
  other: Record<string, number>;
}

function summarize(result: { samples: Sample[]; seconds: number; cpu: number | null }): Throughput {
  const accepted = result.samples.filter((s) => s.status === 200).length;
  const latencies = result.samples.map((s) => s.ms).sort((a, b) => a - b);
  const other: Record<string, number> = {};
  for (const s of result.samples) if (s.status !== 200) other[String(s.status)] = (other[String(s.status)] ?? 0) + 1;
  return {
    cpuMicrosPerRequest: result.cpu === null ? null : (result.cpu / result.samples.length) * 1e6,
    acceptedPerSecond: accepted / result.seconds,
    p50: percentile(latencies, 0.5),
    p99: percentile(latencies, 0.99),
    accepted,
    other,
  };
}

function waitForLine(child: ChildProcess, pattern: RegExp, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let buffer = "";
    const onData = (chunk: Buffer) => {
      buffer += chunk.toString("utf8");
      if (pattern.test(buffer)) {
        child.stdout?.off("data", onData);
        resolve();
      }
    };
    child.stdout?.on("data", onData);
    child.once("exit", (code) => reject(new Error(`${what} exited (${String(code)}) before it was ready:\n${buffer.slice(-2000)}`)));
  });
}

async function waitForHealth(child: ChildProcess, port: number): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null) throw new Error(`app server exited (${child.exitCode}) before it was ready`);
    const ok = await new Promise<boolean>((resolve) => {
      const req = http.get({ host: "127.0.0.1", port, path: "/healthz" }, (res) => {
        res.resume();
        resolve(res.statusCode === 200);
      });
      req.on("error", () => resolve(false));
    });
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error("app server did not become healthy within 30 s");
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.pid === undefined) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  await exited;
}

/** Children run as `node --import tsx …`: one process each, so /proc/<pid>/stat is the server's CPU. */
function spawnTs(file: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env, nodeFlags: readonly string[] = []): ChildProcess {
  return spawn(process.execPath, [...nodeFlags, "--import", "tsx", file, ...args], { cwd: ROOT, env, stdio: ["ignore", "pipe", "inherit"] });
}

const CLOCK_TICKS = 100; // USER_HZ on Linux

/** CPU seconds (user + system) a process has used so far; null where /proc is unavailable. */
function cpuSeconds(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return null;
  }
}

async function startBaseline(): Promise<{ port: number; child: ChildProcess; dataDir: string }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "yz-bench-baseline-"));
  const db = createDb({ kind: "sqlite", file: path.join(dataDir, "survey.sqlite"), synchronous: SYNCHRONOUS });
  await migrateToLatest(db);
  // The same foreign keys as the app's store: the demo campaign, county and school exist.
  await db.insertInto("counties").values({ id: "640502", name: "沙坡头区", city: "中卫市", is_demo: 1 }).execute();
  await db
    .insertInto("schools")
    .values({ id: "spt01", county_id: "640502", name: "demo", type: "primary", location: "urban", students_primary: 2150, students_junior: 0, students_senior: 0, is_demo: 1 })
    .execute();
  await db
    .insertInto("campaigns")
    .values({ id: DEMO_CAMPAIGN_ID, name: "demo", city: "中卫市", year: 2026, phase: "self", opens_at: 0, closes_at: 1e15, satisfaction_rule: "{}", is_demo: 1, created_at: 0 })
    .execute();
  await db.destroy();
  const port = await freePort();
  const child = spawnTs(path.join(ROOT, "scripts", "bench-ingest.ts"), ["--role", "baseline", "--data-dir", dataDir, "--port", String(port), "--synchronous", SYNCHRONOUS]);
  await waitForLine(child, /ready/, "baseline server");
  return { port, child, dataDir };
}

interface App {
  port: number;
  child: ChildProcess;
  dataDir: string;
  keys: Keys;
  prefix: string;
}

async function startApp(): Promise<App> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "yz-bench-app-"));
  const port = await freePort();
  const signing = randomBytes(32).toString("base64url");
  const deviceSalt = randomBytes(32).toString("base64url");
  const prefix = `yzbench:${process.pid}:${randomBytes(4).toString("hex")}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    HOST: "127.0.0.1",
    PORT: String(port),
    DATA_DIR: dataDir,
    SIGNING_SECRET: signing,
    DEVICE_SALT: deviceSalt,
    TRUST_PROXY: "X-Real-IP",
    SQLITE_SYNCHRONOUS: SYNCHRONOUS,
    LOG_LEVEL: "warn",
    RATE_LIMIT_BACKEND: BACKEND,
    RATE_LIMIT_KEY_PREFIX: prefix,
    SUBMIT_HANDLER: HANDLER,
  };
  const profile = flags.get("profile");
  const child = spawnTs(path.join(ROOT, "server", "index.ts"), [], env, typeof profile === "string" ? ["--cpu-prof", `--cpu-prof-dir=${path.resolve(profile)}`] : []);
  child.stdout?.resume();
  await waitForHealth(child, port);
  return { port, child, dataDir, keys: createKeys({ signing, deviceSalt }), prefix };
}

async function stopApp(app: App): Promise<void> {
  await stop(app.child);
  fs.rmSync(app.dataDir, { recursive: true, force: true });
  if (BACKEND === "redis") {
    const redis = new IORedis(process.env.REDIS_URL ?? "");
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", `${app.prefix}*`, "COUNT", 1000);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== "0");
    await redis.quit();
  }
}

function flaggedRows(dataDir: string, schoolId: string): { rows: number; flagged: number } {
  const db = new SQLite(path.join(dataDir, "survey.sqlite"), { readonly: true });
  try {
    const row = db
      .prepare("select count(*) as n, sum(case when flags <> '[]' then 1 else 0 end) as f from responses where school_id = ?")
      .get(schoolId);
    const n = typeof row === "object" && row !== null && "n" in row ? Number(row.n) : 0;
    const f = typeof row === "object" && row !== null && "f" in row ? Number(row.f ?? 0) : 0;
    return { rows: n, flagged: f };
  } finally {
    db.close();
  }
}

function throughputSubmissions(keys: Keys, links: readonly Link[], count: number, offset: number): Submission[] {
  return Array.from({ length: count }, (_, i) => {
    const n = offset + i;
    const link = links[n % links.length];
    if (!link) throw new Error("no links");
    return mint(keys, link, n, `10.${(n % ADDRESSES) >> 8}.${n % ADDRESSES}.7`);
  });
}

interface RunFigures {
  baseline: Throughput;
  app: Throughput;
  nat: { accepted: number; flagged: number; p50: number; p99: number };
  floodSequential: { statuses: Record<string, number>; p50Of429: number };
  floodConcurrent: { refusedPerSecond: number; p50: number; p99: number; accepted: number };
}

/** `drive` at CONCURRENCY, with the server's CPU seconds over the measured window. */
async function measured(server: ChildProcess, port: number, submissions: readonly Submission[]) {
  const before = cpuSeconds(server.pid);
  const result = await drive(port, submissions, CONCURRENCY);
  const after = cpuSeconds(server.pid);
  return { ...result, cpu: before === null || after === null ? null : after - before };
}

async function oneRun(run: number): Promise<RunFigures> {
  // Baseline: same body shape and count, distinct devices.
  const base = await startBaseline();
  const baseKeys = createKeys({ signing: "b".repeat(32), deviceSalt: "s".repeat(32) });
  const baseLinks = schoolLinks(baseKeys);
  await drive(base.port, throughputSubmissions(baseKeys, baseLinks, WARMUP, 10_000_000), CONCURRENCY);
  const baseline = summarize(await measured(base.child, base.port, throughputSubmissions(baseKeys, baseLinks, REQUESTS, 0)));
  await stop(base.child);
  fs.rmSync(base.dataDir, { recursive: true, force: true });

  const app = await startApp();
  try {
    const links = schoolLinks(app.keys);
    await drive(app.port, throughputSubmissions(app.keys, links, WARMUP, 10_000_000), CONCURRENCY);
    const appFigures = summarize(await measured(app.child, app.port, throughputSubmissions(app.keys, links, REQUESTS, 0)));

    // NAT: a parents' meeting at 海原县第一小学 (2 050 pupils), 300 phones behind one address.
    const natLink = links.find((l) => l.scope.schoolId === "hy01");
    if (!natLink) throw new Error("no hy01 link");
    const natSubs = Array.from({ length: NAT_DEVICES }, (_, i) => mint(app.keys, natLink, i, "198.51.100.77"));
    const natRun = await drive(app.port, natSubs, CONCURRENCY);
    const natLat = natRun.samples.map((s) => s.ms).sort((a, b) => a - b);
    const natRows = flaggedRows(app.dataDir, "hy01");

    // Flood: one device, one address, 50 in a row; then 5 000 at full concurrency.
    const floodLink = links.find((l) => l.scope.schoolId === "zn05");
    if (!floodLink) throw new Error("no zn05 link");
    const device = newDeviceCookie(app.keys, false).setCookie.split(";")[0] ?? "";
    const seq = await drive(app.port, Array.from({ length: FLOOD_SEQUENTIAL }, (_, i) => mint(app.keys, floodLink, i, "192.0.2.66", device)), 1);
    const statuses: Record<string, number> = {};
    for (const s of seq.samples) statuses[String(s.status)] = (statuses[String(s.status)] ?? 0) + 1;
    const refusedLat = seq.samples.filter((s) => s.status === 429).map((s) => s.ms).sort((a, b) => a - b);
    const device2 = newDeviceCookie(app.keys, false).setCookie.split(";")[0] ?? "";
    const big = await drive(app.port, Array.from({ length: FLOOD_CONCURRENT }, (_, i) => mint(app.keys, floodLink, i, "192.0.2.67", device2)), CONCURRENCY);
    const bigLat = big.samples.map((s) => s.ms).sort((a, b) => a - b);
    const figures: RunFigures = {
      baseline,
      app: appFigures,
      nat: { accepted: natRun.samples.filter((s) => s.status === 200).length, flagged: natRows.flagged, p50: percentile(natLat, 0.5), p99: percentile(natLat, 0.99) },
      floodSequential: { statuses, p50Of429: percentile(refusedLat, 0.5) },
      floodConcurrent: {
        refusedPerSecond: big.samples.filter((s) => s.status === 429).length / big.seconds,
        p50: percentile(bigLat, 0.5),
        p99: percentile(bigLat, 0.99),
        accepted: big.samples.filter((s) => s.status === 200).length,
      },
    };
    const f = (n: number) => n.toFixed(n < 10 ? 2 : 0);
    process.stdout.write(
      `run ${run}: baseline ${f(baseline.acceptedPerSecond)}/s p50 ${f(baseline.p50)} p99 ${f(baseline.p99)} ms | ` +
        `app ${f(appFigures.acceptedPerSecond)}/s p50 ${f(appFigures.p50)} p99 ${f(appFigures.p99)} ms ${JSON.stringify(appFigures.other)} | ` +
        `CPU/request baseline ${f(baseline.cpuMicrosPerRequest ?? Number.NaN)} µs, app ${f(appFigures.cpuMicrosPerRequest ?? Number.NaN)} µs | ` +
        `NAT ${figures.nat.accepted}/${NAT_DEVICES} accepted, ${figures.nat.flagged} flagged | ` +
        `flood ${JSON.stringify(statuses)}, 429 p50 ${f(figures.floodSequential.p50Of429)} ms; ` +
        `${f(figures.floodConcurrent.refusedPerSecond)} refusals/s p99 ${f(figures.floodConcurrent.p99)} ms\n`,
    );
    return figures;
  } finally {
    await stopApp(app);
  }
}

async function main(): Promise<void> {
  if (BACKEND === "redis" && !process.env.REDIS_URL) fail("--backend redis needs REDIS_URL, e.g. REDIS_URL=redis://127.0.0.1:6379");
  process.stdout.write(
    `bench:ingest — ${RUNS} runs × ${REQUESTS} submissions at concurrency ${CONCURRENCY} (after ${WARMUP} warm-up), ` +
      `limiter ${BACKEND}, submit handler ${HANDLER}, SQLite synchronous=${SYNCHRONOUS}, ${os.cpus().length} CPUs, Node ${process.version}\n`,
  );
  const runs: RunFigures[] = [];
  for (let r = 1; r <= RUNS; r++) runs.push(await oneRun(r));

  const m = (pick: (f: RunFigures) => number) => median(runs.map(pick));
  const figures = {
    bench: "ingest",
    runs: RUNS,
    requests: REQUESTS,
    concurrency: CONCURRENCY,
    backend: BACKEND,
    handler: HANDLER,
    synchronous: SYNCHRONOUS,
    cpus: os.cpus().length,
    acceptedPerSecond: Math.round(m((f) => f.app.acceptedPerSecond)),
    p50Ms: Number(m((f) => f.app.p50).toFixed(2)),
    p99Ms: Number(m((f) => f.app.p99).toFixed(2)),
    baselinePerSecond: Math.round(m((f) => f.baseline.acceptedPerSecond)),
    baselineP50Ms: Number(m((f) => f.baseline.p50).toFixed(2)),
    baselineP99Ms: Number(m((f) => f.baseline.p99).toFixed(2)),
    ratioToBaseline: Number(m((f) => f.app.acceptedPerSecond / f.baseline.acceptedPerSecond).toFixed(3)),
    appCpuMicrosPerRequest: Math.round(m((f) => f.app.cpuMicrosPerRequest ?? Number.NaN)),
    baselineCpuMicrosPerRequest: Math.round(m((f) => f.baseline.cpuMicrosPerRequest ?? Number.NaN)),
    natAccepted: m((f) => f.nat.accepted),
    natDevices: NAT_DEVICES,
    natFlagged: m((f) => f.nat.flagged),
    natP99Ms: Number(m((f) => f.nat.p99).toFixed(2)),
    floodAccepted: m((f) => f.floodSequential.statuses["200"] ?? 0),
    floodDuplicates409: m((f) => f.floodSequential.statuses["409"] ?? 0),
    floodRefused429: m((f) => f.floodSequential.statuses["429"] ?? 0),
    flood429P50Ms: Number(m((f) => f.floodSequential.p50Of429).toFixed(2)),
    floodRefusalsPerSecond: Math.round(m((f) => f.floodConcurrent.refusedPerSecond)),
    floodP99Ms: Number(m((f) => f.floodConcurrent.p99).toFixed(2)),
  };
  process.stdout.write(
    `\nmedians over ${RUNS} runs:\n` +
      `  accepted submissions  ${figures.acceptedPerSecond}/s   p50 ${figures.p50Ms} ms   p99 ${figures.p99Ms} ms\n` +
      `  baseline (node:http + SQLite insert)  ${figures.baselinePerSecond}/s   p50 ${figures.baselineP50Ms} ms   p99 ${figures.baselineP99Ms} ms\n` +
      `  ratio to baseline     ${(figures.ratioToBaseline * 100).toFixed(1)}%   (target ≥ 25% with p99 ≤ 50 ms)\n` +
      `  server CPU per request: app ${figures.appCpuMicrosPerRequest} µs, baseline ${figures.baselineCpuMicrosPerRequest} µs\n` +
      `  NAT: ${figures.natAccepted}/${NAT_DEVICES} accepted, ${figures.natFlagged} flagged, p99 ${figures.natP99Ms} ms\n` +
      `  flood (one device ×${FLOOD_SEQUENTIAL}): ${figures.floodAccepted} accepted, ${figures.floodDuplicates409} × 409, ${figures.floodRefused429} × 429 (p50 ${figures.flood429P50Ms} ms)\n` +
      `  flood (one device ×${FLOOD_CONCURRENT} at ${CONCURRENCY}): ${figures.floodRefusalsPerSecond} refusals/s, p99 ${figures.floodP99Ms} ms\n`,
  );
  process.stdout.write(`${JSON.stringify(figures)}\n`);
}

if (ROLE === "baseline") {
  const dataDir = flags.get("data-dir");
  if (typeof dataDir !== "string") fail("--data-dir is required for the baseline role");
  runBaseline(dataDir, num("port", 0));
} else {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
}
