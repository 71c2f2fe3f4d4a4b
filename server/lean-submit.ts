/**
 * POST /s/<token>/submit without the framework in the way: the same shared submit function as
 * the Remix action (app/.server/collect/submit.ts — every check, limit and storage guarantee lives
 * there), answered with the same status, JSON body and headers, but without Express, the
 * compression middleware or Remix's Fetch adapter (undici Request, web streams), which together
 * cost more than the submission itself (docs/rate-limiting.md, "Measured").
 *
 * It is called from the HTTP server's request listener before Express (server/index.ts), for
 * POST to that path only; SUBMIT_HANDLER=remix turns it off. The body is read here up to
 * MAX_BODY_BYTES, decoded strictly as UTF-8; an oversized body is not read further and its
 * connection is closed after the answer. In the server the request guard
 * (server/request-guard.ts) has already refused an oversized declared length, and its clock
 * answers a body that stalls or takes too long (408); then nothing more is written here. The
 * body is read here directly, not through the guard's counting stream, which would cost the
 * fastest path a stream hop per request: the cap here is the same MAX_BODY_BYTES.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { BodyRead } from "../app/.server/collect/body";
import { clientAddress } from "../app/.server/client-address";
import type { Services } from "../app/.server/context";
import { submitResponse } from "../app/.server/collect/submit";
import { lingerOnClose, type BodyClock } from "./request-guard";

const PATH = /^\/s\/([A-Za-z0-9_.~%-]{1,300})\/submit(?:\?.*)?$/;

/** The token when `req` is a POST to /s/<token>/submit, else null. */
export function leanSubmitToken(req: IncomingMessage): string | null {
  if (req.method !== "POST") return null;
  const match = PATH.exec(req.url ?? "");
  if (!match?.[1]) return null;
  try {
    return decodeURIComponent(match[1]);
  } catch {
    return null;
  }
}

/** Reads the body up to `max` bytes; a longer body is reported (and left unread). */
function readBody(req: IncomingMessage, max: number, clock: BodyClock | undefined): Promise<BodyRead & { more?: boolean }> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const finish = (value: BodyRead & { more?: boolean }) => {
      if (settled) return;
      settled = true;
      req.off("data", onData);
      req.off("end", onEnd);
      req.off("error", onError);
      req.off("aborted", onError);
      resolve(value);
    };
    const onData = (chunk: Buffer) => {
      clock?.touch();
      size += chunk.length;
      if (size > max) {
        req.pause();
        finish({ ok: false, reason: "too_large", more: true });
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      clock?.done();
      try {
        finish({ ok: true, text: new TextDecoder("utf-8", { fatal: true }).decode(Buffer.concat(chunks, size)) });
      } catch {
        finish({ ok: false, reason: "bad_encoding" });
      }
    };
    const onError = () => finish({ ok: false, reason: "aborted" });
    req.on("data", onData);
    req.on("end", onEnd);
    req.on("error", onError);
    req.on("aborted", onError);
  });
}

export interface LeanSubmitOptions {
  services: Services;
  /** TRUST_PROXY, lower-cased (config.trustProxyHeader). */
  trustProxyHeader: string | null;
  /** Headers every response carries (the security headers of server/index.ts). */
  responseHeaders: () => Record<string, string>;
}

/** Answers one POST /s/<token>/submit; `clock` times its body (the server's request guard). */
export async function leanSubmit(options: LeanSubmitOptions, token: string, req: IncomingMessage, res: ServerResponse, clock?: BodyClock): Promise<void> {
  const { services } = options;
  const headers = {
    get(name: string): string | null {
      const value = req.headers[name.toLowerCase()];
      return Array.isArray(value) ? value.join(", ") : (value ?? null);
    },
  };
  let unread = false;
  const result = await submitResponse(services, {
    token,
    headers,
    clientAddress: clientAddress(req.socket.remoteAddress, headers, options.trustProxyHeader),
    readBody: async (max) => {
      const read = await readBody(req, max, clock);
      unread = read.more === true;
      return read;
    },
  });
  // Node discards an unread body before the next request on a kept-alive connection; one over
  // the cap is not worth reading, so that connection is closed instead.
  const declared = Number(headers.get("content-length") ?? "0");
  // The guard has answered already (the body too slow), or the client has gone.
  if (res.headersSent || res.writableEnded || res.destroyed) return;
  const close = unread || !req.complete || !(declared <= services.config.maxBodyBytes);
  if (close) lingerOnClose(req);
  const payload = JSON.stringify(result.body);
  res.writeHead(result.status, {
    ...options.responseHeaders(),
    "Content-Type": "application/json; charset=utf-8",
    "Content-Length": Buffer.byteLength(payload),
    "Cache-Control": "no-store",
    ...result.headers,
    ...(close ? { Connection: "close" } : {}),
  });
  res.end(payload);
}
