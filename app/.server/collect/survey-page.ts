/**
 * The survey page's server half: rate limit page views, resolve the link, identify the device
 * (issuing the device cookie on first visit — counted per link and per address, marked when
 * devices appear faster than people arrive, slowed down past the school's enrolment; decision
 * 0012), and either say the device has already answered (已提交) or hand the page what it needs
 * to render the questionnaire, with a start token bound to that device.
 */
import { randomBytes } from "node:crypto";
import { redirect } from "@remix-run/node";
import { CHILD_LIMITS, checkChildOrdinal, childPath, childRefusal } from "../../domain/children";
import type { PageHeader } from "../../domain/page-header";
import { answersForRedisplay, canRenderAsForm, FORM_FIELDS, formView, parseFormAnswers, type FormQuestionView } from "../../survey/form";
import { submitInputOf, submitResponse } from "./submit";
import { answeredChildren, linkAudience, otherChildOffer, type OtherChildOffer } from "./children";
import { newDeviceCookie, readDeviceId } from "./device";
import { problemResponse } from "../http";
import { countNewDevice } from "./integrity";
import { resolveLink, type LinkContext } from "./link-context";
import { checkLimits } from "../rate-limit/policy";
import type { Services } from "../context";
import { signStarted, verifyStarted, type StartMark } from "./started-token";
import { activeSupervision, supervisionScope } from "./supervision";

export type { PageHeader, OtherChildOffer };

/** The 已提交 page: the device answered this link (for this child); parents are offered the next child. */
export interface SubmittedPageData {
  kind: "submitted";
  header: PageHeader;
  otherChild: OtherChildOffer;
}

export type SurveyPageData =
  | SubmittedPageData
  | {
      kind: "survey";
      header: PageHeader;
      /** The SurveyJS definition as JSON text. */
      definition: string;
      variables: Readonly<Record<string, string | number>>;
      version: number;
      /**
       * A start token bound to this device, started now; a device with a draft keeps its own
       * and appends this one as a renewal.
       */
      started: string;
      supervisedLabel: string | null;
      /** The child ordinal this questionnaire is for (1 unless a parent asked for another child). */
      child: number;
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
    throw problemResponse(
      429,
      "访问人数较多",
      `当前访问人数较多，请${limited.retryAfterSeconds}秒后刷新页面。`,
      { "Retry-After": String(limited.retryAfterSeconds) },
      services.config.footer,
    );
  }
  const resolved = await resolveLink(services, token);
  // A closed or broken link is where a parent most needs to know who to call.
  if (!resolved.ok) throw problemResponse(resolved.problem.status, resolved.problem.title, resolved.problem.message, {}, services.config.footer);
  return resolved.link;
}

