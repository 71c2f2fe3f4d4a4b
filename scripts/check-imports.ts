/**
 * npm run lint:imports — keeps the layers of STYLE.md from decaying:
 *
 *   routes → .server → (db/, domain/);  domain/ is pure;  scripts/ reuse domain/ and db/.
 *
 * - app/domain/** imports only app/domain/** and pure libraries (zod); no React, Remix, Kysely,
 *   db/, node:*, process.env, Date.now() or Math.random().
 * - app/survey/** (shared by browser and server) imports only app/domain/**, app/survey/**,
 *   survey-core and zod.
 * - db/** never imports app/routes, app/.server or React.
 * - Only *.server.ts(x), app/.server/**, scripts/**, server/**, test/** and db/** import db/.
 * - Browser code (components, *.client.tsx, route components) never imports node:*.
 * - Server modules (*.server.ts, app/.server/**) never import app/components/**: a type a page and
 *   its loader share lives in app/domain (or beside the route), not in a React module.
 * Exit 1 with every violation listed.
 */
import fs from "node:fs";
import path from "node:path";
import { ROOT } from "./lib/cli";

interface Violation {
  file: string;
  line: number;
  message: string;
}

const SOURCE = /\.(ts|tsx)$/;

function walk(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "node_modules" ? [] : walk(full);
    return SOURCE.test(entry.name) ? [full] : [];
  });
}

const IMPORT = /^\s*(?:import|export)\s[^;]*?from\s+["']([^"']+)["']|^\s*import\s+["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/gm;

function importsOf(text: string): Array<{ spec: string; line: number }> {
  const found: Array<{ spec: string; line: number }> = [];
  for (const m of text.matchAll(IMPORT)) {
    const spec = m[1] ?? m[2] ?? m[3];
    if (spec) found.push({ spec, line: text.slice(0, m.index).split("\n").length });
  }
  return found;
}

function resolveTarget(file: string, spec: string): string | null {
  if (spec.startsWith("~/")) return path.join(ROOT, "app", spec.slice(2));
  if (spec.startsWith(".")) return path.resolve(path.dirname(file), spec);
  return null;
}

const rel = (p: string) => path.relative(ROOT, p).split(path.sep).join("/");
const isTest = (f: string) => /\.test\.tsx?$/.test(f) || f.startsWith("test/") || f.endsWith("test-helpers.ts") || f.endsWith("test-definitions.ts");

export function checkFile(fileRel: string, text: string): Violation[] {
  const violations: Violation[] = [];
  const add = (line: number, message: string) => violations.push({ file: fileRel, line, message });
  const file = path.join(ROOT, fileRel);
  const inDomain = fileRel.startsWith("app/domain/");
  const inSurvey = fileRel.startsWith("app/survey/");
  const inDb = fileRel.startsWith("db/");
  const serverSide =
    /\.server\.tsx?$/.test(fileRel) ||
    fileRel.startsWith("app/.server/") ||
    fileRel.startsWith("scripts/") ||
    fileRel.startsWith("server/") ||
    fileRel.startsWith("test/") ||
    inDb;
  const browserSide =
    fileRel.startsWith("app/components/") || /\.client\.tsx?$/.test(fileRel) || (/^app\/routes\/.*\.tsx$/.test(fileRel) && !serverSide);

  for (const { spec, line } of importsOf(text)) {
    const target = resolveTarget(file, spec);
    const targetRel = target ? rel(target) : null;
    if (inDomain && !isTest(fileRel)) {
      if (targetRel ? !targetRel.startsWith("app/domain/") : !["zod", "zod/v4"].includes(spec)) {
        add(line, `app/domain is pure: it may not import "${spec}"`);
      }
    }
    if (inSurvey && !isTest(fileRel)) {
      const ok = targetRel ? targetRel.startsWith("app/domain/") || targetRel.startsWith("app/survey/") : ["survey-core", "zod", "zod/v4"].includes(spec);
      if (!ok) add(line, `app/survey is shared by browser and server: it may not import "${spec}"`);
    }
    if (inDb && targetRel && (targetRel.startsWith("app/routes/") || targetRel.startsWith("app/.server/"))) {
      add(line, `db/ may not import ${targetRel}`);
    }
    if (inDb && (spec === "react" || spec.startsWith("@remix-run/"))) add(line, `db/ may not import "${spec}"`);
    if (targetRel?.startsWith("db/") && !serverSide) {
      add(line, `only server modules (*.server.ts, app/.server, scripts, server) may import ${targetRel}`);
    }
    if (browserSide && spec.startsWith("node:")) add(line, `browser code may not import "${spec}"`);
    const serverModule = (/\.server\.tsx?$/.test(fileRel) || fileRel.startsWith("app/.server/")) && fileRel !== "app/entry.server.tsx";
    if (serverModule && !isTest(fileRel) && targetRel?.startsWith("app/components/")) {
      add(line, `server modules may not import UI (${targetRel}): move the shared type to app/domain or beside the route`);
    }
  }
  if (inDomain && !isTest(fileRel)) {
    text.split("\n").forEach((content, i) => {
      const code = content.replace(/\/\/.*$/, "");
      if (/process\.env/.test(code)) add(i + 1, "app/domain may not read process.env");
      if (/Date\.now\(|new Date\(\s*\)/.test(code)) add(i + 1, "app/domain may not read the clock: pass the time in");
      if (/Math\.random\(/.test(code)) add(i + 1, "app/domain may not use randomness: pass it in");
    });
  }
  return violations;
}

function main(): void {
  const files = ["app", "db", "scripts", "server", "test"].flatMap((d) => walk(path.join(ROOT, d)));
  const texts = new Map(files.map((f) => [rel(f), fs.readFileSync(f, "utf8")]));
  const violations = [...texts].flatMap(([file, text]) => checkFile(file, text));
  for (const v of violations) process.stdout.write(`${v.file}:${v.line}: ${v.message}\n`);
  process.stdout.write(`${files.length} files checked, ${violations.length} import-boundary violation(s)\n`);
  process.exit(violations.length > 0 ? 1 : 0);
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(ROOT, "scripts", "check-imports.ts")) main();
