/**
 * npm run bench -- <name> [flags] — runs one benchmark: page, ingest, dashboard, evaluate, abuse or stuffing
 * (the same as `npm run bench:<name> -- [flags]`). Without a name, lists them. Each prints its
 * figures next to a baseline measured in the same run and ends with one JSON line.
 */
import { spawnSync } from "node:child_process";
import path from "node:path";
import { ROOT } from "./lib/cli";

const BENCHMARKS: Record<string, string> = {
  page: "the survey page on a phone profile in Chromium: phone form, stock SurveyJS and a static HTML floor",
  ingest: "submissions over HTTP: throughput, p50/p99, the NAT and flood scenarios, peak memory; against a bare node:http floor",
  dashboard: "the county satisfaction dashboard's server time, demo and 1,000,000 responses; against the session floor and from-scratch SQL",
  evaluate: "the demo 中卫市 evaluation; against parsing its JSON",
  abuse: "submissions while 300 MB bodies, zip bombs, 1,000,000-row workbooks, slow bodies and junk hit the same server; against the same load without them",
  stuffing:
    "ballot stuffing from one address (a device minted per submission; start tokens harvested in advance) against a 300-phone parents' meeting behind one NAT: stored, stored-and-unflagged, accepted",
};

const [name, ...rest] = process.argv.slice(2);
if (!name || !(name in BENCHMARKS)) {
  if (name) process.stderr.write(`unknown benchmark: ${name}\n\n`);
  process.stderr.write("usage: npm run bench -- <name> [flags]\n\n");
  for (const [n, what] of Object.entries(BENCHMARKS)) process.stderr.write(`  ${n.padEnd(10)} ${what}\n`);
  process.exit(name ? 2 : 0);
}
const run = spawnSync(process.execPath, ["--import", "tsx", path.join(ROOT, "scripts", `bench-${name}.ts`), ...rest], { cwd: ROOT, stdio: "inherit" });
process.exit(run.status ?? 1);
