/**
 * What the console says about 社会认可度 beyond the self-assessed rate (issue 14 item 1, decision
 * record 0016): the chance the Ministry's own draw reaches 85% (国家抽样的把握, computed by the
 * engine in ./evaluation/pass-probability.ts — shaped here, never recomputed, so the page and
 * `npm run evaluate` show the same figures), and whether the sample follows the plan's structure
 * (./sample-plan.ts), not only its totals.
 *
 * Colours follow the probability, never the self-assessed rate alone: green only from
 * PASS_GREEN_AT (95%), amber "接近85%，把握不足" from PASS_AMBER_AT (50%), red below
 * (app/domain/evaluation/settings.ts). A sample short of its plan in any cell (城区/镇区/乡村, a
 * group, a grade) is amber too and names the cells. Pure: inputs in, view out.
 */
import { probabilityWords, type PassLevel, type PassProbabilityResult, type PassProbabilitySettings } from "./evaluation/pass-probability";
import { DEFAULT_PASS_PROBABILITY_SETTINGS } from "./evaluation/settings";
import type { SampleCoverage } from "./sample-plan";
import { MIN_CELL_SIZE } from "./suppression";

export type Tone = "pass" | "warn" | "fail";

/** The colour of each level of the probability: green 把握较大, amber 把握不足, red 把握较小. */
export const PASS_LEVEL_TONES: Record<PassLevel, Tone> = { likely: "pass", uncertain: "warn", unlikely: "fail" };

/** Weakest items listed on the page (where improvement moves the chance most); only items answered at least MIN_CELL_SIZE times (small cells stay hidden, decision 0011). */
export const OUTLOOK_ITEMS_SHOWN = 3;

/** Short cells named in the structure banner before "等共 N 个单元". */
export const STRUCTURE_CELLS_NAMED = 8;

export interface PassOutlookView {
  level: PassLevel;
  tone: Tone;
  /** "接近85%，把握不足" (the engine's level label). */
  headline: string;
  /** The engine's sentence to read aloud: "按目前的调查结果，国家抽样调查达到85%的把握约为 70%". */
  summary: string;
  /** 0–1, as computed (not rounded). */
  probability: number;
  /** Credible interval of the true satisfied share, 0–1, and its level (0.95). */
  interval: { low: number; high: number; level: number };
  /** The true share that gives a 95% chance (安全线), 0–1, with the engine's sentence. */
  safeLine: number;
  safeLineText: string;
  /** Satisfied questionnaires to add for a 95% chance (0 = reached; null = not reachable), with the engine's sentence. */
  additionalSatisfied: number | null;
  advice: string;
  /** The assumptions in Chinese (自评, model, deff, n_official). */
  details: string;
  officialSampleSize: number;
  officialPassCount: number;
  deff: number;
  effectiveSampleSize: number;
  /** The weakest items with their chance (item id, label, probability 0–1, tone). */
  weakestItems: Array<{ itemId: string; label: string; rate: number; probability: number; tone: Tone; words: string }>;
}

/**
 * Shapes the engine's pass probability for the page; null when the engine has none (no valid
 * questionnaire, or no official sample size: no 常住人口 and no campaign setting). An item's chance
 * is read as the county's is ("约 35%", "不足5%": `s.displayStep`, never reaching `s.greenAt` below it).
 */
export function passOutlookView(
  p: PassProbabilityResult | null,
  itemLabel: (itemId: string) => string,
  s: Pick<PassProbabilitySettings, "displayStep" | "greenAt"> = DEFAULT_PASS_PROBABILITY_SETTINGS,
): PassOutlookView | null {
  if (p === null) return null;
  return {
    level: p.level,
    tone: PASS_LEVEL_TONES[p.level],
    headline: p.levelLabel,
    summary: p.summary,
    probability: p.probability,
    interval: p.credibleInterval,
    safeLine: p.safeLine,
    safeLineText: p.safeLineText,
    additionalSatisfied: p.additionalSatisfied,
    advice: p.advice,
    details: p.details,
    officialSampleSize: p.officialSampleSize,
    officialPassCount: p.officialPassCount,
    deff: p.designEffect.deff,
    effectiveSampleSize: p.designEffect.effectiveSampleSize,
    weakestItems: p.items
      .filter((i) => i.n >= MIN_CELL_SIZE)
      .slice(0, OUTLOOK_ITEMS_SHOWN)
      .map((i) => ({
        itemId: i.itemId,
        label: itemLabel(i.itemId),
        rate: i.rate,
        probability: i.probability,
        tone: PASS_LEVEL_TONES[i.level],
        words: probabilityWords(i.probability, s.displayStep, s.greenAt),
      })),
  };
}

