import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("..", import.meta.url));
const tsx = join(root, "node_modules/.bin/tsx");
const run = (...args: string[]) => spawnSync(tsx, ["scripts/evaluate.ts", ...args], { cwd: root, encoding: "utf8", timeout: 60_000 });

describe("npm run evaluate (end to end)", () => {
  it("prints the verdicts as JSON and exits 0 whatever they are", () => {
    const r = run("docs/zhongwei-demo-example.json");
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout) as { counties: { countyName: string; verdict: string }[] };
    expect(out.counties.map((c) => [c.countyName, c.verdict])).toEqual([
      ["沙坡头区", "fail"],
      ["中宁县", "fail"],
      ["海原县", "fail"],
    ]);
  }, 60_000);
  it("exits 2 with Chinese errors on stderr for invalid input, and prints nothing on stdout", () => {
    const dir = mkdtempSync(join(tmpdir(), "evaluate-"));
    const file = join(dir, "bad.json");
    writeFileSync(file, JSON.stringify({ format: "youzhi-junheng/evaluation-input", version: 1, counties: [{ id: "640521", name: "中宁县", residentPopulation: -3 }], schools: [], countyItems: [] }));
    const r = run(file);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain("评估数据有 1 处错误，未导入任何数据");
    expect(r.stderr).toContain("「counties」第 1 行「residentPopulation」");
  }, 60_000);
  it("exits 2 without a file, with an unknown option, or with a missing file", () => {
    expect(run().status).toBe(2);
    expect(run("--bogus", "x.json").stderr).toContain("未知参数 --bogus");
    const missing = run("/nonexistent/评估.xlsx");
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain("无法读取文件");
  }, 60_000);
});
