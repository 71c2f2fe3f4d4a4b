/**
 * The signed start time of a questionnaire (decision 0012). The server puts it in the page when
 * the survey is opened; the device keeps it with its draft and returns it on submission, so the
 * stored answering time (for spotting speeders) cannot be forged and survives reloads.
 *
 * A start token is bound to the device cookie that fetched it (a keyed tag of the device id is
 * signed with it) and is fresh for `startTokenLifetimeMs` (INTEGRITY_THRESHOLDS, default 4 h).
 * A page load renews it: the phone script (fast-survey.ts) and the desktop form
 * (survey-form.client.tsx) keep their draft's token (the real start) and append the token of
 * the page they were reloaded on (`<draft>~<page>`), so a parent who comes back to the page
 * later keeps both the original start time and a fresh token.
 *
 * What is refused and what is only flagged:
 * - forged, for another link, in the future, or older than MAX_STARTED_AGE_MS → refused (400,
 *   as before: nothing the server handed out looks like that);
 * - stale (neither the start nor a renewal is younger than the lifetime) → stored, flagged
 *   `start_stale`: harvested tokens age out, a slow parent is never refused;
 * - minted for another device, or for no device (a page from before tokens were bound) →
 *   stored, flagged `start_foreign`: WeChat drops cookies when a parent switches away, so a
 *   parent whose cookie was lost is reviewed, never refused.
 * The token also carries the marks the page set when it minted the device: `d` = the device was
 * minted while new devices were appearing faster than people arrive (app/.server/integrity.ts).
 */
import type { Keys } from "../keys";

/** Oldest start time accepted at all (refused beyond): longer than any campaign window. */
export const MAX_STARTED_AGE_MS = 60 * 24 * 3600 * 1000;
/** Tolerance for clocks between several app instances. */
const FUTURE_SKEW_MS = 60 * 1000;
/** Separates a draft's token from the renewal appended on a later page load. */
export const RENEWAL_SEPARATOR = "~";
/** Longest `started` field: a draft's token and one renewal. */
export const MAX_STARTED_FIELD = 160;

export type StartMark = "d";
const MARKS: readonly StartMark[] = ["d"];

/** A keyed 48-bit tag of the device id: binds a token to a device without revealing its id. */
function deviceTag(keys: Keys, deviceId: string): string {
  return keys.sign("started", `device\n${deviceId}`).slice(0, 8);
}

function payload(scopeKey: string, tag: string, ms: number, marks: string): string {
  return `v2\n${scopeKey}\n${tag}\n${ms}\n${marks}`;
}

/** A start token for `deviceId` on the link `scopeKey`, started at `startedAt`. */
export function signStarted(keys: Keys, bind: { scopeKey: string; deviceId: string }, startedAt: number, marks: readonly StartMark[] = []): string {
  const ms = Math.floor(startedAt);
  const tag = deviceTag(keys, bind.deviceId);
  const m = MARKS.filter((x) => marks.includes(x)).join("") || "0";
  return `${ms.toString(36)}.${tag}.${m}.${keys.sign("started", payload(bind.scopeKey, tag, ms, m))}`;
}

interface ParsedToken {
  startedAt: number;
  /** Bound to the device presenting it. */
  bound: boolean;
  marks: StartMark[];
}

const V2 = /^([0-9a-z]{1,12})\.([A-Za-z0-9_-]{8})\.([0a-z]{1,4})\.([A-Za-z0-9_-]{22})$/;
/** The format before start tokens were bound to devices (drafts kept on phones at upgrade). */
const V1 = /^([0-9a-z]{1,12})\.([A-Za-z0-9_-]{22})$/;

function parseOne(keys: Keys, scopeKey: string, deviceId: string, token: string): ParsedToken | null {
  const v2 = V2.exec(token);
  if (v2?.[1] && v2[2] && v2[3] && v2[4]) {
    const ms = parseInt(v2[1], 36);
    if (!Number.isSafeInteger(ms)) return null;
    if (!keys.verify("started", payload(scopeKey, v2[2], ms, v2[3]), v2[4])) return null;
    const marks = MARKS.filter((x) => v2[3]?.includes(x));
    return { startedAt: ms, bound: v2[2] === deviceTag(keys, deviceId), marks };
  }
  const v1 = V1.exec(token);
  if (v1?.[1] && v1[2]) {
    const ms = parseInt(v1[1], 36);
    if (!Number.isSafeInteger(ms)) return null;
    if (!keys.verify("started", `${scopeKey}\n${ms}`, v1[2])) return null;
    return { startedAt: ms, bound: false, marks: [] };
  }
  return null;
}

export interface VerifiedStart {
  /** When the questionnaire was first opened (the draft's token), ms. */
  startedAt: number;
  /** No token bound to this device is younger than the lifetime. */
  stale: boolean;
  /** The start token was minted for another device, or for none. */
  foreign: boolean;
  /** Marks of the tokens bound to this device. */
  marks: StartMark[];
}

/**
 * Verifies a submission's `started` field: one token, or a draft's token and a renewal
 * (`<draft>~<page>`). Null when any part is forged, for another link, in the future or older
 * than MAX_STARTED_AGE_MS (the submission is refused); otherwise the start time and what to flag.
 * A renewal counts only when bound to this device.
 */
export function verifyStarted(keys: Keys, bind: { scopeKey: string; deviceId: string }, field: string, now: number, lifetimeMs: number): VerifiedStart | null {
  if (field.length > MAX_STARTED_FIELD) return null;
  const parts = field.split(RENEWAL_SEPARATOR);
  if (parts.length > 2) return null;
  const tokens: ParsedToken[] = [];
  for (const part of parts) {
    const parsed = parseOne(keys, bind.scopeKey, bind.deviceId, part);
    if (!parsed) return null;
    if (parsed.startedAt > now + FUTURE_SKEW_MS || parsed.startedAt < now - MAX_STARTED_AGE_MS) return null;
    tokens.push(parsed);
  }
  const start = tokens[0];
  if (!start) return null;
  const bound = tokens.filter((t) => t.bound);
  // Freshness from the youngest token this device was given (the start itself, if unbound
  // and alone: a stale harvested token is stale whoever presents it).
  const freshest = Math.max(...(bound.length > 0 ? bound : [start]).map((t) => t.startedAt));
  return {
    startedAt: start.startedAt,
    stale: now - freshest > lifetimeMs,
    foreign: !start.bound,
    marks: MARKS.filter((m) => bound.some((t) => t.marks.includes(m))),
  };
}

/**
 * The `started` field a device should keep after a page load: its draft's start token with the
 * page's fresh token as renewal (the renewal replaced, never chained further), or the page's
 * token alone when there is no draft. The same rule the phone script applies.
 */
export function renewStarted(draft: string, fresh: string): string {
  const first = draft.split(RENEWAL_SEPARATOR)[0] ?? "";
  return first === "" || first === fresh ? fresh : `${first}${RENEWAL_SEPARATOR}${fresh}`;
}
