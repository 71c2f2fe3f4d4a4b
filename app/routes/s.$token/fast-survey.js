/*
 * The fast survey page's only script (inlined, ~2 KB gzip). Progressive enhancement of a form
 * that works without it: keeps answers in progress on the device, shows progress, submits with
 * retries under one idempotency key, and toggles large text. It never re-renders the form and
 * never overwrites an answer already given: a draft is restored only into unanswered questions.
 * Plain ES5, for the old WebViews still in parents' hands.
 */
(function () {
  // Start in a task of its own, after the browser has had the chance to handle a first tap.
  setTimeout(init, 0);
  function init() {
  var form = document.getElementById("survey-form");
  if (!form || !document.querySelectorAll) return;
  var page = document.querySelector(".fast");
  var status = document.getElementById("submit-status");
  var dock = document.getElementById("progress-dock");
  var KEY = "yz:form:" + location.pathname;
  var storage = null;
  try {
    storage = window.localStorage;
    storage.setItem("yz:probe", "1");
    storage.removeItem("yz:probe");
  } catch (e) {
    storage = null;
  }
  function field(name) {
    return form.elements[name];
  }
  function questions() {
    return form.querySelectorAll("fieldset[data-q]");
  }
  function answerOf(fs) {
    var inputs = fs.querySelectorAll("input[type=radio]");
    for (var i = 0; i < inputs.length; i++) if (inputs[i].checked) return inputs[i].value;
    var text = fs.querySelector("textarea, input[type=text]");
    return text && text.value !== "" ? text.value : null;
  }
  function collect() {
    var answers = {};
    var qs = questions();
    for (var i = 0; i < qs.length; i++) {
      var a = answerOf(qs[i]);
      if (a !== null) answers[qs[i].getAttribute("data-q")] = a;
    }
    return answers;
  }
  function save() {
    if (!storage) return;
    try {
      storage.setItem(KEY, JSON.stringify({ v: 1, version: field("_v").value, key: field("_key").value, started: field("_started").value, answers: collect(), savedAt: Date.now() }));
    } catch (e) {}
  }
  function restore() {
    if (!storage) return;
    var draft = null;
    try {
      draft = JSON.parse(storage.getItem(KEY) || "null");
    } catch (e) {}
    if (!draft || draft.v !== 1 || draft.version !== field("_v").value) return;
    if (draft.key) field("_key").value = draft.key;
    // Keep the draft's start token (the real start) and renew it with this page's fresh one:
    // "<draft>~<page>" (app/.server/started-token.ts, renewStarted).
    var fresh = field("_started").value;
    var first = draft.started ? String(draft.started).split("~")[0] : "";
    if (first && first !== fresh) field("_started").value = fresh ? first + "~" + fresh : first;
    var qs = questions();
    for (var i = 0; i < qs.length; i++) {
      var name = qs[i].getAttribute("data-q");
      var saved = draft.answers && draft.answers[name];
      if (saved === undefined || answerOf(qs[i]) !== null) continue; // never overwrite a tap
      var radios = qs[i].querySelectorAll("input[type=radio]");
      for (var j = 0; j < radios.length; j++) if (radios[j].value === saved) radios[j].checked = true;
      var text = qs[i].querySelector("textarea, input[type=text]");
      if (text && !radios.length) text.value = saved;
    }
  }
  function progress() {
    if (!dock) return;
    var qs = questions();
    var done = 0;
    for (var i = 0; i < qs.length; i++) if (answerOf(qs[i]) !== null) done++;
    dock.hidden = false;
    dock.querySelector(".progress__text").textContent = "已答 " + done + "/" + qs.length + " 题";
    dock.querySelector(".progress__fill").style.width = Math.round((100 * done) / Math.max(1, qs.length)) + "%";
  }
  function say(text, isError) {
    status.textContent = text;
    status.className = "submit-status" + (isError ? " is-error" : "");
  }
  function markErrors(problems) {
    var first = null;
    for (var i = 0; i < problems.length; i++) {
      var fs = problems[i].question && document.getElementById("q-" + problems[i].question);
      if (!fs) continue;
      fs.className = "q q--error";
      var p = fs.querySelector(".q__err");
      if (!p) {
        p = document.createElement("p");
        p.className = "q__err";
        p.setAttribute("role", "alert");
        fs.appendChild(p);
      }
      p.textContent = problems[i].message;
      if (!first) first = fs;
    }
    if (first) {
      first.scrollIntoView();
      var input = first.querySelector("input, textarea");
      if (input) input.focus();
    }
  }
  function clearError(fs) {
    if (fs.className.indexOf("q--error") < 0) return;
    fs.className = "q";
    var p = fs.querySelector(".q__err");
    if (p) p.parentNode.removeChild(p);
  }
  function encode() {
    var parts = [];
    for (var i = 0; i < form.elements.length; i++) {
      var el = form.elements[i];
      if (!el.name || el.disabled || ((el.type === "radio" || el.type === "checkbox") && !el.checked)) continue;
      if (el.type === "submit") continue;
      parts.push(encodeURIComponent(el.name) + "=" + encodeURIComponent(el.value));
    }
    return parts.join("&");
  }
  function send(attempt) {
    var body = encode();
    say(attempt > 1 ? "网络不稳定，正在第" + attempt + "次尝试提交…" : "正在提交，请稍候…", false);
    return fetch(form.getAttribute("data-api"), {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: body,
    }).then(function (res) {
      return res.json().then(
        function (reply) { return { status: res.status, reply: reply || {}, retryAfter: Number(res.headers.get("Retry-After")) }; },
        function () { return { status: res.status, reply: {}, retryAfter: 0 }; }
      );
    });
  }
  var sending = false;
  function submit(attempt) {
    sending = true;
    send(attempt).then(
      function (r) {
        if (r.status === 200 || (r.status === 409 && r.reply.error === "already_submitted")) {
          if (storage) storage.removeItem(KEY);
          location.replace(form.getAttribute("data-done"));
          return;
        }
        // 408: the body arrived too slowly (a weak link); the same key is simply sent again.
        if (r.status === 408 || r.status === 429 || r.status >= 500) return retry(attempt, r.status === 429 ? (r.retryAfter || 10) * 1000 : 0);
        sending = false;
        if (r.reply.error === "version_mismatch" && storage) storage.removeItem(KEY);
        if (r.reply.error === "started_invalid") field("_started").value = "";
        save();
        say(r.reply.message || "提交未成功，请检查后重试。", true);
        if (r.reply.problems) markErrors(r.reply.problems);
      },
      function () {
        retry(attempt, 0);
      }
    );
  }
  function retry(attempt, wait) {
    if (attempt >= 6) {
      sending = false;
      say("网络连接不稳定，提交没有成功。您的答案已保存在本机，请到信号好的地方再点“提交问卷”。", true);
      return;
    }
    setTimeout(function () { submit(attempt + 1); }, wait || Math.min(15000, 1000 * Math.pow(2, attempt - 1)));
  }
  form.addEventListener("change", function (e) {
    var fs = e.target && e.target.closest ? e.target.closest("fieldset[data-q]") : null;
    if (fs) clearError(fs);
    save();
    progress();
  });
  form.addEventListener("input", function () {
    save();
    progress();
  });
  form.addEventListener("submit", function (e) {
    if (!window.fetch) return; // the plain form post still works
    e.preventDefault();
    if (sending) return;
    var missing = [];
    var qs = questions();
    for (var i = 0; i < qs.length; i++) {
      if (qs[i].getAttribute("data-required") && answerOf(qs[i]) === null) {
        missing.push({ question: qs[i].getAttribute("data-q"), message: "请选择一项（不清楚可选“不了解”）" });
      }
    }
    if (missing.length) {
      say("还有 " + missing.length + " 题未作答，请补全后再提交。", true);
      markErrors(missing);
      return;
    }
    submit(1);
  });
  form.noValidate = true;
  var toggle = document.getElementById("text-size");
  function applyLarge(on) {
    if (!page) return;
    page.className = on ? "fast large" : "fast";
    if (toggle) toggle.textContent = on ? "标准字" : "大字";
  }
  if (storage && storage.getItem("yz:large") === "1") applyLarge(true);
  if (toggle) {
    toggle.addEventListener("click", function (e) {
      e.preventDefault();
      var on = !page || page.className.indexOf("large") < 0;
      applyLarge(on);
      if (storage) storage.setItem("yz:large", on ? "1" : "0");
    });
  }
  restore();
  save();
  progress();
  }
})();
