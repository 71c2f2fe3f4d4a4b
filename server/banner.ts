/**
 * What a person sees after `npm start`: where the app is, and the demo campaign's survey links
 * and printable QR kits (the same lines `npm run links` prints).
 */
import { DEMO_CAMPAIGN_ID } from "../db/seed/demo-zhongwei";
import { getCampaign } from "../db/repositories/campaigns";
import { QUESTIONNAIRE_LABELS } from "../app/domain/vocabulary";
import { campaignLinks, signKit } from "../app/.server/links";
import type { Services } from "../app/.server/services";

export async function printBanner(services: Services, listenUrl: string): Promise<void> {
  const out: string[] = [];
  out.push("", `义务教育优质均衡发展调查评估平台 已启动：${services.config.publicUrl}（监听 ${listenUrl}）`);
  const campaign = await getCampaign(services.db, DEMO_CAMPAIGN_ID);
  if (campaign?.isDemo) {
    const links = await campaignLinks(services.db, services.keys, services.config.publicUrl, campaign.id);
    out.push(`演示调查（演示数据）：${campaign.name}，共 ${links.length} 个问卷链接`);
    let county = "";
    for (const link of links) {
      if (link.county.name !== county) {
        county = link.county.name;
        const kit = signKit(services.keys, { campaignId: campaign.id, countyId: link.county.id, schoolId: null });
        out.push(``, `【${county}】县级二维码页：${services.config.publicUrl}/print/${kit}`);
      }
      out.push(`  ${link.school?.name ?? "县级（人大代表、政协委员、其他群众）"} · ${QUESTIONNAIRE_LABELS[link.questionnaireId]}：${link.url}`);
    }
    out.push("", `各校二维码打印页见首页 ${services.config.publicUrl}/ ；全部链接（制表符分隔）：npm run links`, "");
  }
  process.stdout.write(`${out.join("\n")}\n`);
}
