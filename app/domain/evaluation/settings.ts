/**
 * Every threshold, weight and rule choice of the evaluation, as typed configuration with the
 * defaults documented in ../shared/spec/evaluation.md. A bureau following its own province's
 * reading changes a setting, never the code. `DEFAULT_EVALUATION_SETTINGS` is the spec.
 *
 * Every numeric threshold here is decided exactly (./exact.ts, decision record 0007): a setting
 * is read as the decimal it is written as (0.85 = 17/20, 1.1 = 11/10), compared with exact
 * values of the inputs by cross-multiplication, never on binary floating point.
 */
import type { Level } from "../vocabulary";
import { DEFAULT_SATISFACTION_RULE, type SatisfactionRule } from "../satisfaction-rule";
import type { IndicatorCode, Rating } from "./codes";

/**
 * One indicator's standard (达标值), "以上" = ≥, decided exactly on the decimal as written (4.2
 * is 42/10). Its 85% floor is not a setting of its own: it is standard × `floorRatio`.
 */
export interface IndicatorStandard {
  standard: number;
}

export interface ResourceSettings {
  /** Each indicator's standard per level (decision record 0007: decided exactly). */
  standards: Record<Level, Record<IndicatorCode, IndicatorStandard>>;
  /** A unit passes with at least this many of 7 values at standard (default 6)… */
  minIndicatorsMet: number;
  /**
   * …and every other value at least at standard × floorRatio (余项不能低于要求的85%, default
   * 0.85). The product is exact: 4.2 × 0.85 = 3.57 (小学 3.57, 0.85, 0.765, 3.825, 6.375, 1700,
   * 1.955; 初中 4.505, 0.85, 0.765, 4.93, 8.67, 2125, 2.04), so a value of exactly 3.57 passes.
   */
  floorRatio: number;
  /** 差异系数 limit per level, "小于或等于" = ≤ (小学 0.50, 初中 0.45). */
  cvLimit: Record<Level, number>;
  /**
   * Weights for splitting a multi-level school's shared resources (L4–L7) by weighted
   * enrolment: 九年一贯制 小学:初中 = 1 : 1.1; 完全中学 初中:高中 = 1 : 1.2;
   * 十二年一贯制 小:初:高 = 1 : 1.1 : 1.32.
   */
  splitWeights: {
    nine_year: { primary: number; junior: number };
    twelve_year: { primary: number; junior: number; senior: number };
    complete_secondary: { junior: number; senior: number };
  };
  /** 教学点 with fewer students than this are left out of the 7 indicators and 差异系数 (50). */
  teachingPointMinStudents: number;
}

/** How many music (art) rooms a school with n classes needs: ⌈n ÷ 12⌉, or max(1, ⌊n ÷ 12⌋). */
export type RoomRounding = "ceil" | "floor_at_least_one";

export interface GuaranteeSettings {
  /** `includeTeachingPoints`: the rule says "every school"; a province may exempt 教学点. */
  g3: { classesPerRoom: number; rounding: RoomRounding; musicRoomMinM2: number; artRoomMinM2: number; includeTeachingPoints: boolean };
  /** Size caps in students: single-level 小学/初中 (incl. 完全中学's 初中部) and 九年/十二年一贯制 compulsory part. */
  g4: { maxStudentsSingleLevel: number; maxStudentsCombined: number };
  g5: { maxClassSize: Record<Level, number> };
  /**
   * 不足100名学生村小学和教学点按100名学生核定公用经费. `appliesTo` says which schools are "村小学
   * 和教学点": every 教学点 plus 小学 whose 城乡类型 is 乡村 (default).
   */
  g6: { fundingFloorStudents: number; appliesTo: "teaching_points_and_rural_primary" | "teaching_points_only" };
  g7: { minPerStudentYuan: number };
  g9: { minCompletionRate: number };
  g11: { minRotationRate: number; minKeyTeacherShare: number };
  g12: { minCertifiedRate: number };
  g13: { minCatchmentRate: Record<Level, number> };
  g14: { minQuotaShare: number };
  g15: { minMigrantPublicRate: number };
}

