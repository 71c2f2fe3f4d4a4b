/**
 * A printable QR kit (issue 16 item 8): one A4 sheet per audience — a school's 家长 (社会卷),
 * 教师 (校长教师卷) and 学生 (学生卷) sheets, or the county's sheet for 人大代表, 政协委员 and
 * 其他群众 — never two audiences' codes on one sheet. `?audience=` narrows a school's kit to one
 * sheet. QR codes are SVG from the `qrcode` package, rendered on the server: the page prints
 * crisply and needs no script.
 */
import QRCode from "qrcode";
import { getCampaign, getCampaignQuestionnaires, getCounty, getSchool } from "../../../db/repositories/campaigns";
import { estimateMinutes, questionKinds } from "../../domain/invitation";
import { parsePosterAudience, POSTER_AUDIENCE_NAMES, SHEET_ORDER, sheetAudience, type KitPageData, type PosterAudience } from "../../domain/print-kit";
import type { QuestionnaireId } from "../../domain/vocabulary";
import { problemResponse } from "../http";
import { formatBeijingTime } from "./link-context";
import { signLink } from "./link-token";
import { questionnairesForSchool, verifyKit } from "./links";
import type { Services } from "../context";

export type KitData = KitPageData;

/**
 * The `?audience=` of a kit URL, or a 400 in Chinese (never a 500) for anything but
 * parent | staff | student.
 */
export function requirePosterAudience(request: Request): PosterAudience | null {
  const parsed = parsePosterAudience(new URL(request.url).searchParams.get("audience"));
  if (!parsed.ok) throw problemResponse(400, "打印参数有误", parsed.message);
  return parsed.audience;
}

/**
 * The kit of a signed kit token, narrowed to `audience` when given. Throws 404 for a bad token,
 * 400 when an audience is asked of the county kit (it has one sheet) and 404 when the school
 * has no sheet for that audience (e.g. the campaign does not collect 学生卷 there).
 */
export async function loadKit(services: Services, kitToken: string, audience: PosterAudience | null = null): Promise<KitData> {
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
  if (!school && audience) {
    throw problemResponse(
      400,
      "打印参数有误",
      "县级二维码页只有一页（人大代表、政协委员、其他群众），不能按家长、教师、学生选择。请去掉链接中的 audience 参数。",
    );
  }
  const offered = new Set(versions.keys());
  const questionnaires: QuestionnaireId[] = school ? questionnairesForSchool(school, offered) : offered.has("social") ? ["social"] : [];
  const all = questionnaires
    .map((questionnaireId) => ({ questionnaireId, audience: sheetAudience(questionnaireId, school !== null) }))
    .sort((a, b) => SHEET_ORDER.indexOf(a.audience) - SHEET_ORDER.indexOf(b.audience));
  const audiences = all.flatMap((s) => (s.audience === "county" ? [] : [s.audience]));
  if (audience && !audiences.includes(audience)) {
    throw problemResponse(
      404,
      "没有这一页",
      `${school?.name ?? county.name}在本次调查中不发放${POSTER_AUDIENCE_NAMES[audience]}问卷，没有${POSTER_AUDIENCE_NAMES[audience]}页可打印。`,
    );
  }
  const chosen = audience ? all.filter((s) => s.audience === audience) : all;
  const sheets = await Promise.all(
    chosen.map(async ({ questionnaireId, audience: sheet }) => {
      const token = signLink(services.keys, {
        campaignId: campaign.id,
        countyId: county.id,
        schoolId: school?.id ?? null,
        questionnaireId,
      });
      const url = `${services.config.publicUrl}/s/${token}`;
      const svg = await QRCode.toString(url, { type: "svg", errorCorrectionLevel: "M", margin: 2 });
      // Each sheet promises its own questionnaire's time, the same estimate as the 通知 of the console.
      const version = versions.get(questionnaireId);
      const questions = version === undefined ? null : (services.surveys.get(questionnaireId, version)?.compiled.questions ?? null);
      return { audience: sheet, questionnaireId, url, svg, minutes: estimateMinutes(questions ? questionKinds(questions) : null) };
    }),
  );
  return {
    campaignName: campaign.name,
    window: campaign.isDemo ? "长期开放（演示）" : `${formatBeijingTime(campaign.opensAt)} 至 ${formatBeijingTime(campaign.closesAt)}`,
    deadline: campaign.isDemo ? null : formatBeijingTime(campaign.closesAt),
    isDemo: campaign.isDemo,
    countyName: county.name,
    schoolName: school?.name ?? null,
    sheets,
    audiences,
    selected: audience,
  };
}
