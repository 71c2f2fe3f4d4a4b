import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { COUNTY_FIELDS, SHEETS } from "./sheets";

const doc = readFileSync(fileURLToPath(new URL("../../../docs/evaluation.md", import.meta.url)), "utf8");

describe("docs/evaluation.md", () => {
  it("lists every sheet and every column with its unit", () => {
    for (const s of SHEETS) {
      expect(doc).toContain(`### ${s.name}`);
      for (const c of s.columns) expect(doc).toContain(`| ${c.header} |`);
    }
  });
  it("lists every county-level data item", () => {
    for (const f of COUNTY_FIELDS) expect(doc).toContain(`| ${f.item} | \`${f.field}\` |`);
  });
});
