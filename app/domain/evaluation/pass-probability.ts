/**
 * 社会认可度: will the county pass the national survey? (issue 14 item 1, decision record 0016)
 *
 * The platform's 综合满意度 is a self-assessment (自评). The Ministry draws its own sample of
 * n_official questionnaires (⌈常住人口 × 1.5‰⌉, or a campaign's own figure) and the county passes
 * when k/n_official ≥ 85%. This module turns the self-assessment into the chance of that, and
 * says what would raise it. Pure: counts and settings in, numbers out; no randomness (the
 * simulation that checks it lives in the test and takes its RNG as an argument).
 *
 * Model (all formulas with their sources in docs/evaluation.md, "国家抽样的把握"):
 *
 * 1. Clustering by school (design effect, Kish 1965 §5.4; Kish 1987): questionnaires from one
 *    school resemble each other, so N of them carry less information than N independent ones.
 *    deff = 1 + (m̄ − 1)·ρ, with m̄ = Σmᵢ² ÷ Σmᵢ (the size-weighted mean cluster size, which for
 *    equal sizes is the plain mean) and ρ the intraclass correlation, estimated by the one-way
 *    ANOVA estimator for binary data (Ridout, Demétrio & Firth 1999, Biometrics 55:137–148):
 *      SSB = Σ sᵢ²/mᵢ − S²/N,  SSW = S − Σ sᵢ²/mᵢ,  MSB = SSB/(k − 1),  MSW = SSW/(N − k),
 *      m₀ = (N − Σmᵢ²/N)/(k − 1),  ρ = (MSB − MSW) ÷ (MSB + (m₀ − 1)·MSW),
 *    with sᵢ satisfied of mᵢ valid questionnaires in cluster i, S = Σsᵢ, N = Σmᵢ, k clusters.
 *    A questionnaire without a school (county-level links: 人大代表, 政协委员, 其他群众) is a
 *    cluster of its own. Degenerate cases: fewer than 2 clusters, or N − k < 1 (every cluster a
 *    single questionnaire) → ρ cannot be estimated and is taken as 0 (deff = 1, `iccReason`
 *    says why); MSB + (m₀ − 1)·MSW = 0 (every answer the same) → ρ = 0; a negative estimate
 *    (schools more alike than chance allows) → 0, so deff ≥ 1 (never a bonus for clustering).
 *    n_eff = N ÷ deff.
 * 2. Posterior of the true satisfied share p: Beta(α₀ + S/deff, β₀ + (N − S)/deff), the
 *    conjugate posterior of a binomial with n_eff trials and S/deff successes (the "effective
 *    sample size" approximation for clustered binary data, Kish 1965; Gelman et al., Bayesian
 *    Data Analysis 3rd ed. §2.4 for the Beta–binomial). Prior Beta(1, 1) (uniform) by default.
 * 3. The official draw: k | p ~ Binomial(n_official, p), so k has the Beta-binomial posterior
 *    predictive  P(k) = C(n, k)·B(k + α, n − k + β) ÷ B(α, β)  (Gelman et al. §2.7), and
 *    P(pass) = Σ_{k ≥ k*} P(k), k* = ⌈0.85·n_official⌉ — the smallest k with 100k ≥ 85n, found
 *    on exact integers (decision record 0007). The sum is exact up to floating point: the terms
 *    by the ratio of successive Beta-binomial terms (the log-gamma form with its Γ's cancelled,
 *    checked against it in the tests), normalised by the sum of all n + 1 terms. The
 *    official draw is treated as a simple random sample of the county's respondents with the
 *    same questionnaire and rule as the self-assessment (its own clustering is not modelled).
 * 4. The credible interval is the equal-tailed Beta quantile interval (regularised incomplete
 *    beta by Lentz's continued fraction, Numerical Recipes 3rd ed. §6.4, inverted by bisection).
 * 5. The safe line is the true share p* with P(Binomial(n_official, p*) ≥ k*) = 95%: a county
 *    whose true share is p* passes the official draw 95 times in 100.
 * 6. Additional satisfied questionnaires: the smallest a with P(pass) ≥ 95% after adding a
 *    satisfied valid questionnaires (S + a of N + a) at the current deff.
 */
import { OVERALL_ITEM_ID, type ItemRate, type SatisfactionCell } from "../satisfaction";
import type { SamplePlan } from "../sample-plan";
import { RESPONDENT_GROUP_LABELS, RESPONDENT_GROUPS, type RespondentGroup } from "../vocabulary";
import { countToReach, dec, rateMeets } from "./exact";
import type { PassProbabilitySettings } from "./settings";

