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
 *    on exact integers (decision record 0007). The sum is exact up to floating point: each
 *    term through log-gamma (Lanczos, g = 7), normalised by the sum of all n + 1 terms. The
 *    official draw is treated as a simple random sample of the county's respondents with the
 *    same questionnaire and rule as the self-assessment (its own clustering is not modelled).
 * 4. The credible interval is the equal-tailed Beta quantile interval (regularised incomplete
 *    beta by Lentz's continued fraction, Numerical Recipes 3rd ed. §6.4, inverted by bisection).
 * 5. The safe line is the true share p* with P(Binomial(n_official, p*) ≥ k*) = 95%: a county
 *    whose true share is p* passes the official draw 95 times in 100.
 * 6. Additional satisfied questionnaires: the smallest a with P(pass) ≥ 95% after adding a
 *    satisfied valid questionnaires (S + a of N + a) at the current deff.
 */
import { countToReach, dec, rateMeets } from "./exact";

/** Settings of the pass probability (typed configuration, settings.ts holds the defaults). */
export interface PassProbabilitySettings {
  /** Prior Beta(α, β) of the true satisfied share; Beta(1, 1) is uniform. */
  prior: { alpha: number; beta: number };
  /** The chance the safe line and the additional questionnaires aim at (0.95). */
  target: number;
  /** Level of the credible interval of the true share (0.95). */
  credibleLevel: number;
  /** Probability ≥ greenAt → 把握较大 (green); ≥ amberAt → 把握不足 (amber); below → red. */
  greenAt: number;
  amberAt: number;
  /** The official sample size, overriding ⌈常住人口 × perMille⌉; null = from the sample plan. */
  officialSampleSize: number | null;
  /** The step the probability is rounded to when read aloud (0.05 → "约 70%"). */
  displayStep: number;
}

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

/** Σ exp(logs[i]) for i ≥ from, divided by Σ exp(logs[i]) for all i (log-sum-exp). */
function normalisedTail(logs: readonly number[], from: number): number {
  let max = -Infinity;
  for (const l of logs) if (l > max) max = l;
  let all = 0;
  let tail = 0;
  for (const [i, l] of logs.entries()) {
    const w = Math.exp(l - max);
    all += w;
    if (i >= from) tail += w;
  }
  return all > 0 ? Math.min(1, tail / all) : 0;
}

/**
 * P(K ≥ kMin) for K ~ Beta-binomial(n, α, β): Σ_{k ≥ kMin} C(n, k)·B(k + α, n − k + β)/B(α, β),
 * each term by log-gamma, normalised by the sum of all n + 1 terms. kMin ≤ 0 → 1; kMin > n → 0.
 */
export function betaBinomialTail(n: number, kMin: number, alpha: number, beta: number): number {
  if (kMin <= 0) return 1;
  if (kMin > n) return 0;
  const lnN = logGamma(n + 1);
  const logs: number[] = [];
  for (let k = 0; k <= n; k += 1) logs.push(lnN - logGamma(k + 1) - logGamma(n - k + 1) + logBeta(k + alpha, n - k + beta));
  return normalisedTail(logs, kMin);
}

/** P(K ≥ kMin) for K ~ Binomial(n, p), the pmf by log-gamma. p = 0 → 0 (kMin > 0); p = 1 → 1. */
export function binomialTail(n: number, kMin: number, p: number): number {
  if (kMin <= 0) return 1;
  if (kMin > n) return 0;
  if (p <= 0) return 0;
  if (p >= 1) return 1;
  const lnN = logGamma(n + 1);
  const lp = Math.log(p);
  const lq = Math.log1p(-p);
  const logs: number[] = [];
  for (let k = 0; k <= n; k += 1) logs.push(lnN - logGamma(k + 1) - logGamma(n - k + 1) + k * lp + (n - k) * lq);
  return normalisedTail(logs, kMin);
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
export function passChance(satisfied: number, valid: number, deff: number, officialN: number, threshold: number, prior: PassProbabilitySettings["prior"]): number {
  const post = posterior(satisfied, valid, deff, prior);
  return betaBinomialTail(officialN, officialPassCount(officialN, threshold), post.alpha, post.beta);
}

/** The true share p* with P(Binomial(n, p*) ≥ k*) = target (module comment, 5), to 1e-9. */
export function safeLine(officialN: number, threshold: number, target: number): number {
  const kMin = officialPassCount(officialN, threshold);
  let lo = 0;
  let hi = 1;
  for (let i = 0; i < 40; i += 1) {
    const mid = (lo + hi) / 2;
    if (binomialTail(officialN, kMin, mid) < target) lo = mid;
    else hi = mid;
  }
  return hi;
}

/**
 * The smallest a ≥ 0 with passChance(S + a, N + a) ≥ target at the same deff (module comment,
 * 6); null when not reached within 10 000 000 (it always is: as a grows p → 1).
 */
export function additionalSatisfied(satisfied: number, valid: number, deff: number, officialN: number, threshold: number, prior: PassProbabilitySettings["prior"], target: number): number | null {
  const ok = (a: number) => passChance(satisfied + a, valid + a, deff, officialN, threshold, prior) >= target;
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
  unlikely: "达到85%的把握很小",
};

/**
 * A probability as an officer reads it aloud: rounded to `step` (5%), never 0% or 100% — above
 * 1 − step/2 it reads "95%以上", below step/2 "不足5%" — because it is an estimate, not a promise.
 */
export function probabilityWords(probability: number, step: number): string {
  const top = 1 - step;
  if (probability >= 1 - step / 2) return `${percentText(top)}以上`;
  if (probability < step / 2) return `不足${percentText(step)}`;
  return `约 ${percentText(Math.round(probability / step) * step)}`;
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

/** Everything about one county, group or item (module comment). `officialN` ≥ 1, `n` ≥ 1. */
export function passChanceOf(
  input: { satisfied: number; n: number; designEffect: DesignEffect; officialN: number },
  threshold: number,
  s: PassProbabilitySettings,
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
    additionalSatisfied: additionalSatisfied(satisfied, n, de.deff, officialN, threshold, s.prior, s.target),
  };
}
