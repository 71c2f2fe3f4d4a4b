/**
 * One phone, two children at the same school (issue 16 item 7, decision 0027): the child
 * ordinal in the respondent key, through the real Remix actions and loaders and a real SQLite
 * file — a second child stored once, the limit, the several_children flag and its count on the
 * review page, and every other audience refused the offer.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loader as doneLoader } from "../../app/routes/s.$token_.done/route";
import { action as formAction, loader as phoneLoader } from "../../app/routes/s.$token/route";
import { loader as fullLoader } from "../../app/routes/s.$token_.full/route";
import { countyReview } from "../../app/.server/console/review";
import { issueSupervisionCode, redeemSupervisionCode, supervisionCookie } from "../../app/.server/collect/supervision";
import { CHILD_LIMITS } from "../../app/domain/children";
import { getCampaign, getCounty } from "../../db/repositories/campaigns";
import { callSubmit, DEMO_SCHOOL_SOCIAL, linkToken, newDevice, parentAnswers, startedFor, validBody } from "../support/requests";
import { makeTestServices, type TestServices } from "../support/services";

let services: TestServices;
beforeEach(async () => {
  services = await makeTestServices();
});
afterEach(async () => {
  await services.dispose();
});

const PHONE = "Mozilla/5.0 (Linux; Android 10; V2031A) AppleWebKit/537.36 Chrome/107.0 Mobile Safari/537.36 MicroMessenger/8.0.40";
const STUDENT = { ...DEMO_SCHOOL_SOCIAL, questionnaireId: "student" as const };
const STAFF = { ...DEMO_SCHOOL_SOCIAL, questionnaireId: "staff" as const };
const COUNTY = { ...DEMO_SCHOOL_SOCIAL, schoolId: null };
const studentAnswers = {
  grade: 4,
  moral: "满意",
  teachers: "满意",
  gap: "满意",
  admission: "满意",
  homework: "基本满意",
  pe_arts_labour: "满意",
  quality_ed: "满意",
  exam_reform: "满意",
  conduct: "满意",
  safety: "满意",
  overall: "满意",
};

function context() {
  return { services, clientAddress: "198.51.100.20", cspNonce: "n" };
}

async function settle(run: () => Promise<Response>) {
  try {
    const response = await run();
    const text = await response.text();
    return { status: response.status, headers: response.headers, data: text ? JSON.parse(text) : null };
  } catch (thrown) {
    if (!(thrown instanceof Response)) throw thrown;
    const text = await thrown.text();
    return { status: thrown.status, headers: thrown.headers, data: text ? JSON.parse(text) : null };
  }
}

function get(path: string, cookie: string | null) {
  return new Request(`https://survey.test${path}`, { headers: { "User-Agent": PHONE, ...(cookie ? { Cookie: cookie } : {}) } });
}
const phonePage = (token: string, cookie: string | null, query = "") =>
  settle(() => phoneLoader({ request: get(`/s/${token}${query}`, cookie), params: { token }, context: context() }));
const fullPage = (token: string, cookie: string | null, query = "") =>
  settle(() => fullLoader({ request: get(`/s/${token}/full${query}`, cookie), params: { token }, context: context() }));
const donePage = (token: string, cookie: string | null) =>
  settle(() => doneLoader({ request: get(`/s/${token}/done`, cookie), params: { token }, context: context() }));

async function rows() {
  return services.db.selectFrom("responses").select(["id", "respondent_key", "device_hash", "idempotency_key", "flags", "grade"]).orderBy("id").execute();
}

/**
 * The submit action, then three minutes on the clock: a parent answering for several children
 * takes minutes over each, which keeps every call under the device's submit limit (5 per 10
 * minutes) and gives each its own start time (no repeat_answers).
 */
async function submit(options: Parameters<typeof callSubmit>[1]) {
  const result = await callSubmit(services, options);
  services.clock.advance(180_000);
  return result;
}

/** A valid body for child ordinal `child` (absent for the first), its start token bound to the device. */
function childBody(
  cookie: string,
  child: number | undefined,
  options: { scope?: typeof DEMO_SCHOOL_SOCIAL; answers?: Record<string, unknown>; key?: string } = {},
) {
  return { ...validBody(services, { ...options, cookie }), ...(child === undefined ? {} : { child }) };
}

