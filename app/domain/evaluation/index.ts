/**
 * The evaluation engine (县域义务教育优质均衡发展督导评估), pure: `evaluateCounties(input, settings)`
 * judges each county of `input` on the four parts — 资源配置, 政府保障程度, 教育质量, 社会认可度 —
 * and the 一票否决 list, and says what it takes to pass.
 *
 * The 社会认可度 part comes from `input.satisfaction`, either as questionnaire records
 * (`{ source: "records", records }`, classified here with `settings.satisfaction.rule`) or as
 * pre-aggregated counts (`{ source: "counts", rule, cells, items }`, e.g. from SQL `GROUP BY`;
 * see ../satisfaction.ts for the row shapes). A database caller replaces `input.satisfaction`
 * with counts and calls the same function.
 *
 * County verdict:
 * - `fail` (未达标): a veto item occurred, or any part fails;
 * - `not_evaluated` (未能全面评估): nothing failed but some part has no or incomplete data;
 * - `sample_insufficient` (样本不足): all else passes but the 社会认可度 sample is short of its plan;
 * - `pass` (达标): all four parts pass and no veto item occurred.
 *
 * The verdict label carries "社会认可度为自评" whenever the 社会认可度 part was computed from the
 * platform's questionnaires (always a county self-assessment, never the official survey).
 * Every threshold is decided exactly (./exact.ts, decision record 0007).
 */
import { tallyRecords } from "../satisfaction";
import { evaluateGuarantee } from "./guarantee";
import type { CountyInput, EvaluationInput } from "./input";
import { evaluateQuality } from "./quality";
import { evaluateResources, type PartStatus } from "./resource";
import {
  PART_STATUS_LABELS,
  SELF_ASSESSMENT_LABEL,
  satisfactionStatusLabel,
  VERDICT_LABELS,
  type CountyVerdict,
  type EvaluationResult,
  type Verdict,
} from "./result";
import { resolveSettings, type EvaluationSettings, type EvaluationSettingsOverride } from "./settings";
import { resourceShortfalls } from "./shortfalls";
import { evaluateSatisfaction, SELF_ASSESSMENT_NOTICE, type SatisfactionData } from "./social";
import { evaluateVeto } from "./veto";

export { PART_STATUS_LABELS, SELF_ASSESSMENT_LABEL, VERDICT_LABELS, satisfactionStatusLabel } from "./result";
export type { CountyShortfalls, CountyVerdict, EvaluationResult, Verdict } from "./result";

/** The 社会认可度 data of an input as count rows (records are classified with `rule`). */
export function satisfactionData(
  input: EvaluationInput,
  settings: EvaluationSettings,
): (SatisfactionData & { source: "records" | "counts"; records: number | null }) | null {
  const s = input.satisfaction;
  if (!s) return null;
  if (s.source === "records") {
    const rule = settings.satisfaction.rule;
    const { cells, items } = tallyRecords(s.records, rule);
    return { source: "records", records: s.records.length, rule, cells, items };
  }
  return { source: "counts", records: null, rule: s.rule, cells: s.cells, items: s.items };
}

/**
 * Evaluates every county listed in `input.counties` (input already validated, e.g. by
 * app/.server/evaluation-import). `settings` overrides the spec's defaults section by section.
 */
export function evaluateCounties(input: EvaluationInput, settingsOverride?: EvaluationSettingsOverride): EvaluationResult {
  const settings = resolveSettings(settingsOverride);
  const sat = satisfactionData(input, settings);
  const schoolNames = new Map(input.schools.map((s) => [s.id, s.name]));
  const counties = input.counties.map((county) => evaluateCounty(county, input, sat, settings, schoolNames));
  return {
    format: "youzhi-junheng/evaluation-result",
    version: 1,
    notice: `${SELF_ASSESSMENT_NOTICE}${input.note ? `；${input.note}` : ""}`,
    settings,
    input: {
      title: input.title ?? null,
      note: input.note ?? null,
      counties: input.counties,
      schools: input.schools,
      countyItems: input.countyItems,
      satisfaction: sat,
    },
    counties,
  };
}

