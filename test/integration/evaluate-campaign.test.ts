/**
 * `npm run evaluate -- <file> --campaign <id>` against a real store: the counts are the ones the
 * console shows, also after the campaign is archived and its raw answers are deleted; the rule
 * echoed in the settings is the campaign's; 常住人口 comes from the campaign.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { campaignSatisfaction } from "../../app/.server/campaign-satisfaction";
import { generateResponses } from "../../app/.server/console/generate-responses";
import { campaignCounts } from "../../app/.server/console/tallies";
import { getCampaign } from "../../db/repositories/campaigns";
import { deleteRawResponses } from "../../db/repositories/campaign-archive";
import { runEvaluate } from "../../scripts/evaluate";
import { addCampaign } from "../support/campaigns";
import { makeTestServices, type TestServices } from "../support/services";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const OLD = "spt2025";
let services: TestServices;

beforeAll(async () => {
  services = await makeTestServices();
  await addCampaign(services, { id: OLD, opensAt: Date.UTC(2025, 2, 1), closesAt: Date.UTC(2025, 3, 1) });
  // A campaign rule other than the default, so the echo can be told apart.
  await services.db
    .updateTable("campaigns")
    .set({ satisfaction_rule: JSON.stringify({ kind: "overall_in", options: ["满意", "比较满意", "基本满意"] }) })
    .where("id", "=", OLD)
    .execute();
  await generateResponses(services.db, { campaignId: OLD, count: 300, seed: 5, now: Date.UTC(2025, 2, 25), days: 20, profile: "bulk", label: "old" });
});
afterAll(async () => {
  await services.dispose();
});

async function evaluate(): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await runEvaluate(["docs/zhongwei-demo-example.json", "--campaign", OLD], {
    stdout: (t) => (out += t),
    stderr: (t) => (err += t),
    readFile: async (p) => new Uint8Array(readFileSync(`${ROOT}/${p}`)),
    loadCampaign: (id) => campaignSatisfaction(services, id),
  });
  return { code, out, err };
}

interface Output {
  notice: string;
  settings: { satisfaction: { rule: unknown } };
  input: { counties: { id: string; residentPopulation: number | null }[] };
  counties: { countyId: string; parts: { satisfaction: { table6: { all: { total: number; valid: number; satisfied: number } } } } }[];
}

describe("evaluate --campaign", () => {
  it("reads the console's counts under the campaign's rule, before and after archiving", async () => {
    const campaign = await getCampaign(services.db, OLD);
    if (!campaign) throw new Error("no campaign");
    const consoleCounts = await campaignCounts(services, campaign, { countyIds: ["640502"] });
    const shown = consoleCounts.cells.reduce((a, c) => ({ total: a.total + c.total, valid: a.valid + c.valid, satisfied: a.satisfied + c.satisfied }), {
      total: 0,
      valid: 0,
      satisfied: 0,
    });
    expect(shown.total).toBe(300);

    const before = await evaluate();
    expect(before.code).toBe(0);
    const b = JSON.parse(before.out) as Output;
    expect(b.settings.satisfaction.rule).toEqual({ kind: "overall_in", options: ["满意", "比较满意", "基本满意"] });
    expect(b.counties.find((c) => c.countyId === "640502")?.parts.satisfaction.table6.all).toMatchObject(shown);
    // 沙坡头区's 常住人口 is the campaign's (406 000, as in the file); the others are not in the campaign.
    expect(b.notice).toContain("常住人口：沙坡头区取自调查活动；中宁县、海原县取自评估数据文件（调查活动未填写）");

    const archived = await deleteRawResponses(services.db, OLD, consoleCounts.rule, { now: Date.UTC(2025, 5, 1), by: "test" });
    expect(archived?.deleted).toBe(300);
    const after = await evaluate();
    expect(after.code).toBe(0);
    const a = JSON.parse(after.out) as Output;
    expect(a.counties.find((c) => c.countyId === "640502")?.parts.satisfaction.table6.all).toMatchObject(shown);
    expect(a.notice).toContain("已归档，原始答卷已删除，使用归档时保留的计数");
    expect(after.err).toContain("注意：社会认可度取自调查活动 spt2025");
  });
  it("a campaign that does not exist exits 2 with a clear message", async () => {
    let err = "";
    const code = await runEvaluate(["docs/zhongwei-demo-example.json", "--campaign", "nope2025"], {
      stdout: () => undefined,
      stderr: (t) => (err += t),
      readFile: async (p) => new Uint8Array(readFileSync(`${ROOT}/${p}`)),
      loadCampaign: (id) => campaignSatisfaction(services, id),
    });
    expect(code).toBe(2);
    expect(err).toBe("无法读取调查活动 nope2025：没有编号为 nope2025 的调查活动\n");
  });
});
