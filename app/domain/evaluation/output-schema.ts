/**
 * The output format of the evaluation (`evaluateCounties`, `npm run evaluate`), as zod schemas
 * from which docs/schemas/evaluation-output.schema.json is generated. A compile-time check below
 * proves every `EvaluationResult` satisfies it; objects are strict, so a field added to the
 * engine without being documented here fails the schema test.
 */
import { z } from "zod/v4";
import { LEVELS, LOCATIONS, RESPONDENT_GROUPS, SCHOOL_TYPES } from "../vocabulary";
import { SCALE_CHOICES } from "../survey-scale";
import { INDICATOR_CODES, ITEM_STATUSES, RATINGS, VETO_CODES } from "./codes";
import type { EvaluationResult } from "./result";
import { SatisfactionRuleSchema } from "../satisfaction-rule";
import { CountyItemsSchema, CountySchema, ItemCountRowSchema, SatisfactionCountRowSchema, SchoolSchema } from "./input";

const n = z.number();
const nn = z.number().nullable();
const level = z.enum(LEVELS);
const partStatus = z.enum(["pass", "fail", "incomplete", "not_evaluated"]).describe("pass 达标 / fail 未达标 / incomplete 数据不完整 / not_evaluated 无数据");
const itemStatus = z.enum(ITEM_STATUSES).describe("pass 达标 / fail 未达标 / not_evaluated 未评估 / not_applicable 不适用");
const figures = z.record(z.string(), z.union([z.number(), z.boolean(), z.string(), z.null()]));
const indicator = z.enum(INDICATOR_CODES);

const BorderlineFlagSchema = z
  .strictObject({
    subject: z.string(),
    code: z.string(),
    value: n.describe("全精度数值"),
    displayed: z.string().describe("按申报表位数四舍五入后的显示值"),
    threshold: n,
    comparison: z.enum([">=", "<=", "<", ">"]),
    passes: z.boolean().describe("按全精度数值的判定"),
    note: z.string(),
  })
  .describe("临界值提示：显示值与全精度数值判定不同");

const ShortfallShape = {
  code: z.string().describe("L1–L7、G1–G15、Q1–Q9、SAT（满意度）、SAMPLE（样本）"),
  subject: z.string().describe("需整改的单位、学校或县"),
  schoolId: z.string().nullable(),
  unitId: z.string().nullable(),
  quantity: n.describe("全精度数量"),
  unit: z.enum(["teacher", "m2", "yuan", "room", "class", "student", "person", "place", "yuan_per_person", "questionnaire", "subject"]),
  text: z.string().describe("中文说明，数量向上取整"),
};
const ShortfallSchema = z.strictObject(ShortfallShape).describe("差距（达标还需要什么）");
const ResourceNeedSchema = z.strictObject({
  ...ShortfallShape,
  indicator,
  target: z.enum(["standard", "floor", "county_mean"]),
  targetValue: n,
  currentValue: n,
  schoolWide: z.boolean().describe("共用资源，全校增加后按加权学生数分摊"),
});

const IndicatorCheckSchema = z.strictObject({
  code: indicator,
  value: nn,
  standard: n,
  floor: n.describe("标准的85%"),
  meetsStandard: z.boolean().nullable(),
  meetsFloor: z.boolean().nullable(),
  ratioToStandard: nn,
});

const UnitResultSchema = z
  .strictObject({
    unitId: z.string(),
    schoolId: z.string(),
    label: z.string(),
    level,
    schoolType: z.enum(SCHOOL_TYPES),
    students: n,
    splitWeight: n,
    weightedEnrolment: n,
    share: n.describe("共用资源分摊比例 wₗ·Pₗ/W"),
    allocated: z.strictObject({ teachingAreaM2: n, sportsAreaM2: n, equipmentYuan: n, multimediaClassrooms: n }).nullable(),
    indicators: z.record(indicator, IndicatorCheckSchema),
    indicatorsMet: n,
    status: z.enum(["pass", "fail", "not_evaluated"]),
    reasons: z.array(z.string()),
  })
  .describe("评估单位（学校的一个学段）");

