/**
 * Ballot stuffing (issue 21, decision 0012), through the real page loader and submit action,
 * on the in-process limiter and on Redis (REDIS_URL), on SQLite and — with TEST_STORE=postgres —
 * PostgreSQL. The clock is injected: no window is waited out.
 *
 * - one address minting a device cookie per submission by fetching the page: every response is
 *   stored and flagged (too fast, or new devices faster than people arrive, or timing cells);
 * - start tokens harvested in advance: flagged (device_burst, similar_timing; start_stale when
 *   harvested hours before; start_foreign when replayed with another device's cookie);
 * - 300 parents behind one NAT, arriving at their own moments and answering their own way:
 *   300/300 accepted, none flagged — also when all of them submit within one minute;
 * - a parent whose cookie WeChat dropped, and one who answers over hours: accepted, flagged
 *   (start_foreign / start_stale), or clean when the page was reloaded (renewal);
 * - past twice the enrolment in new devices the page slows down: 429, Chinese message,
 *   Retry-After, no cookie, nothing written, while devices it knows still get the page;
 * - supervision codes admit only the school and questionnaires they were issued for.
 */
import { afterEach, describe, expect, it } from "vitest";
import { countyReview } from "../../../app/.server/console/review";
import { readDeviceId } from "../../../app/.server/collect/device";
import type { LinkScope } from "../../../app/.server/collect/link-token";
import { scopeKey } from "../../../app/.server/collect/link-token";
import { renewStarted, signStarted } from "../../../app/.server/collect/started-token";
import { activeSupervision, issueSupervisionCode, redeemSupervisionCode, supervisionCookie } from "../../../app/.server/collect/supervision";
import { DEFAULT_INTEGRITY_THRESHOLDS as T } from "../../../app/domain/integrity";
import { loadSurveyPage } from "../../../app/.server/collect/survey-page";
import { action as superviseAction } from "../../../app/routes/s.$token_.supervise/route";
import { PRE_EXISTING_CODE_QUESTIONNAIRES } from "../../../db/migrations/2026-12-03-0200-supervision-questionnaires";
import { getCampaign, getCounty } from "../../../db/repositories/campaigns";
import { callSubmit, DEMO_SCHOOL_SOCIAL, linkToken, newDevice, newKey, validBody, variedParentAnswers } from "../../support/requests";
import { makeTestServices, type TestServices } from "../../support/services";
import { announceSkip, limiterVariants, servicesOn } from "../rate-limit/support/backends";

const NAT = "203.0.113.50";
const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const TEACHING_POINT: LinkScope = { ...DEMO_SCHOOL_SOCIAL, schoolId: "spt09" }; // 36 pupils

/** A deterministic generator in [0, 1) (mulberry32), so every run plays the same meeting. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A stuffer's answers: favourable, never straight-lined, varied so no two are alike. */
function favourable(n: number): Record<string, unknown> {
  const answers = variedParentAnswers(n);
  for (const [k, v] of Object.entries(answers)) if (v === "不满意" || v === "很不满意" || v === "不了解") answers[k] = "比较满意";
  return answers;
}

// On Redis, the counters went to Redis, and every one of them expires on its own (memory bounded).
const VARIANTS = limiterVariants((keys) => {
  expect(keys.length).toBeGreaterThan(0);
  expect(keys.filter((k) => k.pttl <= 0)).toEqual([]);
});