function evaluateCounty(
  county: CountyInput,
  input: EvaluationInput,
  sat: SatisfactionData | null,
  settings: EvaluationSettings,
  schoolNames: ReadonlyMap<string, string>,
): CountyVerdict {
  const schools = input.schools.filter((s) => s.countyId === county.id);
  const items = input.countyItems.find((c) => c.countyId === county.id);
  const resource = evaluateResources(schools, settings.resource, settings.display);
  const guarantee = evaluateGuarantee(county.name, schools, items?.guarantee, settings.guarantee, settings.display);
  const quality = evaluateQuality(county.name, schools, items?.quality, settings.quality, settings.display);
  const satisfaction = evaluateSatisfaction(county, sat, settings.satisfaction, settings.samplePlan, settings.display, schoolNames);
  const veto = evaluateVeto(items?.veto);

  const statuses: (PartStatus | "sample_insufficient")[] = [resource.status, guarantee.status, quality.status, satisfaction.status, veto.status];
  const verdict: Verdict = statuses.includes("fail")
    ? "fail"
    : statuses.some((s) => s === "not_evaluated" || s === "incomplete")
      ? "not_evaluated"
      : satisfaction.status === "sample_insufficient"
        ? "sample_insufficient"
        : "pass";

  const reasons: string[] = [];
  const section = (name: string, status: PartStatus | "sample_insufficient", list: readonly string[], label = PART_STATUS_LABELS[status]) => {
    if (status === "pass") return;
    reasons.push(`【${name}：${label}】`);
    reasons.push(...list);
  };
  section("一票否决", veto.status, veto.reasons);
  section("资源配置", resource.status, resource.reasons);
  section("政府保障程度", guarantee.status, guarantee.reasons);
  section("教育质量", quality.status, quality.reasons);
  section("社会认可度", satisfaction.status, satisfaction.reasons, satisfactionStatusLabel(satisfaction));
  // Sections without students are accepted but left out; say so (教学点 under 50 are the rule
  // itself and are listed in parts.resource.excluded only).
  const empty = resource.excluded.filter((e) => e.students === 0);
  if (empty.length > 0) {
    reasons.push("【说明：在校生为0的学校（学段），未计入资源配置7项指标和差异系数】");
    reasons.push(...empty.map((e) => e.reason));
  }

  const resourceNeeds = resourceShortfalls(schools, resource, settings.resource, settings.display.cvDecimals);
  const itemShortfalls = [...guarantee.items, ...quality.items].flatMap((i) => i.shortfalls);
  const summary = [
    ...resourceNeeds.totals.map((t) => `资源配置 ${t.indicator}：${t.text}`),
    ...resourceNeeds.cvFixes.map((f) => `差异系数：${f.summary}`),
    ...itemShortfalls.map((s) => `${s.code} ${s.subject}：${s.text}`),
    ...satisfaction.shortfalls.map((s) => `社会认可度：${s.text}`),
  ];
  const borderline = [
    ...resource.borderline,
    ...guarantee.items.flatMap((i) => i.borderline),
    ...quality.items.flatMap((i) => i.borderline),
    ...satisfaction.borderline,
  ];
  if (borderline.length > 0) {
    reasons.push("【临界值提示：显示值与全精度判定不同，请核对原始数据】");
    reasons.push(...borderline.map((b) => b.note));
  }
  return {
    countyId: county.id,
    countyName: county.name,
    verdict,
    verdictLabel: `${VERDICT_LABELS[verdict]}${satisfaction.overall.n > 0 ? SELF_ASSESSMENT_LABEL : ""}`,
    reasons,
    parts: { resource, guarantee, quality, satisfaction, veto },
    shortfalls: { resource: resourceNeeds, items: itemShortfalls, satisfaction: satisfaction.shortfalls, summary },
    borderline,
  };
}

export { DEFAULT_EVALUATION_SETTINGS, resolveSettings } from "./settings";
export type { EvaluationSettings, EvaluationSettingsOverride } from "./settings";
export type { SatisfactionRule } from "../satisfaction-rule";
export { EvaluationInputSchema, INPUT_FORMAT } from "./input";
export type { EvaluationInput } from "./input";
export type { SatisfactionData } from "./social";
export type { SatisfactionInput } from "./input";
export { EvaluationResultSchema, EvaluationSettingsOverrideSchema } from "./output-schema";
export { classifyQuestionnaire, overallScoresSatisfying, tallyRecords, OVERALL_ITEM_ID } from "../satisfaction";
export type { ItemScoreCount, QuestionnaireRecord, SatisfactionCell, SatisfactionCounts } from "../satisfaction";
