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
import { action as importAction } from "../../../app/routes/admin.campaigns.$campaignId.schools-import/route";
import { makeTestServices, type TestServices } from "../../support/services";
import { callAction, roleCookies } from "./support";

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
        "县(区)": [["县（区）代码", "县（区）名称", "常住人口（人）"], ["640521", "中宁县", 336000]],
        学校: [SCHOOL_HEADERS, ["zn90", "中宁县新堡学校", "640521", "九年一贯制", "乡村", 320, 180, 0]],
      }),
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ ok: true, message: "已导入 1 个县（区）：新增学校 1 所，更新 0 所；新加入本调查活动的县（区）0 个。" });
    expect((res.body as { notes: string[] }).notes).toEqual(["已将工作表“县(区)”视为“县（区）”", "「学校」「学校类型」：已将“九年一贯制”视为“九年一贯制学校”（第 2 行）"]);
    const school = (await listSchools(services.db, "640521")).find((s) => s.id === "zn90");
    expect(school).toMatchObject({ name: "中宁县新堡学校", type: "nine_year", location: "rural", students: { primary: 320, junior: 180, senior: 0 } });
    const audit = await listAudit(services.db, { action: "schools_imported", limit: 5 });
    expect(audit[0]?.detail.assumed).toEqual((res.body as { notes: string[] }).notes);
  });

  it("accepts a file with only the 学校 sheet for the campaign's counties", async () => {
    const res = await upload(await workbook({ 学校: [SCHOOL_HEADERS, ["hy90", "海原县新区小学", "640522", "小学", "城区", 640, 0, 0]] }));
    expect(res.status).toBe(200);
    expect((res.body as { notes: string[] }).notes).toEqual(["文件中没有「县（区）」工作表：学校按所属县（区）代码归入本调查活动已有的县（区）：海原县（640522）"]);
    expect((await listSchools(services.db, "640522")).some((s) => s.id === "hy90")).toBe(true);
  });

  it("refuses a school of a county the campaign does not have, and imports nothing", async () => {
    const res = await upload(await workbook({ 学校: [SCHOOL_HEADERS, ["xx01", "某县小学", "640599", "小学", "城区", 640, 0, 0], ["zn91", "中宁县又一小学", "640521", "小学", "城区", 500, 0, 0]] }));
    expect(res.status).toBe(400);
    expect((res.body as { errors: string[] }).errors).toEqual(["「学校」第 2 行「所属县（区）代码」：县（区）代码 640599 不是本调查活动的县（区）；新的县（区）请在「县（区）」工作表中填写代码和名称后一并导入"]);
    expect((await listSchools(services.db, "640521")).some((s) => s.id === "zn91")).toBe(false);
  });
});
