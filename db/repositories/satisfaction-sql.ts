/**
 * The satisfied-questionnaire rule (app/domain/satisfaction-rule.ts) as SQL, over the
 * per-response columns overall_score, score_sum and score_count of `responses r`: the one
 * translation every count uses (the from-scratch counts of ./satisfaction.ts and the console's
 * tallies in ./console-tallies.ts), so the two cannot disagree. The same text runs on SQLite and
 * PostgreSQL; the rule's numbers are literals (they are validated numbers, never user text).
 */
import { sql, type RawBuilder } from "kysely";
import { overallScoresSatisfying } from "../../app/domain/satisfaction";
import type { SatisfactionRule } from "../../app/domain/satisfaction-rule";

/** SQL truth value of "this questionnaire is satisfied" under `rule` (validity checked apart). */
export function satisfiedSql(rule: SatisfactionRule): RawBuilder<unknown> {
  if (rule.kind === "overall_in") {
    const scores = overallScoresSatisfying(rule) ?? [];
    if (scores.length === 0) return sql`1 = 0`;
    return sql`r.overall_score in (${sql.join(scores.map((s) => sql.lit(s)))})`;
  }
  // score_sum/score_count include the overall item; without it, take it back out.
  const sum = rule.includeOverall ? sql`r.score_sum` : sql`(r.score_sum - coalesce(r.overall_score, 0))`;
  const n = rule.includeOverall ? sql`r.score_count` : sql`(r.score_count - case when r.overall_score is null then 0 else 1 end)`;
  return sql`(${n} > 0 and ${sum} >= ${sql.lit(rule.minMeanScore)} * ${n})`;
}
