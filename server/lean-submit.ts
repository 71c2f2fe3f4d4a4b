/**
 * POST /s/<token>/submit without the framework in the way: the same shared submit function as
 * the Remix action (app/.server/submit.ts — every check, limit and storage guarantee lives
 * there), answered with the same status, JSON body and headers, but without the Remix request
 * pipeline (route matching, the Fetch adapter's streaming body, response conversion), which
 * cost more than the submission itself (docs/rate-limiting.md, "Measured").
 *
 * It is mounted after the security-header middleware and before Remix, for POST only; any other
 * method falls through to the Remix route (405 with Allow: POST). SUBMIT_HANDLER=remix turns it
 * off. The body is read here up to MAX_BODY_BYTES + 1 bytes and handed on as is, so the size
 * decision (413) stays in the shared function; an oversized upload is not read further and its
 * connection is closed after the answer.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { clientAddress } from "../app/.server/client-address";
import type { Services } from "../app/.server/services";
import { submitResponse } from "../app/.server/submit";

/** Reads at most `limit` bytes of the body; `more` when the body went on past them. */
function readUpTo(req: IncomingMessage, limit: number): Promise<{ bytes: Uint8Array<ArrayBuffer>; more: boolean } | null> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const join = (length: number): Uint8Array<ArrayBuffer> => {
      const bytes = new Uint8Array(length);
      let offset = 0;
      for (const chunk of chunks) {
        if (offset >= length) break;
        bytes.set(chunk.subarray(0, length - offset), offset);
        offset += chunk.length;
      }
      return bytes;
    };
    const finish = (value: { bytes: Uint8Array<ArrayBuffer>; more: boolean } | null) => {
      if (settled) return;
      settled = true;
      req.off("data", onData);
      req.off("end", onEnd);
      req.off("error", onError);
      req.off("aborted", onError);
      resolve(value);
    };
    const onData = (chunk: Buffer) => {
      chunks.push(chunk);
      size += chunk.length;
      if (size > limit) {
        req.pause();
        finish({ bytes: join(limit), more: true });
      }
    };
    const onEnd = () => finish({ bytes: join(size), more: false });
    const onError = () => finish(null);
    req.on("data", onData);
    req.on("end", onEnd);
    req.on("error", onError);
    req.on("aborted", onError);
  });
}

function headersOf(req: IncomingMessage): Headers {
  const headers = new Headers();
  const raw = req.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i];
    const value = raw[i + 1];
    if (name !== undefined && value !== undefined) headers.append(name, value);
  }
  return headers;
}

export interface LeanSubmitOptions {
  services: Services;
  /** TRUST_PROXY, lower-cased (config.trustProxyHeader). */
  trustProxyHeader: string | null;
}

/** Answers one POST /s/<token>/submit; `token` is the decoded path parameter. */
export async function leanSubmit(options: LeanSubmitOptions, token: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const { services } = options;
  const headers = headersOf(req);
  const declared = headers.get("content-length");
  const max = services.config.maxBodyBytes;
  // A declared length over the cap is refused by the shared function without reading the body.
  const tooLong = declared !== null && /^[0-9]+$/.test(declared) && Number(declared) > max;
  const read = tooLong ? { bytes: new Uint8Array(0), more: true } : await readUpTo(req, max + 1);
  if (read === null) return; // the client went away mid-body: no one to answer
  const request = new Request(`http://${headers.get("host") ?? "localhost"}${req.url ?? "/"}`, {
    method: "POST",
    headers,
    body: read.bytes.length > 0 ? read.bytes : null,
  });
  const result = await submitResponse(services, {
    token,
    request,
    clientAddress: clientAddress(req.socket.remoteAddress, headers, options.trustProxyHeader),
  });
  const payload = JSON.stringify(result.body);
  res.writeHead(result.status, {
    "Content-Type": "application/json; charset=utf-8",
    "Content-Length": Buffer.byteLength(payload),
    "Cache-Control": "no-store",
    ...result.headers,
    // An unread remainder would be parsed as the next request on a kept-alive connection.
    ...(read.more ? { Connection: "close" } : {}),
  });
  res.end(payload);
}

/** Express middleware for `app.post("/s/:token/submit", …)`. */
export function leanSubmitHandler(options: LeanSubmitOptions) {
  return (req: IncomingMessage & { params: Record<string, string | undefined> }, res: ServerResponse, next: (error?: unknown) => void): void => {
    leanSubmit(options, req.params.token ?? "", req, res).catch(next);
  };
}
