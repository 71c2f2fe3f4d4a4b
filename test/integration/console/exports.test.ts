/**
 * Every export opened and checked: the 表Ⅵ and 表Ⅲ workbooks (figures equal the dashboard's,
 * decimals as the 申报表), the raw responses as CSV and XLSX for the city role only, with every
 * cell that a spreadsheet could run as a formula neutralised; audited; scope enforced.
 */
import { closeCollection } from "../../support/campaigns";
import { fileURLToPath } from "node:url";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listAudit } from "../../../db/repositories/audit";
import { attachDemoEvaluationData } from "../../../app/.server/console/demo-data";
import { generateResponses } from "../../../app/.server/console/generate-responses";
import { loader as exportLoader } from "../../../app/routes/admin_.export.$campaignId.$file/route";
import { loader as reportLoader } from "../../../app/routes/admin_.report.$campaignId.$countyId/route";
import { loader as dashboardLoader } from "../../../app/routes/admin.campaigns.$campaignId.counties.$countyId._index/route";
import { uncertaintyText } from "../../../app/domain/uncertainty";
import { pct } from "../../../app/components/console/format";
import { IMPORT_LIMITS } from "../../../app/.server/evaluation-import/limits";
import { XlsxReader } from "../../../app/.server/evaluation-import/xlsx";
import { makeTestServices, type TestServices } from "../../support/services";
import { callLoader, roleCookies } from "./support";

const ROOT = fileURLToPath(new URL("../../..", import.meta.url));
let services: TestServices;
let cookies: Awaited<ReturnType<typeof roleCookies>>;

beforeAll(async () => {
  services = await makeTestServices();
  await generateResponses(services.db, { campaignId: "zw2026", count: 1600, seed: 10, now: services.now() - 3_600_000, profile: "demo", label: "demo" });
  // Suppression and figures are checked on the final figures (decision 0015: blocks of 5 while open, tested in release-blocks.test.ts).
  await closeCollection(services, "zw2026");
  cookies = await roleCookies(services);
});
afterAll(async () => {
  await services.dispose();
});

async function download(file: string, cookie: string, county?: string): Promise<{ status: number; bytes: Buffer; headers: Headers }> {
  const url = `https://survey.test/admin/export/zw2026/${file}${county ? `?county=${county}` : ""}`;
  let res: Response;
  try {
    res = (await exportLoader({
      request: new Request(url, { headers: { Cookie: cookie } }),
      params: { campaignId: "zw2026", file },
      context: { services, clientAddress: "198.51.100.1", cspNonce: "t" },
    })) as Response;
  } catch (thrown) {
    if (thrown instanceof Response) res = thrown;
    else throw thrown;
  }
  return { status: res.status, bytes: Buffer.from(await res.arrayBuffer()), headers: res.headers };
}

async function workbook(bytes: Buffer): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  // exceljs's types name an old Buffer; an ArrayBuffer copy of the bytes satisfies them.
  await wb.xlsx.load(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
  return wb;
}

function rowValues(ws: ExcelJS.Worksheet, n: number): unknown[] {
  const v = ws.getRow(n).values;
  return Array.isArray(v) ? v.slice(1) : [];
}

