/**
 * npm run bench:ingest — how fast the collection path accepts submissions over HTTP, next to the
 * floor of this machine measured in the same run.
 *
 * This process is the driver; the servers are child processes (a second process, as a phone is):
 *   - baseline: a bare node:http server that parses the JSON body and inserts the same row (the
 *     responses row and its item rows, one transaction) into a fresh SQLite file with the same
 *     pragmas — the floor: no validation, no limits, no framework;
 *   - app: the real server (build/server.js from server/index.ts, production mode) on a fresh DATA_DIR, behind which
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
 * Ends with ONE JSON line of named figures, including the app server's peak resident memory
 * (VmHWM from /proc: the most it ever held, start-up and every phase included). A measurement,
 * not a test: nothing fails when slow.
 *
 *   npm run bench:ingest -- [--runs 3] [--requests 20000] [--concurrency 32]
 *                           [--store sqlite|postgres] [--backend memory|redis] [--handler lean|remix]
 *                           [--synchronous FULL|NORMAL] [--group-commit on|off] [--preload N]
 *
 * `--store postgres` needs DATABASE_URL: the app (STORE=postgres) and the floor (node:http + pg,
 * the same row in one transaction) each get a schema of their own, dropped afterwards.
 * `--synchronous` and `--group-commit` set SQLITE_SYNCHRONOUS and SQLITE_GROUP_COMMIT (the floor
 * gets the same synchronous; it commits each request on its own, like the naive server it is).
 * `--preload N` stores N generated responses (another campaign, the generator of
 * `npm run generate:responses`) before the first run; the runs then share that store instead
 * of starting each from an empty one. BENCH_PRELOAD_DIR (SQLite) or BENCH_PG_SCHEMA (PostgreSQL)
 * keeps it for the next invocation.
 * `--backend redis` needs REDIS_URL (keys under a prefix of their own, deleted afterwards).
 * `--profile <dir>` writes a CPU profile of each app server into <dir> (node --cpu-prof);
 * `--node-flags "<flags>"` starts the app server with those Node/V8 flags (GC settings).
 * `--handler remix` sends submissions through the Remix action (SUBMIT_HANDLER=remix).
 * The app server is the compiled one `npm run serve` runs (build/server.js, compiled afresh at
 * start; the Remix build is made when missing — run `npm run build` after changing routes).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { Redis as IORedis } from "ioredis";
import { loadConfig } from "../app/.server/config";
import { generateResponses } from "../app/.server/console/generate-responses";
import { createLogger } from "../app/.server/log";
import { createServices } from "../app/.server/services";
import { countResponses } from "../db/repositories/responses";
import { newDeviceCookie } from "../app/.server/collect/device";
import { SERVER_BUNDLE } from "./build-server";
import { ensureBuild, freePort } from "./lib/server-process";
import { createKeys, type Keys } from "../app/.server/keys";
import { createDb, migrateToLatest } from "../db/create-db";
import { DEMO_CAMPAIGN_ID } from "../db/seed/demo-zhongwei";
import { DEFAULT_SATISFACTION_RULE } from "../app/domain/satisfaction-rule";
import { fail, parseFlags, positiveIntFlag, ROOT } from "./lib/cli";
import { postgresSchema, runBaseline, runPostgresBaseline, spawnTs, waitForLine } from "./lib/ingest-floor";
import {
  cpuSeconds,
  drive,
  median,
  mint,
  percentile,
  residentMb,
  schoolLinks,
  stop,
  summarize,
  waitForHealth,
  type Link,
  type Submission,
  type Throughput,
} from "./lib/load";

// ---------------------------------------------------------------------------------------------
// Settings

const flags = parseFlags(process.argv.slice(2));
const num = (name: string, fallback: number): number => positiveIntFlag(flags, name, fallback);
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
const SYNCHRONOUS = choice("synchronous", ["NORMAL", "FULL"], "FULL");
const GROUP_COMMIT = choice("group-commit", ["on", "off"], "on");
const STORE = choice("store", ["sqlite", "postgres"], "sqlite");
const PRELOAD = flags.has("preload") ? num("preload", 1) : 0;
const PRELOAD_CAMPAIGN = "bench1m";
const ADDRESSES = 200;
const NAT_DEVICES = 300;
const FLOOD_SEQUENTIAL = 50;
const FLOOD_CONCURRENT = 5_000;

interface Baseline {
  port: number;
  child: ChildProcess;
  cleanup: () => Promise<void>;
}

async function startBaseline(): Promise<Baseline> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "yz-bench-baseline-"));
  const schema = STORE === "postgres" ? await postgresSchema() : null;
  const db = createDb(schema ? { kind: "postgres", url: schema.url } : { kind: "sqlite", file: path.join(dataDir, "survey.sqlite"), synchronous: SYNCHRONOUS });
  await migrateToLatest(db);
  // The same foreign keys as the app's store: the demo campaign, county and school exist.
  await db.insertInto("counties").values({ id: "640502", name: "沙坡头区", city: "中卫市", is_demo: 1 }).execute();
  await db
    .insertInto("schools")
    .values({
      id: "spt01",
      county_id: "640502",
      name: "demo",
      type: "primary",
      location: "urban",
      students_primary: 2150,
      students_junior: 0,
      students_senior: 0,
      is_demo: 1,
    })
    .execute();
  await db
    .insertInto("campaigns")
    .values({
      id: DEMO_CAMPAIGN_ID,
      name: "demo",
      city: "中卫市",
      year: 2026,
      phase: "self",
      opens_at: 0,
      closes_at: 1e15,
      satisfaction_rule: JSON.stringify(DEFAULT_SATISFACTION_RULE),
      is_demo: 1,
      created_at: 0,
    })
    .execute();
  await db.destroy();
  const port = await freePort();
  const where = schema ? ["--database-url", schema.url] : ["--data-dir", dataDir];
  const child = spawnTs(path.join(ROOT, "scripts", "bench-ingest.ts"), ["--role", "baseline", ...where, "--port", String(port), "--synchronous", SYNCHRONOUS]);
  await waitForLine(child, /ready/, "baseline server");
  return {
    port,
    child,
    cleanup: async () => {
      await stop(child);
      fs.rmSync(dataDir, { recursive: true, force: true });
      await schema?.drop();
    },
  };
}

/** Where the app stores: its DATA_DIR and, on PostgreSQL, its schema. */
interface AppStore {
  dataDir: string;
  env: Record<string, string>;
  signing: string;
  deviceSalt: string;
  /** Responses stored before the runs (the preload), at the start. */
  preloaded: number;
  cleanup: () => Promise<void>;
}

