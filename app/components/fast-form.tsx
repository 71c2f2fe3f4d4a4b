/**
 * The questionnaire as a native HTML form, rendered on the server and never hydrated: radio
 * buttons inside large labels, real <fieldset>/<legend>, one scroll. It works with JavaScript
 * disabled (the browser's own `required` check, a plain POST, the server re-rendering it with
 * errors); the small inline script (fast-survey.ts) only adds draft saving, progress, a
 * resilient submit and large text — it never re-renders what a parent has tapped.
 */
import type { FormQuestionView } from "../survey/form";
import { FORM_FIELDS } from "../survey/form";

export interface FastFormProps {
  /** Where the form posts without JavaScript (the page itself). */
  action: string;
  /** Where the script posts (JSON answers come back), and where it goes after success. */
  apiUrl: string;
  doneUrl: string;
  questions: FormQuestionView[];
  version: number;
  idempotencyKey: string;
  started: string;
  honeypot?: string;
  /** A message above the form (after a refused submission). */
  message: string | null;
  /** The child ordinal (decision 0027); carried as `_child` only above 1. */
  child?: number;
}

function Question({ q }: { q: FormQuestionView }) {
  const errorId = `e-${q.name}`;
  const descId = `d-${q.name}`;
  const describedBy = [q.description ? descId : null, q.error ? errorId : null].filter(Boolean).join(" ") || undefined;
  return (
    <fieldset
      className={`q${q.error ? " q--error" : ""}`}
      id={`q-${q.name}`}
      data-q={q.name}
      data-required={q.required ? "1" : undefined}
      aria-describedby={describedBy}
    >
      <legend className="q__title">
        <span className="q__n">{q.number}.</span>
        {q.title}
        {q.required ? (
          <>
            <span className="q__req" aria-hidden="true">
              *
            </span>
            <span className="sr">（必答）</span>
          </>
        ) : (
          <span className="q__opt">（选答）</span>
        )}
      </legend>
      {q.description ? (
        <p className="q__desc" id={descId}>
          {q.description}
        </p>
      ) : null}
      {/* Under the title, not after the options: a long question's end is off the screen. */}
      {q.error ? (
        <p className="q__err" id={errorId} role="alert">
          {q.error}
        </p>
      ) : null}
      {q.kind === "choice" ? (
        // One column at every width and text size: two columns broke 比较满意 mid-word at 320 px
        // in 大字 or with the phone's font at 130% (issue 16 item 5).
        <div className="q__opts">
          {q.choices.map((c) => (
            <label className="opt" key={c.value}>
              <input type="radio" name={q.name} value={c.value} defaultChecked={c.checked} required={q.required} />
              <span>{c.text}</span>
            </label>
          ))}
        </div>
      ) : q.multiline ? (
        <textarea
          className="q__text"
          name={q.name}
          rows={4}
          maxLength={q.maxLength ?? undefined}
          placeholder={q.placeholder ?? undefined}
          required={q.required}
          defaultValue={q.text}
          aria-label={q.title}
        />
      ) : (
        <input
          className="q__text"
          type="text"
          name={q.name}
          maxLength={q.maxLength ?? undefined}
          placeholder={q.placeholder ?? undefined}
          required={q.required}
          defaultValue={q.text}
          aria-label={q.title}
        />
      )}
    </fieldset>
  );
}

export function FastForm(props: FastFormProps) {
  const required = props.questions.filter((q) => q.required).length;
  return (
    <form
      className="fast-form"
      method="post"
      action={props.action}
      id="survey-form"
      data-api={props.apiUrl}
      data-done={props.doneUrl}
      data-total={props.questions.length}
      data-required={required}
    >
      {props.message ? (
        <div className="form-message" role="alert" id="form-message" tabIndex={-1}>
          {props.message}
        </div>
      ) : null}
      <input type="hidden" name={FORM_FIELDS.version} value={props.version} />
      <input type="hidden" name={FORM_FIELDS.key} value={props.idempotencyKey} />
      <input type="hidden" name={FORM_FIELDS.started} value={props.started} />
      {props.child !== undefined && props.child > 1 ? <input type="hidden" name={FORM_FIELDS.child} value={props.child} /> : null}
      <div className="hp" aria-hidden="true">
        <label>
          网址（请勿填写）
          <input type="text" name={FORM_FIELDS.honeypot} tabIndex={-1} autoComplete="off" defaultValue={props.honeypot ?? ""} />
        </label>
      </div>
      {props.questions.map((q) => (
        <Question key={q.name} q={q} />
      ))}
      <div className="submit-row">
        <p className="submit-status" id="submit-status" role="status" aria-live="polite" />
        <button type="submit" className="button button--submit">
          提交问卷
        </button>
      </div>
    </form>
  );
}
