/**
 * The signed evidence pack of one county (issue 15 item 4, decision 0026): a zip of the 表Ⅵ and
 * 表Ⅲ workbooks, the review decisions and an extract of the 操作日志, with `manifest.json` (every
 * file's name, size and SHA-256; which parts are included and why a part is not; the audit
 * chain's head) and `manifest.sig` (Ed25519 over the manifest's exact bytes).
 *
 * This module is pure: it names the parts, builds the manifest and checks a pack already read
 * into memory. Hashing and the signature check are passed in (node:crypto on the server and in
 * scripts/evidence-verify.ts), so the same rules run wherever a pack is checked — and checking
 * needs nothing but the zip and the deployment's public key (no database).
 */
import { z } from "zod";
import { auditRowHash, type ChainFields, type TextHash } from "./audit-chain";

export const EVIDENCE_FORMAT = "youzhi-evidence-pack/1";
export const MANIFEST_FILE = "manifest.json";
export const SIGNATURE_FILE = "manifest.sig";
export const PUBLIC_KEY_FILE = "public-key.pem";
/** The files every pack carries besides the parts (not listed among `files`: they describe them). */
export const ENVELOPE_FILES = [MANIFEST_FILE, SIGNATURE_FILE, PUBLIC_KEY_FILE] as const;

/**
 * The parts a pack may hold, in the order of the issue. `anomalies` and `sample` are not built
 * by the platform yet: a pack says so in its manifest (included: false, with the reason) and
 * carries no file for them, so a later version adds the file without changing the format.
 */
export const EVIDENCE_PARTS = ["table6", "table3", "anomalies", "sample", "reviews", "audit"] as const;
export type EvidencePart = (typeof EVIDENCE_PARTS)[number];

export const EVIDENCE_PART_LABELS: Record<EvidencePart, string> = {
  table6: "表Ⅵ 社会认可度（Excel）",
  table3: "表Ⅲ 差异系数（Excel）",
  anomalies: "异常作答报告",
  sample: "抽样比对（抽取样本与回收问卷的比对）",
  reviews: "问卷审核决定（CSV）",
  audit: "操作日志摘录（本县，含哈希链字段）",
};

/** The file name of each part when included (ASCII, so every unzip tool shows it the same). */
export const EVIDENCE_PART_FILES: Record<EvidencePart, string> = {
  table6: "table6.xlsx",
  table3: "table3.xlsx",
  anomalies: "anomalies.xlsx",
  sample: "sample.xlsx",
  reviews: "reviews.csv",
  audit: "audit.jsonl",
};

export const NOT_BUILT_YET = "本平台尚未提供此项，本证据包不含此文件。";

export interface ManifestFile {
  name: string;
  part: EvidencePart;
  title: string;
  /** Bytes. */
  size: number;
  /** SHA-256 of the file's bytes, lowercase hex. */
  sha256: string;
}

export interface ManifestPart {
  part: EvidencePart;
  title: string;
  included: boolean;
  /** The file, when included. */
  file: string | null;
  /** Why not, when not included. */
  reason: string | null;
}

export interface EvidenceManifest {
  format: typeof EVIDENCE_FORMAT;
  campaign: { id: string; name: string };
  county: { id: string; name: string };
  /** Milliseconds since the epoch, and the same in Beijing time for a reader. */
  generatedAt: number;
  generatedAtBeijing: string;
  generatedBy: string | null;
  platform: { name: string; version: string };
  /** The 操作日志 chain's head when the pack was made (decision 0023). */
  auditHead: { seq: number; hash: string };
  signature: { algorithm: "Ed25519"; file: typeof SIGNATURE_FILE; publicKeyFile: typeof PUBLIC_KEY_FILE; publicKeyFingerprint: string };
  files: ManifestFile[];
  parts: ManifestPart[];
}

/** A part as the builder hands it over: its bytes, or why there are none. */
export type BuiltPart = { part: EvidencePart; size: number; sha256: string } | { part: EvidencePart; missing: string };