const CvResultSchema = z.strictObject({
  code: indicator,
  level,
  n: n,
  students: n,
  mean: nn.describe("学生加权均值 X̄"),
  sd: nn.describe("加权总体标准差 S"),
  cv: nn.describe("差异系数 S/X̄"),
  limit: n,
  withinLimit: z.boolean().nullable(),
  reason: z.enum(["ok", "no_units", "zero_mean", "missing_data"]),
});

const ResourceResultSchema = z.strictObject({
  status: partStatus,
  units: z.array(UnitResultSchema),
  excluded: z.array(z.strictObject({ schoolId: z.string(), schoolName: z.string(), countyId: z.string(), level, students: n, reason: z.string() })),
  levels: z.record(
    level,
    z.strictObject({
      level,
      unitCount: n,
      students: n,
      cvs: z.record(indicator, CvResultSchema),
      compositeCv: nn.describe("综合：7项差异系数的算术平均，仅供参考"),
    }),
  ),
  reasons: z.array(z.string()),
  borderline: z.array(BorderlineFlagSchema),
});

const SchoolCheckSchema = z.strictObject({ schoolId: z.string(), schoolName: z.string(), status: itemStatus, figures, reasons: z.array(z.string()) });
const ItemResultSchema = z.strictObject({
  code: z.string(),
  label: z.string(),
  status: itemStatus,
  figures,
  reasons: z.array(z.string()),
  evidence: z.string().nullable(),
  schools: z.array(SchoolCheckSchema),
  shortfalls: z.array(ShortfallSchema),
  borderline: z.array(BorderlineFlagSchema),
});
const ItemsPartSchema = z.strictObject({ status: partStatus, items: z.array(ItemResultSchema), reasons: z.array(z.string()) });

