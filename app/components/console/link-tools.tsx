/**
 * One survey link as an officer or a school contact hands it out: a tappable link, 复制链接,
 * 下载二维码 (a PNG for the class WeChat group) and 复制通知 (the ready-to-paste text built on
 * the server). Copying uses the Clipboard API where the page is a secure context and falls
 * back to select + execCommand("copy") for old WebViews (and http consoles, where
 * navigator.clipboard is missing); when both fail the text is shown selected, to long-press.
 */
import { useEffect, useRef, useState } from "react";

export interface LinkToolsLink {
  questionnaire: string;
  audience: string;
  url: string;
  qrPath: string;
  notice: string;
}

async function copyText(text: string): Promise<boolean> {
  try {
    if (window.isSecureContext && navigator.clipboard) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    // Permission refused or no user gesture in this WebView: try the old way.
  }
  const area = document.createElement("textarea");
  area.value = text;
  area.setAttribute("readonly", "");
  area.style.position = "fixed";
  area.style.top = "0";
  area.style.opacity = "0";
  document.body.appendChild(area);
  area.select();
  area.setSelectionRange(0, text.length);
  let ok = false;
  try {
    ok = document.execCommand("copy");
  } catch {
    ok = false;
  }
  area.remove();
  return ok;
}

type CopyState = "idle" | "copied" | "failed";

export function CopyButton({ text, label, testId, primary = false }: { text: string; label: string; testId: string; primary?: boolean }) {
  const [state, setState] = useState<CopyState>("idle");
  const manual = useRef<HTMLTextAreaElement>(null);
  useEffect(() => {
    if (state === "failed") manual.current?.select();
    if (state !== "copied") return;
    const t = setTimeout(() => setState("idle"), 2500);
    return () => clearTimeout(t);
  }, [state]);
  return (
    <>
      <button
        type="button"
        className={`c-button c-button--small${primary ? " c-button--primary" : ""}`}
        data-testid={testId}
        onClick={() => void copyText(text).then((ok) => setState(ok ? "copied" : "failed"))}
      >
        {state === "copied" ? "已复制" : label}
      </button>
      <span className="c-sr" aria-live="polite">
        {state === "copied" ? `${label}：已复制` : ""}
      </span>
      {state === "failed" ? (
        <span className="c-link-tools__manual">
          <span>无法自动复制，请选中下面的文字后复制（手机上长按文字）：</span>
          <textarea ref={manual} readOnly value={text} rows={Math.min(8, Math.max(3, text.split("\n").length + 1))} />
        </span>
      ) : null}
    </>
  );
}

/**
 * `lazyNotice`: the 通知 text enters the page only when 查看通知文字 is opened (the kits page of a
 * city lists hundreds of schools; the text is in the loader data for the copy button anyway).
 */
export function LinkTools({ link, fileHint, lazyNotice = false }: { link: LinkToolsLink; fileHint: string; lazyNotice?: boolean }) {
  const [noticeOpen, setNoticeOpen] = useState(false);
  return (
    <div className="c-link-tools" data-testid="link-tools">
      <div className="c-link-tools__head">
        <strong>{link.questionnaire}</strong>
        <span className="c-muted">（{link.audience}）</span>
      </div>
      <a className="c-link-tools__url c-mono" href={link.url} target="_blank" rel="noreferrer">
        {link.url}
      </a>
      <div className="c-link-tools__actions">
        <CopyButton text={link.notice} label="复制通知" testId="copy-notice" primary />
        <CopyButton text={link.url} label="复制链接" testId="copy-link" />
        <a className="c-button c-button--small" href={link.qrPath} download={fileHint} data-testid="download-qr">
          下载二维码
        </a>
        <a
          className="c-link-tools__view"
          href={`${link.qrPath}${link.qrPath.includes("?") ? "&" : "?"}view=1`}
          target="_blank"
          rel="noreferrer"
          data-testid="view-qr"
        >
          打开图片
        </a>
      </div>
      <details className="c-link-tools__notice" onToggle={(ev) => setNoticeOpen(ev.currentTarget.open)}>
        <summary>查看通知文字</summary>
        {!lazyNotice || noticeOpen ? <pre>{link.notice}</pre> : null}
      </details>
    </div>
  );
}
