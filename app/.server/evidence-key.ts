/**
 * The deployment's evidence signing key (decision 0026): an Ed25519 key pair that signs the
 * manifest of every county evidence pack. Like the secrets (./keys.ts), a configured key
 * (`EVIDENCE_SIGNING_KEY`: PKCS#8 PEM, or the PEM base64-encoded on one line) wins; otherwise
 * it is generated on first start into `DATA_DIR/evidence-ed25519.pem` (mode 0600, never
 * overwritten). Several instances share one key through the variable (or each instance's
 * fingerprint has to be published). The public half is published on the county exports
 * page (fingerprint and PEM download) so a city officer can check a pack offline.
 *
 * Not derived from SIGNING_SECRET: that secret rotates (SIGNING_SECRET_PREVIOUS), and a pack
 * signed last year must keep verifying under the key its fingerprint names.
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { AppConfig } from "./config";

export interface EvidenceKey {
  /** Ed25519 signature over `bytes`. */
  sign(bytes: Uint8Array): Uint8Array;
  /** SPKI PEM of the public key. */
  publicKeyPem: string;
  /** SHA-256 of the public key's DER (SPKI), lowercase hex. */
  fingerprint: string;
}

/** SHA-256 of a public key's SPKI DER, hex: the fingerprint a manifest names and the console shows. */
export function publicKeyFingerprint(key: KeyObject): string {
  return createHash("sha256")
    .update(key.export({ type: "spki", format: "der" }))
    .digest("hex");
}

/** Reads a PEM public key (SPKI, or a private key's public half); null when it is not an Ed25519 key. */
export function readPublicKey(pem: string): KeyObject | null {
  try {
    const key = createPublicKey(pem);
    return key.asymmetricKeyType === "ed25519" ? key : null;
  } catch {
    return null;
  }
}

export function verifyEd25519(key: KeyObject, bytes: Uint8Array, signature: Uint8Array): boolean {
  try {
    return verify(null, bytes, key, signature);
  } catch {
    return false;
  }
}

export function evidenceKeyFile(config: Pick<AppConfig, "dataDir">): string {
  return path.join(config.dataDir, "evidence-ed25519.pem");
}

function fromPrivate(privateKey: KeyObject): EvidenceKey {
  const publicKey = createPublicKey(privateKey);
  return {
    sign: (bytes) => new Uint8Array(sign(null, bytes, privateKey)),
    publicKeyPem: publicKey.export({ type: "spki", format: "pem" }).toString(),
    fingerprint: publicKeyFingerprint(publicKey),
  };
}

const loaded = new Map<string, EvidenceKey>();

/**
 * The key pair, generating the file on first use when absent ("wx": a file another process
 * created a moment ago is read, not clobbered). Throws with the file's name when it holds
 * something that is not an Ed25519 private key — a wrong file must fail loudly, not sign.
 */
export function loadEvidenceKey(config: Pick<AppConfig, "dataDir" | "secrets">): EvidenceKey {
  const configured = config.secrets.evidence;
  const file = configured ? "EVIDENCE_SIGNING_KEY" : evidenceKeyFile(config);
  const cacheKey = configured ? `env:${configured}` : file;
  const cached = loaded.get(cacheKey);
  if (cached) return cached;
  let pem: string;
  if (configured) {
    pem = configured.includes("-----BEGIN") ? configured : Buffer.from(configured, "base64").toString("utf8");
  } else if (fs.existsSync(file)) {
    pem = fs.readFileSync(file, "utf8");
  } else {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const { privateKey } = generateKeyPairSync("ed25519");
    pem = privateKey.export({ type: "pkcs8", format: "pem" }).toString();
    try {
      fs.writeFileSync(file, pem, { mode: 0o600, flag: "wx" });
    } catch (error) {
      if (!(error instanceof Error && "code" in error && error.code === "EEXIST")) throw error;
      pem = fs.readFileSync(file, "utf8");
    }
  }
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(pem);
  } catch {
    throw new Error(`${file} is not a PEM private key, nor one base64-encoded (the evidence signing key, decision 0026)`);
  }
  if (privateKey.asymmetricKeyType !== "ed25519")
    throw new Error(`${file} holds a ${String(privateKey.asymmetricKeyType)} key; the evidence signing key must be Ed25519 (decision 0026)`);
  const key = fromPrivate(privateKey);
  loaded.set(cacheKey, key);
  return key;
}