export async function loadSurveyPage(
  services: Services,
  token: string,
  request: Request,
  clientAddress: string,
): Promise<{ data: SurveyPageData; setCookie: string | null; link: LinkContext }> {
  const link = await requireLink(services, token, clientAddress);
  const cookieHeader = request.headers.get("cookie");
  let deviceId = readDeviceId(services.keys, cookieHeader);
  let setCookie: string | null = null;
  const marks: StartMark[] = [];
  if (!deviceId) {
    const minted = await countNewDevice(services.limiter, link, clientAddress, services.config.integrity);
    if (minted.slowDown) {
      const seconds = Math.ceil(minted.retryAfterMs / 1000);
      throw problemResponse(429, "访问人数较多", `当前打开问卷的新设备较多，请${seconds}秒后刷新页面。`, {
        "Retry-After": String(seconds),
      });
    }
    if (minted.mark) marks.push("d");
    const issued = newDeviceCookie(services.keys, services.config.secureCookies);
    deviceId = issued.deviceId;
    setCookie = issued.setCookie;
  }
  const header = pageHeader(link);
  const supervision = await activeSupervision(services, cookieHeader, supervisionScope(link));
  // ?child=N: a parent answering for another child at the same school (decision 0027). A
  // supervised shared device counts every questionnaire on its own, so it has no ordinal.
  let child = 1;
  if (!supervision) {
    const check = checkChildOrdinal(new URL(request.url).searchParams.get("child") ?? undefined, linkAudience(link), CHILD_LIMITS);
    if (!check.ok) throw problemResponse(400, "无法继续填写", childRefusal(check.reason, CHILD_LIMITS), {}, services.config.footer);
    child = check.child;
    const answered = setCookie === null ? await answeredChildren(services, deviceId, link) : new Set<number>();
    if (answered.has(child)) {
      return { data: { kind: "submitted", header, otherChild: otherChildOffer(answered, link) }, setCookie, link };
    }
    // Ordinals are answered in turn: a later child before the one before it is the first child's form.
    if (child > 1 && !answered.has(child - 1)) {
      throw redirect(`/s/${token}`, { headers: { "Cache-Control": "no-store", ...(setCookie ? { "Set-Cookie": setCookie } : {}) } });
    }
  }
  return {
    data: {
      kind: "survey",
      header,
      definition: link.survey.jsonText,
      variables: link.variables,
      version: link.survey.compiled.version,
      started: signStarted(services.keys, { scopeKey: link.scopeKey, deviceId }, services.now(), marks),
      supervisedLabel: supervision?.label ?? null,
      child,
    },
    setCookie,
    link,
  };
}

/**
 * The thank-you page: shown to a device that has answered this link, or to a supervised shared
 * device; anyone else is sent to the questionnaire. Parents are offered another child at the
 * same school (the next ordinal), or told the limit is reached.
 */
export async function loadDonePage(
  services: Services,
  token: string,
  request: Request,
  clientAddress: string,
): Promise<{ header: PageHeader; supervised: boolean; otherChild: OtherChildOffer } | { redirectTo: string }> {
  const link = await requireLink(services, token, clientAddress);
  const cookieHeader = request.headers.get("cookie");
  const supervision = await activeSupervision(services, cookieHeader, supervisionScope(link));
  if (supervision) return { header: pageHeader(link), supervised: true, otherChild: null };
  const deviceId = readDeviceId(services.keys, cookieHeader);
  const answered = deviceId === null ? new Set<number>() : await answeredChildren(services, deviceId, link);
  if (!answered.has(1)) return { redirectTo: `/s/${token}` };
  return { header: pageHeader(link), supervised: false, otherChild: otherChildOffer(answered, link) };
}

/** Phones and in-app browsers (WeChat, QQ, UC…) get the server-rendered form. */
export function isPhone(userAgent: string | null): boolean {
  return /Mobi|Android|iPhone|iPod|MicroMessenger|HarmonyOS|Windows Phone|Opera Mini|UCBrowser|MQQBrowser|Quark|BlackBerry/i.test(userAgent ?? "");
}

export interface FormPageData {
  kind: "form";
  header: PageHeader;
  questions: FormQuestionView[];
  version: number;
  /** A fresh idempotency key in the form itself, so a no-JavaScript post is idempotent too. */
  idempotencyKey: string;
  started: string;
  supervisedLabel: string | null;
  message: string | null;
  honeypot: string;
  /** The child ordinal the form is for; carried in the form (`_child`) when above 1. */
  child: number;
}

export type FastPageResult =
  /** With the device cookie just issued, so /full does not mint (and count) a second device. */
  { kind: "redirect"; to: string; setCookie: string | null } | { kind: "page"; data: FormPageData | SubmittedPageData; setCookie: string | null };

/**
 * The phone page: the questionnaire as a native form. Desktops (unless `?v=form`) and
 * definitions the form cannot render go to the survey-react-ui page at /s/<token>/full.
 */