/**
 * The manifest for the parts built, in EVIDENCE_PARTS order; a part absent from `built` is
 * listed as not built yet. Throws when a part is given twice.
 */
export function buildManifest(
  input: Omit<EvidenceManifest, "format" | "files" | "parts" | "generatedAtBeijing">,
  built: readonly BuiltPart[],
): EvidenceManifest {
  const byPart = new Map<EvidencePart, BuiltPart>();
  for (const b of built) {
    if (byPart.has(b.part)) throw new Error(`evidence part ${b.part} given twice`);
    byPart.set(b.part, b);
  }
  const files: ManifestFile[] = [];
  const parts: ManifestPart[] = [];
  for (const part of EVIDENCE_PARTS) {
    const b = byPart.get(part);
    const title = EVIDENCE_PART_LABELS[part];
    if (b && "sha256" in b) {
      files.push({ name: EVIDENCE_PART_FILES[part], part, title, size: b.size, sha256: b.sha256 });
      parts.push({ part, title, included: true, file: EVIDENCE_PART_FILES[part], reason: null });
    } else {
      parts.push({ part, title, included: false, file: null, reason: b ? b.missing : NOT_BUILT_YET });
    }
  }
  return { format: EVIDENCE_FORMAT, ...input, generatedAtBeijing: beijingTime(input.generatedAt), files, parts };
}

export function beijingTime(ms: number): string {
  return new Date(ms + 8 * 3600_000).toISOString().replace("T", " ").slice(0, 19);
}

/** The fingerprint's printed form: 64 hex digits in groups of 4 (easy to read out over the phone). */
export function groupFingerprint(hex: string): string {
  return hex.match(/.{1,4}/g)?.join(" ") ?? hex;
}

/** One line of the audit extract (`audit.jsonl`): exactly the fields its chain hash covers, plus id and hash. */
export type AuditExtractRow = ChainFields & { id: number; hash: string };

export function auditExtractLine(r: AuditExtractRow): string {
  const { id, seq, at, accountId, username, action, campaignId, countyId, subject, detail, clientAddress, summaryKey, prevHash, hash } = r;
  return `${JSON.stringify({ id, seq, at, accountId, username, action, campaignId, countyId, subject, detail, clientAddress, summaryKey, prevHash, hash })}\n`;
}

// ---- checking a pack -------------------------------------------------------------------------

export interface PackInput {
  /** Every entry of the zip, by name. */
  entries: ReadonlyMap<string, Uint8Array>;
  sha256: (bytes: Uint8Array) => string;
  /** SHA-256 over UTF-8 text, hex: the audit chain's hash. */
  textHash: TextHash;
  /**
   * Checks the signature over the manifest's bytes with the key the verifier trusts, and
   * returns that key's fingerprint (or null when the key cannot be read).
   */
  verifySignature: (manifest: Uint8Array, signature: Uint8Array, embeddedPublicKeyPem: string) => { fingerprint: string | null; valid: boolean };
}

export type PackVerdict = { ok: true; manifest: EvidenceManifest; auditRows: number } | { ok: false; failure: string };

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

const Hex64 = z.string().regex(/^[0-9a-f]{64}$/);
const PartSchema = z.enum(EVIDENCE_PARTS);

/** What a verifier accepts as a manifest: every field the builder writes, of its type. */
const EvidenceManifestSchema = z.object({
  format: z.literal(EVIDENCE_FORMAT),
  campaign: z.object({ id: z.string(), name: z.string() }),
  county: z.object({ id: z.string(), name: z.string() }),
  generatedAt: z.number().int(),
  generatedAtBeijing: z.string(),
  generatedBy: z.string().nullable(),
  platform: z.object({ name: z.string(), version: z.string() }),
  auditHead: z.object({ seq: z.number().int().nonnegative(), hash: Hex64 }),
  signature: z.object({
    algorithm: z.literal("Ed25519"),
    file: z.literal(SIGNATURE_FILE),
    publicKeyFile: z.literal(PUBLIC_KEY_FILE),
    publicKeyFingerprint: z.string(),
  }),
  files: z.array(z.object({ name: z.string(), part: PartSchema, title: z.string(), size: z.number().int().nonnegative(), sha256: Hex64 })),
  parts: z.array(z.object({ part: PartSchema, title: z.string(), included: z.boolean(), file: z.string().nullable(), reason: z.string().nullable() })),
});