describe("a second child at the same school, from the same phone", () => {
  it("is another respondent: stored, flagged several_children, the first child untouched", async () => {
    const token = linkToken(services);
    const cookie = newDevice(services);
    expect((await submit({ token, cookie, body: childBody(cookie, undefined) })).body).toEqual({ ok: true, status: "accepted" });
    const second = await submit({ token, cookie, body: childBody(cookie, 2, { answers: parentAnswers({ grade: 5 }) }) });
    expect(second.status).toBe(200);
    expect(second.body).toEqual({ ok: true, status: "accepted" });
    const stored = await rows();
    expect(stored).toHaveLength(2);
    expect(stored[0]!.respondent_key).not.toBe(stored[1]!.respondent_key);
    expect(stored[0]!.device_hash).toBe(stored[1]!.device_hash);
    expect(JSON.parse(stored[0]!.flags)).toEqual([]);
    expect(JSON.parse(stored[1]!.flags)).toEqual(["several_children"]);
    expect(stored[1]!.grade).toBe(5);
    // The same grade as the first child's is no different: nothing about the child is compared.
    const other = newDevice(services);
    await submit({ token, cookie: other, body: childBody(other, undefined) });
    expect((await submit({ token, cookie: other, body: childBody(other, 2) })).status).toBe(200);
    expect(JSON.parse((await rows())[3]!.flags)).toEqual(["several_children"]);
  });

  it("is stored once under its idempotency key, however often it is retried, and told 已提交 with a new key", async () => {
    const token = linkToken(services);
    const cookie = newDevice(services);
    await submit({ token, cookie, body: childBody(cookie, undefined) });
    const body = childBody(cookie, 2);
    expect((await submit({ token, cookie, body })).body.status).toBe("accepted");
    for (let i = 0; i < 3; i++) {
      const retry = await submit({ token, cookie, body });
      expect(retry.status).toBe(200);
      expect(retry.body.status).toBe("replayed");
    }
    expect(await rows()).toHaveLength(2);
    const again = await submit({ token, cookie, body: childBody(cookie, 2) });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ error: "already_submitted", message: "这台手机已经为第2个孩子提交过这份问卷（已提交）。感谢您的参与！" });
    expect(await rows()).toHaveLength(2);
  });

  it(`allows ${CHILD_LIMITS.maxChildrenPerDevice} children per phone and refuses the next in Chinese, storing nothing`, async () => {
    expect(CHILD_LIMITS.maxChildrenPerDevice).toBe(3);
    const token = linkToken(services);
    const cookie = newDevice(services);
    for (const child of [undefined, 2, 3]) expect((await submit({ token, cookie, body: childBody(cookie, child) })).status).toBe(200);
    for (const child of [4, 5, "4"]) {
      const refused = await submit({ token, cookie, body: { ...childBody(cookie, 3), child } });
      expect(refused.status, String(child)).toBe(400);
      expect(refused.body).toMatchObject({
        error: "child_limit",
        message: "这台手机已为3个孩子填写过这份问卷，已达到上限。如果还有孩子在这所学校就读，请用另一台手机扫码作答。",
      });
    }
    expect(await rows()).toHaveLength(3);
    expect((await rows()).map((r) => JSON.parse(r.flags))).toEqual([[], ["several_children"], ["several_children"]]);
  });

  it("refuses a forged or out-of-turn ordinal: malformed, or a second child before the first", async () => {
    const token = linkToken(services);
    const cookie = newDevice(services);
    const early = await submit({ token, cookie, body: childBody(cookie, 2) });
    expect(early.status).toBe(400);
    expect(early.body).toMatchObject({ error: "child_invalid", message: "请先提交第一个孩子的问卷，再为另一个孩子填写。" });
    await submit({ token, cookie, body: childBody(cookie, undefined) });
    const skipped = await submit({ token, cookie, body: childBody(cookie, 3) });
    expect(skipped.body.error).toBe("child_invalid");
    for (const child of [0, -1, 1.5, "02", "x", 100]) {
      const bad = await submit({ token, cookie, body: { ...childBody(cookie, 2), child } });
      expect(bad.status, String(child)).toBe(400);
      expect(bad.body.error, String(child)).toBe("child_invalid");
    }
    // Another device's first response does not open a second child on this one.
    const other = newDevice(services);
    expect((await submit({ token, cookie: other, body: childBody(other, 2) })).body.error).toBe("child_invalid");
    expect(await rows()).toHaveLength(1);
  });

  it("refuses the offer on teachers', pupils' and county-level links", async () => {
    for (const scope of [STAFF, STUDENT, COUNTY]) {
      const token = linkToken(services, scope);
      const cookie = newDevice(services);
      const refused = await submit({ token, cookie, body: childBody(cookie, 2, { scope, answers: scope === STUDENT ? studentAnswers : parentAnswers() }) });
      expect(refused.status, scope.questionnaireId).toBe(400);
      expect(refused.body).toMatchObject({ error: "child_invalid", message: "这份问卷每台设备只能填写一份。" });
    }
    expect(await rows()).toHaveLength(0);
    // A pupil who answered sees 已提交 with no offer, and the thank-you page offers nothing.
    const token = linkToken(services, STUDENT);
    const cookie = newDevice(services);
    expect((await submit({ token, cookie, body: childBody(cookie, undefined, { scope: STUDENT, answers: studentAnswers }) })).status).toBe(200);
    expect((await phonePage(token, cookie)).data).toMatchObject({ kind: "submitted", otherChild: null });
    expect((await donePage(token, cookie)).data).toMatchObject({ otherChild: null });
    expect((await phonePage(token, cookie, "?child=2")).status).toBe(400);
  });

  it("ignores the ordinal on a supervised shared device (each questionnaire is its own respondent already)", async () => {
    const token = linkToken(services, STUDENT);
    const issued = await issueSupervisionCode(services, {
      campaignId: "zw2026",
      schoolId: "spt01",
      label: "机房",
      validForMs: 3600_000,
      questionnaires: ["student"],
    });
    const code = await redeemSupervisionCode(services, issued.code, { campaignId: "zw2026", schoolId: "spt01", questionnaireId: "student" });
    const cookie = `${newDevice(services)}; ${supervisionCookie(services, code!).split(";")[0]}`;
    expect((await submit({ token, cookie, body: childBody(cookie, 1, { scope: STUDENT, answers: studentAnswers }) })).status).toBe(200);
    expect((await donePage(token, cookie)).data).toMatchObject({ supervised: true, otherChild: null });
    expect((await rows()).map((r) => JSON.parse(r.flags))).toEqual([[]]);
  });
});

