/**
 * Request bodies, methods and origins against the real server process (server/request-guard.ts,
 * docs/decisions/0009-request-guard.md), on SQLite or, with TEST_STORE=postgres, PostgreSQL:
 *
 * - a declared body over its route's cap → 413 in Chinese at once, before sign-in, none read;
 * - chunked bodies of 300 MB, four at once → 413 in Chinese at the cap, connection closed, the
 *   server's resident memory flat, /healthz answering throughout;
 * - bodies that stall or trickle, and headers that never end → 408 in Chinese within seconds,
 *   every socket closed;
 * - PUT, DELETE, PATCH, TRACE, OPTIONS → 405 in Chinese with Allow, nothing stored;
 * - posts from another origin (Origin null or foreign, Sec-Fetch-Site cross-site, a foreign
 *   Referer) to the form, submit, supervise, sign-in (also ?_data=) and sign-out routes → 403 in
 *   Chinese, nothing stored, no session made or ended; same-origin posts pass;
 * - control characters in a comment are removed before storing, on both stores;
 * - the no-JavaScript form's 429 says when to retry (Retry-After).
 *
 * Every attack is followed by a count of stored responses: nothing was written.
 */
import { randomBytes } from "node:crypto";
import type { Kysely } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { demoPassword } from "../../../app/.server/auth/demo-accounts";
import { signLink } from "../../../app/.server/collect/link-token";
import type { Database } from "../../../db/schema";
import type { ServerProcess } from "../../../scripts/lib/server-process";
import { parentAnswers } from "../../support/requests";
import { DATABASE_URL, deviceCookie, PRIMARY_LINKS, sharedStore, startApp, stopApp, submission, type SharedStore } from "../scale/support";
import { rawRequest, readSyscallBytes, residentBytes, watchHealth, watchMemory, type RawAnswer, type RawRequest } from "./support";

const KIND = process.env.TEST_STORE === "postgres" ? "postgres" : "sqlite";
const skip = KIND === "postgres" && !DATABASE_URL;
if (skip) console.warn("Request-body abuse test on PostgreSQL skipped: DATABASE_URL is not set");

const MB = 1024 * 1024;
const SURVEY_CAP = 32 * 1024;
const FORM_CAP = 64 * 1024;
const UPLOAD_CAP = 10 * MB + 64 * 1024;

const TOO_LARGE_SUBMIT = "提交的内容过大，请缩短意见建议后再提交。";
const TOO_LARGE_FORM = "提交的内容过大（超过 64 KB），请缩短后再提交。";
const TOO_LARGE_UPLOAD = "文件超过 10 MB，请检查是否选错了文件。";
const TOO_LARGE_QUESTIONNAIRE = "文件超过 2 MB，请检查是否选错了文件。";
const TIMEOUT = "网络较慢，提交的内容没有在规定时间内收到。";
const CROSS_ORIGIN = "出于安全考虑，本站只接受从本站页面提交的内容。";

