/**
 * 教育质量 (spec §3): 9 items, all must pass. Q4 is checked per school (教师培训经费 ≥ 5% of the
 * school's 年度公用经费预算总额); Q5–Q8 are ratings (优秀/良好/合格/不合格) against a minimum
 * rating setting; Q9 uses the 国家义务教育质量监测 results per subject.
 */
import { monitoringLevelLabel, QUALITY_CODES, QUALITY_LABELS, RATING_LABELS, RATING_RANK, type ItemStatus, type QualityCode } from "./codes";
import type { QualityInput, SchoolInput } from "./input";
import { gradeLabel } from "../grade-label";
import {
  ev,
  formatYuan,
  partStatus,
  percentDeciding,
  rateBorderline,
  rateOk,
  thresholdPercent,
  rateItemResult,
  statusOf,
  worstStatus,
  type ItemResult,
  type ItemsPartResult,
  type SchoolCheck,
  type Shortfall,
} from "./items";
import { dec, div, ge, int, isZero, lt, mul, plainExact, sub, toNumber } from "./exact";
import type { DisplaySettings, QualitySettings } from "./settings";

function item(code: QualityCode, partial: Partial<ItemResult> & { status: ItemStatus }): ItemResult {
  return { code, label: QUALITY_LABELS[code], figures: {}, reasons: [], evidence: null, schools: [], shortfalls: [], borderline: [], ...partial };
}

/**
 * Q4, per school: 教师培训经费 ÷ 年度公用经费预算总额 ≥ 5%. A school with no budget data is not
 * evaluated; a budget of 0 is not applicable. Shortfall: 5% × budget − training funds (元).
 */
function q4(schools: readonly SchoolInput[], settings: QualitySettings, display: DisplaySettings): ItemResult {
  if (schools.length === 0) return item("Q4", { status: "not_evaluated", reasons: ["无学校数据"] });
  const min = settings.q4MinTrainingShare;
  const shortfalls: Shortfall[] = [];
  const borderline: ItemResult["borderline"] = [];
  const checks = schools.map((school): SchoolCheck => {
    const budget = school.publicFunds?.annualBudgetWanYuan ?? null;
    const training = school.publicFunds?.teacherTrainingWanYuan ?? null;
    if ((budget === null || training === null) && school.students.primary + school.students.junior === 0) {
      return {
        schoolId: school.id,
        schoolName: school.name,
        status: "not_applicable",
        figures: {},
        reasons: [`${school.name} 义务教育阶段在校生为0，未填报公用经费，不检查`],
      };
    }
    if (budget === null || training === null) {
      return {
        schoolId: school.id,
        schoolName: school.name,
        status: "not_evaluated",
        figures: {},
        reasons: [`${school.name} 未填报公用经费预算或教师培训经费`],
      };
    }
    if (isZero(dec(budget))) {
      return {
        schoolId: school.id,
        schoolName: school.name,
        status: "not_applicable",
        figures: { budgetWanYuan: 0, trainingWanYuan: training },
        reasons: [`${school.name} 公用经费预算为0`],
      };
    }
    // Exact on the 万元 figures as written: 0.6 ÷ 12 is exactly 5%.
    const exactShare = div(dec(training), dec(budget));
    const share = toNumber(exactShare);
    const ok = rateOk(exactShare, ">=", min);
    const flag = rateBorderline(`${school.name} Q4 教师培训经费占比`, "Q4", exactShare, min, display.percentDecimals);
    if (flag) borderline.push(flag);
    if (!ok) {
      const gapYuan = toNumber(mul(sub(mul(dec(min), dec(budget)), dec(training)), int(10_000)));
      shortfalls.push({
        code: "Q4",
        subject: school.name,
        schoolId: school.id,
        unitId: null,
        quantity: gapYuan,
        unit: "yuan",
        text: `教师培训经费缺 ${formatYuan(gapYuan)}（应不低于公用经费预算的 ${thresholdPercent(min)}）`,
      });
    }
    return {
      schoolId: school.id,
      schoolName: school.name,
      status: ok ? "pass" : "fail",
      figures: { budgetWanYuan: budget, trainingWanYuan: training, share },
      reasons: ok
        ? []
        : [`${school.name} 教师培训经费占公用经费预算 ${percentDeciding(exactShare, display.percentDecimals, ">=", min)}，低于 ${thresholdPercent(min)}`],
    };
  });
  return item("Q4", { status: worstStatus(checks.map((c) => c.status)), schools: checks, shortfalls, borderline, reasons: checks.flatMap((c) => c.reasons) });
}

