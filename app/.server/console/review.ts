/**
 * 问卷审核: responses flagged by the integrity signals, grouped by school and link, and marking
 * questionnaires invalid (with a reason) or valid again. Every change is one row in
 * response_reviews and one in the audit log, in the transaction that adjusts the tallies, so
 * the rates move at once; nothing is deleted and every change can be reversed.
 *
 * Small cells (issue 12): a questionnaire's answers are one person's answers. A county officer
 * sees them only where the questionnaire's cell — its school (or the county-level link) × its
 * respondent group — holds at least `MIN_CELL_SIZE` questionnaires; below that the overall
 * answer, the item scores and the grade are withheld with a Chinese explanation (time, duration
 * and flags stay, so a questionnaire answered in 40 s can still be referred), and the county
 * officer cannot mark it invalid or restore it — that would move the county's published
 * satisfied count by exactly that person's answer. The city role (which may download the raw
 * answers anyway) sees and reviews everything. A grade is shown only where school × group ×
 * grade holds at least `MIN_CELL_SIZE` questionnaires.
 */
import { listSchools, type Campaign, type County } from "../../../db/repositories/campaigns";
import { flaggedByLink, flagTotals, getReviewRow, listReview, reviewHistory, type ReviewRow } from "../../../db/repositories/console-responses";
import { setValidity } from "../../../db/repositories/console-tallies";
import { INTEGRITY_FLAG_LABELS, INTEGRITY_FLAGS } from "../../domain/integrity";
import { canSeeCounty, type Principal } from "../../domain/roles";
import { scoreOf } from "../../domain/survey-scale";
import { QUESTIONNAIRE_LABELS, QUESTIONNAIRE_IDS, RESPONDENT_GROUP_LABELS, RESPONDENT_GROUPS } from "../../domain/vocabulary";
import { QUESTIONNAIRE_SCORING } from "../../domain/questionnaire-scoring";
import { MIN_CELL_SIZE } from "../../domain/suppression";
import type { Services } from "../context";
import { audit } from "./audit";
import { campaignCounts, campaignRule } from "./tallies";

export const REVIEW_PAGE = 50;

/** Reasons offered to a reviewer (a free text is accepted too). */
export const INVALID_REASONS = [
  "作答时间过短，明显未阅读题目",
  "所有题目选择同一选项",
  "同一时段集中提交，疑似非本人填写",
  "同一网络多台新设备作答时间或答案雷同，疑似刷票",
  "非调查对象填写",
  "学校反映的重复或测试提交",
] as const;

/** Shown in place of a small cell's answers to a county officer. */
export const WITHHELD_NOTE = `该学校此类调查对象不足${String(MIN_CELL_SIZE)}份问卷，为保护作答人，答案不向县（区）显示；如需处理请联系市级管理员。`;

export interface ReviewItemView {
  id: number;
  link: string;
  group: string;
  grade: number | null;
  submittedAt: number;
  minutes: number;
  flags: string[];
  /** Null when withheld (see `withheld`). */
  overall: string | null;
  /** The scored answers in questionnaire order, as scores (5 = 满意 … 1, "?" = 不了解); null when withheld. */
  scores: string | null;
  /** Why the answers are not shown (a small cell seen by a county officer), else null. */
  withheld: string | null;
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
  /** The county's questionnaires per flag, in the order of INTEGRITY_FLAGS (flags with none left out). */
  flagTotals: Array<{ flag: string; label: string; count: number }>;
  items: ReviewItemView[];
  more: boolean;
  kind: "flagged" | "invalid";
  reasons: readonly string[];
}

/** Questionnaires per school × group and per school × group × grade of a county (all submitted, valid or not). */
async function cellSizes(
  services: Pick<Services, "db" | "now">,
  campaign: Campaign,
  countyId: string,
): Promise<{ group: (schoolId: string | null, group: string) => number; grade: (schoolId: string | null, group: string, grade: number | null) => number }> {
  const counts = await campaignCounts(services, campaign, { countyIds: [countyId], withItems: false });
  const byGroup = new Map<string, number>();
  const byGrade = new Map<string, number>();
  for (const c of counts.cells) {
    const g = `${c.schoolId ?? ""}|${c.group}`;
    byGroup.set(g, (byGroup.get(g) ?? 0) + c.total);
    const gr = `${g}|${String(c.grade ?? 0)}`;
    byGrade.set(gr, (byGrade.get(gr) ?? 0) + c.total);
  }
  return {
    group: (schoolId, group) => byGroup.get(`${schoolId ?? ""}|${group}`) ?? 0,
    grade: (schoolId, group, grade) => byGrade.get(`${schoolId ?? ""}|${group}|${String(grade ?? 0)}`) ?? 0,
  };
}

