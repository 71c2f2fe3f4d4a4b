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
 * - Nothing in app/ imports app/.server/services.ts, the composition root (server/, scripts/ and
 *   test/ create the services; app/ names the `Services` type from app/.server/context.ts).
 * - No import circles among app/, db/, scripts/ and server/. Type-only imports count: a circle of
 *   types still ties the files' placement together (a type in the composition root pulls every
 *   module that names it up to the root), and it turns into a load-order bug the day one value
 *   import joins it. Each circle is printed as a chain of files with the line of each import.
 * Exit 1 with every violation and every circle listed.
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
  const browserSide = fileRel.startsWith("app/components/") || /\.client\.tsx?$/.test(fileRel) || (/^app\/routes\/.*\.tsx$/.test(fileRel) && !serverSide);

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
    if (fileRel.startsWith("app/") && !isTest(fileRel) && targetRel?.replace(/\.ts$/, "") === "app/.server/services") {
      add(line, "app/ may not import the composition root (app/.server/services): take the Services type from app/.server/context");
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

export interface ImportEdge {
  from: string;
  to: string;
  line: number;
}

/** The file an import names, among `known` (repo-relative paths), or null for a package or asset. */
function resolveFile(fileRel: string, spec: string, known: ReadonlySet<string>): string | null {
  const target = resolveTarget(path.join(ROOT, fileRel), spec.replace(/\?.*$/, ""));
  if (!target) return null;
  const base = rel(target);
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, `${base}/index.ts`, `${base}/index.tsx`]) {
    if (known.has(candidate)) return candidate;
  }
  return null;
}

/** Every import (static, type-only, re-export or dynamic) from one file of `texts` to another. */
export function importEdges(texts: ReadonlyMap<string, string>): ImportEdge[] {
  const known = new Set(texts.keys());
  const edges: ImportEdge[] = [];
  for (const [from, text] of texts) {
    for (const { spec, line } of importsOf(text)) {
      const to = resolveFile(from, spec, known);
      if (to) edges.push({ from, to, line });
    }
  }
  return edges;
}

/**
 * Strongly connected components of a directed graph (Tarjan), iteratively: an explicit stack of
 * (node, next edge) frames instead of recursion, so a long import chain cannot overflow the call
 * stack. Returns every component, singletons included, in the order Tarjan completes them
 * (a component before any component that reaches it).
 */
export function stronglyConnected(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const components: string[][] = [];
  let counter = 0;
  const enter = (node: string) => {
    index.set(node, counter);
    low.set(node, counter);
    counter++;
    stack.push(node);
    onStack.add(node);
  };
  for (const root of graph.keys()) {
    if (index.has(root)) continue;
    enter(root);
    const frames: Array<{ node: string; next: number }> = [{ node: root, next: 0 }];
    for (let frame = frames.at(-1); frame; frame = frames.at(-1)) {
      const successors = graph.get(frame.node) ?? [];
      const to = successors[frame.next];
      if (to !== undefined) {
        frame.next++;
        if (!index.has(to)) {
          enter(to);
          frames.push({ node: to, next: 0 });
        } else if (onStack.has(to)) {
          low.set(frame.node, Math.min(low.get(frame.node) ?? 0, index.get(to) ?? 0));
        }
        continue;
      }
      frames.pop();
      const nodeLow = low.get(frame.node) ?? 0;
      const parent = frames.at(-1);
      if (parent) low.set(parent.node, Math.min(low.get(parent.node) ?? 0, nodeLow));
      if (nodeLow !== index.get(frame.node)) continue;
      const component: string[] = [];
      for (let member = stack.pop(); member !== undefined; member = stack.pop()) {
        onStack.delete(member);
        component.push(member);
        if (member === frame.node) break;
      }
      components.push(component);
    }
  }
  return components;
}

export interface ImportCircle {
  /** Files of one strongly connected component, sorted. */
  files: string[];
  /** A shortest circle through the component's first file: each import with its line, back to the start. */
  chain: ImportEdge[];
}

/**
 * The import circles of a set of edges: one per strongly connected component of more than one
 * file (or a file importing itself), with a shortest chain through its first file (breadth-first
 * inside the component) so the report names concrete imports to cut.
 */
export function findCircles(edges: readonly ImportEdge[]): ImportCircle[] {
  const out = new Map<string, ImportEdge[]>();
  for (const edge of edges) {
    const list = out.get(edge.from) ?? [];
    if (!list.some((e) => e.to === edge.to)) list.push(edge);
    out.set(edge.from, list);
  }
  const graph = new Map([...out].map(([from, list]) => [from, list.map((e) => e.to)]));
  const circles: ImportCircle[] = [];
  for (const component of stronglyConnected(graph)) {
    const files = [...component].sort();
    const start = files[0];
    if (start === undefined) continue;
    const selfLoop = out.get(start)?.find((e) => e.to === start);
    if (files.length === 1) {
      if (selfLoop) circles.push({ files, chain: [selfLoop] });
      continue;
    }
    const members = new Set(files);
    const via = new Map<string, ImportEdge>();
    const queue = [start];
    let closing: ImportEdge | undefined;
    for (let head = 0; head < queue.length && !closing; head++) {
      const node: string = queue[head] ?? start;
      for (const edge of out.get(node) ?? []) {
        if (!members.has(edge.to)) continue;
        if (edge.to === start) {
          closing = edge;
          break;
        }
        if (via.has(edge.to)) continue;
        via.set(edge.to, edge);
        queue.push(edge.to);
      }
    }
    const chain: ImportEdge[] = [];
    for (let edge = closing; edge; edge = edge.from === start ? undefined : via.get(edge.from)) chain.unshift(edge);
    circles.push({ files, chain });
  }
  return circles.sort((a, b) => (a.files[0] ?? "").localeCompare(b.files[0] ?? ""));
}

/** `a.ts:3 → b.ts:7 → a.ts`, plus the component's other files when the chain does not name them all. */
export function formatCircle(circle: ImportCircle): string {
  const steps = circle.chain.map((e) => `${e.from}:${e.line}`);
  const first = circle.chain[0]?.from ?? "";
  const named = new Set(circle.chain.map((e) => e.from));
  const others = circle.files.filter((f) => !named.has(f));
  const tail = others.length > 0 ? `\n    (the same tangle also holds ${others.join(", ")})` : "";
  return `import circle of ${circle.files.length} file(s): ${[...steps, first].join(" → ")}${tail}`;
}

function main(): void {
  const files = ["app", "db", "scripts", "server", "test"].flatMap((d) => walk(path.join(ROOT, d)));
  const texts = new Map(files.map((f) => [rel(f), fs.readFileSync(f, "utf8")]));
  const violations = [...texts].flatMap(([file, text]) => checkFile(file, text));
  for (const v of violations) process.stdout.write(`${v.file}:${v.line}: ${v.message}\n`);
  // test/ imports the app but nothing imports test/, so it cannot close a circle among the four.
  const graphTexts = new Map([...texts].filter(([file]) => /^(app|db|scripts|server)\//.test(file)));
  const circles = findCircles(importEdges(graphTexts));
  for (const circle of circles) process.stdout.write(`${formatCircle(circle)}\n`);
  process.stdout.write(`${files.length} files checked, ${violations.length} import-boundary violation(s), ${circles.length} import circle(s)\n`);
  process.exit(violations.length > 0 || circles.length > 0 ? 1 : 0);
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(ROOT, "scripts", "check-imports.ts")) main();
