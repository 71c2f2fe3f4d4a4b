/**
 * npm run bench -- abuse — the parents' submissions while hostile and careless requests are
 * thrown at the same process, next to the same load without them, measured in the same run.
 *
 * Each run starts the real server (build/server.js, production, SQLite, in-process limiter) and:
 *   quiet   `--seconds` of submissions from distinct devices on the demo schools' 社会卷 links, sent
 *           at `--rate` a second whatever the answers' speed (open loop, as phones do), with
 *           /healthz probed every 100 ms;
 *   abuse   as long again of new submissions while these are sent over and over (three
 *           attackers going round the list, plus 50 slow-body sockets held open):
 *             - 300 MB bodies to POST /login, declared (Content-Length) and chunked, nobody signed in;
 *             - a signed-in 300 MB upload to the evaluation-data import, declared and chunked;
 *             - a zip bomb (a 300 MB CSV deflated into well under 1 MB) and a zip of a 1,000,000-row
 *               CSV to the evaluation-data import (county officer);
 *             - a 1,000,000-row workbook to the evaluation-data import and the city's school-list import;
 *             - slow bodies (a few bytes a second, chunked) to the no-JavaScript form POST /s/<token>;
 *             - junk posts without a device cookie on one school's link, from two addresses.
 * Figures: accepted/s, p50 and p99 of the honest submissions in both phases and their ratio, the
 * slowest /healthz answer in each, whether the server process died (crashes), its peak resident
 * memory (VmHWM), and what each attack was answered (status counts). Goal (issue 12): p99 under
 * abuse within 2× of without, 0 crashes, peak RSS ≤ 400 MB. A measurement, not a test.
 *
 *   npm run bench -- abuse [--runs 3] [--seconds 30] [--rate 200] [--pace <ms>] [--only <part of an attack's name>]
 *
 * Attacks still unanswered when the abuse phase ends are abandoned and counted "unfinished".
 *
 * The generated bombs are cached in $TMPDIR/yz-bench-abuse (the 1,000,000-row workbook takes a
 * while to write the first time).
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { Zip, ZipDeflate, zipSync, strToU8 } from "fflate";
import { demoPassword } from "../app/.server/auth/demo-accounts";
import { newDeviceCookie } from "../app/.server/collect/device";
import { createKeys, type Keys } from "../app/.server/keys";
import { loadExcel } from "../app/.server/excel";
import { DEMO_CAMPAIGN_ID } from "../db/seed/demo-zhongwei";
import { parseFlags, positiveIntFlag } from "./lib/cli";
import { driveAtRate, median, mint, percentile, residentMb, schoolLinks, summarize, type Link, type Submission, type Throughput } from "./lib/load";
import { startServerProcess, type ServerProcess } from "./lib/server-process";

const flags = parseFlags(process.argv.slice(2));
const num = (name: string, fallback: number): number => positiveIntFlag(flags, name, fallback);
const RUNS = num("runs", 3);
const SECONDS = num("seconds", 30);
const RATE = num("rate", 200);
/** `--only <text>`: only the attacks whose name contains it (to see which one costs what). */
/** `--pace <ms>`: each attacker waits this long between attacks (default 0: as fast as answers come). */
const PACE_MS = flags.has("pace") ? num("pace", 1) : 0;
const ONLY = typeof flags.get("only") === "string" ? String(flags.get("only")) : null;
const MAX_IN_FLIGHT = 256;
const ADDRESSES = 200;
const MB = 1024 * 1024;
const BIG_BODY = 300 * MB;
const CACHE = path.join(os.tmpdir(), "yz-bench-abuse");

// ---------------------------------------------------------------------------------------------
// The bombs, made once

/** A zip holding one CSV of `mb` megabytes of the same row: deflates to well under 1 MB. */
function zipBomb(mb: number): Uint8Array {
  const chunks: Uint8Array[] = [];
  const zip = new Zip((error, data) => {
    if (error) throw error;
    chunks.push(data);
  });
  const entry = new ZipDeflate("学校.csv", { level: 9 });
  zip.add(entry);
  const line = "640521,zn99,某某学校,小学,城区,2150,0,0,120,300,3.5,4.2,1.1,0.9,2.0,1.5\n";
  const block = strToU8(line.repeat(Math.ceil(MB / line.length)));
  for (let i = 0; i < mb; i++) entry.push(block, i === mb - 1);
  zip.end();
  return concat(chunks);
}

