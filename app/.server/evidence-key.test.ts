import { generateKeyPairSync } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { evidenceKeyFile, loadEvidenceKey, publicKeyFingerprint, readPublicKey, verifyEd25519 } from "./evidence-key";

const dirs: string[] = [];
const tmp = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), "evidence-key-"));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

describe("the evidence signing key", () => {
  it("is generated once into DATA_DIR (0600) and signs what its published public key verifies", () => {
    const dataDir = tmp();
    const key = loadEvidenceKey({ dataDir, secrets: {} });
    const file = evidenceKeyFile({ dataDir });
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.readFileSync(file, "utf8")).toContain("BEGIN PRIVATE KEY");
    const pub = readPublicKey(key.publicKeyPem);
    if (!pub) throw new Error("public key unreadable");
    expect(publicKeyFingerprint(pub)).toBe(key.fingerprint);
    const message = new TextEncoder().encode("清单");
    const sig = key.sign(message);
    expect(verifyEd25519(pub, message, sig)).toBe(true);
    expect(verifyEd25519(pub, new TextEncoder().encode("清单 "), sig)).toBe(false);
  });

  it("takes a configured key (PEM or base64 of it) instead of writing a file", () => {
    const dataDir = tmp();
    const { privateKey, publicKey } = generateKeyPairSync("ed25519");
    const pem = privateKey.export({ type: "pkcs8", format: "pem" }).toString();
    const fromPem = loadEvidenceKey({ dataDir, secrets: { evidence: pem } });
    const fromBase64 = loadEvidenceKey({ dataDir, secrets: { evidence: Buffer.from(pem).toString("base64") } });
    expect(fromPem.fingerprint).toBe(publicKeyFingerprint(publicKey));
    expect(fromBase64.fingerprint).toBe(fromPem.fingerprint);
    expect(fs.existsSync(evidenceKeyFile({ dataDir }))).toBe(false);
  });

  it("refuses a key that is not an Ed25519 private key, naming where it came from", () => {
    const rsa = generateKeyPairSync("rsa", { modulusLength: 1024 }).privateKey.export({ type: "pkcs8", format: "pem" }).toString();
    expect(() => loadEvidenceKey({ dataDir: tmp(), secrets: { evidence: rsa } })).toThrow(/EVIDENCE_SIGNING_KEY holds a rsa key/);
    expect(() => loadEvidenceKey({ dataDir: tmp(), secrets: { evidence: "bm90IGEga2V5" } })).toThrow(/EVIDENCE_SIGNING_KEY is not a PEM private key/);
    const dataDir = tmp();
    fs.writeFileSync(evidenceKeyFile({ dataDir }), "garbage");
    expect(() => loadEvidenceKey({ dataDir, secrets: {} })).toThrow(/evidence-ed25519\.pem is not a PEM private key/);
    expect(readPublicKey(generateKeyPairSync("rsa", { modulusLength: 1024 }).publicKey.export({ type: "spki", format: "pem" }).toString())).toBeNull();
  });
});
