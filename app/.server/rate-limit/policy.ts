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
 *   ten times;
 * - refused submissions per address 100 — junk (no device cookie, forged link, unreadable or
 *   invalid body) is limited per address before anything shared is counted, and only
 *   submissions that could be accepted count on the link.
 * Sign-in (for the console) counts failed attempts only (decision 0010), per 15 minutes: 5 per
 * user name × address, 200 per address (a training room of school contacts behind one NAT), and
 * 10 per user name from anywhere — which refuses only the addresses that have themselves failed
 * for that name, so its owner, signing in from an address with no failures, always gets in.
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
  submitJunkAddress: { limit: 100, windowMs: 10 * 60_000, algorithm: "slidingWindow" },
  signInAccountAddress: { limit: 5, windowMs: 15 * 60_000, algorithm: "slidingWindow" },
  signInAddress: { limit: 200, windowMs: 15 * 60_000, algorithm: "slidingWindow" },
  signInAccount: { limit: 10, windowMs: 15 * 60_000, algorithm: "slidingWindow" },
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
  submitJunkAddress: 0,
  submitDevice: 0,
  signInAccountAddress: 0,
  submitAddress: 1,
  pageAddress: 1,
  superviseAddress: 1,
  signInAddress: 1,
  signInAccount: 2,
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
  z
    .number()
    .int()
    .min(1000)
    .max(24 * 3_600_000),
  z.string().transform((text, ctx) => {
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

/**
 * Identifiers are hashed so no address or device id is kept in a limiter's keys; the services'
 * limiter keys that digest with the deployment's secret as well (keyed.ts), so it cannot be
 * reversed by hashing every address.
 */
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
export async function checkLimits(limiter: RateLimiter, checks: readonly LimitCheck[], now: number): Promise<LimitDecision> {
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
 * A limit that counts failures only: `peekLimit` before the attempt (nothing counted), then
 * `countFailure` when it failed. The decision is the same as `checkLimits` would give.
 */
export async function peekLimit(limiter: RateLimiter, check: LimitCheck, now: number): Promise<RateLimitResult & { retryAfterSeconds: number }> {
  const result = await limiter.peek(check.tier, ruleFor(limiter, check.tier), opaque(check.identifier));
  return { ...result, retryAfterSeconds: retryAfterSeconds(result.reset, now) };
}

/** Counts one failure on each of `checks` (all of them, whether or not one is over its limit). */
export async function countFailure(limiter: RateLimiter, checks: readonly LimitCheck[]): Promise<void> {
  await Promise.all(checks.map((c) => limiter.limit(c.tier, ruleFor(limiter, c.tier), opaque(c.identifier))));
}

/** The three failure counters of a password check for `account` from `clientAddress`. */
export function signInChecks(account: string, clientAddress: string): { pair: LimitCheck; address: LimitCheck; account: LimitCheck } {
  const name = account.trim().toLowerCase();
  return {
    pair: { tier: "signInAccountAddress", identifier: `${name}\n${clientAddress}` },
    address: { tier: "signInAddress", identifier: clientAddress },
    account: { tier: "signInAccount", identifier: name },
  };
}

export type SignInTier = "signInAccountAddress" | "signInAddress" | "signInAccount";

export type SignInLimitDecision =
  | { ok: true }
  | {
      ok: false;
      tier: SignInTier;
      retryAfterSeconds: number;
      /** The reset of the refusing limit (its window's end); with `windowMs`, the window. */
      reset: number;
      windowMs: number;
    };

/**
 * Whether a password may be checked for `account` from `clientAddress` now. Nothing is counted
 * here; `countSignInFailure` counts a failed check. Refused when:
 *
 * - this address has used up its failures for this user name (5 per 15 minutes) — a person
 *   mistyping, or one machine guessing one account;
 * - this address has used up its failures over all user names (200) — one machine trying many
 *   accounts; sized for a county's training room of school contacts behind one NAT address;
 * - the user name has had its failures from all addresses (10), **and** this address has failed
 *   for it at least once: an account guessed at from many addresses slows each guessing address
 *   to one try per window, while its owner, at an address with no failures for it, gets in.
 */
export async function checkSignInLimits(limiter: RateLimiter, account: string, clientAddress: string, now: number): Promise<SignInLimitDecision> {
  const checks = signInChecks(account, clientAddress);
  const [pair, address, perAccount] = await Promise.all([
    peekLimit(limiter, checks.pair, now),
    peekLimit(limiter, checks.address, now),
    peekLimit(limiter, checks.account, now),
  ]);
  const refuse = (tier: SignInTier, r: typeof pair): SignInLimitDecision => ({
    ok: false,
    tier,
    retryAfterSeconds: r.retryAfterSeconds,
    reset: r.reset,
    windowMs: ruleFor(limiter, tier).windowMs,
  });
  if (!pair.success) return refuse("signInAccountAddress", pair);
  if (!address.success) return refuse("signInAddress", address);
  const failedHere = pair.remaining < pair.limit;
  if (!perAccount.success && failedHere) return refuse("signInAccount", perAccount);
  return { ok: true };
}

/** Counts one failed password check (wrong password, unknown or disabled account). */
export async function countSignInFailure(limiter: RateLimiter, account: string, clientAddress: string): Promise<void> {
  const checks = signInChecks(account, clientAddress);
  await countFailure(limiter, [checks.pair, checks.address, checks.account]);
}
