/**
 * Who is limited, how much, and why. A whole school's parents often answer within minutes of a
 * parents' meeting from one Wi-Fi or one carrier NAT address, so the per-address ceilings are
 * generous; the tight limits are per device and per signed link, which is where a person
 * trying to inflate a school's score shows up.
 *
 * Defaults (per 10-minute sliding window unless stated; docs/rate-limiting.md has the reasoning):
 * - page views per address 3000 — 300 parents behind one NAT, each opening the page several times;
 * - submissions per address 1000 — the same parents' meeting, with margin (3× the 300 of the
 *   scenario; a whole large school on one Wi-Fi within ten minutes is rarer still);
 * - submissions per device 5 — a device answers a link once; retries of that one submission
 *   and a second child's school are the only legitimate repeats;
 * - submissions per link (school × questionnaire) 2000 — above any one school's parents in ten
 *   minutes (the largest demo school has 2150 pupils; a meeting brings in a fraction at a time);
 * - supervision code attempts per address 10 per 15 minutes — codes are guessed, not typed wrong
 *   ten times.
 * Sign-in (for the console): 5 per account and 30 per address per 15 minutes.
 *
 * Every default can be changed with RATE_LIMITS (JSON, validated at start-up, see
 * `RateLimitOverridesSchema`); a limiter built from configuration carries its rules.
 */
import { createHash } from "node:crypto";
import { z } from "zod";
import type { RateLimiter, RateLimitResult, RateLimitRule } from "./types";

export const DEFAULT_RATE_LIMIT_RULES = {
  pageAddress: { limit: 3000, windowMs: 10 * 60_000, algorithm: "slidingWindow" },
  submitAddress: { limit: 1000, windowMs: 10 * 60_000, algorithm: "slidingWindow" },
  submitDevice: { limit: 5, windowMs: 10 * 60_000, algorithm: "slidingWindow" },
  submitLink: { limit: 2000, windowMs: 10 * 60_000, algorithm: "slidingWindow" },
  superviseAddress: { limit: 10, windowMs: 15 * 60_000, algorithm: "slidingWindow" },
  signInAccount: { limit: 5, windowMs: 15 * 60_000, algorithm: "slidingWindow" },
  signInAddress: { limit: 30, windowMs: 15 * 60_000, algorithm: "slidingWindow" },
} as const satisfies Record<string, RateLimitRule>;

export type RateLimitTier = keyof typeof DEFAULT_RATE_LIMIT_RULES;
export type RateLimitRules = Readonly<Record<RateLimitTier, RateLimitRule>>;

export const RATE_LIMIT_TIERS: readonly string[] = Object.keys(DEFAULT_RATE_LIMIT_RULES);

function isTier(name: string): name is RateLimitTier {
  return Object.hasOwn(DEFAULT_RATE_LIMIT_RULES, name);
}

/**
 * Order in which `checkLimits` runs the checks of one request: the most specific identifier
 * first. A refused check stops the run and later checks are not counted, so a device flooding
 * from a school's Wi-Fi is stopped at its device limit and never uses up the address's or the
 * school link's shared allowance that the other parents behind that address need.
 */
const CHECK_ORDER: Record<RateLimitTier, number> = {
  submitDevice: 0,
  signInAccount: 0,
  submitAddress: 1,
  pageAddress: 1,
  superviseAddress: 1,
  signInAddress: 1,
  submitLink: 2,
};

const DURATION = /^(\d+)\s*(ms|s|m|h)$/;
const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as const;

/** "10m", "90s", "1h", "500ms" → milliseconds. */
export function parseDuration(text: string): number | null {
  const match = DURATION.exec(text.trim());
  if (!match?.[1] || !match[2]) return null;
  const unit = match[2];
  if (unit !== "ms" && unit !== "s" && unit !== "m" && unit !== "h") return null;
  return Number(match[1]) * UNIT_MS[unit];
}

const WindowSchema = z.union([
  z.number().int().min(1000).max(24 * 3_600_000),
  z
    .string()
    .transform((text, ctx) => {
      const ms = parseDuration(text);
      if (ms === null || ms < 1000 || ms > 24 * 3_600_000) {
        ctx.addIssue({ code: "custom", message: `window "${text}" must be a duration between 1s and 24h, e.g. "10m"` });
        return z.NEVER;
      }
      return ms;
    }),
]);

