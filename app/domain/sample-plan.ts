/**
 * 社会认可度 sample plan and coverage (spec §4). From a county's 常住人口:
 *
 * - required sample n = ⌈常住人口 × 1.5‰⌉ (setting `perMille`);
 * - parents ≥ 50% of n: ⌈n × 0.5⌉;
 * - the other six groups (学生, 教师, 校长, 人大代表, 政协委员, 其他群众) share the rest roughly
 *   equally (weights are a setting), apportioned by largest remainder so the cells sum to n;
 *   a group whose available population is given and smaller is capped and the remainder
 *   re-apportioned among the others;
 * - students' grades (3–9) and parents' children's grades (1–9) roughly equal, apportioned the
 *   same way;
 * - 城区/镇区/乡村 in proportion to the population, over the school-based groups (家长, 学生,
 *   教师, 校长) whose questionnaires carry a location; county-level respondents (人大代表,
 *   政协委员, 其他群众) often have none and are not planned by location.
 *
 * Coverage compares valid questionnaires collected with each cell. The total and the parents
 * are short below their requirement; a "roughly equal" or proportional cell is short below
 * required × (1 − cellTolerance).
 *
 * Every figure is exact (decision record 0007): settings and shares are read as the decimals they
 * are written as, so 336 000 × 1.5‰ is exactly 504 and a cell of 10 with a 10% tolerance is short
 * below exactly 9.
 */
import { LOCATION_LABELS, LOCATIONS, RESPONDENT_GROUP_LABELS, RESPONDENT_GROUPS, type Location, type RespondentGroup } from "./vocabulary";
import type { SamplePlanSettings } from "./evaluation/settings";
import { gradeLabel } from "./grade-label";
import { add, ceilOf, cmp, dec, div, floorOf, int, lt, mul, RATIONAL_ONE, RATIONAL_ZERO, sub, type Rational } from "./evaluation/exact";

export interface SamplePlanInput {
  /** 常住人口 (persons), > 0. */
  residentPopulation: number;
  /** Population shares of 城区/镇区/乡村 (0–1, summing to 1); `null` = no location plan. */
  locationShare: Record<Location, number> | null;
  /** Optional cap per group, e.g. the county's number of principals. */
  available?: Partial<Record<RespondentGroup, number>>;
}

export interface SamplePlan {
  total: number;
  byGroup: Record<RespondentGroup, number>;
  /** Over the school-based groups; `null` without location shares. */
  byLocation: Record<Location, number> | null;
  /** Students by grade (3–9). */
  studentByGrade: Record<string, number>;
  /** Parents by their child's grade (1–9). */
  parentByGrade: Record<string, number>;
}

const OTHER_GROUPS = ["student", "teacher", "principal", "deputy", "cppcc", "public"] as const;
const SCHOOL_BASED_GROUPS: readonly RespondentGroup[] = ["parent", "student", "teacher", "principal"];

/**
 * Largest-remainder (Hamilton) apportionment of `total` over `weights`: quotas total·wᵢ/Σw
 * (exact; weights read as written), floors first, then +1 by largest fractional part (ties:
 * earlier key first). Sum = total. All weights 0 → all 0.
 */
export function apportion<K extends string>(total: number, weights: readonly (readonly [K, number])[]): Map<K, number> {
  const exactWeights = weights.map(([k, w]) => [k, dec(w)] as const);
  const sum = exactWeights.reduce<Rational>((a, [, w]) => add(a, w), RATIONAL_ZERO);
  const out = new Map<K, number>();
  if (sum.n <= 0n || total <= 0) {
    for (const [k] of weights) out.set(k, 0);
    return out;
  }
  const quotas = exactWeights.map(([k, w], index) => {
    const q = div(mul(int(total), w), sum);
    const floor = floorOf(q);
    return { k, floor: Number(floor), frac: sub(q, int(floor)), index };
  });
  let left = total - quotas.reduce((a, q) => a + q.floor, 0);
  const order = [...quotas].sort((a, b) => cmp(b.frac, a.frac) || a.index - b.index);
  for (const q of order) {
    if (left <= 0) break;
    q.floor += 1;
    left -= 1;
  }
  for (const q of quotas) out.set(q.k, q.floor);
  return out;
}

/** Required sample size: ⌈population × perMille ÷ 1000⌉, exactly (336 000 × 1.5‰ = 504). */
export function requiredSampleSize(population: number, perMille: number): number {
  const exact = div(mul(int(population), dec(perMille)), int(1000));
  const n = ceilOf(exact);
  return n > 0n ? Number(n) : 0;
}

function gradeRange(r: { min: number; max: number }): number[] {
  const out: number[] = [];
  for (let g = r.min; g <= r.max; g += 1) out.push(g);
  return out;
}

