/**
 * What the console shows of the weighted 社会认可度 (../domain/raking.ts via the engine, decision
 * record 0025): the weighted rate beside the official rule's unweighted one, the weights' range,
 * Kish's n_eff and the engine's sentences — shaped, never recomputed, so the page and `npm run
 * evaluate` print the same figures. County level only: no per-school or per-group figure is
 * added (decision 0011), and nothing is shown below MIN_CELL_SIZE valid questionnaires.
 */
import type { SatisfactionWeighting } from "./evaluation/social";
import { MIN_CELL_SIZE } from "./suppression";

export interface WeightingView {
  /** 0–1; null when no questionnaire is inside the design. */
  weightedRate: number | null;
  /** 0–1, the rate the verdict uses. */
  unweightedRate: number;
  n: number;
  weights: { min: number; max: number } | null;
  effectiveSampleSize: number;
  designEffect: number;
  iterations: number;
  converged: boolean;
  locationApplied: boolean;
  summary: string;
  comparison: string;
  weightsText: string;
  schoolNote: string;
  unreachableText: string | null;
  convergenceText: string | null;
}

/** The engine's weighting for the page; null without one or below MIN_CELL_SIZE valid questionnaires. */
export function weightingView(w: SatisfactionWeighting | null): WeightingView | null {
  if (!w || w.n < MIN_CELL_SIZE) return null;
  return {
    weightedRate: w.weightedRate,
    unweightedRate: w.unweightedRate,
    n: w.n,
    weights: w.weights,
    effectiveSampleSize: w.effectiveSampleSize,
    designEffect: w.designEffect,
    iterations: w.iterations,
    converged: w.converged,
    locationApplied: w.locationApplied,
    summary: w.summary,
    comparison: w.comparison,
    weightsText: w.weightsText,
    schoolNote: w.schoolNote,
    unreachableText: w.unreachableText,
    convergenceText: w.convergenceText,
  };
}
