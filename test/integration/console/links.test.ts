/**
 * Getting links out (issue 20 item 1): the QR PNG route for one signed link, scope-checked per
 * role (a school contact only their school's, a county officer only their county's), served as
 * an attachment with its Chinese file name; the 通知 text and QR path of every link on the kits
 * and school pages; and the PUBLIC_URL warning those pages carry.
 */
import QRCode from "qrcode";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signLink } from "../../../app/.server/collect/link-token";
import type { CountyKits, ShareLink } from "../../../app/.server/console/kits";
import { loader as kitsLoader } from "../../../app/routes/admin.campaigns.$campaignId.kits/route";
import { loader as schoolLoader } from "../../../app/routes/admin.campaigns.$campaignId.schools.$schoolId/route";
import { loader as qrLoader } from "../../../app/routes/admin_.qr.$campaignId.$countyId.$questionnaireId/route";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { captionFont } from "../../../app/.server/qr-card";
import { decodePng } from "../../support/png";
import { makeTestServices, type TestServices } from "../../support/services";
import { callLoader, ORIGIN, roleCookies } from "./support";

const C = "zw2026";
const ZN = "640521";
const SPT = "640502";

let services: TestServices;
let cookies: Awaited<ReturnType<typeof roleCookies>>;

beforeAll(async () => {
  services = await makeTestServices();
  cookies = await roleCookies(services);
});
afterAll(async () => {
  await services.dispose();
});

