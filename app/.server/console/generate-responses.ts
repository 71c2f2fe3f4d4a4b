/**
 * Generated survey responses (演示数据 / benchmark data) for a campaign, written straight to the
 * database in batches, each row exactly as the submit path would store it: answers valid for
 * the campaign's questionnaire version, scored by the same `scoreAnswers`, with integrity flags,
 * comments and times. Deterministic for a seed, so the demo and the benchmark are repeatable.
 *
 * Two profiles:
 * - `demo`: the instructive 中卫市 picture — 沙坡头区 comfortably above 85%, 中宁县 just above it
 *   with a weak school, 海原县 below it and short of its sample plan; a few flagged responses to
 *   review and comments (including a script tag and a spreadsheet formula, which the console
 *   must show as text and neutralise in exports);
 * - `bulk`: the same generator at any size (the 1,000,000-response benchmark).
 *
 * Never used on the collection path: this module only writes rows for demonstration and
 * measurement, marked by their idempotency keys (`gen:<label>:<n>`).
 */
import type { Kysely } from "kysely";
import { getCampaign, getCampaignQuestionnaires, listCampaignCounties, listSchools, type School } from "../../../db/repositories/campaigns";
import type { Database, NewResponse } from "../../../db/schema";
import { DEFAULT_INTEGRITY_THRESHOLDS, integrityFlags, pupilsOf } from "../../domain/integrity";
import { QUESTIONNAIRE_SCORING } from "../../domain/questionnaire-scoring";
import { SCALE_CHOICES } from "../../domain/survey-scale";
import { GRADES_BY_SCHOOL_TYPE, type QuestionnaireId } from "../../domain/vocabulary";
import { scoreAnswers } from "../../survey/score";
import { questionnairesForSchool } from "../collect/links";

/** mulberry32: a small, fast, seedable PRNG (uniform in [0, 1)). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface GenerateOptions {
  campaignId: string;
  /** Responses to write in total (spread over the campaign's counties by `countyShare`). */
  count: number;
  seed: number;
  /** Submission times are spread over the `days` before `now`. */
  now: number;
  days?: number;
  profile: "demo" | "bulk";
  /** Label inside the idempotency keys (`gen:<label>:<n>`), so a run can be recognised. */
  label: string;
  /** Only these counties of the campaign (default: all). */
  countyIds?: readonly string[];
  batchSize?: number;
  onProgress?: (written: number) => void;
}

interface CountyProfile {
  /** Relative number of responses. */
  weight: number;
  /** Mean latent satisfaction of the county (0–1 scale, about the share answering 满意/比较满意). */
  satisfaction: number;
}

/** The demo's three counties: shares of responses and their level of satisfaction. */
const DEMO_COUNTIES: Record<string, CountyProfile> = {
  "640502": { weight: 0.41, satisfaction: 0.92 }, // 沙坡头区: above 85%, sample met
  "640521": { weight: 0.33, satisfaction: 0.875 }, // 中宁县: just above the line
  "640522": { weight: 0.26, satisfaction: 0.81 }, // 海原县: below it, and short of its sample
};

/** Schools the demo makes visibly weaker or stronger than their county. */
const DEMO_SCHOOL_SHIFT: Record<string, number> = { zn08: -0.16, hy05: -0.08, spt09: -0.05, spt02: 0.04 };

/** Items people are less (or more) satisfied with than their overall level. */
const ITEM_SHIFT: Record<string, number> = {
  homework: -0.16,
  gap: -0.1,
  exam_reform: -0.07,
  equity: -0.05,
  pe_arts_labour: -0.03,
  safety: 0.05,
  teachers: 0.04,
  moral: 0.03,
};

/** Respondents' share of 不了解 per item (policy items are less known to parents). */
const UNKNOWN_SHARE: Record<string, number> = { government: 0.12, equity: 0.1, exam_reform: 0.06 };

const COMMENTS = [
  "希望增加课后服务的活动种类，孩子放学后有地方去。",
  "学校食堂的饭菜可以再改善一下。",
  "作业量有时候偏多，孩子晚上十点才能写完。",
  "老师很负责，感谢学校的付出！",
  "乡村学校的音乐美术老师太少了，希望能多配备。",
  "校门口上下学时段交通拥堵，希望加强疏导。",
  "希望学校多组织一些体育活动和社团。",
  "教室的多媒体设备有些老旧，建议更新。",
  "对学校总体满意，希望继续保持。",
  "希望县城学校和乡镇学校的差距能进一步缩小。",
];

/** Comments a careless console would run or an exported sheet would evaluate: shown as text, neutralised. */
const HOSTILE_COMMENTS = [
  "<script>alert('x')</script>希望学校网站能及时公布通知",
  '=HYPERLINK("http://example.com","点击查看")',
  "-作业减负之后孩子的睡眠时间明显增加了",
  "+1 同意增加心理健康课",
  "@校长 希望开放日能多安排一次",
];

