/**
 * A corpus of malformed requests against the real submit action and a real SQLite file: every
 * one must be answered 4xx (never 5xx) and none may write anything.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createKeys } from "../../app/.server/keys";
import { signLink } from "../../app/.server/collect/link-token";
import { addCampaign } from "../support/campaigns";
import { callSubmit, DEMO_SCHOOL_SOCIAL, linkToken, newDevice, newKey, parentAnswers, startedFor, validBody, type SubmitOptions } from "../support/requests";
import { makeTestServices, type TestServices } from "../support/services";

let services: TestServices;

beforeAll(async () => {
  // A limiter that never refuses, so every request reaches the checks under test.
  services = await makeTestServices({
    limiter: {
      limit: async (_n, rule) => ({ success: true, limit: rule.limit, remaining: rule.limit, reset: 0 }),
      peek: async (_n, rule) => ({ success: true, limit: rule.limit, remaining: rule.limit, reset: 0 }),
      close: async () => {},
    },
  });
  const now = services.now();
  await addCampaign(services, { id: "closed2025", opensAt: now - 90 * 86400_000, closesAt: now - 86400_000 });
});

afterAll(async () => {
  await services.dispose();
});

const SCRIPT = "<script>alert(document.cookie)</script>";
const FORMULAS = ['=HYPERLINK("http://evil.example","点我")', "=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(1,1)", "=1+1\t"];

function corpus(): Array<{ name: string; request: SubmitOptions }> {
  const token = linkToken(services);
  const cookie = newDevice(services);
  const good = validBody(services);
  const cases: Array<{ name: string; request: SubmitOptions }> = [];
  const add = (name: string, request: SubmitOptions) => cases.push({ name, request });

  // Forged, truncated, foreign and expired links.
  const otherKeys = createKeys({ signing: "x".repeat(43), deviceSalt: "y".repeat(43) });
  const forgedTokens = [
    "",
    "x",
    ".",
    "abc.def",
    token.slice(0, 10),
    token.slice(0, -1),
    `${token}x`,
    token.replace(".", ".."),
    token.split(".")[0] ?? "",
    `.${token.split(".")[1] ?? ""}`,
    signLink(otherKeys, DEMO_SCHOOL_SOCIAL),
    signLink(otherKeys, { ...DEMO_SCHOOL_SOCIAL, schoolId: null }),
    token.toUpperCase(),
    token.toLowerCase(),
    "../../etc/passwd",
    "%00",
    "null",
    "undefined",
    "<script>",
    "x".repeat(300),
    "😀😀😀.😀",
  ];
  for (let i = 0; i < token.length; i += 3) {
    forgedTokens.push(token.slice(0, i) + (token[i] === "A" ? "B" : "A") + token.slice(i + 1));
  }
  for (const t of forgedTokens) add(`forged token ${t.slice(0, 30)}`, { token: t, cookie, body: good });
  for (const scope of [
    { ...DEMO_SCHOOL_SOCIAL, campaignId: "closed2025" },
    { ...DEMO_SCHOOL_SOCIAL, campaignId: "no-such" },
    { ...DEMO_SCHOOL_SOCIAL, schoolId: "zn01" },
    { ...DEMO_SCHOOL_SOCIAL, schoolId: "no-such" },
  ]) {
    add(`link ${JSON.stringify(scope)}`, { token: linkToken(services, scope), cookie, body: validBody(services, { scope }) });
  }

  // Envelopes of the wrong shape.
  const envelopes: unknown[] = [
    null,
    [],
    "answers",
    42,
    {},
    { ...good, version: "1" },
    { ...good, version: 1.5 },
    { ...good, version: -1 },
    { ...good, version: null },
    { ...good, idempotencyKey: "short" },
    { ...good, idempotencyKey: "x".repeat(65) },
    { ...good, idempotencyKey: "has spaces and 中文 in it!!" },
    // A number too large for a double is still a number, not a key.
    { ...good, idempotencyKey: 12345678901234567000 },
    { ...good, idempotencyKey: undefined },
    { ...good, started: undefined },
    { ...good, started: 12345 },
    { ...good, started: "x".repeat(100) },
    { ...good, started: "lq3x.AAAAAAAAAAAAAAAAAAAAAA" },
    { ...good, started: startedFor(services, DEMO_SCHOOL_SOCIAL, services.now() + 3600_000) },
    { ...good, started: startedFor(services, DEMO_SCHOOL_SOCIAL, services.now() - 400 * 86400_000) },
    { ...good, started: startedFor(services, { ...DEMO_SCHOOL_SOCIAL, questionnaireId: "staff" }) },
    { ...good, answers: null },
    { ...good, answers: [] },
    { ...good, answers: "满意" },
    { ...good, answers: undefined },
    { ...good, website: 42 },
    { ...good, website: "x".repeat(600) },
    { ...good, version: 2 },
    { ...good, version: 0 },
  ];
  for (const [i, body] of envelopes.entries()) add(`envelope #${i}`, { token, cookie, body });

  // Answers: wrong types, unknown items, out-of-choice values, hidden questions, missing ones.
  const answerSets: Array<Record<string, unknown>> = [];
  const base = parentAnswers();
  for (const key of Object.keys(base)) {
    if (key === "comment") continue;
    const { [key]: _dropped, ...missing } = base;
    answerSets.push(missing);
    for (const bad of [null, true, [base[key]], { v: base[key] }, 99, "满 意", "", " 满意", "满意\u0000", "Satisfied"]) {
      answerSets.push({ ...base, [key]: bad });
    }
  }
  for (const extra of ["hacker", "__proto__", "constructor", "toString", "overall2", "Grade", "group ", "评价"]) {
    answerSets.push({ ...base, [extra]: "满意" });
  }
  answerSets.push({ ...base, group: "人大代表" }, { ...base, grade: 7 }, { ...base, grade: 0 }, { ...base, grade: 3.5 }, { ...base, grade: "三年级" });
  answerSets.push({ ...base, comment: "字".repeat(501) }, { ...base, comment: 123 }, { ...base, comment: ["a"] });
  // Script and spreadsheet-formula payloads, each riding on a request that is otherwise wrong.
  for (const payload of [SCRIPT, ...FORMULAS]) {
    answerSets.push({ ...base, comment: payload, overall: undefined });
    answerSets.push({ ...base, comment: payload, moral: payload });
    answerSets.push({ ...base, [payload]: "满意" });
  }
  for (const [i, answers] of answerSets.entries()) {
    const clean = Object.fromEntries(Object.entries(answers).filter(([, v]) => v !== undefined));
    add(`answers #${i} ${JSON.stringify(clean).slice(0, 60)}`, { token, cookie, body: { ...good, idempotencyKey: newKey(), answers: clean } });
  }
  add("script payload with a forged token", { token: `${SCRIPT}.${SCRIPT}`, cookie, body: { ...good, answers: { ...base, comment: SCRIPT } } });
  add("formula payload with a stale version", { token, cookie, body: { ...good, version: 9, answers: { ...base, comment: FORMULAS[0] } } });

  // Bodies that are not JSON, truncated, oversized, or of another content type.
  const text = JSON.stringify(good);
  for (const cut of [1, 10, 50, 100, Math.floor(text.length / 2), text.length - 1]) {
    add(`truncated body at ${cut}`, { token, cookie, rawBody: text.slice(0, cut) });
  }
  add("empty body", { token, cookie, rawBody: "" });
  add("not json", { token, cookie, rawBody: "version=1&answers=满意" });
  add("json with trailing junk", { token, cookie, rawBody: `${text}garbage` });
  add("oversized comment body", { token, cookie, body: { ...good, answers: { ...base, comment: "字".repeat(20_000) } } });
  add("oversized padding", { token, cookie, rawBody: JSON.stringify({ ...good, pad: "x".repeat(200_000) }) });
  add("lying content-length", { token, cookie, body: good, headers: { "Content-Length": "999999999" } });
  add("bad content-length", { token, cookie, body: good, headers: { "Content-Length": "-5" } });
  add("form encoded", { token, cookie, body: good, contentType: "application/x-www-form-urlencoded" });
  add("text/plain", { token, cookie, body: good, contentType: "text/plain" });
  add("multipart", { token, cookie, body: good, contentType: "multipart/form-data; boundary=x" });

  // Devices that are not ours.
  add("no device cookie", { token, cookie: null, body: good });
  add("forged device cookie", { token, cookie: "yz_did=AAAAAAAAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAA", body: good });
  add("garbage device cookie", { token, cookie: "yz_did=<script>", body: good });
  return cases;
}

describe("the malformed-request corpus", () => {
  it("has at least 200 requests, each answered 4xx with a message, and none writes", async () => {
    const cases = corpus();
    expect(cases.length).toBeGreaterThanOrEqual(200);
    const statuses = new Map<number, number>();
    for (const c of cases) {
      const res = await callSubmit(services, c.request);
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      expect(res.status, c.name).toBeGreaterThanOrEqual(400);
      expect(res.status, c.name).toBeLessThan(500);
      expect(res.body.ok, c.name).toBe(false);
      expect(typeof res.body.message, c.name).toBe("string");
      expect(String(res.body.message), c.name).toMatch(/[\u4e00-\u9fff]/);
    }
    const written = await services.db
      .selectFrom("responses")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    expect(Number(written.n)).toBe(0);
    const items = await services.db
      .selectFrom("response_items")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    expect(Number(items.n)).toBe(0);
    // The corpus reaches every kind of refusal, not just the first check.
    expect([...statuses.keys()].sort()).toEqual(expect.arrayContaining([400, 404, 410, 413, 415]));
  });

  it("still accepts the well-formed request it was built from", async () => {
    const res = await callSubmit(services, { token: linkToken(services), cookie: newDevice(services), body: validBody(services) });
    expect(res.status).toBe(200);
  });
});
