import http, { IncomingMessage } from "node:http";
import { Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import {
  acceptsType,
  BodyRefusedError,
  bodyLimitsFor,
  FORM_MAX_BYTES,
  guardBody,
  isCrossOrigin,
  QUESTIONNAIRE_MAX_BYTES,
  UPLOAD_MAX_BYTES,
  type BodyLimits,
} from "./request-guard";

function request(headers: Record<string, string>): IncomingMessage {
  const req = new IncomingMessage(new Socket());
  req.headers = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  return req;
}

describe("bodyLimitsFor", () => {
  it("gives the survey's routes MAX_BODY_BYTES, uploads their file limit, everything else 64 KB", () => {
    const token = "MX56dzIwMjZ-NjQwNTAyfnNwdDAxfnNvY2lhbA.GuyiL7a2s5uElaHIYbRgDQ";
    expect(bodyLimitsFor(`/s/${token}/submit`, 32_768).maxBytes).toBe(32_768);
    expect(bodyLimitsFor(`/s/${token}`, 4_096).maxBytes).toBe(4_096);
    expect(bodyLimitsFor(`/s/${token}/`, 4_096).maxBytes).toBe(4_096);
    expect(bodyLimitsFor(`/s/${token}/supervise`, 4_096).maxBytes).toBe(4_096);
    expect(bodyLimitsFor("/admin/campaigns/zw2026/evaluation-data", 4_096).maxBytes).toBe(10 * 1024 * 1024 + 65_536);
    expect(bodyLimitsFor("/admin/campaigns/zw2026/schools-import", 4_096).maxBytes).toBe(UPLOAD_MAX_BYTES);
    expect(bodyLimitsFor("/admin/questionnaires", 4_096).maxBytes).toBe(QUESTIONNAIRE_MAX_BYTES);
    for (const path of ["/login", "/logout", "/admin/accounts", "/", "/s/x/done", "/admin/campaigns/zw2026/evaluation-data/x"]) {
      expect(bodyLimitsFor(path, 4_096).maxBytes, path).toBe(FORM_MAX_BYTES);
    }
    expect(bodyLimitsFor("/login", 4_096).tooLarge).toBe("提交的内容过大（超过 64 KB），请缩短后再提交。");
    // Small forms must arrive within seconds; an upload gets minutes.
    expect(bodyLimitsFor("/login", 4_096).totalMs).toBe(20_000);
    expect(bodyLimitsFor("/admin/questionnaires", 4_096).totalMs).toBe(120_000);
  });
});

describe("acceptsType", () => {
  it("lets forms post forms, uploads multipart, and the survey's routes decide for themselves", () => {
    const form = { "Content-Type": "application/x-www-form-urlencoded;charset=UTF-8", "Content-Length": "10" };
    const json = { "Content-Type": "application/json", "Content-Length": "2" };
    const multipart = { "Content-Type": "multipart/form-data; boundary=----x", "Content-Length": "10" };
    const login = bodyLimitsFor("/login", 4_096);
    expect(acceptsType(request(form), login)).toBe(true);
    expect(acceptsType(request(json), login)).toBe(false);
    expect(acceptsType(request(multipart), login)).toBe(false);
    expect(acceptsType(request({ "Content-Length": "3" }), login)).toBe(false);
    // No body at all (a sign-out button posting nothing): nothing to parse.
    expect(acceptsType(request({}), login)).toBe(true);
    expect(acceptsType(request({ "Content-Length": "0" }), login)).toBe(true);
    const upload = bodyLimitsFor("/admin/campaigns/zw2026/evaluation-data", 4_096);
    expect(acceptsType(request(multipart), upload)).toBe(true);
    expect(acceptsType(request(json), upload)).toBe(false);
    expect(acceptsType(request(json), bodyLimitsFor("/s/abc/submit", 4_096))).toBe(true);
    expect(acceptsType(request({ "Content-Type": "text/plain", "Content-Length": "3" }), bodyLimitsFor("/s/abc", 4_096))).toBe(true);
    expect(acceptsType(request(json), bodyLimitsFor("/s/abc/supervise", 4_096))).toBe(false);
  });
});

describe("isCrossOrigin", () => {
  const PUBLIC = "https://survey.example.gov.cn";
  it("passes our own origin: the request's Host, or PUBLIC_URL's origin", () => {
    expect(isCrossOrigin(request({ Host: "127.0.0.1:3000", Origin: "http://127.0.0.1:3000" }), PUBLIC)).toBe(false);
    expect(isCrossOrigin(request({ Host: "127.0.0.1:3000", Origin: PUBLIC }), PUBLIC)).toBe(false);
    expect(isCrossOrigin(request({ Host: "Survey.Example.gov.cn", Origin: "https://survey.example.gov.cn" }), PUBLIC)).toBe(false);
    expect(isCrossOrigin(request({ Host: "other.example:443", Origin: "https://other.example" }), PUBLIC)).toBe(false);
    expect(isCrossOrigin(request({ Host: "[::1]:3000", Origin: "http://[::1]:3000" }), PUBLIC)).toBe(false);
    expect(isCrossOrigin(request({ Host: "x", Origin: PUBLIC, "Sec-Fetch-Site": "same-origin" }), PUBLIC)).toBe(false);
    expect(isCrossOrigin(request({ Host: "x", Referer: `${PUBLIC}/s/abc` }), PUBLIC)).toBe(false);
    // No Origin, no Referer: not a browser's cross-site form (curl, scripts, the tests).
    expect(isCrossOrigin(request({ Host: "x" }), PUBLIC)).toBe(false);
  });

  it("refuses another origin, Origin null, a cross-site fetch and a foreign Referer", () => {
    expect(isCrossOrigin(request({ Host: "127.0.0.1:3000", Origin: "null" }), PUBLIC)).toBe(true);
    expect(isCrossOrigin(request({ Host: "127.0.0.1:3000", Origin: "http://127.0.0.1:3001" }), PUBLIC)).toBe(true);
    expect(isCrossOrigin(request({ Host: "127.0.0.1:3000", Origin: "https://evil.example" }), PUBLIC)).toBe(true);
    expect(isCrossOrigin(request({ Host: "127.0.0.1:3000", Origin: "http://survey.example.gov.cn" }), PUBLIC)).toBe(true);
    expect(isCrossOrigin(request({ Host: "other.example:80", Origin: "https://other.example" }), PUBLIC)).toBe(true);
    expect(isCrossOrigin(request({ Host: "127.0.0.1:3000", Origin: "not a url" }), PUBLIC)).toBe(true);
    expect(isCrossOrigin(request({ Host: "x", Origin: PUBLIC, "Sec-Fetch-Site": "cross-site" }), PUBLIC)).toBe(true);
    expect(isCrossOrigin(request({ Host: "x", Referer: "https://evil.example/page" }), PUBLIC)).toBe(true);
  });
});

describe("guardBody", () => {
  let server: http.Server | undefined;
  afterEach(async () => {
    server?.closeAllConnections();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    server = undefined;
  });

  /** Serves one request through guardBody; the reader waits `readAfterMs` before reading. */
  async function serve(limits: BodyLimits, send: (req: http.ClientRequest) => void, readAfterMs = 0) {
    const outcome = new Promise<{ bytes: number; refused: string | null; error: unknown }>((resolve) => {
      server = http.createServer((req, res) => {
        let refused: string | null = null;
        const body = guardBody(req, limits, (reason) => {
          refused = reason;
          res.writeHead(reason === "too_large" ? 413 : 408, { Connection: "close" }).end();
        });
        setTimeout(async () => {
          let bytes = 0;
          try {
            for await (const chunk of body.stream) bytes += Buffer.byteLength(chunk as Buffer);
            res.end("ok");
            resolve({ bytes, refused, error: null });
          } catch (error) {
            resolve({ bytes, refused, error });
          }
        }, readAfterMs);
      });
    });
    await new Promise<void>((resolve) => server?.listen(0, "127.0.0.1", () => resolve()));
    const address = server?.address();
    const port = typeof address === "object" && address ? address.port : 0;
    const req = http.request({ port, host: "127.0.0.1", method: "POST", path: "/" });
    req.on("error", () => undefined);
    req.on("response", (r) => r.resume());
    send(req);
    return outcome;
  }

  const limits = (maxBytes: number, idleMs = 2_000, totalMs = 5_000): BodyLimits => ({ maxBytes, idleMs, totalMs, tooLarge: "过大", types: null });

  it("passes a body of exactly the cap and refuses one byte more, chunked", async () => {
    const exact = await serve(limits(1_000), (req) => req.end(Buffer.alloc(1_000)));
    expect(exact).toEqual({ bytes: 1_000, refused: null, error: null });
    const over = await serve(limits(1_000), (req) => {
      req.write(Buffer.alloc(600));
      req.end(Buffer.alloc(401));
    });
    expect(over.refused).toBe("too_large");
    expect(over.error).toBeInstanceOf(BodyRefusedError);
    expect(over.bytes).toBeLessThanOrEqual(1_000);
  });

  it("times out a body that stops arriving", async () => {
    const t = Date.now();
    const stalled = await serve(limits(10_000, 150, 5_000), (req) => req.write(Buffer.alloc(100)));
    expect(stalled.refused).toBe("timeout");
    expect(Date.now() - t).toBeLessThan(1_500);
  });

  it("does not blame the client when the reader is the slow one", async () => {
    // 2 MB sent at once, more than the guard buffers; nobody reads for 600 ms (idle limit 150 ms).
    const late = await serve(limits(4_000_000, 150, 5_000), (req) => req.end(Buffer.alloc(2_000_000)), 600);
    expect(late).toEqual({ bytes: 2_000_000, refused: null, error: null });
  });
});
