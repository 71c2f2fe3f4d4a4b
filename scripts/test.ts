/**
 * npm test — every check, in order, each timed:
 *
 *   import boundaries → lint (ESLint) → format (Prettier) → typecheck → questionnaires → unit → slow unit → integration → integration on
 *   PostgreSQL (when DATABASE_URL is set) → build → end-to-end
 *
 * The end-to-end suite shares the one build and one server started by its global setup. Tests
 * that need PostgreSQL or Redis read DATABASE_URL / REDIS_URL and skip, saying why, when they
 * are unset (.ci/run sets them). Exit 1 if any step failed.
 */
import { spawnSync } from "node:child_process";
import { ROOT } from "./lib/cli";

interface Step {
  name: string;
  command: string[];
  /** Skip the step when an earlier one with this name failed. */
  needs?: string;
  /** Extra environment for the step. */
  env?: Record<string, string>;
  /** When set, the step is skipped and this is printed as the reason. */
  skip?: string;
}

// The data layer's integration tests a second time on PostgreSQL (test/support/services.ts puts
// each on a schema of its own). Left out: tests of the limiter alone, which never touch the store,
// and tests that choose PostgreSQL themselves (already run above).
const ON_POSTGRES_EXCLUDE = [
  "test/integration/rate-limit/{contract,redis-adapter,faults,upstash,scenarios}.test.ts",
  "test/integration/**/postgres.test.ts",
  "test/integration/scale/**",
];

const STEPS: Step[] = [
  { name: "import boundaries", command: ["npx", "tsx", "scripts/check-imports.ts"] },
  { name: "lint", command: ["npx", "eslint", ".", "--max-warnings", "0"] },
  { name: "format", command: ["npx", "prettier", "--check", "."] },
  { name: "typecheck", command: ["npx", "tsc", "--noEmit", "-p", "."] },
  { name: "questionnaires", command: ["npx", "tsx", "scripts/surveys-check.ts"] },
  { name: "unit", command: ["npx", "vitest", "run", "--project", "unit"] },
  { name: "slow unit", command: ["npx", "vitest", "run", "--project", "slow"] },
  { name: "integration", command: ["npx", "vitest", "run", "--project", "integration"] },
  {
    name: "integration on PostgreSQL",
    command: ["npx", "vitest", "run", "--project", "integration", ...ON_POSTGRES_EXCLUDE.flatMap((glob) => ["--exclude", glob])],
    env: { TEST_STORE: "postgres" },
    skip: process.env.DATABASE_URL ? undefined : "DATABASE_URL is not set",
  },
  { name: "build", command: ["sh", "-c", "npx remix vite:build --logLevel warn && npx tsx scripts/build-server.ts"] },
  { name: "end-to-end", command: ["npx", "vitest", "run", "--project", "e2e"], needs: "build" },
];

const only = process.argv.slice(2);
const results: Array<{ name: string; status: "ok" | "FAILED" | "skipped"; seconds: number }> = [];
const env = { ...process.env, FORCE_COLOR: process.env.FORCE_COLOR ?? "0" };

process.stdout.write(
  [
    `PostgreSQL tests: ${process.env.DATABASE_URL ? "on (DATABASE_URL is set)" : "skipped — DATABASE_URL is not set"}`,
    `Redis tests:      ${process.env.REDIS_URL ? "on (REDIS_URL is set)" : "skipped — REDIS_URL is not set"}`,
    "",
  ].join("\n"),
);

for (const step of STEPS) {
  if (only.length > 0 && !only.includes(step.name)) continue;
  if (step.needs && results.some((r) => r.name === step.needs && r.status !== "ok")) {
    results.push({ name: step.name, status: "skipped", seconds: 0 });
    continue;
  }
  if (step.skip) {
    process.stdout.write(`\n▷ ${step.name}: skipped — ${step.skip}\n`);
    results.push({ name: step.name, status: "skipped", seconds: 0 });
    continue;
  }
  process.stdout.write(`\n▶ ${step.name}: ${step.command.join(" ")}\n`);
  const started = process.hrtime.bigint();
  const [cmd = "npx", ...args] = step.command;
  const run = spawnSync(cmd, args, { cwd: ROOT, stdio: "inherit", env: { ...env, ...step.env } });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  results.push({ name: step.name, status: run.status === 0 ? "ok" : "FAILED", seconds });
  process.stdout.write(`◀ ${step.name}: ${run.status === 0 ? "ok" : "FAILED"} in ${seconds.toFixed(1)} s\n`);
}

const total = results.reduce((s, r) => s + r.seconds, 0);
process.stdout.write("\nSuite timings\n");
for (const r of results) process.stdout.write(`  ${r.name.padEnd(26)} ${r.status.padEnd(8)} ${r.seconds.toFixed(1).padStart(6)} s\n`);
process.stdout.write(`  ${"total".padEnd(26)} ${"".padEnd(8)} ${total.toFixed(1).padStart(6)} s\n`);
process.exit(results.some((r) => r.status === "FAILED") ? 1 : 0);
