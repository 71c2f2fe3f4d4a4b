/**
 * The HTTP server: Express in front of Remix. It owns the process-wide services (created once
 * from validated configuration and passed to every loader and action), the security headers,
 * compression, static assets, and a clean shutdown.
 *
 *   npm start         build, then serve the production build
 *   npm run dev       Vite dev server in middleware mode (hot reload)
 */
import { randomBytes } from "node:crypto";
import path from "node:path";
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
import { leanSubmitHandler } from "./lean-submit";

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
  app.use(compression());
  app.use((_req, res, next) => {
    res.locals.cspNonce = randomBytes(16).toString("base64");
    res.setHeader("Content-Security-Policy", contentSecurityPolicy(String(res.locals.cspNonce), dev));
    res.setHeader("X-Content-Type-Options", "nosniff");
    // same-origin, not no-referrer: with no-referrer Chromium sends `Origin: null` on form posts,
    // which Remix refuses; survey tokens in URLs still never leave our origin.
    res.setHeader("Referrer-Policy", "same-origin");
    res.setHeader("X-Frame-Options", "DENY");
    res.setHeader("Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()");
    next();
  });

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

  // The survey's submit endpoint without the Remix pipeline; same shared submit function.
  if (config.submitHandler === "lean") app.post("/s/:token/submit", leanSubmitHandler({ services, trustProxyHeader: config.trustProxyHeader }));

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

  const server = app.listen(config.port, config.host);
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

async function main(): Promise<void> {
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
