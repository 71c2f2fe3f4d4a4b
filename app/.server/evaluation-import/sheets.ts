/**
 * The sheets of the evaluation workbook (评估数据填报模板) and their columns, shared by the template
 * generator and the importers so the two cannot drift. Column headers carry their unit in
 * brackets, as the national forms and 教育事业统计 tables do. docs/evaluation.md lists them all.
 */
import { LOCATION_LABELS, QUESTIONNAIRE_LABELS, RESPONDENT_GROUP_LABELS, SCHOOL_TYPE_LABELS } from "../../domain/vocabulary";
import { SCALE_CHOICES } from "../../domain/survey-scale";
import { RATING_LABELS } from "../../domain/evaluation/codes";

export type CellType =
  | { kind: "text" }
  | { kind: "int"; min?: number; max?: number }
  | { kind: "number"; min?: number; exclusiveMin?: number }
  | { kind: "percent" } // 0–100 in the sheet, 0–1 in the JSON
  // code → Chinese label; `synonyms`: other ways people write a value (normalised text → code),
  // accepted and reported in the import's notes as an assumption.
  | { kind: "enum"; values: Readonly<Record<string, string>>; synonyms?: Readonly<Record<string, string>> }
  | { kind: "bool" } // 是 / 否
  | { kind: "rating" } // 优秀 / 良好 / 合格 / 不合格
  | { kind: "score" }; // 满意 … 很不满意 / 不了解 / 1–5 / blank

export interface ColumnSpec {
  key: string;
  header: string;
  type: CellType;
  required: boolean;
  note: string;
}

export interface SheetSpec {
  key: string;
  /** Sheet name in the workbook; also the CSV file name (<name>.csv) */
  name: string;
  /** English CSV file name accepted as well (<key>.csv). */
  description: string;
  columns: ColumnSpec[];
}

/**
 * Short and everyday forms of the coded values, as officers type them (compared after
 * `normaliseValue`). Only forms that cannot mean anything else: "中学" (初中 or 完全中学?) and
 * "城镇" (城区 or 镇区?) are not here.
 */
export const SCHOOL_TYPE_SYNONYMS: Readonly<Record<string, string>> = {
  完小: "primary",
  完全小学: "primary",
  中心小学: "primary",
  初级中学: "junior",
  初中学校: "junior",
  九年一贯制: "nine_year",
  九年一贯: "nine_year",
  九年制: "nine_year",
  九年制学校: "nine_year",
  九年一贯制学校: "nine_year",
  十二年一贯制: "twelve_year",
  十二年一贯: "twelve_year",
  十二年制: "twelve_year",
  十二年制学校: "twelve_year",
  完中: "complete_secondary",
  完全中学校: "complete_secondary",
};
export const LOCATION_SYNONYMS: Readonly<Record<string, string>> = { 城市: "urban", 城: "urban", 镇: "town", 乡: "rural", 农村: "rural", 村: "rural" };
export const LEVEL_SYNONYMS: Readonly<Record<string, string>> = { 小学部: "primary", 小学段: "primary", 初中部: "junior", 初中段: "junior" };
export const ROOM_KIND_SYNONYMS: Readonly<Record<string, string>> = { 音乐教室: "music", 音乐室: "music", 美术教室: "art", 美术室: "art" };

/** A cell's text as compared with codes, labels and synonyms: NFKC (full-width → half-width), no spaces. */
export function normaliseValue(text: string): string {
  return text.normalize("NFKC").replace(/\s+/g, "");
}

const col = (key: string, header: string, type: CellType, required: boolean, note = ""): ColumnSpec => ({ key, header, type, required, note });
const count = { kind: "int", min: 0 } as const;
const area = { kind: "number", min: 0 } as const;
const money = { kind: "number", min: 0 } as const;

export const LEVEL_VALUES = { primary: "小学", junior: "初中" } as const;
export const ROOM_KIND_VALUES = { music: "音乐", art: "美术" } as const;

