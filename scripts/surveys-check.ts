/**
 * npm run surveys:check — loads every definition in surveys/ into survey-core, compiles it for
 * the server's validator, and checks it against the scoring configuration. Exit 1 on problems.
 */
import path from "node:path";
import { checkSurveyDirectory } from "../app/.server/collect/survey-registry";
import { ROOT } from "./lib/cli";

const { reports } = checkSurveyDirectory(path.join(ROOT, "surveys"));
let bad = 0;
for (const report of reports) {
  const name = path.relative(ROOT, report.file);
  if (report.problems.length === 0) {
    process.stdout.write(`ok   ${name}\n`);
  } else {
    bad++;
    process.stdout.write(`FAIL ${name}\n${report.problems.map((p) => `     - ${p}`).join("\n")}\n`);
  }
}
if (reports.length === 0) {
  process.stdout.write("surveys/ holds no definitions\n");
  process.exit(1);
}
process.exit(bad > 0 ? 1 : 0);
