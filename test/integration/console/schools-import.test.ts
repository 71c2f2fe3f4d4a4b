/**
 * The school-list import forgives what people type (issue 20 item 5), through the real action
 * and the import worker: a sheet named 县(区) with half-width brackets, the type 九年一贯制, a
 * file with only the 学校 sheet for counties the campaign has — each accepted with what was
 * assumed in the result; a county nobody knows still refused, and nothing imported then.
 */
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listSchools } from "../../../db/repositories/campaigns";
import { listAudit } from "../../../db/repositories/audit";
import { fileURLToPath } from "node:url";
import { attachDemoEvaluationData } from "../../../app/.server/console/demo-data";
import type { CoverageView } from "../../../app/.server/console/coverage";
import type { CountyReadinessPage } from "../../../app/.server/console/readiness";
import { action as importAction } from "../../../app/routes/admin.campaigns.$campaignId.schools-import/route";
import { loader as coverageLoader } from "../../../app/routes/admin.campaigns.$campaignId.counties.$countyId.coverage/route";
import { loader as readinessLoader } from "../../../app/routes/admin.campaigns.$campaignId.counties.$countyId.readiness._index/route";
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

const SCHOOL_HEADERS = ["学校标识码", "学校名称", "所属县（区）代码", "学校类型", "城乡类型", "小学在校生数（人）", "初中在校生数（人）", "高中在校生数（人）"];

/** A workbook as an officer makes it by hand: their own sheet names, values as typed. */
async function workbook(sheets: Record<string, (string | number)[][]>): Promise<File> {
  const wb = new ExcelJS.Workbook();
  for (const [name, rows] of Object.entries(sheets)) {
    const ws = wb.addWorksheet(name);
    for (const r of rows) ws.addRow(r);
  }
  return new File([Buffer.from(await wb.xlsx.writeBuffer())], "学校名单.xlsx");
}

async function upload(file: File) {
  const form = new FormData();
  form.append("file", file);
  return callAction(services, importAction, "/admin/campaigns/zw2026/schools-import", { cookie: cookies.city, params: { campaignId: "zw2026" }, form });
}

describe("the school-list import reads what people type", () => {
  it("accepts the sheet 县(区) and the type 九年一贯制, saying what it assumed", async () => {
    const res = await upload(
      await workbook({
        "县(区)": [
          ["县（区）代码", "县（区）名称", "常住人口（人）"],
          ["640521", "中宁县", 336000],
        ],
        学校: [SCHOOL_HEADERS, ["zn90", "中宁县新堡学校", "640521", "九年一贯制", "乡村", 320, 180, 0]],
      }),
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ ok: true, message: "已导入 1 个县（区）：新增学校 1 所，更新 0 所；新加入本调查活动的县（区）0 个。" });
    expect((res.body as { notes: string[] }).notes).toEqual([
      "已将工作表“县(区)”视为“县（区）”",
      "「学校」「学校类型」：已将“九年一贯制”视为“九年一贯制学校”（第 2 行）",
    ]);
    const school = (await listSchools(services.db, "640521")).find((s) => s.id === "zn90");
    expect(school).toMatchObject({ name: "中宁县新堡学校", type: "nine_year", location: "rural", students: { primary: 320, junior: 180, senior: 0 } });
    const audit = await listAudit(services.db, { action: "schools_imported", limit: 5 });
    expect(audit[0]?.detail.assumed).toEqual((res.body as { notes: string[] }).notes);
  });

  it("accepts a file with only the 学校 sheet for the campaign's counties", async () => {
    const res = await upload(await workbook({ 学校: [SCHOOL_HEADERS, ["hy90", "海原县新区小学", "640522", "小学", "城区", 640, 0, 0]] }));
    expect(res.status).toBe(200);
    expect((res.body as { notes: string[] }).notes).toEqual([
      "文件中没有「县（区）」工作表：学校按所属县（区）代码归入本调查活动已有的县（区）：海原县（640522）",
    ]);
    expect((await listSchools(services.db, "640522")).some((s) => s.id === "hy90")).toBe(true);
  });

  it("refuses a school of a county the campaign does not have, and imports nothing", async () => {
    const res = await upload(
      await workbook({
        学校: [SCHOOL_HEADERS, ["xx01", "某县小学", "640599", "小学", "城区", 640, 0, 0], ["zn91", "中宁县又一小学", "640521", "小学", "城区", 500, 0, 0]],
      }),
    );
    expect(res.status).toBe(400);
    expect((res.body as { errors: string[] }).errors).toEqual([
      "「学校」第 2 行「所属县（区）代码」：县（区）代码 640599 不是本调查活动的县（区）；新的县（区）请在「县（区）」工作表中填写代码和名称后一并导入",
    ]);
    expect((await listSchools(services.db, "640521")).some((s) => s.id === "zn91")).toBe(false);
  });
});

describe("one source for each figure after an import", () => {
  it("says on both pages where the school list's 在校生 differs from the evaluation data's, and names a school the data lacks", async () => {
    await attachDemoEvaluationData(services, "zw2026", ROOT);
    // The list now says 240 for 红宝小学 (the evaluation data: 230) and adds a school the data does not have.
    const res = await upload(
      await workbook({
        学校: [
          SCHOOL_HEADERS,
          ["zn08", "中宁县恩和镇红宝小学（演示）", "640521", "小学", "乡村", 240, 0, 0],
          ["zn95", "中宁县恩和镇新建小学", "640521", "小学", "乡村", 120, 0, 0],
        ],
      }),
    );
    expect(res.status).toBe(200);
    const params = { campaignId: "zw2026", countyId: "640521" };
    const coverage = await callLoader(services, coverageLoader, "/admin/campaigns/zw2026/counties/640521/coverage", { cookie: cookies.city, params });
    const rows = (coverage.body as { coverage: CoverageView }).coverage.schools;
    expect(rows.find((r) => r.id === "zn08")).toMatchObject({ pupils: 240, enrolmentNote: "达标评估按评估数据为 230 人" });
    expect(rows.find((r) => r.id === "zn01")?.enrolmentNote).toBeNull();
    const readiness = await callLoader(services, readinessLoader, "/admin/campaigns/zw2026/counties/640521/readiness", { cookie: cookies.city, params });
    const page = readiness.body as CountyReadinessPage;
    expect(page.enrolment.differences).toEqual(["中宁县恩和镇红宝小学（演示）：评估数据 230 人，学校名单 240 人"]);
    // The unit on the readiness page is the data's 230, as its note says.
    expect(page.view?.units.failing.find((u) => u.schoolId === "zn08")?.students).toBe(230);
    expect(page.enrolment.notInData).toEqual(expect.arrayContaining(["中宁县恩和镇新建小学", "中宁县新堡学校"]));
  });
});
