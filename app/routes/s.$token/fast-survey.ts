/*
 * The fast survey page's only script, inlined (about 2 KB gzip; scripts/lib/inline-script.ts
 * compiles it for Chrome 61 / Safari 12). Progressive enhancement of a form that works without it:
 * keeps answers in progress on the device, shows progress, submits under one idempotency key with
 * the shared protocol (app/survey/submit-protocol.ts: every attempt has a deadline, retrying never
 * stops while the page is open, the `online` event resumes it), and toggles large text. It never
 * re-renders the form and never overwrites an answer already given: a draft is restored only into
 * unanswered questions.
 *
 * The draft is kept twice (decision 0018): in localStorage, and — because WeChat's in-app browser
 * drops storage and cookies when a parent switches away — in the page's own address, as a
 * fragment written with history.replaceState: `#yz1.<version>.<choices>.<start token>`, one
 * character per question (the chosen option's index in base 36, "-" unanswered). A fragment never
 * reaches the server; free text is never put in it (it could carry a name and would travel with a
 * forwarded link), nor the idempotency key (a forwarded link would make the recipient's submission
 * look like the sender's replay). A restored draft is announced with a way to clear it.
 */
import { createSubmitter, type SubmitReply, type SubmitState } from "../../survey/submit-protocol";
import { missingLine, progressOf, requiredMessage, scrollToClear } from "./fast-survey-logic";

interface Draft {
  v: 1;
  version: string;
  key: string;
  started: string;
  answers: Record<string, string>;
  savedAt: number;
}

// Start in a task of its own, after the browser has had the chance to handle a first tap.
setTimeout(init, 0);