describe.skipIf(skip)(`request bodies, methods and origins (${KIND})`, () => {
  let store: SharedStore;
  let server: ServerProcess;
  let db: Kysely<Database>;
  let port = 0;
  let token = "";
  let consoleCookie = "";
  let address = 0;
  const scope = PRIMARY_LINKS[0] ?? PRIMARY_LINKS[1]!;

  /** A client address of its own for each request (TRUST_PROXY=X-Real-IP), so no address limit is reached. */
  const ip = () => {
    address++;
    return `10.${(address >> 16) & 255}.${(address >> 8) & 255}.${address & 255}`;
  };
  const stored = async () =>
    Number(
      (
        await db
          .selectFrom("responses")
          .select((eb) => eb.fn.countAll<number>().as("n"))
          .executeTakeFirstOrThrow()
      ).n,
    );
  /**
   * A submission's fields as the page hands them to the device `cookie` (the signed start time
   * is minted the way the scale tests' `submission` mints it), with `answers`.
   */
  const fieldsFor = (cookie: string, answers: Record<string, unknown>) => {
    const minted: unknown = JSON.parse(submission(store.keys, scope, "", cookie).body);
    const started = typeof minted === "object" && minted !== null && "started" in minted ? String(minted.started) : "";
    return { version: 1, idempotencyKey: randomBytes(16).toString("base64url"), started, answers };
  };
  const submitJson = (cookie: string, answers: Record<string, unknown> = parentAnswers()) => JSON.stringify(fieldsFor(cookie, answers));
  const formBody = (cookie: string, answers: Record<string, unknown> = parentAnswers()) => {
    const f = fieldsFor(cookie, answers);
    const fields = new URLSearchParams({ _v: String(f.version), _key: f.idempotencyKey, _started: f.started });
    for (const [k, v] of Object.entries(answers)) fields.set(k, String(v));
    return fields.toString();
  };
  const send = (request: RawRequest) => rawRequest(port, { ...request, headers: { "X-Real-IP": ip(), ...request.headers } });
  const PHONE = "Mozilla/5.0 (Linux; Android 10) AppleWebKit/537.36 Chrome/107.0 Mobile Safari/537.36";

  beforeAll(async () => {
    store = await sharedStore(KIND);
    server = await startApp(store, { RATE_LIMITS: JSON.stringify({ submitDevice: { limit: 2 } }) });
    port = Number(new URL(server.baseUrl).port);
    db = store.open();
    token = signLink(store.keys, scope);
    const login = await fetch(`${server.baseUrl}/login`, {
      method: "POST",
      redirect: "manual",
      headers: { "Content-Type": "application/x-www-form-urlencoded", "X-Real-IP": "10.99.0.1" },
      body: new URLSearchParams({ username: "demo-city", password: demoPassword(store.keys, "demo-city") }).toString(),
    });
    consoleCookie = (login.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
    expect(consoleCookie).toMatch(/^yz_console=/);
    // Warm the server up, so its memory is measured against a steady state.
    for (let i = 0; i < 20; i++) await (await fetch(`${server.baseUrl}/s/${token}`, { headers: { "User-Agent": PHONE, "X-Real-IP": ip() } })).text();
  }, 120_000);

  afterAll(async () => {
    await db?.destroy();
    if (server) await stopApp(server);
    await store?.dispose();
  });

  function expectRefused(answer: RawAnswer, status: number, message: string) {
    expect(answer.status, answer.text.slice(0, 300)).toBe(status);
    expect(answer.text).toContain(message);
    expect(answer.headers["connection"]).toBe("close");
    expect(answer.closedBy).toBe("server");
  }

  it("refuses a declared body over its route's cap at once, before sign-in, reading none of it", async () => {
    const before = await stored();
    const cookie = deviceCookie(store.keys);
    const cases: Array<{ path: string; declared: number; headers?: Record<string, string>; message: string; json?: boolean }> = [
      { path: "/login", declared: 800 * MB, message: TOO_LARGE_FORM },
      { path: "/login?_data=routes%2Flogin", declared: 800 * MB, message: TOO_LARGE_FORM, json: true },
      { path: "/logout", declared: 800 * MB, message: TOO_LARGE_FORM },
      { path: `/s/${token}`, declared: 400 * MB, headers: { Cookie: cookie, "Content-Type": "application/x-www-form-urlencoded" }, message: TOO_LARGE_SUBMIT },
      {
        path: `/s/${token}/submit`,
        declared: 1200 * MB,
        headers: { Cookie: cookie, "Content-Type": "application/json" },
        message: TOO_LARGE_SUBMIT,
        json: true,
      },
      { path: `/s/${token}/supervise`, declared: 800 * MB, message: TOO_LARGE_SUBMIT },
      { path: "/admin/campaigns/zw2026/evaluation-data", declared: 300 * MB, message: TOO_LARGE_UPLOAD },
      { path: "/admin/campaigns/zw2026/schools-import", declared: UPLOAD_CAP + 1, message: TOO_LARGE_UPLOAD },
      { path: "/admin/questionnaires", declared: 2 * MB + 64 * 1024 + 1, message: TOO_LARGE_QUESTIONNAIRE },
    ];
    const pid = server.child.pid ?? 0;
    const rss = residentBytes(pid);
    const read = readSyscallBytes(pid);
    const answers = await Promise.all(
      cases.map((c) => send({ method: "POST", path: c.path, declared: c.declared, stream: 8 * MB, headers: c.headers, answerFirstMs: 1_000 })),
    );
    for (const [i, answer] of answers.entries()) {
      const c = cases[i]!;
      expectRefused(answer, 413, c.message);
      // Answered on the headers alone: no byte of the body had been sent.
      expect(answer.answeredMs).toBeLessThan(1_000);
      expect(answer.sent).toBeLessThan(8 * MB);
      expect(answer.closedMs).toBeLessThan(2_000);
      if (c.json) expect(answer.headers["content-type"]).toBe("application/json; charset=utf-8");
      else expect(answer.headers["content-type"]).toBe("text/html; charset=utf-8");
    }
    expect(answers[1]?.headers["x-remix-catch"]).toBe("yes");
    expect(JSON.parse(answers[4]?.text ?? "")).toEqual({ ok: false, error: "too_large", message: TOO_LARGE_SUBMIT });
    // 9 × 3.7 MB sat in the sockets' buffers; the server read their headers (and 16 KB at most each).
    const serverRead = readSyscallBytes(pid) - read;
    console.info(
      `declared: sent ${answers.map((a) => (a.sent / MB).toFixed(1)).join(", ")} MB; server read ${serverRead} bytes; ` +
        `RSS ${(rss / MB).toFixed(0)} → ${(residentBytes(pid) / MB).toFixed(0)} MB`,
    );
    expect(serverRead).toBeLessThan(cases.length * 20 * 1024);
    expect(residentBytes(pid) - rss).toBeLessThan(8 * MB);
    expect(await stored()).toBe(before);
  });

  it("takes a body of exactly the cap and refuses one byte more (declared and chunked)", async () => {
    // A new device each time: the device limit is 2 in this server.
    const json = () => ({ Cookie: deviceCookie(store.keys), "Content-Type": "application/json" });
    const atCap = await send({ method: "POST", path: `/s/${token}/submit`, headers: json(), body: "x".repeat(SURVEY_CAP) });
    expect(atCap.status).toBe(400);
    expect(JSON.parse(atCap.text)).toMatchObject({ error: "bad_request" });
    const over = await send({ method: "POST", path: `/s/${token}/submit`, headers: json(), body: "x".repeat(SURVEY_CAP + 1) });
    expectRefused(over, 413, TOO_LARGE_SUBMIT);
    const chunkedAtCap = await send({ method: "POST", path: `/s/${token}/submit`, headers: json(), declared: null, stream: SURVEY_CAP, chunk: 1000 });
    expect(chunkedAtCap.status).toBe(400);
    const chunkedOver = await send({ method: "POST", path: `/s/${token}/submit`, headers: json(), declared: null, stream: SURVEY_CAP + 1, chunk: 1000 });
    expectRefused(chunkedOver, 413, TOO_LARGE_SUBMIT);

    const form = { "Content-Type": "application/x-www-form-urlencoded" };
    const loginAtCap = await send({ method: "POST", path: "/login", headers: form, body: `username=${"a".repeat(FORM_CAP - 9)}` });
    expect(loginAtCap.status).not.toBe(413);
    expect(loginAtCap.status).toBeLessThan(500);
    const loginOver = await send({ method: "POST", path: "/login", headers: form, declared: null, stream: FORM_CAP + 1, chunk: 4096 });
    expectRefused(loginOver, 413, TOO_LARGE_FORM);
  });

  it("cuts four 300 MB chunked bodies off at their caps: memory flat, /healthz answering", async () => {
    const before = await stored();
    const pid = server.child.pid ?? 0;
    const rss = residentBytes(pid);
    const read = readSyscallBytes(pid);
    const memory = watchMemory(pid);
    const health = watchHealth(server.baseUrl);
    const huge = 300 * MB;
    const attacks: Array<{ request: RawRequest; cap: number; message: string }> = [
      {
        request: { method: "POST", path: "/login", declared: null, stream: huge, headers: { "Content-Type": "application/x-www-form-urlencoded" } },
        cap: FORM_CAP,
        message: TOO_LARGE_FORM,
      },
      {
        request: {
          method: "POST",
          path: `/s/${token}`,
          declared: null,
          stream: huge,
          headers: { Cookie: deviceCookie(store.keys), "Content-Type": "application/x-www-form-urlencoded", "User-Agent": PHONE },
        },
        cap: SURVEY_CAP,
        message: TOO_LARGE_SUBMIT,
      },
      {
        request: {
          method: "POST",
          path: `/s/${token}/submit`,
          declared: null,
          stream: huge,
          headers: { Cookie: deviceCookie(store.keys), "Content-Type": "application/json" },
        },
        cap: SURVEY_CAP,
        message: TOO_LARGE_SUBMIT,
      },
      {
        // Signed in: the upload route reads its body, and the cap stops it at 10 MB, not 300.
        request: {
          method: "POST",
          path: "/admin/campaigns/zw2026/evaluation-data",
          declared: null,
          stream: huge,
          headers: { Cookie: consoleCookie, "Content-Type": "multipart/form-data; boundary=----yz" },
        },
        cap: UPLOAD_CAP,
        message: TOO_LARGE_UPLOAD,
      },
    ];
    const answers = await Promise.all(attacks.map((a) => send(a.request)));
    const peak = memory.stop();
    const healthz = await health.stop();
    // The server read up to each cap, not the 1.2 GB on offer (the upload's 10 MB is most of it).
    const serverRead = readSyscallBytes(pid) - read;
    expect(serverRead).toBeLessThan(UPLOAD_CAP + 2 * FORM_CAP + 2 * MB);
    for (const [i, answer] of answers.entries()) {
      const attack = attacks[i]!;
      expectRefused(answer, 413, attack.message);
      // What got out before the close: the cap plus what the two kernels' socket buffers hold.
      expect(answer.sent).toBeLessThan(attack.cap + 16 * MB);
      expect(answer.closedMs).toBeLessThan(10_000);
    }
    console.info(
      `bodies: 4 × 300 MB chunked; sent before close ${answers.map((a) => (a.sent / MB).toFixed(1)).join(", ")} MB; ` +
        `server read ${(serverRead / MB).toFixed(1)} MB; RSS ${(rss / MB).toFixed(0)} → peak ${(peak / MB).toFixed(0)} MB; ` +
        `/healthz slowest ${healthz.slowestMs} ms of ${healthz.answers}`,
    );
    expect(peak - rss).toBeLessThan(64 * MB);
    expect(healthz.failures).toBe(0);
    expect(healthz.answers).toBeGreaterThan(0);
    expect(healthz.slowestMs).toBeLessThan(1_000);
    expect(await stored()).toBe(before);
  });

  it("answers bodies that stall or trickle, and headers that never end, with 408 within seconds and closes every socket", async () => {
    const before = await stored();
    const health = watchHealth(server.baseUrl);
    const form = () => ({ Cookie: deviceCookie(store.keys), "Content-Type": "application/x-www-form-urlencoded", "User-Agent": PHONE });
    // 100 bodies that send a little and stop (idle limit 5 s).
    const stalls = Array.from({ length: 100 }, (_, i) =>
      send({
        method: "POST",
        path: i % 2 === 0 ? `/s/${token}` : `/s/${token}/submit`,
        declared: i % 4 < 2 ? null : 20_000,
        stream: 2_000,
        chunk: 1_000,
        pauseMs: 30_000,
        headers: i % 2 === 0 ? form() : { ...form(), "Content-Type": "application/json" },
        timeoutMs: 25_000,
      }),
    );
    // 20 bodies that keep sending one byte every 2 s (under the idle limit, over the 20 s total).
    const trickles = Array.from({ length: 20 }, () =>
      send({
        method: "POST",
        path: "/login",
        declared: 1_000,
        stream: 1_000,
        chunk: 1,
        pauseMs: 2_000,
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
        timeoutMs: 28_000,
      }),
    );
    // 50 connections whose headers never end (Node's headersTimeout, 10 s).
    const headers = Array.from({ length: 50 }, () => rawHeadersForever(port));
    const [stalled, trickled, headless] = await Promise.all([Promise.all(stalls), Promise.all(trickles), Promise.all(headers)]);
    const healthz = await health.stop();
    for (const answer of stalled) {
      expectRefused(answer, 408, TIMEOUT);
      expect(answer.closedMs).toBeLessThan(8_000);
    }
    expect(JSON.parse(stalled[1]?.text ?? "")).toMatchObject({ ok: false, error: "timeout" });
    for (const answer of trickled) {
      expectRefused(answer, 408, TIMEOUT);
      expect(answer.closedMs).toBeGreaterThan(19_000);
      expect(answer.closedMs).toBeLessThan(24_000);
    }
    for (const answer of headless) {
      expect(answer.status).toBe(408);
      expect(answer.text).toContain("提交超时");
      expect(answer.closedBy).toBe("server");
      expect(answer.closedMs).toBeLessThan(13_000);
    }
    expect(healthz.failures).toBe(0);
    expect(healthz.slowestMs).toBeLessThan(1_000);
    expect(await stored()).toBe(before);
  }, 45_000);

  it("answers 405 in Chinese, with Allow, to every method but GET, HEAD and POST, and stores nothing", async () => {
    const before = await stored();
    const cookie = deviceCookie(store.keys);
    const body = formBody(cookie);
    for (const method of ["PUT", "DELETE", "PATCH", "TRACE", "OPTIONS"]) {
      for (const path of [`/s/${token}`, `/s/${token}/submit`, "/", "/login", "/admin"]) {
        const answer = await send({
          method,
          path,
          body: method === "TRACE" ? undefined : body,
          headers: { Cookie: cookie, "Content-Type": "application/x-www-form-urlencoded", "User-Agent": PHONE },
        });
        expectRefused(answer, 405, `本站不接受 ${method} 请求`);
        expect(answer.headers["allow"]).toBe("GET, HEAD, POST");
      }
    }
    expect(await stored()).toBe(before);
    // The same form, posted: stored once (so the refusals above were of a valid request).
    const posted = await send({
      method: "POST",
      path: `/s/${token}`,
      body,
      headers: { Cookie: cookie, "Content-Type": "application/x-www-form-urlencoded", "User-Agent": PHONE, Origin: server.baseUrl },
    });
    expect(posted.status).toBe(303);
    expect(posted.headers["location"]).toBe(`/s/${token}/done`);
    expect(await stored()).toBe(before + 1);
  });

  it("refuses posts from another origin with a Chinese 403 before the route, and lets our own through", async () => {
    const before = await stored();
    const foreign: Array<Record<string, string>> = [
      { Origin: "null" },
      { Origin: "http://evil.example" },
      { Origin: `http://127.0.0.1:${port + 1}` },
      { Origin: server.baseUrl, "Sec-Fetch-Site": "cross-site" },
      { Referer: "http://evil.example/page" },
    ];
    const credentials = new URLSearchParams({ username: "demo-city", password: demoPassword(store.keys, "demo-city") }).toString();
    const form = { "Content-Type": "application/x-www-form-urlencoded" };
    for (const from of foreign) {
      const cookie = deviceCookie(store.keys);
      const answers = await Promise.all([
        send({ method: "POST", path: `/s/${token}`, body: formBody(cookie), headers: { ...form, Cookie: cookie, "User-Agent": PHONE, ...from } }),
        send({
          method: "POST",
          path: `/s/${token}/submit`,
          body: submitJson(cookie),
          headers: { "Content-Type": "application/json", Cookie: cookie, ...from },
        }),
        send({ method: "POST", path: `/s/${token}/supervise`, body: "code=ABCDEFGH", headers: { ...form, ...from } }),
        send({ method: "POST", path: "/login", body: credentials, headers: { ...form, ...from } }),
        send({ method: "POST", path: "/login?_data=routes%2Flogin", body: credentials, headers: { ...form, ...from } }),
        send({ method: "POST", path: "/logout", body: "", headers: { ...form, Cookie: consoleCookie, ...from } }),
      ]);
      for (const answer of answers) {
        expectRefused(answer, 403, CROSS_ORIGIN);
        expect(answer.headers["set-cookie"]).toBeUndefined();
      }
      expect(JSON.parse(answers[1]?.text ?? "")).toMatchObject({ ok: false, error: "cross_origin" });
      expect(answers[4]?.headers["x-remix-catch"]).toBe("yes");
    }
    expect(await stored()).toBe(before);
    // The forged sign-outs ended nothing.
    const admin = await fetch(`${server.baseUrl}/admin`, { redirect: "manual", headers: { Cookie: consoleCookie, "X-Real-IP": ip() } });
    expect(admin.status).toBe(200);

    // Our own origin: the request's Host, or PUBLIC_URL's origin behind a proxy with another Host.
    const ours: Array<Record<string, string>> = [
      { Origin: server.baseUrl, "Sec-Fetch-Site": "same-origin" },
      { Origin: `http://localhost:${port}`, Host: `localhost:${port}` },
      { Origin: server.baseUrl, Host: "app-1.internal:3000" },
      { Referer: `${server.baseUrl}/s/${token}` },
      {},
    ];
    for (const from of ours) {
      const cookie = deviceCookie(store.keys);
      const answer = await send({
        method: "POST",
        path: `/s/${token}/submit`,
        body: submitJson(cookie),
        headers: { "Content-Type": "application/json", Cookie: cookie, ...from },
      });
      expect(answer.status, answer.text).toBe(200);
      expect(JSON.parse(answer.text)).toEqual({ ok: true, status: "accepted" });
    }
    const signIn = await send({ method: "POST", path: "/login", body: credentials, headers: { ...form, Origin: server.baseUrl } });
    expect(signIn.status).toBe(302);
    expect(signIn.headers["set-cookie"]).toMatch(/^yz_console=/);
    expect(await stored()).toBe(before + ours.length);
  });

  it("gives every other refusal here its own Chinese message, never a 500 or an English one", async () => {
    const before = await stored();
    const json = { "Content-Type": "application/json" };
    const cases: Array<{ request: RawRequest; status: number; message: string }> = [
      // request.formData() threw on these: a 500 (an English "Unexpected Server Error" for ?_data=).
      {
        request: { method: "POST", path: `/s/${token}/supervise`, body: "{}", headers: json },
        status: 415,
        message: "提交的内容格式不正确，请刷新页面后重试。",
      },
      {
        request: { method: "POST", path: `/s/${token}/supervise`, body: "x", headers: { "Content-Type": "multipart/form-data; boundary=z" } },
        status: 415,
        message: "提交的内容格式不正确",
      },
      { request: { method: "POST", path: "/login?_data=routes%2Flogin", body: "{}", headers: json }, status: 415, message: "提交的内容格式不正确" },
      {
        request: { method: "POST", path: "/admin/accounts", body: "{}", headers: { ...json, Cookie: consoleCookie } },
        status: 415,
        message: "提交的内容格式不正确",
      },
      // Remix's own 405 for a page without an action: the error boundary's "服务暂时出现问题".
      {
        request: { method: "POST", path: `/s/${token}/done`, body: "a=1", headers: { "Content-Type": "application/x-www-form-urlencoded" } },
        status: 405,
        message: "此页面不接受提交的内容",
      },
      {
        request: { method: "POST", path: "/healthz?_data=routes%2Fhealthz", body: "a=1", headers: { "Content-Type": "application/x-www-form-urlencoded" } },
        status: 405,
        message: "此页面不接受提交的内容",
      },
      // A path that cannot be decoded: was a 500.
      { request: { method: "GET", path: "/s/%ZZ" }, status: 400, message: "您打开的链接地址不完整或有误" },
      { request: { method: "GET", path: "/%" }, status: 400, message: "您打开的链接地址不完整或有误" },
    ];
    for (const c of cases) {
      const answer = await send(c.request);
      expect(answer.status, `${c.request.method} ${c.request.path}: ${answer.text.slice(0, 200)}`).toBe(c.status);
      expect(answer.text).toContain(c.message);
    }
    // A GET carrying a body: answered, and the body is not read on after the answer.
    const getWithBody = await send({ method: "GET", path: "/healthz", declared: null, stream: 100 * MB });
    expect(getWithBody.status).toBe(200);
    expect(getWithBody.headers["connection"]).toBe("close");
    expect(getWithBody.closedBy).toBe("server");
    expect(getWithBody.sent).toBeLessThan(16 * MB);
    // Node's own refusals: a malformed request and oversized headers.
    const malformed = await send({ method: "POST", path: "/login", body: "a=1", headers: { "Transfer-Encoding": "chunked", "Content-Length": "3" } });
    expect(malformed.status).toBe(400);
    expect(malformed.text).toContain("浏览器发送的请求格式不正确");
    const cookies = await send({ method: "GET", path: "/", headers: { Cookie: `x=${"a".repeat(20_000)}` } });
    expect(cookies.status).toBe(431);
    expect(cookies.text).toContain("请清除本站 Cookie 后重试");
    expect(await stored()).toBe(before);
  });

  it("removes control characters from a comment before storing it, on this store as on the other", async () => {
    const comment = "希望\u0000增加\u0007课后\u001b服务\u007f。\ud800\n谢谢\t老师";
    const cleaned = "希望增加课后服务。\ufffd\n谢谢\t老师";
    const [a, b, c] = [deviceCookie(store.keys), deviceCookie(store.keys), deviceCookie(store.keys)];
    const json = await send({
      method: "POST",
      path: `/s/${token}/submit`,
      body: submitJson(a, parentAnswers({ comment })),
      headers: { "Content-Type": "application/json", Cookie: a },
    });
    expect(json.status, json.text).toBe(200);
    const viaForm = await send({
      method: "POST",
      path: `/s/${token}`,
      body: formBody(b, parentAnswers({ comment: "表单\u0000提交\u0001的意见" })),
      headers: { "Content-Type": "application/x-www-form-urlencoded", Cookie: b, "User-Agent": PHONE },
    });
    expect(viaForm.status, viaForm.text.slice(0, 300)).toBe(303);
    const onlyControls = await send({
      method: "POST",
      path: `/s/${token}/submit`,
      body: submitJson(c, parentAnswers({ comment: "\u0000\u0000" })),
      headers: { "Content-Type": "application/json", Cookie: c },
    });
    expect(onlyControls.status).toBe(200);
    const rows = await db.selectFrom("responses").select(["comment", "answers"]).orderBy("id", "desc").limit(3).execute();
    expect(rows.map((r) => r.comment)).toEqual([null, "表单提交的意见", cleaned]);
    expect((JSON.parse(rows[2]?.answers ?? "{}") as { comment?: string }).comment).toBe(cleaned);
    expect(JSON.parse(rows[0]?.answers ?? "{}")).not.toHaveProperty("comment");
  });

  it("tells a no-JavaScript form refused by the rate limit when to retry (Retry-After)", async () => {
    const cookie = deviceCookie(store.keys);
    const headers = { "Content-Type": "application/x-www-form-urlencoded", Cookie: cookie, "User-Agent": PHONE };
    const statuses: number[] = [];
    let limited: RawAnswer | undefined;
    for (let i = 0; i < 4 && !limited; i++) {
      const answer = await send({ method: "POST", path: `/s/${token}`, body: formBody(cookie), headers });
      statuses.push(answer.status);
      if (answer.status === 429) limited = answer;
    }
    expect(statuses).toEqual([303, 303, 429]);
    expect(Number(limited?.headers["retry-after"])).toBeGreaterThan(0);
    expect(limited?.text).toContain("提交太频繁");
  });
});

describe.skipIf(skip)(`the submit endpoint through Remix (SUBMIT_HANDLER=remix, ${KIND})`, () => {
  let store: SharedStore;
  let server: ServerProcess;
  let db: Kysely<Database>;
  let port = 0;
  let token = "";
  const scope = PRIMARY_LINKS[0] ?? PRIMARY_LINKS[1]!;
  beforeAll(async () => {
    store = await sharedStore(KIND);
    server = await startApp(store, { SUBMIT_HANDLER: "remix" });
    port = Number(new URL(server.baseUrl).port);
    db = store.open();
    token = signLink(store.keys, scope);
  }, 120_000);
  afterAll(async () => {
    await db?.destroy();
    if (server) await stopApp(server);
    await store?.dispose();
  });

  it("caps, times and answers its body as the lean handler does", async () => {
    const before = Number(
      (
        await db
          .selectFrom("responses")
          .select((eb) => eb.fn.countAll<number>().as("n"))
          .executeTakeFirstOrThrow()
      ).n,
    );
    const headers = () => ({ "Content-Type": "application/json", Cookie: deviceCookie(store.keys), "X-Real-IP": `10.77.0.${Math.floor(Math.random() * 250)}` });
    const path = `/s/${token}/submit`;
    const [atCap, over, huge, stalled] = await Promise.all([
      rawRequest(port, { method: "POST", path, headers: headers(), declared: null, stream: SURVEY_CAP, chunk: 1_000 }),
      rawRequest(port, { method: "POST", path, headers: headers(), declared: null, stream: SURVEY_CAP + 1, chunk: 1_000 }),
      rawRequest(port, { method: "POST", path, headers: headers(), declared: null, stream: 300 * MB }),
      rawRequest(port, { method: "POST", path, headers: headers(), declared: 5_000, stream: 1_000, pauseMs: 30_000, timeoutMs: 15_000 }),
    ]);
    expect(atCap.status).toBe(400);
    expect(JSON.parse(atCap.text)).toMatchObject({ ok: false, error: "bad_request" });
    for (const answer of [over, huge]) {
      expect(answer.status).toBe(413);
      expect(JSON.parse(answer.text)).toEqual({ ok: false, error: "too_large", message: TOO_LARGE_SUBMIT });
      expect(answer.closedBy).toBe("server");
    }
    expect(huge.sent).toBeLessThan(16 * MB);
    expect(stalled.status).toBe(408);
    expect(JSON.parse(stalled.text)).toMatchObject({ ok: false, error: "timeout" });
    expect(stalled.text).toContain(TIMEOUT);
    expect(stalled.closedMs).toBeLessThan(8_000);
    const honest = submission(store.keys, scope, "10.78.0.1");
    const valid = await rawRequest(port, {
      method: "POST",
      path,
      headers: { "Content-Type": "application/json", Cookie: honest.cookie, "X-Real-IP": honest.address, Origin: server.baseUrl },
      body: honest.body,
    });
    expect(JSON.parse(valid.text)).toEqual({ ok: true, status: "accepted" });
    const after = Number(
      (
        await db
          .selectFrom("responses")
          .select((eb) => eb.fn.countAll<number>().as("n"))
          .executeTakeFirstOrThrow()
      ).n,
    );
    expect(after).toBe(before + 1);
  });
});

/** A connection that sends a request line and then one header line a second, never finishing. */
function rawHeadersForever(port: number): Promise<RawAnswer> {
  return import("node:net").then(
    ({ connect }) =>
      new Promise<RawAnswer>((resolve) => {
        const socket = connect(port, "127.0.0.1");
        const start = Date.now();
        const received: Buffer[] = [];
        let timer: NodeJS.Timeout | undefined;
        let closedBy: "server" | "client" = "server";
        const giveUp = setTimeout(() => {
          closedBy = "client";
          socket.destroy();
        }, 20_000);
        socket.on("connect", () => {
          socket.write("GET / HTTP/1.1\r\nHost: x\r\n");
          timer = setInterval(() => socket.write(`X-Slow-${Date.now()}: 1\r\n`), 1_000);
        });
        socket.on("data", (d: Buffer) => received.push(d));
        socket.on("error", () => undefined);
        socket.on("close", () => {
          clearInterval(timer);
          clearTimeout(giveUp);
          const text = Buffer.concat(received).toString("utf8");
          const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0);
          resolve({ status, headers: {}, text, sent: 0, answeredMs: 0, closedMs: Date.now() - start, closedBy });
        });
      }),
  );
}
