/**
 * Supervised mode for shared devices. A school issues a short code (`npm run supervise`) for
 * named questionnaires (a computer room: the 学生卷; a staff-room PC: the 校长教师卷); a teacher
 * enters it once on the shared device, which then carries a signed cookie binding it to that
 * code until the code expires or is revoked. On such a device the one-response-per-device rule
 * is lifted only for the links of that school AND of those questionnaires (decision 0012): on
 * any other link — the parents' 社会卷 above all — it is an ordinary device that answers once.
 * Each supervised submission is still stored once, by its idempotency key, and records which
 * code admitted it.
 */
import { randomInt } from "node:crypto";
import { findActiveSupervisionCode, insertSupervisionCode, type SupervisionCode } from "../../../db/repositories/supervision";
import type { QuestionnaireId } from "../../domain/vocabulary";
import { readCookie, serializeCookie } from "./device";
import type { LinkContext } from "./link-context";
import type { Services } from "../context";

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
  options: {
    campaignId: string;
    schoolId: string;
    label: string;
    validForMs: number;
    /** The questionnaires the code admits; at least one. */
    questionnaires: readonly QuestionnaireId[];
  },
): Promise<{ code: string; id: number; expiresAt: number }> {
  if (options.questionnaires.length === 0) throw new Error("a supervision code must name at least one questionnaire");
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
    questionnaires: options.questionnaires,
  });
  return { code, id, expiresAt };
}

export interface SupervisionScope {
  campaignId: string;
  /** The link's school; null for a county-level link (never supervised). */
  schoolId: string | null;
  questionnaireId: QuestionnaireId;
}

/** The scope a link asks a supervision code to cover. */
export function supervisionScope(link: Pick<LinkContext, "campaign" | "school" | "scope">): SupervisionScope {
  return { campaignId: link.campaign.id, schoolId: link.school?.id ?? null, questionnaireId: link.scope.questionnaireId };
}

/** Whether `code` was issued for this campaign, this school and this questionnaire. */
export function coversLink(code: SupervisionCode, where: SupervisionScope): boolean {
  return (
    where.schoolId !== null && code.campaignId === where.campaignId && code.schoolId === where.schoolId && code.questionnaires.includes(where.questionnaireId)
  );
}

/** The active code a person typed, if it was issued for this campaign, school and questionnaire. */
export async function redeemSupervisionCode(services: Services, input: string, where: SupervisionScope): Promise<SupervisionCode | null> {
  const code = normalizeCode(input);
  if (!new RegExp(`^[${ALPHABET}]{${CODE_LENGTH}}$`).test(code)) return null;
  const found = await findActiveSupervisionCode(services.db, { codeHash: codeHash(services, code) }, services.now());
  return found && coversLink(found, where) ? found : null;
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
 * active for this campaign, school and questionnaire (a revoked code stops working at once).
 */
export async function activeSupervision(services: Services, cookieHeader: string | null, where: SupervisionScope): Promise<SupervisionCode | null> {
  if (where.schoolId === null) return null;
  const raw = readCookie(cookieHeader, SUPERVISION_COOKIE);
  const match = raw ? /^([0-9]{1,12})\.([0-9a-z]{1,12})\.([A-Za-z0-9_-]{22})$/.exec(raw) : null;
  if (!match?.[1] || !match[2] || !match[3]) return null;
  if (!services.keys.verify("supervision", `${match[1]}.${match[2]}`, match[3])) return null;
  const found = await findActiveSupervisionCode(services.db, { id: Number(match[1]) }, services.now());
  return found && coversLink(found, where) ? found : null;
}
