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
import { createRequestHandler } from "@remix-run/express";
import type { AppLoadContext, ServerBuild } from "@remix-run/node";
import compression from "compression";
import express from "express";
import { clientAddress } from "../app/.server/client-address";
import { ConfigError, loadConfig } from "../app/.server/config";
import "../app/.server/context";
import { createServices, type Services } from "../app/.server/services";
import { printBanner } from "./banner";
import { leanSubmit, leanSubmitToken } from "./lean-submit";

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

export interface RunningServer {
  url: string;
  services: Services;
  close(): Promise<void>;
}

export async function startServer(env: Record<string, string | undefined> = process.env): Promise<RunningServer> {
  const config = loadConfig(env, ROOT);
  const dev = config.env !== "production";
  const services = await createServices(config, { surveysDir: path.join(ROOT, "surveys") });

  const vite = dev
    ? await import("vite").then((v) => v.createServer({ root: ROOT, server: { middlewareMode: true } }))
    : undefined;

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


  app.all(
    "*",
    createRequestHandler({
      build,
      mode: dev ? "development" : "production",
      getLoadContext: (req, res): AppLoadContext => ({
        services,
        cspNonce: String(res.locals.cspNonce),
        clientAddress: clientAddress(
          req.socket.remoteAddress,
          { get: (name) => req.get(name) ?? null },
          config.trustProxyHeader,
        ),
      }),
    }),
  );

  // The survey's submit endpoint is answered before Express and Remix (same shared submit
  // function, same headers); SUBMIT_HANDLER=remix leaves it to the Remix route.
  const apiHeaders = { ...securityHeaders(""), "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'" };
  const lean = { services, trustProxyHeader: config.trustProxyHeader, responseHeaders: () => apiHeaders };
  const server = createServer((req, res) => {
    const token = config.submitHandler === "lean" ? leanSubmitToken(req) : null;
    if (token === null) {
      app(req, res);
      return;
    }
    leanSubmit(lean, token, req, res).catch((error: unknown) => {
      services.log.error("submit failed", { error: String(error) });
      if (!res.headersSent) res.writeHead(500, { "Content-Type": "application/json; charset=utf-8" });
      res.end(JSON.stringify({ ok: false, error: "server_error", message: "服务器暂时出现问题，您的答案已保存在本机，请稍后重试。" }));
    });
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