export interface QualitySettings {
  q1MinRetentionRate: number;
  q2MinDisabledEnrollmentRate: number;
  q4MinTrainingShare: number;
  /** Lowest rating that passes Q5–Q8. */
  minRating: { Q5: Rating; Q6: Rating; Q7: Rating; Q8: Rating };
  /** Q9: every listed subject's level ≥ this (Ⅲ = 3), and difference rate < `maxDifferenceRateExclusive`. */
  q9MinLevel: number;
  q9MaxDifferenceRateExclusive: number;
}

export interface SatisfactionSettings {
  /** 社会认可度达到85%以上: rate ≥ this (0–1). */
  threshold: number;
  /** Which valid questionnaire is "satisfied" (a per-campaign rule, spec §4: ../satisfaction-rule.ts). */
  rule: SatisfactionRule;
  /**
   * An item answer counts as satisfied for the per-item rate when its score is in this set
   * (default 满意/比较满意 = 5, 4). Per-item rates exclude 不了解.
   */
  itemSatisfiedScores: number[];
  /** z of the two-sided confidence level for margins of error (1.96 → 95%). */
  z: number;
  /** 国家抽样的把握: the chance of the official draw reaching the threshold (./pass-probability.ts). */
  passProbability: PassProbabilitySettings;
  /** Raking the self-assessment to the official design (../raking.ts, decision record 0025): an estimate beside the verdict, never deciding it. */
  weighting: WeightingSettings;
}

/** Settings of raking (../raking.ts); the defaults are below. */
export interface WeightingSettings {
  /** Converged when every category's weighted share is within this of its target (absolute, share 0–1). */
  tolerance: number;
  /** Sweeps over all margins before giving up (reported as not converged). */
  maxIterations: number;
  /**
   * Weights are trimmed to [min, max] × the mean weight after every sweep. The default lower bound is
   * 0 (none): raising small weights would hand a school that pushed its parents back the weight
   * raking took from them.
   */
  trim: { min: number; max: number };
  /** 年级段 raked within 家长 and within 学生, each band in proportion to its planned grades. */
  gradeBands: Array<{ min: number; max: number }>;
}

/** Settings of the pass probability (./pass-probability.ts); the defaults are below. */
export interface PassProbabilitySettings {
  /** Prior Beta(α, β) of the true satisfied share; Beta(1, 1) is uniform. */
  prior: { alpha: number; beta: number };
  /** The chance the safe line and the additional questionnaires aim at (0.95). */
  target: number;
  /** Level of the credible interval of the true share (0.95). */
  credibleLevel: number;
  /** Probability ≥ greenAt → 把握较大 (green); ≥ amberAt → 把握不足 (amber); below → red. */
  greenAt: number;
  amberAt: number;
  /**
   * Official sample sizes by county id, overriding ⌈常住人口 × perMille⌉ (the plan's total, which
   * already follows the campaign's own perMille) where the Ministry announced another figure.
   */
  officialSampleSizes: Record<string, number>;
  /** The step the probability is rounded to when read aloud (0.05 → "约 70%"). */
  displayStep: number;
}

export interface SamplePlanSettings {
  /** Sample size = ⌈常住人口 × perMille ÷ 1000⌉ (1.5‰). */
  perMille: number;
  /** Parents' minimum share of the sample (≥ 50%). */
  parentMinShare: number;
  /** Other groups sharing the rest roughly equally, with relative weights (default all 1). */
  otherGroupWeights: Partial<Record<"student" | "teacher" | "principal" | "deputy" | "cppcc" | "public", number>>;
  /** Grades sampled for students (3–9) and for parents (1–9), roughly equal. */
  studentGrades: { min: number; max: number };
  parentGrades: { min: number; max: number };
  /**
   * A cell with "roughly equal" or proportional targets is short when collected <
   * required × (1 − tolerance). Parents and the total are checked without tolerance.
   */
  cellTolerance: number;
  /**
   * When a county is "sample insufficient": `total_and_parents` (default) — valid
   * questionnaires below the required total or valid parent questionnaires below the parents'
   * minimum; `any_cell` — also when any group, location or grade cell is short.
   */
  insufficientWhen: "total_and_parents" | "any_cell";
}

