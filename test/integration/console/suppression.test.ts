/**
 * Small cells hold on every path (issue 12, item 4), over the demo picture (1,600 generated
 * responses, seed 10), through the real loaders: what the dashboard's loader data (`?_data=`),
 * the 表Ⅵ workbook and the review queue give a county officer, attacked the ways the issue
 * describes — total − visible cells, an all-satisfied hidden group, two downloads one response
 * apart — with the true counts from the database as the attacker's best knowledge of sizes.
 */
import { closeCollection, reopenCollection } from "../../support/campaigns";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listAudit } from "../../../db/repositories/audit";
import { generateResponses } from "../../../app/.server/console/generate-responses";
import { WITHHELD_NOTE } from "../../../app/.server/console/review";
import type { SatisfactionView, ViewRow } from "../../../app/domain/satisfaction-view";
import { loader as dashboardLoader } from "../../../app/routes/admin.campaigns.$campaignId.counties.$countyId._index/route";
import { action as reviewAction, loader as reviewLoader } from "../../../app/routes/admin.campaigns.$campaignId.counties.$countyId.review/route";
import { loader as exportLoader } from "../../../app/routes/admin_.export.$campaignId.$file/route";
import { callSubmit, linkToken, newDevice, parentAnswers, validBody } from "../../support/requests";
import { makeTestServices, type TestServices } from "../../support/services";
import { callAction, callLoader, roleCookies } from "./support";

let services: TestServices;
let cookies: Awaited<ReturnType<typeof roleCookies>>;
const ZN = { campaignId: "zw2026", countyId: "640521" };
const PATH = "/admin/campaigns/zw2026/counties/640521";

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

async function view(cookie = cookies.county): Promise<SatisfactionView> {
  const res = await callLoader(services, dashboardLoader, PATH, { cookie, params: ZN });
  expect(res.status).toBe(200);
  return (res.body as { view: SatisfactionView }).view;
}

/** The true valid and satisfied questionnaires per school of 中宁县 (the county-level link under ""). */
async function truth(): Promise<Map<string, { n: number; s: number }>> {
  const rows = await services.db
    .selectFrom("responses")
    .select(["school_id", "overall_score"])
    .where("county_id", "=", "640521")
    .where("campaign_id", "=", "zw2026")
    .where("invalidated_at", "is", null)
    .execute();
  const out = new Map<string, { n: number; s: number }>();
  for (const r of rows) {
    const key = r.school_id ?? "";
    const t = out.get(key) ?? { n: 0, s: 0 };
    t.n += 1;
    if (r.overall_score === 4 || r.overall_score === 5) t.s += 1;
    out.set(key, t);
  }
  return out;
}

const keyOf = (r: ViewRow) => (r.key === "__county__" ? "" : r.key);

/**
 * The attack on one published line: the county's published valid and satisfied totals minus
 * every visible row leave the hidden rows' sum; with every hidden row's size known (worst case),
 * the values a hidden row's satisfied count can take form an interval. Returns it.
 */
function attack(
  rows: readonly ViewRow[],
  totals: { n: number; s: number },
  sizes: Map<string, { n: number; s: number }>,
  target: string,
  table?: SatisfactionView["schoolGroups"],
): { low: number; high: number } {
  // A school hidden in the list but whose cells all show in schools × groups is their sum.
  const fromTable = (r: ViewRow) => {
    const row = table?.rows.find((x) => x.key === r.key);
    return row && row.cells.every((c) => c.suppressed === null) ? row.cells.reduce((a, c) => a + (c.satisfied ?? 0), 0) : null;
  };
  const visible = rows.filter((r) => r.suppressed === null || fromTable(r) !== null);
  const hidden = rows.filter((r) => !visible.includes(r));
  const hiddenSatisfied = totals.s - visible.reduce((a, r) => a + (r.suppressed === null ? (r.satisfied ?? 0) : (fromTable(r) ?? 0)), 0);
  const others = hidden.filter((r) => keyOf(r) !== target).reduce((a, r) => a + (sizes.get(keyOf(r))?.n ?? 0), 0);
  const own = sizes.get(target)?.n ?? 0;
  return { low: Math.max(0, hiddenSatisfied - others), high: Math.min(own, hiddenSatisfied) };
}