function parseManifest(bytes: Uint8Array): EvidenceManifest | string {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch {
    return `${MANIFEST_FILE} 不是有效的 JSON`;
  }
  if (!isRecord(value) || value.format !== EVIDENCE_FORMAT) return `${MANIFEST_FILE} 不是本平台的证据包清单（格式应为 ${EVIDENCE_FORMAT}）`;
  const parsed = EvidenceManifestSchema.safeParse(value);
  if (!parsed.success) return `${MANIFEST_FILE} 的字段不完整或格式不对：${parsed.error.issues[0]?.path.join(".") ?? ""}`;
  return parsed.data;
}

const AuditExtractRowSchema = z.object({
  id: z.number().int(),
  seq: z.number().int().positive(),
  at: z.number().int(),
  accountId: z.number().int().nullable(),
  username: z.string().nullable(),
  action: z.string(),
  campaignId: z.string().nullable(),
  countyId: z.string().nullable(),
  subject: z.string().nullable(),
  detail: z.string(),
  clientAddress: z.string().nullable(),
  summaryKey: z.string().nullable(),
  prevHash: Hex64,
  hash: Hex64,
});

function parseExtractRow(line: string): AuditExtractRow | null {
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch {
    return null;
  }
  const parsed = AuditExtractRowSchema.safeParse(v);
  return parsed.success ? parsed.data : null;
}

/**
 * The audit extract's own links, checkable without the rest of the log: every row's hash is
 * the SHA-256 of its canonical text (which covers its `prev_hash`), seq ascends, rows of
 * consecutive seq link (`prev_hash` = the previous row's hash), every row is of the pack's
 * campaign and county and not past the head, and a row at the head's seq carries the head's
 * hash. Returns the row count or the first failure (line number, what is wrong).
 */
export function checkAuditExtract(
  bytes: Uint8Array,
  manifest: EvidenceManifest,
  textHash: TextHash,
): { ok: true; rows: number } | { ok: false; failure: string } {
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return { ok: false, failure: "操作日志摘录不是有效的 UTF-8 文本" };
  }
  const lines = text.split("\n");
  if (lines.at(-1) === "") lines.pop();
  let previous: AuditExtractRow | null = null;
  for (const [i, line] of lines.entries()) {
    const where = `操作日志摘录第 ${String(i + 1)} 行`;
    const row = parseExtractRow(line);
    if (!row) return { ok: false, failure: `${where}格式不对` };
    const computed = auditRowHash({ ...row }, textHash);
    if (computed !== row.hash) return { ok: false, failure: `${where}（序号 ${String(row.seq)}）：记录内容与其哈希不符（记录被修改）` };
    if (row.campaignId !== manifest.campaign.id || row.countyId !== manifest.county.id)
      return { ok: false, failure: `${where}（序号 ${String(row.seq)}）不是本调查活动、本县（区）的记录` };
    if (row.seq > manifest.auditHead.seq)
      return { ok: false, failure: `${where}（序号 ${String(row.seq)}）在清单记录的链头（序号 ${String(manifest.auditHead.seq)}）之后` };
    if (row.seq === manifest.auditHead.seq && row.hash !== manifest.auditHead.hash)
      return { ok: false, failure: `${where}（序号 ${String(row.seq)}）是链头所在的记录，但哈希与清单记录的链头不符` };
    if (previous) {
      if (row.seq <= previous.seq)
        return { ok: false, failure: `${where}：序号 ${String(row.seq)} 不大于上一行的 ${String(previous.seq)}（记录被移动或重复）` };
      if (row.seq === previous.seq + 1 && row.prevHash !== previous.hash)
        return { ok: false, failure: `${where}（序号 ${String(row.seq)}）：前一条记录的哈希不符（前一行被修改或替换）` };
    }
    previous = row;
  }
  return { ok: true, rows: lines.length };
}

