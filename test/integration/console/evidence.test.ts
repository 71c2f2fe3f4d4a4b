/**
 * The county evidence pack (issue 15 item 4, decision 0026), downloaded through the export route
 * and checked by `npm run evidence:verify` with the public key the console publishes: it
 * verifies; one changed byte in a file names that file; a changed manifest fails its signature;
 * an extra file and a wrong public key fail; an audit extract altered and re-signed by someone
 * else's key still fails its own chain links. Scope: another county's officer and a school get
 * 403; the download is audited; the pack holds this county's rows only, and no answers.
 */
import { execFileSync } from "node:child_process";
import { createHash, createPublicKey, generateKeyPairSync, sign } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { strFromU8, strToU8, unzipSync, zipSync, type Zippable } from "fflate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { attachDemoEvaluationData } from "../../../app/.server/console/demo-data";
import { generateResponses } from "../../../app/.server/console/generate-responses";
import { publicKeyFingerprint } from "../../../app/.server/evidence-key";
import { IMPORT_LIMITS } from "../../../app/.server/evaluation-import/limits";
import { ZipReader } from "../../../app/.server/evaluation-import/unzip";
import { auditRowHash } from "../../../app/domain/audit-chain";
import type { AuditExtractRow, EvidenceManifest } from "../../../app/domain/evidence-pack";
import { loader as exportLoader } from "../../../app/routes/admin_.export.$campaignId.$file/route";
import { action as reviewAction } from "../../../app/routes/admin.campaigns.$campaignId.counties.$countyId.review/route";
import { runEvidenceVerify } from "../../../scripts/evidence-verify";
import { makeTestServices, type TestServices } from "../../support/services";
import { callAction, roleCookies } from "./support";

const ROOT = fileURLToPath(new URL("../../..", import.meta.url));
let services: TestServices;
let cookies: Awaited<ReturnType<typeof roleCookies>>;
let dir: string;
let publicKeyFile: string;

async function download(file: string, cookie: string, county?: string): Promise<{ status: number; bytes: Buffer; headers: Headers }> {
  const url = `https://survey.test/admin/export/zw2026/${file}${county ? `?county=${county}` : ""}`;
  let res: Response;
  try {
    res = (await exportLoader({
      request: new Request(url, { headers: { Cookie: cookie } }),
      params: { campaignId: "zw2026", file },
      context: { services, clientAddress: "198.51.100.1", cspNonce: "t" },
    })) as Response;
  } catch (thrown) {
    if (thrown instanceof Response) res = thrown;
    else throw thrown;
  }
  return { status: res.status, bytes: Buffer.from(await res.arrayBuffer()), headers: res.headers };
}

function verify(zip: Uint8Array, args: string[] = ["--public-key", publicKeyFile]): { code: number; out: string } {
  const file = path.join(dir, `pack-${String(Math.random()).slice(2)}.zip`);
  fs.writeFileSync(file, zip);
  let out = "";
  const code = runEvidenceVerify([file, ...args], { stdout: (t) => void (out += t), stderr: (t) => void (out += t) });
  return { code, out };
}

const sha256 = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");

function rezip(entries: Record<string, Uint8Array>): Uint8Array {
  const z: Zippable = {};
  for (const [k, v] of Object.entries(entries)) z[k] = v;
  return zipSync(z);
}

async function review(countyId: string, responseId: number, intent: "invalidate" | "restore", reason: string): Promise<void> {
  const f = new FormData();
  f.append("intent", intent);
  f.append(intent === "invalidate" ? "reason" : "reasonOther", reason);
  f.append("id", String(responseId));
  const r = await callAction(services, reviewAction, `/admin/campaigns/zw2026/counties/${countyId}/review`, {
    cookie: cookies.city,
    params: { campaignId: "zw2026", countyId },
    form: f,
  });
  expect(r.status).toBe(200);
}

let pack: Uint8Array;
let reviewed: number;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "evidence-"));
  services = await makeTestServices();
  await generateResponses(services.db, { campaignId: "zw2026", count: 300, seed: 7, now: services.now() - 3_600_000, profile: "demo", label: "demo" });
  cookies = await roleCookies(services);
  const zn = await services.db.selectFrom("responses").select("id").where("county_id", "=", "640521").orderBy("id").executeTakeFirstOrThrow();
  const spt = await services.db.selectFrom("responses").select("id").where("county_id", "=", "640502").orderBy("id").executeTakeFirstOrThrow();
  reviewed = Number(zn.id);
  services.clock.advance(60_000);
  await review("640521", reviewed, "invalidate", "所有题目选择同一选项");
  services.clock.advance(60_000);
  await review("640521", reviewed, "restore", "复核后确认为本人作答");
  await review("640502", Number(spt.id), "invalidate", "非调查对象填写");
  const key = await download("evidence-public-key.pem", cookies.city);
  expect(key.status).toBe(200);
  publicKeyFile = path.join(dir, "public.pem");
  fs.writeFileSync(publicKeyFile, key.bytes);
  const got = await download("evidence.zip", cookies.county, "640521");
  expect(got.status).toBe(200);
  expect(got.headers.get("content-type")).toBe("application/zip");
  expect(got.headers.get("content-disposition")).toContain(encodeURIComponent("中宁县-证据包-zw2026.zip"));
  pack = new Uint8Array(got.bytes);
});