describe("what the dashboard's loader data gives a county officer", () => {
  it("a hidden row carries no figure at all: no count, no satisfied count, no rate", async () => {
    const v = await view();
    const lines = [v.bySchool, v.byGroup, v.byLocation, v.byGrade, ...v.schoolGroups.rows.map((r) => r.cells)];
    let hidden = 0;
    for (const line of lines)
      for (const r of line)
        if (r.suppressed !== null) {
          hidden += 1;
          expect(r).toMatchObject({ n: null, satisfied: null, rate: null, marginOfError: null, interval: null });
        }
    expect(hidden).toBeGreaterThan(0);
    for (const row of v.itemsByGroup.rows)
      for (const c of row.cells) if (c.suppressed !== null) expect(c).toMatchObject({ answered: null, unknown: null, rate: null, meanPercent: null });
  });

  it("attack (a) and (c): county total − visible schools leaves every small school's satisfied count open from 0 to its size", async () => {
    const v = await view();
    const sizes = await truth();
    const small = v.bySchool.filter((r) => r.suppressed === "primary");
    expect(small.length).toBeGreaterThan(0);
    for (const r of small) {
      const own = sizes.get(keyOf(r));
      expect(own && own.n > 0 && own.n < 5).toBe(true);
      expect(attack(v.bySchool, { n: v.table6.all.valid, s: v.table6.all.satisfied }, sizes, keyOf(r))).toEqual({ low: 0, high: own?.n ?? -1 });
      // Reading hidden schools off schools × groups does not help either.
      expect(attack(v.bySchool, { n: v.table6.all.valid, s: v.table6.all.satisfied }, sizes, keyOf(r), v.schoolGroups)).toEqual({ low: 0, high: own?.n ?? -1 });
    }
  });

  it("attack (c): small schools hidden with complements that are all satisfied would give everyone away; the rule hides a school with dissatisfied answers too", async () => {
    // Make every hidden school's questionnaires satisfied (满意), as a county of content small schools might be.
    const v0 = await view(cookies.city);
    const hiddenBefore = v0.bySchool.filter((r) => r.suppressed !== null).map(keyOf);
    for (const school of hiddenBefore) {
      await services.db
        .updateTable("responses")
        .set({ overall_score: 5 })
        .where("county_id", "=", "640521")
        .where("school_id", school === "" ? "is" : "=", school === "" ? null : school)
        .execute();
    }
    // Recount the tallies from scratch (the answers were changed behind their back).
    await services.db.deleteFrom("console_tally_state").where("campaign_id", "=", "zw2026").execute();
    await services.db.deleteFrom("console_cell_tallies").where("campaign_id", "=", "zw2026").execute();
    await services.db.deleteFrom("console_item_tallies").where("campaign_id", "=", "zw2026").execute();
    const v = await view();
    const sizes = await truth();
    const totals = { n: v.table6.all.valid, s: v.table6.all.satisfied };
    const small = v.bySchool.filter((r) => r.suppressed === "primary").map(keyOf);
    expect(small.length).toBeGreaterThan(0);
    // With the cells hidden as before, total − visible is all satisfied: every small school pinned.
    for (const school of small) {
      const own = sizes.get(school)?.n ?? -1;
      expect(attack(v0.bySchool, totals, sizes, school)).toEqual({ low: own, high: own });
    }
    // Now a school with dissatisfied questionnaires is hidden as well: each small school is open.
    expect(v.bySchool.filter((r) => r.suppressed !== null).length).toBeGreaterThan(hiddenBefore.length);
    for (const school of small) {
      expect(attack(v.bySchool, totals, sizes, school)).toEqual({ low: 0, high: sizes.get(school)?.n ?? -1 });
      expect(attack(v.bySchool, totals, sizes, school, v.schoolGroups)).toEqual({ low: 0, high: sizes.get(school)?.n ?? -1 });
    }
  });
});

describe("the 表Ⅵ workbook", () => {
  async function table6(): Promise<Array<Array<string | number | null>>> {
    const response = await exportLoader({
      request: new Request(`https://survey.test/admin/export/zw2026/table6.xlsx?county=640521`, { headers: { Cookie: cookies.county } }),
      params: { campaignId: "zw2026", file: "table6.xlsx" },
      context: { services, clientAddress: "198.51.100.20", cspNonce: "test" },
    });
    expect(response.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await response.arrayBuffer());
    const sheet = wb.getWorksheet("按学校");
    const rows: Array<Array<string | number | null>> = [];
    sheet?.eachRow((row) => {
      const values = Array.isArray(row.values) ? row.values.slice(1) : [];
      rows.push(values.map((x) => (typeof x === "string" || typeof x === "number" ? x : null)));
    });
    return rows;
  }

  it("shows no figure for a hidden school, and the same schools hidden as the dashboard", async () => {
    const rows = await table6();
    const v = await view();
    const hiddenNames = v.bySchool.filter((r) => r.suppressed !== null).map((r) => r.label);
    const hiddenRows = rows.filter((r) => hiddenNames.includes(String(r[0])));
    expect(hiddenRows.length).toBe(hiddenNames.length);
    for (const r of hiddenRows) {
      expect(["<5", "已隐藏"]).toContain(r[1]);
      expect(r[2]).toBe("已隐藏");
      expect(r[3]).toBe("已隐藏");
    }
  });

  it("attack (b): two downloads one response apart (a parent at 中宁县第一小学) hide the same schools and leave the small ones open", async () => {
    const before = await view();
    const sizesBefore = await truth();
    const scope = { campaignId: "zw2026", countyId: "640521", schoolId: "zn01", questionnaireId: "social" as const };
    await reopenCollection(services, "zw2026");
    const sent = await callSubmit(services, {
      token: linkToken(services, scope),
      cookie: newDevice(services),
      body: validBody(services, { scope, answers: parentAnswers({ overall: "满意" }) }),
    });
    expect(sent.status).toBe(200);
    await closeCollection(services, "zw2026");
    const after = await view();
    const sizesAfter = await truth();
    expect(after.table6.all.valid).toBe(before.table6.all.valid + 1);
    const marks = (v: SatisfactionView) => v.bySchool.map((r) => [r.key, r.suppressed]).sort();
    expect(marks(after)).toEqual(marks(before));
    // Both downloads together: the newcomer is seen in a visible school, so the hidden sum is
    // the same in both; each small school is still open from 0 to its size.
    for (const r of before.bySchool.filter((x) => x.suppressed === "primary")) {
      const a = attack(before.bySchool, { n: before.table6.all.valid, s: before.table6.all.satisfied }, sizesBefore, keyOf(r));
      const b = attack(after.bySchool, { n: after.table6.all.valid, s: after.table6.all.satisfied }, sizesAfter, keyOf(r));
      expect(a).toEqual({ low: 0, high: sizesBefore.get(keyOf(r))?.n ?? -1 });
      expect(b).toEqual(a);
    }
  });
});

