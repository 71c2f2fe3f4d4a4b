/**
 * The lean submit handler (server/lean-submit.ts) answers exactly as the Remix action does.
 * Two sets of services with the same secrets, settings and clock receive the same requests —
 * one over real HTTP through the lean handler, one through the Remix action — and
 * every answer (status, JSON body, Content-Type, Cache-Control, Retry-After) and finally every
 * stored row must be the same: accepted, replayed, already submitted, key conflicts, missing
 * device, wrong media type, oversized (declared and streamed), broken JSON and UTF-8, stale
 * version, forged start time, invalid answers, bad and closed links, honeypot, rate limits, and
 * the client address taken from TRUST_PROXY's header only, never X-Forwarded-For.
 */
import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientAddress } from "../../../app/.server/client-address";
import { leanSubmit, leanSubmitToken } from "../../../server/lean-submit";
import { addCampaign } from "../../support/campaigns";
import { DEMO_SCHOOL_SOCIAL, linkToken, newDevice, newKey, parentAnswers, startedFor, validBody } from "../../support/requests";
import { makeTestServices, testClock, type TestServices } from "../../support/services";

const ENV = {
  SIGNING_SECRET: "lean-submit-parity-signing-secret-0123456789",
  DEVICE_SALT: "lean-submit-parity-device-salt-0123456789ab",
  TRUST_PROXY: "X-Real-IP",
  MAX_BODY_BYTES: "4096",
  RATE_LIMITS: JSON.stringify({ submitAddress: { limit: 40 } }),
};

interface Sent {
  token: string;
  method?: string;
  headers: Record<string, string>;
  body: Buffer;
  /** Send without Content-Length (chunked). */
  chunked?: boolean;
}

interface Answer {
  status: number;
  body: unknown;
  contentType: string | null;
  cacheControl: string | null;
  retryAfter: string | null;
}

let lean: TestServices;
let remix: TestServices;
let server: http.Server;
let port = 0;

beforeAll(async () => {
  const start = testClock().now();
  lean = await makeTestServices({ env: ENV, clock: testClock(start) });
  remix = await makeTestServices({ env: ENV, clock: testClock(start) });
  for (const s of [lean, remix]) await addCampaign(s, { id: "closed2025", opensAt: start - 90 * 86400_000, closesAt: start - 86400_000 });
  const options = { services: lean, trustProxyHeader: lean.config.trustProxyHeader, responseHeaders: () => ({}) };
  server = http.createServer((req, res) => {
    const token = leanSubmitToken(req);
    if (token === null) {
      res.writeHead(404).end();
      return;
    }
    void leanSubmit(options, token, req, res);
  });
  server.listen(0, "127.0.0.1");
  await new Promise<void>((resolve) => server.once("listening", () => resolve()));
  const address = server.address();
  port = typeof address === "object" && address !== null ? address.port : 0;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await lean.dispose();
  await remix.dispose();
});

function overHttp(sent: Sent): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = { ...sent.headers };
    if (!sent.chunked) headers["Content-Length"] = sent.body.length;
    const req = http.request(
      { host: "127.0.0.1", port, method: sent.method ?? "POST", path: `/s/${encodeURIComponent(sent.token)}/submit`, headers, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          resolve({
            status: res.statusCode ?? 0,
            body: text ? JSON.parse(text) : null,
            contentType: res.headers["content-type"] ?? null,
            cacheControl: res.headers["cache-control"] ?? null,
            retryAfter: typeof res.headers["retry-after"] === "string" ? res.headers["retry-after"] : null,
          });
        });
      },
    );
    req.on("error", reject);
    if (sent.chunked) {
      // Several chunks, as a slow phone would send them.
      for (let i = 0; i < sent.body.length; i += 1000) req.write(sent.body.subarray(i, i + 1000));
      req.end();
    } else {
      req.end(sent.body);
    }
  });
}

async function throughRemix(sent: Sent): Promise<Answer> {
  const headers = new Headers(sent.headers);
  if (!sent.chunked) headers.set("Content-Length", String(sent.body.length));
  const request = new Request(`https://survey.test/s/${sent.token}/submit`, { method: "POST", headers, body: new Uint8Array(sent.body) });
  const { action } = await import("../../../app/routes/s.$token_.submit/route");
  const response = await action({
    request,
    params: { token: sent.token },
    context: { services: remix, clientAddress: clientAddress("127.0.0.1", headers, remix.config.trustProxyHeader), cspNonce: "n" },
  });
  const text = await response.text();
  return {
    status: response.status,
    body: text ? JSON.parse(text) : null,
    contentType: response.headers.get("content-type"),
    cacheControl: response.headers.get("cache-control"),
    retryAfter: response.headers.get("retry-after"),
  };
}

async function both(sent: Sent): Promise<Answer> {
  const a = await overHttp(sent);
  const b = await throughRemix(sent);
  expect(a).toEqual(b);
  return a;
}

const json = (value: unknown) => Buffer.from(JSON.stringify(value), "utf8");

function req(token: string, cookie: string | null, body: Buffer, extra: Record<string, string> = {}): Sent {
  return {
    token,
    headers: { "Content-Type": "application/json", "X-Real-IP": "198.51.100.9", ...(cookie ? { Cookie: cookie } : {}), ...extra },
    body,
  };
}