export const COUNTIES_SHEET: SheetSpec = {
  key: "counties",
  name: "县（区）",
  description: "每个县（区）一行",
  columns: [
    col("id", "县（区）代码", { kind: "text" }, true, "6位行政区划代码，如 640521"),
    col("name", "县（区）名称", { kind: "text" }, true),
    col("residentPopulation", "常住人口（人）", { kind: "int", min: 1 }, false, "用于社会认可度样本量（1.5‰）"),
    col("urban", "城区人口占比（%）", { kind: "percent" }, false, "三项合计100"),
    col("town", "镇区人口占比（%）", { kind: "percent" }, false),
    col("rural", "乡村人口占比（%）", { kind: "percent" }, false),
  ],
};

export const SCHOOLS_SHEET: SheetSpec = {
  key: "schools",
  name: "学校",
  description: "每所义务教育学校（含教学点）一行；学校类型、城乡类型与教育事业统计一致",
  columns: [
    col("id", "学校标识码", { kind: "text" }, true, "教育事业统计学校标识码"),
    col("name", "学校名称", { kind: "text" }, true),
    col("countyId", "所属县（区）代码", { kind: "text" }, true),
    col("type", "学校类型", { kind: "enum", values: SCHOOL_TYPE_LABELS, synonyms: SCHOOL_TYPE_SYNONYMS }, true, Object.values(SCHOOL_TYPE_LABELS).join("/")),
    col("location", "城乡类型", { kind: "enum", values: LOCATION_LABELS, synonyms: LOCATION_SYNONYMS }, true, "城区/镇区/乡村"),
    col("primary", "小学在校生数（人）", count, true),
    col("junior", "初中在校生数（人）", count, true),
    col("senior", "高中在校生数（人）", count, true, "完全中学、十二年一贯制学校填写，用于分摊共用资源"),
    col("fundedStudents", "公用经费核定学生数（人）", count, false, "G6：不足100人的村小学和教学点"),
    col("annualBudgetWanYuan", "年度公用经费预算总额（万元）", money, false, "Q4"),
    col("teacherTrainingWanYuan", "其中：教师培训经费（万元）", money, false, "Q4"),
  ],
};

export const TEACHERS_SHEET: SheetSpec = {
  key: "teachers",
  name: "教师",
  description: "每所学校每个学段一行（九年一贯制、十二年一贯制学校分小学、初中两行；完全中学只填初中）",
  columns: [
    col("schoolId", "学校标识码", { kind: "text" }, true),
    col("level", "学段", { kind: "enum", values: LEVEL_VALUES, synonyms: LEVEL_SYNONYMS }, true, "小学/初中"),
    col("fullTimeTeachers", "专任教师数（人）", count, true),
    col("aboveRequiredDegree", "高于规定学历教师数（人）", count, true, "小学专科及以上，初中本科及以上"),
    col("keyTeachers", "县级以上骨干教师数（人）", count, true),
    col("peTeachers", "体育专任教师数（人）", count, true),
    col("musicTeachers", "音乐专任教师数（人）", count, true),
    col("artTeachers", "美术专任教师数（人）", count, true),
  ],
};

export const AREAS_SHEET: SheetSpec = {
  key: "areas",
  name: "校舍场地",
  description: "每所学校一行，全校数（跨学段学校按加权学生数分摊）",
  columns: [
    col("schoolId", "学校标识码", { kind: "text" }, true),
    col("teachingAuxiliaryAreaM2", "教学及辅助用房面积（m²）", area, true),
    col("indoorSportsAreaM2", "其中：室内体育用房面积（m²）", area, true, "计算生均教学及辅助用房面积时扣除"),
    col("sportsGroundAreaM2", "体育运动场面积（m²）", area, true),
    col("sportsHallAreaM2", "体育馆面积（m²）", area, true),
  ],
};

