/**
 * The HTTP server: Express in front of Remix. It owns the process-wide services (created once
 * from validated configuration and passed to every loader and action), the security headers,
 * compression, static assets, and a clean shutdown.
 *
 *   npm start         build, then serve the production build
 *   npm run dev       Vite dev server in middleware mode (hot reload)
 */
import { randomBytes } from "node:crypto";
import { createServer } from "node:http";
import path from "node:path";
import v8 from "node:v8";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { IncomingMessage, ServerResponse } from "node:http";
import { createReadableStreamFromReadable, createRequestHandler, writeReadableStreamToWritable, type AppLoadContext, type ServerBuild } from "@remix-run/node";
import compression from "compression";
import express from "express";
import { clientAddress } from "../app/.server/client-address";
import { ConfigError, loadConfig } from "../app/.server/config";
import "../app/.server/context";
import type { Services } from "../app/.server/context";
import { createServices } from "../app/.server/services";
import { printBanner } from "./banner";
import { leanSubmit, leanSubmitToken } from "./lean-submit";
import {
  acceptsType,
  ALLOWED_METHODS,
  BAD_REQUEST,
  BAD_URL,
  BODY_TIMEOUT,
  bodyClock,
  bodyLimitsFor,
  CROSS_ORIGIN,
  declaredLength,
  guardBody,
  hasBody,
  isCrossOrigin,
  lingerOnClose,
  methodNotAllowed,
  NOT_A_FORM,
  sendRefusal,
  SERVER_ERROR,
  tooLarge,
  UNSUPPORTED_TYPE,
  type GuardedBody,
} from "./request-guard";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

function isServerBuild(mod: unknown): mod is ServerBuild {
  return typeof mod === "object" && mod !== null && "routes" in mod && "entry" in mod && "assets" in mod;
}

function requireServerBuild(mod: unknown): ServerBuild {
  if (!isServerBuild(mod)) throw new Error("build/server/index.js is not a Remix server build; run npm run build");
  return mod;
}

