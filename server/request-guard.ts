/**
 * The checks every request passes before Express, Remix, the lean submit handler, sign-in or any
 * parsing (docs/decisions/0009-request-guard.md):
 *
 * 1. Method: only GET, HEAD and POST reach the application; anything else → 405 with `Allow`.
 * 2. Origin: a POST whose `Origin` is another origin or `null`, whose `Sec-Fetch-Site` is
 *    `cross-site`, or (without Origin) whose `Referer` is another origin → 403. Same origin is
 *    the request's own `Host` or PUBLIC_URL's origin (a proxy may present a different name).
 * 3. Body size, per route (`bodyLimitsFor`): a declared `Content-Length` over the cap → 413 at
 *    once, nothing read; a body without one (chunked) is counted as it flows through
 *    `guardBody`, and the moment it passes the cap → 413, the read stops, the connection closes.
 * 4. Body time: a body that stalls (idle) or takes too long in all → 408, connection closed.
 *
 * Every refusal carries its own Chinese message: as the submit endpoint's JSON for the phone's
 * script, as Remix's thrown-response JSON for `?_data=` requests, as a small HTML page otherwise.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Socket } from "node:net";
import { Transform, type TransformCallback } from "node:stream";

export const ALLOWED_METHODS = ["GET", "HEAD", "POST"] as const;

export interface BodyLimits {
  /** Bytes of body accepted; one more and the request is refused. */
  maxBytes: number;
  /** The longest pause between two pieces of the body while we wait for it. */
  idleMs: number;
  /** The longest a whole body may take to arrive. */
  totalMs: number;
  /** What a 413 says. */
  tooLarge: string;
  /**
   * Media types a body may have here (null: the route answers any itself — the submit path's
   * own 415). Remix's `request.formData()` throws on anything else, which was a 500.
   */
  types: readonly string[] | null;
}

/** Small forms: 32 KB at 20 kbit/s (a bad 2G link) takes about 13 s. */
const SMALL_TIMING = { idleMs: 5_000, totalMs: 20_000 };
/** Uploads: 10 MB at 1 Mbit/s takes about 85 s. */
const UPLOAD_TIMING = { idleMs: 15_000, totalMs: 120_000 };

/** Console forms, sign-in, sign-out and everything not listed. */
export const FORM_MAX_BYTES = 64 * 1024;
/** Multipart framing around an uploaded file (the routes allow the file's limit plus this). */
const MULTIPART_MARGIN = 64 * 1024;
export const UPLOAD_MAX_BYTES = 10 * 1024 * 1024 + MULTIPART_MARGIN;
export const QUESTIONNAIRE_MAX_BYTES = 2 * 1024 * 1024 + MULTIPART_MARGIN;

const SUBMIT_TOO_LARGE = "提交的内容过大，请缩短意见建议后再提交。";
/** What the console's and the supervise page's forms send (Remix <Form>, with or without JavaScript). */
const FORM_TYPES = ["application/x-www-form-urlencoded"] as const;
/** The three upload forms are multipart; a form without its file gets the route's own message. */
const UPLOAD_TYPES = ["multipart/form-data", "application/x-www-form-urlencoded"] as const;

