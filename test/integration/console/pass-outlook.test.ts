/**
 * 国家抽样的把握 and the sample's structure on the console (issue 14 item 1, decision 0016),
 * through the real loaders over the demo campaign: 中宁县's self-assessed pass reads amber
 * "接近85%，把握不足", never a green 达到85%; the coverage banner names the cells short of the
 * plan; and every figure is the one `npm run evaluate -- --campaign` prints for the same data.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { campaignSatisfaction } from "../../../app/.server/campaign-satisfaction";
import { attachDemoEvaluationData } from "../../../app/.server/console/demo-data";
import { generateResponses } from "../../../app/.server/console/generate-responses";
import type { PassProbabilityResult } from "../../../app/domain/evaluation/pass-probability";
import type { PassOutlookView, StructureBanner } from "../../../app/domain/pass-outlook";
import type { ReadinessView } from "../../../app/domain/readiness-view";
import { loader as overviewLoader } from "../../../app/routes/admin.campaigns.$campaignId._index/route";
import { loader as dashboardLoader } from "../../../app/routes/admin.campaigns.$campaignId.counties.$countyId._index/route";
import { loader as coverageLoader } from "../../../app/routes/admin.campaigns.$campaignId.counties.$countyId.coverage/route";
import { loader as readinessLoader } from "../../../app/routes/admin.campaigns.$campaignId.counties.$countyId.readiness._index/route";
import { runEvaluate } from "../../../scripts/evaluate";
import { closeCollection } from "../../support/campaigns";
import { makeTestServices, type TestServices } from "../../support/services";
import { callLoader, roleCookies } from "./support";

const ROOT = fileURLToPath(new URL("../../..", import.meta.url));
const ZN = "640521";
let services: TestServices;
let cookies: Awaited<ReturnType<typeof roleCookies>>;

beforeAll(async () => {
  services = await makeTestServices();
  // The demo campaign as the console's demo shows it (readiness.test.ts and dashboards.test.ts use the same).
  await generateResponses(services.db, { campaignId: "zw2026", count: 1600, seed: 10, now: services.now() - 3_600_000, profile: "demo", label: "demo" });
  await closeCollection(services, "zw2026");
  await attachDemoEvaluationData(services, "zw2026", ROOT);
  cookies = await roleCookies(services);
});
afterAll(async () => {
  await services.dispose();
});

const url = (countyId: string, rest = "") => `/admin/campaigns/zw2026/counties/${countyId}${rest}`;
const params = (countyId: string) => ({ campaignId: "zw2026", countyId });

async function readiness(countyId: string): Promise<ReadinessView> {
  const res = await callLoader(services, readinessLoader, url(countyId, "/readiness"), { cookie: cookies.city, params: params(countyId) });
  expect(res.status).toBe(200);
  return (res.body as { view: ReadinessView }).view;
}

/** `npm run evaluate -- docs/zhongwei-demo-example.json --campaign zw2026`, parsed. */
async function evaluated(): Promise<Map<string, PassProbabilityResult | null>> {
  let out = "";
  const code = await runEvaluate(["docs/zhongwei-demo-example.json", "--campaign", "zw2026"], {
    stdout: (t) => (out += t),
    stderr: () => undefined,
    readFile: async (p) => new Uint8Array(readFileSync(`${ROOT}/${p}`)),
    loadCampaign: (id) => campaignSatisfaction(services, id),
  });
  expect(code).toBe(0);
  const parsed = JSON.parse(out) as { counties: Array<{ countyId: string; parts: { satisfaction: { passProbability: PassProbabilityResult | null } } }> };
  return new Map(parsed.counties.map((c) => [c.countyId, c.parts.satisfaction.passProbability]));
}

/** What the page shows of a probability, taken from the engine's output as `npm run evaluate` prints it. */
function shownOf(p: PassProbabilityResult) {
  return {
    level: p.level,
    headline: p.levelLabel,
    summary: p.summary,
    probability: p.probability,
    interval: p.credibleInterval,
    safeLine: p.safeLine,
    safeLineText: p.safeLineText,
    additionalSatisfied: p.additionalSatisfied,
    advice: p.advice,
    details: p.details,
    officialSampleSize: p.officialSampleSize,
    officialPassCount: p.officialPassCount,
    deff: p.designEffect.deff,
    effectiveSampleSize: p.designEffect.effectiveSampleSize,
  };
}

