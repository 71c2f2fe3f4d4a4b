/**
 * Posters per audience (issue 16 item 8): a school's print kit is one A4 sheet per audience —
 * 家长, 教师, 学生, in that order — never two audiences' codes on one sheet, each saying who it
 * is for; `?audience=parent|staff|student` prints one of them and anything else is refused in
 * Chinese (400, not a 500); the county's sheet for 人大代表、政协委员、其他群众 stays its own;
 * the county document keeps school after school. The HTML is the one the routes render: their
 * loaders' data through the same KitPage component.
 */
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signKit } from "../../../app/.server/collect/links";
import type { CountyKits } from "../../../app/.server/console/kits";
import { KitPage } from "../../../app/components/kit-page";
import type { KitPageData } from "../../../app/domain/print-kit";
import { loader as kitsLoader } from "../../../app/routes/admin.campaigns.$campaignId.kits/route";
import { loader as countyKitLoader } from "../../../app/routes/admin_.kit.$campaignId.$countyId/route";
import { loader as printLoader } from "../../../app/routes/print.$kit/route";
import { loader as schoolLoader } from "../../../app/routes/admin.campaigns.$campaignId.schools.$schoolId/route";
import { addCampaign } from "../../support/campaigns";
import { makeTestServices, type TestServices } from "../../support/services";
import { callLoader, roleCookies } from "./support";

const C = "zw2026";
const ZN = "640521";
const HEADINGS = { parent: "家长请扫码", staff: "教师请扫码", student: "学生请扫码", county: "人大代表、政协委员、其他群众请扫码" } as const;
const ONLY = {
  parent: "本码仅供本校学生家长扫码填写，其他人员请勿使用。",
  staff: "本码仅供本校校长、教师扫码填写，其他人员请勿使用。",
  student: "本码仅供本校三年级及以上学生扫码填写，其他人员请勿使用。",
} as const;

let services: TestServices;
let cookies: Awaited<ReturnType<typeof roleCookies>>;

beforeAll(async () => {
  services = await makeTestServices();
  cookies = await roleCookies(services);
});
afterAll(async () => {
  await services.dispose();
});

function kitToken(campaignId: string, countyId: string, schoolId: string | null): string {
  return signKit(services.keys, { campaignId, countyId, schoolId });
}

async function print(token: string, query = "") {
  return callLoader(services, printLoader, `/print/${token}${query}`, { params: { kit: token } });
}

function html(kits: KitPageData[]): string {
  return kits.map((kit) => renderToStaticMarkup(createElement(KitPage, { kit }))).join("");
}

/** The rendered sheets: each <section> with its audience attribute and its text. */
function sheetsOf(markup: string): Array<{ audience: string; markup: string }> {
  return [...markup.matchAll(/<section class="kit__sheet[^"]*" data-audience="([a-z]+)">([\s\S]*?)<\/section>/g)].map((m) => ({
    audience: m[1] ?? "",
    markup: m[2] ?? "",
  }));
}

function headingsIn(markup: string): string[] {
  return Object.values(HEADINGS).filter((h) => markup.includes(`>${h}</h1>`));
}