export const EQUIPMENT_SHEET: SheetSpec = {
  key: "equipment",
  name: "教学装备",
  description: "每所学校一行，全校数",
  columns: [
    col("schoolId", "学校标识码", { kind: "text" }, true),
    col("equipmentValueWanYuan", "教学仪器设备资产值（万元）", money, true),
    col("multimediaClassrooms", "网络多媒体教室数（间）", count, true),
  ],
};

export const ROOMS_SHEET: SheetSpec = {
  key: "rooms",
  name: "专用教室",
  description: "每间音乐、美术专用教室一行（G3）",
  columns: [
    col("schoolId", "学校标识码", { kind: "text" }, true),
    col("kind", "教室类型", { kind: "enum", values: ROOM_KIND_VALUES, synonyms: ROOM_KIND_SYNONYMS }, true, "音乐/美术"),
    col("name", "教室名称", { kind: "text" }, false),
    col("areaM2", "使用面积（m²）", { kind: "number", exclusiveMin: 0 }, true),
  ],
};

export const CLASSES_SHEET: SheetSpec = {
  key: "classes",
  name: "班级",
  description: "义务教育阶段每个班一行（G3 班数、G5 班额）；各班人数合计须等于在校生数",
  columns: [
    col("schoolId", "学校标识码", { kind: "text" }, true),
    col("grade", "年级", { kind: "int", min: 1, max: 9 }, true, "1–9"),
    col("name", "班级名称", { kind: "text" }, false),
    col("students", "班级学生数（人）", { kind: "int", min: 1 }, true),
  ],
};

export const COUNTY_ITEMS_SHEET: SheetSpec = {
  key: "county_items",
  name: "县级指标",
  description: "政府保障程度、教育质量的县级数据与一票否决事项，每个数据项一行；佐证材料填在该项任一行",
  columns: [
    col("countyId", "县（区）代码", { kind: "text" }, true),
    col("item", "指标代码", { kind: "text" }, true, "G1–G15、Q1–Q9、V1–V7"),
    col("field", "数据项代码", { kind: "text" }, true, "见填表说明，勿修改"),
    col("label", "数据项", { kind: "text" }, false, "仅供阅读"),
    col("unit", "单位或取值", { kind: "text" }, false, "仅供阅读"),
    col("value", "填报值", { kind: "text" }, false, "留空表示未填报"),
    col("evidence", "佐证材料及说明", { kind: "text" }, false),
  ],
};

export const SPECIAL_SCHOOLS_SHEET: SheetSpec = {
  key: "special_schools",
  name: "特殊教育学校",
  description: "县域内每所特殊教育学校一行（G7）",
  columns: [
    col("countyId", "县（区）代码", { kind: "text" }, true),
    col("name", "学校名称", { kind: "text" }, true),
    col("students", "在校生数（人）", count, true),
    col("perStudentPublicFundsYuan", "生均公用经费（元）", money, true),
  ],
};

export const MONITORING_SHEET: SheetSpec = {
  key: "monitoring",
  name: "质量监测",
  description: "国家义务教育质量监测结果，每个年级每个科目一行（Q9）",
  columns: [
    col("countyId", "县（区）代码", { kind: "text" }, true),
    col("grade", "监测年级", { kind: "int", min: 1, max: 9 }, false, "4或8"),
    col("subject", "科目", { kind: "text" }, true),
    col("level", "学业水平等级（1–4）", { kind: "int", min: 1, max: 4 }, true, "Ⅰ–Ⅳ级填1–4"),
    col("differenceRate", "校际差异率", { kind: "number", min: 0 }, true),
  ],
};

