/**
 * npm run bench:dashboard — the server time of the county satisfaction dashboard (the real
 * loader of /admin/campaigns/<id>/counties/<county>: session, scope, counts, the engine's
 * 社会认可度, suppression, JSON) for the demo campaign and for a campaign of 1,000,000
 * generated responses, each against same-run baselines:
 *
 *   - session floor: what any console loader costs before doing anything (the signed cookie
 *     verified, the session row read, a JSON response) — the dashboard cannot be faster;
 *   - from scratch: the same county's counts aggregated from the responses in SQL
 *     (db/repositories/satisfaction.ts) and the engine run on them — what the dashboard would
 *     cost without the console's tallies.
 *
 * Generating the million (the same generator as `npm run generate:responses`) takes a few
 * minutes; set BENCH_DATA_DIR to keep the data and reuse it on the next run. BENCH_RESPONSES
 * (default 1000000) and BENCH_REPS (default 30) change the size. Medians and p90 are printed,
 * then ONE JSON line of named figures (milliseconds). A measurement, not a test.
 *
 * `--store postgres` (or BENCH_STORE=postgres) runs the same on PostgreSQL (DATABASE_URL), in a
 * schema of its own: BENCH_PG_SCHEMA names one to keep and reuse (created when absent),
 * otherwise a temporary one is dropped at the end.
 */
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { json, type LoaderFunctionArgs } from "@remix-run/node";
import { loadConfig } from "../app/.server/config";
import { createLogger } from "../app/.server/log";
import type { Services } from "../app/.server/context";
import { createServices } from "../app/.server/services";
import { requirePrincipal } from "../app/.server/auth/guard";
import { createAccount } from "../app/.server/console/accounts";
import { generateResponses } from "../app/.server/console/generate-responses";
import { campaignRule } from "../app/.server/console/tallies";
import { SETTINGS } from "../app/.server/console/satisfaction";
import { countyInputOf } from "../app/domain/evaluation/county-input";
import { foldTallies } from "../db/repositories/console-tallies";
import { satisfactionCounts } from "../db/repositories/satisfaction";
import { campaignCountyPlans } from "../db/repositories/console-campaigns";
import { getCampaign, listCampaignCounties, listSchools } from "../db/repositories/campaigns";
import { countResponses } from "../db/repositories/responses";
import { evaluateSatisfaction } from "../app/domain/evaluation/social";
import { DEFAULT_SATISFACTION_RULE } from "../app/domain/satisfaction-rule";
import { signIn } from "../app/.server/auth/sign-in";
import { loader as dashboardLoader } from "../app/routes/admin.campaigns.$campaignId.counties.$countyId._index/route";
import pg from "pg";
import { fail, parseFlags, ROOT } from "./lib/cli";

const RESPONSES = Number(process.env.BENCH_RESPONSES ?? 1_000_000);
const REPS = Number(process.env.BENCH_REPS ?? 30);
const SCRATCH_REPS = Number(process.env.BENCH_SCRATCH_REPS ?? 3);
const BIG = "bench1m";
const COUNTY = "640521"; // 中宁县

const STORE = parseFlags(process.argv.slice(2)).get("store") ?? process.env.BENCH_STORE ?? "sqlite";
if (STORE !== "sqlite" && STORE !== "postgres") fail("--store must be sqlite or postgres");
if (STORE === "postgres" && !process.env.DATABASE_URL) fail("--store postgres needs DATABASE_URL=postgres://…");

const keep = process.env.BENCH_DATA_DIR;
const dataDir = keep ?? fs.mkdtempSync(path.join(os.tmpdir(), "yz-bench-dashboard-"));
fs.mkdirSync(dataDir, { recursive: true });
const log = (line: string) => process.stdout.write(`${line}\n`);

/** On PostgreSQL: the schema (kept when BENCH_PG_SCHEMA names it) and the store's settings. */
async function postgresStore(): Promise<{ env: Record<string, string>; schema: string; drop: boolean }> {
  const schema = process.env.BENCH_PG_SCHEMA ?? `yz_bench_dash_${randomBytes(4).toString("hex")}`;
  if (!/^[a-z_][a-z0-9_]*$/.test(schema)) fail("BENCH_PG_SCHEMA: lower-case letters, digits and _");
  const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await admin.connect();
  await admin.query(`create schema if not exists ${schema}`);
  await admin.end();
  const url = new URL(process.env.DATABASE_URL ?? "");
  url.searchParams.set("options", `-c search_path=${schema}`);
  // Kept schemas keep their secrets beside the data, so a second run signs the same way.
  const secretsFile = path.join(dataDir, "secrets.json");
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
  if (stored === null) fs.writeFileSync(secretsFile, JSON.stringify(secrets), { mode: 0o600 });
  return {
    env: { STORE: "postgres", DATABASE_URL: url.toString(), SIGNING_SECRET: secrets.signing, DEVICE_SALT: secrets.deviceSalt },
    schema,
    drop: process.env.BENCH_PG_SCHEMA === undefined,
  };
}
const postgres = STORE === "postgres" ? await postgresStore() : null;