/** A zip of one CSV with `rows` distinct school rows (a careless export of the wrong table). */
function zipOfRows(rows: number): Uint8Array {
  const lines = ["县区代码,学校代码,学校名称,学校类型,城乡类型,小学在校生数,初中在校生数"];
  for (let i = 0; i < rows; i++) lines.push(`640521,s${i},学校${i},小学,乡村,${100 + (i % 900)},0`);
  return zipSync({ "学校.csv": strToU8(lines.join("\n")) }, { level: 6 });
}

async function workbookOfRows(rows: number, file: string): Promise<void> {
  const ExcelJS = await loadExcel();
  const writer = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings: false, useStyles: false });
  const sheet = writer.addWorksheet("学校");
  sheet.addRow(["县区代码", "学校代码", "学校名称", "学校类型", "城乡类型", "小学在校生数", "初中在校生数"]).commit();
  for (let i = 0; i < rows; i++) sheet.addRow(["640521", `s${i}`, `学校${i}`, "小学", "乡村", 100 + (i % 900), 0]).commit();
  sheet.commit();
  await writer.commit();
}

async function cached(name: string, make: (file: string) => Promise<void> | Uint8Array): Promise<Uint8Array> {
  fs.mkdirSync(CACHE, { recursive: true });
  const file = path.join(CACHE, name);
  if (!fs.existsSync(file)) {
    const t = performance.now();
    process.stdout.write(`making ${name} … `);
    const made = await make(`${file}.tmp`);
    if (made instanceof Uint8Array) fs.writeFileSync(`${file}.tmp`, made);
    fs.renameSync(`${file}.tmp`, file);
    process.stdout.write(`${(fs.statSync(file).size / MB).toFixed(1)} MB in ${((performance.now() - t) / 1000).toFixed(1)} s\n`);
  }
  return new Uint8Array(fs.readFileSync(file));
}

function concat(chunks: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.byteLength, 0));
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.byteLength;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Sending: one request, its body produced as it is written, until the server answers or closes

interface Outcome {
  /** The status, or "closed" when the connection ended without one, "error" for a client error. */
  result: string;
  ms: number;
}

interface Outgoing {
  method: string;
  path: string;
  headers: Record<string, string>;
  /** The body: bytes, or `size` bytes of filler written in 64 KB pieces (never held whole). */
  body: Uint8Array | { size: number; chunked: boolean; bytesPerSecond?: number };
  /** Give up (and count "timeout") after this long. */
  timeoutMs: number;
}

/** Requests in flight, so the ones still running when a phase ends can be abandoned. */
const inFlight = new Set<() => void>();

function send(port: number, out: Outgoing): Promise<Outcome> {
  return new Promise((resolve) => {
    const t = performance.now();
    let done = false;
    const finish = (result: string) => {
      if (done) return;
      done = true;
      inFlight.delete(abandon);
      clearTimeout(timer);
      req.destroy();
      resolve({ result, ms: performance.now() - t });
    };
    const headers: Record<string, string> = { ...out.headers };
    const body = out.body;
    if (body instanceof Uint8Array) headers["Content-Length"] = String(body.byteLength);
    else if (!body.chunked) headers["Content-Length"] = String(body.size);
    const req = http.request({ host: "127.0.0.1", port, method: out.method, path: out.path, headers, agent: false }, (res) => {
      res.resume();
      finish(String(res.statusCode ?? 0));
    });
    const timer = setTimeout(() => finish("timeout"), out.timeoutMs);
    const abandon = () => finish("unfinished");
    inFlight.add(abandon);
    req.on("error", () => finish("closed"));
    req.on("close", () => finish("closed"));
    if (body instanceof Uint8Array) {
      req.end(body);
      return;
    }
    const piece = Buffer.alloc(body.bytesPerSecond ? Math.max(1, body.bytesPerSecond) : 64 * 1024, 0x61);
    let written = 0;
    const pump = () => {
      while (!done && written < body.size) {
        const n = Math.min(piece.byteLength, body.size - written);
        written += n;
        const more = req.write(n === piece.byteLength ? piece : piece.subarray(0, n));
        if (body.bytesPerSecond) {
          setTimeout(pump, 1000);
          return;
        }
        if (!more) {
          req.once("drain", pump);
          return;
        }
      }
      if (!done) req.end();
    };
    pump();
  });
}

