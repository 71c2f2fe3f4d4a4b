/**
 * Distribution from the console: every school's printable QR kit (/print/<kit>, signed), one
 * print-ready document per county, the county-level links for 人大代表, 政协委员 and 其他群众,
 * and for a school contact their school's links, kit and response counts (never answers).
 *
 * Every link comes with what is needed to post it in a WeChat group (issue 20 item 1): its QR
 * as a PNG (`linkQrPng`, scope-checked, signed here from identifiers — never from a URL the
 * client sends) and a ready-to-paste 通知 text (app/domain/invitation.ts).
 */
import { getCampaignQuestionnaires, getSchool, listSchools, type Campaign, type County, type School } from "../../../db/repositories/campaigns";
import { estimateMinutes, INVITATION_AUDIENCE_LABELS, invitationAudience, invitationText, questionKinds } from "../../domain/invitation";
import { POSTER_AUDIENCES, POSTER_PRINT_LABELS, sheetAudience, type PosterAudience } from "../../domain/print-kit";
import { canSeeCounty, canSeeSchool, type Principal } from "../../domain/roles";
import { QUESTIONNAIRE_IDS, QUESTIONNAIRE_LABELS, RESPONDENT_GROUP_LABELS, type QuestionnaireId } from "../../domain/vocabulary";
import { forbidden, notFound } from "../auth/guard";
import { formatBeijingTime } from "../collect/link-context";
import { signLink } from "../collect/link-token";
import { questionnairesForSchool, signKit } from "../collect/links";
import type { Services } from "../context";
import { qrCard } from "../qr-card";
import { requireCampaign } from "./campaigns";
import { campaignCounts } from "./tallies";

/** One link as the console shows it: tappable, copyable, as a QR PNG, and as a 通知. */
export interface ShareLink {
  questionnaireId: QuestionnaireId;
  questionnaire: string;
  /** 家长 / 教师 / 学生 / 人大代表、政协委员、其他群众 */
  audience: string;
  url: string;
  /** The QR PNG download (`/admin/qr/…`), scope-checked again when fetched. */
  qrPath: string;
  /** Ready to paste into a WeChat group. */
  notice: string;
}

export interface CountyKits {
  county: County;
  countyKitPath: string;
  documentPath: string;
  countyLinks: ShareLink[];
  /** The "print only one audience" documents of the county (`?audience=`), for the audiences its schools have. */
  documentPosters: PosterLink[];
  schools: Array<{ id: string; name: string; kitPath: string; posters: PosterLink[]; links: ShareLink[] }>;
}

/** One audience's sheets of a kit (issue 16 item 8): `<kit>?audience=parent|staff|student`. */
export interface PosterLink {
  audience: PosterAudience;
  /** 只打印家长页（校门口张贴） … */
  label: string;
  path: string;
}

/** A kit's one-audience links, in the sheets' order 家长, 教师, 学生. */
function posterLinks(kitPath: string, links: readonly ShareLink[]): PosterLink[] {
  return POSTER_AUDIENCES.filter((a) => links.some((l) => sheetAudience(l.questionnaireId, true) === a)).map((audience) => ({
    audience,
    label: POSTER_PRINT_LABELS[audience],
    path: `${kitPath}?audience=${audience}`,
  }));
}

type LinkServices = Pick<Services, "db" | "keys" | "config" | "surveys">;

const e = encodeURIComponent;

/** The QR PNG route of one link: school links carry `?school=`, the county's 社会卷 link none. */
export function qrPath(campaignId: string, countyId: string, schoolId: string | null, questionnaireId: QuestionnaireId): string {
  return `/admin/qr/${e(campaignId)}/${e(countyId)}/${e(questionnaireId)}${schoolId ? `?school=${e(schoolId)}` : ""}`;
}