/** True when `req` has no body, or one of a media type `limits` accepts. */
export function acceptsType(req: IncomingMessage, limits: BodyLimits): boolean {
  if (limits.types === null || !hasBody(req)) return true;
  const type = (header(req, "content-type") ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
  return limits.types.includes(type);
}

/**
 * The per-route body limits. `surveyMaxBytes` is MAX_BODY_BYTES (32 KB by default), the cap the
 * shared submit function applies, so the guard and the submit path agree on one number.
 */
export function bodyLimitsFor(pathname: string, surveyMaxBytes: number): BodyLimits {
  const path = pathname.length > 1 ? pathname.replace(/\/+$/, "") : pathname;
  if (/^\/s\/[^/]+(?:\/submit)?$/i.test(path)) {
    return { maxBytes: surveyMaxBytes, ...SMALL_TIMING, tooLarge: SUBMIT_TOO_LARGE, types: null };
  }
  if (/^\/s\/[^/]+\/supervise$/i.test(path)) {
    return { maxBytes: surveyMaxBytes, ...SMALL_TIMING, tooLarge: SUBMIT_TOO_LARGE, types: FORM_TYPES };
  }
  if (/^\/admin\/campaigns\/[^/]+\/(?:evaluation-data|schools-import)$/i.test(path)) {
    return { maxBytes: UPLOAD_MAX_BYTES, ...UPLOAD_TIMING, tooLarge: "文件超过 10 MB，请检查是否选错了文件。", types: UPLOAD_TYPES };
  }
  if (/^\/admin\/questionnaires$/i.test(path)) {
    return { maxBytes: QUESTIONNAIRE_MAX_BYTES, ...UPLOAD_TIMING, tooLarge: "文件超过 2 MB，请检查是否选错了文件。", types: UPLOAD_TYPES };
  }
  return { maxBytes: FORM_MAX_BYTES, ...SMALL_TIMING, tooLarge: "提交的内容过大（超过 64 KB），请缩短后再提交。", types: FORM_TYPES };
}

export interface Refusal {
  status: 400 | 403 | 405 | 408 | 413 | 415 | 500;
  /** Machine-readable code in the submit endpoint's JSON (`error`). */
  code: string;
  title: string;
  message: string;
  headers?: Record<string, string>;
}

export function methodNotAllowed(method: string): Refusal {
  return {
    status: 405,
    code: "method_not_allowed",
    title: "不支持的请求方式",
    message: `本站不接受 ${method.slice(0, 20)} 请求。请通过页面上的按钮或链接操作。`,
    headers: { Allow: ALLOWED_METHODS.join(", ") },
  };
}

export const CROSS_ORIGIN: Refusal = {
  status: 403,
  code: "cross_origin",
  title: "请求来源不正确",
  message: "出于安全考虑，本站只接受从本站页面提交的内容。请直接打开本站页面后重新提交。",
};

export function tooLarge(limits: BodyLimits): Refusal {
  return { status: 413, code: "too_large", title: "提交的内容过大", message: limits.tooLarge };
}

export const UNSUPPORTED_TYPE: Refusal = {
  status: 415,
  code: "unsupported_media_type",
  title: "提交格式不正确",
  message: "提交的内容格式不正确，请刷新页面后重试。",
};

/** A POST to a page that takes none (Remix's own 405 had no message, or an English one). */
export const NOT_A_FORM: Refusal = {
  status: 405,
  code: "method_not_allowed",
  title: "此页面不接受提交",
  message: "此页面不接受提交的内容。请刷新页面，通过页面上的按钮或链接操作。",
  headers: { Allow: "GET, HEAD" },
};

/** A URL that cannot be decoded (a truncated %-escape): the router would throw a URIError. */
export const BAD_URL: Refusal = {
  status: 400,
  code: "bad_url",
  title: "链接地址有误",
  message: "您打开的链接地址不完整或有误。如果您是扫码进入的，请重新扫描学校提供的二维码。",
};

export const BODY_TIMEOUT: Refusal = {
  status: 408,
  code: "timeout",
  title: "提交超时",
  message: "网络较慢，提交的内容没有在规定时间内收到。您填写的内容仍在本机页面上，请检查网络后重新提交。",
};

export const BAD_REQUEST: Refusal = {
  status: 400,
  code: "bad_request",
  title: "请求格式不正确",
  message: "浏览器发送的请求格式不正确，请刷新页面后重试。",
};

export const SERVER_ERROR: Refusal = {
  status: 500,
  code: "server_error",
  title: "服务暂时出现问题",
  message: "很抱歉，系统暂时无法处理您的请求。请稍后刷新页面重试。",
};

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function originOf(value: string): string | null {
  try {
    const url = new URL(value);
    return url.protocol === "http:" || url.protocol === "https:" ? url.origin : null;
  } catch {
    return null;
  }
}

/**
 * True when a POST comes from another site: browsers send `Origin` on every POST (Chromium
 * also on same-origin form posts) and `Sec-Fetch-Site`; a client that sends neither (curl, a
 * script, an old browser without Origin but with a same-origin Referer) is not a forged
 * cross-site request and passes. Host and PUBLIC_URL are both ours: tests and the end-to-end
 * suite reach the server as 127.0.0.1:PORT while a proxy serves PUBLIC_URL's name.
 */
export function isCrossOrigin(req: IncomingMessage, publicOrigin: string): boolean {
  if (header(req, "sec-fetch-site")?.toLowerCase() === "cross-site") return true;
  const host = header(req, "host")?.toLowerCase() ?? "";
  const sameHost = (origin: string) => {
    const url = new URL(origin);
    // A Host may spell out the default port ("x:443") that an origin leaves out.
    return url.host === host || `${url.hostname}:${url.port || (url.protocol === "https:" ? "443" : "80")}` === host;
  };
  const ours = (origin: string | null) => origin !== null && (origin === publicOrigin || sameHost(origin));
  const origin = header(req, "origin");
  if (origin !== undefined) return origin.trim() === "null" || !ours(originOf(origin.trim()));
  const referer = header(req, "referer");
  if (referer !== undefined) {
    const from = originOf(referer);
    return from !== null && !ours(from);
  }
  return false;
}

/** True when the request announces a body (a length above zero, or a transfer coding). */
export function hasBody(req: IncomingMessage): boolean {
  if (req.headers["transfer-encoding"] !== undefined) return true;
  const declared = req.headers["content-length"];
  return declared !== undefined && declared !== "0";
}

/** The declared Content-Length (Node's parser has already refused a malformed one), or null. */
export function declaredLength(req: IncomingMessage): number | null {
  const declared = req.headers["content-length"];
  if (declared === undefined || req.headers["transfer-encoding"] !== undefined) return null;
  const n = Number(declared);
  return Number.isSafeInteger(n) && n >= 0 ? n : Number.POSITIVE_INFINITY;
}

type ResponseShape = "submit" | "data" | "html" | "json";

function shapeOf(req: IncomingMessage): ResponseShape {
  const url = req.url ?? "/";
  const query = url.indexOf("?");
  const path = query === -1 ? url : url.slice(0, query);
  if (/^\/s\/[^/]+\/submit\/?$/i.test(path)) return "submit";
  if (query !== -1 && new URLSearchParams(url.slice(query + 1)).has("_data")) return "data";
  const accept = header(req, "accept") ?? "";
  return /application\/json/i.test(accept) && !/text\/html/i.test(accept) ? "json" : "html";
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** How long a refused connection stays open, reading nothing, after its answer was sent. */
export const LINGER_MS = 1_000;

/**
 * Closing a socket while the client's body is still arriving makes the kernel send a reset,
 * and a client that has not yet read our answer loses it (a browser then shows "connection
 * reset", not the Chinese 413). So, where Node would close the connection after the answer
 * (`Connection: close` → socket.destroySoon()), this one sends its FIN, stops reading, and is
 * destroyed LINGER_MS later: time for the answer to be read, and nothing more of the body is.
 */
export function lingerOnClose(req: IncomingMessage): void {
  // Once the answer is out, Node reads and discards ("dumps") a body nobody has started to read:
  // megabytes of it within the linger. Starting to read here (one read(0) on a paused request)
  // stops that: the body fills the request's buffer (16 KB), and Node stops reading the socket.
  if (!req.readableDidRead && !req.complete) {
    req.pause();
    req.read(0);
  }
  const socket: Socket = req.socket;
  socket.destroySoon = function destroySoonAfterLinger(this: Socket) {
    if (this.writable) this.end();
    this.pause();
    const timer = setTimeout(() => this.destroy(), LINGER_MS);
    this.once("close", () => clearTimeout(timer));
  };
}

/**
 * Answers `refusal` and closes the connection (`Connection: close`: the socket ends once the
 * answer is out, so an unread body is never read further). When an answer has already begun,
 * the socket is destroyed, the only signal left.
 */
export function sendRefusal(req: IncomingMessage, res: ServerResponse, refusal: Refusal, headers: Record<string, string>): void {
  if (res.headersSent || res.writableEnded) {
    req.socket.destroy();
    return;
  }
  lingerOnClose(req);
  const shape = shapeOf(req);
  let type = "application/json; charset=utf-8";
  let payload: string;
  const extra: Record<string, string> = {};
  if (shape === "submit") {
    payload = JSON.stringify({ ok: false, error: refusal.code, message: refusal.message });
  } else if (shape === "data") {
    // What Remix's client expects of a thrown Response: the route's error boundary shows it.
    payload = JSON.stringify({ title: refusal.title, message: refusal.message });
    extra["X-Remix-Catch"] = "yes";
  } else if (shape === "json") {
    payload = JSON.stringify({ title: refusal.title, message: refusal.message });
  } else {
    type = "text/html; charset=utf-8";
    payload =
      `<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">` +
      `<meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(refusal.title)}</title></head>` +
      `<body><main><h1>${escapeHtml(refusal.title)}</h1><p>${escapeHtml(refusal.message)}</p>` +
      // A parent came from a form: the browser's back button brings it back with the answers.
      `<p>请点浏览器的“返回”回到上一页。</p></main></body></html>`;
  }
  res.writeHead(refusal.status, {
    ...headers,
    "Content-Type": type,
    "Content-Length": String(Buffer.byteLength(payload)),
    "Cache-Control": "no-store",
    Connection: "close",
    ...extra,
    ...refusal.headers,
  });
  res.end(req.method === "HEAD" ? undefined : payload);
}

/** Why a body was cut off. */
export class BodyRefusedError extends Error {
  constructor(readonly reason: "too_large" | "timeout") {
    super(reason === "too_large" ? "request body over its cap" : "request body too slow");
    this.name = "BodyRefusedError";
  }
}

/**
 * The idle and total timers of one body. `touch()` on every piece that arrives, `done()` at
 * its end. When a timer expires while `behind()` says the reader (not the client) is the slow
 * one, it waits again; otherwise `onTimeout` is called once.
 */
export interface BodyClock {
  touch(): void;
  done(): void;
  /** Stops the timers (the answer is out, or the connection is gone). */
  dispose(): void;
}

export function bodyClock(limits: Pick<BodyLimits, "idleMs" | "totalMs">, behind: () => boolean, onTimeout: () => void): BodyClock {
  let over = false;
  const expire = (timer: NodeJS.Timeout) => {
    if (over) return;
    if (behind()) {
      timer.refresh();
      return;
    }
    over = true;
    clearTimeout(idle);
    clearTimeout(total);
    onTimeout();
  };
  // One timer each, refreshed rather than re-created: touch() runs for every piece of every body.
  const idle: NodeJS.Timeout = setTimeout(() => expire(idle), limits.idleMs);
  const total: NodeJS.Timeout = setTimeout(() => expire(total), limits.totalMs);
  const dispose = () => {
    over = true;
    clearTimeout(idle);
    clearTimeout(total);
  };
  return {
    touch: () => {
      if (!over) idle.refresh();
    },
    done: dispose,
    dispose,
  };
}

export interface GuardedBody {
  /** The body as it arrives, counted; read it instead of the request. */
  readonly stream: Transform;
  /** True once the whole body has been received within its limits. */
  complete(): boolean;
  /** Called (once) when the body is refused, before its stream fails: a reader's error is then expected. */
  onRefused(listener: () => void): void;
  /** Stops the timers (the answer is out, or the connection is gone). */
  dispose(): void;
}

/**
 * The body of `req` through a counting stream. It reads eagerly up to its high-water mark (the
 * whole body of a small form), so the idle and total timers measure the client, not us; when
 * the reader falls behind (a large upload being parsed), Node's pipe pauses the request and
 * the timers wait. Past the cap or the time: `onRefused` is called once, the stream is
 * destroyed with a `BodyRefusedError`, and nothing more is read.
 */
export function guardBody(req: IncomingMessage, limits: BodyLimits, onRefused: (reason: "too_large" | "timeout") => void): GuardedBody {
  let received = 0;
  let complete = false;
  let stopped = false;
  const highWaterMark = Math.min(limits.maxBytes + 1, 64 * 1024);
  const listeners: Array<() => void> = [];

  const stop = (reason: "too_large" | "timeout") => {
    if (stopped || complete) return;
    stopped = true;
    clock.dispose();
    req.unpipe(stream);
    req.pause();
    onRefused(reason);
    for (const listener of listeners) listener();
    stream.destroy(new BodyRefusedError(reason));
  };
  // Paused by the pipe: the reader is behind, the client is not slow.
  const clock = bodyClock(
    limits,
    () => req.complete || (req.readableFlowing === false && !stopped),
    () => stop("timeout"),
  );

  const stream = new Transform({
    readableHighWaterMark: highWaterMark,
    writableHighWaterMark: highWaterMark,
    transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) {
      received += chunk.length;
      if (received > limits.maxBytes) {
        callback();
        stop("too_large");
        return;
      }
      clock.touch();
      callback(null, chunk);
    },
    flush(callback: TransformCallback) {
      complete = true;
      clock.done();
      callback();
    },
  });
  // The refusal is answered through onRefused; a reader that has not started yet must not
  // turn the stream's error into a crash.
  stream.on("error", () => undefined);
  req.pipe(stream);
  req.on("close", () => {
    clock.dispose();
    if (!complete && !stopped && !stream.destroyed) stream.destroy(new Error("request aborted"));
  });
  return {
    stream,
    complete: () => complete,
    onRefused: (listener) => {
      if (stopped) listener();
      else listeners.push(listener);
    },
    dispose: clock.dispose,
  };
}