for (const variant of VARIANTS) {
  announceSkip(`ballot-stuffing tests on ${variant.name}`, variant.skip);

  describe.skipIf(variant.skip !== null)(`ballot stuffing on the ${variant.name}`, () => {
    const start = servicesOn(variant, "stuffing");

    /** A phone opening the page without a cookie: its new cookie and start token. */
    async function openPage(s: TestServices, token: string, address = NAT, cookie?: string): Promise<{ cookie: string; started: string }> {
      const headers = cookie ? { Cookie: cookie } : undefined;
      const page = await loadSurveyPage(s, token, new Request(`https://survey.test/s/${token}`, { headers }), address);
      if (page.data.kind !== "survey") throw new Error("no survey page");
      return { cookie: cookie ?? page.setCookie?.split(";")[0] ?? "", started: page.data.started };
    }

    async function rows(s: TestServices): Promise<string[][]> {
      const stored = await s.db.selectFrom("responses").select(["id", "flags"]).orderBy("id").execute();
      return stored.map((r) => {
        const parsed: unknown = JSON.parse(r.flags);
        return Array.isArray(parsed) ? parsed.map(String) : [];
      });
    }

    it("a script minting a device per submission (1,000 in 2 minutes from one address): all stored, none unflagged", async () => {
      const s = await start();
      const token = linkToken(s);
      const t0 = s.now();
      const statuses: number[] = [];
      for (let i = 0; i < 1000; i++) {
        s.clock.set(t0 + i * 120);
        const phone = await openPage(s, token);
        s.clock.advance(50);
        const body = { version: 1, idempotencyKey: newKey(), started: phone.started, answers: favourable(i) };
        statuses.push((await callSubmit(s, { token, cookie: phone.cookie, body, clientAddress: NAT })).status);
      }
      expect(statuses.filter((st) => st === 200)).toHaveLength(1000);
      const flags = await rows(s);
      expect(flags).toHaveLength(1000);
      expect(flags.filter((f) => f.length === 0)).toHaveLength(0);
      expect(flags.every((f) => f.includes("too_fast"))).toBe(true);
      // Past 150 new devices in a minute from the address, each device is marked.
      expect(flags.slice(T.newDevicesPerRateWindow).every((f) => f.includes("device_burst"))).toBe(true);
    });

    it("the same script waiting out the speed floor before each submission: flagged beyond a few dozen", async () => {
      const s = await start();
      const token = linkToken(s);
      const t0 = s.now();
      type Event = { at: number; n: number; kind: "open" | "submit" };
      const events: Event[] = [];
      for (let n = 0; n < 1000; n++) {
        events.push({ at: t0 + n * 120, n, kind: "open" });
        events.push({ at: t0 + n * 120 + 35 * SECOND, n, kind: "submit" });
      }
      events.sort((a, b) => a.at - b.at || (a.kind === "open" ? -1 : 1));
      const phones = new Map<number, { cookie: string; started: string }>();
      let accepted = 0;
      for (const e of events) {
        s.clock.set(e.at);
        if (e.kind === "open") phones.set(e.n, await openPage(s, token));
        else {
          const phone = phones.get(e.n);
          const body = { version: 1, idempotencyKey: newKey(), started: phone?.started ?? "", answers: favourable(e.n) };
          if ((await callSubmit(s, { token, cookie: phone?.cookie, body, clientAddress: NAT })).status === 200) accepted += 1;
        }
      }
      expect(accepted).toBe(1000);
      const flags = await rows(s);
      const unflagged = flags.filter((f) => f.length === 0).length;
      // Unmarked devices are only the first 150 of the minute (18 s of minting: at most three
      // 10-s start cells), and each timing cell admits 12 before flagging.
      expect(unflagged).toBeLessThanOrEqual(3 * T.similarTimingMaximum);
      expect(flags.filter((f) => f.includes("too_fast"))).toHaveLength(0);
    });

    it("start tokens harvested in advance and spent 300 in 38 s: flagged beyond a few dozen", async () => {
      const s = await start();
      const token = linkToken(s);
      const t0 = s.now();
      const harvested = [];
      for (let i = 0; i < 300; i++) {
        s.clock.set(t0 + i * 10);
        harvested.push(await openPage(s, token));
      }
      const statuses: number[] = [];
      for (let i = 0; i < 300; i++) {
        s.clock.set(t0 + 40 * SECOND + Math.round((i * 38 * SECOND) / 300));
        const phone = harvested[i];
        const body = { version: 1, idempotencyKey: newKey(), started: phone?.started ?? "", answers: favourable(i) };
        statuses.push((await callSubmit(s, { token, cookie: phone?.cookie, body, clientAddress: NAT })).status);
      }
      expect(statuses.filter((st) => st === 200)).toHaveLength(300);
      const flags = await rows(s);
      const unflagged = flags.filter((f) => f.length === 0).length;
      // The 150 unmarked devices were minted within 1.5 s (one or two start cells) and answered
      // in 19 s (two or three answering-time cells): at most 12 per cell go unflagged.
      expect(unflagged).toBeLessThanOrEqual(6 * T.similarTimingMaximum);
      expect(flags.slice(T.newDevicesPerRateWindow).every((f) => f.includes("device_burst"))).toBe(true);
    });

    it("harvested hours before, or replayed under other device cookies: stored, flagged start_stale / start_foreign", async () => {
      const s = await start();
      const token = linkToken(s);
      const old = await openPage(s, token);
      s.clock.advance(5 * HOUR);
      const stale = await callSubmit(s, {
        token,
        cookie: old.cookie,
        body: { ...validBody(s, { answers: variedParentAnswers(1) }), started: old.started },
        clientAddress: NAT,
      });
      expect(stale.status).toBe(200);
      // A token harvested on one device, sent with the cookie of a device minted just now.
      const donor = await openPage(s, token);
      s.clock.advance(3 * MINUTE);
      const fresh = await openPage(s, token);
      const replay = await callSubmit(s, {
        token,
        cookie: fresh.cookie,
        body: { ...validBody(s, { answers: variedParentAnswers(2) }), started: donor.started },
        clientAddress: NAT,
      });
      expect(replay.status).toBe(200);
      expect(await rows(s)).toEqual([["start_stale"], ["start_foreign"]]);
    });

    it("300 parents behind one NAT, arriving over four minutes and answering for two to eight: 300/300 accepted, none flagged", async () => {
      const s = await start();
      const token = linkToken(s);
      const rand = random(20261203);
      const t0 = s.now();
      type Event = { at: number; parent: number; kind: "open" | "submit" };
      const events: Event[] = [];
      for (let p = 0; p < 300; p++) {
        const opens = t0 + Math.round(rand() * 4 * MINUTE);
        events.push({ at: opens, parent: p, kind: "open" });
        events.push({ at: opens + 2 * MINUTE + Math.round(rand() * 6 * MINUTE), parent: p, kind: "submit" });
      }
      events.sort((a, b) => a.at - b.at);
      const parents = new Map<number, { cookie: string; started: string }>();
      const statuses: number[] = [];
      for (const e of events) {
        s.clock.set(e.at);
        if (e.kind === "open") parents.set(e.parent, await openPage(s, token));
        else {
          const parent = parents.get(e.parent);
          const body = { version: 1, idempotencyKey: newKey(), started: parent?.started ?? "", answers: variedParentAnswers(e.parent) };
          statuses.push((await callSubmit(s, { token, cookie: parent?.cookie, body, clientAddress: NAT })).status);
        }
      }
      expect(statuses.filter((st) => st === 200)).toHaveLength(300);
      const flags = await rows(s);
      expect(flags).toHaveLength(300);
      expect(flags.filter((f) => f.length > 0)).toEqual([]);
    });

    it('the same meeting told "please submit now": 300 opened over five minutes, all submit within one minute — none flagged', async () => {
      const s = await start();
      const token = linkToken(s);
      const rand = random(7);
      const t0 = s.now();
      const parents = [];
      for (let p = 0; p < 300; p++) {
        s.clock.set(t0 + p * SECOND + Math.round(rand() * 900));
        parents.push(await openPage(s, token));
      }
      const order = parents.map((parent, p) => ({ parent, p, at: t0 + 6 * MINUTE + Math.round(rand() * MINUTE) })).sort((a, b) => a.at - b.at);
      const statuses: number[] = [];
      for (const { parent, p, at } of order) {
        s.clock.set(at);
        const body = { version: 1, idempotencyKey: newKey(), started: parent.started, answers: variedParentAnswers(p) };
        statuses.push((await callSubmit(s, { token, cookie: parent.cookie, body, clientAddress: NAT })).status);
      }
      expect(statuses.filter((st) => st === 200)).toHaveLength(300);
      expect((await rows(s)).filter((f) => f.length > 0)).toEqual([]);
    });

    it("a parent whose cookie WeChat dropped, and one who answers over hours: accepted, flagged — or clean after a reload", async () => {
      const s = await start();
      const token = linkToken(s);
      // Opens the page, answers half, switches away; WeChat drops the cookie; reopens the page
      // (a new device and a fresh token); the draft kept its first token, which is sent along.
      const first = await openPage(s, token);
      s.clock.advance(10 * MINUTE);
      const again = await openPage(s, token);
      expect(again.cookie).not.toBe(first.cookie);
      const dropped = await callSubmit(s, {
        token,
        cookie: again.cookie,
        body: { ...validBody(s, { answers: variedParentAnswers(3) }), started: renewStarted(first.started, again.started) },
        clientAddress: NAT,
      });
      expect(dropped.status).toBe(200);
      expect(dropped.body).toEqual({ ok: true, status: "accepted" });

      // Opens the page in the morning, comes back and reloads it after lunch: renewed, clean,
      // and the answering time runs from the morning.
      const morning = await openPage(s, token);
      const openedAt = s.now();
      s.clock.advance(5 * HOUR);
      const afternoon = await openPage(s, token, NAT, morning.cookie);
      s.clock.advance(5 * MINUTE);
      const renewed = await callSubmit(s, {
        token,
        cookie: morning.cookie,
        body: { ...validBody(s, { answers: variedParentAnswers(4) }), started: renewStarted(morning.started, afternoon.started) },
        clientAddress: NAT,
      });
      expect(renewed.status).toBe(200);

      // Leaves the page open for five hours without reloading: accepted, flagged stale.
      const slow = await openPage(s, token);
      s.clock.advance(5 * HOUR);
      const late = await callSubmit(s, {
        token,
        cookie: slow.cookie,
        body: { ...validBody(s, { answers: variedParentAnswers(5) }), started: slow.started },
        clientAddress: NAT,
      });
      expect(late.status).toBe(200);

      const stored = await s.db.selectFrom("responses").select(["flags", "started_at", "duration_ms"]).orderBy("id").execute();
      expect(stored.map((r) => r.flags)).toEqual(['["start_foreign"]', "[]", '["start_stale"]']);
      expect(Number(stored[1]?.started_at)).toBe(openedAt);
      expect(Number(stored[1]?.duration_ms)).toBe(5 * HOUR + 5 * MINUTE);
      // The console's review queue lists the two flagged ones, with the flags in Chinese.
      const campaign = await getCampaign(s.db, DEMO_SCHOOL_SOCIAL.campaignId);
      const county = await getCounty(s.db, DEMO_SCHOOL_SOCIAL.countyId);
      if (!campaign || !county) throw new Error("no demo campaign");
      const city = { accountId: 0, username: "demo-city", displayName: "市级", role: "city" as const, countyId: null, schoolId: null };
      const review = await countyReview(s, campaign, county, { kind: "flagged", link: null, beforeId: null }, city);
      expect(review.items.map((i) => i.flags)).toEqual([
        ["打开问卷后超过有效期才提交（开始凭证已过期）"],
        ["开始凭证不属于本设备（可能清除了浏览器数据或更换了设备）"],
      ]);
      expect(review.links.map((l) => l.flagged)).toEqual([2]);
    });

    it("the pre-binding token format (drafts kept across the upgrade): accepted, flagged start_foreign; a forged one refused, nothing written", async () => {
      const s = await start();
      const token = linkToken(s);
      const cookie = newDevice(s);
      const ms = s.now() - 3 * MINUTE;
      const legacy = `${ms.toString(36)}.${s.keys.sign("started", `${scopeKey(DEMO_SCHOOL_SOCIAL)}\n${ms}`)}`;
      const res = await callSubmit(s, { token, cookie, body: { ...validBody(s), started: legacy }, clientAddress: NAT });
      expect(res.status).toBe(200);
      const forged = signStarted(s.keys, { scopeKey: scopeKey(DEMO_SCHOOL_SOCIAL), deviceId: readDeviceId(s.keys, cookie) ?? "" }, ms).replace(/\.0\./, ".d.");
      const other = newDevice(s);
      const refused = await callSubmit(s, { token, cookie: other, body: { ...validBody(s), started: forged }, clientAddress: NAT });
      expect(refused.status).toBe(400);
      expect(refused.body).toMatchObject({ ok: false, error: "started_invalid", message: "页面已过期，请刷新页面后重新提交。" });
      expect(await rows(s)).toEqual([["start_foreign"]]);
    });

    it("past twice the enrolment in new devices the page slows down: 429, Retry-After, no cookie, nothing written; known devices still served", async () => {
      const s = await start();
      const token = linkToken(s, TEACHING_POINT);
      // 36 pupils: plausible max(100, 36) = 100 new devices in ten minutes; slowed above 200.
      const addresses = (i: number) => `198.18.${Math.floor(i / 200)}.${i % 200}`;
      const served = [];
      for (let i = 0; i < 200; i++) {
        served.push(await openPage(s, token, addresses(i)));
        s.clock.advance(2 * SECOND);
      }
      let refusal: unknown = null;
      try {
        await openPage(s, token, addresses(200));
      } catch (thrown) {
        refusal = thrown;
      }
      expect(refusal).toBeInstanceOf(Response);
      if (!(refusal instanceof Response)) throw new Error("not refused");
      expect(refusal.status).toBe(429);
      expect(refusal.headers.get("Retry-After")).toBe(String(T.burstWindowMs / 10 / 1000));
      expect(refusal.headers.get("Set-Cookie")).toBeNull();
      expect(await refusal.json()).toEqual({ title: "访问人数较多", message: "当前打开问卷的新设备较多，请60秒后刷新页面。" });
      expect(await s.db.selectFrom("responses").select("id").execute()).toEqual([]);
      // A parent whose device the page already knows is served, and can submit (marked: it was
      // minted past the plausible 100).
      const known = served[150];
      const page = await openPage(s, token, addresses(150), known?.cookie);
      expect(page.started).not.toBe("");
      const res = await callSubmit(s, {
        token,
        cookie: known?.cookie,
        body: { ...validBody(s, { scope: TEACHING_POINT, answers: variedParentAnswers(6) }), started: known?.started ?? "" },
        clientAddress: addresses(150),
      });
      expect(res.status).toBe(200);
      expect(await rows(s)).toEqual([["device_burst"]]);
      // Once the window has moved on, new devices are issued again.
      s.clock.advance(T.burstWindowMs * 2);
      expect((await openPage(s, token, addresses(201))).cookie).not.toBe("");
    });
  });
}