export interface GenerateResult {
  written: number;
  byCounty: Record<string, number>;
  firstId: number | null;
  lastId: number | null;
}

const pick = <T>(rand: () => number, list: readonly T[]): T => {
  const v = list[Math.floor(rand() * list.length)];
  if (v === undefined) throw new Error("empty list");
  return v;
};

function weightedPick<T>(rand: () => number, entries: readonly (readonly [T, number])[]): T {
  const total = entries.reduce((a, [, w]) => a + w, 0);
  let x = rand() * total;
  for (const [v, w] of entries) {
    x -= w;
    if (x < 0) return v;
  }
  const last = entries.at(-1);
  if (!last) throw new Error("empty list");
  return last[0];
}

/** An answer on the scale for a respondent of latent satisfaction `p` (0–1) on one item. */
function scaleAnswer(rand: () => number, p: number, item: string): string {
  if (rand() < (UNKNOWN_SHARE[item] ?? 0.03)) return "不了解";
  const q = Math.min(0.995, Math.max(0.02, p + (ITEM_SHIFT[item] ?? 0)));
  const x = rand();
  if (x < q * 0.62) return "满意";
  if (x < q) return "比较满意";
  if (x < q + (1 - q) * 0.6) return "基本满意";
  if (x < q + (1 - q) * 0.88) return "不满意";
  return "很不满意";
}

interface Target {
  countyId: string;
  school: School | null;
  questionnaire: QuestionnaireId;
  version: number;
}

