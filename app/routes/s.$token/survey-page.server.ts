/**
 * The survey page's server half: rate limit page views, resolve the link, identify the device
 * (issuing the device cookie on first visit), and either say the device has already answered
 * (已提交) or hand the page what it needs to render the questionnaire.
 */
import type { PageHeader } from "../../components/survey-header";
import { hasResponded } from "../../../db/repositories/responses";
import { newDeviceCookie, readDeviceId, respondentKey } from "../../.server/device";
import { problemResponse } from "../../.server/http";
import { resolveLink, type LinkContext } from "../../.server/link-context";
import { checkLimits } from "../../.server/rate-limit/policy";
import type { Services } from "../../.server/services";
import { signStarted } from "../../.server/started-token";
import { activeSupervision } from "../../.server/supervision";

export type { PageHeader };

export type SurveyPageData =
  | { kind: "submitted"; header: PageHeader }
  | {
      kind: "survey";
      header: PageHeader;
      /** The SurveyJS definition as JSON text. */
      definition: string;
      variables: Readonly<Record<string, string | number>>;
      version: number;
      /** Signed start time for a first visit; a device with a draft keeps its own. */
      started: string;
      supervisedLabel: string | null;
    };

export function pageHeader(link: LinkContext): PageHeader {
  return {
    campaignName: link.campaign.name,
    organizer: `${link.campaign.city}教育局`,
    countyName: link.county.name,
    schoolName: link.school?.name ?? null,
    questionnaireLabel: link.questionnaireLabel,
    title: link.survey.compiled.title,
    questionnaireId: link.scope.questionnaireId,
    isDemo: link.campaign.isDemo,
  };
}

/** Resolves a link for a page, throwing the Chinese problem page when it cannot be used. */
export async function requireLink(services: Services, token: string, clientAddress: string): Promise<LinkContext> {
  const limited = await checkLimits(services.limiter, [{ tier: "pageAddress", identifier: clientAddress }], services.now());
  if (!limited.ok) {
    throw problemResponse(429, "访问人数较多", `当前访问人数较多，请${limited.retryAfterSeconds}秒后刷新页面。`, {
      "Retry-After": String(limited.retryAfterSeconds),
    });
  }
  const resolved = await resolveLink(services, token);
  if (!resolved.ok) throw problemResponse(resolved.problem.status, resolved.problem.title, resolved.problem.message);
  return resolved.link;
}

export async function loadSurveyPage(
  services: Services,
  token: string,
  request: Request,
  clientAddress: string,
): Promise<{ data: SurveyPageData; setCookie: string | null }> {
  const link = await requireLink(services, token, clientAddress);
  const cookieHeader = request.headers.get("cookie");
  let deviceId = readDeviceId(services.keys, cookieHeader);
  let setCookie: string | null = null;
  if (!deviceId) {
    const issued = newDeviceCookie(services.keys, services.config.secureCookies);
    deviceId = issued.deviceId;
    setCookie = issued.setCookie;
  }
  const header = pageHeader(link);
  const supervision = await activeSupervision(services, cookieHeader, {
    campaignId: link.campaign.id,
    schoolId: link.school?.id ?? null,
  });
  if (!supervision && setCookie === null) {
    if (await hasResponded(services.db, respondentKey(services.keys, deviceId, link.scopeKey))) {
      return { data: { kind: "submitted", header }, setCookie };
    }
  }
  return {
    data: {
      kind: "survey",
      header,
      definition: link.survey.jsonText,
      variables: link.variables,
      version: link.survey.compiled.version,
      started: signStarted(services.keys, link.scopeKey, services.now()),
      supervisedLabel: supervision?.label ?? null,
    },
    setCookie,
  };
}

/**
 * The thank-you page: shown to a device that has answered this link, or to a supervised shared
 * device; anyone else is sent to the questionnaire.
 */
export async function loadDonePage(
  services: Services,
  token: string,
  request: Request,
  clientAddress: string,
): Promise<{ header: PageHeader; supervised: boolean } | { redirectTo: string }> {
  const link = await requireLink(services, token, clientAddress);
  const cookieHeader = request.headers.get("cookie");
  const supervision = await activeSupervision(services, cookieHeader, {
    campaignId: link.campaign.id,
    schoolId: link.school?.id ?? null,
  });
  if (!supervision) {
    const deviceId = readDeviceId(services.keys, cookieHeader);
    const answered = deviceId !== null && (await hasResponded(services.db, respondentKey(services.keys, deviceId, link.scopeKey)));
    if (!answered) return { redirectTo: `/s/${token}` };
  }
  return { header: pageHeader(link), supervised: supervision !== null };
}
