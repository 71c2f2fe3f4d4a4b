/**
 * A whole-page message in plain Chinese: errors, closed links, thank-you pages. Server-rendered
 * and readable without JavaScript.
 */
import type { ReactNode } from "react";

export function PageMessage(props: {
  tone: "success" | "info" | "warning" | "error";
  title: string;
  message: string;
  children?: ReactNode;
}) {
  const icon = { success: "✓", info: "i", warning: "!", error: "!" }[props.tone];
  return (
    <main className="page-message">
      <div className={`page-message__icon page-message__icon--${props.tone}`} aria-hidden="true">
        {icon}
      </div>
      <h1 className="page-message__title">{props.title}</h1>
      <p className="page-message__text">{props.message}</p>
      {props.children}
    </main>
  );
}

/** What a device that has answered a link sees when it opens the link again. */
export function AlreadySubmitted() {
  return (
    <PageMessage
      tone="success"
      title="已提交"
      message="这台设备已经提交过这份问卷，每台设备对同一所学校的同一份问卷只能提交一次。感谢您的参与！"
    >
      <p className="page-message__hint">如果您还有孩子在其他学校就读，请扫描那所学校的二维码作答。</p>
    </PageMessage>
  );
}
