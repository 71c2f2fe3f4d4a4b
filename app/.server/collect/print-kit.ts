/**
 * A printable QR kit: one A4 page per school (its 社会卷, 校长教师卷 and 学生卷 links), or the
 * county's page for 人大代表, 政协委员 and 其他群众. QR codes are SVG from the `qrcode` package,
 * rendered on the server: the page prints crisply and needs no script.
 */
import QRCode from "qrcode";
import { getCampaign, getCampaignQuestionnaires, getCounty, getSchool } from "../../../db/repositories/campaigns";
import { estimateMinutes, questionKinds } from "../../domain/invitation";
import type { KitPageData } from "../../domain/print-kit";
import type { QuestionnaireId } from "../../domain/vocabulary";
import { problemResponse } from "../http";
import { formatBeijingTime } from "./link-context";
import { signLink } from "./link-token";
import { questionnairesForSchool, verifyKit } from "./links";
import type { Services } from "../context";

const AUDIENCE: Record<QuestionnaireId, string> = {
  social: "家长",
  staff: "教师、校长",
  student: "三年级及以上学生",
};

export type KitData = KitPageData;

export async function loadKit(services: Services, kitToken: string): Promise<KitData> {
  const kit = verifyKit(services.keys, kitToken);
  const notFound = () => problemResponse(404, "找不到二维码页", "这个打印链接无效或已失效，请向教育局索取最新的二维码。");
  if (!kit) throw notFound();
  const [campaign, county, school, versions] = await Promise.all([
    getCampaign(services.db, kit.campaignId),
    getCounty(services.db, kit.countyId),
    kit.schoolId ? getSchool(services.db, kit.schoolId) : Promise.resolve(null),
    getCampaignQuestionnaires(services.db, kit.campaignId),
  ]);
  if (!campaign || !county || (kit.schoolId && (!school || school.countyId !== county.id))) throw notFound();
  const offered = new Set(versions.keys());
  const questionnaires: QuestionnaireId[] = school ? questionnairesForSchool(school, offered) : offered.has("social") ? ["social"] : [];
  const codes = await Promise.all(
    questionnaires.map(async (questionnaireId) => {
      const token = signLink(services.keys, {
        campaignId: campaign.id,
        countyId: county.id,
        schoolId: school?.id ?? null,
        questionnaireId,
      });
      const url = `${services.config.publicUrl}/s/${token}`;
      const svg = await QRCode.toString(url, { type: "svg", errorCorrectionLevel: "M", margin: 2 });
      return {
        questionnaireId,
        audience: school ? AUDIENCE[questionnaireId] : "人大代表、政协委员、其他群众",
        url,
        svg,
      };
    }),
  );
  // The longest questionnaire on the page, the same estimate as the 通知 of the console.
  const minutes = Math.max(
    0,
    ...questionnaires.map((q) => {
      const version = versions.get(q);
      const questions = version === undefined ? null : (services.surveys.get(q, version)?.compiled.questions ?? null);
      return estimateMinutes(questions ? questionKinds(questions) : null);
    }),
  );
  return {
    campaignName: campaign.name,
    minutes: minutes > 0 ? minutes : estimateMinutes(null),
    window: campaign.isDemo
      ? "长期开放（演示）"
      : `${formatBeijingTime(campaign.opensAt)} 至 ${formatBeijingTime(campaign.closesAt)}`,
    isDemo: campaign.isDemo,
    countyName: county.name,
    schoolName: school?.name ?? null,
    codes,
  };
}
