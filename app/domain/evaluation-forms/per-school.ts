/**
 * The per-school sheets of the 申报表 (G3–G7, Q4, Q9): one row per school with the figures the
 * item checks, its conclusion and the reasons.
 */
import { ITEM_STATUS_LABELS, monitoringLevelLabel } from "../evaluation/codes";
import { rateBorderline, type ItemResult, type SchoolCheck } from "../evaluation/items";
import type { SchoolInput } from "../evaluation/input";
import { LOCATION_LABELS, SCHOOL_TYPE_LABELS } from "../vocabulary";
import { col, FULL_PRECISION_HEADER, sheet, SHEET_NAMES, statusCell, type Ctx } from "./context";
import { requirementText } from "./items";
import { blank, COUNT_FORMAT, decimalsFormat, FULL_PRECISION_FORMAT, num, text, YUAN_FORMAT, type FormCell, type FormColumn, type FormSheet } from "./sheet";

type Fig = SchoolCheck["figures"];
const fnum = (f: Fig, key: string, fmt: string): FormCell => {
  const v = f[key];
  return typeof v === "number" ? num(v, fmt) : blank;
};

function perSchoolSheet(
  ctx: Ctx,
  name: string,
  title: string,
  notes: string[],
  item: ItemResult | undefined,
  figureColumns: { column: FormColumn; cell: (check: SchoolCheck, school: SchoolInput | undefined) => FormCell }[],
  withSchoolColumns = true,
): FormSheet {
  const checks = item?.schools ?? [];
  const rows = checks.map((check, i) => {
    const school = ctx.schoolById.get(check.schoolId);
    return [
      num(i + 1, COUNT_FORMAT),
      text(check.schoolName),
      ...(withSchoolColumns ? [text(school ? SCHOOL_TYPE_LABELS[school.type] : ""), text(school ? LOCATION_LABELS[school.location] : "")] : []),
      ...figureColumns.map((f) => f.cell(check, school)),
      statusCell(check.status),
      text(check.reasons.join("；")),
    ];
  });
  const statusNote = item
    ? `本项结论：${ITEM_STATUS_LABELS[item.status]}${item.schools.length === 0 && item.reasons.length > 0 ? `（${item.reasons.join("；")}）` : ""}`
    : "本项无数据";
  return sheet(
    name,
    `${ctx.verdict.countyName} ${title}`,
    [statusNote, ...notes],
    [
      col("序号", 6),
      col(withSchoolColumns ? "学校" : "特殊教育学校", 32),
      ...(withSchoolColumns ? [col("学校类型", 14), col("城乡类型", 10)] : []),
      ...figureColumns.map((f) => f.column),
      col("结论", 10),
      col("说明", 44),
    ],
    rows,
  );
}

export function g3Sheet(ctx: Ctx, item: ItemResult | undefined): FormSheet {
  const g = ctx.settings.guarantee.g3;
  return perSchoolSheet(
    ctx,
    SHEET_NAMES.g3,
    "G3 音乐、美术专用教室（逐校）",
    [
      `每${String(g.classesPerRoom)}个班配备音乐、美术专用教室各1间（${g.rounding === "ceil" ? "班数 ÷ 12 向上取整" : "班数 ÷ 12 向下取整，至少1间"}）；音乐教室 ≥ ${String(g.musicRoomMinM2)} m²、美术教室 ≥ ${String(g.artRoomMinM2)} m² 方计入。`,
    ],
    item,
    [
      { column: col("班级数（个）", 10), cell: (c) => fnum(c.figures, "classes", COUNT_FORMAT) },
      { column: col("应配音乐、美术教室各（间）", 14), cell: (c) => fnum(c.figures, "roomsNeededEach", COUNT_FORMAT) },
      { column: col("音乐专用教室（间）", 12), cell: (c) => fnum(c.figures, "musicRooms", COUNT_FORMAT) },
      { column: col(`其中面积达标（≥${String(g.musicRoomMinM2)}m²）`, 14), cell: (c) => fnum(c.figures, "musicRoomsCompliant", COUNT_FORMAT) },
      { column: col("美术专用教室（间）", 12), cell: (c) => fnum(c.figures, "artRooms", COUNT_FORMAT) },
      { column: col(`其中面积达标（≥${String(g.artRoomMinM2)}m²）`, 14), cell: (c) => fnum(c.figures, "artRoomsCompliant", COUNT_FORMAT) },
    ],
  );
}

export function g4Sheet(ctx: Ctx, item: ItemResult | undefined): FormSheet {
  const g = ctx.settings.guarantee.g4;
  return perSchoolSheet(
    ctx,
    SHEET_NAMES.g4,
    "G4 学校规模（逐校）",
    [`小学、初中不超过 ${String(g.maxStudentsSingleLevel)} 人；九年一贯制、十二年一贯制学校义务教育阶段不超过 ${String(g.maxStudentsCombined)} 人。`],
    item,
    [
      { column: col("义务教育阶段在校生数（人）", 14), cell: (c) => fnum(c.figures, "students", COUNT_FORMAT) },
      { column: col("规模上限（人）", 10), cell: (c) => fnum(c.figures, "cap", COUNT_FORMAT) },
    ],
  );
}

