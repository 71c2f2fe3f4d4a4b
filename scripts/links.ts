/**
 * npm run links [-- --campaign ID]
 *
 * Prints every survey link of a campaign (default: the demo campaign), one tab-separated line
 * each: county, school (empty for county-level links), questionnaire, URL. Nothing else goes
 * to stdout; a PUBLIC_URL that phones cannot open (localhost, an intranet address, plain http)
 * is said on stderr. Reads the same DATA_DIR (and so the same signing secret) as the server.
 */
import { getCampaign } from "../db/repositories/campaigns";
import { DEMO_CAMPAIGN_ID } from "../db/seed/demo-zhongwei";
import { publicOriginProblem } from "../app/domain/public-origin";
import { QUESTIONNAIRE_LABELS } from "../app/domain/vocabulary";
import { campaignLinks } from "../app/.server/collect/links";
import { fail, openServices, parseFlags } from "./lib/cli";

const flags = parseFlags(process.argv.slice(2));
const campaignFlag = flags.get("campaign");
const campaignId = typeof campaignFlag === "string" ? campaignFlag : DEMO_CAMPAIGN_ID;
const services = await openServices();
try {
  const campaign = await getCampaign(services.db, campaignId);
  if (!campaign) fail(`没有编号为 ${campaignId} 的调查`);
  const problem = publicOriginProblem(services.config.publicUrl);
  if (problem) process.stderr.write(`注意：${problem.message}\n`);
  const links = await campaignLinks(services.db, services.keys, services.config.publicUrl, campaign.id);
  const clean = (s: string) => s.replace(/[\t\r\n]/g, " ");
  process.stdout.write(
    links.map((l) => [clean(l.county.name), clean(l.school?.name ?? ""), QUESTIONNAIRE_LABELS[l.questionnaireId], l.url].join("\t")).join("\n") + "\n",
  );
} finally {
  await services.close();
}
