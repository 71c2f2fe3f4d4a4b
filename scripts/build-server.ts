/**
 * Compiles the HTTP server (server/index.ts and the app modules it imports) into one ES module,
 * build/server.js, which `npm run serve` runs with plain `node`; and the upload parser's worker
 * thread (app/.server/import-worker/worker.ts) into build/import-worker.js beside it. Packages stay external (loaded
 * from node_modules as usual); only our TypeScript is bundled.
 *
 * Why not run server/index.ts through tsx in production: the loader alone adds about 55 MB of
 * resident memory and compiles every module at start-up (see README, Performance). `npm run dev`
 * still uses tsx, for the Vite dev server.
 *
 * Writes to a temporary file and renames it, so a process starting meanwhile never loads half a
 * file (tests build on demand and may run this in parallel).
 *
 *   npm run build            (remix vite:build, then this)
 */
import fs from "node:fs";
import path from "node:path";
import { build, type BuildOptions } from "esbuild";
import { ROOT } from "./lib/cli";

export const SERVER_BUNDLE = path.join(ROOT, "build", "server.js");
/** The import worker's code (app/.server/import-worker/worker.ts), found by the built app at build/import-worker.js. */
export const IMPORT_WORKER_BUNDLE = path.join(ROOT, "build", "import-worker.js");

/** esbuild options both bundles share: our TypeScript bundled, packages left to node_modules. */
function bundleOptions(entry: string, outfile: string): BuildOptions {
  return {
    absWorkingDir: ROOT,
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    packages: "external",
    tsconfig: path.join(ROOT, "tsconfig.json"),
    logLevel: "warning",
    banner: { js: `// Built by scripts/build-server.ts from ${entry} — do not edit.` },
  };
}

/** A unique temporary name beside `file`, renamed into place once written. */
const temporaryFor = (file: string) => `${file}.${process.pid}.${Date.now()}.tmp`;

/** The worker that parses uploads runs in its own thread from its own file: bundled the same way. */
async function buildImportWorker(): Promise<void> {
  const temporary = temporaryFor(IMPORT_WORKER_BUNDLE);
  await build(bundleOptions("app/.server/import-worker/worker.ts", temporary));
  fs.renameSync(temporary, IMPORT_WORKER_BUNDLE);
}

export async function buildServer(): Promise<void> {
  const temporary = temporaryFor(SERVER_BUNDLE);
  fs.mkdirSync(path.dirname(SERVER_BUNDLE), { recursive: true });
  // Stack traces point into server/ and app/ when node runs with --enable-source-maps.
  await build({ ...bundleOptions("server/index.ts", temporary), sourcemap: "linked", sourcesContent: false });
  // The source map is named after the temporary file: rename both, and point the file at the map.
  const code = fs
    .readFileSync(temporary, "utf8")
    .replace(`//# sourceMappingURL=${path.basename(temporary)}.map`, `//# sourceMappingURL=${path.basename(SERVER_BUNDLE)}.map`);
  fs.writeFileSync(temporary, code);
  fs.renameSync(`${temporary}.map`, `${SERVER_BUNDLE}.map`);
  fs.renameSync(temporary, SERVER_BUNDLE);
  await buildImportWorker();
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.join(ROOT, "scripts", "build-server.ts")) {
  const started = performance.now();
  buildServer().then(
    () => process.stdout.write(`build/server.js built in ${Math.round(performance.now() - started)} ms\n`),
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}