const RateEstimateSchema = z.strictObject({
  n: n.describe("样本量（有效问卷或作答数）"),
  satisfied: n,
  rate: nn.describe("比例 0–1"),
  marginOfError: nn.describe("95%正态近似误差范围（比例）"),
  wilson: z.strictObject({ low: n, high: n }).nullable().describe("95% Wilson 置信区间"),
});
const CountsSchema = z.strictObject({ total: n, invalid: n, valid: n, satisfied: n });
const BreakdownRowSchema = z.strictObject({ key: z.string(), label: z.string(), counts: CountsSchema, estimate: RateEstimateSchema });
const Table6RowSchema = z.strictObject({
  total: n.describe("问卷总数"),
  valid: n.describe("有效问卷数"),
  satisfied: n.describe("满意问卷数"),
  ratePercent: nn.describe("综合满意度（%）"),
});
const CoverageCellSchema = z.strictObject({
  dimension: z.enum(["total", "group", "location", "student_grade", "parent_grade"]),
  key: z.string(),
  label: z.string(),
  required: n,
  collected: n,
  missing: n,
  short: z.boolean(),
});
const PassChanceShape = {
  n: n.describe("自评有效问卷数（分项为作答数，不含不了解）"),
  satisfied: n,
  rate: n.describe("自评满意比例 0–1"),
  designEffect: z
    .strictObject({
      clusters: n.describe("聚集单位数：学校，加上不属于学校的每份问卷"),
      meanClusterSize: n.describe("m̄ = Σmᵢ² ÷ Σmᵢ"),
      icc: n.describe("学校内相关系数 ρ（方差分析估计，负值取 0）"),
      iccReason: z.enum(["too_few_clusters", "singleton_clusters", "no_variation", "negative_estimate"]).nullable().describe("ρ 取 0 的原因；null = 按估计值"),
      deff: n.describe("设计效应 1 + (m̄ − 1)·ρ"),
      effectiveSampleSize: n.describe("有效样本量 N ÷ deff"),
    })
    .describe("按学校聚集的设计效应（Kish）"),
  posterior: z.strictObject({ alpha: n, beta: n, mean: n }).describe("真实满意比例的贝塔后验"),
  credibleInterval: z.strictObject({ low: n, high: n, level: n }).describe("真实满意比例的可信区间（等尾）"),
  officialSampleSize: n.describe("国家抽样份数 n_official"),
  officialPassCount: n.describe("达到阈值所需满意份数 k* = ⌈0.85·n_official⌉（精确整数运算）"),
  probability: n.describe("国家抽样满意比例达到阈值的概率（贝塔-二项分布精确求和）"),
  level: z.enum(["likely", "uncertain", "unlikely"]).describe("likely ≥ greenAt（绿）/ uncertain ≥ amberAt（黄）/ unlikely（红）"),
  levelLabel: z.string(),
  safeLine: n.describe("安全线：真实满意比例达到该值时国家抽样达标的概率为 target"),
  additionalSatisfied: nn.describe("把握达到 target 还需增加的满意问卷数（按当前设计效应）；分项不计算时为 null"),
};
const PassProbabilitySchema = z
  .strictObject({
    ...PassChanceShape,
    officialSampleSource: z.enum(["plan", "setting"]).describe("plan = 常住人口 × 1.5‰；setting = 调查活动设定"),
    summary: z.string().describe("可向局长宣读的一句话"),
    details: z.string().describe("所作的假定（自评、模型、设计效应、国家抽样份数）"),
    safeLineText: z.string(),
    advice: z.string(),
    groups: z.array(z.strictObject({ ...PassChanceShape, group: z.enum(RESPONDENT_GROUPS), label: z.string() })),
    items: z.array(z.strictObject({ ...PassChanceShape, itemId: z.string() })).describe("各分项，把握最低的在前"),
  })
  .nullable()
  .describe("国家抽样的把握（按自评结果估计，不是保证）");

const RakingDimensionSchema = z
  .enum(["group", "location", "parent_grade", "student_grade"])
  .describe("group 调查对象 / location 城区镇区乡村 / parent_grade 家长子女年级段 / student_grade 学生年级段");
const WeightingSchema = z
  .strictObject({
    n: n.describe("有效问卷数"),
    satisfied: n,
    unweightedRate: n.describe("未加权综合满意度 0–1（按问卷原始统计，即达标判定所用）"),
    weightedRate: nn.describe("加权满意度 Σw·s ÷ Σw·n（0–1）"),
    weights: z.strictObject({ min: n, max: n }).nullable().describe("权数范围（平均权数为 1）"),
    effectiveSampleSize: n.describe("Kish 有效样本量 (Σw)² ÷ Σw²"),
    weightedN: n.describe("设计内（权数大于 0）的有效问卷数"),
    designEffect: n.describe("加权设计效应 weightedN ÷ n_eff = 1 + 权数变异系数²"),
    iterations: n,
    converged: z.boolean(),
    maxDeviation: n.describe("最后一轮各类别加权占比与目标占比之差的最大值"),
    trimmed: n.describe("权数处于截断上下限的问卷数"),
    margins: z.array(
      z.strictObject({
        dimension: RakingDimensionSchema,
        label: z.string(),
        categories: z.array(
          z.strictObject({
            key: z.string(),
            label: z.string(),
            targetShare: n.describe("目标占比（无问卷的类别剔除后按比例放大）"),
            designShare: n.describe("设计占比"),
            unweightedShare: n,
            weightedShare: n,
            reachable: z.boolean(),
          }),
        ),
      }),
    ),
    unreachable: z
      .array(z.strictObject({ dimension: RakingDimensionSchema, key: z.string(), label: z.string(), designShare: n }))
      .describe("设计要求但没有有效问卷、无法达到的类别"),
    outsideDesign: n.describe("设计占比为 0 的类别中的问卷数（权数为 0）"),
    locationApplied: z.boolean().describe("是否按城区/镇区/乡村加权"),
    summary: z.string(),
    comparison: z.string(),
    weightsText: z.string(),
    schoolNote: z.string(),
    unreachableText: z.string().nullable(),
    convergenceText: z.string().nullable(),
  })
  .nullable()
  .describe("按国家抽样设计加权（迭代比例拟合）的满意度，仅供自评参考，达标判定仍按问卷原始统计");

