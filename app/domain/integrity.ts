/**
 * Integrity signals (数据质量标记) of one response, computed on the server when it is stored and
 * kept with it (responses.flags) for the bureau to review. A flag never deletes or hides an
 * answer: honest respondents can trip any of them (a parent who is satisfied with everything
 * straight-lines), so they are evidence to weigh together, not verdicts.
 *
 * - too_fast (作答过快): answering time per answered question below a floor;
 * - straight_lining (所有题目同一选项): every satisfaction item given the same option;
 * - burst (短时集中提交): more submissions on one link, or from one address, within a short
 *   window than the school's enrolment makes plausible (a whole school's parents answering
 *   after a parents' meeting is plausible, and is not a burst);
 * - honeypot (隐藏字段被填写): the field people never see was filled in (a form-filling robot).
 *
 * Against ballot stuffing by minting device cookies and harvesting start tokens (decision 0012).
 * Each is judged on counts and timing across the devices of one address — the address is only
 * the grouping key, never a verdict by itself: 300 parents behind one NAT who arrive at their
 * own moments and answer their own way trip none of them.
 * - start_stale (开始凭证已过期): the signed start token is older than its lifetime and was not
 *   renewed by a page load (harvested in advance, or a page left open for hours);
 * - start_foreign (开始凭证不属于本设备): the start token was minted for another device cookie,
 *   or for none (harvested on one device, or a parent whose cookie WeChat dropped);
 * - device_burst (新设备集中出现): the device was minted while new devices appeared from one
 *   address faster than people arrive, or beyond the school's enrolment on its link or address;
 * - similar_timing (作答时间雷同): more devices of one address than chance allows opened the
 *   page in the same few seconds AND took the same time to answer (how many submit at once is
 *   never judged alone: a hall of parents told "please submit now" does);
 * - similar_answers (答案雷同): the same answer vector (not straight-lined) from one address more
 *   often than its share of that address's submissions makes plausible.
 * - repeat_answers (疑似重复提交): the same answers, with the same original start time, on the
 *   same link, from another submission already seen within the window. The phone page keeps its
 *   draft in the page's address (decision 0018), so a grandparent whose WeChat dropped cookies and
 *   storage after submitting gets the answers back on reload, and may submit them again from what
 *   is now a new device: never refused (the first may not have arrived), never silently counted
 *   twice — flagged for review, and the review page says how many.
 *
 * Pure: the caller supplies the counts and times; thresholds are typed configuration.
 */
import { z } from "zod";
import type { QuestionnaireId } from "./vocabulary";

export const INTEGRITY_FLAGS = [
  "too_fast",
  "straight_lining",
  "burst",
  "honeypot",
  "start_stale",
  "start_foreign",
  "device_burst",
  "similar_timing",
  "similar_answers",
  "repeat_answers",
  "several_children",
] as const;
export type IntegrityFlag = (typeof INTEGRITY_FLAGS)[number];

export const INTEGRITY_FLAG_LABELS: Record<IntegrityFlag, string> = {
  too_fast: "作答过快",
  straight_lining: "所有题目选择同一选项",
  burst: "短时间内集中提交",
  honeypot: "隐藏字段被填写（疑似程序提交）",
  start_stale: "打开问卷后超过有效期才提交（开始凭证已过期）",
  start_foreign: "开始凭证不属于本设备（可能清除了浏览器数据或更换了设备）",
  device_burst: "同一网络或同一链接短时间内出现大量新设备",
  similar_timing: "同一网络多台设备作答时间雷同",
  similar_answers: "同一网络多台设备答案完全相同",
  repeat_answers: "同一链接出现开始时间和答案都相同的问卷（疑似清除缓存后重复提交）",
  several_children: "同一手机为同一学校的多个孩子填写（本份为第2个及以后的孩子）",
};