describe("a school's print kit", () => {
  it("is one sheet per audience — 家长, 教师, 学生 — each with one code and one heading saying who it is for", async () => {
    const res = await print(kitToken(C, ZN, "zn01"));
    expect(res.status).toBe(200);
    const kit = res.body as KitPageData;
    expect(kit.sheets.map((s) => s.audience)).toEqual(["parent", "staff", "student"]);
    expect(kit.sheets.map((s) => s.questionnaireId)).toEqual(["social", "staff", "student"]);
    expect(kit.audiences).toEqual(["parent", "staff", "student"]);
    expect(kit.selected).toBeNull();
    const sheets = sheetsOf(html([kit]));
    expect(sheets.map((s) => s.audience)).toEqual(["parent", "staff", "student"]);
    for (const sheet of sheets) {
      const audience = sheet.audience as keyof typeof ONLY;
      expect(sheet.markup.match(/<svg/g)?.length).toBe(1);
      expect(headingsIn(sheet.markup)).toEqual([HEADINGS[audience]]);
      expect(sheet.markup).toContain(`<h1 class="kit__heading">${HEADINGS[audience]}</h1>`);
      expect(sheet.markup).toContain(ONLY[audience]);
      expect(sheet.markup).toContain("中宁县第一小学（演示）");
      expect(sheet.markup).toMatch(/约需\d+分钟/);
      expect(sheet.markup).toContain("匿名填写");
    }
    // Each sheet's code is that audience's own signed link.
    expect(new Set(kit.sheets.map((s) => s.url)).size).toBe(3);
    // The school's name on every sheet, and each code's caption under it.
    expect(sheets.every((s) => s.markup.includes('<p class="kit__title">中宁县第一小学（演示）</p>'))).toBe(true);
    expect(sheets.map((s) => /<figcaption><strong>([^<]+)<\/strong>/.exec(s.markup)?.[1])).toEqual(["家长", "教师、校长", "三年级及以上学生"]);
    expect(sheets[0]?.markup).toContain("适用对象：中宁县第一小学（演示）学生家长");
    expect(sheets[1]?.markup).toContain("家长和学生请勿扫描此码");
    expect(sheets[2]?.markup).toContain("适用对象：中宁县第一小学（演示）三年级及以上学生");
  });

  it("?audience= prints one audience's sheet only", async () => {
    for (const audience of ["parent", "staff", "student"] as const) {
      const res = await print(kitToken(C, ZN, "zn01"), `?audience=${audience}`);
      expect(res.status).toBe(200);
      const kit = res.body as KitPageData;
      expect(kit.selected).toBe(audience);
      expect(kit.audiences).toEqual(["parent", "staff", "student"]);
      const sheets = sheetsOf(html([kit]));
      expect(sheets.map((s) => s.audience)).toEqual([audience]);
      expect(headingsIn(html([kit]))).toEqual([HEADINGS[audience]]);
      expect(html([kit]).match(/<svg/g)?.length).toBe(1);
    }
  });

  it("refuses an unknown ?audience= with a Chinese 400 and no codes", async () => {
    for (const bad of ["teacher", "PARENT", "county", "parent,staff", "<script>"]) {
      const res = await print(kitToken(C, ZN, "zn01"), `?audience=${encodeURIComponent(bad)}`);
      expect(res.status).toBe(400);
      const body = res.body as { title: string; message: string };
      expect(body.title).toBe("打印参数有误");
      expect(body.message).toContain("只能是 parent（家长页）、staff（教师页）或 student（学生页）");
      expect(res.text).not.toContain("/s/");
    }
  });

  it("an empty ?audience= is every sheet; a tampered kit is still 404", async () => {
    const res = await print(kitToken(C, ZN, "zn01"), "?audience=");
    expect((res.body as KitPageData).sheets).toHaveLength(3);
    expect((await print(`${kitToken(C, ZN, "zn01")}x`, "?audience=parent")).status).toBe(404);
  });

  it("a school that has no 学生卷 in the campaign has no 学生 sheet, and asking for one is a Chinese 404", async () => {
    const now = services.now();
    await addCampaign(services, { id: "nostudent", opensAt: now - 86_400_000, closesAt: now + 86_400_000 });
    await services.db.deleteFrom("campaign_questionnaires").where("campaign_id", "=", "nostudent").where("questionnaire_id", "=", "student").execute();
    const token = kitToken("nostudent", "640502", "spt01");
    const all = await print(token);
    expect(all.status).toBe(200);
    const kit = all.body as KitPageData;
    expect(kit.sheets.map((s) => s.audience)).toEqual(["parent", "staff"]);
    expect(kit.audiences).toEqual(["parent", "staff"]);
    // A real campaign says its deadline on every sheet.
    expect(kit.deadline).not.toBeNull();
    expect(sheetsOf(html([kit])).every((s) => s.markup.includes(`请于${kit.deadline ?? ""}前扫码填写`))).toBe(true);
    const student = await print(token, "?audience=student");
    expect(student.status).toBe(404);
    expect((student.body as { message: string }).message).toBe("沙坡头区第一小学（演示）在本次调查中不发放学生问卷，没有学生页可打印。");
  });
});

describe("the county's own sheet", () => {
  it("is one sheet for 人大代表、政协委员、其他群众, saying so; ?audience= is refused there", async () => {
    const token = kitToken(C, ZN, null);
    const res = await print(token);
    expect(res.status).toBe(200);
    const kit = res.body as KitPageData;
    expect(kit.sheets.map((s) => s.audience)).toEqual(["county"]);
    expect(kit.audiences).toEqual([]);
    const markup = html([kit]);
    expect(headingsIn(markup)).toEqual([HEADINGS.county]);
    expect(markup).toContain("适用对象：中宁县人大代表、政协委员和关心教育的群众");
    expect(markup).toContain("学校的家长、教师、学生请扫本校张贴的二维码");
    const refused = await print(token, "?audience=parent");
    expect(refused.status).toBe(400);
    expect((refused.body as { message: string }).message).toContain("县级二维码页只有一页");
  });
});