describe("表Ⅵ workbook", () => {
  it("holds the county's 表Ⅵ row for all and for parents, equal to the dashboard", async () => {
    const { status, bytes, headers } = await download("table6.xlsx", cookies.county, "640521");
    expect(status).toBe(200);
    expect(headers.get("content-disposition")).toContain(encodeURIComponent("中宁县-表Ⅵ社会认可度-zw2026.xlsx"));
    const wb = await workbook(bytes);
    const ws = wb.getWorksheet("表Ⅵ 社会认可度");
    if (!ws) throw new Error("no sheet");
    expect(String(rowValues(ws, 2)[0])).toContain("自评/模拟测评");
    expect(rowValues(ws, 5)).toEqual(["调查对象", "问卷总数", "有效问卷数", "满意问卷数", "综合满意度（%）"]);
    const all = rowValues(ws, 6);
    expect(all.slice(0, 4)).toEqual(["全体", 538, 538, 462]);
    // Rounded as displayed: 462/538 = 85.8736…% is written 85.87, what the page prints.
    expect(all[4]).toBe(85.87);
    expect(ws.getRow(6).getCell(5).numFmt).toBe("0.00");
    expect(rowValues(ws, 7).slice(0, 3)).toEqual(["其中：家长", 274, 274]);
    expect(wb.worksheets.map((w) => w.name)).toEqual(["表Ⅵ 社会认可度", "按调查对象", "按学校", "各题满意度"]);
    const schools = wb.getWorksheet("按学校");
    const hidden =
      schools
        ?.getSheetValues()
        .flat()
        .filter((v) => v === "已隐藏").length ?? 0;
    expect(hidden).toBeGreaterThan(0);
    // Printed straight into the report: A4, one page wide, the header row on every page.
    for (const w of wb.worksheets) expect(w.pageSetup).toMatchObject({ paperSize: 9, fitToPage: true, fitToWidth: 1 });
    expect(ws.pageSetup.printTitlesRow).toBe("5:5");
    expect(schools?.pageSetup.printTitlesRow).toBe("1:1");
    // The same uncertainty as on the page: ± from 30 questionnaires, the Wilson interval below.
    const groups = wb.getWorksheet("按调查对象");
    expect(rowValues(groups!, 1)[4]).toBe("误差范围（95%）");
    const dash = await callLoader(services, dashboardLoader, "/x", { cookie: cookies.city, params: { campaignId: "zw2026", countyId: "640521" } });
    const onPage = (
      dash.body as {
        view: {
          byGroup: Array<{
            label: string;
            n: number | null;
            rate: number | null;
            marginOfError: number | null;
            interval: { low: number; high: number } | null;
            suppressed: unknown;
          }>;
        };
      }
    ).view.byGroup;
    expect(onPage.length).toBeGreaterThan(2);
    for (const [i, r] of onPage.entries()) expect(rowValues(groups!, i + 2)[4] ?? null).toBe(r.suppressed ? null : uncertaintyText(r));
  });

  it("read by another reader than its writer (the importer's own XLSX parser), holds what the page prints", async () => {
    const { bytes } = await download("table6.xlsx", cookies.county, "640521");
    const sheets = new XlsxReader(bytes, IMPORT_LIMITS).sheets();
    const groups = sheets.find((s) => s.name === "按调查对象");
    if (!groups) throw new Error("no 按调查对象 sheet");
    const dash = await callLoader(services, dashboardLoader, "/x", { cookie: cookies.city, params: { campaignId: "zw2026", countyId: "640521" } });
    const onPage = (dash.body as { view: { byGroup: Array<{ label: string; rate: number | null; suppressed: unknown }> } }).view.byGroup;
    const shown = onPage.filter((r) => !r.suppressed && r.rate !== null);
    expect(shown.length).toBeGreaterThan(2);
    for (const r of shown) {
      const row = groups.rows.find((x) => x.cells[0] === r.label);
      // The cell's value, as a reader copying it gets it, is the page's figure (86.21% → 86.21).
      expect(row?.cells[3]).toBe(Number(pct(r.rate).replace("%", "")));
    }
  });

  it("is refused for another county (403) and for school accounts", async () => {
    expect((await download("table6.xlsx", cookies.county, "640502")).status).toBe(403);
    expect((await download("table6.xlsx", cookies.school, "640521")).status).toBe(403);
  });
});

describe("表Ⅲ workbook", () => {
  it("needs the evaluation data, then lists each indicator's mean, SD and 差异系数 per level", async () => {
    expect((await download("cv.xlsx", cookies.city, "640522")).status).toBe(409);
    await attachDemoEvaluationData(services, "zw2026", ROOT);
    const { status, bytes } = await download("cv.xlsx", cookies.city, "640522");
    expect(status).toBe(200);
    const wb = await workbook(bytes);
    const ws = wb.getWorksheet("表Ⅲ 差异系数");
    if (!ws) throw new Error("no sheet");
    const rows = ws
      .getSheetValues()
      .filter(Array.isArray)
      .map((r) => r.slice(1));
    const l5 = rows.find((r) => r[0] === "L5");
    expect(l5?.[1]).toBe("生均体育运动场（馆）面积");
    // 差异系数 with 3 decimals, as the page and the 申报表 show it (0.6457… is written 0.646).
    expect(l5?.[5]).toBe(0.646);
    const l5Rows: ExcelJS.Row[] = [];
    ws.eachRow((r) => (r.getCell(1).value === "L5" ? l5Rows.push(r) : undefined));
    expect(l5Rows.map((r) => r.getCell(6).numFmt)).toEqual(["0.000", "0.000"]); // 小学 and 初中
    expect(l5?.[7]).toBe("否");
    expect(wb.getWorksheet("评估单位")?.rowCount).toBeGreaterThan(5);
    for (const w of wb.worksheets) expect(w.pageSetup).toMatchObject({ paperSize: 9, orientation: "landscape", fitToWidth: 1 });
    expect(wb.getWorksheet("评估单位")?.pageSetup.printTitlesRow).toBe("1:1");
  });
});

