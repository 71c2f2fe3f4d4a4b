/**
 * 政府保障程度 (spec §2): 15 items, all must pass. G3–G6 are checked per school or per class
 * from the school data; the others from the county's figures and yes/no items with evidence.
 * A `null` input leaves its item "not evaluated"; a zero denominator makes a rate item "not
 * applicable" (e.g. no eligible migrant children), stated in its reasons.
 */
import type { Level } from "../vocabulary";
import { gradeLabel } from "../grade-label";
import { LEVEL_LABELS } from "../vocabulary";
import { GUARANTEE_CODES, GUARANTEE_LABELS, type GuaranteeCode, type ItemStatus } from "./codes";
import type { GuaranteeInput, SchoolInput } from "./input";
import {
  countToReachRate,
  ev,
  percentDeciding,
  ratioOf,
  rateOk,
  thresholdPercent,
  rateItemResult,
  type RateWhat,
  formatM2,
  formatYuan,
  partStatus,
  rateBorderline,
  statusOf,
  worstStatus,
  type ItemResult,
  type ItemsPartResult,
  type SchoolCheck,
  type Shortfall,
} from "./items";
import { dec, ge, int, mul, sub, toNumber } from "./exact";
import type { DisplaySettings, GuaranteeSettings, RoomRounding } from "./settings";

interface Ctx {
  countyName: string;
  schools: readonly SchoolInput[];
  input: GuaranteeInput;
  settings: GuaranteeSettings;
  display: DisplaySettings;
}

function item(code: GuaranteeCode, partial: Partial<ItemResult> & { status: ItemStatus }): ItemResult {
  return {
    code,
    label: GUARANTEE_LABELS[code],
    figures: {},
    reasons: [],
    evidence: null,
    schools: [],
    shortfalls: [],
    borderline: [],
    ...partial,
  };
}

function countyShortfall(code: string, countyName: string, quantity: number, unit: Shortfall["unit"], text: string): Shortfall {
  return { code, subject: countyName, schoolId: null, unitId: null, quantity, unit, text };
}

/** Rooms needed for n classes: ⌈n ÷ 12⌉ (default) or max(1, ⌊n ÷ 12⌋). n = 0 → 0. */
export function roomsNeeded(classes: number, perRoom: number, rounding: RoomRounding): number {
  if (classes <= 0) return 0;
  return rounding === "ceil" ? Math.ceil(classes / perRoom) : Math.max(1, Math.floor(classes / perRoom));
}

/** Level of a compulsory grade: 1–6 小学, 7–9 初中. */
export function levelOfGrade(grade: number): Level {
  return grade <= 6 ? "primary" : "junior";
}

/**
 * G3, per school: with n = the school's compulsory classes, it needs r = roomsNeeded(n) music
 * rooms of ≥ 96 m² and r art rooms of ≥ 90 m². Undersized rooms do not count towards r; the
 * shortfall names the rooms to add (or the m² an undersized room lacks).
 */
/** A school without compulsory students has no classes to check (G3, G5, G6): not applicable. */
function noStudentsCheck(school: SchoolInput): SchoolCheck | null {
  if (school.students.primary + school.students.junior > 0) return null;
  return {
    schoolId: school.id,
    schoolName: school.name,
    status: "not_applicable",
    figures: { students: 0 },
    reasons: [`${school.name} 义务教育阶段在校生为0，不检查`],
  };
}

