import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { auditRowHash, GENESIS_HASH } from "./audit-chain";
import {
  auditExtractLine,
  buildManifest,
  checkAuditExtract,
  groupFingerprint,
  NOT_BUILT_YET,
  verifyEvidencePack,
  type AuditExtractRow,
  type EvidenceManifest,
} from "./evidence-pack";

const textHash = (t: string) => createHash("sha256").update(t, "utf8").digest("hex");
const bytesHash = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");
const enc = (t: string) => new TextEncoder().encode(t);

function chain(n: number, start = 1): AuditExtractRow[] {
  const rows: AuditExtractRow[] = [];
  let prev = GENESIS_HASH;
  for (let i = 0; i < n; i++) {
    const base = {
      id: start + i,
      seq: start + i,
      at: 1_000 + i,
      accountId: 1,
      username: "zn",
      action: "export",
      campaignId: "c",
      countyId: "k",
      subject: null,
      detail: `{"n":${String(i)}}`,
      clientAddress: null,
      summaryKey: null,
      prevHash: prev,
    };
    const hash = auditRowHash(base, textHash);
    rows.push({ ...base, hash });
    prev = hash;
  }
  return rows;
}

function manifestFor(rows: AuditExtractRow[]): EvidenceManifest {
  const last = rows.at(-1);
  return buildManifest(
    {
      campaign: { id: "c", name: "活动" },
      county: { id: "k", name: "县" },
      generatedAt: Date.UTC(2026, 11, 7, 16, 0, 0),
      generatedBy: "zn",
      platform: { name: "p", version: "1" },
      auditHead: { seq: last?.seq ?? 0, hash: last?.hash ?? GENESIS_HASH },
      signature: { algorithm: "Ed25519", file: "manifest.sig", publicKeyFile: "public-key.pem", publicKeyFingerprint: "f".repeat(64) },
    },
    [
      { part: "audit", size: 1, sha256: "a".repeat(64) },
      { part: "table3", missing: "没有评估数据" },
    ],
  );
}

describe("buildManifest", () => {
  it("lists every part in order, with the built ones as files and the rest with a reason", () => {
    const m = manifestFor(chain(1));
    expect(m.generatedAtBeijing).toBe("2026-12-08 00:00:00");
    expect(m.files).toEqual([{ name: "audit.jsonl", part: "audit", title: "操作日志摘录（本县，含哈希链字段）", size: 1, sha256: "a".repeat(64) }]);
    expect(m.parts.map((p) => [p.part, p.included, p.reason])).toEqual([
      ["table6", false, NOT_BUILT_YET],
      ["table3", false, "没有评估数据"],
      ["anomalies", false, NOT_BUILT_YET],
      ["sample", false, NOT_BUILT_YET],
      ["reviews", false, NOT_BUILT_YET],
      ["audit", true, null],
    ]);
    expect(() =>
      buildManifest(m, [
        { part: "audit", missing: "x" },
        { part: "audit", missing: "y" },
      ]),
    ).toThrow();
  });

  it("groups a fingerprint in fours", () => {
    expect(groupFingerprint("0123456789abcdef")).toBe("0123 4567 89ab cdef");
  });
});