/** Writes `options.count` generated responses; returns how many per county. */
export async function generateResponses(db: Kysely<Database>, options: GenerateOptions): Promise<GenerateResult> {
  const campaign = await getCampaign(db, options.campaignId);
  if (!campaign) throw new Error(`没有编号为 ${options.campaignId} 的调查活动`);
  const versions = await getCampaignQuestionnaires(db, campaign.id);
  const counties = (await listCampaignCounties(db, campaign.id)).filter((c) => !options.countyIds || options.countyIds.includes(c.id));
  if (counties.length === 0) throw new Error("调查活动没有这些县（区）");
  const offered = new Set(versions.keys());
  const rand = seededRandom(options.seed);
  const days = options.days ?? 20;
  const batchSize = options.batchSize ?? 400;

  const schoolsByCounty = new Map<string, School[]>();
  for (const c of counties) schoolsByCounty.set(c.id, await listSchools(db, c.id));
  const countyProfiles = counties.map((c, i) => {
    const demo = options.profile === "demo" ? DEMO_COUNTIES[c.id] : undefined;
    return [c.id, demo ?? { weight: 1, satisfaction: 0.84 + ((i * 0.037) % 0.08) }] as const;
  });

  const pickTarget = (countyId: string): Target & { group: string | null } => {
    const schools = schoolsByCounty.get(countyId) ?? [];
    // 52% parents, 16% students, 14% teachers, 3% principals, 15% county-level (人大代表, 政协委员, 其他群众).
    const kind = weightedPick(rand, [
      ["parent", 52],
      ["student", 16],
      ["teacher", 14],
      ["principal", 3],
      ["county", 15],
    ] as const);
    if (kind === "county" || schools.length === 0) {
      return { countyId, school: null, questionnaire: "social", version: versions.get("social") ?? 1, group: pick(rand, ["人大代表", "政协委员", "其他群众"]) };
    }
    const school = weightedPick(
      rand,
      schools.map((s) => [s, Math.max(20, s.students.primary + s.students.junior)] as const),
    );
    const available = questionnairesForSchool(school, offered);
    let questionnaire: QuestionnaireId = kind === "parent" ? "social" : kind === "student" ? "student" : "staff";
    if (!available.includes(questionnaire)) questionnaire = available.includes("social") ? "social" : (available[0] ?? "social");
    return {
      countyId,
      school,
      questionnaire,
      version: versions.get(questionnaire) ?? 1,
      group: kind === "principal" ? "校长" : kind === "teacher" ? "教师" : null,
    };
  };

  const result: GenerateResult = { written: 0, byCounty: {}, firstId: null, lastId: null };
  const span = days * 86_400_000;
  let n = 0;
  while (n < options.count) {
    const rows: NewResponse[] = [];
    const itemLists: Array<Array<{ item: string; score: number | null }>> = [];
    const size = Math.min(batchSize, options.count - n);
    for (let k = 0; k < size; k++, n++) {
      const countyId = weightedPick(
        rand,
        countyProfiles.map(([id, p]) => [id, p.weight] as const),
      );
      const profile = countyProfiles.find(([id]) => id === countyId)?.[1] ?? { weight: 1, satisfaction: 0.85 };
      const target = pickTarget(countyId);
      const scoring = QUESTIONNAIRE_SCORING[target.questionnaire];
      const shift = target.school && options.profile === "demo" ? (DEMO_SCHOOL_SHIFT[target.school.id] ?? 0) : 0;
      const latent = Math.min(0.99, Math.max(0.05, profile.satisfaction + shift + (rand() - 0.5) * 0.3));
      const answers: Record<string, string | number> = {};
      const grades = target.school ? GRADES_BY_SCHOOL_TYPE[target.school.type] : { min: 1, max: 9 };
      if (target.questionnaire === "social") {
        if (target.school) answers.grade = grades.min + Math.floor(rand() * (grades.max - grades.min + 1));
        else answers.group = target.group ?? "其他群众";
      } else if (target.questionnaire === "staff") {
        answers.role = target.group ?? "教师";
      } else {
        const min = Math.max(scoring.minGrade, grades.min);
        answers.grade = min + Math.floor(rand() * (grades.max - min + 1));
      }
      const straight = rand() < 0.015;
      const straightChoice = pick(rand, SCALE_CHOICES.slice(0, 2));
      for (const { name } of scoring.scoredItems) {
        if (name === scoring.overallItem) continue;
        answers[name] = straight ? straightChoice : scaleAnswer(rand, latent, name);
      }
      // The overall judgement follows the items, with some noise.
      answers[scoring.overallItem] = straight ? straightChoice : scaleAnswer(rand, latent + 0.03, scoring.overallItem);
      const withComment = rand() < (options.profile === "demo" ? 0.14 : 0.05);
      if (withComment && scoring.commentItem) answers[scoring.commentItem] = pick(rand, rand() < 0.08 ? HOSTILE_COMMENTS : COMMENTS);
      const scored = scoreAnswers(scoring, answers);
      const submittedAt = Math.round(options.now - rand() * span);
      const tooFast = rand() < 0.025;
      const durationMs = tooFast ? 12_000 + Math.round(rand() * 10_000) : 90_000 + Math.round(rand() * 360_000);
      // The submit path's own rule (no burst: generated rows have no arrival pattern to judge).
      const flags = integrityFlags(
        {
          questionnaire: target.questionnaire,
          pupils: target.school ? pupilsOf(target.school.students) : null,
          durationMs,
          answeredItems: Object.keys(answers).length,
          scaleAnswers: scoring.scoredItems.flatMap(({ name }) => (answers[name] === undefined ? [] : [answers[name]])),
          honeypot: undefined,
          recent: null,
        },
        DEFAULT_INTEGRITY_THRESHOLDS,
      );
      const key = `gen:${options.label}:${String(n)}`;
      rows.push({
        campaign_id: campaign.id,
        county_id: countyId,
        school_id: target.school?.id ?? null,
        questionnaire_id: target.questionnaire,
        questionnaire_version: target.version,
        respondent_group: scored.group,
        grade: scored.grade,
        location: target.school?.location ?? null,
        answers: JSON.stringify(answers),
        overall_score: scored.overallScore,
        score_sum: scored.scoreSum,
        score_count: scored.scoreCount,
        comment: scored.comment,
        started_at: submittedAt - durationMs,
        submitted_at: submittedAt,
        duration_ms: durationMs,
        device_hash: `gen${String(options.seed)}x${String(n).padStart(9, "0")}`,
        respondent_key: key,
        idempotency_key: key,
        supervision_code_id: null,
        flags: JSON.stringify(flags),
      });
      itemLists.push(scored.items);
      result.byCounty[countyId] = (result.byCounty[countyId] ?? 0) + 1;
    }
    // In submission-time order within a batch, as collection would store them.
    const order = rows.map((r, i) => i).sort((a, b) => (rows[a]?.submitted_at ?? 0) - (rows[b]?.submitted_at ?? 0));
    await db.transaction().execute(async (trx) => {
      const inserted = await trx
        .insertInto("responses")
        .values(order.map((i) => rows[i] as NewResponse))
        .returning("id")
        .execute();
      const items = inserted.flatMap((row, j) => {
        const list = itemLists[order[j] ?? 0] ?? [];
        return list.map((it) => ({ response_id: Number(row.id), item: it.item, score: it.score }));
      });
      for (let i = 0; i < items.length; i += 5000) {
        await trx
          .insertInto("response_items")
          .values(items.slice(i, i + 5000))
          .execute();
      }
      const ids = inserted.map((r) => Number(r.id));
      if (ids.length > 0) {
        result.firstId = Math.min(result.firstId ?? Number.POSITIVE_INFINITY, ...ids);
        result.lastId = Math.max(result.lastId ?? 0, ...ids);
      }
    });
    result.written = n;
    options.onProgress?.(n);
  }
  return result;
}

/** Whether a campaign already holds generated responses with this label. */
export async function hasGenerated(db: Kysely<Database>, campaignId: string, label: string): Promise<boolean> {
  const row = await db
    .selectFrom("responses")
    .select("id")
    .where("idempotency_key", "=", `gen:${label}:0`)
    .where("campaign_id", "=", campaignId)
    .executeTakeFirst();
  return row !== undefined;
}