export interface IntegrityThresholds {
  /**
   * too_fast: seconds per answered question below which a response is flagged. 2 s is about
   * the time to read one of these satisfaction questions (20-odd characters) and tap an option;
   * below it the questions cannot have been read.
   */
  minSecondsPerItem: number;
  /** straight_lining: fewest satisfaction items answered before identical answers count. */
  straightLiningMinItems: number;
  /** burst: the window over which submissions are counted, in ms. */
  burstWindowMs: number;
  /** burst: never flagged at or below this many submissions in a window, however small the school. */
  burstMinimum: number;
  /**
   * burst: plausible submissions in one window per member of the respondent population. 1 means
   * the whole population may answer within one window (a parents' meeting); above it is a burst.
   */
  burstPerRespondent: number;
  /** Respondents per pupil, by questionnaire: parents ≈ pupils, pupils, staff ≈ a tenth. */
  respondentsPerPupil: Readonly<Record<QuestionnaireId, number>>;
  /** Respondent population of a county-level link, which has no school and no enrolment. */
  countyLinkPopulation: number;
  /**
   * start_stale: how long a start token stays fresh, in ms (4 h). A parent answers in minutes;
   * one who leaves and comes back reloads the page, which renews the token while keeping the
   * original start. Past it the token is a harvested one or a page left open for hours: stored,
   * flagged, never refused.
   */
  startTokenLifetimeMs: number;
  /** The short window of the arrival-rate bounds, in ms (1 min). */
  rateWindowMs: number;
  /**
   * device_burst: new devices (a page view that issues a device cookie) from one address per
   * rate window above which the device is marked (150/min: a hall of parents scanning the QR
   * code when told to arrives over minutes; 300 in two minutes is already a rush).
   */
  newDevicesPerRateWindow: number;
  /**
   * Slow-down: new devices on a link within one burst window beyond deviceSlowdownFactor × the
   * plausible count (plausibleInWindow) get no device cookie but a 429 and Retry-After (2: twice
   * the school's whole respondent population in ten minutes).
   */
  deviceSlowdownFactor: number;
  /** similar_timing: the width of the start-time and answering-time cells, in ms (10 s). */
  similarTimingBucketMs: number;
  /**
   * similar_timing: devices of one address in one cell (opened in the same 10 s AND answered in
   * the same 10 s of time) above which they are flagged (12). Parents arriving one a second
   * and answering for minutes fill a cell with a few at most.
   */
  similarTimingMaximum: number;
  /** similar_answers: never flagged at or below this many identical answer vectors (8). */
  similarAnswersMinimum: number;
  /**
   * similar_answers: the largest plausible share of one answer vector (not straight-lined) among
   * one address's submissions in a burst window (0.1).
   */
  similarAnswersShare: number;
  /**
   * repeat_answers: how long a (link, original start time, answers) triple is remembered, in ms
   * (4 h, the start token's lifetime: a restored draft keeps its start time, and a parent who
   * submits again does so within it).
   */
  repeatWindowMs: number;
}

export const DEFAULT_INTEGRITY_THRESHOLDS: IntegrityThresholds = {
  minSecondsPerItem: 2,
  straightLiningMinItems: 8,
  burstWindowMs: 10 * 60_000,
  burstMinimum: 100,
  burstPerRespondent: 1,
  respondentsPerPupil: { social: 1, student: 1, staff: 0.1 },
  countyLinkPopulation: 500,
  startTokenLifetimeMs: 4 * 3_600_000,
  rateWindowMs: 60_000,
  newDevicesPerRateWindow: 150,
  deviceSlowdownFactor: 2,
  similarTimingBucketMs: 10_000,
  similarTimingMaximum: 12,
  similarAnswersMinimum: 8,
  similarAnswersShare: 0.1,
  repeatWindowMs: 4 * 3_600_000,
};

/**
 * INTEGRITY_THRESHOLDS: JSON overrides of the defaults, each field optional, e.g.
 * `{"minSecondsPerItem":1.5,"burstMinimum":150}`. Unknown fields fail the boot.
 */