afterAll(async () => {
  await services.dispose();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("evidence pack", () => {
  it("verifies with the published public key, listing its files and the parts not included", () => {
    const { code, out } = verify(pack);
    expect(out).toMatch(/^OK 证据包完好：中宁县（640521）/);
    expect(code).toBe(0);
    for (const name of ["table6.xlsx", "reviews.csv", "audit.jsonl"]) expect(out).toContain(`  ${name}  `);
    expect(out).toContain("未包含：表Ⅲ 差异系数（Excel）（本调查活动尚未导入评估数据，无法生成表Ⅲ差异系数。）");
    expect(out).toContain("未包含：异常作答报告");
    expect(out).toContain("未包含：抽样比对");
    expect(out).not.toContain("未指定 --public-key");
    // Without --public-key the pack's own key is used, and the output says to compare fingerprints.
    const own = verify(pack, []);
    expect(own.code).toBe(0);
    expect(own.out).toContain("未指定 --public-key");
  });

  it("holds what the manifest says: sizes and hashes, this county's review decisions and audit rows only, no answers", () => {
    const files = unzipSync(pack);
    expect(Object.keys(files).sort()).toEqual(["audit.jsonl", "manifest.json", "manifest.sig", "public-key.pem", "reviews.csv", "table6.xlsx"]);
    const manifest = JSON.parse(strFromU8(files["manifest.json"]!)) as EvidenceManifest;
    expect(manifest).toMatchObject({
      format: "youzhi-evidence-pack/1",
      campaign: { id: "zw2026" },
      county: { id: "640521", name: "中宁县" },
      generatedAt: services.now(),
      generatedBy: "zn-officer",
      platform: { name: "youzhi-junheng", version: "0.1.0" },
    });
    for (const f of manifest.files) expect({ size: files[f.name]!.byteLength, sha256: sha256(files[f.name]!) }).toEqual({ size: f.size, sha256: f.sha256 });
    expect(manifest.parts.map((p) => [p.part, p.included])).toEqual([
      ["table6", true],
      ["table3", false],
      ["anomalies", false],
      ["sample", false],
      ["reviews", true],
      ["audit", true],
    ]);
    expect(manifest.signature.publicKeyFingerprint).toBe(publicKeyFingerprint(createPublicKey(fs.readFileSync(publicKeyFile, "utf8"))));

    const csv = strFromU8(files["reviews.csv"]!)
      .replace(/^\uFEFF/, "")
      .trim()
      .split("\r\n");
    expect(csv[0]).toBe("审核记录编号,问卷编号,操作,原因,操作人账号编号,操作人,时间（北京时间）,时间戳（毫秒）");
    expect(csv.slice(1).map((l) => l.split(",").slice(1, 4))).toEqual([
      [String(reviewed), "标记无效", "所有题目选择同一选项"],
      [String(reviewed), "恢复有效", "复核后确认为本人作答"],
    ]);
    expect(strFromU8(files["reviews.csv"]!)).not.toMatch(/answers|device|设备/);

    const rows = strFromU8(files["audit.jsonl"]!)
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as AuditExtractRow);
    expect(rows.every((r) => r.countyId === "640521" && r.campaignId === "zw2026")).toBe(true);
    expect(rows.map((r) => r.action)).toEqual(["response_invalidated", "response_restored", "export"]);
    // The pack's own download is audited, and is the head the manifest records.
    const last = rows.at(-1)!;
    expect(last).toMatchObject({ username: "zn-officer", subject: "evidence.zip", clientAddress: "198.51.100.1" });
    expect(manifest.auditHead).toEqual({ seq: last.seq, hash: last.hash });
  });

  it("fails on one changed byte in a file, naming the file", () => {
    const files = unzipSync(pack);
    const table6 = files["table6.xlsx"]!.slice();
    table6[100] = table6[100]! ^ 0x01;
    const { code, out } = verify(rezip({ ...files, "table6.xlsx": table6 }));
    expect(code).toBe(1);
    expect(out).toMatch(/^FAILED 文件 table6\.xlsx 的 SHA-256 不符（内容被改动）/);
    // A byte flipped in the download itself, inside table6.xlsx's deflated data: it inflates to
    // other bytes, to another length, or not at all — and each way the pack fails, naming the file
    // or the zip.
    const entry = new ZipReader(pack, IMPORT_LIMITS).entries.find((e) => e.name === "table6.xlsx")!;
    const raw = pack.slice();
    const header = new DataView(pack.buffer, pack.byteOffset + entry.localOffset, 30);
    const at = entry.localOffset + 30 + header.getUint16(26, true) + header.getUint16(28, true) + (entry.compressedSize >> 1);
    raw[at] = raw[at]! ^ 0xff;
    const flipped = verify(raw);
    expect(flipped.code).toBe(1);
    expect(flipped.out).toMatch(/^FAILED (文件 table6\.xlsx 的(大小| SHA-256 )不符|无法读取证据包)/);
  });

  it("fails on one changed byte in the manifest: the signature", () => {
    const files = unzipSync(pack);
    const text = strFromU8(files["manifest.json"]!).replace('"generatedBy": "zn-officer"', '"generatedBy": "zn-officeR"');
    expect(text).toContain("zn-officeR");
    const { code, out } = verify(rezip({ ...files, "manifest.json": strToU8(text) }));
    expect(code).toBe(1);
    expect(out).toMatch(/^FAILED 签名无效/);
  });

  it("fails on an extra file, and on a missing one", () => {
    const files = unzipSync(pack);
    const extra = verify(rezip({ ...files, "说明.txt": strToU8("多出来的文件") }));
    expect(extra.code).toBe(1);
    expect(extra.out).toContain("FAILED 多出清单以外的文件：说明.txt");
    const { "reviews.csv": _dropped, ...rest } = files;
    const missing = verify(rezip(rest));
    expect(missing.code).toBe(1);
    expect(missing.out).toContain("FAILED 缺少清单中的文件：reviews.csv");
  });

  it("fails with the wrong public key, and with a key swapped into the pack", () => {
    const other = generateKeyPairSync("ed25519");
    const wrongFile = path.join(dir, "wrong.pem");
    fs.writeFileSync(wrongFile, other.publicKey.export({ type: "spki", format: "pem" }));
    const wrong = verify(pack, ["--public-key", wrongFile]);
    expect(wrong.code).toBe(1);
    expect(wrong.out).toMatch(/^FAILED 签名无效/);
    // Someone re-signs a changed manifest with their own key and ships that key in the pack: the
    // published key refuses it, and even the pack's own key sees the fingerprint the manifest names.
    const files = unzipSync(pack);
    const text = strFromU8(files["manifest.json"]!).replace('"generatedBy": "zn-officer"', '"generatedBy": "someone"');
    const sig = strToU8(`${sign(null, strToU8(text), other.privateKey).toString("base64")}\n`);
    const swapped = rezip({
      ...files,
      "manifest.json": strToU8(text),
      "manifest.sig": sig,
      "public-key.pem": strToU8(other.publicKey.export({ type: "spki", format: "pem" }).toString()),
    });
    expect(verify(swapped).out).toMatch(/^FAILED 签名无效/);
    expect(verify(swapped, []).out).toMatch(/^FAILED 公钥指纹不符/);
  });

  it("checks the audit extract's own links, even in a pack re-signed by another key", () => {
    const other = generateKeyPairSync("ed25519");
    const otherFile = path.join(dir, "other.pem");
    fs.writeFileSync(otherFile, other.publicKey.export({ type: "spki", format: "pem" }));
    const files = unzipSync(pack);
    const resign = (audit: string): Uint8Array => {
      const manifest = JSON.parse(strFromU8(files["manifest.json"]!)) as EvidenceManifest;
      const bytes = strToU8(audit);
      const f = manifest.files.find((x) => x.name === "audit.jsonl")!;
      f.size = bytes.byteLength;
      f.sha256 = sha256(bytes);
      manifest.signature.publicKeyFingerprint = publicKeyFingerprint(other.publicKey);
      const m = strToU8(JSON.stringify(manifest));
      return rezip({ ...files, "audit.jsonl": bytes, "manifest.json": m, "manifest.sig": strToU8(sign(null, m, other.privateKey).toString("base64")) });
    };
    const lines = strFromU8(files["audit.jsonl"]!).trim().split("\n");
    // Unchanged but re-signed: verifies under that key (the check below is the extract's, not the signature's).
    expect(verify(resign(`${lines.join("\n")}\n`), ["--public-key", otherFile]).code).toBe(0);
    const altered = lines.map((l, i) => (i === 0 ? l.replace("所有题目选择同一选项", "作答时间过短") : l));
    expect(altered[0]).not.toBe(lines[0]);
    const a = verify(resign(`${altered.join("\n")}\n`), ["--public-key", otherFile]);
    expect(a.code).toBe(1);
    expect(a.out).toContain("FAILED 操作日志摘录第 1 行（序号");
    expect(a.out).toContain("记录内容与其哈希不符");
    // An altered row re-hashed: its successor no longer links to it (rows 1 and 2 are consecutive seqs).
    const first = JSON.parse(lines[0]!) as AuditExtractRow;
    const second = JSON.parse(lines[1]!) as AuditExtractRow;
    expect(second.seq).toBe(first.seq + 1);
    const changed = { ...first, detail: first.detail.replace("所有题目选择同一选项", "作答时间过短") };
    changed.hash = auditRowHash(changed, (t) => createHash("sha256").update(t, "utf8").digest("hex"));
    const relinked = verify(resign(`${[JSON.stringify(changed), ...lines.slice(1)].join("\n")}\n`), ["--public-key", otherFile]);
    expect(relinked.code).toBe(1);
    expect(relinked.out).toContain("FAILED 操作日志摘录第 2 行");
    expect(relinked.out).toContain("前一条记录的哈希不符");
  });

  it("is refused to another county's officer and to a school account (403), and audited for whoever downloads it", async () => {
    const before = await services.db.selectFrom("audit_log").select("id").where("subject", "=", "evidence.zip").execute();
    expect((await download("evidence.zip", cookies.otherCounty, "640521")).status).toBe(403);
    expect((await download("evidence.zip", cookies.school, "640521")).status).toBe(403);
    expect((await download("evidence-public-key.pem", cookies.school)).status).toBe(403);
    expect((await download("evidence.zip", cookies.county)).status).toBe(404);
    const after = await services.db.selectFrom("audit_log").select("id").where("subject", "=", "evidence.zip").execute();
    expect(after.length).toBe(before.length);
    const city = await download("evidence.zip", cookies.city, "640502");
    expect(city.status).toBe(200);
    const rows = await services.db.selectFrom("audit_log").selectAll().where("subject", "=", "evidence.zip").orderBy("seq").execute();
    expect(rows.map((r) => [r.username, r.county_id, r.action])).toEqual([
      ["zn-officer", "640521", "export"],
      ["city-admin", "640502", "export"],
    ]);
    // 沙坡头区's pack holds its own review decision, not 中宁县's.
    const files = unzipSync(new Uint8Array(city.bytes));
    expect(strFromU8(files["reviews.csv"]!)).toContain("非调查对象填写");
    expect(strFromU8(files["reviews.csv"]!)).not.toContain("复核后确认为本人作答");
    expect(verify(new Uint8Array(city.bytes)).code).toBe(0);
  });

  it("includes 表Ⅲ once the evaluation data is imported", async () => {
    await attachDemoEvaluationData(services, "zw2026", ROOT);
    const got = await download("evidence.zip", cookies.city, "640521");
    const { code, out } = verify(new Uint8Array(got.bytes));
    expect(code).toBe(0);
    expect(out).toContain("  table3.xlsx  ");
    expect(out).not.toContain("未包含：表Ⅲ");
  });

  it("verifies from the command line without any database", () => {
    const file = path.join(dir, "cli.zip");
    fs.writeFileSync(file, pack);
    const run = (args: string[]) => {
      try {
        return {
          code: 0,
          out: execFileSync(process.execPath, ["--import", "tsx", "scripts/evidence-verify.ts", ...args], {
            cwd: ROOT,
            env: { PATH: process.env.PATH ?? "", NODE_ENV: "production", DATA_DIR: path.join(dir, "no-such-dir") },
            encoding: "utf8",
            stdio: ["ignore", "pipe", "pipe"],
          }),
        };
      } catch (e) {
        const failed = e as { status: number; stdout: string; stderr: string };
        return { code: failed.status, out: failed.stdout + failed.stderr };
      }
    };
    const ok = run([file, "--public-key", publicKeyFile]);
    expect(ok.out).toContain("OK 证据包完好");
    expect(ok.code).toBe(0);
    expect(fs.existsSync(path.join(dir, "no-such-dir"))).toBe(false);
    const bad = run([file, "--public-key", path.join(dir, "missing.pem")]);
    expect(bad.code).toBe(2);
    expect(bad.out).toContain("无法读取公钥文件");
  });
});
