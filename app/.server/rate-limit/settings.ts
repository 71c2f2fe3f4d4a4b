/**
 * The settings of rate limiting (validated in config.ts), and the parser of settings given as
 * JSON in one environment variable.
 */
import { z } from "zod";
import type { RateLimitRules } from "./policy";

export interface RateLimitSettings {
  /** RATE_LIMITS merged over the defaults. */
  rules: RateLimitRules;
  /** RATE_LIMIT_TIMEOUT_MS: how long a check waits for Redis/Upstash (≤ 200). */
  timeoutMs: number;
  /** RATE_LIMIT_RETRY_MS: how long to stay on the in-process limiter before trying again. */
  retryMs: number;
  /** RATE_LIMIT_KEY_PREFIX: prefix of every key in Redis/Upstash. */
  keyPrefix: string;
}

export const DEFAULT_RATE_LIMIT_TIMEOUT_MS = 150;
export const DEFAULT_RATE_LIMIT_RETRY_MS = 2_000;
export const DEFAULT_RATE_LIMIT_KEY_PREFIX = "yz:rl";

/**
 * A setting given as JSON in one environment variable (RATE_LIMITS, INTEGRITY_THRESHOLDS): unset
 * or empty means "the defaults" (`{}`); anything else must be JSON that `schema` accepts, so a
 * typo fails the boot with the variable's name instead of silently keeping a default.
 */
export function jsonSetting<S extends z.ZodTypeAny>(schema: S) {
  return z.preprocess((value, ctx) => {
    if (value === undefined || (typeof value === "string" && value.trim() === "")) return {};
    if (typeof value !== "string") return value;
    try {
      return JSON.parse(value);
    } catch {
      ctx.addIssue({ code: "custom", message: `is not valid JSON: ${value.slice(0, 80)}` });
      return {};
    }
  }, schema);
}
