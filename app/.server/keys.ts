/**
 * Secrets and the keys derived from them.
 *
 * - The signing secret signs link tokens, cookies and start times. It comes from
 *   `SIGNING_SECRET`, or is generated on first start into `DATA_DIR/secrets.json` (mode 0600).
 *   `SIGNING_SECRET_PREVIOUS` is accepted when verifying, so a secret can be rotated without
 *   voiding printed QR codes at once.
 * - The device salt keys the stored device hash (no raw device id is stored). It is never
 *   rotated: a new salt would let every device answer again.
 *
 * Purposes get separate keys (HMAC-SHA256 of the secret with a label) so that a value signed
 * for one purpose can never be replayed as another.
 */
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { AppConfig } from "./config";

export type KeyPurpose = "link" | "device" | "started" | "supervision" | "kit" | "session";

export interface Keys {
  /** Signs `message` for `purpose` with the current secret; base64url, truncated to 16 bytes. */
  sign(purpose: KeyPurpose, message: string): string;
  /** Verifies against the current and the previous secret, in constant time. */
  verify(purpose: KeyPurpose, message: string, signature: string): boolean;
  /** Keyed hash for stored pseudonymous identifiers (device hash, respondent key); hex. */
  pseudonym(label: string, value: string): string;
}

const SIGNATURE_BYTES = 16;

function derive(secret: string, label: string): Buffer {
  return createHmac("sha256", secret).update(`youzhi/${label}/v1`).digest();
}

function mac(key: Buffer, message: string): Buffer {
  return createHmac("sha256", key).update(message).digest().subarray(0, SIGNATURE_BYTES);
}

export function createKeys(secrets: { signing: string; signingPrevious?: string; deviceSalt: string }): Keys {
  const purposes: KeyPurpose[] = ["link", "device", "started", "supervision", "kit", "session"];
  const current = new Map(purposes.map((p) => [p, derive(secrets.signing, p)] as const));
  const previous = secrets.signingPrevious ? new Map(purposes.map((p) => [p, derive(secrets.signingPrevious ?? "", p)] as const)) : null;
  const pseudonymKey = derive(secrets.deviceSalt, "pseudonym");
  const keyFor = (map: Map<KeyPurpose, Buffer>, purpose: KeyPurpose): Buffer => {
    const key = map.get(purpose);
    if (!key) throw new Error(`no key for ${purpose}`);
    return key;
  };
  return {
    sign(purpose, message) {
      return mac(keyFor(current, purpose), message).toString("base64url");
    },
    verify(purpose, message, signature) {
      const given = Buffer.from(signature, "base64url");
      if (given.length !== SIGNATURE_BYTES || given.toString("base64url") !== signature) return false;
      if (timingSafeEqual(given, mac(keyFor(current, purpose), message))) return true;
      return previous !== null && timingSafeEqual(given, mac(keyFor(previous, purpose), message));
    },
    pseudonym(label, value) {
      return createHmac("sha256", pseudonymKey).update(`${label}\n${value}`).digest("hex").slice(0, 32);
    },
  };
}

interface SecretsFile {
  signing: string;
  deviceSalt: string;
}

/**
 * Loads the secrets, generating `DATA_DIR/secrets.json` on first start for what is not
 * configured. Configured values always win; a generated file is never overwritten.
 */
export function loadSecrets(config: AppConfig): { signing: string; signingPrevious?: string; deviceSalt: string } {
  const { signing, signingPrevious, deviceSalt } = config.secrets;
  if (signing && deviceSalt) return { signing, signingPrevious, deviceSalt };
  const file = path.join(config.dataDir, "secrets.json");
  let stored: SecretsFile;
  if (fs.existsSync(file)) {
    const parsed: unknown = JSON.parse(fs.readFileSync(file, "utf8"));
    if (
      typeof parsed !== "object" ||
      parsed === null ||
      !("signing" in parsed) ||
      !("deviceSalt" in parsed) ||
      typeof parsed.signing !== "string" ||
      typeof parsed.deviceSalt !== "string"
    ) {
      throw new Error(`${file} is not a valid secrets file`);
    }
    stored = { signing: parsed.signing, deviceSalt: parsed.deviceSalt };
  } else {
    fs.mkdirSync(config.dataDir, { recursive: true });
    stored = { signing: randomBytes(32).toString("base64url"), deviceSalt: randomBytes(32).toString("base64url") };
    // "wx": never clobber a file another process created a moment ago.
    try {
      fs.writeFileSync(file, `${JSON.stringify(stored, null, 2)}\n`, { mode: 0o600, flag: "wx" });
    } catch (error) {
      if (!(error instanceof Error && "code" in error && error.code === "EEXIST")) throw error;
      return loadSecrets(config);
    }
  }
  return {
    signing: signing ?? stored.signing,
    signingPrevious,
    deviceSalt: deviceSalt ?? stored.deviceSalt,
  };
}