describe("国家抽样的把握 on the readiness page", () => {
  it("中宁县: a self-assessed pass at about 86% reads amber 接近85%，把握不足, with the sentence, interval, safe line and questionnaires to add", async () => {
    const view = await readiness(ZN);
    const s = view.satisfaction;
    expect(s.status).toBe("pass");
    expect(s.rate).toBeGreaterThan(0.85);
    expect(s.rate).toBeLessThan(0.875);
    const o = s.outlook;
    if (!o) throw new Error("no outlook");
    expect(o.level).toBe("uncertain");
    expect(o.tone).toBe("warn");
    expect(o.headline).toBe("接近85%，把握不足");
    expect(o.summary).toMatch(/^按目前的调查结果，国家抽样调查达到85%的把握约为 \d+%$/);
    expect(o.probability).toBeGreaterThanOrEqual(0.5);
    expect(o.probability).toBeLessThan(0.95);
    expect(o.interval.low).toBeLessThan(0.85);
    expect(o.interval.high).toBeGreaterThan(0.86);
    expect(o.officialSampleSize).toBe(504);
    expect(o.officialPassCount).toBe(429);
    expect(o.safeLine).toBeGreaterThan(0.87);
    expect(o.safeLine).toBeLessThan(0.9);
    expect(o.additionalSatisfied).toBeGreaterThan(0);
    expect(o.advice).toContain(`再增加约 ${String(o.additionalSatisfied)} 份满意问卷`);
    expect(o.details).toContain("不是保证");
    // The tile: never a plain green 达标.
    expect(s.tone).toBe("warn");
    expect(s.badge).toEqual({ label: "接近85%，把握不足", tone: "warn" });
  });

  it("the coverage banner follows the plan's structure: amber, naming 乡村 and 校长", async () => {
    const view = await readiness(ZN);
    const b = view.satisfaction.structure;
    expect(b.tone).toBe("warn");
    expect(b.text).toMatch(/^样本总量和家长份数已达到计划，但样本结构未达到计划：/);
    expect(b.shortCells).toEqual(expect.arrayContaining([expect.stringMatching(/^校长 \d+\/42$/), expect.stringMatching(/^乡村 \d+\/106$/)]));
    const coverage = await callLoader(services, coverageLoader, url(ZN, "/coverage"), { cookie: cookies.city, params: params(ZN) });
    expect((coverage.body as { coverage: { structure: StructureBanner } }).coverage.structure).toEqual(b);
    // And the page as a browser gets it: the banner's words are in the HTML.
  });

  it("every figure is the one npm run evaluate prints for the same data, on every page that shows it", async () => {
    const printed = await evaluated();
    for (const countyId of ["640502", ZN, "640522"]) {
      const p = printed.get(countyId) ?? null;
      const view = await readiness(countyId);
      if (p === null) {
        expect(view.satisfaction.outlook).toBeNull();
        continue;
      }
      expect(view.satisfaction.outlook).toMatchObject(shownOf(p));
      const dash = await callLoader(services, dashboardLoader, url(countyId), { cookie: cookies.city, params: params(countyId) });
      expect((dash.body as { outlook: PassOutlookView | null }).outlook).toMatchObject(shownOf(p));
    }
    const zn = printed.get(ZN);
    expect(zn?.level).toBe("uncertain");
    console.info(
      JSON.stringify(
        {
          ...shownOf(zn as PassProbabilityResult),
          rate: zn?.rate,
          n: zn?.n,
          de: zn?.designEffect,
          structure: (await readiness(ZN)).satisfaction.structure,
          others: [...printed].map(([k, v]) => [k, v?.probability, v?.rate, v?.level]),
        },
        null,
        1,
      ),
    );
  });

  it("the campaign's county cards carry the same badge", async () => {
    const res = await callLoader(services, overviewLoader, "/admin/campaigns/zw2026", { cookie: cookies.city, params: { campaignId: "zw2026" } });
    const counties = (res.body as { counties: Array<{ countyId: string; status: string; badge: { label: string; tone: string } | null }> }).counties;
    const zn = counties.find((c) => c.countyId === ZN);
    expect(zn?.status).toBe("pass");
    expect(zn?.badge).toEqual((await readiness(ZN)).satisfaction.badge);
  });
});