/**
 * A store for the app: fresh (every run gets its own) or, with --preload, one holding N generated
 * responses that every run shares (kept across invocations by BENCH_PRELOAD_DIR / BENCH_PG_SCHEMA).
 */
async function prepareStore(): Promise<AppStore> {
  const keptDir = PRELOAD > 0 ? process.env.BENCH_PRELOAD_DIR : undefined;
  const dataDir = keptDir ?? fs.mkdtempSync(path.join(os.tmpdir(), "yz-bench-app-"));
  fs.mkdirSync(dataDir, { recursive: true });
  // A kept store keeps its secrets beside it, so links signed on a later invocation still verify.
  const secretsFile = path.join(dataDir, "bench-secrets.json");
  const stored: unknown = fs.existsSync(secretsFile) ? JSON.parse(fs.readFileSync(secretsFile, "utf8")) : null;
  const secrets =
    typeof stored === "object" &&
    stored !== null &&
    "signing" in stored &&
    "deviceSalt" in stored &&
    typeof stored.signing === "string" &&
    typeof stored.deviceSalt === "string"
      ? { signing: stored.signing, deviceSalt: stored.deviceSalt }
      : { signing: randomBytes(32).toString("base64url"), deviceSalt: randomBytes(32).toString("base64url") };
  fs.writeFileSync(secretsFile, JSON.stringify(secrets), { mode: 0o600 });
  const schema = STORE === "postgres" ? await postgresSchema(PRELOAD > 0 ? process.env.BENCH_PG_SCHEMA : undefined) : null;
  const env: Record<string, string> = {
    DATA_DIR: dataDir,
    SIGNING_SECRET: secrets.signing,
    DEVICE_SALT: secrets.deviceSalt,
    SQLITE_SYNCHRONOUS: SYNCHRONOUS,
    SQLITE_GROUP_COMMIT: GROUP_COMMIT === "on" ? "true" : "false",
    ...(schema ? { STORE: "postgres", DATABASE_URL: schema.url } : { STORE: "sqlite" }),
  };
  let preloaded = 0;
  if (PRELOAD > 0) preloaded = await preload(env);
  return {
    dataDir,
    env,
    signing: secrets.signing,
    deviceSalt: secrets.deviceSalt,
    preloaded,
    cleanup: async () => {
      if (!keptDir) fs.rmSync(dataDir, { recursive: true, force: true });
      await schema?.drop();
    },
  };
}