export const QUESTIONNAIRES_SHEET: SheetSpec = {
  key: "questionnaires",
  name: "问卷",
  description: "每份问卷一行；固定列之后每列是一个题目（表头为题目编号），取值 满意/比较满意/基本满意/不满意/很不满意/不了解",
  columns: [
    col("questionnaire", "问卷类型", { kind: "enum", values: QUESTIONNAIRE_LABELS }, true, "社会卷/校长教师卷/学生卷"),
    col("countyId", "县（区）代码", { kind: "text" }, true),
    col("schoolId", "学校标识码", { kind: "text" }, false, "人大代表、政协委员、其他群众可空"),
    col("group", "调查对象", { kind: "enum", values: RESPONDENT_GROUP_LABELS }, true, Object.values(RESPONDENT_GROUP_LABELS).join("/")),
    col("grade", "年级", { kind: "int", min: 1, max: 9 }, false, "学生本人或家长子女的年级"),
    col("location", "城乡类型", { kind: "enum", values: LOCATION_LABELS, synonyms: LOCATION_SYNONYMS }, false),
    col("overall", "总体评价", { kind: "score" }, false, SCALE_CHOICES.join("/")),
    col("valid", "是否有效", { kind: "bool" }, true, "是/否（审核结果）"),
  ],
};

/** Sheets in workbook order. */
export const SHEETS: readonly SheetSpec[] = [
  COUNTIES_SHEET,
  SCHOOLS_SHEET,
  TEACHERS_SHEET,
  AREAS_SHEET,
  EQUIPMENT_SHEET,
  ROOMS_SHEET,
  CLASSES_SHEET,
  COUNTY_ITEMS_SHEET,
  SPECIAL_SCHOOLS_SHEET,
  MONITORING_SHEET,
  QUESTIONNAIRES_SHEET,
];

export const README_SHEET_NAME = "填表说明";

/** One data item of the 县级指标 sheet. */
export interface CountyField {
  item: string;
  field: string;
  label: string;
  /** `note`: no value, the row carries the item's evidence (data in another sheet). */
  type: "bool" | "int" | "number" | "rating" | "note";
  unit: string;
}

const b = (item: string, field: string, label: string): CountyField => ({ item, field, label, type: "bool", unit: "是/否" });
const i = (item: string, field: string, label: string, unit = "人"): CountyField => ({ item, field, label, type: "int", unit });
const n = (item: string, field: string, label: string, unit: string): CountyField => ({ item, field, label, type: "number", unit });
const r = (item: string, label: string): CountyField => ({ item, field: "rating", label, type: "rating", unit: Object.values(RATING_LABELS).join("/") });

