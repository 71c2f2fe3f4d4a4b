/**
 * The questionnaire in the browser: SurveyJS (survey-react-ui) with the answers in progress
 * kept on the device, and a submission that survives a flaky network.
 *
 * - Draft: every change is written to localStorage with the page number, the signed start time
 *   and the idempotency key, and restored on reload (a definition version change discards it).
 * - Submit: POST JSON to /s/<token>/submit under the shared protocol (app/survey/submit-protocol.ts,
 *   the same as the phone page's script): every attempt has a deadline, network errors, timeouts,
 *   408, 5xx and 429 are retried with backoff (429 honours Retry-After) for as long as the page is
 *   open, always with the same idempotency key, so a retry can never store a second response; the
 *   `online` event resumes a waiting submission. On success the draft is cleared and the thank-you
 *   page shown.
 * - Preview (the console's, `preview`): the same rendering, no draft on the device, and
 *   completing only says that nothing is stored.
 */
import { useEffect, useMemo, useRef, useState } from "react";
import { Model } from "survey-core";
import "survey-core/i18n/simplified-chinese";
import { Survey } from "survey-react-ui";
import { registerSurveyProperties } from "../survey/register";
import { createSubmitter, type Submitter, type SubmitReply } from "../survey/submit-protocol";

interface Props {
  token: string;
  definition: string;
  variables: Readonly<Record<string, string | number>>;
  version: number;
  started: string;
  supervised: boolean;
  /** The child ordinal on a parents' link (decision 0027); absent or 1 for the first child. */
  child?: number;
  /** Told the 0-based page number whenever it changes (the notice shows on the first page). */
  onPageChange?: (page: number) => void;
  /** A console preview: nothing kept on the device, nothing sent. */
  preview?: boolean;
}

interface Draft {
  v: 1;
  version: number;
  key: string;
  started: string;
  data: Record<string, unknown>;
  page: number;
  savedAt: number;
}

interface Progress {
  page: number;
  pages: number;
  answered: number;
  questions: number;
}

function progressOf(model: Model): Progress {
  const questions = model.getAllQuestions(true).filter((q) => q.getType() !== "html");
  return {
    page: model.currentPageNo + 1,
    pages: model.visiblePageCount,
    answered: questions.filter((q) => !q.isEmpty()).length,
    questions: questions.length,
  };
}

type Status =
  { kind: "idle" } | { kind: "preview" } | { kind: "sending"; message: string } | { kind: "failed"; message: string; canRetry: boolean; reload: boolean };

