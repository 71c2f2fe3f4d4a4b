/**
 * The console's 申报表 download (forms.xlsx?county=ID): refused without evaluation data (409,
 * nothing audited), for another county and for school accounts; with the demo data, the county's
 * workbook read back with test/support/xlsx-reader.ts (fflate, not exceljs) holds every figure
 * of the engine's JSON for that county — 表Ⅲ, the items, the per-school checks, 表Ⅵ (equal to
 * the dashboard's counts), 一票否决 — and the download is audited.
 */
import { closeCollection } from "../../support/campaigns";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listAudit } from "../../../db/repositories/audit";
import { getCampaign, listCampaignCounties } from "../../../db/repositories/campaigns";
import { attachDemoEvaluationData } from "../../../app/.server/console/demo-data";
import { countyEvaluation } from "../../../app/.server/console/evaluation-data";
import { generateResponses } from "../../../app/.server/console/generate-responses";
import { loader as exportLoader } from "../../../app/routes/admin_.export.$campaignId.$file/route";
import { expectWorkbookMatches } from "../../support/forms-check";
import { makeTestServices, type TestServices } from "../../support/services";
import { readXlsx } from "../../support/xlsx-reader";
import { roleCookies } from "./support";

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

async function download(cookie: string, county?: string): Promise<{ status: number; bytes: Uint8Array; headers: Headers }> {
  const url = `https://survey.test/admin/export/zw2026/forms.xlsx${county ? `?county=${county}` : ""}`;
  let res: Response;
  try {
    res = (await exportLoader({
      request: new Request(url, { headers: { Cookie: cookie } }),
      params: { campaignId: "zw2026", file: "forms.xlsx" },
      context: { services, clientAddress: "198.51.100.1", cspNonce: "t" },
    })) as Response;
  } catch (thrown) {
    if (thrown instanceof Response) res = thrown;
    else throw thrown;
  }
  return { status: res.status, bytes: new Uint8Array(await res.arrayBuffer()), headers: res.headers };
}

const exportsLogged = async () => (await listAudit(services.db, { action: "export", limit: 100 })).filter((e) => e.detail.file === "forms.xlsx").length;

async function engineResult(countyId: string) {
  const campaign = await getCampaign(services.db, "zw2026");
  const county = (await listCampaignCounties(services.db, "zw2026")).find((c) => c.id === countyId);
  if (!campaign || !county) throw new Error("fixture");
  return (await countyEvaluation(services, campaign, county)).result;
}

describe("申报表 workbook in the console", () => {
  it("is refused without evaluation data (409, in Chinese), and nothing is audited", async () => {
    const before = await exportsLogged();
    const res = await download(cookies.city, "640521");
    expect(res.status).toBe(409);
    expect(JSON.parse(new TextDecoder().decode(res.bytes))).toEqual({
      title: "尚无评估数据",
      message: "本调查活动还没有导入评估数据，无法生成申报表。请先导入评估数据。",
    });
    expect(await exportsLogged()).toBe(before);
  });

  it("is refused for another county, for school accounts and without a county; nothing audited", async () => {
    await attachDemoEvaluationData(services, "zw2026", ROOT);
    const before = await exportsLogged();
    const other = await download(cookies.county, "640502");
    expect(other.status).toBe(403);
    expect((await download(cookies.school, "640521")).status).toBe(403);
    const none = await download(cookies.city);
    expect(none.status).toBe(404);
    expect(JSON.parse(new TextDecoder().decode(none.bytes)).message).toBe("请指定县（区）。");
    expect(await exportsLogged()).toBe(before);
  });

  it("for the county's officer: every figure equals the engine's JSON; 表Ⅵ equals the dashboard; audited", async () => {
    const res = await download(cookies.county, "640521");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    expect(res.headers.get("content-disposition")).toContain(encodeURIComponent("中宁县-申报表-zw2026.xlsx"));
    const result = await engineResult("640521");
    const county = result.counties[0];
    if (!county) throw new Error("no verdict");
    const wb = readXlsx(res.bytes);
    expectWorkbookMatches(wb, county, result);
    // The same 表Ⅵ row as the dashboard and the 表Ⅵ download (test/integration/console/exports.test.ts).
    expect(
      wb
        .sheet("表Ⅵ 社会认可度")
        .rows.find((r) => r[1] === "全体")
        ?.slice(2, 5),
    ).toEqual([538, 538, 462]);
    // 中宁县 (docs/evaluation.md): 红宝小学 meets 5 of 7 indicators; one class of 47 > 45.
    const t3 = wb.sheet("表Ⅲ 小学");
    const hongbao = t3.rows.find((r) => typeof r[2] === "string" && r[2].includes("红宝小学")) ?? [];
    expect(hongbao.slice(12, 14)).toEqual([5, "未达标"]);
    const g5 = wb.sheet("G5 班额").rows.find((r) => r[2] === "中宁县第一小学（演示）") ?? [];
    expect(g5.slice(5, 10)).toEqual([expect.any(Number), 47, 1, 2, "未达标"]);
    const logged = await listAudit(services.db, { action: "export", limit: 20 });
    expect(logged.some((e) => e.detail.file === "forms.xlsx" && e.countyId === "640521" && e.username === "zn-officer")).toBe(true);
  });

  it("for the city, every county of the campaign", async () => {
    for (const id of ["640502", "640522"]) {
      const res = await download(cookies.city, id);
      expect(res.status).toBe(200);
      const result = await engineResult(id);
      const county = result.counties[0];
      if (!county) throw new Error("no verdict");
      expectWorkbookMatches(readXlsx(res.bytes), county, result);
    }
  });
});
