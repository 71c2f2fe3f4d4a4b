/**
 * JSON Schemas (draft 2020-12) of the evaluation's input and output, generated from the zod
 * schemas so the published files (docs/schemas/) cannot drift from the code: a unit test
 * compares them, and `UPDATE_EVALUATION_SCHEMAS=1 npx vitest run --project unit
 * app/.server/evaluation-import` rewrites them.
 */
import { z } from "zod/v4";
import { EvaluationInputSchema } from "../../domain/evaluation/input";
import { EvaluationResultSchema } from "../../domain/evaluation/output-schema";

export function evaluationJsonSchemas(): { input: Record<string, unknown>; output: Record<string, unknown> } {
  const input = z.toJSONSchema(EvaluationInputSchema, { target: "draft-2020-12", io: "input", reused: "ref" });
  const output = z.toJSONSchema(EvaluationResultSchema, { target: "draft-2020-12", io: "output", reused: "ref" });
  return {
    input: { $id: "https://youzhi-junheng.invalid/schemas/evaluation-input.schema.json", title: "评估数据（输入）", ...input },
    output: { $id: "https://youzhi-junheng.invalid/schemas/evaluation-output.schema.json", title: "评估结果（输出）", ...output },
  };
}
