/**
 * Server rendering. Two things beyond Remix's template:
 *
 * - React 18's streaming renderer can flush a full buffer while a 3-byte UTF-8 character did
 *   not fit, leaving NUL bytes inside Chinese text (facebook/react#24985, #31134; fixed only in
 *   React 19). Valid HTML never contains U+0000, so every byte 0x00 is dropped on the way out
 *   (`dropNulBytes`); a test renders a long Chinese page and asserts no NUL reaches the client.
 * - Every response carries the CSP nonce the server entry generated for it.
 * - Pages that are not hydrated (route handle `hydrate: false`) get their CSS inlined.
 * - Errors thrown by loaders and actions go through `handleError` into the structured log (one
 *   JSON line with the path and the stack), not Remix's bare `console.error`.
 */
import { PassThrough, Transform, type TransformCallback } from "node:stream";
import { createReadableStreamFromReadable, type AppLoadContext, type EntryContext, type HandleErrorFunction } from "@remix-run/node";
import { RemixServer } from "@remix-run/react";
import { isbot } from "isbot";
import { renderToPipeableStream } from "react-dom/server";
import { createLogger } from "./.server/log";
import { NonceContext } from "./components/nonce";
import { ServerStylesContext } from "./components/server-styles";
import appCss from "./styles/app.css?raw";
import formCss from "./styles/form.css?raw";

/** Inlined on the parents' pages (not hydrated): one request, no render-blocking stylesheet. */
const INLINE_CSS = `${appCss}\n${formCss}`.replace(/\/\*[\s\S]*?\*\//g, "").replace(/\s*\n\s*/g, "\n");

const ABORT_DELAY_MS = 5_000;

/** For an error that reaches handleError without the load context (and its services.log). */
const MODULE_LOG = createLogger("error");

/** A byte stream transform that removes every 0x00 byte. */
export function dropNulBytes(): Transform {
  return new Transform({
    transform(chunk: Buffer | string, _encoding: BufferEncoding, callback: TransformCallback) {
      const bytes = typeof chunk === "string" ? Buffer.from(chunk, "utf8") : chunk;
      if (bytes.indexOf(0) === -1) {
        callback(null, bytes);
        return;
      }
      const out = Buffer.allocUnsafe(bytes.length);
      let n = 0;
      for (const b of bytes) if (b !== 0) out[n++] = b;
      callback(null, out.subarray(0, n));
    },
  });
}

/**
 * The one place server errors are logged: loaders, actions and rendering all end here. A request
 * the client gave up on is not an error. The query string is left out (it can carry tokens).
 */
export const handleError: HandleErrorFunction = (error, { request, context }) => {
  if (request.signal.aborted) return;
  const fields = {
    method: request.method,
    path: new URL(request.url).pathname,
    error: error instanceof Error ? error.message : String(error),
    stack: error instanceof Error ? error.stack : undefined,
  };
  // The request's logger when the server handed one over; else this module's (same JSON lines).
  const log = (context as Partial<AppLoadContext> | undefined)?.services?.log ?? MODULE_LOG;
  log.error("request error", fields);
};

export default function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
) {
  const nonce = loadContext.cspNonce;
  const waitForAll = isbot(request.headers.get("user-agent") ?? "");
  return new Promise<Response>((resolve, reject) => {
    let shellRendered = false;
    const onReady = () => {
      shellRendered = true;
      const body = new PassThrough();
      const clean = dropNulBytes();
      responseHeaders.set("Content-Type", "text/html; charset=utf-8");
      resolve(
        new Response(createReadableStreamFromReadable(body.pipe(clean)), {
          headers: responseHeaders,
          status: responseStatusCode,
        }),
      );
      pipe(body);
    };
    const { pipe, abort } = renderToPipeableStream(
      <NonceContext.Provider value={nonce}>
        <ServerStylesContext.Provider value={INLINE_CSS}>
          <RemixServer context={remixContext} url={request.url} abortDelay={ABORT_DELAY_MS} nonce={nonce} />
        </ServerStylesContext.Provider>
      </NonceContext.Provider>,
      {
        nonce,
        ...(waitForAll ? { onAllReady: onReady } : { onShellReady: onReady }),
        onShellError(error: unknown) {
          reject(error);
        },
        onError(error: unknown) {
          responseStatusCode = 500;
          // Errors after the shell are logged here; the error boundary renders the page.
          if (shellRendered) loadContext.services.log.error("render error", { error: String(error) });
        },
      },
    );
    setTimeout(abort, ABORT_DELAY_MS);
  });
}
