/**
 * Issue 12: a school's link shut for everyone. 2 × 1 005 junk posts from two addresses used up
 * one school's link allowance, and the next honest phones from a third address got 429. Now a
 * refused request (no device cookie, forged link, unreadable or invalid body) counts only on
 * its own address's junk allowance, and only a submission that could be accepted reaches the
 * link's shared allowance. Through the real submit action, on the in-process limiter always
 * and on Redis when REDIS_URL is set; the clock is injected.
 */
import { describe, expect, it } from "vitest";
import { scopeKey } from "../../../app/.server/collect/link-token";
import { DEFAULT_RATE_LIMIT_RULES, peekLimit } from "../../../app/.server/rate-limit/policy";
import {
  callSubmit,
  DEMO_SCHOOL_SOCIAL,
  linkToken,
  newDevice,
  newKey,
  parentAnswers,
  startedFor,
  validBody,
  variedParentAnswers,
} from "../../support/requests";
import type { TestServices } from "../../support/services";
import { announceSkip, limiterVariants, servicesOn } from "../rate-limit/support/backends";

const JUNK_A = "198.18.0.1";
const JUNK_B = "198.18.0.2";
const HONEST = "203.0.113.30";
const OTHER_SCHOOL = { ...DEMO_SCHOOL_SOCIAL, schoolId: "spt02" };
const TOO_MANY = /^提交太频繁，请\d+秒后再试。您的答案已保存在本机，不会丢失。$/;

const VARIANTS = limiterVariants();

