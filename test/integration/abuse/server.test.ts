/**
 * The built server (`node build/server.js`, as `npm start` runs it) with its bundled worker
 * (build/import-worker.js): while a county officer's uploads are parsed — four bombs at once,
 * an honest file that takes seconds — /healthz keeps answering at once, the officer gets the
 * Chinese refusal, and the honest file imports. Run `npx remix vite:build` first after changing app/ code (the
 * build is only made when missing; build/server.js and the worker are rebuilt every time).
 */
import { strToU8 } from "fflate";
import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { demoCredentials } from "../../../app/.server/auth/demo-accounts";
import { loadConfig } from "../../../app/.server/config";
import { createKeys, loadSecrets } from "../../../app/.server/keys";
import { startServerProcess, type ServerProcess } from "../../../scripts/lib/server-process";
import { heavyWorkbook, lyingAboutSize, minimalXlsx, numberRows, repeat, streamedZip } from "./bombs";

let server: ServerProcess;
let cookie = "";
const ROUTE = "routes/admin.campaigns.$campaignId.evaluation-data";

beforeAll(async () => {
  server = await startServerProcess();
  const keys = createKeys(loadSecrets(loadConfig({ DATA_DIR: server.dataDir })));
  const password = demoCredentials(keys).find((c) => c.username === "demo-city")?.password ?? "";
  const res = await fetch(`${server.baseUrl}/login`, {
    method: "POST",
    redirect: "manual",
    headers: { Origin: server.baseUrl, "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ username: "demo-city", password, next: "/admin" }),
  });
  expect(res.status).toBe(302);
  cookie = (res.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
}, 180_000);
afterAll(async () => {
  await server?.stop();
});

async function upload(name: string, bytes: Uint8Array): Promise<{ status: number; body: { ok: boolean; errors?: string[]; message?: string } }> {
  const form = new FormData();
  form.append("file", new File([Buffer.from(bytes)], name));
  const res = await fetch(`${server.baseUrl}/admin/campaigns/zw2026/evaluation-data?_data=${encodeURIComponent(ROUTE)}`, {
    method: "POST",
    headers: { Cookie: cookie, Origin: server.baseUrl },
    body: form,
  });
  return { status: res.status, body: (await res.json()) as { ok: boolean; errors?: string[]; message?: string } };
}

/** The server's resident memory (Linux), MB. */
function rssMb(): number {
  const status = fs.readFileSync(`/proc/${String(server.child.pid)}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

/** Requests /healthz one after another while `work` runs; the slowest answer and the peak RSS. */
async function whileProbing<T>(work: () => Promise<T>): Promise<{ value: T; slowestMs: number; probes: number; peakRssMb: number }> {
  let done = false;
  let slowest = 0;
  let probes = 0;
  let peak = rssMb();
  const probe = (async () => {
    while (!done) {
      const t = performance.now();
      const res = await fetch(`${server.baseUrl}/healthz`);
      await res.arrayBuffer();
      if (!res.ok) throw new Error(`/healthz answered ${String(res.status)}`);
      slowest = Math.max(slowest, performance.now() - t);
      probes += 1;
      peak = Math.max(peak, rssMb());
      await new Promise((r) => setTimeout(r, 10));
    }
  })();
  try {
    return { value: await work(), slowestMs: slowest, probes, peakRssMb: peak };
  } finally {
    done = true;
    await probe;
  }
}

const SCHOOL_HEADER = "学校标识码,学校名称,所属县（区）代码,学校类型,城乡类型,小学在校生数（人）,初中在校生数（人）,高中在校生数（人）\n";
const SCHOOL_ROW = "zn01,中宁县第一小学,640521,小学,城区,1900,0,0\n";

describe("the built server keeps answering while uploads are parsed", () => {
  it("four bombs at once (300 MB CSVs, a million-row workbook): each refused in Chinese, /healthz fast throughout", async () => {
    const csvBomb = lyingAboutSize(
      streamedZip([{ name: "学校.csv", pieces: () => [strToU8(SCHOOL_HEADER), ...repeat(strToU8(SCHOOL_ROW.repeat(20_000)), 330)] }]),
    );
    const rows = minimalXlsx("学校", ["学校标识码"], () => numberRows(1_000_000));
    const before = rssMb();
    const {
      value: answers,
      slowestMs,
      probes,
      peakRssMb,
    } = await whileProbing(() => Promise.all([upload("a.zip", csvBomb), upload("b.zip", csvBomb), upload("c.xlsx", rows), upload("d.zip", csvBomb)]));
    expect(answers.map((a) => [a.status, a.body.errors])).toEqual([
      [400, ["「文件」：文件解压后超过 50 MB"]],
      [400, ["「文件」：文件解压后超过 50 MB"]],
      [400, ["「文件」：工作表「学校」超过 100000 行，请检查是否选错了文件或误填了大量空行"]],
      [400, ["「文件」：文件解压后超过 50 MB"]],
    ]);
    expect(probes).toBeGreaterThan(0);
    expect(slowestMs).toBeLessThan(1000);
    process.stdout.write(
      `four bombs: /healthz slowest ${slowestMs.toFixed(0)} ms over ${String(probes)} probes; server RSS ${before.toFixed(0)} → peak ${peakRssMb.toFixed(0)} MB\n`,
    );
  });

  it("an honest file that takes seconds to read imports, /healthz fast all along", async () => {
    const heavy = heavyWorkbook(30_000);
    const { value: answer, slowestMs, probes } = await whileProbing(() => upload("问卷.xlsx", heavy));
    expect(answer).toEqual({ status: 200, body: { ok: true, message: "已导入 1 个县（区）、0 所学校的评估数据。" } });
    expect(probes).toBeGreaterThan(5);
    expect(slowestMs).toBeLessThan(1000);
    process.stdout.write(`heavy file: /healthz slowest ${slowestMs.toFixed(0)} ms over ${String(probes)} probes\n`);
  });
});