const SatisfactionResultSchema = z.strictObject({
  status: z.enum(["pass", "fail", "sample_insufficient", "not_evaluated"]),
  notice: z.string(),
  rule: SatisfactionRuleSchema.nullable(),
  threshold: n,
  overall: RateEstimateSchema,
  table6: z.strictObject({ all: Table6RowSchema, parents: Table6RowSchema }).describe("申报表 表Ⅵ"),
  byGroup: z.array(BreakdownRowSchema),
  byQuestionnaire: z.array(BreakdownRowSchema),
  byLocation: z.array(BreakdownRowSchema),
  byGrade: z.array(BreakdownRowSchema),
  bySchool: z.array(BreakdownRowSchema),
  items: z.array(
    z.strictObject({
      itemId: z.string(),
      answered: n,
      unknown: n.describe("不了解或未答"),
      satisfiedAnswers: n,
      estimate: RateEstimateSchema,
      meanScore: nn,
      meanPercent: nn,
      byScore: z.record(z.string(), n),
    }),
  ),
  plan: z
    .strictObject({
      total: n,
      byGroup: z.record(z.enum(RESPONDENT_GROUPS), n),
      byLocation: z.record(z.enum(LOCATIONS), n).nullable(),
      studentByGrade: z.record(z.string(), n),
      parentByGrade: z.record(z.string(), n),
    })
    .nullable(),
  coverage: z
    .strictObject({ cells: z.array(CoverageCellSchema), shortCells: z.array(CoverageCellSchema), insufficient: z.boolean(), reasons: z.array(z.string()) })
    .nullable(),
  sampleChecked: z.boolean(),
  passProbability: PassProbabilitySchema,
  weighting: WeightingSchema,
  reasons: z.array(z.string()),
  shortfalls: z.array(ShortfallSchema),
  borderline: z.array(BorderlineFlagSchema),
});

const VetoResultSchema = z.strictObject({
  status: partStatus,
  items: z.array(z.strictObject({ code: z.enum(VETO_CODES), label: z.string(), occurred: z.boolean().nullable(), note: z.string().nullable() })),
  reasons: z.array(z.string()),
});

const CountyShortfallsSchema = z.strictObject({
  resource: z.strictObject({
    units: z.array(
      z.strictObject({
        unitId: z.string(),
        label: z.string(),
        schoolId: z.string(),
        level,
        indicatorAtFloor: indicator.nullable(),
        needs: z.array(ResourceNeedSchema),
      }),
    ),
    totals: z.array(z.strictObject({ indicator, level: level.nullable(), quantity: n, unit: ShortfallShape.unit, text: z.string() })),
    cvFixes: z.array(
      z.strictObject({
        indicator,
        level,
        cv: n,
        limit: n,
        mean: n,
        topContributors: z.array(
          z.strictObject({ unitId: z.string(), label: z.string(), students: n, value: n, varianceShare: n, side: z.enum(["below_mean", "above_mean"]) }),
        ),
        raiseWeakest: z.array(z.strictObject({ unitsRaised: z.array(z.string()), need: ResourceNeedSchema, cvAfter: nn, passesAfter: z.boolean() })),
        summary: z.string(),
      }),
    ),
  }),
  items: z.array(ShortfallSchema),
  satisfaction: z.array(ShortfallSchema),
  summary: z.array(z.string()),
});