/** Brings the store up to PRELOAD generated responses in campaign PRELOAD_CAMPAIGN; returns the count. */
async function preload(env: Record<string, string>): Promise<number> {
  const config = loadConfig({ ...env, NODE_ENV: "production", LOG_LEVEL: "silent", PUBLIC_URL: "https://bench.test" }, ROOT);
  const services = await createServices(config, { log: createLogger("silent"), surveysDir: path.join(ROOT, "surveys") });
  try {
    const db = services.db;
    if (!(await db.selectFrom("campaigns").select("id").where("id", "=", PRELOAD_CAMPAIGN).executeTakeFirst())) {
      await db
        .insertInto("campaigns")
        .values({
          id: PRELOAD_CAMPAIGN,
          name: "基准测试：预置答卷",
          city: "中卫市",
          year: 2026,
          phase: "self",
          opens_at: 0,
          closes_at: Date.UTC(9999, 0, 1),
          satisfaction_rule: JSON.stringify(DEFAULT_SATISFACTION_RULE),
          is_demo: 0,
          created_at: services.now(),
        })
        .execute();
      const counties = await db.selectFrom("campaign_counties").selectAll().where("campaign_id", "=", DEMO_CAMPAIGN_ID).execute();
      await db
        .insertInto("campaign_counties")
        .values(counties.map((c) => ({ ...c, campaign_id: PRELOAD_CAMPAIGN })))
        .execute();
      const qs = await db.selectFrom("campaign_questionnaires").selectAll().where("campaign_id", "=", DEMO_CAMPAIGN_ID).execute();
      await db
        .insertInto("campaign_questionnaires")
        .values(qs.map((q) => ({ ...q, campaign_id: PRELOAD_CAMPAIGN })))
        .execute();
    }
    const have = await countResponses(db, PRELOAD_CAMPAIGN);
    if (have < PRELOAD) {
      process.stdout.write(`preloading ${(PRELOAD - have).toLocaleString("en-US")} generated responses into ${PRELOAD_CAMPAIGN} …\n`);
      const t = performance.now();
      await generateResponses(db, {
        campaignId: PRELOAD_CAMPAIGN,
        count: PRELOAD - have,
        seed: 1000 + have,
        now: services.now() - 3_600_000,
        profile: "bulk",
        label: `preload${String(have)}`,
        batchSize: 1000,
      });
      process.stdout.write(`  done in ${((performance.now() - t) / 1000).toFixed(0)} s\n`);
    }
    return await countResponses(db, PRELOAD_CAMPAIGN);
  } finally {
    await services.close();
  }
}

interface App {
  port: number;
  child: ChildProcess;
  keys: Keys;
  prefix: string;
  store: AppStore;
}

