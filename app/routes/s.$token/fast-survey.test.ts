/**
 * The phone page's script as shipped (compiled by scripts/lib/inline-script.ts for Chrome 61 and
 * Safari 12) uses no syntax and no built-in newer than those engines, except behind a check
 * (issue 16 item 9). Chrome 61 has all of ES2017 and none of ES2018's syntax (object spread
 * came in 60 but rest properties, async iteration and the regexp additions later; optional catch
 * binding in 66). test/e2e/survey.test.ts runs it in Chromium with the newer built-ins removed.
 */
import { parse } from "acorn";
import { describe, expect, it } from "vitest";
import script from "./fast-survey.ts?inline-script";

/** Built-ins that Chrome 61 or Safari 12 lack (with the version that brought them). */
const NEWER = [
  "AbortController", // Chrome 66, Safari 12.1
  "structuredClone", // Chrome 98
  "fromEntries", // Chrome 73
  "flatMap", // Chrome 69
  "replaceAll", // Chrome 85
  "allSettled", // Chrome 76
  "queueMicrotask", // Chrome 71
  "globalThis", // Chrome 71
  "ResizeObserver", // Chrome 64
  "matchAll", // Chrome 73
];

describe("the phone page's script as shipped", () => {
  it("parses as ES2017 (no ?., ??, optional catch binding, object rest/spread)", () => {
    expect(script.length).toBeGreaterThan(1000);
    expect(() => parse(script, { ecmaVersion: 2017, sourceType: "script" })).not.toThrow();
    // The parse is a real check: the same engine refuses what Chrome 61 would.
    expect(() => parse("try{}catch{}", { ecmaVersion: 2017, sourceType: "script" })).toThrow();
    expect(() => parse("a?.b", { ecmaVersion: 2017, sourceType: "script" })).toThrow();
  });

  it("uses a newer built-in only behind a typeof check", () => {
    const found = newerBuiltIns(script);
    expect(found.filter((f) => !f.guarded)).toEqual([]);
    // AbortController is used, and guarded: without it an attempt simply has no abort.
    expect(found).toContainEqual({ name: "AbortController", guarded: true });
    // The check itself: an unguarded use is found, a guarded one is not.
    expect(newerBuiltIns("var a = new AbortController(); var b = Object.fromEntries([]);")).toEqual([
      { name: "AbortController", guarded: false },
      { name: "fromEntries", guarded: false },
    ]);
    expect(newerBuiltIns('var a = typeof AbortController === "function" ? new AbortController() : null;')).toEqual([
      { name: "AbortController", guarded: true },
    ]);
  });

  it("leaves the form to the browser where fetch is missing", () => {
    expect(script).toMatch(/window\.fetch/);
  });
});

/** The names tested with `typeof` anywhere in an expression. */
function typeofNames(expression: unknown): string[] {
  const names: string[] = [];
  const visit = (node: unknown): void => {
    if (!node || typeof node !== "object") return;
    if (Array.isArray(node)) return node.forEach(visit);
    const n = node as { type?: string; operator?: string; argument?: { type?: string; name?: string } } & Record<string, unknown>;
    if (n.type === "UnaryExpression" && n.operator === "typeof" && n.argument?.type === "Identifier" && n.argument.name) names.push(n.argument.name);
    for (const child of Object.values(n)) visit(child);
  };
  visit(expression);
  return names;
}

/**
 * Every identifier or property named like a newer built-in, and whether a condition above it
 * (?:, if, && or ||) tests `typeof <that name>`.
 */
function newerBuiltIns(code: string): Array<{ name: string; guarded: boolean }> {
  const found: Array<{ name: string; guarded: boolean }> = [];
  const visit = (node: unknown, guards: readonly string[]): void => {
    if (!node || typeof node !== "object") return;
    if (Array.isArray(node)) {
      for (const child of node) visit(child, guards);
      return;
    }
    const n = node as { type?: string; name?: string; test?: unknown; left?: unknown; operator?: string } & Record<string, unknown>;
    if (n.type === "Identifier" && typeof n.name === "string" && NEWER.includes(n.name)) found.push({ name: n.name, guarded: guards.includes(n.name) });
    const tested =
      n.type === "ConditionalExpression" || n.type === "IfStatement"
        ? typeofNames(n.test)
        : n.type === "LogicalExpression" && (n.operator === "&&" || n.operator === "||")
          ? typeofNames(n.left)
          : [];
    for (const [key, child] of Object.entries(n)) {
      if (key === "type" || key === "start" || key === "end") continue;
      // The typeof test itself is the guard, not a use.
      if ((key === "test" || key === "left") && tested.length > 0) continue;
      visit(child, [...guards, ...tested]);
    }
  };
  visit(parse(code, { ecmaVersion: 2017, sourceType: "script" }), []);
  return found;
}