function g3(ctx: Ctx): ItemResult {
  const s = ctx.settings.g3;
  const checks: SchoolCheck[] = [];
  const shortfalls: Shortfall[] = [];
  for (const school of ctx.schools) {
    if (school.type === "teaching_point" && !s.includeTeachingPoints) continue;
    const empty = noStudentsCheck(school);
    if (empty) {
      checks.push(empty);
      continue;
    }
    if (!school.classes || school.classes.length === 0 || !school.specialRooms) {
      checks.push({ schoolId: school.id, schoolName: school.name, status: "not_evaluated", figures: {}, reasons: [`${school.name} 未填报班级或专用教室数据`] });
      continue;
    }
    const classes = school.classes.length;
    const needed = roomsNeeded(classes, s.classesPerRoom, s.rounding);
    const reasons: string[] = [];
    const figures: SchoolCheck["figures"] = { classes, roomsNeededEach: needed };
    let ok = true;
    for (const kind of ["music", "art"] as const) {
      const min = kind === "music" ? s.musicRoomMinM2 : s.artRoomMinM2;
      const name = kind === "music" ? "音乐专用教室" : "美术专用教室";
      const rooms = school.specialRooms.filter((r) => r.kind === kind);
      // Exact: an area typed as 95.99 m² is below 96, one typed as 96 meets it.
      const meets = (area: number) => ge(dec(area), dec(min));
      const compliant = rooms.filter((r) => meets(r.areaM2)).length;
      const undersized = rooms.filter((r) => !meets(r.areaM2));
      figures[`${kind}Rooms`] = rooms.length;
      figures[`${kind}RoomsCompliant`] = compliant;
      if (compliant < needed) {
        ok = false;
        const missing = needed - compliant;
        // Enlarging an undersized room is the cheaper fix when one exists; name both.
        const enlarge = undersized
          .slice(0, missing)
          .map((r) => `「${r.name ?? name}」${String(r.areaM2)} m² 差 ${formatM2(toNumber(sub(dec(min), dec(r.areaM2))))}`);
        reasons.push(`${school.name} ${String(classes)} 个班应有 ${String(needed)} 间${name}（每间 ≥ ${String(min)} m²），达标的只有 ${String(compliant)} 间`);
        shortfalls.push({
          code: "G3",
          subject: school.name,
          schoolId: school.id,
          unitId: null,
          quantity: missing,
          unit: "room",
          text: `需增加 ${String(missing)} 间${name}${enlarge.length > 0 ? `（或扩建现有不足 ${String(min)} m² 的：${enlarge.join("；")}）` : ""}`,
        });
      }
    }
    checks.push({ schoolId: school.id, schoolName: school.name, status: ok ? "pass" : "fail", figures, reasons });
  }
  if (checks.length === 0) return item("G3", { status: "not_applicable", reasons: ["没有需检查的学校"] });
  return item("G3", {
    status: worstStatus(checks.map((c) => c.status)),
    schools: checks,
    shortfalls,
    reasons: checks.flatMap((c) => c.reasons),
    figures: { schoolsChecked: checks.length, schoolsFailing: checks.filter((c) => c.status === "fail").length },
  });
}

/** G4, per school: compulsory students (小学 + 初中) ≤ 2000, or ≤ 2500 for 九年/十二年一贯制. */
function g4(ctx: Ctx): ItemResult {
  const s = ctx.settings.g4;
  const checks: SchoolCheck[] = [];
  const shortfalls: Shortfall[] = [];
  for (const school of ctx.schools) {
    const combined = school.type === "nine_year" || school.type === "twelve_year";
    const cap = combined ? s.maxStudentsCombined : s.maxStudentsSingleLevel;
    const students = school.students.primary + school.students.junior;
    const ok = students <= cap;
    const reasons = ok ? [] : [`${school.name} 义务教育阶段在校生 ${String(students)} 人，超过 ${String(cap)} 人`];
    if (!ok) {
      shortfalls.push({
        code: "G4",
        subject: school.name,
        schoolId: school.id,
        unitId: null,
        quantity: students - cap,
        unit: "student",
        text: `规模超出 ${String(students - cap)} 人（上限 ${String(cap)} 人）`,
      });
    }
    checks.push({ schoolId: school.id, schoolName: school.name, status: ok ? "pass" : "fail", figures: { students, cap }, reasons });
  }
  return item("G4", { status: worstStatus(checks.map((c) => c.status)), schools: checks, shortfalls, reasons: checks.flatMap((c) => c.reasons) });
}

