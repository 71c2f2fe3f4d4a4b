/**
 * Who is limited, how much, and why. A whole school's parents often answer within minutes of a
 * parents' meeting from one Wi-Fi or one carrier NAT address, so the per-address ceilings are
 * generous; the tight limits are per device and per signed link, which is where a person
 * trying to inflate a school's score shows up.
 *
 * Defaults (per 10-minute sliding window unless stated):
 * - page views per address 3000 — 300 parents behind one NAT, each opening the page several times;
 * - submissions per address 1000 — the same parents' meeting, with margin;
 * - submissions per device 5 — a device answers a link once; retries of that one submission
 *   are the only legitimate repeats;
 * - submissions per link (school × questionnaire) 2000 — above the largest school's parents;
 * - supervision code attempts per address 10 per 15 minutes — codes are guessed, not typed wrong
 *   ten times.
 * Sign-in (for the console): 5 per account and 30 per address per 15 minutes.
 */
import { createHash } from "node:crypto";
import type { RateLimiter, RateLimitResult, RateLimitRule } from "./types";

export const RATE_LIMIT_RULES = {
  pageAddress: { limit: 3000, windowMs: 10 * 60_000, algorithm: "slidingWindow" },
  submitAddress: { limit: 1000, windowMs: 10 * 60_000, algorithm: "slidingWindow" },
  submitDevice: { limit: 5, windowMs: 10 * 60_000, algorithm: "slidingWindow" },
  submitLink: { limit: 2000, windowMs: 10 * 60_000, algorithm: "slidingWindow" },
  superviseAddress: { limit: 10, windowMs: 15 * 60_000, algorithm: "slidingWindow" },
  signInAccount: { limit: 5, windowMs: 15 * 60_000, algorithm: "slidingWindow" },
  signInAddress: { limit: 30, windowMs: 15 * 60_000, algorithm: "slidingWindow" },
} as const satisfies Record<string, RateLimitRule>;

export type RateLimitTier = keyof typeof RATE_LIMIT_RULES;

export interface LimitCheck {
  tier: RateLimitTier;
  /** Raw identifier (address, device id, link); hashed before it reaches the backend. */
  identifier: string;
}

export type LimitDecision = { ok: true } | { ok: false; retryAfterSeconds: number; result: RateLimitResult };

/** Identifiers are hashed so no address or device id is kept in a limiter's keys. */
function opaque(identifier: string): string {
  return createHash("sha256").update(identifier).digest("base64url").slice(0, 22);
}

/**
 * Runs the checks in order and stops at the first refusal (later checks are not counted).
 */
export async function checkLimits(
  limiter: RateLimiter,
  checks: readonly LimitCheck[],
  now: number,
): Promise<LimitDecision> {
  for (const check of checks) {
    const result = await limiter.limit(check.tier, RATE_LIMIT_RULES[check.tier], opaque(check.identifier));
    if (!result.success) {
      return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((result.reset - now) / 1000)), result };
    }
  }
  return { ok: true };
}