/**
 * Checks a pack: the manifest's signature under the trusted key, that key's fingerprint against
 * the one the manifest names, exactly the files the manifest lists (plus the envelope) — none
 * missing, none extra — each of the size and SHA-256 listed, and the audit extract's links.
 * Stops at the first failure, in Chinese.
 */
export function verifyEvidencePack(input: PackInput): PackVerdict {
  const { entries } = input;
  const manifestBytes = entries.get(MANIFEST_FILE);
  if (!manifestBytes) return { ok: false, failure: `缺少 ${MANIFEST_FILE}，不是证据包` };
  const signature = entries.get(SIGNATURE_FILE);
  if (!signature) return { ok: false, failure: `缺少签名文件 ${SIGNATURE_FILE}` };
  const pem = entries.get(PUBLIC_KEY_FILE);
  const pemText = pem ? new TextDecoder().decode(pem) : "";
  const sig = input.verifySignature(manifestBytes, signature, pemText);
  if (sig.fingerprint === null) return { ok: false, failure: "无法读取用于核验的公钥" };
  if (!sig.valid) return { ok: false, failure: `签名无效：${MANIFEST_FILE} 被改动，或不是由该公钥对应的私钥签署` };
  const manifest = parseManifest(manifestBytes);
  if (typeof manifest === "string") return { ok: false, failure: manifest };
  if (manifest.signature.publicKeyFingerprint !== sig.fingerprint) {
    return { ok: false, failure: `公钥指纹不符：清单记录 ${manifest.signature.publicKeyFingerprint}，核验所用公钥 ${sig.fingerprint}` };
  }
  const listed = new Set<string>(ENVELOPE_FILES);
  for (const f of manifest.files) {
    if (listed.has(f.name)) return { ok: false, failure: `清单中的文件 ${f.name} 重复` };
    listed.add(f.name);
  }
  for (const name of entries.keys()) {
    if (!listed.has(name)) return { ok: false, failure: `多出清单以外的文件：${name}` };
  }
  for (const name of listed) {
    if (name !== PUBLIC_KEY_FILE && !entries.has(name)) return { ok: false, failure: `缺少清单中的文件：${name}` };
  }
  for (const f of manifest.files) {
    const bytes = entries.get(f.name);
    if (!bytes) return { ok: false, failure: `缺少清单中的文件：${f.name}` };
    if (bytes.byteLength !== f.size)
      return { ok: false, failure: `文件 ${f.name} 的大小不符：清单 ${String(f.size)} 字节，实际 ${String(bytes.byteLength)} 字节` };
    const actual = input.sha256(bytes);
    if (actual !== f.sha256) return { ok: false, failure: `文件 ${f.name} 的 SHA-256 不符（内容被改动）：清单 ${f.sha256}，实际 ${actual}` };
  }
  for (const p of manifest.parts) {
    const inFiles = manifest.files.some((f) => f.part === p.part);
    if (p.included !== inFiles) return { ok: false, failure: `清单自相矛盾：组成部分 ${p.part} 的“是否包含”与文件清单不一致` };
  }
  const audit = manifest.files.find((f) => f.part === "audit");
  let auditRows = 0;
  if (audit) {
    const bytes = entries.get(audit.name);
    if (!bytes) return { ok: false, failure: `缺少清单中的文件：${audit.name}` };
    const checked = checkAuditExtract(bytes, manifest, input.textHash);
    if (!checked.ok) return checked;
    auditRows = checked.rows;
  }
  return { ok: true, manifest, auditRows };
}