/** Calls the QR loader and keeps the body as bytes (callLoader reads text). */
async function qr(
  cookie: string | null,
  county: string,
  questionnaire: string,
  school?: string,
): Promise<{ status: number; headers: Headers; bytes: Buffer; json: unknown }> {
  const path = `/admin/qr/${C}/${county}/${questionnaire}${school !== undefined ? `?school=${school}` : ""}`;
  const request = new Request(`${ORIGIN}${path}`, { headers: cookie ? { Cookie: cookie } : {} });
  const args = {
    request,
    params: { campaignId: C, countyId: county, questionnaireId: questionnaire },
    context: { services, clientAddress: "198.51.100.20", cspNonce: "test" },
  } as unknown as LoaderFunctionArgs;
  let res: unknown;
  try {
    res = await qrLoader(args);
  } catch (thrown) {
    res = thrown;
  }
  if (!(res instanceof Response)) throw new Error("the QR loader must answer with a Response");
  const bytes = Buffer.from(await res.arrayBuffer());
  const json = (res.headers.get("content-type") ?? "").includes("json") ? (JSON.parse(bytes.toString("utf8")) as unknown) : null;
  return { status: res.status, headers: res.headers, bytes, json };
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

describe("the QR PNG of one link", () => {
  it("is a crisp PNG of at least 800 px of the school's own signed link, captioned, downloaded under its Chinese name", async () => {
    const res = await qr(cookies.school, ZN, "social", "zn01");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("image/png");
    expect(res.headers.get("cache-control")).toBe("private, no-store");
    expect(res.bytes.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    const img = decodePng(res.bytes);
    expect(img.width).toBeGreaterThanOrEqual(800);
    expect(img.width).toBeLessThan(1200);
    const disposition = res.headers.get("content-disposition") ?? "";
    expect(disposition).toMatch(/^attachment; filename="[\x20-\x7e]+"; filename\*=UTF-8''/);
    expect(decodeURIComponent(disposition.split("filename*=UTF-8''")[1] ?? "")).toBe("中宁县第一小学（演示）-社会卷（家长）-二维码.png");

    // The very link the school's page shows, module for module, whole pixels each, quiet zone of 4.
    const url = `https://survey.test/s/${signLink(services.keys, { campaignId: C, countyId: ZN, schoolId: "zn01", questionnaireId: "social" })}`;
    const modules = QRCode.create(url, { errorCorrectionLevel: "M" }).modules;
    const scale = img.width / (modules.size + 8);
    expect(Number.isInteger(scale)).toBe(true);
    for (let r = 0; r < modules.size; r++) {
      for (let c = 0; c < modules.size; c++) {
        expect(img.at((c + 4) * scale + (scale >> 1), (r + 4) * scale + (scale >> 1)) === 0).toBe(modules.get(r, c) === 1);
      }
    }
    // With a CJK font on the machine the school and 请扫码填写 are drawn under the code.
    if (captionFont()) expect(img.height).toBeGreaterThan(img.width + 100);
    else expect(img.height).toBe(img.width);
  });

  it("lets a county officer have every school of their county and the county link, and nothing of another county", async () => {
    expect((await qr(cookies.county, ZN, "staff", "zn02")).status).toBe(200);
    expect((await qr(cookies.county, ZN, "social")).status).toBe(200);
    const other = await qr(cookies.county, SPT, "social", "spt01");
    expect(other.status).toBe(403);
    expect(other.headers.get("content-type")).not.toBe("image/png");
    expect(other.json).toEqual({ title: expect.any(String), message: "您的账号只能查看本校的信息。" });
    expect((await qr(cookies.county, SPT, "social")).status).toBe(403);
    expect((await qr(cookies.otherCounty, ZN, "social", "zn01")).status).toBe(403);
  });

  it("lets a school contact have only their own school's links", async () => {
    expect((await qr(cookies.school, ZN, "social", "zn02")).status).toBe(403);
    expect((await qr(cookies.school, SPT, "social", "spt01")).status).toBe(403);
    expect((await qr(cookies.school, ZN, "social")).status).toBe(403);
  });

  it("answers 404 for what is not in the campaign, and never signs anything it is handed", async () => {
    expect((await qr(cookies.city, ZN, "social", "nope")).status).toBe(404);
    expect((await qr(cookies.city, ZN, "social", "spt01")).status).toBe(404); // school of another county under this one
    expect((await qr(cookies.city, ZN, "survey", "zn01")).status).toBe(404);
    expect((await qr(cookies.city, "999999", "social")).status).toBe(404);
    expect((await qr(cookies.city, ZN, "staff")).status).toBe(404); // county links are 社会卷 only
    const smuggled = await qr(cookies.city, ZN, "https://evil.example/x", "zn01");
    expect(smuggled.status).toBe(404);
    expect(smuggled.bytes.includes(Buffer.from("evil"))).toBe(false);
  });

  it("sends a signed-out visitor to the login page", async () => {
    const res = await qr(null, ZN, "social", "zn01");
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toMatch(/^\/login\?next=/);
  });
});

describe("links on the kits and school pages", () => {
  it("come with a QR path and a 通知 that says who, why, anonymous, minutes and the link itself", async () => {
    const res = await schoolLoaderCall(cookies.school, "zn01");
    expect(res.status).toBe(200);
    const body = res.body as { links: ShareLink[]; originProblem: unknown };
    expect(body.originProblem).toBeNull(); // https://survey.test
    const parent = body.links.find((l) => l.questionnaireId === "social");
    expect(parent?.audience).toBe("家长");
    expect(parent?.qrPath).toBe(`/admin/qr/${C}/${ZN}/social?school=zn01`);
    expect(parent?.notice).toContain("各位家长：");
    expect(parent?.notice).toContain("中宁县第一小学（演示）的家长");
    expect(parent?.notice).toContain("县域义务教育优质均衡发展督导评估");
    expect(parent?.notice).toContain("不记录姓名、电话");
    expect(parent?.notice).toMatch(/约需\d+分钟/);
    // The demo campaign stays open: no deadline is promised.
    expect(parent?.notice).not.toContain("请于");
    expect(parent?.notice.split("\n")).toContain(parent?.url);
    expect(body.links.map((l) => l.audience)).toEqual(["家长", "教师", "学生"]);
  });

  it("name the campaign's end as the deadline when it has one", async () => {
    await services.db.updateTable("campaigns").set({ is_demo: 0 }).where("id", "=", C).execute();
    try {
      const res = await callKits(cookies.county);
      const kits = (res.body as { kits: CountyKits[] }).kits;
      expect(kits.map((k) => k.county.id)).toEqual([ZN]);
      const county = kits[0]?.countyLinks[0];
      expect(county?.qrPath).toBe(`/admin/qr/${C}/${ZN}/social`);
      expect(county?.notice).toContain("各位人大代表、政协委员");
      expect(county?.notice).toMatch(/请于\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}前点击下面的链接填写/);
    } finally {
      await services.db.updateTable("campaigns").set({ is_demo: 1 }).where("id", "=", C).execute();
    }
  });
});

describe("the PUBLIC_URL warning", () => {
  it("is on the kits and school pages when links would print as http://localhost", async () => {
    const local = await makeTestServices({ env: { PUBLIC_URL: "" } });
    try {
      const c = await roleCookies(local);
      const school = await schoolLoaderCall(c.school, "zn01", local);
      const body = school.body as { links: ShareLink[]; originProblem: { level: string; message: string } };
      expect(body.links[0]?.url).toMatch(/^http:\/\/localhost:3000\/s\//);
      expect(body.originProblem.level).toBe("loopback");
      expect(body.originProblem.message).toBe("链接指向本机地址（http://localhost:3000），家长手机无法打开。请管理员设置 PUBLIC_URL 为正式的 https 地址。");
      const kits = await callKits(c.county, local);
      expect((kits.body as { originProblem: { level: string } }).originProblem.level).toBe("loopback");
    } finally {
      await local.dispose();
    }
  });
});

async function schoolLoaderCall(cookie: string, schoolId: string, s: TestServices = services) {
  return callLoader(s, schoolLoader, `/admin/campaigns/${C}/schools/${schoolId}`, { cookie, params: { campaignId: C, schoolId } });
}

async function callKits(cookie: string, s: TestServices = services) {
  return callLoader(s, kitsLoader, `/admin/campaigns/${C}/kits`, { cookie, params: { campaignId: C } });
}

describe("the QR PNG opened in WeChat's browser", () => {
  it("is served inline with view=1, so it can be long-pressed and sent to a chat", async () => {
    const request = new Request(`${ORIGIN}/admin/qr/${C}/${ZN}/social?school=zn01&view=1`, { headers: { Cookie: cookies.school } });
    const args = {
      request,
      params: { campaignId: C, countyId: ZN, questionnaireId: "social" },
      context: { services, clientAddress: "198.51.100.20", cspNonce: "test" },
    } as unknown as LoaderFunctionArgs;
    const res = (await qrLoader(args)) as Response;
    expect(res.headers.get("content-type")).toBe("image/png");
    expect(res.headers.get("content-disposition")).toMatch(/^inline; filename="[^"]*"; filename\*=UTF-8''/);
  });
});