describe("the pages offer 为另一个孩子填写 to parents", () => {
  it("the thank-you page and the 已提交 page offer the next child, the form carries it, and the limit ends it", async () => {
    const token = linkToken(services);
    const cookie = newDevice(services);
    expect((await donePage(token, cookie)).headers.get("Location")).toBe(`/s/${token}`);
    await submit({ token, cookie, body: childBody(cookie, undefined) });
    expect((await donePage(token, cookie)).data).toMatchObject({ supervised: false, otherChild: { kind: "next", child: 2 } });
    expect((await phonePage(token, cookie)).data).toMatchObject({ kind: "submitted", otherChild: { kind: "next", child: 2 } });

    const form = await phonePage(token, cookie, "?child=2");
    expect(form.status).toBe(200);
    expect(form.data).toMatchObject({ kind: "form", child: 2 });
    // Desktops go to the SurveyJS page for the same child.
    const desktop = await settle(() =>
      phoneLoader({ request: new Request(`https://survey.test/s/${token}?child=2`, { headers: { Cookie: cookie } }), params: { token }, context: context() }),
    );
    expect(desktop.headers.get("Location")).toBe(`/s/${token}/full?child=2`);
    expect((await fullPage(token, cookie, "?child=2")).data).toMatchObject({ kind: "survey", child: 2 });

    // The form posted without JavaScript, minutes later: the hidden _child field takes it to the thank-you page.
    services.clock.advance(180_000);
    const fields = new URLSearchParams({ _v: "1", _key: form.data.idempotencyKey, _started: form.data.started, _child: "2" });
    for (const [k, v] of Object.entries(parentAnswers())) fields.set(k, String(v));
    const posted = await settle(() =>
      formAction({
        request: new Request(`https://survey.test/s/${token}?child=2`, {
          method: "POST",
          headers: { Cookie: cookie, "Content-Type": "application/x-www-form-urlencoded", "User-Agent": PHONE },
          body: fields.toString(),
        }),
        params: { token },
        context: context(),
      }),
    );
    expect(posted.status).toBe(303);
    expect(posted.headers.get("Location")).toBe(`/s/${token}/done`);
    expect((await rows()).map((r) => JSON.parse(r.flags))).toEqual([[], ["several_children"]]);
    expect((await donePage(token, cookie)).data).toMatchObject({ otherChild: { kind: "next", child: 3 } });
    expect((await phonePage(token, cookie, "?child=2")).data).toMatchObject({ kind: "submitted", otherChild: { kind: "next", child: 3 } });

    await submit({ token, cookie, body: childBody(cookie, 3) });
    expect((await donePage(token, cookie)).data).toMatchObject({ otherChild: { kind: "limit", max: 3 } });
    expect((await phonePage(token, cookie)).data).toMatchObject({ kind: "submitted", otherChild: { kind: "limit", max: 3 } });
    const over = await phonePage(token, cookie, "?child=4");
    expect(over.status).toBe(400);
    expect(over.data.message).toBe("这台手机已为3个孩子填写过这份问卷，已达到上限。如果还有孩子在这所学校就读，请用另一台手机扫码作答。");
  });

  it("sends a later child's address to the first child's form when the phone has not answered yet, and refuses a malformed one", async () => {
    const token = linkToken(services);
    const fresh = await phonePage(token, null, "?child=2");
    expect(fresh.status).toBe(302);
    expect(fresh.headers.get("Location")).toBe(`/s/${token}`);
    // The device cookie minted on the way is kept, so the redirect does not mint a second one.
    expect(fresh.headers.get("Set-Cookie")).toMatch(/^yz_did=/);
    const cookie = newDevice(services);
    expect((await phonePage(token, cookie, "?child=3")).headers.get("Location")).toBe(`/s/${token}`);
    for (const q of ["?child=abc", "?child=0", "?child=02"]) {
      const bad = await phonePage(token, cookie, q);
      expect(bad.status, q).toBe(400);
      expect(bad.data.message).toBe("链接有误，请重新扫描学校的二维码。");
    }
    expect(await rows()).toHaveLength(0);
  });

  it("keeps the child on a form the server sent back (no JavaScript, an answer missing)", async () => {
    const token = linkToken(services);
    const cookie = newDevice(services);
    await submit({ token, cookie, body: childBody(cookie, undefined) });
    const fields = new URLSearchParams({
      _v: "1",
      _key: "k".repeat(22),
      _started: startedFor(services, DEMO_SCHOOL_SOCIAL, undefined, cookie),
      _child: "2",
      grade: "3",
    });
    const refused = await settle(() =>
      formAction({
        request: new Request(`https://survey.test/s/${token}?child=2`, {
          method: "POST",
          headers: { Cookie: cookie, "Content-Type": "application/x-www-form-urlencoded", "User-Agent": PHONE },
          body: fields.toString(),
        }),
        params: { token },
        context: context(),
      }),
    );
    expect(refused.status).toBe(400);
    expect(refused.data).toMatchObject({ kind: "form", child: 2 });
    expect(await rows()).toHaveLength(1);
  });
});

describe("the review page counts several_children like every flag", () => {
  it("shows its label and count", async () => {
    const token = linkToken(services);
    for (let i = 0; i < 2; i++) {
      const cookie = newDevice(services);
      await submit({ token, cookie, body: childBody(cookie, undefined) });
      await submit({ token, cookie, body: childBody(cookie, 2) });
    }
    const campaign = await getCampaign(services.db, DEMO_SCHOOL_SOCIAL.campaignId);
    const county = await getCounty(services.db, DEMO_SCHOOL_SOCIAL.countyId);
    if (!campaign || !county) throw new Error("no demo campaign");
    const city = { accountId: 0, username: "demo-city", displayName: "市级", role: "city" as const, countyId: null, schoolId: null };
    const review = await countyReview(services, campaign, county, { kind: "flagged", link: null, beforeId: null }, city);
    expect(review.flagTotals).toEqual([{ flag: "several_children", label: "同一手机为同一学校的多个孩子填写（本份为第2个及以后的孩子）", count: 2 }]);
  });
});