export async function loadFastPage(services: Services, token: string, request: Request, clientAddress: string): Promise<FastPageResult> {
  const url = new URL(request.url);
  const forced = url.searchParams.get("v");
  const { data, setCookie, link } = await loadSurveyPage(services, token, request, clientAddress);
  if (data.kind === "submitted") return { kind: "page", data, setCookie };
  const wantsForm = forced === "form" || (forced !== "full" && isPhone(request.headers.get("user-agent")));
  if (!wantsForm || !canRenderAsForm(link.survey.compiled)) {
    return { kind: "redirect", to: childPath(token, data.child, "/full"), setCookie };
  }
  return {
    kind: "page",
    data: {
      kind: "form",
      header: data.header,
      questions: formView(link.survey.compiled, link.variables),
      version: data.version,
      idempotencyKey: randomBytes(16).toString("base64url"),
      started: data.started,
      supervisedLabel: data.supervisedLabel,
      message: null,
      honeypot: "",
      child: data.child,
    },
    setCookie,
  };
}

/**
 * A form posted to the phone page without JavaScript: the same submit path as every other
 * submission. Accepted → the thank-you page. Refused → the form again, with what was answered,
 * the message, and each question's error in place.
 */
export async function submitFastForm(
  services: Services,
  token: string,
  request: Request,
  clientAddress: string,
): Promise<{ kind: "done"; to: string } | { kind: "page"; status: number; data: FormPageData; headers: Record<string, string> }> {
  // What was read (under the submit path's cap) is kept to show the form again; the body is
  // never read a second time (a clone would read on past the cap the submit path stopped at).
  let read = "";
  const input = submitInputOf(request, token, clientAddress);
  const result = await submitResponse(services, {
    ...input,
    readBody: async (max) => {
      const body = await input.readBody(max);
      if (body.ok) read = body.text;
      return body;
    },
  });
  if (result.body.ok || result.body.error === "already_submitted") return { kind: "done", to: `/s/${token}/done` };
  // The link itself is unusable (forged, closed, …): the problem page, not the form.
  if (result.status === 404 || result.status === 410 || result.status === 403) {
    throw problemResponse(result.status, "无法提交", result.body.message);
  }
  const link = await requireLink(services, token, clientAddress);
  let answers: unknown = result.submission?.answers;
  let honeypot = result.submission?.honeypot ?? "";
  if (answers === undefined) {
    const parsed = parseFormAnswers(link.survey.compiled, new URLSearchParams(read));
    answers = parsed.ok ? parsed.answers : {};
    honeypot = parsed.ok ? parsed.honeypot : "";
  }
  const shown = typeof answers === "object" && answers !== null ? answersForRedisplay(Object.fromEntries(Object.entries(answers))) : {};
  const errors: Record<string, string> = {};
  for (const p of result.body.problems ?? []) if (p.question && errors[p.question] === undefined) errors[p.question] = p.message;
  const now = services.now();
  // Keep the start token the form carried (answering time is measured from the first visit);
  // a device without a genuine one gets a fresh token bound to it.
  const posted = result.submission?.started ?? "";
  const deviceId = readDeviceId(services.keys, request.headers.get("cookie"));
  const bind = { scopeKey: link.scopeKey, deviceId: deviceId ?? "" };
  const kept = verifyStarted(services.keys, bind, posted, now, services.config.integrity.startTokenLifetimeMs) !== null;
  const started = kept || deviceId === null ? posted : signStarted(services.keys, bind, now);
  const supervision = await activeSupervision(services, request.headers.get("cookie"), supervisionScope(link));
  // The form keeps the child it was for; an ordinal the submit path refused is not carried on.
  const postedChild = checkChildOrdinal(new URLSearchParams(read).get(FORM_FIELDS.child) ?? undefined, linkAudience(link), CHILD_LIMITS);
  return {
    kind: "page",
    status: result.status,
    headers: result.headers,
    data: {
      kind: "form",
      header: pageHeader(link),
      questions: formView(link.survey.compiled, link.variables, shown, errors),
      version: link.survey.compiled.version,
      idempotencyKey: randomBytes(16).toString("base64url"),
      started,
      supervisedLabel: supervision?.label ?? null,
      message: result.body.message,
      honeypot,
      child: supervision || !postedChild.ok || result.body.error === "child_invalid" ? 1 : postedChild.child,
    },
  };
}