function multipart(fileName: string, bytes: Uint8Array): { body: Uint8Array; type: string } {
  const boundary = `----yzbench${randomBytes(8).toString("hex")}`;
  const head = strToU8(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
  );
  const tail = strToU8(`\r\n--${boundary}--\r\n`);
  return { body: concat([head, bytes, tail]), type: `multipart/form-data; boundary=${boundary}` };
}

async function signIn(server: ServerProcess, keys: Keys, username: string): Promise<string> {
  const origin = server.baseUrl;
  const res = await fetch(`${origin}/login`, {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: origin },
    body: new URLSearchParams({ username, password: demoPassword(keys, username), next: "" }).toString(),
  });
  const cookie = res.headers.get("set-cookie")?.split(";")[0];
  if (res.status !== 302 || !cookie) throw new Error(`signing in as ${username} failed: ${res.status}`);
  return cookie;
}

interface Bombs {
  zipBomb: Uint8Array;
  zipRows: Uint8Array;
  workbookRows: Uint8Array;
}

/** The attacks, each a function returning the request to send; a few sent at once, over and over. */
function attacks(origin: string, keys: Keys, bombs: Bombs, county: string, city: string, linkToken: string): Array<{ name: string; make: () => Outgoing }> {
  const upload = (route: "evaluation-data" | "schools-import", cookie: string, name: string, bytes: Uint8Array): Outgoing => {
    const form = multipart(name, bytes);
    return {
      method: "POST",
      path: `/admin/campaigns/${DEMO_CAMPAIGN_ID}/${route}`,
      headers: { "Content-Type": form.type, Cookie: cookie, Origin: origin },
      body: form.body,
      timeoutMs: 120_000,
    };
  };
  const big = (pathName: string, cookie: string | null, chunked: boolean): Outgoing => ({
    method: "POST",
    path: pathName,
    headers: {
      "Content-Type": pathName === "/login" ? "application/x-www-form-urlencoded" : "multipart/form-data; boundary=x",
      Origin: origin,
      ...(cookie ? { Cookie: cookie } : {}),
    },
    body: { size: BIG_BODY, chunked },
    timeoutMs: 120_000,
  });
  let junk = 0;
  return [
    { name: "login 300 MB declared", make: () => big("/login", null, false) },
    { name: "login 300 MB chunked", make: () => big("/login", null, true) },
    { name: "upload 300 MB declared", make: () => big(`/admin/campaigns/${DEMO_CAMPAIGN_ID}/evaluation-data`, county, false) },
    { name: "upload 300 MB chunked", make: () => big(`/admin/campaigns/${DEMO_CAMPAIGN_ID}/evaluation-data`, county, true) },
    { name: "zip bomb (300 MB CSV)", make: () => upload("evaluation-data", county, "评估数据.zip", bombs.zipBomb) },
    { name: "zip of 1,000,000 rows", make: () => upload("evaluation-data", county, "评估数据.zip", bombs.zipRows) },
    { name: "workbook of 1,000,000 rows (evaluation data)", make: () => upload("evaluation-data", county, "评估数据.xlsx", bombs.workbookRows) },
    { name: "workbook of 1,000,000 rows (school list)", make: () => upload("schools-import", city, "学校名单.xlsx", bombs.workbookRows) },
    {
      // With a device cookie, so the form route waits for the body (without one it redirects at once).
      name: "slow chunked body to the no-JS form",
      make: () => ({
        method: "POST",
        path: `/s/${linkToken}`,
        headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: origin, Cookie: newDeviceCookie(keys, false).setCookie.split(";")[0] ?? "" },
        body: { size: 64 * 1024, chunked: true, bytesPerSecond: 16 },
        timeoutMs: 60_000,
      }),
    },
    {
      name: "junk without a device on one link",
      make: () => {
        junk += 1;
        return {
          method: "POST",
          path: `/s/${linkToken}/submit`,
          headers: { "Content-Type": "application/json", "X-Real-IP": junk % 2 === 0 ? "203.0.113.5" : "203.0.113.6" },
          body: strToU8('{"version":1,"answers":{}}'),
          timeoutMs: 10_000,
        };
      },
    },
  ];
}

// ---------------------------------------------------------------------------------------------
// One run