/** What every link of a campaign shares: the versions it collects, the deadline, minutes per questionnaire. */
async function linkContext(services: LinkServices, campaign: Campaign) {
  const versions = await getCampaignQuestionnaires(services.db, campaign.id);
  const minutes = new Map<QuestionnaireId, number>();
  for (const [q, version] of versions) {
    const survey = services.surveys.get(q, version);
    const questions = survey?.compiled.questions ?? null;
    minutes.set(q, estimateMinutes(questions ? questionKinds(questions) : null));
  }
  return {
    offered: new Set(versions.keys()),
    minutes,
    // A demo campaign stays open; a real one ends at closesAt.
    deadline: campaign.isDemo ? null : formatBeijingTime(campaign.closesAt),
  };
}

type LinkContext = Awaited<ReturnType<typeof linkContext>>;

function shareLink(
  services: LinkServices,
  campaign: Campaign,
  ctx: LinkContext,
  county: County,
  school: School | null,
  questionnaireId: QuestionnaireId,
): ShareLink {
  const url = `${services.config.publicUrl}/s/${signLink(services.keys, { campaignId: campaign.id, countyId: county.id, schoolId: school?.id ?? null, questionnaireId })}`;
  const audience = invitationAudience(questionnaireId, school !== null);
  return {
    questionnaireId,
    questionnaire: QUESTIONNAIRE_LABELS[questionnaireId],
    audience: INVITATION_AUDIENCE_LABELS[audience],
    url,
    qrPath: qrPath(campaign.id, county.id, school?.id ?? null, questionnaireId),
    notice: invitationText({
      audience,
      countyName: county.name,
      schoolName: school?.name ?? null,
      minutes: ctx.minutes.get(questionnaireId) ?? estimateMinutes(null),
      deadline: ctx.deadline,
      url,
    }),
  };
}

function schoolLinks(services: LinkServices, campaign: Campaign, ctx: LinkContext, county: County, school: School): ShareLink[] {
  return questionnairesForSchool(school, ctx.offered).map((q) => shareLink(services, campaign, ctx, county, school, q));
}

export async function campaignKits(services: LinkServices, campaign: Campaign, counties: readonly County[]): Promise<CountyKits[]> {
  const ctx = await linkContext(services, campaign);
  const out: CountyKits[] = [];
  for (const county of counties) {
    const schools = await listSchools(services.db, county.id);
    const documentPath = `/admin/kit/${e(campaign.id)}/${e(county.id)}`;
    const rows = schools.map((s) => {
      const kitPath = `/print/${signKit(services.keys, { campaignId: campaign.id, countyId: county.id, schoolId: s.id })}`;
      const links = schoolLinks(services, campaign, ctx, county, s);
      return { id: s.id, name: s.name, kitPath, posters: posterLinks(kitPath, links), links };
    });
    const allLinks = rows.flatMap((r) => r.links);
    out.push({
      county,
      countyKitPath: `/print/${signKit(services.keys, { campaignId: campaign.id, countyId: county.id, schoolId: null })}`,
      documentPath,
      countyLinks: ctx.offered.has("social") ? [shareLink(services, campaign, ctx, county, null, "social")] : [],
      documentPosters: posterLinks(documentPath, allLinks),
      schools: rows,
    });
  }
  return out;
}

export interface SchoolPage {
  school: { id: string; name: string; countyId: string };
  kitPath: string;
  /** The kit's one-audience prints (家长页 for the gate, 教师页, 学生页). */
  posters: PosterLink[];
  links: ShareLink[];
  counts: Array<{ questionnaire: string; group: string; total: number; valid: number }>;
  total: number;
}