export interface DisplaySettings {
  /** Decimals of county means (and unit values) in the 申报表 (2). */
  meanDecimals: number;
  /** Decimals of 差异系数 (3). */
  cvDecimals: number;
  /** Decimals of percentages (rates shown as %, 2). */
  percentDecimals: number;
}

export interface EvaluationSettings {
  resource: ResourceSettings;
  guarantee: GuaranteeSettings;
  quality: QualitySettings;
  satisfaction: SatisfactionSettings;
  samplePlan: SamplePlanSettings;
  display: DisplaySettings;
}

const std = (standard: number): IndicatorStandard => ({ standard });

export const DEFAULT_RESOURCE_SETTINGS: ResourceSettings = {
  standards: {
    primary: {
      L1: std(4.2),
      L2: std(1),
      L3: std(0.9),
      L4: std(4.5),
      L5: std(7.5),
      L6: std(2000),
      L7: std(2.3),
    },
    junior: {
      L1: std(5.3),
      L2: std(1),
      L3: std(0.9),
      L4: std(5.8),
      L5: std(10.2),
      L6: std(2500),
      L7: std(2.4),
    },
  },
  minIndicatorsMet: 6,
  floorRatio: 0.85,
  cvLimit: { primary: 0.5, junior: 0.45 },
  splitWeights: {
    nine_year: { primary: 1, junior: 1.1 },
    twelve_year: { primary: 1, junior: 1.1, senior: 1.32 },
    complete_secondary: { junior: 1, senior: 1.2 },
  },
  teachingPointMinStudents: 50,
};

export const DEFAULT_GUARANTEE_SETTINGS: GuaranteeSettings = {
  g3: { classesPerRoom: 12, rounding: "ceil", musicRoomMinM2: 96, artRoomMinM2: 90, includeTeachingPoints: true },
  g4: { maxStudentsSingleLevel: 2000, maxStudentsCombined: 2500 },
  g5: { maxClassSize: { primary: 45, junior: 50 } },
  g6: { fundingFloorStudents: 100, appliesTo: "teaching_points_and_rural_primary" },
  g7: { minPerStudentYuan: 6000 },
  g9: { minCompletionRate: 1 },
  g11: { minRotationRate: 0.1, minKeyTeacherShare: 0.2 },
  g12: { minCertifiedRate: 1 },
  g13: { minCatchmentRate: { primary: 1, junior: 0.95 } },
  g14: { minQuotaShare: 0.5 },
  g15: { minMigrantPublicRate: 0.85 },
};

export const DEFAULT_QUALITY_SETTINGS: QualitySettings = {
  q1MinRetentionRate: 0.95,
  q2MinDisabledEnrollmentRate: 0.95,
  q4MinTrainingShare: 0.05,
  // Q6 is "良好以上" in the rule itself; Q5 "较高水平" is read as 良好; Q7 and Q8 are met/not met
  // statements, read as 合格.
  minRating: { Q5: "good", Q6: "good", Q7: "adequate", Q8: "adequate" },
  q9MinLevel: 3,
  q9MaxDifferenceRateExclusive: 0.15,
};

/**
 * 国家抽样的把握 shown green (把握较大) from this probability on: the same 95% the safe line and
 * the questionnaires to add aim at, so a county exactly on its safe line is exactly green, and
 * green is never shown on anything near a coin toss. A probability is compared as computed
 * (0.95 is green, 0.9499… amber), never as rounded for reading aloud. Decision record 0016.
 */
export const PASS_GREEN_AT = 0.95;

/**
 * From this probability up to PASS_GREEN_AT: amber, "接近85%，把握不足". Below it red: the official
 * draw is more likely to fall short of 85% than to reach it (for a large sample, a self-assessed
 * rate below about 85%). Decision record 0016.
 */
export const PASS_AMBER_AT = 0.5;

/**
 * Beta(1, 1) prior; a 95% chance is "safe" (the safe line and the questionnaires to add aim at
 * it); green from PASS_GREEN_AT (95%), amber from PASS_AMBER_AT (50%), red below; read aloud in
 * steps of 5%; the official sample from the plan (⌈常住人口 × 1.5‰⌉) unless a campaign sets its own.
 */
