/**
 * Campaigns from creation to QR kit through the real actions: create (validated), import the
 * school list from the Excel template, kits per county and per school (signed /print links that
 * open), a school contact's page (counts, never answers), editing what responses do not depend
 * on, and publishing a new questionnaire version that the submit path then collects.
 */
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getCampaign, getCampaignQuestionnaires } from "../../../db/repositories/campaigns";
import { listAudit } from "../../../db/repositories/audit";
import { buildWorkbook } from "../../../app/.server/evaluation-import";
import { action as newAction, loader as newLoader } from "../../../app/routes/admin.campaigns.new/route";
import { action as editAction } from "../../../app/routes/admin.campaigns.$campaignId.edit/route";
import { action as importAction } from "../../../app/routes/admin.campaigns.$campaignId.schools-import/route";
import { loader as kitsLoader } from "../../../app/routes/admin.campaigns.$campaignId.kits/route";
import { loader as schoolLoader } from "../../../app/routes/admin.campaigns.$campaignId.schools.$schoolId/route";
import { loader as countyKitLoader } from "../../../app/routes/admin_.kit.$campaignId.$countyId/route";
import { action as publishAction, loader as questionnairesLoader } from "../../../app/routes/admin.questionnaires/route";
import { action as previewAction, loader as previewLoader } from "../../../app/routes/admin_.preview.$questionnaire.$version/route";
import { loader as fullPreviewLoader } from "../../../app/routes/admin_.preview.$questionnaire.$version_.full/route";
import { loader as printLoader } from "../../../app/routes/print.$kit/route";
import type { CountyKits } from "../../../app/.server/console/kits";
import { callSubmit, newDevice, newKey, parentAnswers, startedFor } from "../../support/requests";
import { signLink } from "../../../app/.server/collect/link-token";
import { makeTestServices, type TestServices } from "../../support/services";
import { callAction, callLoader, roleCookies } from "./support";

const ROOT = fileURLToPath(new URL("../../..", import.meta.url));
let services: TestServices;
let cookies: Awaited<ReturnType<typeof roleCookies>>;

beforeAll(async () => {
  services = await makeTestServices();
  cookies = await roleCookies(services);
});
afterAll(async () => {
  await services.dispose();
});

function form(fields: Record<string, string>): FormData {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) f.append(k, v);
  return f;
}

const NEW = {
  id: "wz2027",
  name: "吴忠市2027年社会认可度自评调查",
  city: "吴忠市",
  year: "2027",
  phase: "self",
  opensAt: "2026-03-01T08:00",
  closesAt: "2026-03-31T20:00",
  rule: "top2",
  q_social: "1",
  q_staff: "1",
  q_student: "",
};