for (const variant of VARIANTS) {
  announceSkip(`link-exhaustion tests on ${variant.name}`, variant.skip);

  describe.skipIf(variant.skip !== null)(`a school's link under junk on the ${variant.name}`, () => {
    const start = servicesOn(variant, "junk");

    /** The kinds of junk a robot sends: each refused 4xx with its own Chinese message. */
    function junk(s: TestServices, token: string, i: number) {
      switch (i % 5) {
        case 0: // no device cookie (the flood)
          return { options: { token, cookie: null, body: validBody(s) }, status: 400, error: "no_device" };
        case 1: // a forged link
          return { options: { token: `${token.slice(0, -4)}AAAA`, cookie: newDevice(s), body: validBody(s) }, status: 404, error: "link_invalid" };
        case 2: // an unreadable body
          return { options: { token, cookie: newDevice(s), rawBody: '{"version":1,', contentType: "application/json" }, status: 400, error: "bad_request" };
        case 3: // answers that fail validation
          return {
            options: { token, cookie: newDevice(s), body: validBody(s, { answers: parentAnswers({ moral: "还行吧" }) }) },
            status: 400,
            error: "invalid_answers",
          };
        default: // a body that is not a submission at all
          return { options: { token, cookie: newDevice(s), rawBody: "hello", contentType: "text/plain" }, status: 415, error: "unsupported_media_type" };
      }
    }

    it("2 × 1 005 junk posts from two addresses, interleaved with 20 honest phones from a third: all 20 accepted, only they stored", async () => {
      const s = await start();
      const token = linkToken(s);
      const junkLimit = DEFAULT_RATE_LIMIT_RULES.submitJunkAddress.limit;
      const junkStatuses = new Map<string, number[]>([
        [JUNK_A, []],
        [JUNK_B, []],
      ]);
      const honest: number[] = [];
      const first = new Map<string, { status: number; error: unknown; message: unknown }>();
      for (let i = 0; i < 1005; i++) {
        for (const address of [JUNK_A, JUNK_B]) {
          const j = junk(s, token, i + (address === JUNK_B ? 2 : 0));
          const res = await callSubmit(s, { ...j.options, clientAddress: address });
          junkStatuses.get(address)?.push(res.status);
          if (res.status !== 429) {
            expect(res.status).toBe(j.status);
            expect(res.body.error).toBe(j.error);
            if (!first.has(j.error)) first.set(j.error, { status: res.status, error: res.body.error, message: res.body.message });
          } else {
            expect(res.body).toMatchObject({ ok: false, error: "rate_limited", message: expect.stringMatching(TOO_MANY) });
            expect(Number(res.headers.get("Retry-After"))).toBeGreaterThanOrEqual(1);
          }
        }
        // An honest phone every 50 junk pairs, the 1.6 s of the issue stretched a little.
        // Each a different parent: its own device (the start token bound to it), answers and pace.
        if (i % 50 === 49) {
          const cookie = newDevice(s);
          const n = honest.length;
          const body = validBody(s, { cookie, answers: variedParentAnswers(n), startedAt: s.now() - 120_000 - n * 11_000 });
          honest.push((await callSubmit(s, { token, cookie, body, clientAddress: HONEST })).status);
        }
        s.clock.advance(1);
      }
      expect(honest).toEqual(Array(20).fill(200));
      // Each junk address had its 100 refusals answered with their reason, then 429.
      for (const statuses of junkStatuses.values()) {
        expect(statuses.slice(0, junkLimit).every((st) => st !== 429)).toBe(true);
        expect(statuses.slice(junkLimit).every((st) => st === 429)).toBe(true);
      }
      // The Chinese messages of the refusals.
      expect(first.get("no_device")?.message).toBe("无法识别您的设备。请允许浏览器保存 Cookie，刷新页面后再提交。");
      expect(first.get("bad_request")?.message).toBe("提交的内容不完整，请检查网络后重试。");
      expect(first.get("unsupported_media_type")?.message).toBe("提交格式不正确，请刷新页面后重试。");
      expect(String(first.get("link_invalid")?.message)).toMatch(/^链接无效：/);
      expect(String(first.get("invalid_answers")?.message).length).toBeGreaterThan(0);
      // The store holds exactly the honest responses.
      const rows = await s.db.selectFrom("responses").select(["school_id", "flags"]).execute();
      expect(rows).toHaveLength(20);
      expect(rows.every((r) => r.school_id === "spt01" && r.flags === "[]")).toBe(true);
      expect(await s.db.selectFrom("response_items").select("response_id").distinct().execute()).toHaveLength(20);
      // The link's shared allowance counted the 20 honest submissions and nothing else.
      const link = await peekLimit(s.limiter, { tier: "submitLink", identifier: scopeKey(DEMO_SCHOOL_SOCIAL) }, s.now());
      expect(link.remaining).toBe(DEFAULT_RATE_LIMIT_RULES.submitLink.limit - 20);
      // More honest phones after the flood, from the third address and from a junk address's
      // neighbour: accepted; another school was never touched.
      for (let i = 0; i < 20; i++) expect((await callSubmit(s, { token, cookie: newDevice(s), body: validBody(s), clientAddress: HONEST })).status).toBe(200);
      const other = await callSubmit(s, {
        token: linkToken(s, OTHER_SCHOOL),
        cookie: newDevice(s),
        body: validBody(s, { scope: OTHER_SCHOOL }),
        clientAddress: "198.18.0.3",
      });
      expect(other.status).toBe(200);
      expect(await s.db.selectFrom("responses").select("id").execute()).toHaveLength(41);
    });

    it("the link's allowance still holds for submissions that could be accepted, and junk spends none of it", async () => {
      const s = await start({ RATE_LIMITS: JSON.stringify({ submitLink: { limit: 5 } }) });
      const token = linkToken(s);
      for (let i = 0; i < 60; i++) await callSubmit(s, { ...junk(s, token, i).options, clientAddress: i % 2 === 0 ? JUNK_A : JUNK_B });
      const statuses = [];
      for (let i = 0; i < 6; i++) statuses.push(await callSubmit(s, { token, cookie: newDevice(s), body: validBody(s), clientAddress: `203.0.113.${40 + i}` }));
      expect(statuses.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 429]);
      const refused = statuses[5];
      expect(refused?.body).toMatchObject({ ok: false, error: "rate_limited", message: expect.stringMatching(TOO_MANY) });
      expect(Number(refused?.headers.get("Retry-After"))).toBeGreaterThanOrEqual(1);
      expect(await s.db.selectFrom("responses").select("id").execute()).toHaveLength(5);
    });

    it("junk is limited per address before anything else: the 101st refusal from an address is 429, and it costs no device or address allowance", async () => {
      const s = await start({ RATE_LIMITS: JSON.stringify({ submitAddress: { limit: 3 } }) });
      const token = linkToken(s);
      const limit = DEFAULT_RATE_LIMIT_RULES.submitJunkAddress.limit;
      const statuses = [];
      for (let i = 0; i < limit + 1; i++) statuses.push((await callSubmit(s, { token, cookie: null, body: validBody(s), clientAddress: JUNK_A })).status);
      expect(statuses).toEqual([...Array(limit).fill(400), 429]);
      // A good submission from that address is refused too while its junk allowance is spent …
      const blocked = await callSubmit(s, { token, cookie: newDevice(s), body: validBody(s), clientAddress: JUNK_A });
      expect(blocked.status).toBe(429);
      // … and once the window has moved on, its (small) address allowance is intact: 3 accepted.
      s.clock.advance(2 * DEFAULT_RATE_LIMIT_RULES.submitJunkAddress.windowMs);
      const later = [];
      for (let i = 0; i < 4; i++) {
        const body = { version: 1, idempotencyKey: newKey(), started: startedFor(s), answers: parentAnswers() };
        later.push((await callSubmit(s, { token, cookie: newDevice(s), body, clientAddress: JUNK_A })).status);
      }
      expect(later).toEqual([200, 200, 200, 429]);
      expect(await s.db.selectFrom("responses").select("id").execute()).toHaveLength(3);
    });
  });
}