describe("raw responses", () => {
  it("CSV: every response, UTF-8 with BOM, formula-like cells neutralised; city only; audited", async () => {
    const { status, bytes } = await download("responses.csv", cookies.city);
    expect(status).toBe(200);
    const text = bytes.toString("utf8");
    expect(text.charCodeAt(0)).toBe(0xfeff);
    const lines = text.slice(1).trimEnd().split("\r\n");
    expect(lines[0]?.startsWith("问卷编号,县（区）,学校,学校标识码,问卷,版本,调查对象,年级,城乡,提交时间（北京时间）")).toBe(true);
    expect(lines).toHaveLength(1601);
    // No field starts with = + - @ (they are quoted or prefixed by an apostrophe).
    const fields = lines.slice(1).flatMap((l) => l.split(","));
    expect(fields.some((f) => /^[=+@]/.test(f) || /^"[=+\-@]/.test(f))).toBe(false);
    expect(text).toContain("'+1 同意增加心理健康课");
    expect(text).not.toContain(",=HYPERLINK");
    expect((await download("responses.csv", cookies.county)).status).toBe(403);
    expect((await download("responses.csv", cookies.county, "640521")).status).toBe(403);
    expect((await download("responses.xlsx", cookies.school)).status).toBe(403);
    const logged = await listAudit(services.db, { action: "export", limit: 20 });
    expect(logged.some((e) => e.detail.file === "responses.csv" && e.username === "city-admin")).toBe(true);
  });

  it("XLSX: one county, streamed, the same rows and neutralisation", async () => {
    const { status, bytes } = await download("responses.xlsx", cookies.city, "640521");
    expect(status).toBe(200);
    const wb = await workbook(bytes);
    const ws = wb.getWorksheet("原始答卷");
    if (!ws) throw new Error("no sheet");
    expect(ws.rowCount).toBe(539);
    const values = ws
      .getSheetValues()
      .flat()
      .filter((v): v is string => typeof v === "string");
    expect(values.some((v) => /^[=+\-@]/.test(v))).toBe(false);
    expect(values.filter((v) => v === "中宁县").length).toBe(538);
    // The header stays in view with filters; 学校标识码 and 是否满意问卷 go straight into the report.
    expect(ws.views[0]).toMatchObject({ state: "frozen", ySplit: 1 });
    expect(ws.pageSetup).toMatchObject({ paperSize: 9, orientation: "landscape", fitToWidth: 1 });
    const header = (ws.getRow(1).values as unknown[]).slice(1);
    expect(ws.autoFilter).toBe(`A1:${ws.getColumn(header.length).letter}1`);
    const col = (name: string) => header.indexOf(name) + 1;
    expect(col("学校标识码")).toBe(col("学校") + 1);
    const rows = Array.from({ length: ws.rowCount - 1 }, (_, i) => ws.getRow(i + 2));
    expect(rows.filter((r) => r.getCell(col("学校标识码")).value === "zn01").every((r) => r.getCell(col("学校")).value === "中宁县第一小学（演示）")).toBe(
      true,
    );
    // 是否满意问卷 under the campaign's rule: among the valid ones, exactly the dashboard's satisfied count.
    const satisfied = rows.filter((r) => r.getCell(col("是否有效")).value === "是" && r.getCell(col("是否满意问卷")).value === "是").length;
    const report = await callLoader(services, reportLoader, "/admin/report/zw2026/640521", {
      cookie: cookies.city,
      params: { campaignId: "zw2026", countyId: "640521" },
    });
    expect(satisfied).toBe((report.body as { dashboard: { view: { overall: { satisfied: number } } } }).dashboard.view.overall.satisfied);
    expect(rows.every((r) => ["是", "否"].includes(String(r.getCell(col("是否满意问卷")).value)))).toBe(true);
  });
});

describe("the printable county report", () => {
  it("brings satisfaction, coverage and readiness together for the county's officer", async () => {
    const res = await callLoader(services, reportLoader, "/admin/report/zw2026/640521", {
      cookie: cookies.county,
      params: { campaignId: "zw2026", countyId: "640521" },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ county: { name: "中宁县" }, dashboard: { view: { overall: { n: 538 } } }, coverage: { required: 504 } });
    expect((await callLoader(services, reportLoader, "/x", { cookie: cookies.county, params: { campaignId: "zw2026", countyId: "640502" } })).status).toBe(403);
  });
});