describe("the lean submit handler answers as the Remix action does", () => {
  it("for every kind of submission, and stores the same rows", async () => {
    const token = linkToken(lean);
    const device = newDevice(lean);
    const other = newDevice(lean);
    const first = validBody(lean);
    const statuses: number[] = [];
    const send = async (sent: Sent) => statuses.push((await both(sent)).status);

    await send(req(token, device, json(first))); // accepted
    await send(req(token, device, json(first))); // replayed
    await send(req(token, device, json(validBody(lean)))); // already submitted
    await send(req(token, other, json({ ...validBody(lean), idempotencyKey: first.idempotencyKey }))); // key conflict
    await send(req(token, null, json(validBody(lean)))); // no device
    await send(req(token, newDevice(lean), json(validBody(lean)), { "Content-Type": "text/plain" })); // 415
    await send(req(token, newDevice(lean), Buffer.alloc(5000, 0x20))); // 413 declared
    await send({ ...req(token, newDevice(lean), Buffer.concat([json(validBody(lean)), Buffer.alloc(5000, 0x20)])), chunked: true }); // 413 streamed
    await send({ ...req(token, newDevice(lean), json(validBody(lean))), chunked: true }); // accepted, chunked
    await send(req(token, newDevice(lean), Buffer.from('{"version":1,', "utf8"))); // broken JSON
    await send(req(token, newDevice(lean), Buffer.from([0x7b, 0xff, 0xfe, 0x7d]))); // not UTF-8
    await send(req(token, newDevice(lean), json({ ...validBody(lean), version: 2 }))); // stale version
    await send(req(token, newDevice(lean), json({ ...validBody(lean), started: "abc.def" }))); // forged start
    await send(req(token, newDevice(lean), json(validBody(lean, { answers: parentAnswers({ overall: "棒极了", grade: 12 }) })))); // invalid answers
    await send(req(`${token}x`, newDevice(lean), json(validBody(lean)))); // forged link
    const closed = { ...DEMO_SCHOOL_SOCIAL, campaignId: "closed2025" };
    await send(req(linkToken(lean, closed), newDevice(lean), json(validBody(lean, { scope: closed })))); // closed
    // Its own start time: the same answers at the same start as an earlier one would also be repeat_answers.
    const spammer = newDevice(lean);
    await send(req(token, spammer, json({ ...validBody(lean, { cookie: spammer, startedAt: lean.now() - 181_000 }), website: "http://spam.example" }))); // honeypot
    const speeder = newDevice(lean);
    await send(req(token, speeder, json({ ...validBody(lean), started: startedFor(lean, DEMO_SCHOOL_SOCIAL, lean.now() - 5_000, speeder) }))); // too fast
    const form = new URLSearchParams({
      version: "1",
      idempotencyKey: newKey(),
      started: startedFor(lean),
      ...Object.fromEntries(Object.entries(parentAnswers()).map(([k, v]) => [k, String(v)])),
    });
    await send(req(token, newDevice(lean), Buffer.from(form.toString(), "utf8"), { "Content-Type": "application/x-www-form-urlencoded" }));
    // One device flooding: 5 checks admitted in the window, then 429 with the same Retry-After.
    const flooder = newDevice(lean);
    for (let i = 0; i < 7; i++) await send(req(token, flooder, json(validBody(lean))));

    expect(statuses).toEqual([
      200,
      200,
      409,
      409,
      400,
      415,
      413,
      413,
      200,
      400,
      400,
      400,
      400,
      400,
      404,
      410,
      200,
      200,
      expect.any(Number),
      200,
      409,
      409,
      409,
      409,
      429,
      429,
    ]);

    const rows = async (s: TestServices) => s.db.selectFrom("responses").selectAll().orderBy("id").execute();
    const leanRows = await rows(lean);
    expect(leanRows.length).toBeGreaterThanOrEqual(5);
    expect(leanRows).toEqual(await rows(remix));
    expect(leanRows.map((r) => r.flags)).toContain('["honeypot"]');
    expect(leanRows.map((r) => r.flags)).toContain('["too_fast"]');
  });

  it("takes the client address from TRUST_PROXY's header only, never from X-Forwarded-For", async () => {
    const token = linkToken(lean);
    const statuses: number[] = [];
    // 40 per address per window (ENV): a rotating X-Forwarded-For does not buy a 41st.
    for (let i = 0; i < 41; i++) {
      const answer = await both(req(token, newDevice(lean), json(validBody(lean)), { "X-Real-IP": "203.0.113.99", "X-Forwarded-For": `10.9.${i}.1` }));
      statuses.push(answer.status);
    }
    expect(statuses.slice(0, 40).every((s) => s === 200)).toBe(true);
    expect(statuses[40]).toBe(429);
    // Another address is unaffected.
    expect((await both(req(token, newDevice(lean), json(validBody(lean)), { "X-Real-IP": "203.0.113.100" }))).status).toBe(200);
  });

  it("leaves other methods to the Remix route", async () => {
    const res = await new Promise<number>((resolve) => {
      http.get({ host: "127.0.0.1", port, path: `/s/${linkToken(lean)}/submit`, agent: false }, (r) => {
        r.resume();
        resolve(r.statusCode ?? 0);
      });
    });
    // Nothing but the lean handler is mounted in this test's server: anything else is 404 here.
    expect(res).toBe(404);
  });
});