export type { PassProbabilitySettings } from "./settings";

/** One cluster (a school): its satisfied and valid questionnaires. */
export interface ClusterCount {
  satisfied: number;
  valid: number;
}

export interface DesignEffect {
  /** Clusters with at least one valid questionnaire (schools, plus one per school-less questionnaire). */
  clusters: number;
  /** m̄ = Σmᵢ² ÷ Σmᵢ. */
  meanClusterSize: number;
  /** ρ ≥ 0 (0 in the degenerate cases). */
  icc: number;
  /** Why ρ was taken as 0 without being estimated, else null. */
  iccReason: "too_few_clusters" | "singleton_clusters" | "no_variation" | "negative_estimate" | null;
  /** 1 + (m̄ − 1)·ρ ≥ 1. */
  deff: number;
  /** N ÷ deff. */
  effectiveSampleSize: number;
}

/**
 * Design effect of clustering by school (module comment, 1). `clusters` are schools (zero-size
 * ones are ignored); `singletons` are questionnaires without a school, each its own cluster.
 */
export function designEffect(clusters: readonly ClusterCount[], singletons: ClusterCount = { satisfied: 0, valid: 0 }): DesignEffect {
  const real = clusters.filter((c) => c.valid > 0);
  const k = real.length + singletons.valid;
  let N = singletons.valid;
  let S = singletons.satisfied;
  let sumSq = singletons.satisfied; // Σ sᵢ²/mᵢ: a singleton contributes sᵢ (0 or 1)
  let sumM2 = singletons.valid; // Σ mᵢ²
  for (const c of real) {
    N += c.valid;
    S += c.satisfied;
    sumSq += (c.satisfied * c.satisfied) / c.valid;
    sumM2 += c.valid * c.valid;
  }
  const meanClusterSize = N > 0 ? sumM2 / N : 0;
  const out = (icc: number, iccReason: DesignEffect["iccReason"]): DesignEffect => {
    const deff = 1 + Math.max(0, meanClusterSize - 1) * icc;
    return { clusters: k, meanClusterSize, icc, iccReason, deff, effectiveSampleSize: N / deff };
  };
  if (k < 2) return out(0, "too_few_clusters");
  if (N - k < 1) return out(0, "singleton_clusters");
  const msb = (sumSq - (S * S) / N) / (k - 1);
  const msw = (S - sumSq) / (N - k);
  const m0 = (N - sumM2 / N) / (k - 1);
  const denom = msb + (m0 - 1) * msw;
  if (!(denom > 0)) return out(0, "no_variation");
  const rho = (msb - msw) / denom;
  if (rho <= 0) return out(0, "negative_estimate");
  return out(Math.min(1, rho), null);
}

// ---------------------------------------------------------------------------------------------
// Special functions.

const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012,
  9.9843695780195716e-6, 1.5056327351493116e-7,
] as const;

/** ln Γ(x) for x > 0 (Lanczos approximation, g = 7, n = 9; relative error ≈ 1e-15). */
export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const y = x - 1;
  let a: number = LANCZOS[0];
  for (let i = 1; i < LANCZOS.length; i += 1) a += (LANCZOS[i] ?? 0) / (y + i);
  const t = y + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (y + 0.5) * Math.log(t) - t + Math.log(a);
}

/** ln B(a, b) = ln Γ(a) + ln Γ(b) − ln Γ(a + b). */
export function logBeta(a: number, b: number): number {
  return logGamma(a) + logGamma(b) - logGamma(a + b);
}

/** ln P(K = k) for K ~ Beta-binomial(n, α, β): ln C(n, k) + ln B(k + α, n − k + β) − ln B(α, β). */
export function betaBinomialLogPmf(n: number, k: number, alpha: number, beta: number): number {
  return logGamma(n + 1) - logGamma(k + 1) - logGamma(n - k + 1) + logBeta(k + alpha, n - k + beta) - logBeta(alpha, beta);
}

/**
 * Σ_{k ≥ kMin} w_k ÷ Σ_k w_k for weights on k = 0…n given by their successive log-ratios
 * ln(w_{k+1}/w_k) = `logRatio(k)`: log-space from w_0 = 1, then log-sum-exp. Normalising by
 * the whole sum makes the result a probability whatever the rounding of the terms.
 */