/** G5, per class: ≤ 45 students in 小学 (grades 1–6), ≤ 50 in 初中 (7–9). */
function g5(ctx: Ctx): ItemResult {
  const caps = ctx.settings.g5.maxClassSize;
  const checks: SchoolCheck[] = [];
  const shortfalls: Shortfall[] = [];
  let classesOver = 0;
  for (const school of ctx.schools) {
    const empty = noStudentsCheck(school);
    if (empty) {
      checks.push(empty);
      continue;
    }
    if (!school.classes || school.classes.length === 0) {
      checks.push({ schoolId: school.id, schoolName: school.name, status: "not_evaluated", figures: {}, reasons: [`${school.name} 未填报班级数据`] });
      continue;
    }
    const over = school.classes.filter((c) => c.students > caps[levelOfGrade(c.grade)]);
    classesOver += over.length;
    const excess = over.reduce((a, c) => a + c.students - caps[levelOfGrade(c.grade)], 0);
    const reasons = over.map(
      (c) =>
        `${school.name} ${c.name ?? `${gradeLabel(c.grade)}某班`} ${String(c.students)} 人，超过${LEVEL_LABELS[levelOfGrade(c.grade)]} ${String(caps[levelOfGrade(c.grade)])} 人`,
    );
    if (over.length > 0) {
      const capText = [...new Set(over.map((c) => caps[levelOfGrade(c.grade)]))].join("/");
      shortfalls.push({
        code: "G5",
        subject: school.name,
        schoolId: school.id,
        unitId: null,
        quantity: over.length,
        unit: "class",
        text: `${String(over.length)} 个班超过 ${capText} 人（共超出 ${String(excess)} 人）`,
      });
    }
    checks.push({
      schoolId: school.id,
      schoolName: school.name,
      status: over.length === 0 ? "pass" : "fail",
      figures: {
        classes: school.classes.length,
        classesOverCap: over.length,
        studentsOverCap: excess,
        largestClass: Math.max(...school.classes.map((c) => c.students)),
      },
      reasons,
    });
  }
  return item("G5", {
    status: worstStatus(checks.map((c) => c.status)),
    schools: checks,
    shortfalls,
    reasons: checks.flatMap((c) => c.reasons),
    figures: { classesOverCap: classesOver },
  });
}

/** G6, per school: 村小学 (乡村 小学, by default) and 教学点 under 100 students funded as 100. */
function g6(ctx: Ctx): ItemResult {
  const s = ctx.settings.g6;
  const checks: SchoolCheck[] = [];
  const shortfalls: Shortfall[] = [];
  for (const school of ctx.schools) {
    const applies =
      school.type === "teaching_point" || (s.appliesTo === "teaching_points_and_rural_primary" && school.type === "primary" && school.location === "rural");
    const students = school.students.primary + school.students.junior;
    // A school without students (暂停招生) receives no per-student funding to check.
    if (!applies || students === 0 || students >= s.fundingFloorStudents) continue;
    const funded = school.publicFunds?.fundedStudents ?? null;
    if (funded === null) {
      checks.push({
        schoolId: school.id,
        schoolName: school.name,
        status: "not_evaluated",
        figures: { students },
        reasons: [`${school.name} 未填报公用经费核定学生数`],
      });
      continue;
    }
    const ok = funded >= s.fundingFloorStudents;
    if (!ok) {
      shortfalls.push({
        code: "G6",
        subject: school.name,
        schoolId: school.id,
        unitId: null,
        quantity: s.fundingFloorStudents - funded,
        unit: "student",
        text: `公用经费按 ${String(funded)} 人核定，应按 ${String(s.fundingFloorStudents)} 人核定（差 ${String(s.fundingFloorStudents - funded)} 人的公用经费）`,
      });
    }
    checks.push({
      schoolId: school.id,
      schoolName: school.name,
      status: ok ? "pass" : "fail",
      figures: { students, fundedStudents: funded },
      reasons: ok ? [] : [`${school.name} 在校生 ${String(students)} 人，公用经费仅按 ${String(funded)} 人核定`],
    });
  }
  if (checks.length === 0) {
    return item("G6", { status: "not_applicable", reasons: [`县域内没有不足${String(s.fundingFloorStudents)}名学生的村小学和教学点`] });
  }
  return item("G6", { status: worstStatus(checks.map((c) => c.status)), schools: checks, shortfalls, reasons: checks.flatMap((c) => c.reasons) });
}

function yesNo(code: "G1" | "G10", ctx: Ctx): ItemResult {
  const i = ctx.input[code];
  const met = i?.met ?? null;
  return item(code, {
    status: statusOf([met]),
    figures: { met },
    evidence: ev(i?.evidence),
    reasons: met === null ? ["未填报"] : met ? [] : ["认定未达到要求"],
  });
}

function g2(ctx: Ctx): ItemResult {
  const i = ctx.input.G2;
  const parts = {
    buildingStandardUnified: i?.buildingStandardUnified ?? null,
    staffingStandardUnified: i?.staffingStandardUnified ?? null,
    fundingBaselineUnified: i?.fundingBaselineUnified ?? null,
    equipmentStandardUnified: i?.equipmentStandardUnified ?? null,
  };
  const labelled: [boolean | null, string][] = [
    [parts.buildingStandardUnified, "建设标准"],
    [parts.staffingStandardUnified, "教师编制标准"],
    [parts.fundingBaselineUnified, "生均公用经费基准定额"],
    [parts.equipmentStandardUnified, "基本装备配置标准"],
  ];
  const reasons: string[] = [];
  for (const [v, label] of labelled) {
    if (v === false) reasons.push(`城乡${label}未统一`);
    if (v === null) reasons.push(`未填报城乡${label}是否统一`);
  }
  return item("G2", { status: statusOf(Object.values(parts)), figures: parts, evidence: ev(i?.evidence), reasons });
}

