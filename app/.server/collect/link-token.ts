/**
 * Signed survey links. A token carries campaign, county, school (empty for a county-level
 * link) and questionnaire, and an HMAC over them, so a link cannot be edited to count for
 * another school: `/s/<token>`.
 *
 * Format: base64url("1~campaign~county~school~questionnaire") "." base64url(16-byte HMAC).
 * About 70 characters for the demo ids, which keeps the printed QR codes coarse enough to scan
 * from a phone held at arm's length.
 */
import { QUESTIONNAIRE_IDS, type QuestionnaireId } from "../../domain/vocabulary";
import type { Keys } from "../keys";

export interface LinkScope {
  campaignId: string;
  countyId: string;
  /** null for a county-level link (人大代表, 政协委员, 其他群众). */
  schoolId: string | null;
  questionnaireId: QuestionnaireId;
}

const ID = /^[A-Za-z0-9_-]{1,40}$/;
const FORMAT_VERSION = "1";

function isQuestionnaireId(value: string): value is QuestionnaireId {
  return (QUESTIONNAIRE_IDS as readonly string[]).includes(value);
}

/** Canonical string of a scope: also what start times and respondent keys are bound to. */
export function scopeKey(scope: LinkScope): string {
  return [FORMAT_VERSION, scope.campaignId, scope.countyId, scope.schoolId ?? "", scope.questionnaireId].join("~");
}

export function signLink(keys: Keys, scope: LinkScope): string {
  for (const id of [scope.campaignId, scope.countyId, scope.schoolId ?? "x"]) {
    if (!ID.test(id)) throw new Error(`id "${id}" cannot be put in a link`);
  }
  const payload = scopeKey(scope);
  return `${Buffer.from(payload, "utf8").toString("base64url")}.${keys.sign("link", payload)}`;
}

/** Returns the scope of a genuine token, or null for anything forged, truncated or malformed. */
export function verifyLink(keys: Keys, token: string): LinkScope | null {
  if (token.length > 200) return null;
  const dot = token.indexOf(".");
  if (dot <= 0 || dot !== token.lastIndexOf(".")) return null;
  const encoded = token.slice(0, dot);
  const signature = token.slice(dot + 1);
  if (!/^[A-Za-z0-9_-]+$/.test(encoded)) return null;
  const payload = Buffer.from(encoded, "base64url").toString("utf8");
  if (Buffer.from(payload, "utf8").toString("base64url") !== encoded) return null;
  if (!keys.verify("link", payload, signature)) return null;
  const parts = payload.split("~");
  if (parts.length !== 5) return null;
  const [version, campaignId, countyId, schoolId, questionnaireId] = parts;
  if (version !== FORMAT_VERSION || !campaignId || !countyId || schoolId === undefined || !questionnaireId) return null;
  if (!isQuestionnaireId(questionnaireId)) return null;
  return { campaignId, countyId, schoolId: schoolId === "" ? null : schoolId, questionnaireId };
}
