/**
 * 问卷审核: responses flagged by the integrity signals, grouped by school and link, and marking
 * questionnaires invalid (with a reason) or valid again. Every change is one row in
 * response_reviews and one in the audit log, in the transaction that adjusts the tallies, so
 * the rates move at once; nothing is deleted and every change can be reversed.
 */
import { listSchools, type Campaign, type County } from "../../../db/repositories/campaigns";
import { flaggedByLink, listReview, reviewHistory, type ReviewRow } from "../../../db/repositories/console-responses";
import { setValidity } from "../../../db/repositories/console-tallies";
import { appendAudit } from "../../../db/repositories/audit";
import { INTEGRITY_FLAG_LABELS, INTEGRITY_FLAGS } from "../../domain/integrity";
import { canSeeCounty, type Principal } from "../../domain/roles";
import { scoreOf } from "../../domain/survey-scale";
import { QUESTIONNAIRE_LABELS, QUESTIONNAIRE_IDS, RESPONDENT_GROUP_LABELS, RESPONDENT_GROUPS } from "../../domain/vocabulary";
import { QUESTIONNAIRE_SCORING } from "../../domain/questionnaire-scoring";
import type { Services } from "../services";
import { campaignRule } from "./tallies";

export const REVIEW_PAGE = 50;

/** Reasons offered to a reviewer (a free text is accepted too). */
export const INVALID_REASONS = ["作答时间过短，明显未阅读题目", "所有题目选择同一选项", "同一时段集中提交，疑似非本人填写", "同一网络多台新设备作答时间或答案雷同，疑似刷票", "非调查对象填写", "学校反映的重复或测试提交"] as const;

export interface ReviewItemView {
  id: number;
  link: string;
  group: string;
  grade: number | null;
  submittedAt: number;
  minutes: number;
  flags: string[];
  overall: string;
  /** The scored answers in questionnaire order, as scores (5 = 满意 … 1, "?" = 不了解). */
  scores: string;
  invalid: { at: number; reason: string | null } | null;
  history: Array<{ action: string; reason: string; username: string | null; at: number }>;
}

function flagLabel(f: string): string {
  const known = INTEGRITY_FLAGS.find((x) => x === f);
  return known ? INTEGRITY_FLAG_LABELS[known] : f;
}

function scoresOf(row: ReviewRow): string {
  const q = QUESTIONNAIRE_IDS.find((x) => x === row.questionnaireId);
  if (!q) return "";
  let answers: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(row.answers);
    if (typeof parsed === "object" && parsed !== null) answers = Object.fromEntries(Object.entries(parsed));
  } catch {
    return "";
  }
  return QUESTIONNAIRE_SCORING[q].scoredItems
    .map(({ name }) => {
      const v = answers[name];
      if (v === undefined) return "";
      const s = scoreOf(v);
      return s === null || s === undefined ? "?" : String(s);
    })
    .join(" ");
}

export interface ReviewView {
  links: Array<{ key: string; label: string; flagged: number; invalid: number }>;
  items: ReviewItemView[];
  more: boolean;
  kind: "flagged" | "invalid";
  reasons: readonly string[];
}

export async function countyReview(
  services: Pick<Services, "db">,
  campaign: Campaign,
  county: County,
  q: { kind: "flagged" | "invalid"; link: string | null; beforeId: number | null },
): Promise<ReviewView> {
  const schools = await listSchools(services.db, county.id);
  const names = new Map(schools.map((s) => [s.id, s.name]));
  const linkLabel = (schoolId: string | null, questionnaireId: string) =>
    `${schoolId ? (names.get(schoolId) ?? schoolId) : "县级链接"} · ${QUESTIONNAIRE_LABELS[QUESTIONNAIRE_IDS.find((x) => x === questionnaireId) ?? "social"]}`;
  const byLink = await flaggedByLink(services.db, campaign.id, county.id);
  const [schoolPart, questionnairePart] = (q.link ?? "").split("~");
  const rows = await listReview(services.db, {
    campaignId: campaign.id,
    countyId: county.id,
    kind: q.kind,
    schoolId: q.link ? (schoolPart ?? "") : null,
    questionnaireId: q.link ? (questionnairePart ?? null) : null,
    limit: REVIEW_PAGE + 1,
    beforeId: q.beforeId,
  });
  const shown = rows.slice(0, REVIEW_PAGE);
  const history = await reviewHistory(services.db, shown.map((r) => r.id));
  const groupLabel = (g: string) => RESPONDENT_GROUP_LABELS[RESPONDENT_GROUPS.find((x) => x === g) ?? "public"];
  return {
    links: byLink.map((l) => ({ key: `${l.schoolId ?? ""}~${l.questionnaireId}`, label: linkLabel(l.schoolId, l.questionnaireId), flagged: l.flagged, invalid: l.invalid })),
    items: shown.map((r) => ({
      id: r.id,
      link: linkLabel(r.schoolId, r.questionnaireId),
      group: groupLabel(r.group),
      grade: r.grade,
      submittedAt: r.submittedAt,
      minutes: r.durationMs / 60_000,
      flags: r.flags.map(flagLabel),
      overall: r.overallScore === null ? "不了解" : (["很不满意", "不满意", "基本满意", "比较满意", "满意"][r.overallScore - 1] ?? String(r.overallScore)),
      scores: scoresOf(r),
      invalid: r.invalidatedAt === null ? null : { at: r.invalidatedAt, reason: r.invalidReason },
      history: history.filter((h) => h.responseId === r.id).map(({ responseId: _id, ...h }) => h),
    })),
    more: rows.length > REVIEW_PAGE,
    kind: q.kind,
    reasons: INVALID_REASONS,
  };
}

export type ReviewOutcome = { ok: true; changed: number[]; skipped: number[] } | { ok: false; message: string };

/**
 * Marks responses invalid (or valid again). Each one must belong to the campaign and to the
 * county of the page, which the reviewer may see; others are skipped, never touched.
 */
export async function changeValidity(
  services: Pick<Services, "db" | "now">,
  actor: Principal,
  campaign: Campaign,
  county: County,
  ids: readonly number[],
  invalid: boolean,
  reasonInput: string,
): Promise<ReviewOutcome> {
  const reason = reasonInput.trim().slice(0, 200);
  if (invalid && reason === "") return { ok: false, message: "请填写或选择标记无效的原因" };
  if (ids.length === 0) return { ok: false, message: "请选择要处理的问卷" };
  if (ids.length > 500) return { ok: false, message: "一次最多处理 500 份问卷" };
  if (actor.role === "school") return { ok: false, message: "学校账号不能审核问卷" };
  const rule = campaignRule(campaign);
  const changed: number[] = [];
  const skipped: number[] = [];
  for (const id of ids) {
    const why = invalid ? reason : reason || "恢复为有效问卷";
    const result = await setValidity(services.db, {
      campaignId: campaign.id,
      responseId: id,
      invalid,
      reason: why,
      rule,
      now: services.now(),
      reviewer: { accountId: actor.accountId, username: actor.username },
      inScope: (countyId) => countyId === county.id && canSeeCounty(actor, countyId),
      afterChange: (trx, change) =>
        appendAudit(trx, {
          at: services.now(),
          accountId: actor.accountId,
          username: actor.username,
          action: invalid ? "response_invalidated" : "response_restored",
          campaignId: campaign.id,
          countyId: change.countyId,
          subject: `问卷 #${String(id)}`,
          detail: { reason: why, schoolId: change.schoolId },
        }),
    });
    if (result.ok) changed.push(id);
    else skipped.push(id);
  }
  return { ok: true, changed, skipped };
}
