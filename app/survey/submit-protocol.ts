/**
 * The submit protocol, one module for both clients: the phone page's inline script
 * (app/routes/s.$token/fast-survey.ts) and the survey-react-ui form (components/survey-form.client.tsx).
 * The server's error codes, how long one attempt may take, which replies are retried and after how
 * long, and the words a parent reads while it happens.
 *
 * Every attempt carries the same idempotency key, so retrying can never store a second response
 * (the server answers a replay with 200 "replayed", or 409 already_submitted). Hence the rules:
 * - every attempt ends: a request that has not answered in `attemptTimeoutMs` is abandoned and
 *   retried — a held-open request never leaves the page at "正在提交";
 * - retrying never stops while the page is open: after a few failures the parent is told the answers
 *   are kept on the phone and will go when the network is back (the `online` event resumes at once);
 * - a tap on 提交 is always safe: while waiting between attempts it sends now; while an attempt is in
 *   flight it only says so.
 * No DOM, no timers of its own: the caller passes them in, so the unit tests drive it with a fake clock.
 */

/** What the submit endpoint answers `error` with (app/.server/collect/submit.ts). */
export const SUBMIT_ERROR_CODES = [
  "link_invalid",
  "link_unknown",
  "not_open",
  "closed",
  "rate_limited",
  "no_device",
  "unsupported_media_type",
  "too_large",
  "bad_request",
  "version_mismatch",
  "started_invalid",
  "invalid_answers",
  "already_submitted",
  "key_conflict",
  "child_invalid",
  "child_limit",
] as const;
export type SubmitErrorCode = (typeof SUBMIT_ERROR_CODES)[number];

export const SUBMIT_POLICY = {
  /** One attempt is abandoned after this long (a request held open by a weak link or a proxy). */
  attemptTimeoutMs: 20_000,
  /** Waits between attempts: 1 s, 2 s, 4 s, … capped here, for as long as the page is open. */
  firstBackoffMs: 1_000,
  maxBackoffMs: 30_000,
  /** A 429 without a usable Retry-After waits this long. */
  rateLimitedWaitMs: 10_000,
  /** After this many failed attempts the parent is told the answers wait on the phone. */
  attemptsBeforeKeptMessage: 3,
} as const;

export const SUBMIT_WORDS = {
  sending: "正在提交，请稍候…",
  retrying: (attempt: number) => `网络不好，正在重试（第${attempt}次）…`,
  kept: "已保存在手机上，有网络时会自动提交。也可以到信号好的地方再点“提交问卷”。",
  offline: "手机没有网络。答案已保存在手机上，有网络时会自动提交。",
  busy: "提交的人较多，稍后自动重试…",
  refusedFallback: "提交未成功，请刷新页面后重试。",
} as const;

/** The parts of a reply the clients act on. */
export interface SubmitReply {
  /** HTTP status; 0 when there was no answer (network error, timeout). */
  status: number;
  error?: string;
  message?: string;
  problems?: Array<{ question: string | null; message: string }>;
  /** Retry-After in seconds, when the server sent one. */
  retryAfterS?: number | null;
}

export type SubmitDecision =
  | { kind: "done" }
  | { kind: "retry"; waitMs: number; busy: boolean }
  | { kind: "refused"; error: string | null; message: string; reload: boolean; problems: NonNullable<SubmitReply["problems"]> };

/** The wait before attempt `attempt + 1` after `attempt` failed without a Retry-After. */
export function backoffMs(attempt: number): number {
  return Math.min(SUBMIT_POLICY.maxBackoffMs, SUBMIT_POLICY.firstBackoffMs * 2 ** Math.max(0, attempt - 1));
}

/**
 * What to do with one attempt's reply. 200 and 409 already_submitted mean the response is stored;
 * no answer, 408 (the body arrived too slowly), 429 and 5xx are retried with the same key; any other
 * 4xx is the server refusing this submission, with its Chinese message.
 */
export function decide(reply: SubmitReply, attempt: number): SubmitDecision {
  const status = reply.status;
  if (status === 200 || (status === 409 && reply.error === "already_submitted")) return { kind: "done" };
  if (status === 429) {
    const after = reply.retryAfterS;
    return { kind: "retry", waitMs: after && after > 0 ? after * 1000 : SUBMIT_POLICY.rateLimitedWaitMs, busy: true };
  }
  if (status === 0 || status === 408 || status >= 500) return { kind: "retry", waitMs: backoffMs(attempt), busy: false };
  const error = reply.error ?? null;
  return {
    kind: "refused",
    error,
    message: reply.message ?? SUBMIT_WORDS.refusedFallback,
    reload: error === "version_mismatch" || error === "started_invalid" || error === "no_device",
    problems: reply.problems ?? [],
  };
}

