/**
 * The evaluation input (评估数据) — one JSON document, the documented file format
 * (docs/evaluation.md, docs/schemas/evaluation-input.schema.json is generated from these zod
 * schemas). The Excel and CSV importers assemble the same structure. Schemas describe the
 * *shape*; cross-record rules (a school in two counties, more key teachers than teachers, …)
 * live in ./validate-input.ts so that every importer reports them by sheet, row and column.
 *
 * Units: areas m²; money 元 unless the field name says 万元 (as 教育事业统计 reports equipment
 * and budgets); counts are persons, rooms or classes. A `null` value means "not provided": the
 * item it feeds is "not evaluated", never a fail.
 */
import { z } from "zod/v4";
import { LOCATIONS, QUESTIONNAIRE_IDS, RESPONDENT_GROUPS, SCHOOL_TYPES } from "../vocabulary";
import { RATINGS } from "./codes";
import { SatisfactionRuleSchema } from "../satisfaction-rule";

const count = z.number().int().min(0);
const nonNegative = z.number().min(0);
const nullableCount = count.nullable();
const nullableBool = z.boolean().nullable();
const evidence = z.string().nullable().optional().describe("佐证材料或说明");
const idString = z.string().trim().min(1).max(64);

export const LocationShareSchema = z
  .object({ urban: z.number().min(0).max(1), town: z.number().min(0).max(1), rural: z.number().min(0).max(1) })
  .describe("常住人口城区/镇区/乡村占比（0–1，合计为1）");

export const CountySchema = z
  .object({
    id: idString.describe("县（区）行政区划代码，如 640521"),
    name: z.string().min(1).describe("县（区）名称"),
    residentPopulation: z.number().int().positive().nullable().describe("常住人口（人），用于社会认可度样本量"),
    locationShare: LocationShareSchema.nullable().optional(),
  })
  .describe("县（区）");

export const SectionStaffSchema = z
  .object({
    fullTimeTeachers: count.describe("专任教师数（人）"),
    aboveRequiredDegree: count.describe("高于规定学历教师数（人）：小学专科及以上、初中本科及以上"),
    keyTeachers: count.describe("县级以上骨干教师数（人）"),
    peTeachers: count.describe("体育专任教师数（人）"),
    musicTeachers: count.describe("音乐专任教师数（人）"),
    artTeachers: count.describe("美术专任教师数（人）"),
  })
  .describe("一个学段（小学部或初中部）的教师");

export const FacilitiesSchema = z
  .object({
    teachingAuxiliaryAreaM2: nonNegative.describe("教学及辅助用房面积（m²），全校"),
    indoorSportsAreaM2: nonNegative.describe("其中：室内体育用房面积（m²），计算生均教学及辅助用房时扣除"),
    sportsGroundAreaM2: nonNegative.describe("体育运动场面积（m²）"),
    sportsHallAreaM2: nonNegative.describe("体育馆面积（m²）"),
    equipmentValueWanYuan: nonNegative.describe("教学仪器设备资产值（万元），全校"),
    multimediaClassrooms: count.describe("网络多媒体教室数（间），全校"),
  })
  .describe("校舍与装备（全校数，跨学段学校按加权学生数分摊）");

export const SpecialRoomSchema = z
  .object({
    kind: z.enum(["music", "art"]).describe("music 音乐专用教室 / art 美术专用教室"),
    name: z.string().nullable().optional(),
    areaM2: z.number().positive().describe("使用面积（m²）"),
  })
  .describe("音乐、美术专用教室");

export const ClassSchema = z
  .object({
    grade: z.number().int().min(1).max(9).describe("年级（1–9，仅义务教育阶段）"),
    name: z.string().nullable().optional(),
    students: z.number().int().positive().describe("班级学生数（人）"),
  })
  .describe("班级");

export const PublicFundsSchema = z
  .object({
    fundedStudents: nullableCount.describe("公用经费核定学生数（人），G6"),
    annualBudgetWanYuan: nonNegative.nullable().describe("年度公用经费预算总额（万元），Q4"),
    teacherTrainingWanYuan: nonNegative.nullable().describe("其中：教师培训经费（万元），Q4"),
  })
  .describe("公用经费");

export const SchoolSchema = z
  .object({
    id: idString.describe("学校标识码"),
    countyId: idString.describe("所属县（区）代码"),
    name: z.string().min(1).describe("学校名称"),
    type: z.enum(SCHOOL_TYPES).describe("学校类型"),
    location: z.enum(LOCATIONS).describe("城乡类型：urban 城区 / town 镇区 / rural 乡村"),
    students: z
      .object({
        primary: count.describe("小学在校生数（人）"),
        junior: count.describe("初中在校生数（人）"),
        senior: count.describe("高中在校生数（人），完全中学、十二年一贯制学校分摊用"),
      })
      .describe("在校生数"),
    sections: z.object({ primary: SectionStaffSchema.optional(), junior: SectionStaffSchema.optional() }).describe("各学段教师（小学部、初中部）"),
    facilities: FacilitiesSchema.nullable().optional(),
    specialRooms: z.array(SpecialRoomSchema).nullable().optional().describe("音乐、美术专用教室；省略或 null 表示未填报"),
    classes: z.array(ClassSchema).nullable().optional().describe("义务教育阶段各班；省略或 null 表示未填报"),
    publicFunds: PublicFundsSchema.nullable().optional(),
  })
  .describe("义务教育学校（含教学点）");

