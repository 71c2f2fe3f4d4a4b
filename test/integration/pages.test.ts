/**
 * The survey page's loader (GET /s/<token>) and the thank-you page: the device cookie, the
 * 已提交 state, and the Chinese problem pages for bad links.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loader as doneLoader } from "../../app/routes/s.$token_.done/route";
import { loader as surveyLoader } from "../../app/routes/s.$token/route";
import { addCampaign } from "../support/campaigns";
import { callSubmit, DEMO_SCHOOL_SOCIAL, linkToken, newDevice, validBody } from "../support/requests";
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

async function openPage(token: string, cookie: string | null) {
  const request = new Request(`https://survey.test/s/${token}`, { headers: cookie ? { Cookie: cookie } : {} });
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