/** Whether `principal` may see the answers of a questionnaire in a cell of `size` questionnaires. */
export function maySeeAnswers(principal: Principal, size: number): boolean {
  return principal.role === "city" || size >= MIN_CELL_SIZE;
}

export async function countyReview(
  services: Pick<Services, "db" | "now">,
  campaign: Campaign,
  county: County,
  q: { kind: "flagged" | "invalid"; link: string | null; beforeId: number | null },
  principal: Principal,
): Promise<ReviewView> {
  const schools = await listSchools(services.db, county.id);
  const names = new Map(schools.map((s) => [s.id, s.name]));
  const linkLabel = (schoolId: string | null, questionnaireId: string) =>
    `${schoolId ? (names.get(schoolId) ?? schoolId) : "县级链接"} · ${QUESTIONNAIRE_LABELS[QUESTIONNAIRE_IDS.find((x) => x === questionnaireId) ?? "social"]}`;
  const [byLink, totals] = await Promise.all([flaggedByLink(services.db, campaign.id, county.id), flagTotals(services.db, campaign.id, county.id)]);
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
  const [history, sizes] = await Promise.all([
    reviewHistory(
      services.db,
      shown.map((r) => r.id),
    ),
    cellSizes(services, campaign, county.id),
  ]);
  const groupLabel = (g: string) => RESPONDENT_GROUP_LABELS[RESPONDENT_GROUPS.find((x) => x === g) ?? "public"];
  return {
    links: byLink.map((l) => ({
      key: `${l.schoolId ?? ""}~${l.questionnaireId}`,
      label: linkLabel(l.schoolId, l.questionnaireId),
      flagged: l.flagged,
      invalid: l.invalid,
    })),
    flagTotals: INTEGRITY_FLAGS.filter((f) => (totals.get(f) ?? 0) > 0).map((f) => ({ flag: f, label: INTEGRITY_FLAG_LABELS[f], count: totals.get(f) ?? 0 })),
    items: shown.map((r) => {
      const visible = maySeeAnswers(principal, sizes.group(r.schoolId, r.group));
      return {
        id: r.id,
        link: linkLabel(r.schoolId, r.questionnaireId),
        group: groupLabel(r.group),
        grade: visible && maySeeAnswers(principal, sizes.grade(r.schoolId, r.group, r.grade)) ? r.grade : null,
        submittedAt: r.submittedAt,
        minutes: r.durationMs / 60_000,
        flags: r.flags.map(flagLabel),
        overall: !visible
          ? null
          : r.overallScore === null
            ? "不了解"
            : (["很不满意", "不满意", "基本满意", "比较满意", "满意"][r.overallScore - 1] ?? String(r.overallScore)),
        scores: visible ? scoresOf(r) : null,
        withheld: visible ? null : WITHHELD_NOTE,
        invalid: r.invalidatedAt === null ? null : { at: r.invalidatedAt, reason: r.invalidReason },
        history: history.filter((h) => h.responseId === r.id).map(({ responseId: _id, ...h }) => h),
      };
    }),
    more: rows.length > REVIEW_PAGE,
    kind: q.kind,
    reasons: INVALID_REASONS,
  };
}

export type ReviewOutcome = { ok: true; changed: number[]; skipped: number[]; withheld: number[] } | { ok: false; message: string };

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
  const withheld: number[] = [];
  const sizes = actor.role === "city" ? null : await cellSizes(services, campaign, county.id);
  for (const id of ids) {
    if (sizes) {
      // A county officer cannot move the published figures by one small-cell answer.
      const row = await getReviewRow(services.db, campaign.id, id);
      if (row && row.countyId === county.id && !maySeeAnswers(actor, sizes.group(row.schoolId, row.group))) {
        withheld.push(id);
        continue;
      }
    }
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
      // Who (account, user name and the request's address), when and why: a link of the audit
      // chain, committed with the change (decision 0023).
      afterChange: (trx, change) =>
        audit({ db: trx, now: services.now }, actor, invalid ? "response_invalidated" : "response_restored", {
          campaignId: campaign.id,
          countyId: change.countyId,
          subject: `问卷 #${String(id)}`,
          detail: { reason: why, schoolId: change.schoolId },
        }),
    });
    if (result.ok) changed.push(id);
    else skipped.push(id);
  }
  return { ok: true, changed, skipped, withheld };
}