/** Builds the plan (see the module comment). */
export function buildSamplePlan(input: SamplePlanInput, settings: SamplePlanSettings): SamplePlan {
  const total = requiredSampleSize(input.residentPopulation, settings.perMille);
  const parents = Math.min(total, Number(ceilOf(mul(int(total), dec(settings.parentMinShare)))));
  const byGroup: Record<RespondentGroup, number> = { parent: parents, student: 0, teacher: 0, principal: 0, deputy: 0, cppcc: 0, public: 0 };
  // Apportion the rest; cap groups with a smaller available population and re-apportion.
  let rest = total - parents;
  let open = OTHER_GROUPS.map((g) => [g, settings.otherGroupWeights[g] ?? 0] as const);
  for (let round = 0; round < RESPONDENT_GROUPS.length; round += 1) {
    const shares = apportion(rest, open);
    const capped = open.filter(([g]) => {
      const cap = input.available?.[g];
      return cap !== undefined && (shares.get(g) ?? 0) > cap;
    });
    if (capped.length === 0) {
      for (const [g] of open) byGroup[g] = shares.get(g) ?? 0;
      break;
    }
    for (const [g] of capped) {
      const cap = input.available?.[g] ?? 0;
      byGroup[g] = cap;
      rest -= cap;
    }
    open = open.filter(([g]) => !capped.some(([c]) => c === g));
  }
  const schoolBased = SCHOOL_BASED_GROUPS.reduce((a, g) => a + byGroup[g], 0);
  const share = input.locationShare;
  const locationCells = share
    ? apportion(
        schoolBased,
        LOCATIONS.map((l) => [l, share[l]] as const),
      )
    : null;
  const byLocation = locationCells
    ? { urban: locationCells.get("urban") ?? 0, town: locationCells.get("town") ?? 0, rural: locationCells.get("rural") ?? 0 }
    : null;
  const studentByGrade = Object.fromEntries(
    apportion(
      byGroup.student,
      gradeRange(settings.studentGrades).map((g) => [String(g), 1] as const),
    ),
  );
  const parentByGrade = Object.fromEntries(
    apportion(
      byGroup.parent,
      gradeRange(settings.parentGrades).map((g) => [String(g), 1] as const),
    ),
  );
  return { total, byGroup, byLocation, studentByGrade, parentByGrade };
}

/** Valid questionnaires collected, by the plan's cells. */
export interface CollectedSample {
  total: number;
  byGroup: Partial<Record<RespondentGroup, number>>;
  byLocation: Partial<Record<Location, number>>;
  studentByGrade: Record<string, number>;
  parentByGrade: Record<string, number>;
}

export interface CoverageCell {
  dimension: "total" | "group" | "location" | "student_grade" | "parent_grade";
  key: string;
  /** Chinese name of the cell, e.g. "家长", "城区", "学生 五年级". */
  label: string;
  required: number;
  collected: number;
  /** required − collected when positive, else 0. */
  missing: number;
  short: boolean;
}

export interface SampleCoverage {
  cells: CoverageCell[];
  /** Cells below their requirement (after tolerance where it applies). */
  shortCells: CoverageCell[];
  /** Whether the county is "样本不足" under `insufficientWhen`. */
  insufficient: boolean;
  reasons: string[];
}

/** Compares collected valid questionnaires with the plan (see the module comment). */
export function sampleCoverage(plan: SamplePlan, collected: CollectedSample, settings: SamplePlanSettings): SampleCoverage {
  const cells: CoverageCell[] = [];
  const add = (dimension: CoverageCell["dimension"], key: string, label: string, required: number, got: number, strict: boolean) => {
    const threshold = strict ? int(required) : mul(int(required), sub(RATIONAL_ONE, dec(settings.cellTolerance)));
    cells.push({ dimension, key, label, required, collected: got, missing: Math.max(0, required - got), short: lt(int(got), threshold) });
  };
  add("total", "total", "样本总量", plan.total, collected.total, true);
  for (const g of RESPONDENT_GROUPS) add("group", g, RESPONDENT_GROUP_LABELS[g], plan.byGroup[g], collected.byGroup[g] ?? 0, g === "parent");
  if (plan.byLocation) {
    for (const l of LOCATIONS) add("location", l, LOCATION_LABELS[l], plan.byLocation[l], collected.byLocation[l] ?? 0, false);
  }
  for (const [grade, required] of Object.entries(plan.studentByGrade))
    add("student_grade", grade, `学生 ${gradeLabel(grade)}`, required, collected.studentByGrade[grade] ?? 0, false);
  for (const [grade, required] of Object.entries(plan.parentByGrade))
    add("parent_grade", grade, `家长（子女${gradeLabel(grade)}）`, required, collected.parentByGrade[grade] ?? 0, false);
  const shortCells = cells.filter((c) => c.short);
  const total = cells[0];
  const parents = cells.find((c) => c.dimension === "group" && c.key === "parent");
  const mainShort = (total?.short ?? false) || (parents?.short ?? false);
  const insufficient = settings.insufficientWhen === "any_cell" ? shortCells.length > 0 : mainShort;
  const reasons = shortCells.map((c) => `${c.label}：有效问卷 ${String(c.collected)} 份，计划 ${String(c.required)} 份，差 ${String(c.missing)} 份`);
  return { cells, shortCells, insufficient, reasons };
}