const CountyVerdictSchema = z.strictObject({
  countyId: z.string(),
  countyName: z.string(),
  verdict: z
    .enum(["pass", "fail", "not_evaluated", "sample_insufficient"])
    .describe("pass 达标 / fail 未达标 / not_evaluated 未能全面评估 / sample_insufficient 样本不足"),
  verdictLabel: z.string(),
  reasons: z.array(z.string()),
  parts: z.strictObject({
    resource: ResourceResultSchema,
    guarantee: ItemsPartSchema,
    quality: ItemsPartSchema,
    satisfaction: SatisfactionResultSchema,
    veto: VetoResultSchema,
  }),
  shortfalls: CountyShortfallsSchema,
  borderline: z.array(BorderlineFlagSchema),
});

const std = z.strictObject({ standard: n.describe("达标值；85%底线 = 达标值 × floorRatio（精确计算），不单独设置") });
const byIndicatorStd = z.record(indicator, std);
export const EvaluationSettingsSchema = z.strictObject({
  resource: z.strictObject({
    standards: z.record(level, byIndicatorStd),
    minIndicatorsMet: n,
    floorRatio: n.describe("余项不低于达标值的比例（0.85），底线 = 达标值 × floorRatio"),
    cvLimit: z.record(level, n),
    splitWeights: z.strictObject({
      nine_year: z.strictObject({ primary: n, junior: n }),
      twelve_year: z.strictObject({ primary: n, junior: n, senior: n }),
      complete_secondary: z.strictObject({ junior: n, senior: n }),
    }),
    teachingPointMinStudents: n,
  }),
  guarantee: z.strictObject({
    g3: z.strictObject({
      classesPerRoom: n,
      rounding: z.enum(["ceil", "floor_at_least_one"]),
      musicRoomMinM2: n,
      artRoomMinM2: n,
      includeTeachingPoints: z.boolean(),
    }),
    g4: z.strictObject({ maxStudentsSingleLevel: n, maxStudentsCombined: n }),
    g5: z.strictObject({ maxClassSize: z.record(level, n) }),
    g6: z.strictObject({ fundingFloorStudents: n, appliesTo: z.enum(["teaching_points_and_rural_primary", "teaching_points_only"]) }),
    g7: z.strictObject({ minPerStudentYuan: n }),
    g9: z.strictObject({ minCompletionRate: n }),
    g11: z.strictObject({ minRotationRate: n, minKeyTeacherShare: n }),
    g12: z.strictObject({ minCertifiedRate: n }),
    g13: z.strictObject({ minCatchmentRate: z.record(level, n) }),
    g14: z.strictObject({ minQuotaShare: n }),
    g15: z.strictObject({ minMigrantPublicRate: n }),
  }),
  quality: z.strictObject({
    q1MinRetentionRate: n,
    q2MinDisabledEnrollmentRate: n,
    q4MinTrainingShare: n,
    minRating: z.strictObject({ Q5: z.enum(RATINGS), Q6: z.enum(RATINGS), Q7: z.enum(RATINGS), Q8: z.enum(RATINGS) }),
    q9MinLevel: n,
    q9MaxDifferenceRateExclusive: n,
  }),
  satisfaction: z.strictObject({
    threshold: n,
    rule: SatisfactionRuleSchema,
    itemSatisfiedScores: z.array(n),
    z: n,
    passProbability: z
      .strictObject({
        prior: z.strictObject({ alpha: z.number().positive(), beta: z.number().positive() }).describe("真实满意比例的贝塔先验（默认 Beta(1, 1)）"),
        target: z.number().gt(0).lt(1).describe("安全线与补充问卷数所针对的把握（0.95）"),
        credibleLevel: z.number().gt(0).lt(1),
        greenAt: z.number().gt(0).lte(1).describe("把握不低于此值显示绿色"),
        amberAt: z.number().gte(0).lt(1).describe("把握不低于此值显示黄色，低于显示红色"),
        officialSampleSizes: z.record(z.string(), z.number().int().positive()).describe("按县（区）代码设定的国家抽样份数；未设定的县按 常住人口 × perMille"),
        displayStep: z.number().gt(0).lt(1).describe("宣读时把握取整的步长（0.05）"),
      })
      .describe("国家抽样的把握"),
    weighting: z
      .strictObject({
        tolerance: z.number().gt(0).lt(1).describe("收敛容差：各类别加权占比与设计占比之差的上限（0–1，默认 1e-6）"),
        maxIterations: z.number().int().positive().max(10000).describe("最多迭代轮数（默认 100）"),
        trim: z
          .strictObject({ min: z.number().gte(0).lte(1), max: z.number().gte(1) })
          .describe("权数截断：平均权数的 min–max 倍（默认 0–20，即只截断过大的权数）"),
        gradeBands: z
          .array(
            z
              .strictObject({ min: z.number().int().min(1).max(9), max: z.number().int().min(1).max(9) })
              .refine((b) => b.min <= b.max, "年级段的起始年级不能大于结束年级"),
          )
          .min(1)
          .describe("年级段（默认 1–3、4–6、7–9 年级），在家长、学生内按计划年级数比例加权"),
      })
      .describe("按国家抽样设计加权（迭代比例拟合，仅供自评参考）"),
  }),
  samplePlan: z.strictObject({
    perMille: n,
    parentMinShare: n,
    otherGroupWeights: z.partialRecord(z.enum(["student", "teacher", "principal", "deputy", "cppcc", "public"]), n),
    studentGrades: z.strictObject({ min: n, max: n }),
    parentGrades: z.strictObject({ min: n, max: n }),
    cellTolerance: n,
    insufficientWhen: z.enum(["total_and_parents", "any_cell"]),
  }),
  display: z.strictObject({ meanDecimals: n, cvDecimals: n, percentDecimals: n }),
});

