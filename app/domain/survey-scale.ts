/**
 * The platform's one answer scale for every satisfaction item (spec §4):
 * 满意 (5) / 比较满意 (4) / 基本满意 (3) / 不满意 (2) / 很不满意 (1) / 不了解 (no score).
 * The choice *values* in the SurveyJS definitions are these Chinese labels, so raw answers and
 * exports read the same as the questionnaire. 不了解 scores `null`: not counted for or against.
 */
export const SCALE_CHOICES = ["满意", "比较满意", "基本满意", "不满意", "很不满意", "不了解"] as const;
export type ScaleChoice = (typeof SCALE_CHOICES)[number];

export const SCALE_SCORES: Readonly<Record<ScaleChoice, number | null>> = {
  满意: 5,
  比较满意: 4,
  基本满意: 3,
  不满意: 2,
  很不满意: 1,
  不了解: null,
};

/** Highest score on the scale; a mean score s maps to a percentage as 100·s / SCALE_MAX (5 → 100). */
export const SCALE_MAX = 5;

export function isScaleChoice(value: unknown): value is ScaleChoice {
  return typeof value === "string" && (SCALE_CHOICES as readonly string[]).includes(value);
}

/** Score of one answer: 1–5, `null` for 不了解, `undefined` for anything not on the scale. */
export function scoreOf(value: unknown): number | null | undefined {
  return isScaleChoice(value) ? SCALE_SCORES[value] : undefined;
}
