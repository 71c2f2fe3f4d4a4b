/**
 * The engine's input as the console assembles it from a campaign: one builder for a county's
 * CountyInput (the 社会认可度 dashboards and the 达标评估 readiness pages both go through it), and
 * the same schema and cross-record checks as the CLI's and the importers' before evaluating.
 */
import { z } from "zod/v4";
import { CountySchema, EvaluationInputSchema, type CountyInput, type EvaluationInput } from "./input";
import { validateInputSemantics } from "./validate-input";

const zhCN = z.locales.zhCN();

/** What a campaign holds for one of its counties (db/repositories/console-campaigns.ts `CampaignCountyPlan`). */
export interface CampaignCountyFigures {
  /** 常住人口 (persons); null when not provided — the repository reads a stored NULL (or a legacy 0) as null. */
  residentPopulation: number | null;
  /** 城区/镇区/乡村 shares of the 常住人口 (0–1, summing to 1). */
  locationShare: { urban: number; town: number; rural: number };
}

/** The assembled input breaks the engine's input schema: a bug or a bad stored figure, never the user's doing. */
export class InvalidEvaluationInputError extends Error {
  override name = "InvalidEvaluationInputError";
  constructor(
    message: string,
    readonly problems: readonly string[],
  ) {
    super(`${message}：${problems.join("；")}`);
  }
}

/**
 * One county's CountyInput for the engine. 常住人口 is the campaign's when it has one, else the
 * evaluation data file's (`fromFile`), else `null` — never 0: without it the engine builds no
 * sample plan and leaves 社会认可度 not judged, saying why (未填报常住人口). The 城区/镇区/乡村
 * split is likewise the campaign's, else the file's, else null.
 *
 * Checked against the engine's CountySchema (a positive integer population, shares in 0–1):
 * throws InvalidEvaluationInputError otherwise.
 */
export function countyInputOf(plan: CampaignCountyFigures | undefined, county: { id: string; name: string }, fromFile?: CountyInput): CountyInput {
  const assembled: CountyInput = {
    id: county.id,
    name: county.name,
    residentPopulation: plan?.residentPopulation ?? fromFile?.residentPopulation ?? null,
    locationShare: plan?.locationShare ?? fromFile?.locationShare ?? null,
  };
  const parsed = CountySchema.safeParse(assembled, { error: zhCN.localeError });
  if (!parsed.success) {
    throw new InvalidEvaluationInputError(
      `县（区）${county.id} 的评估输入不符合格式`,
      parsed.error.issues.map((i) => `${i.path.join(".")}：${i.message}`),
    );
  }
  return parsed.data;
}

/**
 * `input` through the same checks as the CLI's and the importers' input: the schema
 * (EvaluationInputSchema), then the cross-record rules (validateInputSemantics). Returns the
 * parsed input (unknown fields dropped); throws InvalidEvaluationInputError naming the problems.
 */
export function checkedInput(input: EvaluationInput, what: string): EvaluationInput {
  const parsed = EvaluationInputSchema.safeParse(input, { error: zhCN.localeError });
  if (!parsed.success) {
    throw new InvalidEvaluationInputError(
      `${what}的评估输入不符合格式`,
      parsed.error.issues.map((i) => `${i.path.join(".")}：${i.message}`),
    );
  }
  const issues = validateInputSemantics(parsed.data);
  if (issues.length > 0)
    throw new InvalidEvaluationInputError(
      `${what}的评估输入前后不一致`,
      issues.map((i) => i.message),
    );
  return parsed.data;
}
