/**
 * 复制提醒: one tap puts a school's reminder on the clipboard for its group chat. The async
 * Clipboard API needs a secure context (https or localhost); on plain http inside a bureau's
 * network, and on older phone browsers, it is missing or refuses, so the fallback selects a
 * read-only textarea holding the text (off screen) and runs `document.execCommand("copy")`. When
 * both fail the text is shown selected, to copy by hand.
 */
import { useEffect, useRef, useState } from "react";

type State = "idle" | "copied" | "manual";

/** The fallback: a read-only textarea off screen, selected, copied, removed (the focus goes back). */
function copyBySelection(text: string): boolean {
  const area = document.createElement("textarea");
  area.value = text;
  area.readOnly = true;
  area.setAttribute("aria-hidden", "true");
  area.style.position = "fixed";
  area.style.top = "0";
  area.style.left = "-9999px";
  area.style.fontSize = "16px"; // iOS zooms into smaller text on focus
  const back = document.activeElement instanceof HTMLElement ? document.activeElement : null;
  document.body.appendChild(area);
  try {
    area.focus();
    area.select();
    area.setSelectionRange(0, text.length);
    return document.execCommand("copy");
  } catch {
    return false;
  } finally {
    area.remove();
    back?.focus();
  }
}

/** Clipboard API first, the selection otherwise; true when the text is on the clipboard. */
export async function copyText(text: string): Promise<boolean> {
  if (typeof navigator !== "undefined" && navigator.clipboard && window.isSecureContext) {
    try {
      await navigator.clipboard.writeText(text);
      return true;
    } catch {
      // Refused (permission, page not focused): try the selection.
    }
  }
  return copyBySelection(text);
}

export function CopyReminder({ text, schoolName }: { text: string; schoolName: string }) {
  const area = useRef<HTMLTextAreaElement>(null);
  const [state, setState] = useState<State>("idle");
  const [shown, setShown] = useState(false);
  // Nothing copied: show the text selected, to copy by hand.
  useEffect(() => {
    if (state === "manual" && shown) area.current?.select();
  }, [state, shown]);
  return (
    <div className="c-copy">
      <button
        type="button"
        className="c-button c-button--small"
        aria-label={`复制${schoolName}的催收提醒`}
        data-testid="copy-reminder"
        onClick={() => {
          void copyText(text).then((ok) => {
            setState(ok ? "copied" : "manual");
            if (!ok) setShown(true);
          });
        }}
      >
        {state === "copied" ? "已复制 ✓" : "复制提醒"}
      </button>
      <button type="button" className="c-linkbutton" onClick={() => setShown((v) => !v)} aria-expanded={shown}>
        {shown ? "收起提醒" : "查看提醒"}
      </button>
      <span className="c-copy__status" role="status" aria-live="polite">
        {state === "copied" ? "已复制，可粘贴到学校群" : state === "manual" ? "未能自动复制，请长按下方文字全选后复制" : ""}
      </span>
      {shown ? (
        <textarea
          ref={area}
          className="c-copy__text"
          readOnly
          value={text}
          rows={Math.min(10, text.split("\n").length + 1)}
          aria-label={`${schoolName}的催收提醒`}
        />
      ) : null}
    </div>
  );
}