const config = loadConfig(
  { DATA_DIR: dataDir, NODE_ENV: "production", LOG_LEVEL: "silent", SQLITE_SYNCHRONOUS: "NORMAL", PUBLIC_URL: "https://bench.test", ...postgres?.env },
  ROOT,
);
const services: Services = await createServices(config, { log: createLogger("silent"), surveysDir: path.join(ROOT, "surveys") });
const context = { services, clientAddress: "192.0.2.10", cspNonce: "bench" };

function stats(samples: number[]): { median: number; p90: number } {
  const s = [...samples].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? 0;
  return { median: at(0.5), p90: at(0.9) };
}

async function time(label: string, reps: number, fn: () => Promise<unknown>): Promise<{ median: number; p90: number }> {
  for (let i = 0; i < Math.min(3, reps); i++) await fn();
  const samples: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t = performance.now();
    await fn();
    samples.push(performance.now() - t);
  }
  const r = stats(samples);
  log(`  ${label.padEnd(34)} median ${r.median.toFixed(2).padStart(9)} ms   p90 ${r.p90.toFixed(2).padStart(9)} ms   (${String(reps)} runs)`);
  return r;
}

async function signInCookie(): Promise<string> {
  const username = "bench-city";
  const password = "bench password 2026";
  await createAccount(services, null, { username, displayName: "基准测试", role: "city", password });
  const res = await signIn(services, { username, password, clientAddress: context.clientAddress });
  if (!res.ok) throw new Error(`bench sign-in failed: ${res.message}`);
  return res.setCookie.split(";")[0] ?? "";
}

async function dashboard(cookie: string, campaignId: string): Promise<number> {
  const request = new Request(`https://bench.test/admin/campaigns/${campaignId}/counties/${COUNTY}`, { headers: { Cookie: cookie } });
  const args: LoaderFunctionArgs = { request, params: { campaignId, countyId: COUNTY }, context };
  const res = await dashboardLoader(args);
  const text = await res.text();
  if (res.status !== 200) throw new Error(`dashboard answered ${String(res.status)}: ${text.slice(0, 200)}`);
  return text.length;
}

/** The floor: a console loader that only authenticates and answers JSON. */
async function sessionFloor(cookie: string): Promise<void> {
  const request = new Request("https://bench.test/admin", { headers: { Cookie: cookie } });
  const principal = await requirePrincipal(request, context);
  await json({ principal }).text();
}

/** Without the tallies: the county's counts aggregated from the responses, then the engine. */
async function fromScratch(campaignId: string): Promise<void> {
  const campaign = await getCampaign(services.db, campaignId);
  if (!campaign) throw new Error("no campaign");
  const rule = campaignRule(campaign);
  const { cells, items } = await satisfactionCounts(services.db, campaignId, rule);
  const plans = await campaignCountyPlans(services.db, campaignId);
  const county = (await listCampaignCounties(services.db, campaignId)).find((c) => c.id === COUNTY);
  if (!county) throw new Error("no county");
  const schools = await listSchools(services.db, COUNTY);
  evaluateSatisfaction(
    countyInputOf(
      plans.find((p) => p.countyId === COUNTY),
      county,
    ),
    { cells, items, rule },
    SETTINGS.satisfaction,
    SETTINGS.samplePlan,
    SETTINGS.display,
    new Map(schools.map((s) => [s.id, s.name])),
  );
}