function init(): void {
  const found = document.getElementById("survey-form");
  if (!(found instanceof HTMLFormElement) || !document.querySelectorAll) return;
  const form: HTMLFormElement = found;
  const page = document.querySelector<HTMLElement>(".fast");
  const status = document.getElementById("submit-status");
  const dock = document.getElementById("progress-dock");
  const scroller = document.getElementById("fast-scroll");
  let storage: Storage | null = null;
  try {
    storage = window.localStorage;
    storage.setItem("yz:probe", "1");
    storage.removeItem("yz:probe");
  } catch {
    storage = null;
  }
  const field = (name: string): HTMLInputElement | null => {
    const el = form.elements.namedItem(name);
    return el instanceof HTMLInputElement ? el : null;
  };
  const value = (name: string): string => field(name)?.value ?? "";
  const setValue = (name: string, v: string) => {
    const el = field(name);
    if (el) el.value = v;
  };
  // Each child's draft, and so its idempotency key, is its own (decision 0027): a second child's
  // answers under the first one's key would be taken by the server for a replay and not stored.
  const child = value("_child");
  const KEY = "yz:form:" + location.pathname + (child && child !== "1" ? "~child" + child : "");
  const questions = () => form.querySelectorAll<HTMLFieldSetElement>("fieldset[data-q]");
  const FRAGMENT = "yz1";
  const nameOf = (fs: Element) => fs.getAttribute("data-q") ?? "";

  function answerOf(fs: Element): string | null {
    const inputs = fs.querySelectorAll<HTMLInputElement>("input[type=radio]");
    for (let i = 0; i < inputs.length; i++) if (inputs[i]!.checked) return inputs[i]!.value;
    const text = fs.querySelector<HTMLInputElement | HTMLTextAreaElement>("textarea, input[type=text]");
    return text && text.value !== "" ? text.value : null;
  }
  function collect(): Record<string, string> {
    const answers: Record<string, string> = {};
    const qs = questions();
    for (let i = 0; i < qs.length; i++) {
      const a = answerOf(qs[i]!);
      if (a !== null) answers[nameOf(qs[i]!)] = a;
    }
    return answers;
  }
  /** The choices as the fragment carries them: one character per question. */
  function choicesCode(): string {
    const qs = questions();
    let code = "";
    for (let i = 0; i < qs.length; i++) {
      const radios = qs[i]!.querySelectorAll<HTMLInputElement>("input[type=radio]");
      let c = "-";
      for (let j = 0; j < radios.length && j < 36; j++) if (radios[j]!.checked) c = j.toString(36);
      code += c;
    }
    return code;
  }
  function writeFragment(): void {
    if (!window.history || !history.replaceState) return;
    const code = choicesCode();
    const hash = /[^-]/.test(code) ? "#" + [FRAGMENT, value("_v"), code, value("_started")].join(".") : "";
    if (location.hash === hash || (!hash && !location.hash)) return;
    try {
      history.replaceState(history.state, "", location.pathname + location.search + hash);
    } catch {
      // An address that cannot be rewritten only loses this copy of the draft.
    }
  }
  /** The draft in the address, if it is this questionnaire version's: choices and start token. */
  function readFragment(): { choices: string; started: string } | null {
    const parts = location.hash.replace(/^#/, "").split(".");
    if (parts[0] !== FRAGMENT || parts[1] !== value("_v") || !parts[2]) return null;
    return { choices: parts[2], started: parts.slice(3).join(".") };
  }
  function save(): void {
    writeFragment();
    if (!storage) return;
    const draft: Draft = { v: 1, version: value("_v"), key: value("_key"), started: value("_started"), answers: collect(), savedAt: Date.now() };
    try {
      storage.setItem(KEY, JSON.stringify(draft));
    } catch {
      // A full or refused storage only loses the draft, never the form.
    }
  }
  function readDraft(): Draft | null {
    if (!storage) return null;
    try {
      const parsed: unknown = JSON.parse(storage.getItem(KEY) || "null");
      if (!parsed || typeof parsed !== "object") return null;
      const d = parsed as Partial<Draft>;
      return d.v === 1 && d.version === value("_v") ? (d as Draft) : null;
    } catch {
      return null;
    }
  }
  /** Puts a draft's start token first and this page's fresh one after it: "<draft>~<page>". */
  function keepStart(started: string): void {
    // Keep the draft's start token (the real start) and renew it with this page's fresh one
    // (app/.server/collect/started-token.ts, renewStarted).
    const fresh = value("_started");
    const first = started ? (String(started).split("~")[0] ?? "") : "";
    if (first && first !== fresh) setValue("_started", fresh ? first + "~" + fresh : first);
  }
  /** Restores the drafts into unanswered questions; returns what it set, to announce and undo. */
  function restore(): Array<HTMLInputElement | HTMLTextAreaElement> {
    const set: Array<HTMLInputElement | HTMLTextAreaElement> = [];
    const draft = readDraft();
    const fragment = readFragment();
    if (draft) {
      if (draft.key) setValue("_key", draft.key);
      keepStart(draft.started);
    } else if (fragment) {
      keepStart(fragment.started);
    }
    const qs = questions();
    for (let i = 0; i < qs.length; i++) {
      const fs = qs[i]!;
      if (answerOf(fs) !== null) continue; // never overwrite a tap
      const radios = fs.querySelectorAll<HTMLInputElement>("input[type=radio]");
      const text = fs.querySelector<HTMLInputElement | HTMLTextAreaElement>("textarea, input[type=text]");
      const saved = draft && draft.answers ? draft.answers[nameOf(fs)] : undefined;
      if (saved !== undefined) {
        for (let j = 0; j < radios.length; j++) {
          if (radios[j]!.value === saved) {
            radios[j]!.checked = true;
            set.push(radios[j]!);
          }
        }
        if (text && !radios.length) {
          text.value = saved;
          set.push(text);
        }
        continue;
      }
      const c = fragment ? fragment.choices.charAt(i) : "";
      const index = c && c !== "-" ? parseInt(c, 36) : -1;
      const radio = index >= 0 ? radios[index] : undefined;
      if (radio) {
        radio.checked = true;
        set.push(radio);
      }
    }
    return set;
  }
  /** Says a draft came back, with a way to start again (a forwarded link carries its sender's choices). */
  function announce(restored: Array<HTMLInputElement | HTMLTextAreaElement>): void {
    if (!restored.length || !form.parentNode) return;
    const box = document.createElement("div");
    box.className = "restored";
    box.setAttribute("role", "status");
    const text = document.createElement("p");
    text.textContent = "已恢复您上次填写的 " + restored.length + " 题答案，请检查后继续作答。";
    const clear = document.createElement("button");
    clear.type = "button";
    clear.className = "restored__clear";
    clear.textContent = "不是我填的，清除重填";
    clear.addEventListener("click", () => {
      for (let i = 0; i < restored.length; i++) {
        const el = restored[i]!;
        if (el instanceof HTMLInputElement) el.checked = false;
        else el.value = "";
      }
      if (storage) storage.removeItem(KEY);
      box.parentNode?.removeChild(box);
      save();
      progress();
    });
    box.appendChild(text);
    box.appendChild(clear);
    form.parentNode.insertBefore(box, form);
  }
  function progress(): void {
    if (!dock) return;
    const qs = questions();
    const states: Array<{ required: boolean; answered: boolean }> = [];
    for (let i = 0; i < qs.length; i++) states.push({ required: !!qs[i]!.getAttribute("data-required"), answered: answerOf(qs[i]!) !== null });
    const p = progressOf(states);
    if (dock.hidden) {
      dock.hidden = false;
      // The page becomes a scrolling area above the bar (form.css), keeping its place.
      if (page && scroller && page.classList) {
        const y = window.pageYOffset || 0;
        document.documentElement.classList.add("docked");
        page.classList.add("docked");
        scroller.scrollTop = y;
      }
    }
    const text = dock.querySelector(".progress__text");
    const fill = dock.querySelector<HTMLElement>(".progress__fill");
    if (text) text.textContent = p.text;
    if (fill) fill.style.width = p.percent + "%";
  }
  /**
   * When a message above 提交问卷 grows, the button must not slide out of sight below the
   * scrolling area, under the bar (issue 16 item 5): scroll just enough to keep it in view.
   */
  function keepClear(el: Element | null): void {
    if (!el || !dock || dock.hidden) return;
    const docked = !!scroller && document.documentElement.className.indexOf("docked") >= 0;
    const bar = dock.getBoundingClientRect();
    const box = el.getBoundingClientRect();
    // Only a button already (partly) on screen is kept there; one far above is left alone.
    if (box.top >= bar.top + bar.height || box.bottom <= 0) return;
    const by = scrollToClear(box.bottom, bar.top);
    if (by <= 0) return;
    if (docked && scroller) scroller.scrollTop += by;
    else window.scrollBy(0, by);
  }
  function say(text: string, isError: boolean): void {
    if (!status) return;
    status.textContent = text;
    status.className = "submit-status" + (isError ? " is-error" : "");
  }
  function markErrors(problems: ReadonlyArray<{ question: string | null; message: string }>): void {
    let first: HTMLElement | null = null;
    for (let i = 0; i < problems.length; i++) {
      const problem = problems[i]!;
      const fs = problem.question ? document.getElementById("q-" + problem.question) : null;
      if (!fs) continue;
      fs.className = "q q--error";
      let p = fs.querySelector(".q__err");
      if (!p) {
        p = document.createElement("p");
        p.className = "q__err";
        p.setAttribute("role", "alert");
        // Under the title, where it is seen when the question is scrolled to (fast-form.tsx).
        const answers = fs.querySelector(".q__opts, .q__text");
        if (answers) fs.insertBefore(p, answers);
        else fs.appendChild(p);
      }
      p.textContent = problem.message;
      if (!first) first = fs;
    }
    if (first) {
      first.scrollIntoView();
      const input = first.querySelector<HTMLElement>("input, textarea");
      if (input) input.focus();
    }
  }
  function clearError(fs: Element): void {
    if (fs.className.indexOf("q--error") < 0) return;
    fs.className = "q";
    const p = fs.querySelector(".q__err");
    if (p && p.parentNode) p.parentNode.removeChild(p);
  }
  function encode(): string {
    const parts: string[] = [];
    for (let i = 0; i < form.elements.length; i++) {
      const el = form.elements[i] as HTMLInputElement;
      if (!el.name || el.disabled || ((el.type === "radio" || el.type === "checkbox") && !el.checked)) continue;
      if (el.type === "submit") continue;
      parts.push(encodeURIComponent(el.name) + "=" + encodeURIComponent(el.value));
    }
    return parts.join("&");
  }
  function post(signal: AbortSignal | null): Promise<SubmitReply> {
    return fetch(form.getAttribute("data-api") ?? "", {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: encode(),
      signal: signal ?? undefined,
    }).then(
      (res) => {
        const retryAfterS = Number(res.headers.get("Retry-After"));
        return res.json().then(
          (reply: unknown): SubmitReply => {
            const r = reply && typeof reply === "object" ? (reply as Partial<SubmitReply>) : {};
            return { status: res.status, error: r.error, message: r.message, problems: r.problems, retryAfterS };
          },
          (): SubmitReply => ({ status: res.status, retryAfterS }),
        );
      },
      (): SubmitReply => ({ status: 0 }),
    );
  }
  function onState(state: SubmitState): void {
    showState(state);
    if (state.kind !== "done" && !(state.kind === "refused" && state.problems.length)) keepClear(form.querySelector(".button--submit"));
  }
  function showState(state: SubmitState): void {
    if (state.kind === "done") {
      if (storage) storage.removeItem(KEY);
      location.replace(form.getAttribute("data-done") ?? location.href);
      return;
    }
    if (state.kind === "sending") say(state.message, false);
    if (state.kind === "waiting") say(state.message, state.offline || state.attempt >= 3);
    if (state.kind === "refused") {
      if (state.error === "version_mismatch" && storage) storage.removeItem(KEY);
      if (state.error === "started_invalid") setValue("_started", "");
      save();
      say(state.message, true);
      if (state.problems.length) {
        markErrors(state.problems);
        // Like the early-提交 line, the server's refusal goes once every question is answered.
        missingShown = true;
      }
    }
  }
  const submitter = createSubmitter({
    post,
    setTimer: (fn, ms) => window.setTimeout(fn, ms),
    clearTimer: (handle) => window.clearTimeout(handle as number),
    isOnline: () => navigator.onLine !== false,
    abortable: () => (typeof AbortController === "function" ? new AbortController() : null),
    onState,
  });
  window.addEventListener("online", () => submitter.online());
  // WeChat freezes timers while a parent is in another app: coming back resumes at once too.
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible" && navigator.onLine !== false) submitter.online();
  });

  function missingQuestions(): Array<{ question: string; message: string }> {
    const missing: Array<{ question: string; message: string }> = [];
    const qs = questions();
    for (let i = 0; i < qs.length; i++) {
      const fs = qs[i]!;
      if (!fs.getAttribute("data-required") || answerOf(fs) !== null) continue;
      // Only point at 不了解 where the question offers it (the grade question does not).
      const labels = fs.querySelectorAll(".opt span");
      const texts: string[] = [];
      for (let j = 0; j < labels.length; j++) texts.push(labels[j]!.textContent ?? "");
      missing.push({ question: nameOf(fs), message: requiredMessage(texts) });
    }
    return missing;
  }
  let missingShown = !!document.getElementById("form-message");
  form.addEventListener("change", (e) => {
    const target = e.target instanceof Element ? e.target : null;
    const fs = target && target.closest ? target.closest("fieldset[data-q]") : null;
    if (fs) clearError(fs);
    // The "还有 N 题未作答" line follows the answers, and goes once all are given.
    if (missingShown) {
      const left = missingQuestions().length;
      if (left === 0) {
        missingShown = false;
        // The no-JavaScript post's message at the top goes with it.
        const top = document.getElementById("form-message");
        if (top && top.parentNode) top.parentNode.removeChild(top);
      }
      say(missingLine(left), left > 0);
    }
    save();
    progress();
  });
  form.addEventListener("input", () => {
    save();
    progress();
  });
  form.addEventListener("submit", (e) => {
    if (!window.fetch) return; // the plain form post still works
    e.preventDefault();
    const missing = missingQuestions();
    if (missing.length) {
      missingShown = true;
      say(missingLine(missing.length), true);
      markErrors(missing);
      return;
    }
    missingShown = false;
    submitter.submit();
  });
  // Only where the script submits: without fetch the browser's own required checks stay on.
  if (typeof window.fetch === "function") form.noValidate = true;
  const toggle = document.getElementById("text-size");
  function applyLarge(on: boolean): void {
    if (!page) return;
    // Only the large class changes: survey-page and docked stay.
    page.className = page.className.replace(/\s*\blarge\b/g, "") + (on ? " large" : "");
    if (toggle) toggle.textContent = on ? "标准字" : "大字";
  }
  if (storage && storage.getItem("yz:large") === "1") applyLarge(true);
  if (toggle) {
    toggle.addEventListener("click", (e) => {
      e.preventDefault();
      const on = !page || page.className.indexOf("large") < 0;
      applyLarge(on);
      if (storage) storage.setItem("yz:large", on ? "1" : "0");
    });
  }
  announce(restore());
  save();
  progress();
}