function g7(ctx: Ctx): ItemResult {
  const i = ctx.input.G7;
  const min = ctx.settings.g7.minPerStudentYuan;
  const list = i?.specialSchools ?? null;
  if (list === null) return item("G7", { status: "not_evaluated", reasons: ["未填报特殊教育学校生均公用经费"], evidence: ev(i?.evidence) });
  if (list.length === 0) return item("G7", { status: "not_applicable", reasons: ["填报县域内无特殊教育学校"], evidence: ev(i?.evidence) });
  const shortfalls: Shortfall[] = [];
  const checks: SchoolCheck[] = list.map((sch) => {
    const ok = ge(dec(sch.perStudentPublicFundsYuan), dec(min));
    if (!ok) {
      const perStudentGap = sub(dec(min), dec(sch.perStudentPublicFundsYuan));
      const gap = toNumber(mul(perStudentGap, int(sch.students)));
      shortfalls.push({
        code: "G7",
        subject: sch.name,
        schoolId: null,
        unitId: null,
        quantity: gap,
        unit: "yuan",
        text: `生均公用经费 ${String(sch.perStudentPublicFundsYuan)} 元，差 ${formatYuan(toNumber(perStudentGap))}/生，共缺 ${formatYuan(gap)}`,
      });
    }
    return {
      schoolId: sch.name,
      schoolName: sch.name,
      status: ok ? "pass" : "fail",
      figures: { students: sch.students, perStudentPublicFundsYuan: sch.perStudentPublicFundsYuan, min },
      reasons: ok ? [] : [`${sch.name} 生均公用经费 ${String(sch.perStudentPublicFundsYuan)} 元，低于 ${String(min)} 元`],
    };
  });
  return item("G7", {
    status: worstStatus(checks.map((c) => c.status)),
    schools: checks,
    shortfalls,
    evidence: ev(i?.evidence),
    reasons: checks.flatMap((c) => c.reasons),
  });
}

function g8(ctx: Ctx): ItemResult {
  const i = ctx.input.G8;
  const t = i?.teacherAverageSalaryYuan ?? null;
  const c = i?.civilServantAverageSalaryYuan ?? null;
  const perf = i?.performancePayFullyApproved ?? null;
  const salaryOk = t === null || c === null ? null : ge(dec(t), dec(c));
  const reasons: string[] = [];
  const shortfalls: Shortfall[] = [];
  if (salaryOk === false && t !== null && c !== null) {
    reasons.push(`教师年平均工资 ${String(t)} 元，低于公务员 ${String(c)} 元`);
    const gap = toNumber(sub(dec(c), dec(t)));
    shortfalls.push(countyShortfall("G8", ctx.countyName, gap, "yuan_per_person", `教师年平均工资每人差 ${formatYuan(gap)}`));
  }
  if (perf === false) reasons.push("未按规定足额核定教师绩效工资总量");
  if (salaryOk === null || perf === null) reasons.push("数据未填报完整");
  return item("G8", {
    status: statusOf([salaryOk, perf]),
    figures: { teacherAverageSalaryYuan: t, civilServantAverageSalaryYuan: c, performancePayFullyApproved: perf },
    reasons,
    shortfalls,
    evidence: ev(i?.evidence),
  });
}

function rateItem(
  code: GuaranteeCode,
  ctx: Ctx,
  num: number | null,
  den: number | null,
  min: number,
  what: RateWhat,
  evidence: string | null | undefined,
  extraChecks: { ok: boolean | null; failReason: string }[] = [],
  figures: ItemResult["figures"] = {},
): ItemResult {
  return rateItemResult(code, GUARANTEE_LABELS[code], ctx.countyName, ctx.display, num, den, min, what, evidence, extraChecks, figures);
}

