/**
 * Generated survey responses for a campaign, written straight to the store (the same rows the
 * submit path stores; app/.server/console/generate-responses.ts), then folded into the
 * console's tallies so the dashboards are warm.
 *
 *   npm run demo:responses
 *       the instructive demo picture for the demo campaign zw2026 (about 1,600 responses,
 *       演示数据) plus the demo evaluation data (docs/zhongwei-demo-example.json) for the
 *       readiness pages; does nothing when already there
 *   npm run generate:responses -- --campaign ID --count 1000000 [--seed 1] [--label NAME] [--days 20]
 *                                 [--county ID,ID] [--profile bulk|demo]
 *       any number of responses (the benchmark's million), optionally only some counties
 *
 * Uses the same DATA_DIR / STORE as the server. Progress on stderr; one summary line on stdout.
 */
import { performance } from "node:perf_hooks";
import { foldTallies } from "../db/repositories/console-tallies";
import { generateResponses, hasGenerated } from "../app/.server/console/generate-responses";
import { campaignRule, FOLD_LAG_MS } from "../app/.server/console/tallies";
import { attachDemoEvaluationData } from "../app/.server/console/demo-data";
import { getCampaign } from "../db/repositories/campaigns";
import { DEMO_CAMPAIGN_ID } from "../db/seed/demo-zhongwei";
import { fail, openServices, parseFlags } from "./lib/cli";

const USAGE =
  "用法：npm run demo:responses  或  npm run generate:responses -- --campaign 调查活动编号 --count 数量 [--seed 1] [--label 名称] [--days 20] [--county 县区代码,…] [--profile bulk|demo]";

const flags = parseFlags(process.argv.slice(2));
const demo = flags.get("demo") === true;
const campaignId = demo ? DEMO_CAMPAIGN_ID : flags.get("campaign");
if (typeof campaignId !== "string") fail(`缺少 --campaign\n${USAGE}`);
const count = demo ? 1600 : Number(flags.get("count"));
if (!Number.isInteger(count) || count <= 0) fail(`--count 应为正整数\n${USAGE}`);
const seed = demo ? 10 : Number(flags.get("seed") ?? 1);
const labelFlag = flags.get("label");
const label = demo ? `demo-${campaignId}` : typeof labelFlag === "string" ? labelFlag : `seed${String(seed)}`;
const daysFlag = flags.get("days");
const countyFlag = flags.get("county");
const countyIds =
  typeof countyFlag === "string"
    ? countyFlag
        .split(",")
        .map((x) => x.trim())
        .filter(Boolean)
    : undefined;
const profile = demo || flags.get("profile") === "demo" ? "demo" : "bulk";
const days = typeof daysFlag === "string" ? Number(daysFlag) : 20;

const services = await openServices();
try {
  const campaign = await getCampaign(services.db, campaignId);
  if (!campaign) fail(`没有编号为 ${campaignId} 的调查活动`);
  if (demo) {
    const attached = await attachDemoEvaluationData(services, campaign.id);
    if (attached) process.stderr.write("已导入演示评估数据（docs/zhongwei-demo-example.json）\n");
  }
  if (await hasGenerated(services.db, campaign.id, label)) {
    process.stdout.write(`调查活动 ${campaign.id} 已有 ${label} 生成的答卷，未重复生成\n`);
  } else {
    const t0 = performance.now();
    let last = 0;
    const result = await generateResponses(services.db, {
      campaignId: campaign.id,
      count,
      seed,
      now: services.now() - FOLD_LAG_MS,
      days,
      profile,
      label,
      countyIds,
      batchSize: count >= 100_000 ? 1000 : 400,
      onProgress: (n) => {
        if (n - last >= 50_000 || n === count) {
          last = n;
          process.stderr.write(`  已写入 ${n.toLocaleString("zh-CN")} 份（${((performance.now() - t0) / 1000).toFixed(1)} s）\n`);
        }
      },
    });
    const written = performance.now() - t0;
    const t1 = performance.now();
    const folded = await foldTallies(services.db, campaign.id, campaignRule(campaign), { now: services.now(), lagMs: 0 });
    const fold = performance.now() - t1;
    process.stdout.write(
      `${JSON.stringify({ campaign: campaign.id, label, written: result.written, byCounty: result.byCounty, writeSeconds: Number((written / 1000).toFixed(1)), foldSeconds: Number((fold / 1000).toFixed(1)), watermark: folded.watermark })}\n`,
    );
  }
} finally {
  await services.close();
}
