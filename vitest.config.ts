import { fileURLToPath } from "node:url";
import { configDefaults, defineConfig } from "vitest/config";
import { inlineScript } from "./scripts/lib/inline-script";

const app = fileURLToPath(new URL("./app", import.meta.url));

/**
 * Tests beside the code that take seconds, not milliseconds: the differential run of the compiled
 * validator against survey-core, the CLI tests that spawn `npm run evaluate`, and the importer's
 * round trips through real workbooks and zips, and property tests that enumerate every solution
 * for hundreds of random inputs (`*.slow.test.ts`, e.g. app/domain/satisfaction-view.slow.test.ts).
 * They run as their own project ("slow") with a timeout fit for a loaded machine, so the unit
 * project stays fast.
 */
const SLOW = [
  "app/survey/validate.differential.test.ts",
  "scripts/evaluate.test.ts",
  // Whole workbooks and zips written and read back: seconds each on a loaded machine.
  "app/.server/evaluation-import/import.test.ts",
  "app/.server/evaluation-import/schemas.test.ts",
  "**/*.slow.test.ts",
];

// Unit tests sit beside the code they test and run in milliseconds; integration tests (test/)
// use real SQLite files, the real actions and, when configured, PostgreSQL and Redis. The
// end-to-end suite (test/e2e) builds the app once and shares one server; scripts/test.ts runs
// each project in turn and prints how long it took.
export default defineConfig({
  resolve: { alias: { "~": app } },
  plugins: [inlineScript()],
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["app/**/*.test.ts", "db/**/*.test.ts", "scripts/**/*.test.ts", "server/**/*.test.ts"],
          exclude: [...configDefaults.exclude, ...SLOW],
          environment: "node",
          setupFiles: ["test/setup/fail-on-console-error.ts"],
        },
      },
      {
        extends: true,
        test: {
          name: "slow",
          include: SLOW,
          environment: "node",
          setupFiles: ["test/setup/fail-on-console-error.ts"],
          testTimeout: 120_000,
        },
      },
      {
        extends: true,
        test: {
          name: "integration",
          include: ["test/integration/**/*.test.ts"],
          environment: "node",
          setupFiles: ["test/setup/fail-on-console-error.ts"],
          testTimeout: 30_000,
        },
      },
      {
        extends: true,
        test: {
          name: "e2e",
          include: ["test/e2e/**/*.test.ts"],
          environment: "node",
          globalSetup: ["test/e2e/global-setup.ts"],
          setupFiles: ["test/setup/fail-on-console-error.ts"],
          testTimeout: 120_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