export const IntegrityThresholdsSchema = z
  .object({
    minSecondsPerItem: z.number().min(0).max(60),
    straightLiningMinItems: z.number().int().min(2).max(100),
    burstWindowMs: z
      .number()
      .int()
      .min(60_000)
      .max(24 * 3_600_000),
    burstMinimum: z.number().int().min(1),
    burstPerRespondent: z.number().positive().max(100),
    respondentsPerPupil: z
      .object({ social: z.number().min(0), student: z.number().min(0), staff: z.number().min(0) })
      .partial()
      .strict(),
    countyLinkPopulation: z.number().int().min(1),
    startTokenLifetimeMs: z
      .number()
      .int()
      .min(60_000)
      .max(60 * 24 * 3_600_000),
    rateWindowMs: z.number().int().min(10_000).max(3_600_000),
    newDevicesPerRateWindow: z.number().int().min(1),
    deviceSlowdownFactor: z.number().min(1).max(100),
    similarTimingBucketMs: z.number().int().min(1_000).max(600_000),
    similarTimingMaximum: z.number().int().min(1),
    similarAnswersMinimum: z.number().int().min(1),
    similarAnswersShare: z.number().positive().max(1),
    repeatWindowMs: z
      .number()
      .int()
      .min(60_000)
      .max(60 * 24 * 3_600_000),
  })
  .partial()
  .strict()
  .transform((o): IntegrityThresholds => {
    const d = DEFAULT_INTEGRITY_THRESHOLDS;
    return {
      minSecondsPerItem: o.minSecondsPerItem ?? d.minSecondsPerItem,
      straightLiningMinItems: o.straightLiningMinItems ?? d.straightLiningMinItems,
      burstWindowMs: o.burstWindowMs ?? d.burstWindowMs,
      burstMinimum: o.burstMinimum ?? d.burstMinimum,
      burstPerRespondent: o.burstPerRespondent ?? d.burstPerRespondent,
      respondentsPerPupil: {
        social: o.respondentsPerPupil?.social ?? d.respondentsPerPupil.social,
        student: o.respondentsPerPupil?.student ?? d.respondentsPerPupil.student,
        staff: o.respondentsPerPupil?.staff ?? d.respondentsPerPupil.staff,
      },
      countyLinkPopulation: o.countyLinkPopulation ?? d.countyLinkPopulation,
      startTokenLifetimeMs: o.startTokenLifetimeMs ?? d.startTokenLifetimeMs,
      rateWindowMs: o.rateWindowMs ?? d.rateWindowMs,
      newDevicesPerRateWindow: o.newDevicesPerRateWindow ?? d.newDevicesPerRateWindow,
      deviceSlowdownFactor: o.deviceSlowdownFactor ?? d.deviceSlowdownFactor,
      similarTimingBucketMs: o.similarTimingBucketMs ?? d.similarTimingBucketMs,
      similarTimingMaximum: o.similarTimingMaximum ?? d.similarTimingMaximum,
      similarAnswersMinimum: o.similarAnswersMinimum ?? d.similarAnswersMinimum,
      similarAnswersShare: o.similarAnswersShare ?? d.similarAnswersShare,
      repeatWindowMs: o.repeatWindowMs ?? d.repeatWindowMs,
    };
  });

/**
 * Whether a response was answered too fast to have been read.
 * Formula: (durationMs / 1000) / answeredItems < minSecondsPerItem.
 * No answered item (nothing to read) or a negative duration (clock skew) → false.
 */
export function isTooFast(durationMs: number, answeredItems: number, t: IntegrityThresholds): boolean {
  if (answeredItems <= 0 || durationMs < 0) return false;
  return durationMs / 1000 / answeredItems < t.minSecondsPerItem;
}

/**
 * Whether every satisfaction item got the same option (including all 不了解). Fewer items than
 * `straightLiningMinItems` → false: a short answer set says too little.
 */
export function isStraightLined(scaleAnswers: readonly (string | number)[], t: IntegrityThresholds): boolean {
  if (scaleAnswers.length < t.straightLiningMinItems) return false;
  const first = scaleAnswers[0];
  return scaleAnswers.every((a) => a === first);
}

