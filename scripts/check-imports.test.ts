import { describe, expect, it } from "vitest";
import { checkFile, findCircles, formatCircle, importEdges, stronglyConnected } from "./check-imports";

const messages = (file: string, text: string) => checkFile(file, text).map((v) => v.message);

describe("import-boundary lint", () => {
  it("keeps app/domain pure", () => {
    expect(messages("app/domain/x.ts", `import { sql } from "kysely";`)).toEqual(['app/domain is pure: it may not import "kysely"']);
    expect(messages("app/domain/x.ts", `import { getCampaign } from "../../db/repositories/campaigns";`)).toHaveLength(2);
    expect(messages("app/domain/x.ts", `const t = Date.now();\nconst r = Math.random();\nconst e = process.env.X;`)).toHaveLength(3);
    expect(messages("app/domain/x.ts", `import { z } from "zod";\nimport { LEVELS } from "./vocabulary";`)).toEqual([]);
    expect(messages("app/domain/x.test.ts", `import fc from "fast-check";`)).toEqual([]);
  });

  it("lets only server modules reach db/", () => {
    expect(messages("app/routes/a/route.tsx", `import { x } from "../../../db/schema";`)).toHaveLength(1);
    expect(messages("app/routes/a/page.server.ts", `import { x } from "../../../db/schema";`)).toEqual([]);
    expect(messages("app/.server/x.ts", `import { x } from "../../db/schema";`)).toEqual([]);
    expect(messages("db/repositories/x.ts", `import { y } from "../../app/.server/services";`)).toEqual(["db/ may not import app/.server/services"]);
  });

  it("keeps node built-ins out of browser code", () => {
    expect(messages("app/components/x.tsx", `import fs from "node:fs";`)).toEqual(['browser code may not import "node:fs"']);
    expect(messages("app/routes/s.$token/form.client.tsx", `import("node:crypto")`)).toHaveLength(1);
  });

  it("keeps UI out of server modules", () => {
    const ui = `import type { PageHeader } from "~/components/survey-header";`;
    expect(messages("app/.server/console/preview.ts", ui)).toHaveLength(1);
    expect(messages("app/routes/s.$token/page.server.ts", ui)).toHaveLength(1);
    expect(messages("app/routes/s.$token/route.tsx", ui)).toEqual([]);
    expect(messages("app/entry.server.tsx", `import { X } from "./components/x";`)).toEqual([]);
  });

  it("keeps the composition root out of app/", () => {
    const root = `import type { Services } from "../services";`;
    expect(messages("app/.server/console/x.ts", root)).toEqual([
      "app/ may not import the composition root (app/.server/services): take the Services type from app/.server/context",
    ]);
    expect(messages("app/routes/a/page.server.ts", `import { createServices } from "../../.server/services";`)).toHaveLength(1);
    expect(messages("app/.server/console/x.ts", `import type { Services } from "../context";`)).toEqual([]);
    expect(messages("server/index.ts", `import { createServices } from "../app/.server/services";`)).toEqual([]);
  });
});

describe("import circles", () => {
  const graph = (edges: Record<string, string[]>) => new Map(Object.entries(edges));
  const sorted = (components: string[][]) => components.map((c) => [...c].sort()).sort((a, b) => (a[0] ?? "").localeCompare(b[0] ?? ""));
  const edge = (from: string, to: string, line = 1) => ({ from, to, line });

  it("finds the strongly connected components (Tarjan)", () => {
    const g = graph({ a: ["b"], b: ["c"], c: ["a", "d"], d: ["e"], e: ["d"], f: ["a"] });
    expect(sorted(stronglyConnected(g))).toEqual([["a", "b", "c"], ["d", "e"], ["f"]]);
    // A component completes before any component that reaches it.
    const order = stronglyConnected(g).map((c) => [...c].sort().join());
    expect(order.indexOf("d,e")).toBeLessThan(order.indexOf("a,b,c"));
    expect(order.indexOf("a,b,c")).toBeLessThan(order.indexOf("f"));
  });

  it("keeps a tree, a diamond and a node reached only as a target as singletons", () => {
    expect(sorted(stronglyConnected(graph({ a: ["b", "c"], b: ["d"], c: ["d"] })))).toEqual([["a"], ["b"], ["c"], ["d"]]);
    expect(stronglyConnected(graph({}))).toEqual([]);
  });

  it("walks a chain far deeper than the call stack without recursion", () => {
    const n = 50_000; // a recursive Tarjan overflows near 10 000 frames
    const g = new Map(Array.from({ length: n }, (_, i) => [`m${i}`, [`m${(i + 1) % n}`]]));
    const components = stronglyConnected(g);
    expect(components).toHaveLength(1);
    expect(components[0]).toHaveLength(n);
  });

  it("reports each circle once, as a shortest chain from its first file back to it", () => {
    const circles = findCircles([
      edge("config.ts", "integrity.ts", 11),
      edge("integrity.ts", "link-context.ts", 35),
      edge("link-context.ts", "services.ts", 19),
      edge("services.ts", "config.ts", 11),
      edge("services.ts", "keys.ts", 12),
      edge("keys.ts", "config.ts", 3),
      edge("services.ts", "log.ts", 4),
      edge("x/index.ts", "x/output-schema.ts", 223),
      edge("x/output-schema.ts", "x/index.ts", 11),
      edge("x/output-schema.ts", "x/index.ts", 12),
    ]);
    expect(circles.map((c) => c.files)).toEqual([
      ["config.ts", "integrity.ts", "keys.ts", "link-context.ts", "services.ts"],
      ["x/index.ts", "x/output-schema.ts"],
    ]);
    expect(circles.map(formatCircle)).toEqual([
      "import circle of 5 file(s): config.ts:11 → integrity.ts:35 → link-context.ts:19 → services.ts:11 → config.ts\n" +
        "    (the same tangle also holds keys.ts)",
      "import circle of 2 file(s): x/index.ts:223 → x/output-schema.ts:11 → x/index.ts",
    ]);
  });

  it("reports a file importing itself and nothing for an acyclic graph", () => {
    expect(findCircles([edge("a.ts", "a.ts", 2)]).map(formatCircle)).toEqual(["import circle of 1 file(s): a.ts:2 → a.ts"]);
    expect(findCircles([edge("a.ts", "b.ts"), edge("b.ts", "c.ts"), edge("a.ts", "c.ts")])).toEqual([]);
  });

  it("builds edges from static, type-only, re-export and dynamic imports, resolving ~/ and index files", () => {
    const texts = new Map([
      ["app/a.ts", ['import type { B } from "./b";', 'export { C } from "~/c";', 'const d = () => import("./d");', 'import { z } from "zod";'].join("\n")],
      ["app/b.ts", 'import "./c/index";\nimport css from "./c.css?url";'],
      ["app/c/index.ts", 'export type {\n  A,\n} from "../a";'],
      ["app/c.ts", ""],
      ["app/d.tsx", ""],
    ]);
    expect(importEdges(texts)).toEqual([
      edge("app/a.ts", "app/b.ts", 1),
      edge("app/a.ts", "app/c.ts", 2),
      edge("app/a.ts", "app/d.tsx", 3),
      edge("app/b.ts", "app/c/index.ts", 1),
      edge("app/c/index.ts", "app/a.ts", 1),
    ]);
    expect(findCircles(importEdges(texts)).map(formatCircle)).toEqual(["import circle of 3 file(s): app/a.ts:1 → app/b.ts:1 → app/c/index.ts:1 → app/a.ts"]);
  });
});
