/**
 * The satisfied-questionnaire rule (满意问卷的判定规则, spec §4): which valid questionnaire counts
 * as satisfied. A per-campaign setting with a documented default; this module is its one home —
 * the type, the schema that reads it from storage or a file, the default, the choices the
 * console offers, and the Chinese words for it. Counting under a rule is ./satisfaction.ts
 * (records) and db/repositories/satisfaction-sql.ts (SQL).
 */
import { z } from "zod/v4";
import { SCALE_CHOICES } from "./survey-scale";

/**
 * - `overall_in`: the overall item's answer is one of `options` (default 满意, 比较满意). An overall
 *   answer of 不了解 (or none) makes the questionnaire valid but not satisfied.
 * - `mean_at_least`: the mean score of the items answered (不了解 excluded) is ≥ `minMeanScore`
 *   (scale 1–5, e.g. 4). The overall item is included in the mean when `includeOverall`.
 *   A questionnaire with no scored item is valid but not satisfied.
 */
export const SatisfactionRuleSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("overall_in"), options: z.array(z.enum(SCALE_CHOICES)).min(1) }),
  z.object({ kind: z.literal("mean_at_least"), minMeanScore: z.number().min(1).max(5), includeOverall: z.boolean() }),
]);

export type SatisfactionRule = z.infer<typeof SatisfactionRuleSchema>;

/** The default (spec §4): the overall item is 满意 or 比较满意. */
export const DEFAULT_SATISFACTION_RULE: SatisfactionRule = { kind: "overall_in", options: ["满意", "比较满意"] };

export const RULE_PRESET_KEYS = ["top2", "top3", "mean4"] as const;
export type RulePreset = (typeof RULE_PRESET_KEYS)[number];
export const DEFAULT_RULE_PRESET: RulePreset = "top2";

/** The rules the campaign form offers, with the words it shows for each. */
export const RULE_PRESETS: Readonly<Record<RulePreset, { label: string; rule: SatisfactionRule }>> = {
  top2: { label: "总体评价为“满意”或“比较满意”（默认，最稳妥）", rule: DEFAULT_SATISFACTION_RULE },
  top3: { label: "总体评价为“满意”“比较满意”或“基本满意”", rule: { kind: "overall_in", options: ["满意", "比较满意", "基本满意"] } },
  mean4: { label: "各题平均分不低于4分（不含总体评价，不了解不计）", rule: { kind: "mean_at_least", minMeanScore: 4, includeOverall: false } },
};

/**
 * The choice shown for a rule that is none of the presets — set outside the form, or stored by
 * another version and not understood here. Saving it keeps the rule as it is; it is never read
 * as the default.
 */
export const CUSTOM_RULE = "custom";
export type RuleChoice = RulePreset | typeof CUSTOM_RULE;

/**
 * The same rule: the same questionnaires are satisfied under both. Options are a set (order
 * and repeats do not matter); `null` (a rule not understood) is the same as nothing.
 */
export function sameRule(a: SatisfactionRule | null, b: SatisfactionRule | null): boolean {
  if (a === null || b === null) return false;
  if (a.kind === "overall_in" && b.kind === "overall_in") {
    const left = new Set(a.options);
    const right = new Set(b.options);
    return left.size === right.size && [...left].every((o) => right.has(o));
  }
  if (a.kind === "mean_at_least" && b.kind === "mean_at_least") {
    return a.minMeanScore === b.minMeanScore && a.includeOverall === b.includeOverall;
  }
  return false;
}

/** The form's choice for a stored rule: its preset, or `custom` (also for `null`, a rule not understood). */
export function ruleChoiceOf(rule: SatisfactionRule | null): RuleChoice {
  return RULE_PRESET_KEYS.find((key) => sameRule(RULE_PRESETS[key].rule, rule)) ?? CUSTOM_RULE;
}

/** The rule in a sentence, as the dashboards, the report and the downloads state it. */
export function describeRule(rule: SatisfactionRule): string {
  if (rule.kind === "overall_in") return `总体评价为“${rule.options.join("”或“")}”的问卷计为满意`;
  return `各题平均分不低于 ${String(rule.minMeanScore)} 分（满分 5 分，${rule.includeOverall ? "含" : "不含"}总体评价，不了解不计）的问卷计为满意`;
}

/** The label of the custom choice: the rule in a sentence, or that it is not understood. */
export function customRuleLabel(rule: SatisfactionRule | null): string {
  return rule === null ? "自定义（无法识别的规则，请选择一种）" : `自定义：${describeRule(rule)}`;
}

/**
 * A rule stored as JSON text (a campaign's column, the tallies' state): the rule, or `null` when
 * the text is not JSON or not a rule this version knows — for the caller to refuse or show as
 * custom, never to read as the default.
 */
export function parseStoredRule(text: string): SatisfactionRule | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  const parsed = SatisfactionRuleSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}
