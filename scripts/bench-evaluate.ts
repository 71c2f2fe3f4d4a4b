/**
 * npm run bench:evaluate — how long the demo 中卫市 evaluation takes.
 *
 * Over docs/zhongwei-demo-example.json (3 counties, 27 schools, 1 730 questionnaires), times
 * in the same run, after a warm-up, many repetitions of:
 *   - baseline: JSON.parse of the file text (the cost of merely reading the input);
 *   - import: JSON.parse + schema and cross-record validation (importJson);
 *   - evaluate: evaluateCounties on the validated input (the engine itself);
 *   - end to end: import + evaluate + JSON.stringify of the result (what the CLI does).
 * Prints median and p90 of each, and ends with ONE JSON line of named figures (milliseconds).
 * A measurement, not a test: nothing fails on a slow machine.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { performance } from "node:perf_hooks";
import { importJson } from "../app/.server/evaluation-import";
import { evaluateCounties } from "../app/domain/evaluation";

const file = fileURLToPath(new URL("../docs/zhongwei-demo-example.json", import.meta.url));
const text = readFileSync(file, "utf8");
const REPS = Number(process.env["BENCH_REPS"] ?? 200);
const WARMUP = 20;

const imported = importJson(text);
if (!imported.ok) throw new Error("the demo example does not validate");
const input = imported.value;

function time(label: string, fn: () => unknown): { median: number; p90: number } {
  for (let i = 0; i < WARMUP; i += 1) fn();
  const samples: number[] = [];
  for (let i = 0; i < REPS; i += 1) {
    const t = performance.now();
    fn();
    samples.push(performance.now() - t);
  }
  samples.sort((a, b) => a - b);
  const at = (q: number) => samples[Math.min(samples.length - 1, Math.floor(q * samples.length))] ?? 0;
  const r = { median: at(0.5), p90: at(0.9) };
  process.stdout.write(`${label.padEnd(12)} median ${r.median.toFixed(2)} ms   p90 ${r.p90.toFixed(2)} ms   (${String(REPS)} runs)\n`);
  return r;
}

process.stdout.write(
  `demo 中卫市: ${String(input.counties.length)} counties, ${String(input.schools.length)} schools, ${String(input.satisfaction?.source === "records" ? input.satisfaction.records.length : 0)} questionnaires, ${String(text.length)} chars\n`,
);
const baseline = time("baseline", () => JSON.parse(text));
const importing = time("import", () => importJson(text));
const evaluate = time("evaluate", () => evaluateCounties(input));
const endToEnd = time("end to end", () => {
  const r = importJson(text);
  if (r.ok) JSON.stringify(evaluateCounties(r.value));
});
const round = (x: number) => Math.round(x * 1000) / 1000;
process.stdout.write(
  `${JSON.stringify({
    bench: "evaluate-demo-zhongwei",
    reps: REPS,
    baselineJsonParseMedianMs: round(baseline.median),
    baselineJsonParseP90Ms: round(baseline.p90),
    importMedianMs: round(importing.median),
    importP90Ms: round(importing.p90),
    evaluateMedianMs: round(evaluate.median),
    evaluateP90Ms: round(evaluate.p90),
    endToEndMedianMs: round(endToEnd.median),
    endToEndP90Ms: round(endToEnd.p90),
    evaluateVsBaseline: round(evaluate.median / baseline.median),
  })}\n`,
);