/** Pupils of a school across 小学, 初中 and 高中. */
export function pupilsOf(students: { primary: number; junior: number; senior: number }): number {
  return students.primary + students.junior + students.senior;
}

/**
 * The people who may answer a link: pupils × respondentsPerPupil[questionnaire], rounded up;
 * a county-level link (pupils null) → countyLinkPopulation.
 */
export function respondentPopulation(questionnaire: QuestionnaireId, pupils: number | null, t: IntegrityThresholds): number {
  if (pupils === null) return t.countyLinkPopulation;
  return Math.ceil(Math.max(0, pupils) * t.respondentsPerPupil[questionnaire]);
}

/**
 * Most submissions plausible within one burst window: max(burstMinimum, ⌈population × burstPerRespondent⌉).
 */
export function plausibleInWindow(population: number, t: IntegrityThresholds): number {
  return Math.max(t.burstMinimum, Math.ceil(population * t.burstPerRespondent));
}

export interface RecentSubmissions {
  /** Submissions on this link in the last burst window, this one included. */
  onLink: number;
  /** Submissions from this client address (any link) in the last burst window, this one included. */
  fromAddress: number;
}

/** Whether either count exceeds what the population makes plausible in one window. */
export function isBurst(recent: RecentSubmissions, population: number, t: IntegrityThresholds): boolean {
  const plausible = plausibleInWindow(population, t);
  return recent.onLink > plausible || recent.fromAddress > plausible;
}

export interface NewDeviceCounts {
  /** Devices minted on this link in the last burst window, this one included. */
  onLink: number;
  /** Devices minted from this address (any link) in the last burst window, this one included. */
  fromAddress: number;
  /** Devices minted from this address in the last rate window, this one included. */
  fromAddressRecent: number;
}

export interface NewDeviceVerdict {
  /** The device's start token carries the device_burst mark. */
  mark: boolean;
  /** No device is issued: the page answers 429 with Retry-After. */
  slowDown: boolean;
}

/**
 * A page view about to mint a device cookie. Mark: fromAddressRecent > newDevicesPerRateWindow,
 * or onLink or fromAddress > plausibleInWindow(population). Slow down: onLink >
 * ⌈deviceSlowdownFactor × plausibleInWindow(population)⌉ — on the link only, whose bound is its
 * own school's: a carrier NAT address carries parents of many schools at once, so the address
 * count only ever flags.
 */
export function judgeNewDevice(counts: NewDeviceCounts, population: number, t: IntegrityThresholds): NewDeviceVerdict {
  const plausible = plausibleInWindow(population, t);
  const slowBound = Math.ceil(t.deviceSlowdownFactor * plausible);
  return {
    mark: counts.fromAddressRecent > t.newDevicesPerRateWindow || counts.onLink > plausible || counts.fromAddress > plausible,
    slowDown: counts.onLink > slowBound,
  };
}

/**
 * The similar_answers key of an answer set: the satisfaction answers in order, or null when
 * there are fewer than straightLiningMinItems or they are straight-lined (identical answers of
 * that kind are already flagged, and common among honest respondents).
 */
export function answerVectorKey(scaleAnswers: readonly (string | number)[], t: IntegrityThresholds): string | null {
  if (scaleAnswers.length < t.straightLiningMinItems || isStraightLined(scaleAnswers, t)) return null;
  return scaleAnswers.map(String).join("|");
}

/**
 * The similar_timing cell of a submission: ⌊startedAt / bucket⌋ and ⌊durationMs / bucket⌋.
 * Two devices share it when they opened the page within the same bucket and took the same
 * bucket of time to answer.
 */
export function timingCell(startedAt: number, durationMs: number, t: IntegrityThresholds): string {
  const b = t.similarTimingBucketMs;
  return `${Math.floor(startedAt / b)}:${Math.floor(Math.max(0, durationMs) / b)}`;
}

