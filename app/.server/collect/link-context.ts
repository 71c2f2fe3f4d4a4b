/**
 * Resolving a survey link: the token's signature, then the campaign, county, school and
 * questionnaire version it names, then the campaign's window. Shared by the survey page, the
 * submit handler and the print kit, so each refuses a bad link in the same words.
 */
import { getCampaign, getCampaignQuestionnaires, getCounty, getSchool, type Campaign, type County, type School } from "../../../db/repositories/campaigns";
import { QUESTIONNAIRE_LABELS, type QuestionnaireId } from "../../domain/vocabulary";
import type { SurveyVariables } from "../../survey/validate";
import { surveyVariablesFor } from "../../survey/variables";
import { scopeKey, verifyLink, type LinkScope } from "./link-token";
import type { Services } from "../context";
import type { RegisteredSurvey } from "./survey-registry";

export interface LinkContext {
  scope: LinkScope;
  scopeKey: string;
  campaign: Campaign;
  county: County;
  school: School | null;
  survey: RegisteredSurvey;
  variables: SurveyVariables;
  /** 社会卷 etc. */
  questionnaireLabel: string;
}

export interface LinkProblem {
  status: 403 | 404 | 410;
  error: "link_invalid" | "link_unknown" | "not_open" | "closed";
  title: string;
  message: string;
}

const SHANGHAI = new Intl.DateTimeFormat("zh-CN", {
  timeZone: "Asia/Shanghai",
  year: "numeric",
  month: "long",
  day: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  hour12: false,
});

/** A time as people in 宁夏 read it (Beijing time). */
export function formatBeijingTime(ms: number): string {
  return SHANGHAI.format(new Date(ms));
}

export const LINK_INVALID: LinkProblem = {
  status: 404,
  error: "link_invalid",
  title: "链接无效",
  message: "这个问卷链接不完整或已被改动。请重新扫描学校提供的二维码，或向学校索取正确的链接。",
};

const UNKNOWN: LinkProblem = {
  status: 404,
  error: "link_unknown",
  title: "找不到这份问卷",
  message: "这个链接对应的调查不存在或已被删除。请向学校或教育局确认最新的二维码。",
};

export type LinkResolution = { ok: true; link: LinkContext } | { ok: false; problem: LinkProblem };

interface LinkRecords {
  campaign: Campaign | null;
  county: County | null;
  school: School | null;
  versions: Map<QuestionnaireId, number>;
}

/**
 * How long a link's campaign, county, school and questionnaire version are reused before they
 * are read again: every page view and submission would otherwise read four rows that change a
 * few times a year. An edit in the console is seen within this time, on every instance.
 */
export const LINK_CACHE_MS = 5_000;
const LINK_CACHE_MAX = 10_000;

// Per Services instance (a test may create several in one process).
const linkCaches = new WeakMap<Services, Map<string, { at: number; records: Promise<LinkRecords> }>>();

function readLinkRecords(services: Services, scope: LinkScope): Promise<LinkRecords> {
  let cache = linkCaches.get(services);
  if (!cache) {
    cache = new Map();
    linkCaches.set(services, cache);
  }
  const key = scopeKey(scope);
  const now = services.now();
  const hit = cache.get(key);
  if (hit && now - hit.at < LINK_CACHE_MS && now >= hit.at) return hit.records;
  const { db } = services;
  const records = Promise.all([
    getCampaign(db, scope.campaignId),
    getCounty(db, scope.countyId),
    scope.schoolId === null ? Promise.resolve(null) : getSchool(db, scope.schoolId),
    getCampaignQuestionnaires(db, scope.campaignId),
  ]).then(([campaign, county, school, versions]) => ({ campaign, county, school, versions }));
  if (cache.size >= LINK_CACHE_MAX) cache.clear();
  cache.set(key, { at: now, records });
  // A failed read is not remembered.
  records.catch(() => cache?.delete(key));
  return records;
}

export async function resolveLink(services: Services, token: string): Promise<LinkResolution> {
  const scope = verifyLink(services.keys, token);
  if (!scope) return { ok: false, problem: LINK_INVALID };
  return resolveScope(services, scope);
}

/** Resolves the scope of a genuine token (see `resolveLink`). */
export async function resolveScope(services: Services, scope: LinkScope): Promise<LinkResolution> {
  const { campaign, county, school, versions } = await readLinkRecords(services, scope);
  const version = versions.get(scope.questionnaireId);
  if (!campaign || !county || version === undefined) return { ok: false, problem: UNKNOWN };
  if (scope.schoolId !== null && (!school || school.countyId !== county.id)) return { ok: false, problem: UNKNOWN };
  const survey = services.surveys.get(scope.questionnaireId, version);
  if (!survey) return { ok: false, problem: UNKNOWN };

  const now = services.now();
  if (now < campaign.opensAt) {
    return {
      ok: false,
      problem: {
        status: 403,
        error: "not_open",
        title: "调查尚未开始",
        message: `本次调查将于${formatBeijingTime(campaign.opensAt)}开始，请到时再扫码填写。`,
      },
    };
  }
  if (now >= campaign.closesAt) {
    return {
      ok: false,
      problem: {
        status: 410,
        error: "closed",
        title: "调查已结束",
        message: `本次调查已于${formatBeijingTime(campaign.closesAt)}结束，感谢您的关注。`,
      },
    };
  }
  return {
    ok: true,
    link: {
      scope,
      scopeKey: scopeKey(scope),
      campaign,
      county,
      school,
      survey,
      variables: surveyVariablesFor(school?.type ?? null),
      questionnaireLabel: QUESTIONNAIRE_LABELS[scope.questionnaireId],
    },
  };
}