const RuleOverrideSchema = z
  .object({
    limit: z.number().int().min(1).max(1_000_000),
    window: WindowSchema,
    algorithm: z.enum(["slidingWindow", "fixedWindow"]),
  })
  .partial()
  .strict();

/**
 * RATE_LIMITS: a JSON object of overrides by tier, each field optional, e.g.
 * `{"submitAddress":{"limit":1500},"pageAddress":{"window":"5m"}}`. Unknown tiers and fields are
 * refused so that a typo fails the boot instead of silently keeping a default.
 */
export const RateLimitOverridesSchema = z
  .record(z.string(), RuleOverrideSchema)
  .superRefine((overrides, ctx) => {
    for (const name of Object.keys(overrides)) {
      if (!isTier(name)) {
        ctx.addIssue({
          code: "custom",
          path: [name],
          message: `unknown tier "${name}"; tiers are ${RATE_LIMIT_TIERS.join(", ")}`,
        });
      }
    }
  })
  .transform((overrides): RateLimitRules => {
    const rules: Record<RateLimitTier, RateLimitRule> = { ...DEFAULT_RATE_LIMIT_RULES };
    for (const [name, override] of Object.entries(overrides)) {
      if (!isTier(name)) continue;
      const base = rules[name];
      rules[name] = {
        limit: override.limit ?? base.limit,
        windowMs: override.window ?? base.windowMs,
        algorithm: override.algorithm ?? base.algorithm,
      };
    }
    return rules;
  });

export interface LimitCheck {
  tier: RateLimitTier;
  /** Raw identifier (address, device id, link); hashed before it reaches the backend. */
  identifier: string;
}

export type LimitDecision = { ok: true } | { ok: false; retryAfterSeconds: number; result: RateLimitResult };

/** Identifiers are hashed so no address or device id is kept in a limiter's keys. */
export function opaque(identifier: string): string {
  return createHash("sha256").update(identifier).digest("base64url").slice(0, 22);
}

/** The rule a limiter enforces for `tier`: its configured rules, else the defaults. */
export function ruleFor(limiter: RateLimiter, tier: RateLimitTier): RateLimitRule {
  return limiter.rules?.[tier] ?? DEFAULT_RATE_LIMIT_RULES[tier];
}

/**
 * Whole seconds after which a refused client is admitted again: ⌊(reset − now) / 1000⌋ + 1, so
 * that now + Retry-After lands strictly after `reset` (a refusal holds through the reset
 * millisecond itself, as @upstash/ratelimit's cache has it). Always at least 1.
 */
export function retryAfterSeconds(reset: number, now: number): number {
  return Math.max(0, Math.floor((reset - now) / 1000)) + 1;
}

/**
 * Runs the checks, most specific identifier first (`CHECK_ORDER`), and stops at the first
 * refusal (later checks are not counted). `retryAfterSeconds` is at least 1.
 */
export async function checkLimits(
  limiter: RateLimiter,
  checks: readonly LimitCheck[],
  now: number,
): Promise<LimitDecision> {
  const ordered = [...checks].sort((a, b) => CHECK_ORDER[a.tier] - CHECK_ORDER[b.tier]);
  for (const check of ordered) {
    const result = await limiter.limit(check.tier, ruleFor(limiter, check.tier), opaque(check.identifier));
    if (!result.success) {
      return { ok: false, retryAfterSeconds: retryAfterSeconds(result.reset, now), result };
    }
  }
  return { ok: true };
}

/**
 * The strict tier for the console's sign-in, against password guessing: per account (so a
 * distributed guesser is stopped) and per address (so one machine cannot try many accounts).
 * Call before verifying the password; on refusal answer 429 with Retry-After.
 */
export function signInChecks(account: string, clientAddress: string): LimitCheck[] {
  return [
    { tier: "signInAccount", identifier: account.trim().toLowerCase() },
    { tier: "signInAddress", identifier: clientAddress },
  ];
}
