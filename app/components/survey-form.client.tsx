/**
 * The questionnaire in the browser: SurveyJS (survey-react-ui) with the answers in progress
 * kept on the device, and a submission that survives a flaky network.
 *
 * - Draft: every change is written to localStorage with the page number, the signed start time
 *   and the idempotency key, and restored on reload (a definition version change discards it).
 * - Submit: POST JSON to /s/<token>/submit. Network errors, 5xx and 429 are retried with
 *   backoff (429 honours Retry-After), always with the same idempotency key, so a retry can
 *   never store a second response. On success the draft is cleared and the thank-you page shown.
 * - Preview (the console's, `preview`): the same rendering, no draft on the device, and
 *   completing only says that nothing is stored.
 */
import { useEffect, useMemo, useRef, useState } from "react";
import { Model } from "survey-core";
import "survey-core/i18n/simplified-chinese";
import { Survey } from "survey-react-ui";
import { registerSurveyProperties } from "../survey/register";

interface Props {
  token: string;
  definition: string;
  variables: Readonly<Record<string, string | number>>;
  version: number;
  started: string;
  supervised: boolean;
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
  | { kind: "idle" }
  | { kind: "preview" }
  | { kind: "sending"; attempt: number; note: string | null }
  | { kind: "failed"; message: string; canRetry: boolean; reload: boolean };

const MAX_ATTEMPTS = 6;

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
const REQUEST_TIMEOUT_MS = 20_000;

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

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => window.setTimeout(resolve, ms));
}

interface ServerReply {
  ok?: boolean;
  error?: string;
  message?: string;
}

async function postOnce(url: string, body: string): Promise<{ status: number; reply: ServerReply; retryAfter: number | null }> {
  const controller = typeof AbortController === "function" ? new AbortController() : null;
  const timer = controller ? window.setTimeout(() => controller.abort(), REQUEST_TIMEOUT_MS) : 0;
  try {
    const res = await fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body,
      credentials: "same-origin",
      signal: controller ? controller.signal : undefined,
    });
    let reply: ServerReply = {};
    try {
      const parsed: unknown = await res.json();
      if (isRecord(parsed)) {
        reply = {
          ok: parsed.ok === true,
          error: typeof parsed.error === "string" ? parsed.error : undefined,
          message: typeof parsed.message === "string" ? parsed.message : undefined,
        };
      }
    } catch {
      reply = {};
    }
    const retryAfter = Number(res.headers.get("Retry-After"));
    return { status: res.status, reply, retryAfter: Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : null };
  } finally {
    if (controller) window.clearTimeout(timer);
  }
}

export function SurveyForm(props: Props) {
  const { token, version } = props;
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
    const saved = props.preview ? null : readDraft(token, version);
    // A draft keeps its start token and is renewed with the one this page load carries
    // ("<draft>~<page>", app/.server/started-token.ts); one the server refused gets the fresh one.
    const first = saved?.started.split("~")[0] ?? "";
    const renewed = first === "" || first === props.started ? props.started : `${first}~${props.started}`;
    const draft: Draft = saved ? { ...saved, started: renewed } : {
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
    if (!props.preview) writeDraft(token, draft);
    return m;
    // The model is created once per page load; props do not change while it lives.
  }, []);

  useEffect(() => {
    const save = () => {
      const current = draftRef.current;
      if (!current) return;
      const next: Draft = { ...current, data: model.data, page: model.currentPageNo, savedAt: Date.now() };
      draftRef.current = next;
      if (!props.preview) writeDraft(token, next);
      setProgress(progressOf(model));
    };
    setProgress(progressOf(model));
    const toTop = () => {
      window.scrollTo(0, 0);
      props.onPageChange?.(model.currentPageNo);
    };
    props.onPageChange?.(model.currentPageNo);
    let sending = false;
    const onCompleting = (_sender: Model, options: { allow: boolean }) => {
      // Never let SurveyJS complete by itself: the thank-you page comes after the server says so.
      options.allow = false;
      if (!sending) {
        sending = true;
        void submit().finally(() => {
          sending = false;
        });
      }
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
  }, [model]);

  async function submit(): Promise<void> {
    const draft = draftRef.current;
    if (!draft) return;
    if (props.preview) {
      setStatus({ kind: "preview" });
      return;
    }
    const body = JSON.stringify({
      version,
      idempotencyKey: draft.key,
      started: draft.started,
      answers: model.data,
      website: honeypot.current ? honeypot.current.value : "",
    });
    const url = `/s/${token}/submit`;
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      setStatus({ kind: "sending", attempt, note: attempt > 1 ? `网络不稳定，正在第${attempt}次尝试提交…` : null });
      let waitMs = Math.min(15_000, 1000 * 2 ** (attempt - 1));
      try {
        const { status, reply, retryAfter } = await postOnce(url, body);
        if (status === 200 || (status === 409 && reply.error === "already_submitted")) {
          clearDraft(token);
          window.location.replace(`/s/${token}/done`);
          return;
        }
        if (status === 429) {
          waitMs = (retryAfter ?? 10) * 1000;
        } else if (status < 500) {
          const message = reply.message ?? "提交未成功，请刷新页面后重试。";
          if (reply.error === "version_mismatch") clearDraft(token);
          if (reply.error === "started_invalid") {
            // Keep the answers; the reloaded page hands out a fresh start time.
            writeDraft(token, { ...draft, started: "", data: model.data, page: model.currentPageNo });
          }
          const reload = reply.error === "version_mismatch" || reply.error === "started_invalid" || reply.error === "no_device";
          setStatus({ kind: "failed", message, canRetry: false, reload });
          return;
        }
      } catch {
        // Network error or timeout: retried below with the same idempotency key.
      }
      if (attempt < MAX_ATTEMPTS) await sleep(waitMs);
    }
    setStatus({
      kind: "failed",
      message: "网络连接不稳定，提交没有成功。您的答案已保存在本机，请到信号好的地方再点“重新提交”。",
      canRetry: true,
      reload: false,
    });
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
        {status.kind === "sending" ? <p className="submit-status__sending">{status.note ?? "正在提交，请稍候…"}</p> : null}
        {status.kind === "failed" ? (
          <div className="submit-status__failed">
            <p>{status.message}</p>
            {status.canRetry ? (
              <button type="button" className="button" onClick={() => void submit()}>
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