function contentSecurityPolicy(nonce: string, dev: boolean): string {
  return [
    "default-src 'self'",
    dev ? "script-src 'self' 'unsafe-inline'" : `script-src 'self' 'nonce-${nonce}'`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    dev ? "connect-src 'self' ws:" : "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/**
 * Node's own limits, the outer fence behind the per-request body timers of request-guard.ts:
 * request headers must arrive within HEADERS_TIMEOUT_MS (slow-loris on headers), a whole request
 * within REQUEST_TIMEOUT_MS (above the uploads' 120 s body limit), checked every second.
 */
const HEADERS_TIMEOUT_MS = 10_000;
const REQUEST_TIMEOUT_MS = 130_000;
const CONNECTIONS_CHECKING_INTERVAL_MS = 1_000;

/**
 * The Fetch Request Remix sees, its body read through the guard (not from the socket). As
 * @remix-run/express's createRemixRequest (packages/remix-express/server.ts), whose body would
 * be the raw request stream; that package exports neither it nor its helpers.
 */
function remixRequest(req: express.Request, res: express.Response, body: GuardedBody | undefined): Request {
  const [, hostPort] = req.get("host")?.split(":") ?? [];
  const port = Number.parseInt(hostPort ?? "", 10);
  const url = new URL(`${req.protocol}://${req.hostname}${Number.isSafeInteger(port) ? `:${port}` : ""}${req.originalUrl}`);
  let controller: AbortController | null = new AbortController();
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (Array.isArray(value)) for (const v of value) headers.append(name, v);
    else if (value !== undefined) headers.set(name, value);
  }
  const init: RequestInit & { duplex?: "half" } = { method: req.method, headers, signal: controller.signal };
  if (req.method !== "GET" && req.method !== "HEAD") {
    init.body = createReadableStreamFromReadable(body?.stream ?? req);
    init.duplex = "half";
  }
  res.on("finish", () => (controller = null));
  res.on("close", () => controller?.abort());
  // A refused body has been answered already: what the route does with it now is not an error.
  body?.onRefused(() => controller?.abort());
  return new Request(url.href, init);
}

/** As @remix-run/express's sendRemixResponse. */
async function sendRemixResponse(res: express.Response, response: Response): Promise<void> {
  res.statusMessage = response.statusText;
  res.status(response.status);
  for (const [name, value] of response.headers.entries()) res.append(name, value);
  if (/text\/event-stream/i.test(response.headers.get("Content-Type") ?? "")) res.flushHeaders();
  if (response.body) await writeReadableStreamToWritable(response.body, res);
  else res.end();
}

export interface RunningServer {
  url: string;
  services: Services;
  close(): Promise<void>;
}

export async function startServer(env: Record<string, string | undefined> = process.env): Promise<RunningServer> {
  const config = loadConfig(env, ROOT);
  const dev = config.env !== "production";
  const services = await createServices(config, { surveysDir: path.join(ROOT, "surveys") });

  const vite = dev ? await import("vite").then((v) => v.createServer({ root: ROOT, server: { middlewareMode: true } })) : undefined;

  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", false);
  const securityHeaders = (nonce: string): Record<string, string> => ({
    "Content-Security-Policy": contentSecurityPolicy(nonce, dev),
    "X-Content-Type-Options": "nosniff",
    // same-origin, not no-referrer: with no-referrer Chromium sends `Origin: null` on form posts,
    // which Remix refuses; survey tokens in URLs still never leave our origin.
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
  });
  app.use((_req, res, next) => {
    res.locals.cspNonce = randomBytes(16).toString("base64");
    for (const [name, value] of Object.entries(securityHeaders(String(res.locals.cspNonce)))) res.setHeader(name, value);
    next();
  });
  app.use(compression());

  let build: ServerBuild | (() => Promise<ServerBuild>);
  if (vite) {
    app.use(vite.middlewares);
    build = async () => requireServerBuild(await vite.ssrLoadModule("virtual:remix/server-build"));
  } else {
    const client = path.join(ROOT, "build", "client");
    app.use("/assets", express.static(path.join(client, "assets"), { immutable: true, maxAge: "1y" }));
    app.use(express.static(client, { maxAge: "1h" }));
    build = requireServerBuild(await import(pathToFileURL(path.join(ROOT, "build", "server", "index.js")).href));
  }

  // Headers of the answers given outside Remix (submit JSON, refusals).
  const apiHeaders = { ...securityHeaders(""), "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'" };
  // Guarded bodies by request, set by the request listener below before Express sees it.
  const bodies = new WeakMap<IncomingMessage, GuardedBody>();
  const handleRemix = createRequestHandler(build, dev ? "development" : "production");
  app.all("*", (req, res, next) => {
    const body = bodies.get(req);
    const context: AppLoadContext = {
      services,
      cspNonce: String(res.locals.cspNonce),
      clientAddress: clientAddress(req.socket.remoteAddress, { get: (name) => req.get(name) ?? null }, config.trustProxyHeader),
    };
    handleRemix(remixRequest(req, res, body), context)
      .then(async (response) => {
        // The guard has already answered (413, 408) or the client is gone.
        if (res.headersSent || res.writableEnded || res.destroyed) {
          await response.body?.cancel().catch(() => undefined);
          return;
        }
        // Remix's 405 to a POST (a route without an action) has no message of its own; no route
        // here answers a POST with a 405 itself (the submit route's is for GET).
        if (response.status === 405 && req.method === "POST") {
          await response.body?.cancel().catch(() => undefined);
          sendRefusal(req, res, NOT_A_FORM, apiHeaders);
          return;
        }
        // A body left unread (refused before reading it) is not read on: the connection closes.
        if (body && !body.complete()) {
          res.setHeader("Connection", "close");
          lingerOnClose(req);
        }
        await sendRemixResponse(res, response);
      })
      .catch(next);
  });
  // Whatever escapes Remix: logged, answered in Chinese (Express's default is an English "Error").
  app.use((error: unknown, req: express.Request, res: express.Response, _next: express.NextFunction) => {
    // Express's router cannot decode the path (`/%`, `/s/%ZZ`): the link is wrong, not the server.
    if (error instanceof URIError) return sendRefusal(req, res, BAD_URL, apiHeaders);
    services.log.error("request failed", { method: req.method, path: req.originalUrl.slice(0, 200), error: String(error) });
    sendRefusal(req, res, SERVER_ERROR, apiHeaders);
  });

  // The survey's submit endpoint is answered before Express and Remix (same shared submit
  // function, same headers); SUBMIT_HANDLER=remix leaves it to the Remix route.
  const lean = { services, trustProxyHeader: config.trustProxyHeader, responseHeaders: () => apiHeaders };
  const publicOrigin = new URL(config.publicUrl).origin;
  const allowed: ReadonlySet<string> = new Set(ALLOWED_METHODS);
  // request-guard.ts: method, origin, body size and time, before anything else runs. A client
  // that asks `Expect: 100-continue` is told to send its body only once these checks pass.
  const onRequest = (req: IncomingMessage, res: ServerResponse, expectsContinue: boolean): void => {
    const method = req.method ?? "";
    if (!allowed.has(method)) return sendRefusal(req, res, methodNotAllowed(method), apiHeaders);
    if (method === "POST" && isCrossOrigin(req, publicOrigin)) return sendRefusal(req, res, CROSS_ORIGIN, apiHeaders);
    const url = req.url ?? "/";
    const query = url.indexOf("?");
    const limits = bodyLimitsFor(query === -1 ? url : url.slice(0, query), config.maxBodyBytes);
    const declared = declaredLength(req);
    if (declared !== null && declared > limits.maxBytes) return sendRefusal(req, res, tooLarge(limits), apiHeaders);
    if (method === "POST" && !acceptsType(req, limits)) return sendRefusal(req, res, UNSUPPORTED_TYPE, apiHeaders);
    if (expectsContinue) res.writeContinue();

    const token = config.submitHandler === "lean" ? leanSubmitToken(req) : null;
    if (token !== null) {
      // The lean handler reads its body itself under the same cap; the guard only times it. The
      // client is slow only once it is being read and has not finished.
      const clock = bodyClock(
        limits,
        () => req.complete || req.readableFlowing !== true,
        () => {
          services.log.warn("request body refused", { reason: "timeout", method, path: url.slice(0, 200) });
          sendRefusal(req, res, BODY_TIMEOUT, apiHeaders);
        },
      );
      res.once("close", () => clock.dispose());
      leanSubmit(lean, token, req, res, clock).catch((error: unknown) => {
        services.log.error("submit failed", { error: String(error) });
        if (res.headersSent) return void req.socket.destroy();
        res.writeHead(500, { ...apiHeaders, "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store" });
        res.end(JSON.stringify({ ok: false, error: "server_error", message: "服务器暂时出现问题，您的答案已保存在本机，请稍后重试。" }));
      });
      return;
    }

    // A GET or HEAD carrying a body: nothing reads it; the connection closes after the answer.
    if (method !== "POST" && hasBody(req)) {
      res.setHeader("Connection", "close");
      lingerOnClose(req);
    }
    let body: GuardedBody | undefined;
    if (method === "POST") {
      body = guardBody(req, limits, (reason) => {
        services.log.warn("request body refused", { reason, method, path: url.slice(0, 200) });
        sendRefusal(req, res, reason === "too_large" ? tooLarge(limits) : BODY_TIMEOUT, apiHeaders);
      });
      const guarded = body;
      res.once("close", () => guarded.dispose());
      // An answer given before the body was read (a static file, a refusal) ends the connection
      // (those without `Connection: close` too), rather than reading the rest of the body.
      res.once("finish", () => {
        if (!guarded.complete()) req.socket.destroySoon();
      });
    }
    if (body) bodies.set(req, body);
    app(req, res);
  };
  const server = createServer(
    { headersTimeout: HEADERS_TIMEOUT_MS, requestTimeout: REQUEST_TIMEOUT_MS, connectionsCheckingInterval: CONNECTIONS_CHECKING_INTERVAL_MS },
    (req, res) => onRequest(req, res, false),
  );
  server.on("checkContinue", (req: IncomingMessage, res: ServerResponse) => onRequest(req, res, true));
  // Requests Node itself refuses (malformed, headers too large, too slow): a Chinese answer too.
  server.on("clientError", (error: NodeJS.ErrnoException, socket) => {
    if (error.code === "ECONNRESET" || !socket.writable) {
      socket.destroy();
      return;
    }
    const status = error.code === "ERR_HTTP_REQUEST_TIMEOUT" ? 408 : error.code === "HPE_HEADER_OVERFLOW" ? 431 : 400;
    const refusal =
      status === 408
        ? BODY_TIMEOUT
        : status === 431
          ? { ...BAD_REQUEST, title: "请求头过大", message: "浏览器发送的请求头过大（Cookie 过多），请清除本站 Cookie 后重试。" }
          : BAD_REQUEST;
    const payload = JSON.stringify({ title: refusal.title, message: refusal.message });
    const reason = status === 408 ? "Request Timeout" : status === 431 ? "Request Header Fields Too Large" : "Bad Request";
    socket.end(
      `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(payload)}\r\n` +
        `Cache-Control: no-store\r\nConnection: close\r\n\r\n${payload}`,
    );
  });
  server.listen(config.port, config.host);
  await new Promise<void>((resolve, reject) => {
    server.once("listening", resolve);
    server.once("error", reject);
  });
  server.keepAliveTimeout = 65_000;
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : config.port;
  const url = `http://${config.host === "0.0.0.0" ? "localhost" : config.host}:${port}`;

  return {
    url,
    services,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await vite?.close();
      await services.close();
    },
  };
}

/**
 * V8 lets the old generation grow lazily when the machine has memory to spare: under a stream of
 * submissions the server's resident memory rose by 40–140 MB of garbage awaiting collection (a
 * full GC brings the live heap back to about 70 MB). A 1.2 growing factor keeps that margin
 * small for a few per cent more CPU (bench:ingest reports the peak); V8 reads it at every
 * collection, so setting it here (not on the command line) takes effect.
 */
const HEAP_GROWING_PERCENT = 20;

async function main(): Promise<void> {
  v8.setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
  let running: RunningServer;
  try {
    running = await startServer();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    if (error instanceof Error && "code" in error && error.code === "EADDRINUSE") {
      process.stderr.write(`Port already in use: set PORT to a free port (${error.message})\n`);
      process.exit(1);
    }
    throw error;
  }
  const { services } = running;
  services.log.info("server listening", { url: running.url, publicUrl: services.config.publicUrl, mode: services.config.env });
  await printBanner(services, running.url);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    services.log.info("shutting down", { signal });
    running.close().then(
      () => process.exit(0),
      (error: unknown) => {
        services.log.error("shutdown failed", { error: String(error) });
        process.exit(1);
      },
    );
  };
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  void main();
}