function g11(ctx: Ctx): ItemResult {
  const i = ctx.input.G11;
  const e = i?.eligibleTeachers ?? null;
  const r = i?.rotatedTeachers ?? null;
  const k = i?.rotatedKeyTeachers ?? null;
  const s = ctx.settings.g11;
  const evidence = ev(i?.evidence);
  if (e === null || r === null || k === null)
    return item("G11", {
      status: "not_evaluated",
      figures: { eligibleTeachers: e, rotatedTeachers: r, rotatedKeyTeachers: k },
      reasons: ["数据未填报完整"],
      evidence,
    });
  if (e === 0)
    return item("G11", {
      status: "not_applicable",
      figures: { eligibleTeachers: e, rotatedTeachers: r, rotatedKeyTeachers: k },
      reasons: ["无符合交流条件的教师，不适用"],
      evidence,
    });
  const rotationExact = ratioOf(r, e);
  const keyExact = r === 0 ? null : ratioOf(k, r);
  const rotationRate = toNumber(rotationExact);
  const keyShare = keyExact === null ? null : toNumber(keyExact);
  const rotationOk = rateOk(rotationExact, ">=", s.minRotationRate);
  // With no one rotated the key-teacher share is undefined; the rotation rate already fails.
  const keyOk = keyExact === null ? false : rateOk(keyExact, ">=", s.minKeyTeacherShare);
  const reasons: string[] = [];
  const shortfalls: Shortfall[] = [];
  // After the rotation reaches its minimum R', the key teachers must reach 20% of R'.
  const rNeeded = rotationOk ? r : r + countToReachRate(r, e, s.minRotationRate);
  const kNeeded = rNeeded === 0 ? 0 : countToReachRate(0, rNeeded, s.minKeyTeacherShare);
  if (!rotationOk) {
    reasons.push(
      `交流轮岗教师比例 ${percentDeciding(rotationExact, ctx.display.percentDecimals, ">=", s.minRotationRate)}，低于 ${thresholdPercent(s.minRotationRate)}`,
    );
    shortfalls.push(countyShortfall("G11", ctx.countyName, rNeeded - r, "teacher", `还需交流轮岗 ${String(rNeeded - r)} 名教师`));
  }
  if (!keyOk) {
    reasons.push(
      keyExact === null
        ? "无交流轮岗教师"
        : `骨干教师占交流轮岗教师 ${percentDeciding(keyExact, ctx.display.percentDecimals, ">=", s.minKeyTeacherShare)}，低于 ${thresholdPercent(s.minKeyTeacherShare)}`,
    );
  }
  // Even when the share is met today, raising the rotation to R' may need more key teachers.
  if (k < kNeeded) {
    shortfalls.push(
      countyShortfall(
        "G11",
        ctx.countyName,
        kNeeded - k,
        "teacher",
        `交流轮岗教师中还需 ${String(kNeeded - k)} 名骨干教师（共 ${String(rNeeded)} 名轮岗时至少 ${String(kNeeded)} 名骨干）`,
      ),
    );
  }
  const borderline = [
    rateBorderline(`${ctx.countyName} G11 交流轮岗比例`, "G11", rotationExact, s.minRotationRate, ctx.display.percentDecimals),
    keyExact === null ? null : rateBorderline(`${ctx.countyName} G11 骨干教师占比`, "G11", keyExact, s.minKeyTeacherShare, ctx.display.percentDecimals),
  ].filter((f) => f !== null);
  return item("G11", {
    status: statusOf([rotationOk, keyOk]),
    figures: { eligibleTeachers: e, rotatedTeachers: r, rotatedKeyTeachers: k, rotationRate, keyTeacherShare: keyShare },
    reasons,
    shortfalls,
    evidence,
    borderline,
  });
}

function g13(ctx: Ctx): ItemResult {
  const i = ctx.input.G13;
  const min = ctx.settings.g13.minCatchmentRate;
  const sub = (level: Level, num: number | null, den: number | null) =>
    rateItem(
      "G13",
      ctx,
      num,
      den,
      min[level],
      { rateName: `${LEVEL_LABELS[level]}就近划片入学比例`, unit: "student", shortText: (k) => `${LEVEL_LABELS[level]}就近划片入学还差 ${String(k)} 人` },
      null,
    );
  const p = sub("primary", i?.primaryByCatchment ?? null, i?.primaryEntrants ?? null);
  const j = sub("junior", i?.juniorByCatchment ?? null, i?.juniorEntrants ?? null);
  return item("G13", {
    status: worstStatus([p.status, j.status]),
    figures: {
      primaryEntrants: i?.primaryEntrants ?? null,
      primaryByCatchment: i?.primaryByCatchment ?? null,
      primaryRate: p.figures["rate"] ?? null,
      juniorEntrants: i?.juniorEntrants ?? null,
      juniorByCatchment: i?.juniorByCatchment ?? null,
      juniorRate: j.figures["rate"] ?? null,
    },
    reasons: [...new Set([...p.reasons, ...j.reasons])],
    shortfalls: [...p.shortfalls, ...j.shortfalls],
    borderline: [...p.borderline, ...j.borderline],
    evidence: ev(i?.evidence),
  });
}