interface Phase {
  load: Throughput;
  healthMaxMs: number;
  healthP99Ms: number;
  /** The highest resident memory sampled during the phase (every 100 ms), MB. */
  rssMaxMb: number;
}

interface RunFigures {
  quiet: Phase;
  abuse: Phase;
  crashed: boolean;
  peakRssMb: number;
  attacks: Record<string, Record<string, number>>;
}

/** Probes /healthz every 100 ms until stopped; a probe that does not answer in 30 s counts 30 s. */
function probeHealth(port: number, pid: number | undefined): { stop: () => Promise<{ health: number[]; rssMaxMb: number }> } {
  const samples: number[] = [];
  let rssMaxMb = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      const t = performance.now();
      rssMaxMb = Math.max(rssMaxMb, residentMb(pid)?.now ?? 0);
      const ok = await send(port, { method: "GET", path: "/healthz", headers: {}, body: new Uint8Array(0), timeoutMs: 30_000 });
      samples.push(ok.result === "200" ? ok.ms : 30_000);
      await new Promise((r) => setTimeout(r, Math.max(0, 100 - (performance.now() - t))));
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return { health: samples, rssMaxMb };
    },
  };
}

/** `SECONDS` of submissions (devices numbered from `offset`) with /healthz probed throughout. */
async function phase(server: ServerProcess, keys: Keys, links: readonly Link[], offset: number): Promise<Phase> {
  const port = Number(new URL(server.baseUrl).port);
  const probe = probeHealth(port, server.child.pid);
  const result = await driveAtRate(port, (i) => submission(keys, links, offset + i), { ratePerSecond: RATE, seconds: SECONDS, maxInFlight: MAX_IN_FLIGHT });
  const probed = await probe.stop();
  const health = probed.health.sort((a, b) => a - b);
  return {
    load: summarize({ ...result, cpu: null }),
    healthMaxMs: health.at(-1) ?? Number.NaN,
    healthP99Ms: percentile(health, 0.99),
    rssMaxMb: probed.rssMaxMb,
  };
}

function submission(keys: Keys, links: readonly Link[], n: number): Submission {
  const link = links[n % links.length];
  if (!link) throw new Error("no links");
  return mint(keys, link, n, `10.1.${n % ADDRESSES}.9`);
}

async function oneRun(run: number): Promise<RunFigures> {
  const secrets = { signing: randomBytes(32).toString("base64url"), deviceSalt: randomBytes(32).toString("base64url") };
  const server = await startServerProcess({ SIGNING_SECRET: secrets.signing, DEVICE_SALT: secrets.deviceSalt, TRUST_PROXY: "X-Real-IP" });
  const port = Number(new URL(server.baseUrl).port);
  const keys = createKeys(secrets);
  try {
    const links = schoolLinks(keys);
    const target = links.find((l) => l.scope.schoolId === "zn01");
    if (!target) throw new Error("no zn01 link");
    await driveAtRate(port, (i) => submission(keys, links, 9_000_000 + i), { ratePerSecond: RATE, seconds: 2, maxInFlight: MAX_IN_FLIGHT });
    const county = await signIn(server, keys, "demo-county");
    const city = await signIn(server, keys, "demo-city");

    const quiet = await phase(server, keys, links, 0);

    // The attackers are a process of their own, as they would be another machine: their sending
    // shares the cores, not the honest driver's event loop (its latencies are the figures).
    const attacker = await startAttackers({
      origin: server.baseUrl,
      secrets,
      county,
      city,
      linkToken: target.token,
      only: ONLY,
      paceMs: PACE_MS,
      serverPid: server.child.pid ?? 0,
    });
    await new Promise((r) => setTimeout(r, 500));
    const abuse = await phase(server, keys, links, 1_000_000);
    const tally = await attacker.stop();
    const crashed = server.child.exitCode !== null || server.child.signalCode !== null;
    // VmHWM when the server is still there; the highest VmRSS seen while it ran when it is not.
    const rss = residentMb(server.child.pid);
    const figures: RunFigures = { quiet, abuse, crashed, peakRssMb: rss?.peak ?? Math.max(quiet.rssMaxMb, abuse.rssMaxMb), attacks: tally };
    const f = (n: number) => n.toFixed(n < 10 ? 2 : 0);
    process.stdout.write(
      `run ${run}: quiet ${f(quiet.load.acceptedPerSecond)}/s p99 ${f(quiet.load.p99)} ms (healthz max ${f(quiet.healthMaxMs)} ms) | ` +
        `abuse ${f(abuse.load.acceptedPerSecond)}/s p99 ${f(abuse.load.p99)} ms ${JSON.stringify(abuse.load.other)} (healthz max ${f(abuse.healthMaxMs)} ms) | ` +
        `${crashed ? "CRASHED" : "no crash"} | peak RSS ${f(figures.peakRssMb)} MB\n`,
    );
    for (const [name, counts] of Object.entries(tally)) process.stdout.write(`    ${name.padEnd(46)} ${JSON.stringify(counts)}\n`);
    return figures;
  } finally {
    await server.stop();
  }
}