function normalisedTail(n: number, kMin: number, logRatio: (k: number) => number): number {
  const logs = new Float64Array(n + 1);
  let max = 0;
  for (let k = 0; k < n; k += 1) {
    const next = (logs[k] ?? 0) + logRatio(k);
    logs[k + 1] = next;
    if (next > max) max = next;
  }
  let all = 0;
  let tail = 0;
  for (let k = 0; k <= n; k += 1) {
    const w = Math.exp((logs[k] ?? 0) - max);
    all += w;
    if (k >= kMin) tail += w;
  }
  return all > 0 ? Math.min(1, tail / all) : 0;
}

/**
 * P(K ≥ kMin) for K ~ Beta-binomial(n, α, β), P(k) = C(n, k)·B(k + α, n − k + β)/B(α, β). The
 * terms come from the ratio P(k + 1)/P(k) = (n − k)(k + α) ÷ ((k + 1)(n − k − 1 + β)) — the
 * log-gamma form C(n, k)·B(…)/B(α, β) with its Γ's cancelled — normalised by the sum of all
 * n + 1 terms. kMin ≤ 0 → 1; kMin > n → 0.
 */
export function betaBinomialTail(n: number, kMin: number, alpha: number, beta: number): number {
  if (kMin <= 0) return 1;
  if (kMin > n) return 0;
  return normalisedTail(n, kMin, (k) => Math.log(((n - k) * (k + alpha)) / ((k + 1) * (n - k - 1 + beta))));
}

/** P(K ≥ kMin) for K ~ Binomial(n, p), terms by the ratio (n − k)p ÷ ((k + 1)(1 − p)). p = 0 → 0 (kMin > 0); p = 1 → 1. */
export function binomialTail(n: number, kMin: number, p: number): number {
  if (kMin <= 0) return 1;
  if (kMin > n) return 0;
  if (p <= 0) return 0;
  if (p >= 1) return 1;
  const odds = Math.log(p) - Math.log1p(-p);
  return normalisedTail(n, kMin, (k) => Math.log((n - k) / (k + 1)) + odds);
}

/** Continued fraction of the incomplete beta (Lentz's method, Numerical Recipes §6.4). */
function betaContinuedFraction(a: number, b: number, x: number): number {
  const TINY = 1e-300;
  const qab = a + b;
  const qap = a + 1;
  const qam = a - 1;
  let c = 1;
  let d = 1 - (qab * x) / qap;
  if (Math.abs(d) < TINY) d = TINY;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 10_000; m += 1) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-15) break;
  }
  return h;
}

/** The regularised incomplete beta Iₓ(a, b) = P(X ≤ x) for X ~ Beta(a, b). */
export function betaCdf(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(a * Math.log(x) + b * Math.log1p(-x) - logBeta(a, b));
  if (x < (a + 1) / (a + b + 2)) return (front * betaContinuedFraction(a, b, x)) / a;
  return 1 - (front * betaContinuedFraction(b, a, 1 - x)) / b;
}