describe("a campaign from creation to QR kit", () => {
  it("refuses an invalid form with every problem in Chinese, and a county officer altogether", async () => {
    const bad = await callAction(services, newAction, "/admin/campaigns/new", {
      cookie: cookies.city,
      form: form({
        ...NEW,
        id: "X",
        closesAt: "",
        q_social: "",
        county_640502: "on",
        pop_640502: "abc",
        urban_640502: "50",
        town_640502: "20",
        rural_640502: "20",
      }),
    });
    expect(bad.status).toBe(400);
    const errors = (bad.body as { errors: string[] }).errors;
    expect(errors).toEqual(expect.arrayContaining(["编号为 3–32 位小写字母、数字或 -，如 zw2027", "请填写结束时间", "至少需要社会卷（家长等填写）"]));
    expect((await callAction(services, newAction, "/admin/campaigns/new", { cookie: cookies.county, form: form(NEW) })).status).toBe(403);
    expect((await callLoader(services, newLoader, "/admin/campaigns/new", { cookie: cookies.county })).status).toBe(403);
  });

  it("creates it (window in Beijing time, county plan), imports its school list, and hands out the kits", async () => {
    const created = await callAction(services, newAction, "/admin/campaigns/new", {
      cookie: cookies.city,
      form: form({ ...NEW, county_640521: "on", pop_640521: "336000", urban_640521: "45", town_640521: "27", rural_640521: "28" }),
    });
    expect(created.status).toBe(302);
    expect(created.headers.get("location")).toBe("/admin/campaigns/wz2027/kits?created=1");
    const c = await getCampaign(services.db, "wz2027");
    expect(c).toMatchObject({ year: 2027, phase: "self", opensAt: Date.UTC(2026, 2, 1, 0, 0), closesAt: Date.UTC(2026, 2, 31, 12, 0) });
    expect([...(await getCampaignQuestionnaires(services.db, "wz2027"))]).toEqual([
      ["social", 1],
      ["staff", 1],
    ]);

    // The school list: a new county with two schools, from the Excel template.
    const workbook = await buildWorkbook({
      format: "youzhi-junheng/evaluation-input",
      version: 1,
      counties: [{ id: "640302", name: "利通区", residentPopulation: 420000, locationShare: { urban: 0.6, town: 0.2, rural: 0.2 } }],
      schools: [
        {
          id: "lt01",
          countyId: "640302",
          name: "利通区第一小学",
          type: "primary",
          location: "urban",
          students: { primary: 1800, junior: 0, senior: 0 },
          sections: {},
        },
        {
          id: "lt02",
          countyId: "640302",
          name: "利通区金积镇中学",
          type: "junior",
          location: "town",
          students: { primary: 0, junior: 900, senior: 0 },
          sections: {},
        },
      ],
      countyItems: [],
    });
    const file = new FormData();
    file.append("file", new File([Buffer.from(workbook)], "学校名单.xlsx"));
    const imported = await callAction(services, importAction, "/admin/campaigns/wz2027/schools-import", {
      cookie: cookies.city,
      params: { campaignId: "wz2027" },
      form: file,
    });
    expect(imported.body).toMatchObject({ ok: true, message: "已导入 1 个县（区）：新增学校 2 所，更新 0 所；新加入本调查活动的县（区）1 个。" });

    const kits = await callLoader(services, kitsLoader, "/admin/campaigns/wz2027/kits", { cookie: cookies.city, params: { campaignId: "wz2027" } });
    const list = (kits.body as { kits: CountyKits[] }).kits;
    expect(list.map((k) => k.county.name)).toEqual(["利通区", "中宁县"]);
    const lt = list[0];
    expect(lt?.schools.map((s) => [s.name, s.links.map((l) => l.questionnaire)])).toEqual([
      ["利通区第一小学", ["社会卷", "校长教师卷"]],
      ["利通区金积镇中学", ["社会卷", "校长教师卷"]],
    ]);
    // The signed kit opens as a printable page with its QR codes.
    const token = (lt?.schools[0]?.kitPath ?? "").replace("/print/", "");
    const print = await callLoader(services, printLoader, `/print/${token}`, { params: { kit: token } });
    expect(print.status).toBe(200);
    expect(print.body).toMatchObject({
      schoolName: "利通区第一小学",
      countyName: "利通区",
      sheets: [
        { audience: "parent", questionnaireId: "social" },
        { audience: "staff", questionnaireId: "staff" },
      ],
    });
    const doc = await callLoader(services, countyKitLoader, "/admin/kit/wz2027/640302", {
      cookie: cookies.city,
      params: { campaignId: "wz2027", countyId: "640302" },
    });
    expect((doc.body as { pages: unknown[] }).pages).toHaveLength(3);
    expect((await callLoader(services, countyKitLoader, "/x", { cookie: cookies.county, params: { campaignId: "wz2027", countyId: "640302" } })).status).toBe(
      403,
    );
    const audit = await listAudit(services.db, { campaignId: "wz2027", limit: 10 });
    expect(audit.map((e) => e.action).sort()).toEqual(["campaign_created", "schools_imported"]);
  });

  it("shows a school contact their links, kit and counts only, never another school", async () => {
    const own = await callLoader(services, schoolLoader, "/admin/campaigns/wz2027/schools/zn01", {
      cookie: cookies.school,
      params: { campaignId: "wz2027", schoolId: "zn01" },
    });
    expect(own.status).toBe(200);
    const body = own.body as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(["counts", "kitPath", "links", "originProblem", "posters", "school", "shortfall", "total"]);
    expect(JSON.stringify(body)).not.toMatch(/rate|satisfied|answers/);
    expect((await callLoader(services, schoolLoader, "/x", { cookie: cookies.school, params: { campaignId: "wz2027", schoolId: "zn02" } })).status).toBe(403);
    expect((await callLoader(services, schoolLoader, "/x", { cookie: cookies.county, params: { campaignId: "wz2027", schoolId: "lt01" } })).status).toBe(403);
    expect((await callLoader(services, schoolLoader, "/x", { cookie: cookies.city, params: { campaignId: "wz2027", schoolId: "spt01" } })).status).toBe(404);
    const kits = await callLoader(services, kitsLoader, "/admin/campaigns/wz2027/kits", { cookie: cookies.school, params: { campaignId: "wz2027" } });
    expect(kits.headers.get("location")).toBe("/admin/campaigns/wz2027/schools/zn01");
  });
});

