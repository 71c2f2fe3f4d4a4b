/**
 * npm run evidence:verify FILE.zip [-- --public-key 公钥.pem]
 *
 * Checks a county's evidence pack (decision 0026) with nothing but the file and the
 * deployment's public key — no database, no DATA_DIR: the Ed25519 signature over manifest.json,
 * the signing key's fingerprint against the one the manifest names, exactly the listed files
 * (none missing, none extra), each file's size and SHA-256, and the audit extract's own chain
 * links. Prints `OK` with the files and the parts not included, exit 0; or `FAILED` with the
 * first failure, exit 1. 2 for bad arguments or a file that cannot be read.
 *
 * `--public-key`: the key published by the city (its fingerprint is on the county exports page).
 * Without it the key carried in the pack is used, which proves the pack is intact but not who
 * made it: the output then says to compare the fingerprint with the published one.
 */
import { createHash } from "node:crypto";
import fs from "node:fs";
import { pathToFileURL } from "node:url";
import { sha256Hex } from "../app/.server/console/audit";
import { publicKeyFingerprint, readPublicKey, verifyEd25519 } from "../app/.server/evidence-key";
import { FileRefused, limitsWith } from "../app/.server/evaluation-import/limits";
import { ZipReader } from "../app/.server/evaluation-import/unzip";
import { groupFingerprint, verifyEvidencePack } from "../app/domain/evidence-pack";

export interface EvidenceVerifyIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

/** A pack is a handful of files; the caps only stop a hostile zip from filling memory. */
const PACK_LIMITS = limitsWith({ totalBytes: 512 * 1024 * 1024, entryBytes: 512 * 1024 * 1024, entries: 50 });

function parseArgs(argv: readonly string[]): { file: string; publicKey: string | null } | string {
  let file: string | null = null;
  let publicKey: string | null = null;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--public-key") {
      const next = argv[i + 1];
      if (!next || next.startsWith("--")) return "--public-key 后须跟公钥文件（PEM）的路径";
      publicKey = next;
      i++;
    } else if (a?.startsWith("--")) {
      return `不认识的参数 ${a}`;
    } else if (a) {
      if (file) return "只能核验一个证据包文件";
      file = a;
    }
  }
  if (!file) return "用法：npm run evidence:verify 证据包.zip [-- --public-key 公钥.pem]";
  return { file, publicKey };
}

export function runEvidenceVerify(argv: readonly string[], io: EvidenceVerifyIo): number {
  const args = parseArgs(argv);
  if (typeof args === "string") {
    io.stderr(`${args}\n`);
    return 2;
  }
  let trusted: ReturnType<typeof readPublicKey> = null;
  if (args.publicKey) {
    let pem: string;
    try {
      pem = fs.readFileSync(args.publicKey, "utf8");
    } catch {
      io.stderr(`无法读取公钥文件 ${args.publicKey}\n`);
      return 2;
    }
    trusted = readPublicKey(pem);
    if (!trusted) {
      io.stderr(`${args.publicKey} 不是 Ed25519 公钥（PEM）\n`);
      return 2;
    }
  }
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(fs.readFileSync(args.file));
  } catch {
    io.stderr(`无法读取文件 ${args.file}\n`);
    return 2;
  }
  const entries = new Map<string, Uint8Array>();
  try {
    const zip = new ZipReader(bytes, PACK_LIMITS, "无法读取证据包");
    for (const e of zip.entries) {
      if (e.directory) continue;
      if (entries.has(e.name)) {
        io.stdout(`FAILED 证据包内有两个同名文件：${e.name}\n`);
        return 1;
      }
      entries.set(e.name, zip.readAll(e));
    }
  } catch (error) {
    if (error instanceof FileRefused) {
      io.stdout(`FAILED ${error.message}\n`);
      return 1;
    }
    throw error;
  }
  const verdict = verifyEvidencePack({
    entries,
    sha256: (b) => createHash("sha256").update(b).digest("hex"),
    textHash: sha256Hex,
    verifySignature: (manifest, signature, embeddedPem) => {
      const key = trusted ?? readPublicKey(embeddedPem);
      if (!key) return { fingerprint: null, valid: false };
      const sig = Buffer.from(new TextDecoder().decode(signature).trim(), "base64");
      return { fingerprint: publicKeyFingerprint(key), valid: sig.byteLength === 64 && verifyEd25519(key, manifest, sig) };
    },
  });
  if (!verdict.ok) {
    io.stdout(`FAILED ${verdict.failure}\n`);
    return 1;
  }
  const m = verdict.manifest;
  io.stdout(`OK 证据包完好：${m.county.name}（${m.county.id}），${m.campaign.name}（${m.campaign.id}），生成于 ${m.generatedAtBeijing}（北京时间）\n`);
  io.stdout(`签名有效（Ed25519），公钥指纹 ${groupFingerprint(m.signature.publicKeyFingerprint)}\n`);
  if (!trusted)
    io.stdout("注意：未指定 --public-key，使用的是证据包自带的公钥；请将上面的指纹与市教育局公布的指纹逐位核对，或用 --public-key 指定公布的公钥。\n");
  for (const f of m.files) io.stdout(`  ${f.name}  ${String(f.size)} 字节  sha256 ${f.sha256}  ${f.title}\n`);
  for (const p of m.parts.filter((x) => !x.included)) io.stdout(`  未包含：${p.title}（${p.reason ?? ""}）\n`);
  io.stdout(`操作日志摘录 ${String(verdict.auditRows)} 条，链接完好；导出时链头：序号 ${String(m.auditHead.seq)}，${m.auditHead.hash}\n`);
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = runEvidenceVerify(process.argv.slice(2), {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
  });
}
