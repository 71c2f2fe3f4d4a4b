/**
 * The rate-limiting seam. Every backend answers with @upstash/ratelimit's result shape, so the
 * embedded in-process limiter and @upstash/ratelimit over Redis are interchangeable.
 */
export interface RateLimitResult {
  /** Whether this request is admitted. */
  success: boolean;
  /** The limit of the window. */
  limit: number;
  /** Requests left in the window after this one. */
  remaining: number;
  /** When the window resets, ms since the epoch (Retry-After is derived from it). */
  reset: number;
}

export type RateLimitAlgorithm = "slidingWindow" | "fixedWindow";

export interface RateLimitRule {
  /** Requests admitted per window. */
  limit: number;
  windowMs: number;
  algorithm: RateLimitAlgorithm;
}

export interface RateLimiter {
  /**
   * The rules configured for this deployment (RATE_LIMITS), by tier name. `checkLimits` uses
   * them over the defaults; a limiter without rules (as tests inject) enforces the defaults.
   */
  readonly rules?: Readonly<Record<string, RateLimitRule>>;
  /** Counts one request of `identifier` against `rule` in the namespace `name`. */
  limit(name: string, rule: RateLimitRule, identifier: string): Promise<RateLimitResult>;
  /**
   * Looks without counting: whether one more request of `identifier` would be admitted now
   * (`success`), how many would be (`remaining`, before this one) and the window's `reset`. A
   * refusal that `limit` is holding until its reset is reported as such. This is how a limit
   * counts only failures (console sign-in): peek before the attempt, `limit` after a failure.
   */
  peek(name: string, rule: RateLimitRule, identifier: string): Promise<RateLimitResult>;
  /**
   * Shared backends: settles once the backend has first been reached, or given up on (the
   * in-process limiter answers meanwhile). Absent: ready at once.
   */
  ready?(): Promise<void>;
  close(): Promise<void>;
}
