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
 * Pure: the caller supplies the counts and times; thresholds are typed configuration.
 */
import type { QuestionnaireId } from "./vocabulary";

export const INTEGRITY_FLAGS = ["too_fast", "straight_lining", "burst", "honeypot"] as const;
export type IntegrityFlag = (typeof INTEGRITY_FLAGS)[number];

export const INTEGRITY_FLAG_LABELS: Record<IntegrityFlag, string> = {
  too_fast: "作答过快",
  straight_lining: "所有题目选择同一选项",
  burst: "短时间内集中提交",
  honeypot: "隐藏字段被填写（疑似程序提交）",
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
}

export const DEFAULT_INTEGRITY_THRESHOLDS: IntegrityThresholds = {
  minSecondsPerItem: 2,
  straightLiningMinItems: 8,
  burstWindowMs: 10 * 60_000,
  burstMinimum: 100,
  burstPerRespondent: 1,
  respondentsPerPupil: { social: 1, student: 1, staff: 0.1 },
  countyLinkPopulation: 500,
};

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
  return flags;
}
