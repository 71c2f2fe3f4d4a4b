import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import Ajv2020 from "ajv/dist/2020";
import { describe, expect, it } from "vitest";
import { runEvaluate } from "../../../scripts/evaluate";
import { evaluationJsonSchemas } from "./json-schemas";

const docs = (p: string) => fileURLToPath(new URL(`../../../docs/${p}`, import.meta.url));
const schemas = evaluationJsonSchemas();
const files = { input: docs("schemas/evaluation-input.schema.json"), output: docs("schemas/evaluation-output.schema.json") };
if (process.env["UPDATE_EVALUATION_SCHEMAS"] === "1") {
  writeFileSync(files.input, `${JSON.stringify(schemas.input, null, 2)}\n`);
  writeFileSync(files.output, `${JSON.stringify(schemas.output, null, 2)}\n`);
}

function validator(schema: object) {
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  return ajv.compile(schema);
}

describe("published JSON Schemas", () => {
  it("are the ones generated from the code (regenerate with UPDATE_EVALUATION_SCHEMAS=1)", () => {
    expect(JSON.parse(readFileSync(files.input, "utf8"))).toEqual(schemas.input);
    expect(JSON.parse(readFileSync(files.output, "utf8"))).toEqual(schemas.output);
  });
  it("the 中卫市 example validates against the input schema", () => {
    const validate = validator(JSON.parse(readFileSync(files.input, "utf8")));
    const ok = validate(JSON.parse(readFileSync(docs("zhongwei-demo-example.json"), "utf8")));
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });
  it("the CLI's output for the example validates against the output schema and has no NaN", async () => {
    let out = "";
    const code = await runEvaluate([docs("zhongwei-demo-example.json")], {
      stdout: (t) => (out += t),
      stderr: () => undefined,
      readFile: async (p) => new Uint8Array(readFileSync(p)),
    });
    expect(code).toBe(0);
    const validate = validator(JSON.parse(readFileSync(files.output, "utf8")));
    const result: unknown = JSON.parse(out);
    const ok = validate(result);
    expect(validate.errors?.slice(0, 5) ?? []).toEqual([]);
    expect(ok).toBe(true);
    // JSON.stringify writes NaN and Infinity as null; check the numbers before serialisation too.
    expect(out).not.toMatch(/NaN|Infinity/);
  });
  it("the schema rejects a wrong output", () => {
    const validate = validator(schemas.output);
    expect(validate({ format: "youzhi-junheng/evaluation-result", version: 1 })).toBe(false);
  });
});