describe("a county's 常住人口 on the campaign form", () => {
  it("left empty is stored as NULL (not provided); 0 or a fraction is refused in Chinese", async () => {
    const refused = await callAction(services, newAction, "/admin/campaigns/new", {
      cookie: cookies.city,
      form: form({
        ...NEW,
        id: "np2027",
        county_640521: "on",
        pop_640521: "0",
        urban_640521: "45",
        town_640521: "27",
        rural_640521: "28",
        county_640502: "on",
        pop_640502: "1.5",
        urban_640502: "50",
        town_640502: "25",
        rural_640502: "25",
      }),
    });
    expect(refused.status).toBe(400);
    expect([...(refused.body as { errors: string[] }).errors].sort()).toEqual([
      "县（区）640502 的常住人口应为正整数（不知道可留空）",
      "县（区）640521 的常住人口应为正整数（不知道可留空）",
    ]);
    expect(await getCampaign(services.db, "np2027")).toBeNull();

    const created = await callAction(services, newAction, "/admin/campaigns/new", {
      cookie: cookies.city,
      form: form({ ...NEW, id: "np2027", county_640521: "on", pop_640521: "", urban_640521: "45", town_640521: "27", rural_640521: "28" }),
    });
    expect(created.status).toBe(302);
    const row = await services.db.selectFrom("campaign_counties").select("resident_population").where("campaign_id", "=", "np2027").executeTakeFirstOrThrow();
    expect(row.resident_population).toBeNull();
  });
});