/** The q-quantile of Beta(a, b), by bisection on `betaCdf` (to 1e-12). */
export function betaQuantile(q: number, a: number, b: number): number {
  let lo = 0;
  let hi = 1;
  for (let i = 0; i < 60 && hi - lo > 1e-12; i += 1) {
    const mid = (lo + hi) / 2;
    if (betaCdf(mid, a, b) < q) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

// ---------------------------------------------------------------------------------------------
// The county's chance.

/** The smallest k with k/n ≥ threshold, on exact integers (100k ≥ 85n for 85%). */
export function officialPassCount(n: number, threshold: number): number {
  return countToReach(0, n, dec(threshold));
}

/** Whether an official result of k satisfied of n reaches the threshold, exactly. */
export function officialPasses(k: number, n: number, threshold: number): boolean {
  return n > 0 && rateMeets(k, n, ">=", threshold);
}

/** Beta posterior of the true share from S satisfied of N at design effect deff (module comment, 2). */
export function posterior(satisfied: number, valid: number, deff: number, prior: PassProbabilitySettings["prior"]): { alpha: number; beta: number } {
  return { alpha: prior.alpha + satisfied / deff, beta: prior.beta + (valid - satisfied) / deff };
}

/** P(official ≥ threshold) from S of N at deff, for an official draw of n (module comment, 3). */
export function passChance(
  satisfied: number,
  valid: number,
  deff: number,
  officialN: number,
  threshold: number,
  prior: PassProbabilitySettings["prior"],
): number {
  const post = posterior(satisfied, valid, deff, prior);
  return betaBinomialTail(officialN, officialPassCount(officialN, threshold), post.alpha, post.beta);
}

/**
 * The true share p* with P(Binomial(n, p*) ≥ k*) = target (module comment, 5). Through the
 * identity P(Binomial(n, p) ≥ k) = I_p(k, n − k + 1) (the regularised incomplete beta), p* is
 * the target-quantile of Beta(k*, n − k* + 1); the tests check it against the binomial sum.
 */
export function safeLine(officialN: number, threshold: number, target: number): number {
  const kMin = officialPassCount(officialN, threshold);
  if (kMin <= 0) return 0;
  return betaQuantile(target, kMin, officialN - kMin + 1);
}

/**
 * The smallest a ≥ 0 with passChance(S + a, N + a) ≥ target at the same deff (module comment,
 * 6); null when not reached within 10 000 000 (it always is: as a grows p → 1).
 */
export function additionalSatisfied(
  satisfied: number,
  valid: number,
  deff: number,
  officialN: number,
  threshold: number,
  prior: PassProbabilitySettings["prior"],
  target: number,
): number | null {
  const kMin = officialPassCount(officialN, threshold);
  const ok = (a: number) => {
    const post = posterior(satisfied + a, valid + a, deff, prior);
    return betaBinomialTail(officialN, kMin, post.alpha, post.beta) >= target;
  };
  if (ok(0)) return 0;
  let lo = 0; // fails
  let hi = 1;
  while (!ok(hi)) {
    lo = hi;
    hi *= 2;
    if (hi > 10_000_000) return null;
  }
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (ok(mid)) hi = mid;
    else lo = mid;
  }
  return hi;
}

export type PassLevel = "likely" | "uncertain" | "unlikely";

/** The colour level of a probability: ≥ greenAt likely, ≥ amberAt uncertain, else unlikely. */
export function passLevel(probability: number, s: Pick<PassProbabilitySettings, "greenAt" | "amberAt">): PassLevel {
  return probability >= s.greenAt ? "likely" : probability >= s.amberAt ? "uncertain" : "unlikely";
}

export const PASS_LEVEL_LABELS: Record<PassLevel, string> = {
  likely: "达到85%，把握较大",
  uncertain: "接近85%，把握不足",
  // "很小" would overstate a 45% chance; below amberAt the draw is only more likely to miss than to reach 85%.
  unlikely: "达到85%的把握较小",
};

/**
 * A probability as an officer reads it aloud: rounded to `step` (5%), never 0% or 100% — above
 * 1 − step/2 it reads "95%以上", below step/2 "不足5%" — because it is an estimate, not a promise.
 * `greenAt` (optional): a probability below it never reads as reaching it — 0.94 would round to
 * "约 95%" next to an amber "把握不足"; it reads "接近但不足95%" instead.
 */
export function probabilityWords(probability: number, step: number, greenAt?: number): string {
  const top = 1 - step;
  const rounded = Math.round(probability / step) * step;
  if (greenAt !== undefined && probability < greenAt && (rounded >= greenAt || probability >= 1 - step / 2)) return `接近但不足${percentText(greenAt)}`;
  if (probability >= 1 - step / 2) return `${percentText(top)}以上`;
  if (probability < step / 2) return `不足${percentText(step)}`;
  return `约 ${percentText(rounded)}`;
}

function percentText(x: number): string {
  return `${String(Math.round(x * 1000) / 10)}%`;
}

/** One pass probability (county, group or item). */
export interface PassChance {
  /** Valid questionnaires (or answered items) and satisfied ones of the self-assessment. */
  n: number;
  satisfied: number;
  /** satisfied ÷ n. */
  rate: number;
  designEffect: DesignEffect;
  posterior: { alpha: number; beta: number; mean: number };
  /** Equal-tailed credible interval of the true share at `credibleLevel`. */
  credibleInterval: { low: number; high: number; level: number };
  /** Size of the official draw and the satisfied count it needs (k* = ⌈0.85·n⌉). */
  officialSampleSize: number;
  officialPassCount: number;
  /** P(official ≥ threshold), 0–1. */
  probability: number;
  level: PassLevel;
  levelLabel: string;
  /** The true share for a `target` chance (the safe line). */
  safeLine: number;
  /** Satisfied questionnaires to add for a `target` chance at this deff; null when unreachable. */
  additionalSatisfied: number | null;
}

/**
 * Everything about one county, group or item (module comment). `officialN` ≥ 1, `n` ≥ 1.
 * `withAdvice` false skips the search for the questionnaires to add (then null): the per-item
 * figures do without it, which keeps a county of many items fast.
 */
export function passChanceOf(
  input: { satisfied: number; n: number; designEffect: DesignEffect; officialN: number },
  threshold: number,
  s: PassProbabilitySettings,
  withAdvice = true,
): PassChance {
  const { satisfied, n, designEffect: de, officialN } = input;
  const post = posterior(satisfied, n, de.deff, s.prior);
  const tail = (1 - s.credibleLevel) / 2;
  const probability = betaBinomialTail(officialN, officialPassCount(officialN, threshold), post.alpha, post.beta);
  const level = passLevel(probability, s);
  return {
    n,
    satisfied,
    rate: satisfied / n,
    designEffect: de,
    posterior: { alpha: post.alpha, beta: post.beta, mean: post.alpha / (post.alpha + post.beta) },
    credibleInterval: { low: betaQuantile(tail, post.alpha, post.beta), high: betaQuantile(1 - tail, post.alpha, post.beta), level: s.credibleLevel },
    officialSampleSize: officialN,
    officialPassCount: officialPassCount(officialN, threshold),
    probability,
    level,
    levelLabel: PASS_LEVEL_LABELS[level],
    safeLine: safeLine(officialN, threshold, s.target),
    additionalSatisfied: withAdvice ? additionalSatisfied(satisfied, n, de.deff, officialN, threshold, s.prior, s.target) : null,
  };
}

/** The county's pass probability with its words, per group and per item. */
export interface PassProbabilityResult extends PassChance {
  /** Where n_official came from: the sample plan (⌈常住人口 × 1.5‰⌉) or the campaign's setting. */
  officialSampleSource: "plan" | "setting";
  /** The sentence to read aloud: "按目前的调查结果，国家抽样调查达到85%的把握约为 70%". */
  summary: string;
  /** What was assumed (自评, the model, deff, n_official), in Chinese. */
  details: string;
  /** "要有95%的把握，真实满意比例需达到约 87.5%（安全线）". */
  safeLineText: string;
  /** "按目前的学校聚集程度，再增加约 N 份满意问卷，把握可达到95%", or that it is reached. */
  advice: string;
  /** Each group with valid questionnaires and a planned official share (n_official of that group). */
  groups: Array<PassChance & { group: RespondentGroup; label: string }>;
  /** Each item (not the overall one), weakest first: where improvement moves the chance most. */
  items: Array<PassChance & { itemId: string }>;
}

/** A rate as a percentage with one decimal (display only). */
function pct1(x: number): string {
  return `${(Math.round(x * 1000) / 10).toFixed(1)}%`;
}

function clusterCounts(cells: readonly SatisfactionCell[]): { schools: ClusterCount[]; singletons: ClusterCount } {
  const bySchool = new Map<string, ClusterCount>();
  const singletons = { satisfied: 0, valid: 0 };
  for (const c of cells) {
    if (c.schoolId === null) {
      singletons.satisfied += c.satisfied;
      singletons.valid += c.valid;
      continue;
    }
    const row = bySchool.get(c.schoolId);
    if (row) {
      row.satisfied += c.satisfied;
      row.valid += c.valid;
    } else bySchool.set(c.schoolId, { satisfied: c.satisfied, valid: c.valid });
  }
  return { schools: [...bySchool.values()], singletons };
}

const ICC_REASON_TEXT: Record<NonNullable<DesignEffect["iccReason"]>, string> = {
  too_few_clusters: "学校不足2所，无法估计学校间差异，按不聚集计",
  singleton_clusters: "问卷均不属于学校，按不聚集计",
  no_variation: "各份问卷结论相同，按不聚集计",
  negative_estimate: "学校间差异不大于随机波动，按不聚集计",
};

/**
 * The county's 国家抽样的把握 from its count rows (the county's cells only), its per-item rates and
 * the sample plan. n_official = `settings.officialSampleSizes[countyId]` when set, else `plan.total`; each
 * group's n_official is its planned share of it (plan.byGroup, scaled when the setting overrides
 * the total); each item's is n_official × answered ÷ valid (an official respondent answering
 * 不了解 does not count for the item), at least 1, with the county's deff (item counts carry no
 * school). Null when there is no valid questionnaire or no official sample size (no 常住人口 and
 * no setting).
 */
export function countyPassProbability(
  countyId: string,
  cells: readonly SatisfactionCell[],
  items: readonly ItemRate[],
  plan: SamplePlan | null,
  threshold: number,
  s: PassProbabilitySettings,
): PassProbabilityResult | null {
  const override = Object.entries(s.officialSampleSizes).find(([id]) => id === countyId)?.[1] ?? null;
  const officialN = override ?? plan?.total ?? null;
  let valid = 0;
  let satisfied = 0;
  for (const c of cells) {
    valid += c.valid;
    satisfied += c.satisfied;
  }
  if (officialN === null || officialN < 1 || valid === 0) return null;
  const { schools, singletons } = clusterCounts(cells);
  const de = designEffect(schools, singletons);
  const county = passChanceOf({ satisfied, n: valid, designEffect: de, officialN }, threshold, s);
  const groups: PassProbabilityResult["groups"] = [];
  for (const g of RESPONDENT_GROUPS) {
    const planned = plan?.byGroup[g] ?? 0;
    const groupN = plan && plan.total > 0 ? Math.round((officialN * planned) / plan.total) : 0;
    const own = cells.filter((c) => c.group === g);
    const n = own.reduce((a, c) => a + c.valid, 0);
    if (groupN < 1 || n === 0) continue;
    const split = clusterCounts(own);
    const chance = passChanceOf(
      { satisfied: own.reduce((a, c) => a + c.satisfied, 0), n, designEffect: designEffect(split.schools, split.singletons), officialN: groupN },
      threshold,
      s,
    );
    groups.push({ ...chance, group: g, label: RESPONDENT_GROUP_LABELS[g] });
  }
  const itemChances: PassProbabilityResult["items"] = [];
  for (const item of items) {
    if (item.itemId === OVERALL_ITEM_ID || item.answered === 0) continue;
    const itemN = Math.max(1, Math.round((officialN * item.answered) / valid));
    itemChances.push({
      ...passChanceOf({ satisfied: item.satisfiedAnswers, n: item.answered, designEffect: de, officialN: itemN }, threshold, s, false),
      itemId: item.itemId,
    });
  }
  itemChances.sort((a, b) => a.probability - b.probability || (a.itemId < b.itemId ? -1 : a.itemId > b.itemId ? 1 : 0));
  const thresholdText = pct1(threshold).replace(".0%", "%");
  const targetText = pct1(s.target).replace(".0%", "%");
  const source = override !== null ? "setting" : "plan";
  const deffText =
    de.iccReason === null
      ? `按学校聚集的设计效应 ${de.deff.toFixed(2)}（学校内相关系数 ${de.icc.toFixed(3)}，平均每校约 ${de.meanClusterSize.toFixed(0)} 份），相当于约 ${String(Math.round(de.effectiveSampleSize))} 份独立问卷`
      : `设计效应 1（${ICC_REASON_TEXT[de.iccReason]}）`;
  const details =
    `依据：自评有效问卷 ${String(valid)} 份，满意 ${String(satisfied)} 份（${pct1(satisfied / valid)}）；${deffText}；` +
    `据此估计真实满意比例的${targetText}可信区间为 ${pct1(county.credibleInterval.low)}–${pct1(county.credibleInterval.high)}（贝塔后验，先验 Beta(${String(s.prior.alpha)}, ${String(s.prior.beta)})）；` +
    `假定国家抽样 ${String(officialN)} 份（${source === "setting" ? "本次调查活动设定" : "常住人口的1.5‰"}），满意问卷不少于 ${String(county.officialPassCount)} 份即达到${thresholdText}，` +
    "按简单随机抽样、与自评相同的问卷和满意判定规则计算（贝塔-二项分布）。这是按自评结果估计的概率，不是保证。";
  const advice =
    county.additionalSatisfied === 0
      ? `按目前的结果，达到${thresholdText}的把握已不低于${targetText}`
      : county.additionalSatisfied === null
        ? `按目前的学校聚集程度，增加问卷也难以使把握达到${targetText}`
        : `按目前的学校聚集程度，再增加约 ${String(county.additionalSatisfied)} 份满意问卷（有效问卷随之增加），把握可达到${targetText}`;
  return {
    ...county,
    officialSampleSource: source,
    summary: `按目前的调查结果，国家抽样调查达到${thresholdText}的把握${probabilityWords(county.probability, s.displayStep, s.greenAt).replace(/^约 /, "约为 ")}`,
    details,
    safeLineText: `要有${targetText}的把握，全县真实满意比例需达到约 ${pct1(county.safeLine)}（安全线）；目前自评为 ${pct1(satisfied / valid)}`,
    advice,
    groups,
    items: itemChances,
  };
}
