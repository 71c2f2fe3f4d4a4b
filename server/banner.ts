/**
 * What a person sees after `npm start`: where the app is, and the demo campaign's survey links
 * and printable QR kits (the same lines `npm run links` prints).
 */
import { DEMO_CAMPAIGN_ID } from "../db/seed/demo-zhongwei";
import { getCampaign } from "../db/repositories/campaigns";
import { publicOriginProblem } from "../app/domain/public-origin";
import { QUESTIONNAIRE_LABELS } from "../app/domain/vocabulary";
import { campaignLinks, signKit } from "../app/.server/collect/links";
import { demoCredentials } from "../app/.server/auth/demo-accounts";
import { getAccountByUsername } from "../db/repositories/accounts";
import { DEMO_PASSWORD_MARKER } from "../db/seed/seed-demo";
import type { Services } from "../app/.server/context";

export async function printBanner(services: Services, listenUrl: string): Promise<void> {
  const out: string[] = [];
  out.push("", `义务教育优质均衡发展调查评估平台 已启动：${services.config.publicUrl}（监听 ${listenUrl}）`);
  const problem = publicOriginProblem(services.config.publicUrl);
  if (problem) out.push(`注意：${problem.message}`);
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
  out.push(`管理后台：${services.config.publicUrl}/admin（创建市级管理员：npm run admin:create -- --username 用户名，密码从标准输入读取）`);
  // Demo console accounts: their passwords only ever appear here, and only in development.
  if (services.config.env === "development" && campaign?.isDemo) {
    out.push("演示账号（仅开发模式显示；密码由本机签名密钥生成）：");
    for (const demo of demoCredentials(services.keys)) {
      const account = await getAccountByUsername(services.db, demo.username);
      // Skipped once an administrator has given it a password of its own.
      if (!account?.isDemo || account.passwordHash !== DEMO_PASSWORD_MARKER) continue;
      out.push(`  ${demo.displayName}  用户名 ${demo.username}  密码 ${demo.password}`);
    }
  }
  out.push("");
  process.stdout.write(`${out.join("\n")}\n`);
}