export type SubmitState =
  | { kind: "idle" }
  | { kind: "sending"; attempt: number; message: string }
  | { kind: "waiting"; attempt: number; message: string; offline: boolean }
  | { kind: "done" }
  | { kind: "refused"; error: string | null; message: string; reload: boolean; problems: NonNullable<SubmitReply["problems"]> };

export interface SubmitterDeps {
  /** Sends one attempt (the same body and key each time); resolves with the reply, never rejects. */
  post(signal: AbortSignalLike | null): Promise<SubmitReply>;
  setTimer(fn: () => void, ms: number): unknown;
  clearTimer(handle: unknown): void;
  /** navigator.onLine where the browser has it; true when unknown. */
  isOnline(): boolean;
  /** Makes an abort signal for one attempt, where the browser has AbortController. */
  abortable(): { signal: AbortSignalLike; abort(): void } | null;
  onState(state: SubmitState): void;
}

/** The part of AbortSignal the clients pass through to fetch. */
export interface AbortSignalLike {
  readonly aborted: boolean;
}

export interface Submitter {
  /** A tap on 提交 (or a reload of a pending submission): sends now unless an attempt is in flight. */
  submit(): void;
  /**
   * The `online` event (or the page shown again): a waiting submission goes at once; one in flight
   * is retried at once if it fails.
   */
  online(): void;
  state(): SubmitState;
}

export function createSubmitter(deps: SubmitterDeps): Submitter {
  let state: SubmitState = { kind: "idle" };
  let attempt = 0;
  let timer: unknown = null;
  let inFlight = false;
  // The network came back while an attempt was under way (often one that the dead link holds
  // open until its deadline): if that attempt fails, the next goes at once, not after a backoff.
  let resumeAtOnce = false;

  const set = (next: SubmitState) => {
    state = next;
    deps.onState(next);
  };

  const waitingMessage = (busy: boolean, offline: boolean): string => {
    if (offline) return SUBMIT_WORDS.offline;
    if (attempt >= SUBMIT_POLICY.attemptsBeforeKeptMessage) return SUBMIT_WORDS.kept;
    return busy ? SUBMIT_WORDS.busy : SUBMIT_WORDS.retrying(attempt + 1);
  };

  const attemptNow = () => {
    if (inFlight || state.kind === "done") return;
    if (timer !== null) {
      deps.clearTimer(timer);
      timer = null;
    }
    attempt += 1;
    inFlight = true;
    const mine = attempt;
    set({ kind: "sending", attempt, message: attempt > 1 ? SUBMIT_WORDS.retrying(attempt) : SUBMIT_WORDS.sending });
    const controller = deps.abortable();
    let settled = false;
    const finish = (reply: SubmitReply) => {
      if (settled) return;
      settled = true;
      deps.clearTimer(deadline);
      inFlight = false;
      if (mine !== attempt || state.kind === "done") return;
      const decision = decide(reply, attempt);
      if (decision.kind === "done") {
        set({ kind: "done" });
        return;
      }
      if (decision.kind === "refused") {
        set({ kind: "refused", error: decision.error, message: decision.message, reload: decision.reload, problems: decision.problems });
        return;
      }
      const offline = !deps.isOnline();
      if (resumeAtOnce && !offline && !decision.busy) {
        resumeAtOnce = false;
        attemptNow();
        return;
      }
      resumeAtOnce = false;
      set({ kind: "waiting", attempt, message: waitingMessage(decision.busy, offline), offline });
      // Offline, the `online` event resumes at once; the timer stays as a fallback for browsers
      // that never fire it.
      timer = deps.setTimer(
        () => {
          timer = null;
          attemptNow();
        },
        offline ? Math.max(decision.waitMs, SUBMIT_POLICY.maxBackoffMs) : decision.waitMs,
      );
    };
    // The deadline ends the attempt whether or not the browser can abort the request: a late
    // answer to an abandoned attempt is ignored (the retry carries the same key).
    const deadline = deps.setTimer(() => {
      controller?.abort();
      finish({ status: 0 });
    }, SUBMIT_POLICY.attemptTimeoutMs);
    deps.post(controller ? controller.signal : null).then(finish, () => finish({ status: 0 }));
  };

  return {
    submit() {
      if (state.kind === "done") return;
      if (inFlight) {
        // Say it again so the tap is acknowledged; the attempt under way has its own deadline.
        set(state);
        return;
      }
      // A new submission after a refusal (the parent corrected an answer) counts its attempts afresh.
      if (state.kind === "idle" || state.kind === "refused") attempt = 0;
      attemptNow();
    },
    online() {
      if (state.kind === "waiting") attemptNow();
      else if (inFlight) resumeAtOnce = true;
    },
    state: () => state,
  };
}
