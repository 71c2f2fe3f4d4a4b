/**
 * The policy in the situations it exists for, through the real page loader and submit action:
 * a parents' meeting behind one NAT address (all accepted, nothing flagged), one device
 * flooding (first accepted, the rest 409 then 429, the address's allowance untouched), page
 * loads looser than submissions, the sign-in limits (failures only), and the integrity flags stored with each
 * response. Runs on the in-process limiter always and on Redis when REDIS_URL is set.
 */
import { describe, expect, it } from "vitest";
import { DEFAULT_RATE_LIMIT_RULES, checkSignInLimits, countSignInFailure } from "../../../app/.server/rate-limit/policy";
import type { LinkScope } from "../../../app/.server/collect/link-token";
import { loadSurveyPage } from "../../../app/.server/collect/survey-page";
import { callSubmit, DEMO_SCHOOL_SOCIAL, linkToken, newDevice, newKey, parentAnswers, validBody, variedParentAnswers } from "../../support/requests";
import type { TestServices } from "../../support/services";
import { announceSkip, limiterVariants, servicesOn } from "./support/backends";

const NAT = "203.0.113.50";
const MINUTE = 60_000;
const TEACHING_POINT: LinkScope = { ...DEMO_SCHOOL_SOCIAL, schoolId: "spt09" }; // 36 pupils
const VILLAGE_SCHOOL: LinkScope = { ...DEMO_SCHOOL_SOCIAL, schoolId: "spt08" }; // 310 pupils

// On Redis, the checks went to Redis (not only to the in-process fallback).
const VARIANTS = limiterVariants((keys) => expect(keys.length).toBeGreaterThan(0));