describe("publishing a questionnaire version", () => {
  async function definition(version: number, overrides: Record<string, unknown> = {}): Promise<string> {
    const v1 = JSON.parse(await readFile(`${ROOT}/surveys/social.v1.json`, "utf8")) as Record<string, unknown>;
    return JSON.stringify({ ...v1, version, title: `社会卷第${String(version)}版`, ...overrides });
  }
  function upload(text: string): FormData {
    const f = new FormData();
    f.append("file", new File([text], "social.json", { type: "application/json" }));
    return f;
  }

  it("refuses what surveys:check refuses, and an existing version", async () => {
    const v1 = JSON.parse(await definition(2)) as { pages: Array<{ elements: Array<{ name: string }> }> };
    const pages = v1.pages.map((p) => ({ ...p, elements: p.elements.filter((e) => e.name !== "homework") }));
    const broken = await callAction(services, publishAction, "/admin/questionnaires", { cookie: cookies.city, form: upload(await definition(2, { pages })) });
    expect(broken.status).toBe(400);
    expect((broken.body as { problems: string[] }).problems.join()).toMatch(/缺少计分题 homework/);
    const same = await callAction(services, publishAction, "/admin/questionnaires", { cookie: cookies.city, form: upload(await definition(1)) });
    expect((same.body as { problems: string[] }).problems[0]).toMatch(/已存在。已发布的版本不能修改/);
    expect((await callAction(services, publishAction, "/admin/questionnaires", { cookie: cookies.county, form: upload(await definition(2)) })).status).toBe(
      403,
    );
  });

  it("publishes v2; a campaign selects it; a parent's answer on it is stored; the preview shows it", async () => {
    const ok = await callAction(services, publishAction, "/admin/questionnaires", { cookie: cookies.city, form: upload(await definition(2)) });
    expect(ok.body).toMatchObject({ ok: true, id: "social", version: 2 });
    const list = await callLoader(services, questionnairesLoader, "/admin/questionnaires", { cookie: cookies.city });
    expect((list.body as { rows: Array<{ id: string; version: number; source: string }> }).rows).toContainEqual(
      expect.objectContaining({ id: "social", version: 2, source: "console" }),
    );
    const again = await callAction(services, publishAction, "/admin/questionnaires", { cookie: cookies.city, form: upload(await definition(2)) });
    expect(again.status).toBe(400);

    const edit = await callAction(services, editAction, "/admin/campaigns/wz2027/edit", {
      cookie: cookies.city,
      params: { campaignId: "wz2027" },
      form: form({
        ...NEW,
        q_social: "2",
        county_640521: "on",
        pop_640521: "336000",
        urban_640521: "45",
        town_640521: "27",
        rural_640521: "28",
        county_640302: "on",
        pop_640302: "420000",
        urban_640302: "60",
        town_640302: "20",
        rural_640302: "20",
      }),
    });
    expect(edit.status).toBe(302);
    expect((await getCampaignQuestionnaires(services.db, "wz2027")).get("social")).toBe(2);

    services.clock.set(Date.UTC(2026, 2, 10, 2));
    const scope = { campaignId: "wz2027", countyId: "640302", schoolId: "lt01", questionnaireId: "social" as const };
    const token = signLink(services.keys, scope);
    const cookie = newDevice(services);
    const res = await callSubmit(services, {
      token,
      cookie,
      body: { version: 2, idempotencyKey: newKey(), started: startedFor(services, scope, services.now() - 200_000, cookie), answers: parentAnswers() },
    });
    expect(res.body).toMatchObject({ ok: true });
    const stored = await services.db.selectFrom("responses").select(["questionnaire_version"]).where("campaign_id", "=", "wz2027").execute();
    expect(stored).toEqual([{ questionnaire_version: 2 }]);

    // Now social v2 has a response: its version can no longer be changed in the campaign.
    const locked = await callAction(services, editAction, "/admin/campaigns/wz2027/edit", {
      cookie: cookies.city,
      params: { campaignId: "wz2027" },
      form: form({ ...NEW, q_social: "1", county_640302: "on", pop_640302: "420000", urban_640302: "60", town_640302: "20", rural_640302: "20" }),
    });
    expect(locked.status).toBe(400);
    expect((locked.body as { errors: string[] }).errors).toEqual(["社会卷已回收 1 份 v2 问卷，不能更换或取消"]);

    const preview = await callLoader(services, previewLoader, "/admin/preview/social/2", {
      cookie: cookies.school,
      params: { questionnaire: "social", version: "2" },
    });
    expect(preview.body).toMatchObject({ header: { title: "社会卷第2版" }, renderable: true });
    expect((preview.body as { questions: Array<{ name: string }> }).questions[0]?.name).toBe("grade");
    const county = await callLoader(services, previewLoader, "/admin/preview/social/2?link=county", {
      cookie: cookies.city,
      params: { questionnaire: "social", version: "2" },
    });
    expect((county.body as { questions: Array<{ name: string }> }).questions[0]?.name).toBe("group");
    const before = await services.db
      .selectFrom("responses")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    expect(
      (
        await callAction(services, previewAction, "/admin/preview/social/2", {
          cookie: cookies.city,
          params: { questionnaire: "social", version: "2" },
          form: { moral: "满意" },
        })
      ).body,
    ).toEqual({ message: "这是预览，答卷不会保存。" });
    const after = await services.db
      .selectFrom("responses")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
    expect((await callLoader(services, previewLoader, "/x", { params: { questionnaire: "social", version: "2" } })).status).toBe(302);
  });

  it("previews a version whose questions depend on answers with SurveyJS, as phones get it", async () => {
    // v3 asks for a comment only from someone not satisfied overall: the phone form cannot show
    // a question appearing as one answers, so phones (and the preview) get survey-react-ui.
    const v1 = JSON.parse(await definition(3)) as { pages: Array<{ elements: Array<Record<string, unknown>> }> };
    const pages = v1.pages.map((p) => ({
      ...p,
      elements: p.elements.map((e) => (e.name === "comment" ? { ...e, visibleIf: "{overall} anyof ['不满意', '很不满意']" } : e)),
    }));
    const ok = await callAction(services, publishAction, "/admin/questionnaires", { cookie: cookies.city, form: upload(await definition(3, { pages })) });
    expect(ok.body).toMatchObject({ ok: true, version: 3 });

    const phone = await callLoader(services, previewLoader, "/admin/preview/social/3?link=county", {
      cookie: cookies.county,
      params: { questionnaire: "social", version: "3" },
    });
    expect(phone.status).toBe(302);
    expect(phone.headers.get("Location")).toBe("/admin/preview/social/3/full?link=county");
    const full = await callLoader(services, fullPreviewLoader, "/admin/preview/social/3/full?link=county", {
      cookie: cookies.county,
      params: { questionnaire: "social", version: "3" },
    });
    expect(full.status).toBe(200);
    const body = full.body as { definition: string; variables: Record<string, unknown>; version: number };
    expect(body.version).toBe(3);
    expect(body.variables).toMatchObject({ scope: "county" });
    expect(JSON.stringify(JSON.parse(body.definition))).toContain("{overall} anyof");
    // A version the phone form renders is previewed as the phone form, and also as SurveyJS.
    expect(
      (await callLoader(services, previewLoader, "/admin/preview/social/2", { cookie: cookies.county, params: { questionnaire: "social", version: "2" } }))
        .status,
    ).toBe(200);
    expect(
      (
        await callLoader(services, fullPreviewLoader, "/admin/preview/social/9/full", {
          cookie: cookies.county,
          params: { questionnaire: "social", version: "9" },
        })
      ).status,
    ).toBe(404);
    expect((await callLoader(services, fullPreviewLoader, "/x", { params: { questionnaire: "social", version: "3" } })).status).toBe(302);
  });
});
