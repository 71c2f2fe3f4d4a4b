/**
 * The pass probability against an independent computation: 100 000 simulated official samples
 * (seeded RNG: p drawn from the Beta posterior by Marsaglia–Tsang gamma variates, then
 * k ~ Binomial(n_official, p) as a sum of Bernoulli draws), compared with the exact
 * Beta-binomial sum. Tolerance: 4 Monte Carlo standard errors, √(P(1 − P)/100 000) each
 * (≈ ±0.6 points at P = 0.7); a wrong model (e.g. ignoring the posterior, or deff) is off by far more.
 */
import { describe, expect, it } from "vitest";
import { designEffect, officialPassCount, officialPasses, passChance, safeLine } from "./pass-probability";

const DRAWS = 100_000;

/** mulberry32: a small seeded PRNG, uniform on [0, 1). */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function normal(rng: () => number): number {
  const u = 1 - rng();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng());
}

/** Gamma(shape, 1) by Marsaglia & Tsang (2000); shape < 1 by the boost U^(1/shape). */
function gamma(shape: number, rng: () => number): number {
  if (shape < 1) return gamma(shape + 1, rng) * Math.pow(1 - rng(), 1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    const x = normal(rng);
    const v = (1 + c * x) ** 3;
    if (v <= 0) continue;
    const u = 1 - rng();
    if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
  }
}

function betaDraw(a: number, b: number, rng: () => number): number {
  const x = gamma(a, rng);
  return x / (x + gamma(b, rng));
}

function binomialDraw(n: number, p: number, rng: () => number): number {
  let k = 0;
  for (let i = 0; i < n; i += 1) if (rng() < p) k += 1;
  return k;
}

/** Share of simulated official samples that pass, with its standard error. */
function simulate(alpha: number, beta: number, officialN: number, seed: number): { share: number; se: number } {
  const rng = mulberry32(seed);
  let pass = 0;
  for (let i = 0; i < DRAWS; i += 1) {
    const p = betaDraw(alpha, beta, rng);
    if (officialPasses(binomialDraw(officialN, p, rng), officialN, 0.85)) pass += 1;
  }
  const share = pass / DRAWS;
  return { share, se: Math.sqrt((share * (1 - share)) / DRAWS) };
}

const UNIFORM = { alpha: 1, beta: 1 };

describe("pass probability against 100 000 simulated official samples", () => {
  const cases = [
    { name: "86% of 500, deff 1, official 500", s: 430, n: 500, deff: 1, official: 500, seed: 1 },
    { name: "中宁县-like: 86.2% of 1 600, deff 2.4, official 504", s: 1380, n: 1600, deff: 2.4, official: 504, seed: 2 },
    { name: "a small county below the line: 34 of 41, deff 1.3, official 60", s: 34, n: 41, deff: 1.3, official: 60, seed: 3 },
    { name: "strong clustering: 880 of 1 000, deff 6, official 300", s: 880, n: 1000, deff: 6, official: 300, seed: 4 },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const exact = passChance(c.s, c.n, c.deff, c.official, 0.85, UNIFORM);
      const sim = simulate(1 + c.s / c.deff, 1 + (c.n - c.s) / c.deff, c.official, c.seed);
      const tolerance = 4 * Math.max(sim.se, 1 / DRAWS);
      expect(Math.abs(sim.share - exact)).toBeLessThanOrEqual(tolerance);
    });
  }
  it("the safe line: a county whose true share is on it passes 95 draws in 100", () => {
    const p = safeLine(504, 0.85, 0.95);
    const rng = mulberry32(5);
    let pass = 0;
    for (let i = 0; i < DRAWS; i += 1) if (binomialDraw(504, p, rng) >= officialPassCount(504, 0.85)) pass += 1;
    const se = Math.sqrt((0.95 * 0.05) / DRAWS);
    expect(Math.abs(pass / DRAWS - 0.95)).toBeLessThanOrEqual(4 * se);
  });
  it("the ICC estimator recovers a known school effect (beta-binomial schools, ρ = 1/(a + b + 1) = 0.05)", () => {
    // Schools' shares ~ Beta(a, b) with mean 0.86 and a + b = 19 → ρ = 0.05; 120 schools of 10–60.
    const rng = mulberry32(6);
    const estimates: number[] = [];
    for (let rep = 0; rep < 200; rep += 1) {
      const schools = Array.from({ length: 120 }, () => {
        const m = 10 + Math.floor(rng() * 51);
        const p = betaDraw(0.86 * 19, 0.14 * 19, rng);
        return { valid: m, satisfied: binomialDraw(m, p, rng) };
      });
      estimates.push(designEffect(schools).icc);
    }
    const mean = estimates.reduce((a, b) => a + b, 0) / estimates.length;
    expect(mean).toBeGreaterThan(0.04);
    expect(mean).toBeLessThan(0.06);
  });
});