export interface SimilarityCounts {
  /** Submissions from this address in the same timing cell (burst window), this one included. */
  sameTiming: number;
  /** Submissions from this address with the same answer vector (burst window); null when not keyed. */
  sameAnswers: number | null;
}

/** similar_timing: sameTiming > similarTimingMaximum. */
export function isSimilarTiming(c: SimilarityCounts, t: IntegrityThresholds): boolean {
  return c.sameTiming > t.similarTimingMaximum;
}

/**
 * similar_answers: sameAnswers > max(similarAnswersMinimum, ⌈similarAnswersShare × fromAddress⌉),
 * fromAddress being the address's submissions in the burst window (this one included).
 */
export function isSimilarAnswers(c: SimilarityCounts, fromAddress: number, t: IntegrityThresholds): boolean {
  if (c.sameAnswers === null) return false;
  return c.sameAnswers > Math.max(t.similarAnswersMinimum, Math.ceil(t.similarAnswersShare * fromAddress));
}

/** What verifying the signed start token found (app/.server/collect/started-token.ts). */
export interface StartFacts {
  stale: boolean;
  foreign: boolean;
  /** The page marked the device as minted in a burst. */
  deviceBurst: boolean;
}

export interface IntegrityInput {
  questionnaire: QuestionnaireId;
  /** The school's pupils; null for a county-level link. */
  pupils: number | null;
  /** From the signed start time to the submission, in ms. */
  durationMs: number;
  /** Questions with an answer (the comment counts as one). */
  answeredItems: number;
  /** The answers to the satisfaction items, in questionnaire order. */
  scaleAnswers: readonly (string | number)[];
  /** The honeypot field as submitted. */
  honeypot: string | undefined;
  /** Recent submission counts; null when they are unknown (no burst flag then). */
  recent: RecentSubmissions | null;
  /** The start token's findings; absent for generated rows (no start_* or device_burst flag). */
  start?: StartFacts;
  /** Counts across devices of one address; absent or null when unknown (no similar_* flag). */
  similarity?: SimilarityCounts | null;
  /**
   * Submissions on this link with the same original start time and the same answers within
   * repeatWindowMs, this one included; absent or null when unknown (no repeat_answers flag).
   */
  sameOnLink?: number | null;
  /** The child ordinal (1 = the device's first response on this link); absent → 1. */
  childOrdinal?: number;
}

/** The key of repeat_answers: the original start time and every answer, in a fixed order. */
export function repeatKey(startedAt: number, answers: Readonly<Record<string, unknown>>): string {
  const names = Object.keys(answers).sort();
  return `${Math.floor(startedAt)}\n${JSON.stringify(names.map((n) => [n, answers[n]]))}`;
}

/** The flags of one response, in the order of INTEGRITY_FLAGS. */
export function integrityFlags(input: IntegrityInput, t: IntegrityThresholds): IntegrityFlag[] {
  const flags: IntegrityFlag[] = [];
  if (isTooFast(input.durationMs, input.answeredItems, t)) flags.push("too_fast");
  if (isStraightLined(input.scaleAnswers, t)) flags.push("straight_lining");
  if (input.recent && isBurst(input.recent, respondentPopulation(input.questionnaire, input.pupils, t), t)) {
    flags.push("burst");
  }
  if (input.honeypot !== undefined && input.honeypot.trim() !== "") flags.push("honeypot");
  if (input.start?.stale) flags.push("start_stale");
  if (input.start?.foreign) flags.push("start_foreign");
  if (input.start?.deviceBurst) flags.push("device_burst");
  if (input.similarity && isSimilarTiming(input.similarity, t)) flags.push("similar_timing");
  if (input.similarity && input.recent && isSimilarAnswers(input.similarity, input.recent.fromAddress, t)) flags.push("similar_answers");
  if (input.sameOnLink != null && input.sameOnLink > 1) flags.push("repeat_answers");
  if (input.childOrdinal !== undefined && input.childOrdinal >= 2) flags.push("several_children");
  return flags;
}
