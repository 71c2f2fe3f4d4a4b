/**
 * Supervised mode for shared devices. A school issues a short code (`npm run supervise`); a
 * teacher enters it once on the shared device, which then carries a signed cookie binding it to
 * that code and school until the code expires or is revoked. On such a device the
 * one-response-per-device rule is lifted for that school's links: each submission is still
 * stored once, by its idempotency key, and records which code admitted it.
 */
import { randomInt } from "node:crypto";
import {
  findActiveSupervisionCode,
  insertSupervisionCode,
  type SupervisionCode,
} from "../../db/repositories/supervision";
import { readCookie, serializeCookie } from "./device";
import type { Services } from "./services";

export const SUPERVISION_COOKIE = "yz_sup";
/** No 0/O, 1/I/L: read aloud in a classroom and typed on a phone. */
const ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
export const CODE_LENGTH = 8;

export function normalizeCode(input: string): string {
  return input.toUpperCase().replace(/[\s-]/g, "");
}

function codeHash(services: Services, code: string): string {
  return services.keys.pseudonym("supervision-code", normalizeCode(code));
}

export async function issueSupervisionCode(
  services: Services,
  options: { campaignId: string; schoolId: string; label: string; validForMs: number },
): Promise<{ code: string; id: number; expiresAt: number }> {
  const code = Array.from({ length: CODE_LENGTH }, () => ALPHABET[randomInt(ALPHABET.length)]).join("");
  const now = services.now();
  const expiresAt = now + options.validForMs;
  const id = await insertSupervisionCode(services.db, {
    campaignId: options.campaignId,
    schoolId: options.schoolId,
    codeHash: codeHash(services, code),
    label: options.label,
    createdAt: now,
    expiresAt,
  });
  return { code, id, expiresAt };
}

/** The active code a person typed, if it belongs to this campaign and school. */
export async function redeemSupervisionCode(
  services: Services,
  input: string,
  where: { campaignId: string; schoolId: string },
): Promise<SupervisionCode | null> {
  const code = normalizeCode(input);
  if (!new RegExp(`^[${ALPHABET}]{${CODE_LENGTH}}$`).test(code)) return null;
  const found = await findActiveSupervisionCode(services.db, { codeHash: codeHash(services, code) }, services.now());
  return found && found.campaignId === where.campaignId && found.schoolId === where.schoolId ? found : null;
}

export function supervisionCookie(services: Services, code: SupervisionCode): string {
  const payload = `${code.id}.${code.expiresAt.toString(36)}`;
  const value = `${payload}.${services.keys.sign("supervision", payload)}`;
  const maxAgeSeconds = Math.max(0, Math.floor((code.expiresAt - services.now()) / 1000));
  return serializeCookie(SUPERVISION_COOKIE, value, { maxAgeSeconds, secure: services.config.secureCookies });
}

export function clearSupervisionCookie(services: Services): string {
  return serializeCookie(SUPERVISION_COOKIE, "", { maxAgeSeconds: 0, secure: services.config.secureCookies });
}

/**
 * The supervision code this device carries, if its cookie is genuine and the code is still
 * active for this campaign and school (a revoked code stops working at once).
 */
export async function activeSupervision(
  services: Services,
  cookieHeader: string | null,
  where: { campaignId: string; schoolId: string | null },
): Promise<SupervisionCode | null> {
  if (where.schoolId === null) return null;
  const raw = readCookie(cookieHeader, SUPERVISION_COOKIE);
  const match = raw ? /^([0-9]{1,12})\.([0-9a-z]{1,12})\.([A-Za-z0-9_-]{22})$/.exec(raw) : null;
  if (!match?.[1] || !match[2] || !match[3]) return null;
  if (!services.keys.verify("supervision", `${match[1]}.${match[2]}`, match[3])) return null;
  const found = await findActiveSupervisionCode(services.db, { id: Number(match[1]) }, services.now());
  return found && found.campaignId === where.campaignId && found.schoolId === where.schoolId ? found : null;
}
