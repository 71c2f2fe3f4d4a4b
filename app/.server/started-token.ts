/**
 * The signed start time of a questionnaire. The server puts it in the page when the survey is
 * first opened; the device keeps it with its draft and returns it on submission, so the stored
 * answering time (for spotting speeders) cannot be forged and survives reloads.
 */
import type { Keys } from "./keys";

/** Oldest start time accepted: a draft kept on a phone for up to 60 days. */
export const MAX_STARTED_AGE_MS = 60 * 24 * 3600 * 1000;
/** Tolerance for clocks between several app instances. */
const FUTURE_SKEW_MS = 60 * 1000;

export function signStarted(keys: Keys, scopeKey: string, startedAt: number): string {
  const ms = Math.floor(startedAt);
  return `${ms.toString(36)}.${keys.sign("started", `${scopeKey}\n${ms}`)}`;
}

/** The start time in ms, or null when forged, for another link, in the future or too old. */
export function verifyStarted(keys: Keys, scopeKey: string, token: string, now: number): number | null {
  const match = /^([0-9a-z]{1,12})\.([A-Za-z0-9_-]{22})$/.exec(token);
  if (!match?.[1] || !match[2]) return null;
  const ms = parseInt(match[1], 36);
  if (!Number.isSafeInteger(ms)) return null;
  if (!keys.verify("started", `${scopeKey}\n${ms}`, match[2])) return null;
  if (ms > now + FUTURE_SKEW_MS || ms < now - MAX_STARTED_AGE_MS) return null;
  return ms;
}
