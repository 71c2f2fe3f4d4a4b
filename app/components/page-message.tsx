/**
 * A whole-page message in plain Chinese: errors, closed links, thank-you pages. Server-rendered
 * and readable without JavaScript.
 */
import type { ReactNode } from "react";
import { AUDIENCE_WORDS, audienceOf } from "../domain/audience";
import type { OtherChildOffer } from "../domain/children";
import { OtherChild } from "./other-child";
import type { PageHeader } from "../domain/page-header";

export function PageMessage(props: { tone: "success" | "info" | "warning" | "error"; title: string; message: string; children?: ReactNode }) {
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

/**
 * What a device that has answered a link sees when it opens the link again, in its audience's
 * words; a parent is offered the questionnaire for another child at the same school instead of
 * a dead end (decision 0027).
 */
export function AlreadySubmitted({ header, token, otherChild }: { header: PageHeader; token: string; otherChild: OtherChildOffer }) {
  const words = AUDIENCE_WORDS[audienceOf(header)];
  return (
    <PageMessage tone="success" title="已提交" message={words.alreadyMessage}>
      <OtherChild token={token} offer={otherChild} />
      {words.alreadyHint ? <p className="page-message__hint">{words.alreadyHint}</p> : null}
    </PageMessage>
  );
}