describe("the county document", () => {
  it("is the county sheet, then school after school, each school's sheets 家长, 教师, 学生", async () => {
    const res = await callLoader(services, countyKitLoader, `/admin/kit/${C}/${ZN}`, { cookie: cookies.county, params: { campaignId: C, countyId: ZN } });
    expect(res.status).toBe(200);
    const body = res.body as { pages: KitPageData[]; audiences: string[]; selected: string | null };
    expect(body.pages[0]?.schoolName).toBeNull();
    const schools = body.pages.slice(1);
    expect(schools.length).toBeGreaterThan(3);
    for (const kit of schools)
      expect(kit.sheets.map((s) => s.audience)).toEqual(["parent", "staff", "student"].filter((a) => kit.audiences.some((k) => k === a)));
    const sheets = sheetsOf(html(body.pages));
    expect(sheets).toHaveLength(body.pages.reduce((n, k) => n + k.sheets.length, 0));
    expect(sheets[0]?.audience).toBe("county");
    for (const sheet of sheets) expect(headingsIn(sheet.markup)).toHaveLength(1);
    expect(body.audiences).toEqual(["parent", "staff", "student"]);
  });

  it("?audience=parent is every school's 家长 sheet and nothing else; a bad value is a Chinese 400", async () => {
    const res = await callLoader(services, countyKitLoader, `/admin/kit/${C}/${ZN}?audience=parent`, {
      cookie: cookies.county,
      params: { campaignId: C, countyId: ZN },
    });
    expect(res.status).toBe(200);
    const body = res.body as { pages: KitPageData[]; selected: string | null };
    expect(body.selected).toBe("parent");
    expect(body.pages.every((k) => k.schoolName !== null)).toBe(true);
    const sheets = sheetsOf(html(body.pages));
    expect(sheets).toHaveLength(body.pages.length);
    expect(sheets.every((s) => s.audience === "parent" && headingsIn(s.markup).join() === HEADINGS.parent)).toBe(true);
    const bad = await callLoader(services, countyKitLoader, `/admin/kit/${C}/${ZN}?audience=all`, {
      cookie: cookies.county,
      params: { campaignId: C, countyId: ZN },
    });
    expect(bad.status).toBe(400);
    expect((bad.body as { message: string }).message).toContain("audience=“all”无效");
  });
});

describe("the kits page", () => {
  it("offers each school's and the county's one-audience prints, and they are the pages that print one audience", async () => {
    const res = await callLoader(services, kitsLoader, `/admin/campaigns/${C}/kits`, { cookie: cookies.county, params: { campaignId: C } });
    expect(res.status).toBe(200);
    const [county] = (res.body as { kits: CountyKits[] }).kits;
    expect(county?.documentPosters.map((p) => p.path)).toEqual(["parent", "staff", "student"].map((a) => `/admin/kit/${C}/${ZN}?audience=${a}`));
    expect(county?.documentPosters[0]?.label).toBe("只打印家长页（校门口张贴）");
    const school = county?.schools.find((s) => s.id === "zn01");
    expect(school?.posters.map((p) => p.label)).toEqual(["只打印家长页（校门口张贴）", "只打印教师页（教师办公室）", "只打印学生页（机房、教室）"]);
    const staff = school?.posters.find((p) => p.audience === "staff");
    const [path, query] = (staff?.path ?? "").split("?");
    const printed = await print((path ?? "").replace(/^\/print\//, ""), `?${query ?? ""}`);
    expect((printed.body as KitPageData).sheets.map((s) => s.audience)).toEqual(["staff"]);
  });
});

describe("a school contact's page", () => {
  it("offers the school's 家长页, 教师页 and 学生页 prints, each printing that one sheet", async () => {
    const res = await callLoader(services, schoolLoader, `/admin/campaigns/${C}/schools/zn01`, {
      cookie: cookies.school,
      params: { campaignId: C, schoolId: "zn01" },
    });
    expect(res.status).toBe(200);
    const body = res.body as { kitPath: string; posters: Array<{ audience: string; label: string; path: string }> };
    expect(body.posters.map((p) => p.path)).toEqual(["parent", "staff", "student"].map((a) => `${body.kitPath}?audience=${a}`));
    const token = body.kitPath.replace(/^\/print\//, "");
    const printed = await print(token, "?audience=parent");
    const kit = printed.body as KitPageData;
    expect(headingsIn(html([kit]))).toEqual([HEADINGS.parent]);
  });
});
