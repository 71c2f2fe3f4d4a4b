/**
 * The survey page's loader (GET /s/<token>) and the thank-you page: the device cookie, the
 * 已提交 state, and the Chinese problem pages for bad links.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loader as doneLoader } from "../../app/routes/s.$token_.done/route";
import { action as formAction, loader as phoneLoader } from "../../app/routes/s.$token/route";
import { loader as surveyLoader } from "../../app/routes/s.$token_.full/route";
import { addCampaign } from "../support/campaigns";
import { callSubmit, DEMO_SCHOOL_SOCIAL, linkToken, newDevice, parentAnswers, validBody } from "../support/requests";
import { makeTestServices, type TestServices } from "../support/services";

let services: TestServices;
beforeEach(async () => {
  services = await makeTestServices();
});
afterEach(async () => {
  await services.dispose();
});

function context() {
  return { services, clientAddress: "198.51.100.20", cspNonce: "n" };
}

const PHONE = "Mozilla/5.0 (Linux; Android 10; V2031A) AppleWebKit/537.36 Chrome/107.0 Mobile Safari/537.36 MicroMessenger/8.0.40";
const DESKTOP = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/120.0 Safari/537.36";

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

async function openPhonePage(token: string, cookie: string | null, userAgent = PHONE, query = "") {
  const request = new Request(`https://survey.test/s/${token}${query}`, { headers: { "User-Agent": userAgent, ...(cookie ? { Cookie: cookie } : {}) } });
  return settle(() => phoneLoader({ request, params: { token }, context: context() }));
}

async function postForm(token: string, cookie: string, fields: Array<[string, string]>) {
  const request = new Request(`https://survey.test/s/${token}`, {
    method: "POST",
    headers: { Cookie: cookie, "Content-Type": "application/x-www-form-urlencoded", "User-Agent": PHONE },
    body: new URLSearchParams(fields).toString(),
  });
  return settle(() => formAction({ request, params: { token }, context: context() }));
}

async function openPage(token: string, cookie: string | null) {
  const request = new Request(`https://survey.test/s/${token}/full`, { headers: cookie ? { Cookie: cookie } : {} });
  try {
    const response = await surveyLoader({ request, params: { token }, context: context() });
    return { status: response.status, headers: response.headers, data: JSON.parse(await response.text()) };
  } catch (thrown) {
    if (!(thrown instanceof Response)) throw thrown;
    return { status: thrown.status, headers: thrown.headers, data: JSON.parse(await thrown.text()) };
  }
}

describe("GET /s/<token>", () => {
  it("serves the questionnaire, its variables and a signed start time, and issues the device cookie once", async () => {
    const token = linkToken(services);
    const first = await openPage(token, null);
    expect(first.status).toBe(200);
    expect(first.headers.get("Cache-Control")).toBe("no-store");
    const setCookie = first.headers.get("Set-Cookie") ?? "";
    expect(setCookie).toMatch(/^yz_did=[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{22}; Path=\/; Max-Age=31536000; HttpOnly; SameSite=Lax; Secure$/);
    expect(first.data).toMatchObject({
      kind: "survey",
      version: 1,
      variables: { scope: "school", gradeMin: 1, gradeMax: 6 },
      supervisedLabel: null,
      header: { countyName: "沙坡头区", schoolName: "沙坡头区第一小学（演示）", questionnaireLabel: "社会卷", isDemo: true, organizer: "中卫市教育局" },
    });
    expect(JSON.parse(first.data.definition).questionnaireId).toBe("social");
    const again = await openPage(token, setCookie.split(";")[0]!);
    expect(again.headers.get("Set-Cookie")).toBeNull();
  });

  it("tells a device that has answered 已提交, and sends others from the thank-you page to the survey", async () => {
    const token = linkToken(services);
    const cookie = newDevice(services);
    const request = (path: string) => new Request(`https://survey.test${path}`, { headers: { Cookie: cookie } });
    await expect(doneLoader({ request: request(`/s/${token}/done`), params: { token }, context: context() })).rejects.toSatisfy(
      (r: unknown) => r instanceof Response && r.status === 302 && r.headers.get("Location") === `/s/${token}`,
    );
    expect((await callSubmit(services, { token, cookie, body: validBody(services) })).status).toBe(200);
    expect((await openPage(token, cookie)).data.kind).toBe("submitted");
    const done = await doneLoader({ request: request(`/s/${token}/done`), params: { token }, context: context() });
    expect(done.status).toBe(200);
    // Another link of the same device is still open to it.
    expect((await openPage(linkToken(services, { ...DEMO_SCHOOL_SOCIAL, questionnaireId: "staff" }), cookie)).data.kind).toBe("survey");
  });

  it("answers forged links 404, closed campaigns 410 and early visitors 403, in Chinese", async () => {
    const now = services.now();
    await addCampaign(services, { id: "closed2025", opensAt: now - 90 * 86400_000, closesAt: now - 86400_000 });
    await addCampaign(services, { id: "future2027", opensAt: Date.UTC(2027, 2, 1, 0, 0), closesAt: Date.UTC(2027, 3, 1) });
    const forged = await openPage(`${linkToken(services)}x`, null);
    expect(forged).toMatchObject({ status: 404, data: { title: "链接无效" } });
    const closed = await openPage(linkToken(services, { ...DEMO_SCHOOL_SOCIAL, campaignId: "closed2025" }), null);
    expect(closed).toMatchObject({ status: 410, data: { title: "调查已结束" } });
    const early = await openPage(linkToken(services, { ...DEMO_SCHOOL_SOCIAL, campaignId: "future2027" }), null);
    expect(early.status).toBe(403);
    expect(early.data.message).toBe("本次调查将于2027年3月1日 08:00开始，请到时再扫码填写。");
  });
});

describe("the phone page (server-rendered form)", () => {
  it("renders the questions the link shows, with a form-carried key and start time; desktops go to /full", async () => {
    const token = linkToken(services);
    const page = await openPhonePage(token, null);
    expect(page.status).toBe(200);
    expect(page.data.kind).toBe("form");
    expect(page.data.idempotencyKey).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(page.data.started).toMatch(/^[0-9a-z]+\.[A-Za-z0-9_-]{8}\.[0a-z]+\.[A-Za-z0-9_-]{22}$/);
    const names = page.data.questions.map((q: { name: string }) => q.name);
    expect(names[0]).toBe("grade");
    expect(names).not.toContain("group");
    expect(names).toHaveLength(15);
    const grade = page.data.questions[0];
    expect(grade.choices.map((c: { value: string }) => c.value)).toEqual(["1", "2", "3", "4", "5", "6"]);
    const desktop = await openPhonePage(token, null, DESKTOP);
    expect(desktop.status).toBe(302);
    expect(desktop.headers.get("Location")).toBe(`/s/${token}/full`);
    // The device issued on the way, so /full does not mint (and count) a second one.
    expect(desktop.headers.get("Set-Cookie")).toMatch(/^yz_did=/);
    expect((await openPhonePage(token, null, DESKTOP, "?v=form")).status).toBe(200);
    const county = await openPhonePage(linkToken(services, { ...DEMO_SCHOOL_SOCIAL, schoolId: null }), null);
    expect(county.data.questions.map((q: { name: string }) => q.name).slice(0, 2)).toEqual(["group", "moral"]);
  });

  it("stores a no-JavaScript post once, converting the grade to a number, and redirects to the thank-you page", async () => {
    const token = linkToken(services);
    const cookie = newDevice(services);
    const page = await openPhonePage(token, cookie);
    const fields: Array<[string, string]> = [
      ["_v", "1"],
      ["_key", page.data.idempotencyKey],
      ["_started", page.data.started],
      ["website", ""],
      ...Object.entries(parentAnswers()).map(([k, v]): [string, string] => [k, String(v)]),
    ];
    const first = await postForm(token, cookie, fields);
    expect(first.status).toBe(303);
    expect(first.headers.get("Location")).toBe(`/s/${token}/done`);
    // The same form posted again (the parent tapped twice, or went back): stored once.
    const again = await postForm(token, cookie, fields);
    expect(again.status).toBe(303);
    const rows = await services.db.selectFrom("responses").selectAll().execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]?.grade).toBe(3);
    expect(rows[0]?.idempotency_key).toBe(page.data.idempotencyKey);
    expect(JSON.parse(rows[0]?.answers ?? "{}")).toEqual(parentAnswers());
    expect((await openPhonePage(token, cookie)).data.kind).toBe("submitted");
  });

  it("shows a refused post again with the answers kept and each error in place, storing nothing", async () => {
    const token = linkToken(services);
    const cookie = newDevice(services);
    const page = await openPhonePage(token, cookie);
    const { overall: _o, ...partial } = parentAnswers({ grade: 5 });
    const refused = await postForm(token, cookie, [
      ["_v", "1"],
      ["_key", page.data.idempotencyKey],
      ["_started", page.data.started],
      ...Object.entries(partial).map(([k, v]): [string, string] => [k, String(v)]),
    ]);
    expect(refused.status).toBe(400);
    expect(refused.data.message).toMatch(/^请回答“总体来说/);
    const overall = refused.data.questions.find((q: { name: string }) => q.name === "overall");
    expect(overall.error).toMatch(/^请回答/);
    const grade = refused.data.questions.find((q: { name: string }) => q.name === "grade");
    expect(grade.choices.find((c: { checked: boolean }) => c.checked)?.value).toBe("5");
    // The start time the form carried is kept, so answering time still counts from the first visit.
    expect(refused.data.started).toBe(page.data.started);
    expect(await services.db.selectFrom("responses").select("id").execute()).toHaveLength(0);
  });

  it("refuses repeated and unknown form fields", async () => {
    const token = linkToken(services);
    const cookie = newDevice(services);
    const page = await openPhonePage(token, cookie);
    const base: Array<[string, string]> = [
      ["_v", "1"],
      ["_key", page.data.idempotencyKey],
      ["_started", page.data.started],
      ...Object.entries(parentAnswers()).map(([k, v]): [string, string] => [k, String(v)]),
    ];
    for (const extra of [
      ["moral", "不满意"],
      ["__proto__", "满意"],
      ["hacked", "1"],
      ["grade", "3"],
    ] as Array<[string, string]>) {
      const res = await postForm(token, cookie, [...base, extra]);
      expect(res.status, extra.join("=")).toBe(400);
    }
    expect(await services.db.selectFrom("responses").select("id").execute()).toHaveLength(0);
  });
});