async function startApp(store: AppStore): Promise<App> {
  const port = await freePort();
  const prefix = `yzbench:${process.pid}:${randomBytes(4).toString("hex")}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    HOST: "127.0.0.1",
    PORT: String(port),
    TRUST_PROXY: "X-Real-IP",
    LOG_LEVEL: "warn",
    RATE_LIMIT_BACKEND: BACKEND,
    RATE_LIMIT_KEY_PREFIX: prefix,
    SUBMIT_HANDLER: HANDLER,
    ...store.env,
  };
  const profile = flags.get("profile");
  const nodeFlags = flags.get("node-flags");
  // As `npm run serve` runs it: the compiled server (build/server.js) under plain node.
  const child = spawn(
    process.execPath,
    [
      ...(typeof profile === "string" ? ["--cpu-prof", `--cpu-prof-dir=${path.resolve(profile)}`] : []),
      ...(typeof nodeFlags === "string" ? nodeFlags.split(" ").filter(Boolean) : []),
      SERVER_BUNDLE,
    ],
    { cwd: ROOT, env, stdio: ["ignore", "pipe", "inherit"] },
  );
  child.stdout?.resume();
  await waitForHealth(child, port);
  return { port, child, keys: createKeys({ signing: store.signing, deviceSalt: store.deviceSalt }), prefix, store };
}

async function stopApp(app: App): Promise<void> {
  await stop(app.child);
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

/** Stored responses of a school in the demo campaign, and how many carry a flag (either store). */
async function schoolRows(store: AppStore, schoolId: string): Promise<{ rows: number; flagged: number; all: number }> {
  const db =
    store.env.STORE === "postgres"
      ? createDb({ kind: "postgres", url: store.env.DATABASE_URL ?? "" })
      : createDb({ kind: "sqlite", file: path.join(store.dataDir, "survey.sqlite"), synchronous: "NORMAL" });
  try {
    const row = await db
      .selectFrom("responses")
      .select((eb) => [eb.fn.countAll<number>().as("n"), eb.fn.sum<number>(eb.case().when("flags", "<>", "[]").then(1).else(0).end()).as("f")])
      .where("campaign_id", "=", DEMO_CAMPAIGN_ID)
      .where("school_id", "=", schoolId)
      .executeTakeFirstOrThrow();
    const all = await db
      .selectFrom("responses")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    return { rows: Number(row.n), flagged: Number(row.f ?? 0), all: Number(all.n) };
  } finally {
    await db.destroy();
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
  /** The app server's peak and final resident memory (MB). */
  appRss: { peak: number; now: number } | null;
  baselineRss: { peak: number; now: number } | null;
  /** Responses in the app's store when the run ended. */
  storedAtEnd: number;
}

/** `drive` at CONCURRENCY, with the server's CPU seconds over the measured window. */
async function measured(server: ChildProcess, port: number, submissions: readonly Submission[]) {
  const before = cpuSeconds(server.pid);
  const result = await drive(port, submissions, CONCURRENCY);
  const after = cpuSeconds(server.pid);
  return { ...result, cpu: before === null || after === null ? null : after - before };
}

async function oneRun(run: number, shared: AppStore | null): Promise<RunFigures> {
  // Baseline: same body shape and count, distinct devices.
  const base = await startBaseline();
  const baseKeys = createKeys({ signing: "b".repeat(32), deviceSalt: "s".repeat(32) });
  const baseLinks = schoolLinks(baseKeys);
  await drive(base.port, throughputSubmissions(baseKeys, baseLinks, WARMUP, 10_000_000), CONCURRENCY);
  const baseline = summarize(await measured(base.child, base.port, throughputSubmissions(baseKeys, baseLinks, REQUESTS, 0)));
  const baselineRss = residentMb(base.child.pid);
  await base.cleanup();

  const store = shared ?? (await prepareStore());
  const app = await startApp(store);
  // Each run's devices are new (distinct offsets), so a shared store takes them all.
  const offset = run * 100_000_000;
  try {
    const links = schoolLinks(app.keys);
    await drive(app.port, throughputSubmissions(app.keys, links, WARMUP, offset + 10_000_000), CONCURRENCY);
    const appFigures = summarize(await measured(app.child, app.port, throughputSubmissions(app.keys, links, REQUESTS, offset)));

    // NAT: a parents' meeting at 海原县第一小学 (2 050 pupils), 300 phones behind one address.
    const natLink = links.find((l) => l.scope.schoolId === "hy01");
    if (!natLink) throw new Error("no hy01 link");
    const natSubs = Array.from({ length: NAT_DEVICES }, (_, i) => mint(app.keys, natLink, i, "198.51.100.77"));
    const natBefore = await schoolRows(store, "hy01");
    const natRun = await drive(app.port, natSubs, CONCURRENCY);
    const natLat = natRun.samples.map((s) => s.ms).sort((a, b) => a - b);
    const natAfter = await schoolRows(store, "hy01");
    const natRows = { flagged: natAfter.flagged - natBefore.flagged };

    // Flood: one device, one address, 50 in a row; then 5 000 at full concurrency.
    const floodLink = links.find((l) => l.scope.schoolId === "zn05");
    if (!floodLink) throw new Error("no zn05 link");
    const device = newDeviceCookie(app.keys, false).setCookie.split(";")[0] ?? "";
    const seq = await drive(
      app.port,
      Array.from({ length: FLOOD_SEQUENTIAL }, (_, i) => mint(app.keys, floodLink, i, "192.0.2.66", device)),
      1,
    );
    const statuses: Record<string, number> = {};
    for (const s of seq.samples) statuses[String(s.status)] = (statuses[String(s.status)] ?? 0) + 1;
    const refusedLat = seq.samples
      .filter((s) => s.status === 429)
      .map((s) => s.ms)
      .sort((a, b) => a - b);
    const device2 = newDeviceCookie(app.keys, false).setCookie.split(";")[0] ?? "";
    const big = await drive(
      app.port,
      Array.from({ length: FLOOD_CONCURRENT }, (_, i) => mint(app.keys, floodLink, i, "192.0.2.67", device2)),
      CONCURRENCY,
    );
    const bigLat = big.samples.map((s) => s.ms).sort((a, b) => a - b);
    const appRss = residentMb(app.child.pid);
    const storedAtEnd = (await schoolRows(store, "hy01")).all;
    const figures: RunFigures = {
      baseline,
      app: appFigures,
      nat: {
        accepted: natRun.samples.filter((s) => s.status === 200).length,
        flagged: natRows.flagged,
        p50: percentile(natLat, 0.5),
        p99: percentile(natLat, 0.99),
      },
      floodSequential: { statuses, p50Of429: percentile(refusedLat, 0.5) },
      floodConcurrent: {
        refusedPerSecond: big.samples.filter((s) => s.status === 429).length / big.seconds,
        p50: percentile(bigLat, 0.5),
        p99: percentile(bigLat, 0.99),
        accepted: big.samples.filter((s) => s.status === 200).length,
      },
      appRss,
      baselineRss,
      storedAtEnd,
    };
    const f = (n: number) => n.toFixed(n < 10 ? 2 : 0);
    process.stdout.write(
      `run ${run}: baseline ${f(baseline.acceptedPerSecond)}/s p50 ${f(baseline.p50)} p99 ${f(baseline.p99)} ms | ` +
        `app ${f(appFigures.acceptedPerSecond)}/s p50 ${f(appFigures.p50)} p99 ${f(appFigures.p99)} ms ${JSON.stringify(appFigures.other)} | ` +
        `CPU/request baseline ${f(baseline.cpuMicrosPerRequest ?? Number.NaN)} µs, app ${f(appFigures.cpuMicrosPerRequest ?? Number.NaN)} µs | ` +
        `NAT ${figures.nat.accepted}/${NAT_DEVICES} accepted, ${figures.nat.flagged} flagged | ` +
        `flood ${JSON.stringify(statuses)}, 429 p50 ${f(figures.floodSequential.p50Of429)} ms; ` +
        `${f(figures.floodConcurrent.refusedPerSecond)} refusals/s p99 ${f(figures.floodConcurrent.p99)} ms | ` +
        `app peak RSS ${f(appRss?.peak ?? Number.NaN)} MB with ${storedAtEnd} responses stored\n`,
    );
    return figures;
  } finally {
    await stopApp(app);
    if (!shared) await store.cleanup();
  }
}

async function main(): Promise<void> {
  if (BACKEND === "redis" && !process.env.REDIS_URL) fail("--backend redis needs REDIS_URL, e.g. REDIS_URL=redis://127.0.0.1:6379");
  if (STORE === "postgres" && !process.env.DATABASE_URL) fail("--store postgres needs DATABASE_URL, e.g. DATABASE_URL=postgres://postgres@127.0.0.1:5432/test");
  await ensureBuild();
  const storeLabel = STORE === "postgres" ? "PostgreSQL" : `SQLite synchronous=${SYNCHRONOUS} group commit ${GROUP_COMMIT}`;
  process.stdout.write(
    `bench:ingest — ${RUNS} runs × ${REQUESTS} submissions at concurrency ${CONCURRENCY} (after ${WARMUP} warm-up), ` +
      `store ${storeLabel}, limiter ${BACKEND}, submit handler ${HANDLER}, ${PRELOAD > 0 ? `${PRELOAD} responses preloaded, ` : ""}` +
      `${os.cpus().length} CPUs, Node ${process.version}\n`,
  );
  const shared = PRELOAD > 0 ? await prepareStore() : null;
  const runs: RunFigures[] = [];
  try {
    for (let r = 1; r <= RUNS; r++) runs.push(await oneRun(r, shared));
  } finally {
    await shared?.cleanup();
  }

  const m = (pick: (f: RunFigures) => number) => median(runs.map(pick));
  const figures = {
    bench: "ingest",
    runs: RUNS,
    requests: REQUESTS,
    concurrency: CONCURRENCY,
    backend: BACKEND,
    handler: HANDLER,
    store: STORE,
    synchronous: STORE === "sqlite" ? SYNCHRONOUS : null,
    groupCommit: STORE === "sqlite" ? GROUP_COMMIT === "on" : null,
    preloaded: shared?.preloaded ?? 0,
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
    appPeakRssMb: Math.round(Math.max(...runs.map((f) => f.appRss?.peak ?? Number.NaN))),
    baselinePeakRssMb: Math.round(Math.max(...runs.map((f) => f.baselineRss?.peak ?? Number.NaN))),
    storedAtEnd: Math.max(...runs.map((f) => f.storedAtEnd)),
    targetPeakRssMb: 300,
  };
  process.stdout.write(
    `\nmedians over ${RUNS} runs:\n` +
      `  accepted submissions  ${figures.acceptedPerSecond}/s   p50 ${figures.p50Ms} ms   p99 ${figures.p99Ms} ms\n` +
      `  baseline (node:http + ${STORE === "postgres" ? "PostgreSQL" : "SQLite"} insert)  ${figures.baselinePerSecond}/s   p50 ${figures.baselineP50Ms} ms   p99 ${figures.baselineP99Ms} ms\n` +
      `  ratio to baseline     ${(figures.ratioToBaseline * 100).toFixed(1)}%   (target ≥ 25% with p99 ≤ 50 ms)\n` +
      `  server CPU per request: app ${figures.appCpuMicrosPerRequest} µs, baseline ${figures.baselineCpuMicrosPerRequest} µs\n` +
      `  NAT: ${figures.natAccepted}/${NAT_DEVICES} accepted, ${figures.natFlagged} flagged, p99 ${figures.natP99Ms} ms\n` +
      `  flood (one device ×${FLOOD_SEQUENTIAL}): ${figures.floodAccepted} accepted, ${figures.floodDuplicates409} × 409, ${figures.floodRefused429} × 429 (p50 ${figures.flood429P50Ms} ms)\n` +
      `  flood (one device ×${FLOOD_CONCURRENT} at ${CONCURRENCY}): ${figures.floodRefusalsPerSecond} refusals/s, p99 ${figures.floodP99Ms} ms\n` +
      `  app server peak resident memory ${figures.appPeakRssMb} MB (target ≤ 300 MB) with up to ${figures.storedAtEnd} responses stored; baseline ${figures.baselinePeakRssMb} MB\n`,
  );
  process.stdout.write(`${JSON.stringify(figures)}\n`);
}

if (ROLE === "baseline") {
  const dataDir = flags.get("data-dir");
  const databaseUrl = flags.get("database-url");
  if (typeof databaseUrl === "string") runPostgresBaseline(databaseUrl, num("port", 0));
  else if (typeof dataDir === "string") runBaseline(dataDir, num("port", 0), SYNCHRONOUS);
  else fail("--data-dir or --database-url is required for the baseline role");
} else {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
}
