/**
 * Password hashing with scrypt (node:crypto; memory-hard, no native add-on to build).
 * Stored as `scrypt$<N>$<r>$<p>$<salt b64url>$<key b64url>`, so the cost can be raised later
 * and old hashes still verify. N = 2^15, r = 8, p = 1 (32 MiB, about 0.1 s here) is the
 * interactive-login setting OWASP lists for scrypt.
 */
import { randomBytes, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from "node:crypto";

const N = 2 ** 15;
const R = 8;
const P = 1;
const KEY_BYTES = 32;
const SALT_BYTES = 16;
// 128 · N · r bytes, with room to spare (Node refuses above maxmem).
const MAX_MEM = 256 * N * R;

function scrypt(password: string, salt: Buffer, keylen: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scryptCallback(password.normalize("NFKC"), salt, keylen, options, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await scrypt(password, salt, KEY_BYTES, { N, r: R, p: P, maxmem: MAX_MEM });
  return ["scrypt", String(N), String(R), String(P), salt.toString("base64url"), key.toString("base64url")].join("$");
}

/** Constant-time check of `password` against a stored hash; a malformed hash never verifies. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split("$");
  if (parts.length !== 6 || parts[0] !== "scrypt") return false;
  const [, n, r, p, saltText, keyText] = parts;
  const cost = { N: Number(n), r: Number(r), p: Number(p) };
  if (![cost.N, cost.r, cost.p].every((x) => Number.isInteger(x) && x > 0) || cost.N > 2 ** 20 || cost.r > 32 || cost.p > 16) return false;
  const salt = Buffer.from(saltText ?? "", "base64url");
  const expected = Buffer.from(keyText ?? "", "base64url");
  if (salt.length < 8 || expected.length < 16) return false;
  const key = await scrypt(password, salt, expected.length, { ...cost, maxmem: 256 * cost.N * cost.r });
  return timingSafeEqual(key, expected);
}

let dummy: Promise<string> | undefined;

/**
 * Spends the time of one verification when the account does not exist, so a sign-in attempt's
 * duration does not tell whether a user name is registered.
 */
export async function verifyAgainstDummy(password: string): Promise<false> {
  dummy ??= hashPassword("dummy password for timing");
  await verifyPassword(password, await dummy);
  return false;
}
