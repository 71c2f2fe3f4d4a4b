/**
 * The server's half of the integrity flags (app/domain/integrity.ts): the recent-submission
 * counts behind the burst signal, and the INTEGRITY_THRESHOLDS setting.
 *
 * The counts are sliding-window counters kept by the rate limiter (namespaces
 * `integrityLink` and `integrityAddress`, with a limit that is never reached), so they are
 * shared by every process when the limiter is Redis or Upstash, expire on their own, and hold
 * only hashes of the link and address. A submission is counted once it has passed validation,
 * just before it is stored.
 */
import { z } from "zod";
import {
  DEFAULT_INTEGRITY_THRESHOLDS,
  integrityFlags,
  pupilsOf,
  type IntegrityFlag,
  type IntegrityThresholds,
  type RecentSubmissions,
} from "../domain/integrity";
import { QUESTIONNAIRE_SCORING } from "../domain/questionnaire-scoring";
import type { Answers } from "../survey/validate";
import type { LinkContext } from "./link-context";
import { opaque } from "./rate-limit/policy";
import type { RateLimiter, RateLimitRule } from "./rate-limit/types";

/** A limit no counter reaches: the counters count, they never refuse. */
const NEVER_REACHED = 1_000_000_000;

/**
 * INTEGRITY_THRESHOLDS: JSON overrides of the defaults, each field optional, e.g.
 * `{"minSecondsPerItem":1.5,"burstMinimum":150}`. Unknown fields fail the boot.
 */
export const IntegrityThresholdsSchema = z
  .object({
    minSecondsPerItem: z.number().min(0).max(60),
    straightLiningMinItems: z.number().int().min(2).max(100),
    burstWindowMs: z.number().int().min(60_000).max(24 * 3_600_000),
    burstMinimum: z.number().int().min(1),
    burstPerRespondent: z.number().positive().max(100),
    respondentsPerPupil: z
      .object({ social: z.number().min(0), student: z.number().min(0), staff: z.number().min(0) })
      .partial()
      .strict(),
    countyLinkPopulation: z.number().int().min(1),
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
    };
  });

async function countRecent(limiter: RateLimiter, namespace: string, rule: RateLimitRule, identifier: string): Promise<number> {
  const result = await limiter.limit(namespace, rule, opaque(identifier));
  return result.limit - result.remaining;
}

/** Counts this submission and returns the counts on its link and from its address. */
export async function countSubmission(
  limiter: RateLimiter,
  linkScopeKey: string,
  clientAddress: string,
  t: IntegrityThresholds,
): Promise<RecentSubmissions> {
  const rule: RateLimitRule = { limit: NEVER_REACHED, windowMs: t.burstWindowMs, algorithm: "slidingWindow" };
  const [onLink, fromAddress] = await Promise.all([
    countRecent(limiter, "integrityLink", rule, linkScopeKey),
    countRecent(limiter, "integrityAddress", rule, clientAddress),
  ]);
  return { onLink, fromAddress };
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
}

/** The integrity flags of a validated submission about to be stored. */
export async function flagSubmission(
  limiter: RateLimiter,
  thresholds: IntegrityThresholds,
  facts: SubmissionFacts,
): Promise<IntegrityFlag[]> {
  const { link, answers } = facts;
  const questionnaire = link.survey.compiled.id;
  const scaleAnswers: Array<string | number> = [];
  for (const { name } of QUESTIONNAIRE_SCORING[questionnaire].scoredItems) {
    const value = answers[name];
    if (value !== undefined) scaleAnswers.push(value);
  }
  const recent = await countSubmission(limiter, link.scopeKey, facts.clientAddress, thresholds);
  return integrityFlags(
    {
      questionnaire,
      pupils: link.school ? pupilsOf(link.school.students) : null,
      durationMs: facts.submittedAt - facts.startedAt,
      answeredItems: Object.keys(answers).length,
      scaleAnswers,
      honeypot: facts.honeypot,
      recent,
    },
    thresholds,
  );
}