export interface StructureBanner {
  /** "ok": totals and every planned cell reached; "warn": something short; "none": no plan (no 常住人口). */
  tone: "ok" | "warn" | "none";
  text: string;
  /** The short cells named: "乡村 17/106" (collected/planned). */
  shortCells: string[];
}

/**
 * The coverage banner: the plan's totals and its structure. The total and 家长 are short below
 * their requirement, any other cell below required × (1 − cellTolerance) (./sample-plan.ts); the
 * banner is green only when none is short, and names the short cells otherwise — groups, then
 * 城区/镇区/乡村, then grades, the first STRUCTURE_CELLS_NAMED of them. `coverage` null → no plan.
 */
export function structureBanner(coverage: Pick<SampleCoverage, "shortCells" | "insufficient"> | null): StructureBanner {
  if (coverage === null) return { tone: "none", text: "未填写常住人口，无法制定样本计划。", shortCells: [] };
  const structural = coverage.shortCells.filter((c) => c.dimension !== "total");
  const named = structural.map((c) => `${c.label} ${String(c.collected)}/${String(c.required)}`);
  const list =
    named.length > STRUCTURE_CELLS_NAMED ? `${named.slice(0, STRUCTURE_CELLS_NAMED).join("，")} 等共 ${String(named.length)} 个单元` : named.join("，");
  if (coverage.insufficient) {
    return { tone: "warn", text: `样本不足，满意度暂不能判定达标与否。${named.length > 0 ? `样本结构未达到计划：${list}。` : ""}`, shortCells: named };
  }
  if (named.length > 0) return { tone: "warn", text: `样本总量和家长份数已达到计划，但样本结构未达到计划：${list}。`, shortCells: named };
  return { tone: "ok", text: "样本总量、家长份数和计划的各单元（调查对象、城区/镇区/乡村、年级）均已达到计划。", shortCells: [] };
}

/**
 * The colour of the 社会认可度 figure: the worst of the rule's status, the probability and the
 * structure. A "pass" by the rule is green only when the probability is green and the sample
 * follows the plan; a fail is red; 样本不足 and anything not evaluated amber (or plain).
 */
export function satisfactionTone(status: string, outlook: Pick<PassOutlookView, "tone"> | null, structure: Pick<StructureBanner, "tone">): Tone | null {
  if (status === "fail") return "fail";
  if (status === "sample_insufficient") return "warn";
  if (status !== "pass") return null;
  if (outlook === null) return structure.tone === "warn" ? "warn" : "pass";
  if (outlook.tone === "fail") return "fail";
  if (outlook.tone === "warn" || structure.tone === "warn") return "warn";
  return "pass";
}

/** Said instead of a plain "达到85%" when the rate passes but the sample does not follow the plan. */
export const STRUCTURE_SHORT_LABEL = "达到85%，样本结构未达到计划";

/**
 * The words and colour of a 社会认可度 that passes by the rule (status "pass"): the probability's
 * label and colour (satisfactionTone), or STRUCTURE_SHORT_LABEL in amber when only the structure
 * is short. Null for any other status: its own badge (低于85%, 样本不足, …) says it.
 */
export function passBadge(
  status: string,
  outlook: Pick<PassOutlookView, "tone" | "level" | "headline"> | null,
  structure: Pick<StructureBanner, "tone">,
): { label: string; tone: Tone } | null {
  if (status !== "pass") return null;
  const tone = satisfactionTone(status, outlook, structure) ?? "pass";
  if (outlook !== null && outlook.level !== "likely") return { label: outlook.headline, tone };
  if (structure.tone === "warn") return { label: STRUCTURE_SHORT_LABEL, tone };
  return { label: outlook?.headline ?? "达到85%", tone };
}