// ---------------------------------------------------------------------------------------------
// The attackers' process

interface AttackerConfig {
  origin: string;
  secrets: { signing: string; deviceSalt: string };
  county: string;
  city: string;
  linkToken: string;
  only: string | null;
  paceMs: number;
  serverPid: number;
}

type Tally = Record<string, Record<string, number>>;

/** Starts this script as the attackers (`--attacker`); resolves once they are sending. `stop()` gives their tally. */
async function startAttackers(config: AttackerConfig): Promise<{ stop: () => Promise<Tally> }> {
  const child = spawn(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), "--attacker"], {
    env: { ...process.env, YZ_ABUSE_ATTACKER: JSON.stringify(config) },
    stdio: ["pipe", "pipe", "inherit"],
  });
  let out = "";
  child.stdout.setEncoding("utf8");
  const exited = new Promise<void>((resolve) => child.on("exit", () => resolve()));
  await new Promise<void>((resolve, reject) => {
    child.stdout.on("data", (text: string) => {
      out += text;
      if (out.includes("attacking\n")) resolve();
    });
    void exited.then(() => reject(new Error(`the attackers' process ended before attacking: ${out}`)));
  });
  return {
    stop: async () => {
      child.stdin.end();
      await exited;
      const line = out.split("\n").find((l) => l.startsWith("{"));
      if (!line) throw new Error(`the attackers' process gave no tally: ${out}`);
      return JSON.parse(line) as Tally;
    },
  };
}

/** Three attackers going round the list, and 50 sockets trickling bodies, until stdin closes; then the tally on stdout. */
async function runAttackers(config: AttackerConfig): Promise<void> {
  const bombs = await loadBombs(false);
  const port = Number(new URL(config.origin).port);
  const alive = () => {
    try {
      process.kill(config.serverPid, 0);
      return true;
    } catch {
      return false;
    }
  };
  const all = attacks(config.origin, createKeys(config.secrets), bombs, config.county, config.city, config.linkToken).filter(
    (a) => config.only === null || a.name.includes(config.only),
  );
  // The slow bodies have sockets of their own (below); the attackers go round the rest.
  const list = all.filter((a) => !a.name.startsWith("slow"));
  const tally: Tally = {};
  let attacking = true;
  const count = (name: string, result: string) => {
    const counts = (tally[name] ??= {});
    counts[result] = (counts[result] ?? 0) + 1;
  };
  // Three attackers at a time, each going round the list from its own starting point.
  const attackers = Array.from({ length: 3 }, async (_, a) => {
    for (let i = a; attacking && list.length > 0; i++) {
      const attack = list[i % list.length];
      if (!attack) break;
      const outcome = await send(port, attack.make());
      count(attack.name, outcome.result);
      if (config.paceMs > 0) await new Promise((r) => setTimeout(r, config.paceMs));
      if (!alive()) break;
    }
  });
  // The slow-body sockets: 50 held open at once, for the whole phase.
  const slow = all.find((a) => a.name.startsWith("slow"));
  const loris = Array.from({ length: 50 }, async () => {
    while (attacking && slow && alive()) {
      const outcome = await send(port, slow.make());
      count(slow.name, outcome.result);
    }
  });
  process.stdout.write("attacking\n");
  process.stdin.resume();
  await new Promise<void>((resolve) => process.stdin.on("end", () => resolve()));
  attacking = false;
  for (const abandon of [...inFlight]) abandon();
  await Promise.all([...attackers, ...loris]);
  process.stdout.write(`${JSON.stringify(tally)}\n`);
}