/** Every county-level data item, in sheet order. G3–G6 and Q4 come from the school sheets. */
export const COUNTY_FIELDS: readonly CountyField[] = [
  b("G1", "met", "县域内义务教育学校规划布局合理，符合国家规定要求"),
  b("G2", "buildingStandardUnified", "城乡义务教育学校建设标准统一"),
  b("G2", "staffingStandardUnified", "城乡教师编制标准统一"),
  b("G2", "fundingBaselineUnified", "城乡生均公用经费基准定额统一"),
  b("G2", "equipmentStandardUnified", "城乡基本装备配置标准统一"),
  b("G7", "hasSpecialSchool", "县域内有特殊教育学校（有则在「特殊教育学校」表逐校填报）"),
  n("G8", "teacherAverageSalaryYuan", "义务教育学校教师年平均工资", "元"),
  n("G8", "civilServantAverageSalaryYuan", "当地公务员年平均工资", "元"),
  b("G8", "performancePayFullyApproved", "按规定足额核定教师绩效工资总量"),
  i("G9", "teachersRequired", "应完成5年360学时培训的教师数"),
  i("G9", "teachersCompleted", "已完成5年360学时培训的教师数"),
  b("G10", "met", "县级教育行政部门在核定的编制总额和岗位总量内统筹分配各校编制和岗位"),
  i("G11", "eligibleTeachers", "符合交流条件教师总数"),
  i("G11", "rotatedTeachers", "本年度交流轮岗教师数"),
  i("G11", "rotatedKeyTeachers", "其中：骨干教师数"),
  i("G12", "fullTimeTeachers", "专任教师数"),
  i("G12", "certifiedTeachers", "持有教师资格证的专任教师数"),
  i("G13", "primaryEntrants", "城区和镇区公办小学（不含寄宿制）一年级新生数"),
  i("G13", "primaryByCatchment", "其中：就近划片入学人数"),
  i("G13", "juniorEntrants", "城区和镇区公办初中（不含寄宿制）七年级新生数"),
  i("G13", "juniorByCatchment", "其中：就近划片入学人数"),
  i("G14", "totalPlaces", "优质普通高中招生计划数"),
  i("G14", "quotaPlaces", "其中：分配到初中学校的名额"),
  b("G14", "tiltedToRural", "名额分配向农村初中倾斜"),
  b("G15", "leftBehindCareSystem", "留守儿童关爱体系健全"),
  i("G15", "eligibleMigrantChildren", "符合条件的随迁子女数"),
  i("G15", "inPublicOrPurchasedPlaces", "其中：在公办学校和政府购买服务的民办学校就读人数"),
  i("Q1", "cohortEntrants", "三年前初一年级入学人数（已按转入、转出、死亡调整）"),
  i("Q1", "currentGrade9", "现初三年级在校生数"),
  i("Q2", "disabledChildren", "适龄残疾儿童少年数"),
  i("Q2", "enrolled", "其中：入学人数（含随班就读、特教学校、送教上门）"),
  b("Q3", "charterAllSchools", "所有学校制定章程"),
  b("Q3", "managementDigitised", "实现学校管理与教学信息化"),
  r("Q5", "教师能熟练运用信息化手段组织教学，设施设备利用率较高 — 评价等级"),
  r("Q6", "德育工作、校园文化建设水平 — 评价等级"),
  r("Q7", "课程开齐开足、教学秩序规范、综合实践活动有效开展 — 评价等级"),
  r("Q8", "无过重课业负担 — 评价等级"),
  { item: "Q9", field: "evidence", label: "国家义务教育质量监测结果（逐科填在「质量监测」表，此行只填佐证材料）", type: "note", unit: "—" },
  b("V1", "occurred", "存在以考试方式招生"),
  b("V2", "occurred", "存在违规择校行为"),
  b("V3", "occurred", "存在重点学校或重点班"),
  b("V4", "occurred", "存在“有编不补”或长期聘用编外教师"),
  b("V5", "occurred", "发生重大安全责任事故或严重违纪违规事件"),
  b("V6", "occurred", "弄虚作假"),
  b("V7", "occurred", "校外培训机构治理不力、学生课业负担过重"),
];

/**
 * The sheet a worksheet's name stands for: the exact name or key; else the name compared
 * without brackets, spaces and width ("县(区)", "县（区)", "县 区", "县区", "［县（区）］" are 县（区）;
 * "学校 " is 学校). `assumed` says when the name was not the template's own.
 */
export function sheetForName(name: string): { spec: SheetSpec; assumed: boolean } | null {
  const t = name.trim();
  const exact = SHEETS.find((s) => s.name === t || s.key === t || s.key === t.toLowerCase());
  if (exact) return { spec: exact, assumed: exact.name !== name && exact.key !== name };
  const loose = (x: string) =>
    normaliseValue(x)
      .toLowerCase()
      .replace(/[()[\]{}〔〕【】<>《》「」『』"'“”‘’:：._\-—/、]/g, "")
      .replace(/表$/, "")
      .replace(/工作表$/, "");
  const key = loose(t);
  if (key === "") return null;
  const spec = SHEETS.find((s) => loose(s.name) === key || s.key === key);
  return spec ? { spec, assumed: true } : null;
}

/** Normalises a header for matching: full-width brackets and spaces do not matter. */
export function normaliseHeader(h: string): string {
  return h.replace(/\s+/g, "").replace(/[（(]/g, "(").replace(/[）)]/g, ")").replace(/m2/gi, "m²").replace(/：/g, ":");
}
