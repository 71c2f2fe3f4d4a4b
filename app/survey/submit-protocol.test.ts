import { describe, expect, it } from "vitest";
import { backoffMs, createSubmitter, decide, SUBMIT_POLICY, SUBMIT_WORDS, type SubmitReply, type SubmitState } from "./submit-protocol";

/** A fake clock and a scripted server: each attempt takes the next planned reply, or hangs. */
function harness(
  plan: Array<SubmitReply | "hang" | ((signal: { aborted: boolean } | null) => Promise<SubmitReply>)>,
  options: { online?: () => boolean; abortable?: boolean } = {},
) {
  let now = 0;
  let nextId = 1;
  const timers = new Map<number, { at: number; fn: () => void }>();
  const states: SubmitState[] = [];
  const posts: number[] = [];
  let aborts = 0;
  const submitter = createSubmitter({
    post(signal) {
      posts.push(now);
      const step = plan.shift() ?? "hang";
      if (step === "hang") return new Promise<SubmitReply>(() => {});
      if (typeof step === "function") return step(signal);
      return Promise.resolve(step);
    },
    setTimer(fn, ms) {
      const id = nextId++;
      timers.set(id, { at: now + ms, fn });
      return id;
    },
    clearTimer(handle) {
      timers.delete(handle as number);
    },
    isOnline: options.online ?? (() => true),
    abortable: () => {
      if (options.abortable === false) return null;
      const signal = { aborted: false };
      return {
        signal,
        abort: () => {
          signal.aborted = true;
          aborts++;
        },
      };
    },
    onState: (s) => states.push(s),
  });
  const flush = () => new Promise<void>((r) => setTimeout(r, 0));
  /** Advances the fake clock by `ms`, running due timers in order and letting promises settle. */
  async function advance(ms: number) {
    const end = now + ms;
    await flush();
    for (;;) {
      const due = [...timers.entries()].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      timers.delete(due[0]);
      now = due[1].at;
      due[1].fn();
      await flush();
    }
    now = end;
    await flush();
  }
  return { submitter, states, posts, advance, flush, aborts: () => aborts, pending: () => timers.size };
}

describe("decide", () => {
  it("treats 200 and a replay's 409 as stored, retries the transient, refuses the rest", () => {
    expect(decide({ status: 200 }, 1)).toEqual({ kind: "done" });
    expect(decide({ status: 409, error: "already_submitted" }, 1)).toEqual({ kind: "done" });
    expect(decide({ status: 0 }, 1)).toMatchObject({ kind: "retry", waitMs: 1000 });
    expect(decide({ status: 408 }, 3)).toMatchObject({ kind: "retry", waitMs: 4000 });
    expect(decide({ status: 503 }, 10)).toMatchObject({ kind: "retry", waitMs: SUBMIT_POLICY.maxBackoffMs });
    expect(decide({ status: 429, retryAfterS: 120 }, 1)).toMatchObject({ kind: "retry", waitMs: 120_000, busy: true });
    expect(decide({ status: 429, retryAfterS: null }, 1)).toMatchObject({ kind: "retry", waitMs: SUBMIT_POLICY.rateLimitedWaitMs });
    expect(decide({ status: 400, error: "invalid_answers", message: "第3题请选择一项" }, 1)).toMatchObject({
      kind: "refused",
      message: "第3题请选择一项",
      reload: false,
    });
    expect(decide({ status: 400, error: "started_invalid" }, 1)).toMatchObject({ kind: "refused", reload: true, message: SUBMIT_WORDS.refusedFallback });
    expect(decide({ status: 409, error: "key_conflict", message: "x" }, 1)).toMatchObject({ kind: "refused" });
  });

  it("backs off 1, 2, 4 … seconds up to the cap", () => {
    expect([1, 2, 3, 4, 5, 6, 7].map(backoffMs)).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000]);
  });
});