async function loadBombs(announce: boolean): Promise<Bombs> {
  const make = announce ? cached : (name: string, _make: unknown) => Promise.resolve(new Uint8Array(fs.readFileSync(path.join(CACHE, name))));
  return {
    zipBomb: await make("bomb-300mb-csv.zip", () => zipBomb(300)),
    zipRows: await make("rows-1000000-csv.zip", () => zipOfRows(1_000_000)),
    workbookRows: await make("rows-1000000.xlsx", (file) => workbookOfRows(1_000_000, file)),
  };
}

async function main(): Promise<void> {
  const bombs = await loadBombs(true);
  process.stdout.write(
    `bench:abuse — ${RUNS} runs × ${SECONDS} s of submissions at ${RATE}/s, quiet then under abuse ` +
      `(zip bomb ${(bombs.zipBomb.byteLength / 1024).toFixed(0)} KB, 1,000,000-row zip ${(bombs.zipRows.byteLength / MB).toFixed(1)} MB and workbook ${(bombs.workbookRows.byteLength / MB).toFixed(1)} MB, ` +
      `300 MB bodies, slow bodies, junk), ${os.cpus().length} CPUs, Node ${process.version}\n`,
  );
  const runs: RunFigures[] = [];
  for (let r = 1; r <= RUNS; r++) runs.push(await oneRun(r));
  const m = (pick: (f: RunFigures) => number) => median(runs.map(pick));
  const figures = {
    bench: "abuse",
    runs: RUNS,
    seconds: SECONDS,
    ratePerSecond: RATE,
    attackPaceMs: PACE_MS,
    attacksSent: m((f) => Object.values(f.attacks).reduce((a, c) => a + Object.values(c).reduce((x, y) => x + y, 0), 0)),
    cpus: os.cpus().length,
    quietAcceptedPerSecond: Math.round(m((f) => f.quiet.load.acceptedPerSecond)),
    quietP50Ms: Number(m((f) => f.quiet.load.p50).toFixed(2)),
    quietP99Ms: Number(m((f) => f.quiet.load.p99).toFixed(2)),
    abuseAcceptedPerSecond: Math.round(m((f) => f.abuse.load.acceptedPerSecond)),
    abuseP50Ms: Number(m((f) => f.abuse.load.p50).toFixed(2)),
    abuseP99Ms: Number(m((f) => f.abuse.load.p99).toFixed(2)),
    p99Ratio: Number(m((f) => f.abuse.load.p99 / f.quiet.load.p99).toFixed(2)),
    honestRefusedUnderAbuse: m((f) => Object.values(f.abuse.load.other).reduce((a, b) => a + b, 0)),
    quietHealthMaxMs: Number(m((f) => f.quiet.healthMaxMs).toFixed(1)),
    abuseHealthMaxMs: Number(m((f) => f.abuse.healthMaxMs).toFixed(1)),
    abuseHealthP99Ms: Number(m((f) => f.abuse.healthP99Ms).toFixed(1)),
    crashes: runs.filter((f) => f.crashed).length,
    peakRssMb: Math.round(Math.max(...runs.map((f) => f.peakRssMb))),
    targetP99Ratio: 2,
    targetPeakRssMb: 400,
  };
  process.stdout.write(
    `\nmedians over ${RUNS} runs:\n` +
      `  quiet        ${figures.quietAcceptedPerSecond}/s   p50 ${figures.quietP50Ms} ms   p99 ${figures.quietP99Ms} ms   healthz max ${figures.quietHealthMaxMs} ms\n` +
      `  under abuse  ${figures.abuseAcceptedPerSecond}/s   p50 ${figures.abuseP50Ms} ms   p99 ${figures.abuseP99Ms} ms   healthz max ${figures.abuseHealthMaxMs} ms (p99 ${figures.abuseHealthP99Ms} ms)\n` +
      `  p99 under abuse / quiet  ${figures.p99Ratio}× (target ≤ 2×); honest submissions not accepted under abuse: ${figures.honestRefusedUnderAbuse}\n` +
      `  crashes ${figures.crashes} (target 0); server peak resident memory ${figures.peakRssMb} MB (target ≤ 400 MB)\n`,
  );
  process.stdout.write(`${JSON.stringify(figures)}\n`);
}

const attackerConfig = process.env.YZ_ABUSE_ATTACKER;
(flags.has("attacker") && attackerConfig ? runAttackers(JSON.parse(attackerConfig) as AttackerConfig) : main()).catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