/** A school's links, kit and counts; 403/404 decided by the caller with `canSeeSchool`. */
export async function schoolPage(
  services: Pick<Services, "db" | "keys" | "config" | "now" | "surveys">,
  campaign: Campaign,
  county: County,
  school: School,
  principal: Principal,
): Promise<SchoolPage | null> {
  if (!canSeeSchool(principal, school)) return null;
  const ctx = await linkContext(services, campaign);
  const counts = await campaignCounts(services, campaign, { countyIds: [school.countyId], schoolId: school.id, withItems: false });
  const byKey = new Map<string, { questionnaire: string; group: string; total: number; valid: number }>();
  for (const c of counts.cells) {
    const key = `${c.questionnaire}|${c.group}`;
    const row = byKey.get(key) ?? { questionnaire: QUESTIONNAIRE_LABELS[c.questionnaire], group: RESPONDENT_GROUP_LABELS[c.group], total: 0, valid: 0 };
    row.total += c.total;
    row.valid += c.valid;
    byKey.set(key, row);
  }
  const rows = [...byKey.values()];
  const kitPath = `/print/${signKit(services.keys, { campaignId: campaign.id, countyId: school.countyId, schoolId: school.id })}`;
  const links = schoolLinks(services, campaign, ctx, county, school);
  return {
    school: { id: school.id, name: school.name, countyId: school.countyId },
    kitPath,
    posters: posterLinks(kitPath, links),
    links,
    counts: rows,
    total: rows.reduce((a, r) => a + r.total, 0),
  };
}

/**
 * Target width of the QR PNG in pixels. WeChat shows a chat image about 200 px wide and
 * recompresses it; 800 px and more survives the recompression and prints on A5.
 */
export const QR_PNG_MIN_WIDTH = 800;
/** Quiet zone in modules: the QR standard's 4, so a scan from a screenshot in a chat still locks on. */
export const QR_QUIET_ZONE = 4;

/**
 * The QR card of one link (a PNG: the code, and under it the school, who is asked and
 * 请扫码填写《…》 — app/.server/qr-card), for the principal who may see it: a school contact
 * their school's links, a county officer their county's, the city every one. The link is signed
 * here from the identifiers in the URL, after the scope check, so no arbitrary URL is ever
 * signed or encoded. Throws 404 (no such campaign, county, school or questionnaire in this
 * campaign) or 403. Modules are whole pixels (crisp): scale = ⌈800 / (modules + 2 × quiet zone)⌉.
 */
export async function linkQrPng(
  services: LinkServices,
  principal: Principal,
  ids: { campaignId: string; countyId: string; schoolId: string | null; questionnaireId: string },
): Promise<{ png: Buffer; fileName: string }> {
  const scope = await requireCampaign(services.db, principal, ids.campaignId);
  const county = scope.counties.find((c) => c.id === ids.countyId);
  if (!county) throw notFound("这个调查活动不包括该县（区）。");
  const questionnaireId = QUESTIONNAIRE_IDS.find((q) => q === ids.questionnaireId);
  if (!questionnaireId || !scope.questionnaires.has(questionnaireId)) throw notFound("这个调查活动没有这份问卷。");
  let school: School | null = null;
  if (ids.schoolId !== null) {
    school = await getSchool(services.db, ids.schoolId);
    if (!school || school.countyId !== county.id) throw notFound("这个调查活动中没有这所学校。");
    if (!canSeeSchool(principal, school)) throw forbidden("您的账号只能查看本校的信息。");
    if (!questionnairesForSchool(school, new Set(scope.questionnaires.keys())).includes(questionnaireId)) throw notFound("这所学校不发放这份问卷。");
  } else {
    if (!canSeeCounty(principal, county.id)) throw forbidden("您的账号只能查看本县（区）的数据。");
    if (questionnaireId !== "social") throw notFound("县级链接只有社会卷。");
  }
  const ctx = await linkContext(services, scope.campaign);
  const link = shareLink(services, scope.campaign, ctx, county, school, questionnaireId);
  const minutes = ctx.minutes.get(questionnaireId) ?? estimateMinutes(null);
  const card = qrCard(
    link.url,
    [
      { text: school ? school.name : `${county.name}（县级）`, size: 0.06, ink: 0 },
      { text: `${link.audience} · 请扫码填写《${link.questionnaire}》`, size: 0.048, ink: 0 },
      { text: `义务教育优质均衡发展满意度调查 · 匿名填写，约需${String(minutes)}分钟`, size: 0.032, ink: 90 },
    ],
    { minWidth: QR_PNG_MIN_WIDTH, margin: QR_QUIET_ZONE },
  );
  const fileName = school ? `${school.name}-${link.questionnaire}（${link.audience}）-二维码.png` : `${county.name}-县级社会卷-二维码.png`;
  return { png: card.png, fileName };
}