describe("the review queue", () => {
  async function smallCellResponse(): Promise<{ id: number; schoolId: string | null; group: string }> {
    const rows = await services.db
      .selectFrom("responses")
      .select(["id", "school_id", "respondent_group"])
      .where("county_id", "=", "640521")
      .where("campaign_id", "=", "zw2026")
      .execute();
    const size = new Map<string, number>();
    for (const r of rows) size.set(`${r.school_id ?? ""}|${r.respondent_group}`, (size.get(`${r.school_id ?? ""}|${r.respondent_group}`) ?? 0) + 1);
    const pick = rows.find((r) => (size.get(`${r.school_id ?? ""}|${r.respondent_group}`) ?? 0) < 5);
    if (!pick) throw new Error("the demo picture has no small cell in 中宁县");
    // Flag it, as the integrity checks would have (作答过快).
    await services.db.updateTable("responses").set({ flags: '["too_fast"]' }).where("id", "=", pick.id).execute();
    return { id: Number(pick.id), schoolId: pick.school_id, group: pick.respondent_group };
  }

  it("withholds a small cell's answers from a county officer, with the reason in Chinese; the city sees them", async () => {
    const r = await smallCellResponse();
    const list = async (cookie: string) => {
      const res = await callLoader(services, reviewLoader, `${PATH}/review`, { cookie, params: ZN });
      expect(res.status).toBe(200);
      return (res.body as { items: Array<{ id: number; overall: string | null; scores: string | null; grade: number | null; withheld: string | null }> }).items;
    };
    const county = (await list(cookies.county)).find((x) => x.id === r.id);
    expect(county).toMatchObject({ overall: null, scores: null, grade: null, withheld: WITHHELD_NOTE });
    expect(WITHHELD_NOTE).toBe("该学校此类调查对象不足5份问卷，为保护作答人，答案不向县（区）显示；如需处理请联系市级管理员。");
    const city = (await list(cookies.city)).find((x) => x.id === r.id);
    expect(city?.withheld).toBeNull();
    expect(typeof city?.overall).toBe("string");
    expect(city?.scores).toMatch(/[1-5?]/);
  });

  it("a county officer cannot mark a small cell's questionnaire invalid (it would move the county's count by that one answer); nothing changes", async () => {
    const r = await smallCellResponse();
    const before = await view();
    const form = new FormData();
    form.append("intent", "invalidate");
    form.append("reason", "作答时间过短，明显未阅读题目");
    form.append("id", String(r.id));
    const res = await callAction(services, reviewAction, `${PATH}/review`, { cookie: cookies.county, params: ZN, form });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ ok: true, message: expect.stringContaining("已将 0 份问卷标记为无效") });
    expect((res.body as { message: string }).message).toContain(
      "另有 1 份问卷所在学校此类调查对象不足5份，为保护作答人，县（区）账号不能处理，请联系市级管理员。",
    );
    const row = await services.db.selectFrom("responses").select("invalidated_at").where("id", "=", r.id).executeTakeFirstOrThrow();
    expect(row.invalidated_at).toBeNull();
    expect(await listAudit(services.db, { action: "response_invalidated", limit: 5 })).toHaveLength(0);
    expect((await view()).overall).toEqual(before.overall);

    const city = await callAction(services, reviewAction, `${PATH}/review`, { cookie: cookies.city, params: ZN, form });
    expect(city.body).toMatchObject({ ok: true, message: expect.stringContaining("已将 1 份问卷标记为无效") });
  });
});