describe("createSubmitter", () => {
  it("abandons an attempt held open past the deadline and retries it with the same body", async () => {
    const h = harness(["hang", { status: 200 }]);
    h.submitter.submit();
    await h.flush();
    expect(h.submitter.state()).toMatchObject({ kind: "sending", message: SUBMIT_WORDS.sending });
    await h.advance(SUBMIT_POLICY.attemptTimeoutMs - 1);
    expect(h.posts).toHaveLength(1);
    await h.advance(1);
    expect(h.aborts()).toBe(1);
    expect(h.submitter.state()).toMatchObject({ kind: "waiting", message: SUBMIT_WORDS.retrying(2) });
    await h.advance(1000);
    expect(h.posts).toEqual([0, SUBMIT_POLICY.attemptTimeoutMs + 1000]);
    expect(h.submitter.state()).toEqual({ kind: "done" });
  });

  it("ends an attempt on time even where the browser cannot abort, and ignores its late answer", async () => {
    let answerLate: (r: SubmitReply) => void = () => {};
    const h = harness(
      [
        () =>
          new Promise<SubmitReply>((r) => {
            answerLate = r;
          }),
        "hang",
      ],
      { abortable: false },
    );
    h.submitter.submit();
    await h.advance(SUBMIT_POLICY.attemptTimeoutMs);
    expect(h.submitter.state().kind).toBe("waiting");
    answerLate({ status: 400, error: "bad_request", message: "迟到的答复" });
    await h.flush();
    expect(h.submitter.state().kind).toBe("waiting");
  });

  it("never gives up while the page is open, and says the answers are kept after a few failures", async () => {
    const h = harness(Array.from({ length: 12 }, () => ({ status: 0 })));
    h.submitter.submit();
    await h.advance(10 * 60_000);
    expect(h.posts.length).toBeGreaterThanOrEqual(12);
    const s = h.submitter.state();
    expect(s.kind === "waiting" || s.kind === "sending").toBe(true);
    expect(h.states.some((x) => x.kind === "waiting" && x.message === SUBMIT_WORDS.kept)).toBe(true);
    expect(h.states.some((x) => x.kind === "refused")).toBe(false);
  });

  it("waits offline and goes at once when the network is back", async () => {
    let online = false;
    const h = harness([{ status: 0 }, { status: 200 }], { online: () => online });
    h.submitter.submit();
    await h.advance(10);
    expect(h.submitter.state()).toMatchObject({ kind: "waiting", offline: true, message: SUBMIT_WORDS.offline });
    await h.advance(5_000);
    expect(h.posts).toHaveLength(1);
    online = true;
    h.submitter.online();
    await h.flush();
    expect(h.posts).toHaveLength(2);
    expect(h.submitter.state()).toEqual({ kind: "done" });
  });

  it("offline for minutes at 提交 (issue 16 item 5: it stopped for good after about 31 s): still waiting, and back online it goes at once", async () => {
    let online = false;
    const h = harness([...Array.from({ length: 30 }, () => ({ status: 0 })), { status: 200 }], { online: () => online });
    h.submitter.submit();
    await h.advance(5 * 60_000);
    // The fallback timer still tries every 30 s while offline; nothing ever ends the submission.
    expect(h.posts.length).toBeGreaterThanOrEqual(10);
    expect(h.submitter.state()).toMatchObject({ kind: "waiting", offline: true, message: SUBMIT_WORDS.offline });
    expect(h.states.some((x) => x.kind === "refused" || x.kind === "idle")).toBe(false);
    expect(h.pending()).toBe(1);
    const before = h.posts.length;
    online = true;
    h.submitter.online();
    await h.flush();
    expect(h.posts.length).toBe(before + 1);
  });

  it("the network back while an attempt is held open: the retry goes the moment that attempt ends, not after a backoff", async () => {
    const h = harness([{ status: 0 }, { status: 0 }, { status: 0 }, "hang", { status: 200 }]);
    h.submitter.submit();
    await h.advance(1_000 + 2_000 + 4_000 + 10);
    expect(h.posts).toHaveLength(4);
    h.submitter.online(); // fired while attempt 4 hangs
    await h.advance(SUBMIT_POLICY.attemptTimeoutMs);
    expect(h.posts).toHaveLength(5);
    expect(h.posts[4]).toBe(h.posts[3]! + SUBMIT_POLICY.attemptTimeoutMs);
    expect(h.submitter.state()).toEqual({ kind: "done" });
    // Without the event, attempt 5 would have waited backoffMs(4) = 8 s after the deadline.
    const plain = harness([{ status: 0 }, { status: 0 }, { status: 0 }, "hang", { status: 200 }]);
    plain.submitter.submit();
    await plain.advance(7_010 + SUBMIT_POLICY.attemptTimeoutMs);
    expect(plain.posts).toHaveLength(4);
    await plain.advance(backoffMs(4));
    expect(plain.posts).toHaveLength(5);
  });

  it("a tap while waiting sends now; a tap while in flight sends nothing more", async () => {
    const h = harness([{ status: 503 }, "hang", { status: 200 }]);
    h.submitter.submit();
    await h.advance(10);
    expect(h.submitter.state().kind).toBe("waiting");
    h.submitter.submit();
    await h.flush();
    expect(h.posts).toHaveLength(2);
    h.submitter.submit();
    h.submitter.submit();
    await h.flush();
    expect(h.posts).toHaveLength(2);
    await h.advance(SUBMIT_POLICY.attemptTimeoutMs + backoffMs(2));
    expect(h.posts).toHaveLength(3);
    expect(h.submitter.state()).toEqual({ kind: "done" });
  });

  it("honours Retry-After on 429, stops on a refusal, and counts afresh when the parent submits again", async () => {
    const h = harness([
      { status: 429, retryAfterS: 120 },
      { status: 400, error: "invalid_answers", message: "第2题请选择一项", problems: [{ question: "q2", message: "请选择一项" }] },
      { status: 200 },
    ]);
    h.submitter.submit();
    await h.advance(119_000);
    expect(h.posts).toHaveLength(1);
    expect(h.submitter.state()).toMatchObject({ kind: "waiting", message: SUBMIT_WORDS.busy });
    await h.advance(1_000);
    expect(h.submitter.state()).toMatchObject({ kind: "refused", message: "第2题请选择一项", problems: [{ question: "q2", message: "请选择一项" }] });
    await h.advance(60_000);
    expect(h.posts).toHaveLength(2);
    h.submitter.submit();
    await h.flush();
    expect(h.states.filter((x) => x.kind === "sending").at(-1)).toMatchObject({ attempt: 1, message: SUBMIT_WORDS.sending });
    expect(h.submitter.state()).toEqual({ kind: "done" });
    expect(h.pending()).toBe(0);
  });
});