export function g5Sheet(ctx: Ctx, item: ItemResult | undefined): FormSheet {
  const cap = ctx.settings.guarantee.g5.maxClassSize;
  return perSchoolSheet(
    ctx,
    SHEET_NAMES.g5,
    "G5 班额（逐校，逐班核查）",
    [`小学每班不超过 ${String(cap.primary)} 人，初中每班不超过 ${String(cap.junior)} 人。`],
    item,
    [
      { column: col("班级数（个）", 10), cell: (c) => fnum(c.figures, "classes", COUNT_FORMAT) },
      { column: col("最大班额（人）", 10), cell: (c) => fnum(c.figures, "largestClass", COUNT_FORMAT) },
      { column: col("超过上限的班级数（个）", 12), cell: (c) => fnum(c.figures, "classesOverCap", COUNT_FORMAT) },
      { column: col("超出人数合计（人）", 12), cell: (c) => fnum(c.figures, "studentsOverCap", COUNT_FORMAT) },
    ],
  );
}

export function g6Sheet(ctx: Ctx, item: ItemResult | undefined): FormSheet {
  const g = ctx.settings.guarantee.g6;
  return perSchoolSheet(
    ctx,
    SHEET_NAMES.g6,
    "G6 不足100名学生的村小学和教学点公用经费核定（逐校）",
    [
      `${g.appliesTo === "teaching_points_only" ? "教学点" : "村小学和教学点"}不足 ${String(g.fundingFloorStudents)} 名学生的，按 ${String(g.fundingFloorStudents)} 名学生核定公用经费。`,
    ],
    item,
    [
      { column: col("在校生数（人）", 10), cell: (c) => fnum(c.figures, "students", COUNT_FORMAT) },
      { column: col("公用经费核定学生数（人）", 14), cell: (c) => fnum(c.figures, "fundedStudents", COUNT_FORMAT) },
    ],
  );
}

export function g7Sheet(ctx: Ctx, item: ItemResult | undefined): FormSheet {
  return perSchoolSheet(
    ctx,
    SHEET_NAMES.g7,
    "G7 特殊教育学校生均公用经费",
    [`生均公用经费不低于 ${String(ctx.settings.guarantee.g7.minPerStudentYuan)} 元。${item?.evidence ? `佐证材料：${item.evidence}` : ""}`],
    item,
    [
      { column: col("在校生数（人）", 10), cell: (c) => fnum(c.figures, "students", COUNT_FORMAT) },
      { column: col("生均公用经费（元）", 14), cell: (c) => fnum(c.figures, "perStudentPublicFundsYuan", YUAN_FORMAT) },
      { column: col("要求（元，≥）", 10), cell: (c) => fnum(c.figures, "min", YUAN_FORMAT) },
    ],
    false,
  );
}

export function q4Sheet(ctx: Ctx, item: ItemResult | undefined): FormSheet {
  const min = ctx.settings.quality.q4MinTrainingShare;
  const full = (c: SchoolCheck): FormCell => {
    const share = c.figures["share"];
    if (typeof share !== "number") return blank;
    return rateBorderline("", "", share, min, ctx.settings.display.percentDecimals) ? num(share, FULL_PRECISION_FORMAT) : blank;
  };
  return perSchoolSheet(
    ctx,
    SHEET_NAMES.q4,
    "Q4 教师培训经费占公用经费预算比例（逐校）",
    [`每所学校教师培训经费不低于年度公用经费预算总额的 ${requirementText(min, ">=").slice(2)}。`],
    item,
    [
      { column: col("年度公用经费预算总额（万元）", 14), cell: (c) => fnum(c.figures, "budgetWanYuan", decimalsFormat(2)) },
      { column: col("其中：教师培训经费（万元）", 14), cell: (c) => fnum(c.figures, "trainingWanYuan", decimalsFormat(2)) },
      { column: col("占比（%）", 10), cell: (c) => fnum(c.figures, "share", ctx.pctFmt) },
      { column: col(FULL_PRECISION_HEADER, 18), cell: full },
    ],
  );
}

export function q9Sheet(ctx: Ctx, item: ItemResult | undefined): FormSheet {
  const q = ctx.settings.quality;
  const subjects = ctx.result.input.countyItems.find((c) => c.countyId === ctx.verdict.countyId)?.quality?.Q9?.subjects ?? [];
  const rows = subjects.map((s, i) => {
    const ok = s.level >= q.q9MinLevel && s.differenceRate < q.q9MaxDifferenceRateExclusive;
    return [
      num(i + 1, COUNT_FORMAT),
      num(s.grade ?? null, COUNT_FORMAT),
      text(s.subject),
      text(monitoringLevelLabel(s.level)),
      num(s.level, COUNT_FORMAT),
      num(s.differenceRate, FULL_PRECISION_FORMAT),
      text(ok ? "达标" : "未达标"),
    ];
  });
  return sheet(
    SHEET_NAMES.q9,
    `${ctx.verdict.countyName} Q9 国家义务教育质量监测结果`,
    [
      `本项结论：${item ? ITEM_STATUS_LABELS[item.status] : "无数据"}。相关科目学业水平达到${monitoringLevelLabel(q.q9MinLevel)}以上，且校际差异率低于 ${String(q.q9MaxDifferenceRateExclusive)}。${item?.evidence ? `佐证材料：${item.evidence}` : ""}`,
    ],
    [col("序号", 6), col("监测年级", 8), col("科目", 16), col("学业水平", 10), col("等级（1–4）", 10), col("校际差异率", 12), col("结论", 10)],
    rows,
  );
}

// ——— 表Ⅵ, 一票否决, 临界值 ———