const yesNoItem = z.object({ met: nullableBool.describe("是否达到要求"), evidence });

export const GuaranteeInputSchema = z
  .object({
    G1: yesNoItem.optional(),
    G2: z
      .object({
        buildingStandardUnified: nullableBool.describe("建设标准统一"),
        staffingStandardUnified: nullableBool.describe("教师编制标准统一"),
        fundingBaselineUnified: nullableBool.describe("生均公用经费基准定额统一"),
        equipmentStandardUnified: nullableBool.describe("基本装备配置标准统一"),
        evidence,
      })
      .optional(),
    G7: z
      .object({
        specialSchools: z
          .array(
            z.object({
              name: z.string().min(1).describe("特殊教育学校名称"),
              students: count.describe("在校生数（人）"),
              perStudentPublicFundsYuan: nonNegative.describe("生均公用经费（元/生·年）"),
            }),
          )
          .nullable()
          .describe("县域内特殊教育学校；空数组表示县域内没有特殊教育学校（不适用）"),
        evidence,
      })
      .optional(),
    G8: z
      .object({
        teacherAverageSalaryYuan: nonNegative.nullable().describe("教师年平均工资（元）"),
        civilServantAverageSalaryYuan: nonNegative.nullable().describe("当地公务员年平均工资（元）"),
        performancePayFullyApproved: nullableBool.describe("按规定足额核定教师绩效工资总量"),
        evidence,
      })
      .optional(),
    G9: z
      .object({
        teachersRequired: nullableCount.describe("应完成5年360学时培训的教师数（人）"),
        teachersCompleted: nullableCount.describe("已完成的教师数（人）"),
        evidence,
      })
      .optional(),
    G10: yesNoItem.optional(),
    G11: z
      .object({
        eligibleTeachers: nullableCount.describe("符合交流条件教师总数（人）"),
        rotatedTeachers: nullableCount.describe("本年度交流轮岗教师数（人）"),
        rotatedKeyTeachers: nullableCount.describe("其中：骨干教师数（人）"),
        evidence,
      })
      .optional(),
    G12: z
      .object({
        fullTimeTeachers: nullableCount.describe("专任教师数（人）"),
        certifiedTeachers: nullableCount.describe("持有教师资格证的专任教师数（人）"),
        evidence,
      })
      .optional(),
    G13: z
      .object({
        primaryEntrants: nullableCount.describe("城区和镇区公办小学（不含寄宿制）一年级新生数（人）"),
        primaryByCatchment: nullableCount.describe("其中：就近划片入学人数（人）"),
        juniorEntrants: nullableCount.describe("城区和镇区公办初中（不含寄宿制）七年级新生数（人）"),
        juniorByCatchment: nullableCount.describe("其中：就近划片入学人数（人）"),
        evidence,
      })
      .optional(),
    G14: z
      .object({
        totalPlaces: nullableCount.describe("优质普通高中招生计划数（人）"),
        quotaPlaces: nullableCount.describe("其中：分配到初中学校的名额（人）"),
        tiltedToRural: nullableBool.describe("名额分配向农村初中倾斜"),
        evidence,
      })
      .optional(),
    G15: z
      .object({
        leftBehindCareSystem: nullableBool.describe("留守儿童关爱体系健全"),
        eligibleMigrantChildren: nullableCount.describe("符合条件的随迁子女数（人）"),
        inPublicOrPurchasedPlaces: nullableCount.describe("其中：在公办学校和政府购买服务的民办学校就读（人）"),
        evidence,
      })
      .optional(),
  })
  .describe("政府保障程度县级数据（G3–G6 由学校数据计算）");

const ratingItem = z.object({ rating: z.enum(RATINGS).nullable().describe("评价等级：excellent 优秀 / good 良好 / adequate 合格 / poor 不合格"), evidence });

export const QualityInputSchema = z
  .object({
    Q1: z
      .object({
        cohortEntrants: nullableCount.describe("三年前初一年级入学人数（人，已按转入、转出、死亡调整）"),
        currentGrade9: nullableCount.describe("现初三年级在校生数（人）"),
        evidence,
      })
      .optional(),
    Q2: z
      .object({
        disabledChildren: nullableCount.describe("适龄残疾儿童少年数（人）"),
        enrolled: nullableCount.describe("其中：入学人数（含随班就读、特教学校、送教上门）（人）"),
        evidence,
      })
      .optional(),
    Q3: z
      .object({
        charterAllSchools: nullableBool.describe("所有学校制定章程"),
        managementDigitised: nullableBool.describe("实现学校管理与教学信息化"),
        evidence,
      })
      .optional(),
    Q5: ratingItem.optional(),
    Q6: ratingItem.optional(),
    Q7: ratingItem.optional(),
    Q8: ratingItem.optional(),
    Q9: z
      .object({
        subjects: z
          .array(
            z.object({
              subject: z.string().min(1).describe("监测科目，如 数学、语文"),
              grade: z.number().int().min(1).max(9).nullable().optional().describe("监测年级（4或8）"),
              level: z.number().int().min(1).max(4).describe("学业水平等级（1–4，即Ⅰ–Ⅳ级）"),
              differenceRate: z.number().min(0).describe("校际差异率"),
            }),
          )
          .nullable()
          .describe("国家义务教育质量监测结果"),
        evidence,
      })
      .optional(),
  })
  .describe("教育质量县级数据（Q4 由学校数据计算）");

