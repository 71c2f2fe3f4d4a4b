/**
 * Stable codes of the evaluation (县域义务教育优质均衡发展督导评估) used in the JSON output and
 * the import files, with their official Chinese names. Codes never change; labels are for people.
 */

/** 资源配置 7 项指标 (spec §1). */
export const INDICATOR_CODES = ["L1", "L2", "L3", "L4", "L5", "L6", "L7"] as const;
export type IndicatorCode = (typeof INDICATOR_CODES)[number];
export const INDICATOR_LABELS: Record<IndicatorCode, string> = {
  L1: "每百名学生拥有高于规定学历教师数",
  L2: "每百名学生拥有县级以上骨干教师数",
  L3: "每百名学生拥有体育、艺术（美术、音乐）专任教师数",
  L4: "生均教学及辅助用房面积",
  L5: "生均体育运动场（馆）面积",
  L6: "生均教学仪器设备值",
  L7: "每百名学生拥有网络多媒体教室数",
};
/** Unit of an indicator's value. */
export const INDICATOR_UNITS: Record<IndicatorCode, string> = {
  L1: "人/百生",
  L2: "人/百生",
  L3: "人/百生",
  L4: "m²/生",
  L5: "m²/生",
  L6: "元/生",
  L7: "间/百生",
};

/** 政府保障程度 15 项 (spec §2). */
export const GUARANTEE_CODES = ["G1", "G2", "G3", "G4", "G5", "G6", "G7", "G8", "G9", "G10", "G11", "G12", "G13", "G14", "G15"] as const;
export type GuaranteeCode = (typeof GUARANTEE_CODES)[number];
export const GUARANTEE_LABELS: Record<GuaranteeCode, string> = {
  G1: "县域内义务教育学校规划布局合理，符合国家规定要求",
  G2: "县域内城乡义务教育学校建设标准统一、教师编制标准统一、生均公用经费基准定额统一、基本装备配置标准统一",
  G3: "所有小学、初中每12个班配备音乐、美术专用教室1间以上；每间音乐专用教室面积不小于96平方米，每间美术专用教室面积不小于90平方米",
  G4: "所有小学、初中规模不超过2000人，九年一贯制学校、十二年一贯制学校义务教育阶段规模不超过2500人",
  G5: "小学、初中所有班级学生数分别不超过45人、50人",
  G6: "不足100名学生村小学和教学点按100名学生核定公用经费",
  G7: "特殊教育学校生均公用经费不低于6000元",
  G8: "全县义务教育学校教师平均工资水平不低于当地公务员平均工资收入水平，按规定足额核定教师绩效工资总量",
  G9: "教师5年360学时培训完成率达到100%",
  G10: "县级教育行政部门在核定的教职工编制总额和岗位总量内，统筹分配各校教职工编制和岗位数量",
  G11: "全县每年交流轮岗教师的比例不低于符合交流条件教师总数的10%；其中，骨干教师不低于交流轮岗教师总数的20%",
  G12: "专任教师持有教师资格证上岗率达到100%",
  G13: "城区和镇区公办小学、初中（均不含寄宿制学校）就近划片入学比例分别达到100%、95%以上",
  G14: "全县优质高中招生名额分配比例不低于50%，并向农村初中倾斜",
  G15: "留守儿童关爱体系健全，全县符合条件的随迁子女在公办学校和政府购买服务的民办学校就读的比例不低于85%",
};

/** 教育质量 9 项 (spec §3). */
export const QUALITY_CODES = ["Q1", "Q2", "Q3", "Q4", "Q5", "Q6", "Q7", "Q8", "Q9"] as const;
export type QualityCode = (typeof QUALITY_CODES)[number];
export const QUALITY_LABELS: Record<QualityCode, string> = {
  Q1: "全县初中三年巩固率达到95%以上",
  Q2: "全县残疾儿童少年入学率达到95%以上",
  Q3: "所有学校制定章程，实现学校管理与教学信息化",
  Q4: "全县所有学校按照不低于学校年度公用经费预算总额的5%安排教师培训经费",
  Q5: "教师能熟练运用信息化手段组织教学，设施设备利用率达到较高水平",
  Q6: "所有学校德育工作、校园文化建设水平达到良好以上",
  Q7: "课程开齐开足，教学秩序规范，综合实践活动有效开展",
  Q8: "无过重课业负担",
  Q9: "在国家义务教育质量监测中，相关科目学生学业水平达到Ⅲ级以上，且校际差异率低于0.15",
};

/** 一票否决 items (spec "Veto items"). */
export const VETO_CODES = ["V1", "V2", "V3", "V4", "V5", "V6", "V7"] as const;
export type VetoCode = (typeof VETO_CODES)[number];
export const VETO_LABELS: Record<VetoCode, string> = {
  V1: "存在以考试方式招生",
  V2: "存在违规择校行为",
  V3: "存在重点学校或重点班",
  V4: "存在“有编不补”或长期聘用编外教师",
  V5: "发生重大安全责任事故或严重违纪违规事件",
  V6: "弄虚作假",
  V7: "校外培训机构治理不力、学生课业负担过重",
};

/** 评价等级 used by Q5–Q8 ratings. Ordered best first. */
export const RATINGS = ["excellent", "good", "adequate", "poor"] as const;
export type Rating = (typeof RATINGS)[number];
export const RATING_LABELS: Record<Rating, string> = {
  excellent: "优秀",
  good: "良好",
  adequate: "合格",
  poor: "不合格",
};
/** Higher is better: 优秀 3, 良好 2, 合格 1, 不合格 0. */
export const RATING_RANK: Record<Rating, number> = { excellent: 3, good: 2, adequate: 1, poor: 0 };

/** 学业水平等级 of 国家义务教育质量监测 (Ⅰ 待提高, Ⅱ 中等, Ⅲ 良好, Ⅳ 优秀). */
export const MONITORING_LEVEL_LABELS = ["Ⅰ级", "Ⅱ级", "Ⅲ级", "Ⅳ级"] as const;
export function monitoringLevelLabel(level: number): string {
  return MONITORING_LEVEL_LABELS[level - 1] ?? `${String(level)}级`;
}

/** Status of one checked item or part. */
export const ITEM_STATUSES = ["pass", "fail", "not_evaluated", "not_applicable"] as const;
export type ItemStatus = (typeof ITEM_STATUSES)[number];
export const ITEM_STATUS_LABELS: Record<ItemStatus, string> = {
  pass: "达标",
  fail: "未达标",
  not_evaluated: "未评估（无数据）",
  not_applicable: "不适用",
};

/** A record over L1–L7 built without casts. */
export function byIndicator<T>(fn: (code: IndicatorCode) => T): Record<IndicatorCode, T> {
  return { L1: fn("L1"), L2: fn("L2"), L3: fn("L3"), L4: fn("L4"), L5: fn("L5"), L6: fn("L6"), L7: fn("L7") };
}
