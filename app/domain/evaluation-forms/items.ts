/**
 * The figures of the 政府保障程度 (G1–G15) and 教育质量 (Q1–Q9) items as the 申报表 lists them:
 * for each item, which of the engine's `figures` are shown, under which Chinese name and unit,
 * how they are rounded, and the requirement they are held to (from the settings used, so a
 * province's own reading shows its own thresholds). A figure the engine adds later and this
 * table does not name is still shown, under its key, so nothing the engine computed is lost.
 */
import type { EvaluationSettings } from "../evaluation";
import { RATING_LABELS, type Rating } from "../evaluation/codes";

export type FigureKind = "count" | "yuan" | "rate" | "bool" | "rating";

export interface FigureSpec {
  key: string;
  label: string;
  unit: string;
  kind: FigureKind;
  /** The threshold a rate is held to (0–1) and how it is compared. */
  requirement?: (s: EvaluationSettings) => { threshold: number; comparison: ">=" | "<=" | "<" };
}

const c = (key: string, label: string, unit = "人"): FigureSpec => ({ key, label, unit, kind: "count" });
const b = (key: string, label: string): FigureSpec => ({ key, label, unit: "是/否", kind: "bool" });
const r = (key: string, label: string, req: (s: EvaluationSettings) => number): FigureSpec => ({
  key,
  label,
  unit: "%",
  kind: "rate",
  requirement: (s) => ({ threshold: req(s), comparison: ">=" }),
});
const y = (key: string, label: string): FigureSpec => ({ key, label, unit: "元", kind: "yuan" });
const rating = (): FigureSpec[] => [{ key: "rating", label: "评价等级", unit: "等级", kind: "rating" }];

/** Figures shown per item, in the order of the form. Keys are the engine's `figures` keys. */
export const ITEM_FIGURES: Record<string, FigureSpec[]> = {
  G1: [b("met", "是否达到要求")],
  G2: [
    b("buildingStandardUnified", "城乡义务教育学校建设标准统一"),
    b("staffingStandardUnified", "城乡教师编制标准统一"),
    b("fundingBaselineUnified", "城乡生均公用经费基准定额统一"),
    b("equipmentStandardUnified", "城乡基本装备配置标准统一"),
  ],
  G3: [],
  G4: [],
  G5: [c("classesOverCap", "超过班额上限的班级数", "个")],
  G6: [],
  G7: [],
  G8: [
    y("teacherAverageSalaryYuan", "义务教育学校教师年平均工资"),
    y("civilServantAverageSalaryYuan", "当地公务员年平均工资"),
    b("performancePayFullyApproved", "按规定足额核定教师绩效工资总量"),
  ],
  G9: [
    c("denominator", "应完成5年360学时培训的教师数"),
    c("numerator", "已完成5年360学时培训的教师数"),
    r("rate", "培训完成率", (s) => s.guarantee.g9.minCompletionRate),
  ],
  G10: [b("met", "是否达到要求")],
  G11: [
    c("eligibleTeachers", "符合交流条件教师总数"),
    c("rotatedTeachers", "本年度交流轮岗教师数"),
    c("rotatedKeyTeachers", "其中：骨干教师数"),
    r("rotationRate", "交流轮岗教师比例", (s) => s.guarantee.g11.minRotationRate),
    r("keyTeacherShare", "骨干教师占交流轮岗教师比例", (s) => s.guarantee.g11.minKeyTeacherShare),
  ],
  G12: [c("denominator", "专任教师数"), c("numerator", "持有教师资格证的专任教师数"), r("rate", "持证上岗率", (s) => s.guarantee.g12.minCertifiedRate)],
  G13: [
    c("primaryEntrants", "城区和镇区公办小学（不含寄宿制）一年级新生数"),
    c("primaryByCatchment", "其中：就近划片入学人数"),
    r("primaryRate", "小学就近划片入学比例", (s) => s.guarantee.g13.minCatchmentRate.primary),
    c("juniorEntrants", "城区和镇区公办初中（不含寄宿制）七年级新生数"),
    c("juniorByCatchment", "其中：就近划片入学人数"),
    r("juniorRate", "初中就近划片入学比例", (s) => s.guarantee.g13.minCatchmentRate.junior),
  ],
  G14: [
    c("denominator", "优质普通高中招生计划数", "个"),
    c("numerator", "其中：分配到初中学校的名额", "个"),
    r("rate", "名额分配比例", (s) => s.guarantee.g14.minQuotaShare),
    b("tiltedToRural", "名额分配向农村初中倾斜"),
  ],
  G15: [
    b("leftBehindCareSystem", "留守儿童关爱体系健全"),
    c("denominator", "符合条件的随迁子女数"),
    c("numerator", "其中：在公办学校和政府购买服务的民办学校就读人数"),
    r("rate", "随迁子女在公办学校和政府购买服务的民办学校就读比例", (s) => s.guarantee.g15.minMigrantPublicRate),
  ],
  Q1: [
    c("denominator", "三年前初一年级入学人数（已按转入、转出、死亡调整）"),
    c("numerator", "现初三年级在校生数"),
    r("rate", "初中三年巩固率", (s) => s.quality.q1MinRetentionRate),
  ],
  Q2: [
    c("denominator", "适龄残疾儿童少年数"),
    c("numerator", "其中：入学人数（含随班就读、特教学校、送教上门）"),
    r("rate", "残疾儿童少年入学率", (s) => s.quality.q2MinDisabledEnrollmentRate),
  ],
  Q3: [b("charterAllSchools", "所有学校制定章程"), b("managementDigitised", "实现学校管理与教学信息化")],
  Q4: [],
  Q5: rating(),
  Q6: rating(),
  Q7: rating(),
  Q8: rating(),
  Q9: [c("subjects", "监测科目数", "个"), c("subjectsFailing", "未达要求的科目数", "个")],
};

/**
 * Keys the form does not show as a row of their own: the requirement (shown in the 要求
 * column), and the per-school counts that the item's own sheet lists school by school.
 */
export const HIDDEN_FIGURE_KEYS: ReadonlySet<string> = new Set(["required", "minRating", "schoolsChecked", "schoolsFailing"]);

const ratingKeys = new Set<string>(Object.keys(RATING_LABELS));
function isRating(v: string): v is Rating {
  return ratingKeys.has(v);
}

/** 评价等级 label of a stored rating code (优秀/良好/合格/不合格); unknown codes unchanged. */
export function ratingLabel(v: string): string {
  return isRating(v) ? RATING_LABELS[v] : v;
}

/** "≥ 95%", "= 100%" for a 0–1 threshold. */
export function requirementText(threshold: number, comparison: ">=" | "<=" | "<"): string {
  const pct = Number((threshold * 100).toPrecision(12));
  if (comparison === ">=" && pct === 100) return "= 100%";
  return `${comparison === ">=" ? "≥" : comparison === "<=" ? "≤" : "<"} ${String(pct)}%`;
}