const vetoItem = z.object({ occurred: nullableBool.describe("是否存在"), note: evidence });
export const VetoInputSchema = z
  .object({
    V1: vetoItem.optional(),
    V2: vetoItem.optional(),
    V3: vetoItem.optional(),
    V4: vetoItem.optional(),
    V5: vetoItem.optional(),
    V6: vetoItem.optional(),
    V7: vetoItem.optional(),
  })
  .describe("一票否决事项");

export const CountyItemsSchema = z
  .object({
    countyId: idString,
    guarantee: GuaranteeInputSchema.optional(),
    quality: QualityInputSchema.optional(),
    veto: VetoInputSchema.optional(),
  })
  .describe("县级指标与佐证");

const score = z.number().int().min(1).max(5).nullable();

export const QuestionnaireRecordSchema = z
  .object({
    questionnaire: z.enum(QUESTIONNAIRE_IDS).describe("social 社会卷 / staff 校长教师卷 / student 学生卷"),
    countyId: idString,
    schoolId: idString.nullable().describe("学校标识码；人大代表、政协委员、其他群众为 null"),
    group: z.enum(RESPONDENT_GROUPS).describe("调查对象"),
    grade: z.number().int().min(1).max(9).nullable().describe("学生或家长子女的年级"),
    location: z.enum(LOCATIONS).nullable(),
    overallScore: score.describe("总体评价 1–5（满意5…很不满意1），null 表示不了解或未答"),
    itemScores: z.record(z.string(), score).describe("各题得分，null 表示不了解或未答"),
    valid: z.boolean().describe("审核是否有效"),
  })
  .describe("一份问卷");

export const SatisfactionCountRowSchema = z.object({
  countyId: idString,
  schoolId: idString.nullable(),
  group: z.enum(RESPONDENT_GROUPS),
  questionnaire: z.enum(QUESTIONNAIRE_IDS),
  location: z.enum(LOCATIONS).nullable(),
  grade: z.number().int().min(1).max(9).nullable(),
  total: count,
  invalid: count,
  valid: count,
  satisfied: count,
});

export const ItemCountRowSchema = z.object({
  countyId: idString,
  group: z.enum(RESPONDENT_GROUPS),
  questionnaire: z.enum(QUESTIONNAIRE_IDS),
  itemId: z.string().min(1),
  score: score,
  count,
});

export const SatisfactionInputSchema = z
  .discriminatedUnion("source", [
    z.object({ source: z.literal("records"), records: z.array(QuestionnaireRecordSchema) }),
    z.object({
      source: z.literal("counts"),
      rule: SatisfactionRuleSchema.describe("产生 satisfied 计数所用的满意判定规则"),
      cells: z.array(SatisfactionCountRowSchema),
      items: z.array(ItemCountRowSchema),
    }),
  ])
  .describe("社会认可度：逐份问卷，或已汇总的计数");

export const EvaluationInputSchema = z
  .object({
    format: z.literal("youzhi-junheng/evaluation-input"),
    version: z.literal(1),
    title: z.string().optional(),
    note: z.string().optional().describe("说明，如“演示数据”"),
    counties: z.array(CountySchema),
    schools: z.array(SchoolSchema),
    countyItems: z.array(CountyItemsSchema),
    satisfaction: SatisfactionInputSchema.optional(),
  })
  .describe("县域义务教育优质均衡发展督导评估 — 评估数据");

export type EvaluationInput = z.infer<typeof EvaluationInputSchema>;
export type CountyInput = z.infer<typeof CountySchema>;
export type SchoolInput = z.infer<typeof SchoolSchema>;
export type SectionStaff = z.infer<typeof SectionStaffSchema>;
export type Facilities = z.infer<typeof FacilitiesSchema>;
export type SpecialRoom = z.infer<typeof SpecialRoomSchema>;
export type ClassInput = z.infer<typeof ClassSchema>;
export type GuaranteeInput = z.infer<typeof GuaranteeInputSchema>;
export type QualityInput = z.infer<typeof QualityInputSchema>;
export type VetoInput = z.infer<typeof VetoInputSchema>;
export type CountyItems = z.infer<typeof CountyItemsSchema>;
export type SatisfactionInput = z.infer<typeof SatisfactionInputSchema>;
export const INPUT_FORMAT = "youzhi-junheng/evaluation-input";