/**
 * A settings override as `evaluateCounties` takes it (and `npm run evaluate -- --settings`):
 * any section, and within a section any field; a field given replaces the default whole.
 */
export const EvaluationSettingsOverrideSchema = z.strictObject({
  resource: EvaluationSettingsSchema.shape.resource.partial().optional(),
  guarantee: EvaluationSettingsSchema.shape.guarantee.partial().optional(),
  quality: EvaluationSettingsSchema.shape.quality.partial().optional(),
  satisfaction: EvaluationSettingsSchema.shape.satisfaction.partial().optional(),
  samplePlan: EvaluationSettingsSchema.shape.samplePlan.partial().optional(),
  display: EvaluationSettingsSchema.shape.display.partial().optional(),
});

export const EvaluationResultSchema = z
  .strictObject({
    format: z.literal("youzhi-junheng/evaluation-result"),
    version: z.literal(1),
    notice: z.string(),
    settings: EvaluationSettingsSchema,
    input: z.strictObject({
      title: z.string().nullable(),
      note: z.string().nullable(),
      counties: z.array(CountySchema),
      schools: z.array(SchoolSchema),
      countyItems: z.array(CountyItemsSchema),
      satisfaction: z
        .strictObject({
          source: z.enum(["records", "counts"]),
          records: nn.describe("逐份问卷输入时的问卷份数"),
          rule: SatisfactionRuleSchema,
          cells: z.array(SatisfactionCountRowSchema),
          items: z.array(ItemCountRowSchema),
        })
        .nullable(),
    }),
    counties: z.array(CountyVerdictSchema),
  })
  .describe("县域义务教育优质均衡发展督导评估 — 评估结果（自评/模拟测评）");

/** Compile-time proof that the engine's result type satisfies the schema. */
type Assignable<T extends U, U> = T;
export type EvaluationResultConformsToSchema = Assignable<EvaluationResult, z.output<typeof EvaluationResultSchema>>;
export const SCALE_CHOICE_VALUES = SCALE_CHOICES;