describe("checkAuditExtract", () => {
  const text = (rows: AuditExtractRow[]) => enc(rows.map(auditExtractLine).join(""));

  it("accepts an intact extract with gaps between its rows", () => {
    const rows = chain(5);
    const extract = [rows[0]!, rows[2]!, rows[3]!, rows[4]!];
    expect(checkAuditExtract(text(extract), manifestFor(rows), textHash)).toEqual({ ok: true, rows: 4 });
    expect(checkAuditExtract(enc(""), manifestFor(rows), textHash)).toEqual({ ok: true, rows: 0 });
  });

  it("names the first altered, relinked, reordered, foreign or post-head row", () => {
    const rows = chain(4);
    const m = manifestFor(rows);
    const altered = rows.map((r, i) => (i === 1 ? { ...r, username: "x" } : r));
    expect(checkAuditExtract(text(altered), m, textHash)).toMatchObject({
      ok: false,
      failure: expect.stringContaining("第 2 行（序号 2）：记录内容与其哈希不符") as unknown,
    });
    const rehashed = { ...rows[1]!, username: "x" };
    rehashed.hash = auditRowHash(rehashed, textHash);
    expect(checkAuditExtract(text([rows[0]!, rehashed, rows[2]!, rows[3]!]), m, textHash)).toMatchObject({
      ok: false,
      failure: expect.stringContaining("第 3 行（序号 3）：前一条记录的哈希不符") as unknown,
    });
    expect(checkAuditExtract(text([rows[1]!, rows[0]!]), m, textHash)).toMatchObject({
      ok: false,
      failure: expect.stringContaining("不大于上一行") as unknown,
    });
    const foreign = { ...rows[0]!, countyId: "other" };
    foreign.hash = auditRowHash(foreign, textHash);
    expect(checkAuditExtract(text([foreign]), m, textHash)).toMatchObject({
      ok: false,
      failure: expect.stringContaining("不是本调查活动、本县（区）的记录") as unknown,
    });
    expect(checkAuditExtract(text(rows), manifestFor(rows.slice(0, 2)), textHash)).toMatchObject({
      ok: false,
      failure: expect.stringContaining("在清单记录的链头（序号 2）之后") as unknown,
    });
    expect(checkAuditExtract(enc("not json\n"), m, textHash)).toMatchObject({ ok: false, failure: "操作日志摘录第 1 行格式不对" });
  });
});

describe("verifyEvidencePack", () => {
  const rows = chain(2);
  const audit = enc(rows.map(auditExtractLine).join(""));
  const base = manifestFor(rows);
  const manifest: EvidenceManifest = { ...base, files: [{ ...base.files[0]!, size: audit.byteLength, sha256: bytesHash(audit) }] };
  const manifestBytes = enc(JSON.stringify(manifest));
  // A stand-in signature: valid when the signature bytes are the manifest's hash (the real Ed25519 check is in the integration test).
  const verifySignature = (m: Uint8Array, s: Uint8Array) => ({ fingerprint: "f".repeat(64), valid: new TextDecoder().decode(s) === bytesHash(m) });
  const entries = () =>
    new Map<string, Uint8Array>([
      ["manifest.json", manifestBytes],
      ["manifest.sig", enc(bytesHash(manifestBytes))],
      ["public-key.pem", enc("pem")],
      ["audit.jsonl", audit],
    ]);

  it("accepts an intact pack and refuses each kind of change", () => {
    expect(verifyEvidencePack({ entries: entries(), sha256: bytesHash, textHash, verifySignature })).toMatchObject({ ok: true, auditRows: 2 });
    const e1 = entries();
    e1.set("extra.txt", enc("x"));
    expect(verifyEvidencePack({ entries: e1, sha256: bytesHash, textHash, verifySignature })).toEqual({ ok: false, failure: "多出清单以外的文件：extra.txt" });
    const e2 = entries();
    const changed = audit.slice();
    changed[5] = changed[5]! ^ 1;
    e2.set("audit.jsonl", changed);
    expect(verifyEvidencePack({ entries: e2, sha256: bytesHash, textHash, verifySignature })).toMatchObject({
      ok: false,
      failure: expect.stringContaining("文件 audit.jsonl 的 SHA-256 不符") as unknown,
    });
    const e3 = entries();
    e3.delete("audit.jsonl");
    expect(verifyEvidencePack({ entries: e3, sha256: bytesHash, textHash, verifySignature })).toEqual({ ok: false, failure: "缺少清单中的文件：audit.jsonl" });
    const e4 = entries();
    e4.set("manifest.json", enc(JSON.stringify({ ...manifest, generatedBy: "y" })));
    expect(verifyEvidencePack({ entries: e4, sha256: bytesHash, textHash, verifySignature })).toMatchObject({
      ok: false,
      failure: expect.stringContaining("签名无效") as unknown,
    });
    expect(
      verifyEvidencePack({
        entries: entries(),
        sha256: bytesHash,
        textHash,
        verifySignature: (m, s) => ({ ...verifySignature(m, s), fingerprint: "e".repeat(64) }),
      }),
    ).toMatchObject({ ok: false, failure: expect.stringContaining("公钥指纹不符") as unknown });
  });
});
