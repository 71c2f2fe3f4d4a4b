/**
 * What happens when the shared limiter (Redis, Upstash) is down, refusing, restarting or hanging:
 * the survey keeps working, and limits keep being enforced, by this process alone.
 *
 * - Every check goes to the shared limiter with a short timeout (≤ 200 ms, RATE_LIMIT_TIMEOUT_MS).
 *   An error or a timeout answers that check from the in-process limiter instead. An error, or
 *   three timeouts in a row, also log one warning and switch this process to the in-process
 *   limiter. (One late answer is more often this process's own busy event loop than an absent
 *   Redis; a hanging one produces three at once.)
 * - While switched, checks do not touch the shared limiter (no request waits on a dead server);
 *   every RATE_LIMIT_RETRY_MS one check probes it again (with the same timeout). The first
 *   answer switches back, with an info log saying how long the outage lasted.
 * - The in-process limiter counts every check all along, also while the shared one answers, so
 *   it takes over with this process's recent counts rather than from zero.
 * - At start-up, until the shared backend is first reached (`ready`: the connection handshake,
 *   the first HTTPS round trip), checks are answered in-process without counting as an outage.
 *
 * Never the @upstash/ratelimit default (wait 5 s, then let every request through): a flood
 * during an outage is still answered 429 by each process. What is lost during an outage is the
 * sharing of counts between processes (each enforces the limits on what it sees), which the
 * database's unique constraints make harmless for stored responses.
 */
import type { Logger } from "../log";
import { createMemoryRateLimiter } from "./memory";
import type { RateLimiter, RateLimitResult, RateLimitRule } from "./types";

/** The bound on how long a request may wait for the shared limiter. */
export const MAX_TIMEOUT_MS = 200;

export class RateLimitTimeoutError extends Error {
  override name = "RateLimitTimeoutError";
  constructor(ms: number) {
    super(`no answer from the shared rate limiter within ${ms} ms`);
  }
}

export interface FallbackStatus {
  /** Which limiter answers checks now ("starting": in-process until the first connection). */
  using: "starting" | "shared" | "in-process";
  /** When this process switched to the in-process limiter (clock ms), or null. */
  since: number | null;
  lastError: string | null;
  /** Times this process has switched to the in-process limiter since it started. */
  outages: number;
}

export interface FallbackRateLimiter extends RateLimiter {
  status(): FallbackStatus;
}

export interface FallbackOptions {
  primary: RateLimiter;
  /** For log lines: "redis" or "upstash". */
  backend: string;
  now: () => number;
  log: Logger;
  /** How long a check waits for the shared limiter, ≤ 200 ms. */
  timeoutMs: number;
  /** How long to stay on the in-process limiter before probing the shared one again. */
  retryMs: number;
  /** Defaults to the in-process limiter with the same clock. */
  fallback?: RateLimiter;
  /**
   * Settles when the shared backend is first reached (resolves) or cannot be (rejects: an outage
   * from the start). Until then checks are answered in-process. Omitted: ready at once.
   */
  ready?: Promise<unknown>;
  /** How long start-up may take before it counts as an outage (default 2 s). */
  startTimeoutMs?: number;
  /** Consecutive timeouts that switch to the in-process limiter (default 3; errors switch at once). */
  timeoutsBeforeSwitch?: number;
}

/**
 * `promise`, or a RateLimitTimeoutError after `ms`. When the timer fires, pending I/O is read
 * first (setImmediate runs after the poll phase): an answer that reached the socket while this
 * process was busy still wins, so a stalled event loop is not mistaken for a silent Redis.
 */
function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => setImmediate(() => reject(new RateLimitTimeoutError(ms))), ms);
    timer.unref();
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function createFallbackRateLimiter(options: FallbackOptions): FallbackRateLimiter {
  if (!(options.timeoutMs > 0 && options.timeoutMs <= MAX_TIMEOUT_MS)) {
    throw new RangeError(`rate limit timeout must be within 1–${MAX_TIMEOUT_MS} ms, got ${options.timeoutMs}`);
  }
  const { primary, log, now } = options;
  const fallback = options.fallback ?? createMemoryRateLimiter(now);
  let since: number | null = null;
  let retryAt = 0;
  let probing = false;
  let lastError: string | null = null;
  let outages = 0;
  let consecutiveTimeouts = 0;
  const timeoutsBeforeSwitch = options.timeoutsBeforeSwitch ?? 3;
  let starting = options.ready !== undefined;
  const startTimeoutMs = options.startTimeoutMs ?? 2_000;
  // A server that accepts the connection and never answers would leave start-up pending.
  const ready: Promise<void> = withTimeout(Promise.resolve(options.ready), startTimeoutMs).then(
    () => {
      starting = false;
    },
    (error: unknown) => {
      starting = false;
      switchToFallback(error);
    },
  );

  function switchToFallback(error: unknown): void {
    lastError = describe(error);
    retryAt = now() + options.retryMs;
    if (since !== null) return;
    since = now();
    outages += 1;
    log.warn("rate limiter: shared backend unavailable, using the in-process limiter", {
      backend: options.backend,
      error: lastError,
      retryMs: options.retryMs,
    });
  }

  function switchBack(): void {
    if (since === null) return;
    log.info("rate limiter: shared backend is back", { backend: options.backend, outageMs: now() - since });
    since = null;
    lastError = null;
  }

  /**
   * One check (a `limit` or a `peek`): the shared limiter's answer within the timeout, else the
   * in-process one, which is asked every time so that it keeps this process's counts.
   */
  async function answer(local: Promise<RateLimitResult>, shared: () => Promise<RateLimitResult>): Promise<RateLimitResult> {
    if (starting) return local;
    if (since !== null && (probing || now() < retryAt)) return local;
    const probe = since !== null;
    if (probe) probing = true;
    try {
      const result = await withTimeout(shared(), options.timeoutMs);
      consecutiveTimeouts = 0;
      switchBack();
      return result;
    } catch (error) {
      if (error instanceof RateLimitTimeoutError && since === null && ++consecutiveTimeouts < timeoutsBeforeSwitch) {
        lastError = describe(error);
        return local;
      }
      consecutiveTimeouts = 0;
      switchToFallback(error);
      return local;
    } finally {
      if (probe) probing = false;
    }
  }

  return {
    limit: (name: string, rule: RateLimitRule, identifier: string) =>
      answer(fallback.limit(name, rule, identifier), () => primary.limit(name, rule, identifier)),
    peek: (name: string, rule: RateLimitRule, identifier: string) => answer(fallback.peek(name, rule, identifier), () => primary.peek(name, rule, identifier)),
    status() {
      return { using: starting ? "starting" : since === null ? "shared" : "in-process", since, lastError, outages };
    },
    ready: () => ready,
    async close() {
      await Promise.all([primary.close(), fallback.close()]);
    },
  };
}