/** survey-core's default theme, panelless, in the platform's colours and system fonts. */
const THEME = {
  themeName: "default",
  colorPalette: "light",
  isPanelless: true,
  cssVariables: {
    "--sjs-general-backcolor-dim": "#f4f6f8",
    "--sjs-primary-backcolor": "#1456b8",
    "--sjs-primary-backcolor-light": "rgba(20, 86, 184, 0.1)",
    "--sjs-primary-backcolor-dark": "#0f4594",
    "--sjs-font-family":
      '-apple-system, BlinkMacSystemFont, "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "WenQuanYi Micro Hei", "Noto Sans CJK SC", sans-serif',
    "--sjs-font-size": "17px",
    "--sjs-corner-radius": "8px",
    "--sjs-base-unit": "8px",
  },
};
function draftKey(token: string): string {
  return `yz:draft:${token}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function readDraft(token: string, version: number): Draft | null {
  try {
    const raw = window.localStorage.getItem(draftKey(token));
    if (!raw) return null;
    const d: unknown = JSON.parse(raw);
    if (!isRecord(d) || d.v !== 1 || d.version !== version) return null;
    if (typeof d.key !== "string" || typeof d.started !== "string" || typeof d.page !== "number") return null;
    if (!isRecord(d.data)) return null;
    const savedAt = typeof d.savedAt === "number" ? d.savedAt : 0;
    return { v: 1, version, key: d.key, started: d.started, data: d.data, page: d.page, savedAt };
  } catch {
    return null;
  }
}

function writeDraft(token: string, draft: Draft): void {
  try {
    window.localStorage.setItem(draftKey(token), JSON.stringify(draft));
  } catch {
    // Storage full or disabled (private mode): answering still works, only reload-safety is lost.
  }
}

function clearDraft(token: string): void {
  try {
    window.localStorage.removeItem(draftKey(token));
  } catch {
    // ignore
  }
}

/** 128 random bits, base64url; crypto.getRandomValues exists on every browser we target. */
function newIdempotencyKey(): string {
  const bytes = new Uint8Array(16);
  window.crypto.getRandomValues(bytes);
  let s = "";
  for (let i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i] ?? 0);
  return window.btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** One attempt: the reply's status and the parts the protocol acts on; never throws. */
async function postOnce(url: string, body: string, signal: AbortSignal | null): Promise<SubmitReply> {
  let res: Response;
  try {
    res = await fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body,
      credentials: "same-origin",
      signal: signal ?? undefined,
    });
  } catch {
    return { status: 0 };
  }
  const retryAfter = Number(res.headers.get("Retry-After"));
  const reply: SubmitReply = { status: res.status, retryAfterS: Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : null };
  try {
    const parsed: unknown = await res.json();
    if (isRecord(parsed)) {
      if (typeof parsed.error === "string") reply.error = parsed.error;
      if (typeof parsed.message === "string") reply.message = parsed.message;
    }
  } catch {
    // A reply without JSON: its status decides.
  }
  return reply;
}

export function SurveyForm(props: Props) {
  const { token, version } = props;
  const child = props.child ?? 1;
  // Each child's draft (and so its idempotency key) is its own: the second child's answers must
  // never go under the first one's key, which the server would take for a replay.
  const draftId = child > 1 ? `${token}~child${child}` : token;
  const honeypot = useRef<HTMLInputElement>(null);
  const [status, setStatus] = useState<Status>({ kind: "idle" });
  const [progress, setProgress] = useState<Progress | null>(null);
  const draftRef = useRef<Draft | null>(null);

  const model = useMemo(() => {
    registerSurveyProperties();
    const m = new Model(JSON.parse(props.definition));
    m.locale = "zh-cn";
    // The page header above already shows the questionnaire's title.
    m.showTitle = false;
    m.applyTheme(THEME);
    for (const [name, value] of Object.entries(props.variables)) m.setVariable(name, value);
    // Pages that depend on the link's variables became visible only now: start at the first.
    m.currentPageNo = 0;
    const saved = props.preview ? null : readDraft(draftId, version);
    // A draft keeps its start token and is renewed with the one this page load carries
    // ("<draft>~<page>", app/.server/collect/started-token.ts); one the server refused gets the fresh one.
    const first = saved?.started.split("~")[0] ?? "";
    const renewed = first === "" || first === props.started ? props.started : `${first}~${props.started}`;
    const draft: Draft = saved
      ? { ...saved, started: renewed }
      : {
          v: 1,
          version,
          key: newIdempotencyKey(),
          started: props.started,
          data: {},
          page: 0,
          savedAt: Date.now(),
        };
    if (saved) {
      m.data = saved.data;
      if (saved.page > 0 && saved.page < m.visiblePages.length) m.currentPageNo = saved.page;
    }
    draftRef.current = draft;
    if (!props.preview) writeDraft(draftId, draft);
    return m;
    // The model is created once per page load; props do not change while it lives.
    // eslint-disable-next-line react-hooks/exhaustive-deps -- recreating it would lose the parent's answers
  }, []);

  useEffect(() => {
    const save = () => {
      const current = draftRef.current;
      if (!current) return;
      const next: Draft = { ...current, data: model.data, page: model.currentPageNo, savedAt: Date.now() };
      draftRef.current = next;
      if (!props.preview) writeDraft(draftId, next);
      setProgress(progressOf(model));
    };
    setProgress(progressOf(model));
    const toTop = () => {
      window.scrollTo(0, 0);
      props.onPageChange?.(model.currentPageNo);
    };
    props.onPageChange?.(model.currentPageNo);
    const onCompleting = (_sender: Model, options: { allow: boolean }) => {
      // Never let SurveyJS complete by itself: the thank-you page comes after the server says so.
      // A second tap while an attempt is in flight is safe: the submitter only acknowledges it.
      options.allow = false;
      submit();
    };
    model.onValueChanged.add(save);
    model.onCurrentPageChanged.add(save);
    model.onCurrentPageChanged.add(toTop);
    model.onCompleting.add(onCompleting);
    return () => {
      model.onValueChanged.remove(save);
      model.onCurrentPageChanged.remove(save);
      model.onCurrentPageChanged.remove(toTop);
      model.onCompleting.remove(onCompleting);
    };
    // The handlers are bound once to the one model; the token, props and submit do not change while it lives.
    // eslint-disable-next-line react-hooks/exhaustive-deps -- rebinding would only repeat the same handlers
  }, [model]);

  const submitterRef = useRef<Submitter | null>(null);
  useEffect(() => {
    const onOnline = () => submitterRef.current?.online();
    window.addEventListener("online", onOnline);
    return () => window.removeEventListener("online", onOnline);
  }, []);

  function submit(): void {
    const draft = draftRef.current;
    if (!draft) return;
    if (props.preview) {
      setStatus({ kind: "preview" });
      return;
    }
    const url = `/s/${token}/submit`;
    // The answers as they are at this tap; a retry sends the same body under the same key.
    const body = JSON.stringify({
      version,
      idempotencyKey: draft.key,
      started: draft.started,
      answers: model.data,
      website: honeypot.current ? honeypot.current.value : "",
      ...(child > 1 ? { child } : {}),
    });
    const previous = submitterRef.current;
    const submitter =
      previous && previous.state().kind !== "refused" && previous.state().kind !== "idle"
        ? previous
        : createSubmitter({
            post: (signal) => postOnce(url, body, signal instanceof AbortSignal ? signal : null),
            setTimer: (fn, ms) => window.setTimeout(fn, ms),
            clearTimer: (handle) => window.clearTimeout(typeof handle === "number" ? handle : undefined),
            isOnline: () => navigator.onLine !== false,
            abortable: () => (typeof AbortController === "function" ? new AbortController() : null),
            onState: (state) => {
              if (state.kind === "done") {
                clearDraft(draftId);
                window.location.replace(`/s/${token}/done`);
              } else if (state.kind === "sending") {
                setStatus({ kind: "sending", message: state.message });
              } else if (state.kind === "waiting") {
                // Retrying goes on by itself; the button sends at once.
                setStatus({ kind: "failed", message: state.message, canRetry: true, reload: false });
              } else if (state.kind === "refused") {
                if (state.error === "version_mismatch") clearDraft(draftId);
                if (state.error === "started_invalid") {
                  // Keep the answers; the reloaded page hands out a fresh start time.
                  writeDraft(draftId, { ...draft, started: "", data: model.data, page: model.currentPageNo });
                }
                setStatus({ kind: "failed", message: state.message, canRetry: false, reload: state.reload });
              }
            },
          });
    submitterRef.current = submitter;
    submitter.submit();
  }

  return (
    <div className="survey-form">
      {progress ? (
        <div className="progress" aria-label={`第${progress.page}页，共${progress.pages}页，已答${progress.answered}题，共${progress.questions}题`}>
          <div className="progress__text">
            <span>
              第 {progress.page}/{progress.pages} 页
            </span>
            <span>
              已答 {progress.answered}/{progress.questions} 题
            </span>
          </div>
          <div className="progress__bar">
            <div className="progress__fill" style={{ width: `${Math.round((100 * progress.answered) / Math.max(1, progress.questions))}%` }} />
          </div>
        </div>
      ) : null}
      <Survey model={model} />
      <div className="hp" aria-hidden="true">
        <label>
          网址（请勿填写）
          <input ref={honeypot} type="text" name="website" tabIndex={-1} autoComplete="off" />
        </label>
      </div>
      <div className="submit-status" role="status" aria-live="polite">
        {status.kind === "preview" ? <p className="submit-status__sending">这是预览，答卷不会保存。</p> : null}
        {status.kind === "sending" ? <p className="submit-status__sending">{status.message}</p> : null}
        {status.kind === "failed" ? (
          <div className="submit-status__failed">
            <p>{status.message}</p>
            {status.canRetry ? (
              <button type="button" className="button" onClick={() => submit()}>
                重新提交
              </button>
            ) : null}
            {status.reload ? (
              <button type="button" className="button" onClick={() => window.location.reload()}>
                刷新页面
              </button>
            ) : null}
          </div>
        ) : null}
      </div>
    </div>
  );
}