function rating(code: "Q5" | "Q6" | "Q7" | "Q8", input: QualityInput, settings: QualitySettings): ItemResult {
  const i = input[code];
  const r = i?.rating ?? null;
  const min = settings.minRating[code];
  if (r === null)
    return item(code, { status: "not_evaluated", reasons: ["未填报评价等级"], evidence: ev(i?.evidence), figures: { rating: null, minRating: min } });
  const ok = RATING_RANK[r] >= RATING_RANK[min];
  return item(code, {
    status: ok ? "pass" : "fail",
    figures: { rating: r, minRating: min },
    evidence: ev(i?.evidence),
    reasons: ok ? [] : [`评价为「${RATING_LABELS[r]}」，未达到「${RATING_LABELS[min]}」`],
  });
}

function q9(input: QualityInput, settings: QualitySettings): ItemResult {
  const i = input.Q9;
  const subjects = i?.subjects ?? null;
  if (subjects === null || subjects.length === 0)
    return item("Q9", { status: "not_evaluated", reasons: ["未填报国家义务教育质量监测结果"], evidence: ev(i?.evidence) });
  const reasons: string[] = [];
  const checks: boolean[] = [];
  const shortfalls: Shortfall[] = [];
  for (const s of subjects) {
    const name = `${s.grade ? gradeLabel(s.grade) : ""}${s.subject}`;
    const levelOk = ge(int(s.level), dec(settings.q9MinLevel));
    const diffOk = lt(dec(s.differenceRate), dec(settings.q9MaxDifferenceRateExclusive));
    checks.push(levelOk, diffOk);
    if (!levelOk) reasons.push(`${name} 学业水平为${monitoringLevelLabel(s.level)}，未达到Ⅲ级`);
    if (!diffOk) reasons.push(`${name} 校际差异率 ${String(s.differenceRate)}，未低于 ${plainExact(dec(settings.q9MaxDifferenceRateExclusive))}`);
  }
  const failing = subjects.filter((s) => !ge(int(s.level), dec(settings.q9MinLevel)) || !lt(dec(s.differenceRate), dec(settings.q9MaxDifferenceRateExclusive)));
  if (failing.length > 0) {
    shortfalls.push({
      code: "Q9",
      subject: "",
      schoolId: null,
      unitId: null,
      quantity: failing.length,
      unit: "subject",
      text: `${String(failing.length)} 个监测科目未达要求：${failing.map((s) => s.subject).join("、")}`,
    });
  }
  return item("Q9", {
    status: statusOf(checks),
    figures: { subjects: subjects.length, subjectsFailing: failing.length },
    reasons,
    shortfalls,
    evidence: ev(i?.evidence),
  });
}

/** Evaluates the 9 items of 教育质量 for one county. */
export function evaluateQuality(
  countyName: string,
  schools: readonly SchoolInput[],
  input: QualityInput | undefined,
  settings: QualitySettings,
  display: DisplaySettings,
): ItemsPartResult {
  const i = input ?? {};
  const q3Parts = [i.Q3?.charterAllSchools ?? null, i.Q3?.managementDigitised ?? null];
  const results: Record<QualityCode, ItemResult> = {
    Q1: rateItemResult(
      "Q1",
      QUALITY_LABELS.Q1,
      countyName,
      display,
      i.Q1?.currentGrade9 ?? null,
      i.Q1?.cohortEntrants ?? null,
      settings.q1MinRetentionRate,
      { rateName: "初中三年巩固率", unit: "student", shortText: (k) => `初中三年巩固还差 ${String(k)} 名学生` },
      i.Q1?.evidence,
    ),
    Q2: rateItemResult(
      "Q2",
      QUALITY_LABELS.Q2,
      countyName,
      display,
      i.Q2?.enrolled ?? null,
      i.Q2?.disabledChildren ?? null,
      settings.q2MinDisabledEnrollmentRate,
      { rateName: "残疾儿童少年入学率", unit: "student", shortText: (k) => `还需安置 ${String(k)} 名残疾儿童少年入学` },
      i.Q2?.evidence,
    ),
    Q3: item("Q3", {
      status: statusOf(q3Parts),
      figures: { charterAllSchools: q3Parts[0] ?? null, managementDigitised: q3Parts[1] ?? null },
      evidence: ev(i.Q3?.evidence),
      reasons: [
        ...(q3Parts[0] === false ? ["并非所有学校制定章程"] : []),
        ...(q3Parts[1] === false ? ["学校管理与教学信息化未实现"] : []),
        ...(q3Parts.includes(null) ? ["数据未填报完整"] : []),
      ],
    }),
    Q4: q4(schools, settings, display),
    Q5: rating("Q5", i, settings),
    Q6: rating("Q6", i, settings),
    Q7: rating("Q7", i, settings),
    Q8: rating("Q8", i, settings),
    Q9: q9(i, settings),
  };
  for (const r of Object.values(results)) for (const s of r.shortfalls) if (s.subject === "") s.subject = countyName;
  const items = QUALITY_CODES.map((c) => results[c]);
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