for (const variant of VARIANTS) {
  announceSkip(`rate-limit scenarios on ${variant.name}`, variant.skip);

  describe.skipIf(variant.skip !== null)(`scenarios on the ${variant.name}`, () => {
    const start = servicesOn(variant, "scenario");

    async function flagsOfAll(s: TestServices): Promise<string[][]> {
      const rows = await s.db.selectFrom("responses").select(["id", "flags"]).orderBy("id").execute();
      return rows.map((r) => {
        const parsed: unknown = JSON.parse(r.flags);
        return Array.isArray(parsed) ? parsed.map(String) : [];
      });
    }

    it("300 parents behind one NAT address within ten minutes: all accepted, none flagged", async () => {
      const s = await start();
      const token = linkToken(s);
      // Each parent opens the page (getting a device cookie and a signed start time), answers
      // for three to four minutes, and submits; openings one second apart.
      type Event = { at: number; parent: number; kind: "open" | "submit" };
      const t0 = s.now();
      const events: Event[] = [];
      for (let p = 0; p < 300; p++) {
        events.push({ at: t0 + p * 1000, parent: p, kind: "open" });
        events.push({ at: t0 + p * 1000 + 3 * MINUTE + (p % 60) * 1000, parent: p, kind: "submit" });
      }
      events.sort((a, b) => a.at - b.at);
      expect((events.at(-1)?.at ?? 0) - t0).toBeLessThan(10 * MINUTE);

      const parents = new Map<number, { cookie: string; started: string }>();
      const statuses = new Map<number, number>();
      for (const e of events) {
        s.clock.set(e.at);
        if (e.kind === "open") {
          const page = await loadSurveyPage(s, token, new Request(`https://survey.test/s/${token}`), NAT);
          expect(page.data.kind).toBe("survey");
          if (page.data.kind !== "survey" || !page.setCookie) throw new Error("no survey page");
          parents.set(e.parent, { cookie: page.setCookie.split(";")[0] ?? "", started: page.data.started });
        } else {
          const parent = parents.get(e.parent);
          const body = { version: 1, idempotencyKey: newKey(), started: parent?.started ?? "", answers: variedParentAnswers(e.parent) };
          const res = await callSubmit(s, { token, cookie: parent?.cookie, body, clientAddress: NAT });
          statuses.set(e.parent, res.status);
        }
      }
      expect([...statuses.values()].filter((st) => st === 200)).toHaveLength(300);
      const flags = await flagsOfAll(s);
      expect(flags).toHaveLength(300);
      expect(flags.filter((f) => f.length > 0)).toEqual([]);
    });

    it("one device submitting 50 times: the first accepted, repeats 409 until its limit, then 429 with Retry-After", async () => {
      const s = await start();
      const token = linkToken(s);
      const cookie = newDevice(s);
      const responses = [];
      for (let i = 0; i < 50; i++) {
        responses.push(await callSubmit(s, { token, cookie, body: validBody(s), clientAddress: NAT }));
        s.clock.advance(500);
      }
      const statuses = responses.map((r) => r.status);
      expect(statuses[0]).toBe(200);
      expect(statuses.slice(1, 5)).toEqual([409, 409, 409, 409]);
      expect(statuses.slice(5).every((st) => st === 429)).toBe(true);
      const refused = responses[5];
      expect(refused?.body).toMatchObject({ ok: false, error: "rate_limited" });
      expect(String(refused?.body.message)).toMatch(/^提交太频繁，请\d+秒后再试。您的答案已保存在本机，不会丢失。$/);
      const retryAfter = Number(refused?.headers.get("Retry-After"));
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(DEFAULT_RATE_LIMIT_RULES.submitDevice.windowMs / 1000 + 1);
      expect(await s.db.selectFrom("responses").select("id").execute()).toHaveLength(1);
    });

    it("a flooding device uses no more of its address's allowance than its own device limit", async () => {
      // A small address ceiling makes the arithmetic visible: 20 per window.
      const s = await start({ RATE_LIMITS: JSON.stringify({ submitAddress: { limit: 20 } }) });
      const token = linkToken(s);
      const flooder = newDevice(s);
      for (let i = 0; i < 50; i++) await callSubmit(s, { token, cookie: flooder, body: validBody(s), clientAddress: NAT });
      // The device limit (5) stopped the flood before the address check: 20 − 5 = 15 left.
      const others = [];
      for (let i = 0; i < 16; i++) others.push((await callSubmit(s, { token, cookie: newDevice(s), body: validBody(s), clientAddress: NAT })).status);
      expect(others).toEqual([...Array(15).fill(200), 429]);
    });

    it("page loads get a looser limit than submissions", async () => {
      expect(DEFAULT_RATE_LIMIT_RULES.pageAddress.limit).toBeGreaterThan(DEFAULT_RATE_LIMIT_RULES.submitAddress.limit);
      const s = await start({ RATE_LIMITS: JSON.stringify({ pageAddress: { limit: 30 }, submitAddress: { limit: 10 } }) });
      const token = linkToken(s);
      const submits = [];
      for (let i = 0; i < 11; i++) submits.push((await callSubmit(s, { token, cookie: newDevice(s), body: validBody(s), clientAddress: NAT })).status);
      expect(submits).toEqual([...Array(10).fill(200), 429]);
      let pages = 0;
      let refusal: unknown = null;
      for (let i = 0; i < 31; i++) {
        try {
          await loadSurveyPage(s, token, new Request(`https://survey.test/s/${token}`), NAT);
          pages += 1;
        } catch (thrown) {
          refusal = thrown;
        }
      }
      expect(pages).toBe(30);
      expect(refusal).toBeInstanceOf(Response);
      if (refusal instanceof Response) {
        expect(refusal.status).toBe(429);
        expect(Number(refusal.headers.get("Retry-After"))).toBeGreaterThanOrEqual(1);
      }
    });

    it("sign-in: only failures count — per user name × address, per address, and per user name only where it failed", async () => {
      const s = await start();
      const decide = (account: string, address: string) => checkSignInLimits(s.limiter, account, address, s.now());
      const fail = (account: string, address: string) => countSignInFailure(s.limiter, account, address);
      // Looking counts nothing: fifty good sign-ins in a row leave every limit as it was.
      for (let i = 0; i < 50; i++) expect(await decide("admin", "198.51.100.1")).toEqual({ ok: true });
      // Five failures for one user name from one address (however it is typed) refuse that pair only.
      for (let i = 0; i < 5; i++) {
        expect((await decide(" Officer", "198.51.100.2")).ok).toBe(true);
        await fail(" Officer", "198.51.100.2");
      }
      const pair = await decide("officer", "198.51.100.2");
      expect(pair).toMatchObject({ ok: false, tier: "signInAccountAddress" });
      if (!pair.ok) expect(pair.retryAfterSeconds).toBeGreaterThanOrEqual(1);
      expect((await decide("officer", "198.51.100.3")).ok).toBe(true);
      // Ten failures for the name from anywhere: the addresses that failed for it are refused,
      // an address that never failed for it is not (the owner gets in).
      for (let i = 10; i < 15; i++) await fail("officer", `198.51.100.${i}`);
      expect(await decide("officer", "198.51.100.10")).toMatchObject({ ok: false, tier: "signInAccount" });
      expect((await decide("officer", "198.51.100.99")).ok).toBe(true);
      // 200 failures from one address over many names refuse that address, for every name.
      const limit = DEFAULT_RATE_LIMIT_RULES.signInAddress.limit;
      for (let i = 0; i < limit; i++) await fail(`guess-${i}`, "198.51.100.200");
      expect(await decide("someone-new", "198.51.100.200")).toMatchObject({ ok: false, tier: "signInAddress" });
      expect((await decide("someone-new", "198.51.100.201")).ok).toBe(true);
      // Two windows later nothing is left.
      s.clock.advance(2 * DEFAULT_RATE_LIMIT_RULES.signInAddress.windowMs);
      for (const [name, address] of [
        ["officer", "198.51.100.2"],
        ["officer", "198.51.100.10"],
        ["x", "198.51.100.200"],
      ] as const) {
        expect(await decide(name, address)).toEqual({ ok: true });
      }
    });

    it("flags, stored with the response and never refusing it: too fast, straight-lining, honeypot", async () => {
      const s = await start();
      const token = linkToken(s);
      const submit = (body: (cookie: string) => Record<string, unknown>) => {
        const cookie = newDevice(s);
        return callSubmit(s, { token, cookie, body: body(cookie), clientAddress: NAT });
      };
      // 15 answered questions in 10 s (floor: 2 s each).
      expect((await submit((cookie) => validBody(s, { cookie, startedAt: s.now() - 10_000 }))).status).toBe(200);
      const sameEverywhere = Object.fromEntries(Object.entries(parentAnswers()).map(([k, v]) => [k, k === "grade" || k === "comment" ? v : "满意"]));
      expect((await submit((cookie) => validBody(s, { cookie, answers: sameEverywhere }))).status).toBe(200);
      expect((await submit((cookie) => ({ ...validBody(s, { cookie }), website: "http://spam.example" }))).status).toBe(200);
      expect(await flagsOfAll(s)).toEqual([["too_fast"], ["straight_lining"], ["honeypot"]]);
    });

    it("burst: more submissions on a small school's link in ten minutes than its enrolment makes plausible", async () => {
      const s = await start();
      const token = linkToken(s, TEACHING_POINT);
      const statuses = [];
      for (let i = 0; i < 105; i++) {
        const cookie = newDevice(s);
        const res = await callSubmit(s, {
          token,
          cookie,
          body: validBody(s, { scope: TEACHING_POINT, cookie }),
          clientAddress: `198.18.${Math.floor(i / 200)}.${i % 200}`,
        });
        statuses.push(res.status);
        s.clock.advance(5_000);
      }
      expect(statuses.every((st) => st === 200)).toBe(true);
      const flags = await flagsOfAll(s);
      // 36 pupils: at most max(100, 36) per window is plausible.
      expect(flags.slice(0, 100).every((f) => f.length === 0)).toBe(true);
      expect(flags.slice(100)).toEqual(Array(5).fill(["burst"]));
    });

    it("burst: one address sending more than a school's enrolment makes plausible, across links", async () => {
      const s = await start();
      const village = linkToken(s, VILLAGE_SCHOOL);
      const point = linkToken(s, TEACHING_POINT);
      // Different parents, arriving seconds apart and answering their own way.
      const parent = async (link: string, scope: LinkScope, n: number) => {
        const cookie = newDevice(s);
        await callSubmit(s, { token: link, cookie, body: validBody(s, { scope, cookie, answers: variedParentAnswers(n) }), clientAddress: NAT });
        s.clock.advance(3_000);
      };
      for (let i = 0; i < 60; i++) await parent(village, VILLAGE_SCHOOL, i);
      for (let i = 0; i < 45; i++) await parent(point, TEACHING_POINT, 60 + i);
      const rows = await s.db.selectFrom("responses").select(["school_id", "flags"]).orderBy("id").execute();
      // The village school (310 pupils) is well within its bound; at the teaching point (bound
      // 100) the address's 101st submission in the window is a burst, though its link has 41.
      expect(rows.filter((r) => r.school_id === "spt08").every((r) => r.flags === "[]")).toBe(true);
      const pointFlags = rows.filter((r) => r.school_id === "spt09").map((r) => r.flags);
      expect(pointFlags.slice(0, 40).every((f) => f === "[]")).toBe(true);
      expect(pointFlags.slice(40)).toEqual(Array(5).fill('["burst"]'));
    });
  });
}
