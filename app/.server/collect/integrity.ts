/**
 * The server's half of the integrity flags (app/domain/integrity.ts): the counts behind the
 * burst, new-device and similarity signals (the INTEGRITY_THRESHOLDS setting's schema is in the
 * domain module, beside the defaults it fills in).
 *
 * The counts are sliding-window counters kept by the rate limiter (with a limit that is never
 * reached), so they are shared by every process when the limiter is Redis or Upstash, expire on
 * their own, and hold only hashes of the link, the address and the cell. Namespaces:
 * - submissions (counted once validated, just before being stored): `integrityLink`,
 *   `integrityAddress` (burst window), `integrityTiming` (address × start cell × answering-time
 *   cell), `integrityAnswers` (address × answer vector) and `integrityRepeat` (link × original
 *   start time × every answer, over repeatWindowMs);
 * - new devices (counted when a page view is about to issue a device cookie, decision 0012):
 *   `devicesLink`, `devicesAddress` (burst window) and `devicesAddressRate` (rate window).
 */
import {
  answerVectorKey,
  integrityFlags,
  judgeNewDevice,
  pupilsOf,
  repeatKey,
  respondentPopulation,
  timingCell,
  type IntegrityFlag,
  type IntegrityThresholds,
  type NewDeviceCounts,
  type NewDeviceVerdict,
  type RecentSubmissions,
  type SimilarityCounts,
  type StartFacts,
} from "../../domain/integrity";
import { QUESTIONNAIRE_SCORING } from "../../domain/questionnaire-scoring";
import type { Answers } from "../../survey/validate";
import type { LinkContext } from "./link-context";
import { opaque } from "../rate-limit/policy";
import type { RateLimiter, RateLimitRule } from "../rate-limit/types";

/** A limit no counter reaches: the counters count, they never refuse. */
const NEVER_REACHED = 1_000_000_000;

async function countRecent(limiter: RateLimiter, namespace: string, rule: RateLimitRule, identifier: string): Promise<number> {
  const result = await limiter.limit(namespace, rule, opaque(identifier));
  return result.limit - result.remaining;
}

function counterRule(windowMs: number): RateLimitRule {
  return { limit: NEVER_REACHED, windowMs, algorithm: "slidingWindow" };
}

/** The link's respondent population (the bound of the enrolment-sized checks). */
function populationOf(link: LinkContext, t: IntegrityThresholds): number {
  return respondentPopulation(link.survey.compiled.id, link.school ? pupilsOf(link.school.students) : null, t);
}

/**
 * Counts a device about to be minted by a page view (on its link and from its address) and
 * judges it: whether its start token carries the device_burst mark, and whether the page should
 * slow down instead of issuing it. Call only when a device cookie is about to be issued.
 */
export async function countNewDevice(
  limiter: RateLimiter,
  link: LinkContext,
  clientAddress: string,
  t: IntegrityThresholds,
): Promise<NewDeviceVerdict & { counts: NewDeviceCounts; retryAfterMs: number }> {
  const [onLink, fromAddress, fromAddressRecent] = await Promise.all([
    countRecent(limiter, "devicesLink", counterRule(t.burstWindowMs), link.scopeKey),
    countRecent(limiter, "devicesAddress", counterRule(t.burstWindowMs), clientAddress),
    countRecent(limiter, "devicesAddressRate", counterRule(t.rateWindowMs), clientAddress),
  ]);
  const counts = { onLink, fromAddress, fromAddressRecent };
  // A slowed-down page is retried after a tenth of the window: the sliding count falls by then.
  return { ...judgeNewDevice(counts, populationOf(link, t), t), counts, retryAfterMs: Math.ceil(t.burstWindowMs / 10) };
}

/** Counts this submission and returns the counts on its link and from its address. */
export async function countSubmission(limiter: RateLimiter, linkScopeKey: string, clientAddress: string, t: IntegrityThresholds): Promise<RecentSubmissions> {
  const rule: RateLimitRule = { limit: NEVER_REACHED, windowMs: t.burstWindowMs, algorithm: "slidingWindow" };
  const [onLink, fromAddress] = await Promise.all([
    countRecent(limiter, "integrityLink", rule, linkScopeKey),
    countRecent(limiter, "integrityAddress", rule, clientAddress),
  ]);
  return { onLink, fromAddress };
}

/** The counts across devices of one address behind similar_timing and similar_answers. */
export async function countSimilarity(
  limiter: RateLimiter,
  clientAddress: string,
  facts: { startedAt: number; submittedAt: number; scaleAnswers: readonly (string | number)[] },
  t: IntegrityThresholds,
): Promise<SimilarityCounts> {
  const vector = answerVectorKey(facts.scaleAnswers, t);
  const cell = timingCell(facts.startedAt, facts.submittedAt - facts.startedAt, t);
  const [sameTiming, sameAnswers] = await Promise.all([
    countRecent(limiter, "integrityTiming", counterRule(t.burstWindowMs), `${clientAddress}\n${cell}`),
    vector === null ? Promise.resolve(null) : countRecent(limiter, "integrityAnswers", counterRule(t.burstWindowMs), `${clientAddress}\n${vector}`),
  ]);
  return { sameTiming, sameAnswers };
}

export interface SubmissionFacts {
  link: LinkContext;
  clientAddress: string;
  /** The validated answers. */
  answers: Answers;
  /** The honeypot field as submitted. */
  honeypot: string | undefined;
  startedAt: number;
  submittedAt: number;
  /** What verifying the start token found. */
  start: StartFacts;
  /** The child ordinal on this link (decision 0027); 1 for everyone but a parent's later children. */
  childOrdinal: number;
}

/** The integrity flags of a validated submission about to be stored. */
export async function flagSubmission(limiter: RateLimiter, thresholds: IntegrityThresholds, facts: SubmissionFacts): Promise<IntegrityFlag[]> {
  const { link, answers } = facts;
  const questionnaire = link.survey.compiled.id;
  const scaleAnswers: Array<string | number> = [];
  for (const { name } of QUESTIONNAIRE_SCORING[questionnaire].scoredItems) {
    const value = answers[name];
    if (value !== undefined) scaleAnswers.push(value);
  }
  const [recent, similarity, sameOnLink] = await Promise.all([
    countSubmission(limiter, link.scopeKey, facts.clientAddress, thresholds),
    countSimilarity(limiter, facts.clientAddress, { startedAt: facts.startedAt, submittedAt: facts.submittedAt, scaleAnswers }, thresholds),
    countRecent(limiter, "integrityRepeat", counterRule(thresholds.repeatWindowMs), `${link.scopeKey}\n${repeatKey(facts.startedAt, answers)}`),
  ]);
  return integrityFlags(
    {
      questionnaire,
      pupils: link.school ? pupilsOf(link.school.students) : null,
      durationMs: facts.submittedAt - facts.startedAt,
      answeredItems: Object.keys(answers).length,
      scaleAnswers,
      honeypot: facts.honeypot,
      recent,
      start: facts.start,
      similarity,
      sameOnLink,
      childOrdinal: facts.childOrdinal,
    },
    thresholds,
  );
}
