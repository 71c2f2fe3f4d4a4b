/**
 * The device identity behind "one response per device per link": a random id in a signed,
 * httpOnly cookie (no fingerprinting). Only keyed hashes of it are stored: `deviceHash` (the
 * same on every link, for integrity review) and the respondent key (device × link, unique in
 * the database), so a parent with children at two schools answers once for each.
 */
import { randomBytes } from "node:crypto";
import type { Keys } from "../keys";

export const DEVICE_COOKIE = "yz_did";
const ONE_YEAR_S = 365 * 24 * 3600;

export function readCookie(header: string | null, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) {
      const value = part.slice(eq + 1).trim();
      return value.length > 0 && value.length <= 256 ? value : null;
    }
  }
  return null;
}

export function serializeCookie(name: string, value: string, options: { maxAgeSeconds: number; secure: boolean; path?: string }): string {
  return [
    `${name}=${value}`,
    `Path=${options.path ?? "/"}`,
    `Max-Age=${options.maxAgeSeconds}`,
    "HttpOnly",
    "SameSite=Lax",
    ...(options.secure ? ["Secure"] : []),
  ].join("; ");
}

/** The device id from a request's cookies, or null when absent or not signed by us. */
export function readDeviceId(keys: Keys, cookieHeader: string | null): string | null {
  const raw = readCookie(cookieHeader, DEVICE_COOKIE);
  if (!raw) return null;
  const match = /^([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{22})$/.exec(raw);
  if (!match?.[1] || !match[2]) return null;
  return keys.verify("device", match[1], match[2]) ? match[1] : null;
}

export function newDeviceCookie(keys: Keys, secure: boolean): { deviceId: string; setCookie: string } {
  const deviceId = randomBytes(16).toString("base64url");
  const value = `${deviceId}.${keys.sign("device", deviceId)}`;
  return { deviceId, setCookie: serializeCookie(DEVICE_COOKIE, value, { maxAgeSeconds: ONE_YEAR_S, secure }) };
}

export function deviceHash(keys: Keys, deviceId: string): string {
  return keys.pseudonym("device", deviceId);
}

/**
 * Unique per device × link × child ordinal: the database's one-response-per-device constraint.
 * The first child's key is the device × link key every response had before ordinals existed
 * (so stored rows are ordinal 1 with no migration); a second child at the same school
 * (app/domain/children.ts, decision 0027) is another respondent, with a key of its own.
 */
export function respondentKey(keys: Keys, deviceId: string, linkScopeKey: string, child = 1): string {
  return keys.pseudonym("respondent", child === 1 ? `${deviceId}\n${linkScopeKey}` : `${deviceId}\n${linkScopeKey}\nchild ${child}`);
}

/** The respondent keys of ordinals 1…max, in order (index 0 is the first child). */
export function childRespondentKeys(keys: Keys, deviceId: string, linkScopeKey: string, max: number): string[] {
  return Array.from({ length: Math.max(1, max) }, (_, i) => respondentKey(keys, deviceId, linkScopeKey, i + 1));
}