async function ensureBigCampaign(): Promise<{ generatedSeconds: number | null; foldSeconds: number | null; n: number }> {
  const existing = await getCampaign(services.db, BIG);
  if (!existing) {
    await services.db
      .insertInto("campaigns")
      .values({
        id: BIG,
        name: "基准测试：100万份生成答卷",
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
    const counties = await services.db.selectFrom("campaign_counties").selectAll().where("campaign_id", "=", "zw2026").execute();
    await services.db
      .insertInto("campaign_counties")
      .values(counties.map((c) => ({ ...c, campaign_id: BIG })))
      .execute();
    const qs = await services.db.selectFrom("campaign_questionnaires").selectAll().where("campaign_id", "=", "zw2026").execute();
    await services.db
      .insertInto("campaign_questionnaires")
      .values(qs.map((q) => ({ ...q, campaign_id: BIG })))
      .execute();
  }
  const have = await countResponses(services.db, BIG);
  let generatedSeconds: number | null = null;
  let foldSeconds: number | null = null;
  if (have < RESPONSES) {
    log(`generating ${String(RESPONSES - have)} responses into ${BIG} (${dataDir}) …`);
    const t = performance.now();
    let last = 0;
    await generateResponses(services.db, {
      campaignId: BIG,
      count: RESPONSES - have,
      seed: 1000 + have,
      now: services.now() - 3_600_000,
      profile: "bulk",
      label: `bench${String(have)}`,
      batchSize: 1000,
      onProgress: (n) => {
        if (n - last >= 100_000) {
          last = n;
          log(`  ${n.toLocaleString("en-US")} written (${((performance.now() - t) / 1000).toFixed(0)} s)`);
        }
      },
    });
    generatedSeconds = (performance.now() - t) / 1000;
  }
  const campaign = await getCampaign(services.db, BIG);
  if (!campaign) throw new Error("no campaign");
  const t = performance.now();
  const folded = await foldTallies(services.db, BIG, campaignRule(campaign), { now: services.now(), lagMs: 0 });
  if (folded.folded > 0) {
    foldSeconds = (performance.now() - t) / 1000;
    log(`folded the tallies up to response id ${String(folded.watermark)} in ${foldSeconds.toFixed(1)} s`);
  }
  return { generatedSeconds, foldSeconds, n: await countResponses(services.db, BIG) };
}

try {
  const cookie = await signInCookie();
  // The demo campaign: the instructive demo picture (as npm run demo:responses writes it).
  if ((await countResponses(services.db, "zw2026")) === 0) {
    await generateResponses(services.db, {
      campaignId: "zw2026",
      count: 1600,
      seed: 10,
      now: services.now() - 3_600_000,
      profile: "demo",
      label: "demo-zw2026",
    });
  }
  const demoCampaign = await getCampaign(services.db, "zw2026");
  if (!demoCampaign) throw new Error("no demo campaign");
  await foldTallies(services.db, "zw2026", campaignRule(demoCampaign), { now: services.now(), lagMs: 0 });
  const demoN = await countResponses(services.db, "zw2026");
  log(`demo campaign zw2026: ${String(demoN)} responses; 中宁县 dashboard`);
  const demoFloor = await time("session floor", REPS, () => sessionFloor(cookie));
  const demoScratch = await time("from scratch (SQL + engine)", REPS, () => fromScratch("zw2026"));
  const demoDash = await time("dashboard loader", REPS, () => dashboard(cookie, "zw2026"));
  const demoBytes = await dashboard(cookie, "zw2026");

  const big = await ensureBigCampaign();
  log(`${BIG}: ${big.n.toLocaleString("en-US")} responses; 中宁县 dashboard`);
  const bigFloor = await time("session floor", REPS, () => sessionFloor(cookie));
  const bigDash = await time("dashboard loader", REPS, () => dashboard(cookie, BIG));
  const bigScratch = await time("from scratch (SQL + engine)", SCRATCH_REPS, () => fromScratch(BIG));
  const bigBytes = await dashboard(cookie, BIG);
  const round = (x: number) => Math.round(x * 100) / 100;
  log(
    JSON.stringify({
      bench: "dashboard-satisfaction-county",
      store: STORE,
      county: COUNTY,
      reps: REPS,
      demoResponses: demoN,
      demoDashboardMedianMs: round(demoDash.median),
      demoDashboardP90Ms: round(demoDash.p90),
      demoSessionFloorMedianMs: round(demoFloor.median),
      demoFromScratchMedianMs: round(demoScratch.median),
      demoPayloadBytes: demoBytes,
      bigResponses: big.n,
      bigDashboardMedianMs: round(bigDash.median),
      bigDashboardP90Ms: round(bigDash.p90),
      bigSessionFloorMedianMs: round(bigFloor.median),
      bigFromScratchMedianMs: round(bigScratch.median),
      bigPayloadBytes: bigBytes,
      bigVsFromScratch: round(bigScratch.median / bigDash.median),
      bigGenerateSeconds: big.generatedSeconds === null ? null : round(big.generatedSeconds),
      bigFoldSeconds: big.foldSeconds === null ? null : round(big.foldSeconds),
      targetMs: 100,
      peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    }),
  );
} finally {
  await services.close();
  if (!keep) fs.rmSync(dataDir, { recursive: true, force: true });
  if (postgres?.drop) {
    const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await admin.connect();
    await admin.query(`drop schema if exists ${postgres.schema} cascade`);
    await admin.end();
  }
}