/**
 * Evaluates the 15 items of 政府保障程度 for one county. `schools` are the county's schools
 * (for G3–G6); `input` its county-level figures.
 */
export function evaluateGuarantee(
  countyName: string,
  schools: readonly SchoolInput[],
  input: GuaranteeInput | undefined,
  settings: GuaranteeSettings,
  display: DisplaySettings,
): ItemsPartResult {
  const ctx: Ctx = { countyName, schools, input: input ?? {}, settings, display };
  const i = ctx.input;
  const noSchools = schools.length === 0;
  const schoolItem = (code: GuaranteeCode, fn: (c: Ctx) => ItemResult) =>
    noSchools ? item(code, { status: "not_evaluated", reasons: ["无学校数据"] }) : fn(ctx);
  const results: Record<GuaranteeCode, ItemResult> = {
    G1: yesNo("G1", ctx),
    G2: g2(ctx),
    G3: schoolItem("G3", g3),
    G4: schoolItem("G4", g4),
    G5: schoolItem("G5", g5),
    G6: schoolItem("G6", g6),
    G7: g7(ctx),
    G8: g8(ctx),
    G9: rateItem(
      "G9",
      ctx,
      i.G9?.teachersCompleted ?? null,
      i.G9?.teachersRequired ?? null,
      settings.g9.minCompletionRate,
      { rateName: "5年360学时培训完成率", unit: "teacher", shortText: (k) => `还有 ${String(k)} 名教师未完成5年360学时培训` },
      i.G9?.evidence,
    ),
    G10: yesNo("G10", ctx),
    G11: g11(ctx),
    G12: rateItem(
      "G12",
      ctx,
      i.G12?.certifiedTeachers ?? null,
      i.G12?.fullTimeTeachers ?? null,
      settings.g12.minCertifiedRate,
      { rateName: "专任教师持证上岗率", unit: "teacher", shortText: (k) => `${String(k)} 名专任教师未取得教师资格证` },
      i.G12?.evidence,
    ),
    G13: g13(ctx),
    G14: rateItem(
      "G14",
      ctx,
      i.G14?.quotaPlaces ?? null,
      i.G14?.totalPlaces ?? null,
      settings.g14.minQuotaShare,
      { rateName: "优质高中招生名额分配比例", unit: "place", shortText: (k) => `还需分配 ${String(k)} 个优质高中招生名额到初中` },
      i.G14?.evidence,
      [{ ok: i.G14?.tiltedToRural ?? null, failReason: "名额分配未向农村初中倾斜" }],
      { tiltedToRural: i.G14?.tiltedToRural ?? null },
    ),
    G15: rateItem(
      "G15",
      ctx,
      i.G15?.inPublicOrPurchasedPlaces ?? null,
      i.G15?.eligibleMigrantChildren ?? null,
      settings.g15.minMigrantPublicRate,
      {
        rateName: "随迁子女在公办学校和政府购买服务的民办学校就读比例",
        unit: "student",
        shortText: (k) => `还需 ${String(k)} 名随迁子女在公办学校或政府购买服务的民办学校就读`,
      },
      i.G15?.evidence,
      [{ ok: i.G15?.leftBehindCareSystem ?? null, failReason: "留守儿童关爱体系不健全" }],
      { leftBehindCareSystem: i.G15?.leftBehindCareSystem ?? null },
    ),
  };
  const items = GUARANTEE_CODES.map((c) => results[c]);
  const status = partStatus(items);
  const reasons = items.filter((r) => r.status === "fail").flatMap((r) => r.reasons.map((reason) => `${r.code} ${reason}`));
  if (status === "incomplete") {
    reasons.push(
      `未评估：${items
        .filter((r) => r.status === "not_evaluated")
        .map((r) => r.code)
        .join("、")}（数据未填报）`,
    );
  }
  return { status, items, reasons };
}
