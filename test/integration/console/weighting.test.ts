/**
 * 社会认可度 weighted to the official design (issue 14 item 2, decision 0025) on the console,
 * through the real loaders over the demo campaign: the readiness page and the county dashboard show
 * the weighted rate beside the unweighted one with the weights' range and n_eff, and every figure
 * is the one `npm run evaluate -- --campaign` prints for the same data.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { campaignSatisfaction } from "../../../app/.server/campaign-satisfaction";
import { attachDemoEvaluationData } from "../../../app/.server/console/demo-data";
import { generateResponses } from "../../../app/.server/console/generate-responses";
import type { SatisfactionWeighting } from "../../../app/domain/evaluation/social";
import type { ReadinessView } from "../../../app/domain/readiness-view";
import { weightingView, type WeightingView } from "../../../app/domain/weighting-view";
import { loader as dashboardLoader } from "../../../app/routes/admin.campaigns.$campaignId.counties.$countyId._index/route";
import { loader as readinessLoader } from "../../../app/routes/admin.campaigns.$campaignId.counties.$countyId.readiness._index/route";
import { runEvaluate } from "../../../scripts/evaluate";
import { closeCollection } from "../../support/campaigns";
import { makeTestServices, type TestServices } from "../../support/services";
import { callLoader, roleCookies } from "./support";

const ROOT = fileURLToPath(new URL("../../..", import.meta.url));
const COUNTIES = ["640502", "640521", "640522"];
let services: TestServices;
let cookies: Awaited<ReturnType<typeof roleCookies>>;

beforeAll(async () => {
  services = await makeTestServices();
  // The demo campaign as the console's demo shows it (as in pass-outlook.test.ts and readiness.test.ts).
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
async function evaluated(): Promise<Map<string, { weighting: SatisfactionWeighting | null; rate: number | null }>> {
  let out = "";
  const code = await runEvaluate(["docs/zhongwei-demo-example.json", "--campaign", "zw2026"], {
    stdout: (t) => (out += t),
    stderr: () => undefined,
    readFile: async (p) => new Uint8Array(readFileSync(`${ROOT}/${p}`)),
    loadCampaign: (id) => campaignSatisfaction(services, id),
  });
  expect(code).toBe(0);
  const parsed = JSON.parse(out) as {
    counties: Array<{ countyId: string; parts: { satisfaction: { weighting: SatisfactionWeighting | null; overall: { rate: number | null } } } }>;
  };
  return new Map(parsed.counties.map((c) => [c.countyId, { weighting: c.parts.satisfaction.weighting, rate: c.parts.satisfaction.overall.rate }]));
}

describe("按国家抽样设计加权 on the console", () => {
  it("every county's weighted and unweighted figures are the ones npm run evaluate prints, on the readiness page and the dashboard", async () => {
    const printed = await evaluated();
    const lines: string[] = [];
    for (const countyId of COUNTIES) {
      const p = printed.get(countyId);
      const w = p?.weighting;
      if (!w) throw new Error(`no weighting for ${countyId}`);
      const view = await readiness(countyId);
      expect(view.satisfaction.weighting).toEqual(weightingView(w));
      // The unweighted rate beside it is the verdict's rate, exactly.
      expect(w.unweightedRate).toBe(p.rate);
      expect(view.satisfaction.rate).toBe(w.unweightedRate);
      const dash = await callLoader(services, dashboardLoader, url(countyId), { cookie: cookies.city, params: params(countyId) });
      expect((dash.body as { weighting: WeightingView | null }).weighting).toEqual(weightingView(w));
      expect(w.locationApplied).toBe(true);
      // The demo under-samples 乡村 (as the coverage banner says): a few rural questionnaires carry
      // weights up to about 19 (under the 20× cap), n_eff says what that costs, and the design is reached.
      expect(w.converged).toBe(true);
      expect(w.convergenceText).toBeNull();
      expect(w.summary).toMatch(/^按国家抽样设计加权后的满意度为 \d+\.\d\d%（加权仅用于自评参考，达标判定仍按问卷原始统计）$/);
      expect(w.schoolNote).toContain("某一所学校动员全部家长集中填答，不能靠人数左右全县的加权满意度");
      expect(w.effectiveSampleSize).toBeLessThanOrEqual(w.n);
      // Parents hold their 50% of the weight.
      const parents = w.margins.find((m) => m.dimension === "group")?.categories.find((c) => c.key === "parent");
      expect(Math.abs((parents?.weightedShare ?? 0) - 0.5)).toBeLessThan(1e-5);
      lines.push(
        `${countyId}: n ${String(w.n)}, unweighted ${(w.unweightedRate * 100).toFixed(2)}%, weighted ${((w.weightedRate ?? 0) * 100).toFixed(2)}%, weights ${w.weights?.min.toFixed(3)}–${w.weights?.max.toFixed(3)}, n_eff ${w.effectiveSampleSize.toFixed(1)}, iterations ${String(w.iterations)}${w.converged ? "" : ` (not converged, max deviation ${(w.maxDeviation * 100).toFixed(2)} points, ${String(w.trimmed)} trimmed)`}; unreachable ${w.unreachable.map((u) => u.label).join("、") || "none"}`,
      );
    }
    console.info(lines.join("\n"));
  });

  it("the readiness page's HTML carries the two rates side by side and the notes", async () => {
    const view = await readiness("640521");
    const w = view.satisfaction.weighting;
    if (!w) throw new Error("no weighting");
    expect(w.comparison).toMatch(/^未加权（按问卷原始统计，即达标判定所用）\d+\.\d\d%，加权 \d+\.\d\d%，相差 [+−]\d+\.\d\d 个百分点$/);
    expect(w.weightsText).toMatch(/^权数范围 \d+\.\d\d–\d+\.\d\d（平均为 1），有效样本量约 \d+ 份/);
  });
});
