import { describe, expect, it } from "vitest";
import {
  CUSTOM_RULE,
  customRuleLabel,
  DEFAULT_RULE_PRESET,
  DEFAULT_SATISFACTION_RULE,
  describeRule,
  parseStoredRule,
  RULE_PRESET_KEYS,
  RULE_PRESETS,
  ruleChoiceOf,
  sameRule,
  SatisfactionRuleSchema,
  type SatisfactionRule,
} from "./satisfaction-rule";

const MEAN_35: SatisfactionRule = { kind: "mean_at_least", minMeanScore: 3.5, includeOverall: true };

describe("the satisfied-questionnaire rule", () => {
  it("defaults to overall 满意 or 比较满意, the form's default choice", () => {
    expect(DEFAULT_SATISFACTION_RULE).toEqual({ kind: "overall_in", options: ["满意", "比较满意"] });
    expect(RULE_PRESETS[DEFAULT_RULE_PRESET].rule).toEqual(DEFAULT_SATISFACTION_RULE);
    for (const key of RULE_PRESET_KEYS) expect(SatisfactionRuleSchema.parse(RULE_PRESETS[key].rule)).toEqual(RULE_PRESETS[key].rule);
  });

  it("is the same rule whatever the order of its options; never the same as a rule not understood", () => {
    expect(sameRule({ kind: "overall_in", options: ["比较满意", "满意"] }, DEFAULT_SATISFACTION_RULE)).toBe(true);
    expect(sameRule({ kind: "overall_in", options: ["满意"] }, DEFAULT_SATISFACTION_RULE)).toBe(false);
    expect(sameRule(RULE_PRESETS.top3.rule, DEFAULT_SATISFACTION_RULE)).toBe(false);
    expect(sameRule(MEAN_35, { ...MEAN_35 })).toBe(true);
    expect(sameRule(MEAN_35, { ...MEAN_35, includeOverall: false })).toBe(false);
    expect(sameRule(MEAN_35, { ...MEAN_35, minMeanScore: 4 })).toBe(false);
    expect(sameRule(MEAN_35, DEFAULT_SATISFACTION_RULE)).toBe(false);
    expect(sameRule(null, DEFAULT_SATISFACTION_RULE)).toBe(false);
    expect(sameRule(null, null)).toBe(false);
  });

  it("shows a preset as its choice and anything else as 自定义, never as the default", () => {
    expect(ruleChoiceOf(DEFAULT_SATISFACTION_RULE)).toBe("top2");
    expect(ruleChoiceOf({ kind: "overall_in", options: ["基本满意", "满意", "比较满意"] })).toBe("top3");
    expect(ruleChoiceOf({ kind: "mean_at_least", minMeanScore: 4, includeOverall: false })).toBe("mean4");
    expect(ruleChoiceOf(MEAN_35)).toBe(CUSTOM_RULE);
    expect(ruleChoiceOf(null)).toBe(CUSTOM_RULE);
    expect(customRuleLabel(MEAN_35)).toBe("自定义：各题平均分不低于 3.5 分（满分 5 分，含总体评价，不了解不计）的问卷计为满意");
    expect(customRuleLabel(null)).toBe("自定义（无法识别的规则，请选择一种）");
  });

  it("states the rule in a sentence", () => {
    expect(describeRule(DEFAULT_SATISFACTION_RULE)).toBe("总体评价为“满意”或“比较满意”的问卷计为满意");
    expect(describeRule(RULE_PRESETS.mean4.rule)).toBe("各题平均分不低于 4 分（满分 5 分，不含总体评价，不了解不计）的问卷计为满意");
  });

  it("reads a stored rule, and `null` for text that is not a rule it knows", () => {
    expect(parseStoredRule(JSON.stringify(MEAN_35))).toEqual(MEAN_35);
    expect(parseStoredRule(JSON.stringify(DEFAULT_SATISFACTION_RULE))).toEqual(DEFAULT_SATISFACTION_RULE);
    expect(parseStoredRule("{}")).toBeNull();
    expect(parseStoredRule("not json")).toBeNull();
    expect(parseStoredRule(JSON.stringify({ kind: "top_box", share: 0.5 }))).toBeNull();
    expect(parseStoredRule(JSON.stringify({ kind: "overall_in", options: [] }))).toBeNull();
    expect(parseStoredRule(JSON.stringify({ kind: "overall_in", options: ["很好"] }))).toBeNull();
    expect(parseStoredRule(JSON.stringify({ kind: "mean_at_least", minMeanScore: 6, includeOverall: false }))).toBeNull();
  });
});