describe("supervision codes are limited to the school and questionnaires they were issued for", () => {
  let services: TestServices | undefined;
  afterEach(async () => {
    await services?.dispose();
    services = undefined;
  });

  const STUDENT: LinkScope = { ...DEMO_SCHOOL_SOCIAL, questionnaireId: "student" };
  const student = {
    grade: 4,
    moral: "满意",
    teachers: "满意",
    gap: "基本满意",
    admission: "满意",
    homework: "基本满意",
    pe_arts_labour: "满意",
    quality_ed: "比较满意",
    exam_reform: "满意",
    conduct: "满意",
    safety: "满意",
    overall: "满意",
  };

  async function redeemThroughPage(s: TestServices, scope: LinkScope, code: string): Promise<Response> {
    const token = linkToken(s, scope);
    const request = new Request(`https://survey.test/s/${token}/supervise`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ code }).toString(),
    });
    return superviseAction({ request, params: { token }, context: { services: s, clientAddress: "203.0.113.9", cspNonce: "test" } });
  }

  it("a computer room's code: many 学生卷 from one device, the parents' 社会卷 once only", async () => {
    const s = (services = await makeTestServices());
    const issued = await issueSupervisionCode(s, {
      campaignId: "zw2026",
      schoolId: "spt01",
      label: "三年级机房",
      validForMs: HOUR,
      questionnaires: ["student"],
    });
    const code = await redeemSupervisionCode(s, issued.code, { campaignId: "zw2026", schoolId: "spt01", questionnaireId: "student" });
    expect(code?.questionnaires).toEqual(["student"]);
    if (!code) throw new Error("not redeemed");
    const device = newDevice(s);
    const cookie = `${device}; ${supervisionCookie(s, code).split(";")[0]}`;
    for (let i = 0; i < 3; i++) {
      const res = await callSubmit(s, { token: linkToken(s, STUDENT), cookie, body: validBody(s, { scope: STUDENT, cookie: device, answers: student }) });
      expect(res.status).toBe(200);
    }
    // The same device on the parents' questionnaire: an ordinary device, once.
    const social = linkToken(s);
    const first = await callSubmit(s, { token: social, cookie, body: validBody(s, { cookie: device }) });
    expect(first.status).toBe(200);
    const second = await callSubmit(s, { token: social, cookie, body: validBody(s, { cookie: device, answers: variedParentAnswers(7) }) });
    expect(second.status).toBe(409);
    expect(second.body).toMatchObject({
      ok: false,
      error: "already_submitted",
      message: "本设备已经提交过这份问卷（已提交），每台设备只能提交一次。感谢您的参与！",
    });
    const stored = await s.db.selectFrom("responses").select(["questionnaire_id", "supervision_code_id", "respondent_key"]).orderBy("id").execute();
    expect(stored.map((r) => [r.questionnaire_id, r.supervision_code_id === null ? null : Number(r.supervision_code_id), r.respondent_key === null])).toEqual([
      ["student", issued.id, true],
      ["student", issued.id, true],
      ["student", issued.id, true],
      ["social", null, false],
    ]);
  });

  it("typed on the parents' page or another school's, the code is refused with a Chinese message and no cookie", async () => {
    const s = (services = await makeTestServices());
    const issued = await issueSupervisionCode(s, {
      campaignId: "zw2026",
      schoolId: "spt01",
      label: "三年级机房",
      validForMs: HOUR,
      questionnaires: ["student"],
    });
    for (const scope of [DEMO_SCHOOL_SOCIAL, { ...STUDENT, schoolId: "spt02" }]) {
      const res = await redeemThroughPage(s, scope, issued.code);
      expect(res.status).toBe(400);
      expect(res.headers.get("Set-Cookie")).toBeNull();
      expect(await res.json()).toEqual({ error: "监督码不正确、已过期，或不适用于本校的这份问卷，请向学校管理员确认。" });
    }
    const ok = await redeemThroughPage(s, STUDENT, issued.code);
    expect(ok.status).toBe(302);
    expect(ok.headers.get("Set-Cookie")).toMatch(/^yz_sup=/);
    expect(await s.db.selectFrom("responses").select("id").execute()).toEqual([]);
  });

  it("a code issued before codes named questionnaires admits the 学生卷 and 校长教师卷, never the 社会卷", async () => {
    const s = (services = await makeTestServices());
    expect(PRE_EXISTING_CODE_QUESTIONNAIRES).toBe('["student","staff"]');
    const inserted = await s.db
      .insertInto("supervision_codes")
      // As a code issued before the migration: no questionnaires given, the column's default.
      .values({
        campaign_id: "zw2026",
        school_id: "spt01",
        code_hash: "legacy-hash",
        label: "办公室",
        created_at: s.now(),
        expires_at: s.now() + HOUR,
        revoked_at: null,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    const cookie = supervisionCookie(s, {
      id: Number(inserted.id),
      campaignId: "zw2026",
      schoolId: "spt01",
      label: "办公室",
      expiresAt: s.now() + HOUR,
      questionnaires: ["student", "staff"],
    });
    const header = cookie.split(";")[0] ?? "";
    const where = (questionnaireId: LinkScope["questionnaireId"]) => ({ campaignId: "zw2026", schoolId: "spt01", questionnaireId });
    expect((await activeSupervision(s, header, where("student")))?.questionnaires).toEqual(["staff", "student"]);
    expect(await activeSupervision(s, header, where("staff"))).not.toBeNull();
    expect(await activeSupervision(s, header, where("social"))).toBeNull();
  });
});