export const DEFAULT_PASS_PROBABILITY_SETTINGS: PassProbabilitySettings = {
  prior: { alpha: 1, beta: 1 },
  target: 0.95,
  credibleLevel: 0.95,
  greenAt: PASS_GREEN_AT,
  amberAt: PASS_AMBER_AT,
  officialSampleSizes: {},
  displayStep: 0.05,
};

/**
 * Tolerance 10⁻⁶ (a ten-thousandth of a percentage point); 100 sweeps (the demo converges in well
 * under 20); weights trimmed above at 20 × the mean — looser than the survey
 * habit of 5: a county that under-sampled 乡村 (the demo's 沙坡头区 has 5 rural students and
 * teachers where the design wants a quarter of them) needs weights near 19 to reach the design,
 * and a school pushing its parents makes exactly the cells it crowded out need large weights; a
 * tighter cap stops raking short and hands the over-represented cells their weight back. The cap
 * stops runaway weights; the cost of large ones is shown as n_eff. No lower bound (a small weight
 * is how raking takes weight from an over-represented cell). bands 1–3, 4–6, 7–9 (小学低段、高段，初中). Decision record 0025.
 */
export const DEFAULT_WEIGHTING_SETTINGS: WeightingSettings = {
  tolerance: 1e-6,
  maxIterations: 100,
  trim: { min: 0, max: 20 },
  gradeBands: [
    { min: 1, max: 3 },
    { min: 4, max: 6 },
    { min: 7, max: 9 },
  ],
};

export const DEFAULT_SATISFACTION_SETTINGS: SatisfactionSettings = {
  threshold: 0.85,
  rule: DEFAULT_SATISFACTION_RULE,
  itemSatisfiedScores: [5, 4],
  z: 1.96,
  passProbability: DEFAULT_PASS_PROBABILITY_SETTINGS,
  weighting: DEFAULT_WEIGHTING_SETTINGS,
};

export const DEFAULT_SAMPLE_PLAN_SETTINGS: SamplePlanSettings = {
  perMille: 1.5,
  parentMinShare: 0.5,
  otherGroupWeights: { student: 1, teacher: 1, principal: 1, deputy: 1, cppcc: 1, public: 1 },
  studentGrades: { min: 3, max: 9 },
  parentGrades: { min: 1, max: 9 },
  cellTolerance: 0.1,
  insufficientWhen: "total_and_parents",
};

export const DEFAULT_DISPLAY_SETTINGS: DisplaySettings = { meanDecimals: 2, cvDecimals: 3, percentDecimals: 2 };

export const DEFAULT_EVALUATION_SETTINGS: EvaluationSettings = {
  resource: DEFAULT_RESOURCE_SETTINGS,
  guarantee: DEFAULT_GUARANTEE_SETTINGS,
  quality: DEFAULT_QUALITY_SETTINGS,
  satisfaction: DEFAULT_SATISFACTION_SETTINGS,
  samplePlan: DEFAULT_SAMPLE_PLAN_SETTINGS,
  display: DEFAULT_DISPLAY_SETTINGS,
};

/** A partial override of the settings, merged section by section onto the defaults. */
export type EvaluationSettingsOverride = {
  [K in keyof EvaluationSettings]?: Partial<EvaluationSettings[K]>;
};

/** Defaults with `override`'s sections shallow-merged in (e.g. `{ satisfaction: { rule } }`). */
export function resolveSettings(override?: EvaluationSettingsOverride): EvaluationSettings {
  const o = override ?? {};
  return {
    resource: { ...DEFAULT_RESOURCE_SETTINGS, ...o.resource },
    guarantee: { ...DEFAULT_GUARANTEE_SETTINGS, ...o.guarantee },
    quality: { ...DEFAULT_QUALITY_SETTINGS, ...o.quality },
    satisfaction: { ...DEFAULT_SATISFACTION_SETTINGS, ...o.satisfaction },
    samplePlan: { ...DEFAULT_SAMPLE_PLAN_SETTINGS, ...o.samplePlan },
    display: { ...DEFAULT_DISPLAY_SETTINGS, ...o.display },
  };
}
