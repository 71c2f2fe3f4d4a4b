/**
 * Driving the real server with submissions over HTTP, shared by the benchmarks (bench:ingest,
 * bench:abuse): minting what a phone would send (device cookie, signed start time, a plausible
 * answer set on a school's link), sending at a bounded concurrency, and the figures (percentiles,
 * the server's CPU seconds and resident memory from /proc).
 */
import type { ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import { performance } from "node:perf_hooks";
import { newDeviceCookie, readDeviceId } from "../../app/.server/collect/device";
import type { Keys } from "../../app/.server/keys";
import { scopeKey, signLink, type LinkScope } from "../../app/.server/collect/link-token";
import { signStarted } from "../../app/.server/collect/started-token";
import { GRADES_BY_SCHOOL_TYPE } from "../../app/domain/vocabulary";
import { DEMO_CAMPAIGN_ID, DEMO_COUNTIES } from "../../db/seed/demo-zhongwei";

export const SCORED_ITEMS = [
  "moral",
  "equity",
  "admission",
  "gap",
  "teachers",
  "conduct",
  "quality_ed",
  "exam_reform",
  "homework",
  "pe_arts_labour",
  "safety",
  "government",
  "overall",
];

export interface Sample {
  status: number;
  ms: number;
}

export interface Submission {
  path: string;
  cookie: string;
  address: string;
  body: string;
}

export function percentile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

export function median(values: readonly number[]): number {
  return percentile(
    [...values].sort((a, b) => a - b),
    0.5,
  );
}

export const OPTIONS = ["满意", "比较满意", "基本满意", "不满意", "很不满意", "不了解"];

/** A well-mixed 32-bit hash of (n, i): each parent's own choices, reproducibly. */
function mix(n: number, i: number): number {
  let x = Math.imul(n + 1, 0x9e3779b1) ^ Math.imul(i + 1, 0x85ebca77);
  x = Math.imul(x ^ (x >>> 16), 0x7feb352d);
  x = Math.imul(x ^ (x >>> 15), 0x846ca68b);
  return (x ^ (x >>> 16)) >>> 0;
}

/**
 * A plausible parent's answer set for a school of `type`, varied per `n` as different people's
 * are (identical answer sets from one address are flagged 答案完全相同, decision 0012).
 */
export function answersFor(type: keyof typeof GRADES_BY_SCHOOL_TYPE, n: number): Record<string, unknown> {
  const grades = GRADES_BY_SCHOOL_TYPE[type];
  const answers: Record<string, unknown> = { grade: grades.min + (n % (grades.max - grades.min + 1)) };
  SCORED_ITEMS.forEach((item, i) => {
    answers[item] = OPTIONS[mix(n, i) % 4] ?? "满意";
  });
  if (n % 5 === 0) answers.comment = "希望增加课后服务的活动种类。";
  return answers;
}

export interface Link {
  scope: LinkScope;
  token: string;
  type: keyof typeof GRADES_BY_SCHOOL_TYPE;
}

export function schoolLinks(keys: Keys): Link[] {
  return DEMO_COUNTIES.flatMap((county) =>
    county.schools.map((school) => {
      const scope: LinkScope = { campaignId: DEMO_CAMPAIGN_ID, countyId: county.id, schoolId: school.id, questionnaireId: "social" };
      return { scope, token: signLink(keys, scope), type: school.type };
    }),
  );
}

export function mint(keys: Keys, link: Link, n: number, address: string, device?: string): Submission {
  const cookie = device ?? newDeviceCookie(keys, false).setCookie.split(";")[0] ?? "";
  // Opened on this device two to ten minutes ago, each at a moment of its own (1.7 s apart,
  // wrapping): an ordinary answering time, and no crowd opening the page in the same seconds.
  const bind = { scopeKey: scopeKey(link.scope), deviceId: readDeviceId(keys, cookie) ?? "" };
  const started = signStarted(keys, bind, Date.now() - 120_000 - ((n * 1709) % 480_000));
  const body = JSON.stringify({ version: 1, idempotencyKey: randomBytes(16).toString("base64url"), started, answers: answersFor(link.type, n) });
  return { path: `/s/${link.token}/submit`, cookie, address, body };
}

export function post(agent: http.Agent, port: number, s: Submission): Promise<Sample> {
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
export async function drive(port: number, submissions: readonly Submission[], concurrency: number): Promise<{ samples: Sample[]; seconds: number }> {
  return driveWhile(port, (i) => submissions[i], concurrency);
}

/**
 * Sends `next(0)`, `next(1)`, … with at most `concurrency` in flight until `next` returns
 * undefined (a fixed list, or a clock: "for 30 seconds"); returns samples in order and wall time.
 */
export async function driveWhile(
  port: number,
  next: (i: number) => Submission | undefined,
  concurrency: number,
): Promise<{ samples: Sample[]; seconds: number }> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const samples: Sample[] = [];
  let i = 0;
  let ended = false;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (!ended) {
        const n = i++;
        const s = next(n);
        if (s === undefined) {
          ended = true;
          return;
        }
        samples[n] = await post(agent, port, s);
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  agent.destroy();
  return { samples: samples.filter((s) => s !== undefined), seconds };
}

/**
 * Open loop: sends `next(i)` at `ratePerSecond` for `seconds`, whatever the answers' speed (as
 * phones do: one parent does not wait for another's), with at most `maxInFlight` outstanding;
 * a request's latency runs from its scheduled time, so a stalled server is not hidden by the
 * driver waiting for it. Requests that could not be sent within the cap count status 0.
 */
export async function driveAtRate(
  port: number,
  next: (i: number) => Submission,
  options: { ratePerSecond: number; seconds: number; maxInFlight: number },
): Promise<{ samples: Sample[]; seconds: number }> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.maxInFlight });
  const total = Math.round(options.ratePerSecond * options.seconds);
  const samples: Sample[] = [];
  const pending: Promise<void>[] = [];
  let inFlight = 0;
  const t0 = performance.now();
  for (let i = 0; i < total; i++) {
    const at = t0 + (i * 1000) / options.ratePerSecond;
    const wait = at - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    if (inFlight >= options.maxInFlight) {
      samples.push({ status: 0, ms: performance.now() - at });
      continue;
    }
    inFlight += 1;
    const s = next(i);
    pending.push(
      post(agent, port, s).then((sample) => {
        inFlight -= 1;
        samples.push({ status: sample.status, ms: performance.now() - at });
      }),
    );
  }
  await Promise.all(pending);
  const seconds = (performance.now() - t0) / 1000;
  agent.destroy();
  return { samples, seconds };
}

export interface Throughput {
  /** Server CPU time per request, in µs (user + system, from /proc). */
  cpuMicrosPerRequest: number | null;
  acceptedPerSecond: number;
  p50: number;
  p99: number;
  accepted: number;
  other: Record<string, number>;
}

export function summarize(result: { samples: Sample[]; seconds: number; cpu: number | null }): Throughput {
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

export async function waitForHealth(child: ChildProcess, port: number): Promise<void> {
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

export async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.pid === undefined) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  await exited;
}

const CLOCK_TICKS = 100; // USER_HZ on Linux

/** CPU seconds (user + system) a process has used so far; null where /proc is unavailable. */
export function cpuSeconds(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return null;
  }
}

/** The peak and current resident memory of a process, in MB (VmHWM / VmRSS); null without /proc. */
export function residentMb(pid: number | undefined): { peak: number; now: number } | null {
  if (pid === undefined) return null;
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? Number.NaN);
    return { peak: kb("VmHWM") / 1024, now: kb("VmRSS") / 1024 };
  } catch {
    return null;
  }
}
