import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { runEvaluate } from "./evaluate";

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

describe("runEvaluate (in process)", () => {
  const io = (files: Record<string, string>) => {
    const out = { stdout: "", stderr: "" };
    return {
      out,
      io: {
        stdout: (t: string) => (out.stdout += t),
        stderr: (t: string) => (out.stderr += t),
        readFile: async (p: string) => (p in files ? new TextEncoder().encode(files[p]) : new Uint8Array(readFileSync(join(root, p)))),
      },
    };
  };
  it("--settings overrides a default: with a 2 200-student cap 沙坡头区 passes", async () => {
    const { out, io: rio } = io({ "s.json": JSON.stringify({ guarantee: { g4: { maxStudentsSingleLevel: 2200, maxStudentsCombined: 2500 } } }) });
    expect(await runEvaluate(["docs/zhongwei-demo-example.json", "--settings", "s.json"], rio)).toBe(0);
    const result = JSON.parse(out.stdout) as { counties: { countyName: string; verdict: string }[]; settings: { guarantee: { g4: { maxStudentsSingleLevel: number } } } };
    expect(result.counties[0]).toMatchObject({ countyName: "沙坡头区", verdict: "pass" });
    expect(result.settings.guarantee.g4.maxStudentsSingleLevel).toBe(2200);
  });
  it("a bad settings file and --campaign without a loader exit 2", async () => {
    const bad = io({ "s.json": "{\"display\": {\"cvDecimals\": \"三\"}}" });
    expect(await runEvaluate(["docs/zhongwei-demo-example.json", "--settings", "s.json"], bad.io)).toBe(2);
    expect(bad.out.stderr).toContain("「display.cvDecimals」");
    const c = io({});
    expect(await runEvaluate(["docs/zhongwei-demo-example.json", "--campaign", "zw2026"], c.io)).toBe(2);
    expect(c.out.stderr).toContain("--campaign");
  });
  it("--campaign replaces the file's questionnaires with the loader's counts, and says so", async () => {
    const c = io({});
    const code = await runEvaluate(["docs/zhongwei-demo-example.json", "--campaign", "zw2026"], {
      ...c.io,
      loadCampaign: async () => ({
        campaignId: "zw2026",
        campaignName: "测试调查",
        archivedAt: null,
        satisfaction: { source: "counts", rule: { kind: "mean_at_least", minMeanScore: 4, includeOverall: false }, cells: [], items: [] },
        // 沙坡头区 has the campaign's 常住人口; 中宁县's is not provided there; 海原县 is not in the campaign.
        counties: [
          { countyId: "640502", residentPopulation: 500_000, locationShare: { urban: 0.5, town: 0.3, rural: 0.2 } },
          { countyId: "640521", residentPopulation: null, locationShare: { urban: 1 / 3, town: 1 / 3, rural: 1 / 3 } },
        ],
      }),
    });
    expect(code).toBe(0);
    const result = JSON.parse(c.out.stdout) as {
      notice: string;
      settings: { satisfaction: { rule: unknown } };
      counties: { parts: { satisfaction: { status: string } } }[];
      input: { satisfaction: { source: string }; counties: { name: string; residentPopulation: number | null }[] };
    };
    expect(result.input.satisfaction.source).toBe("counts");
    // The settings echo the rule the counts were taken under, not the default.
    expect(result.settings.satisfaction.rule).toEqual({ kind: "mean_at_least", minMeanScore: 4, includeOverall: false });
    // One source of 常住人口 per county, stated: the campaign's where it has one, else the file's.
    expect(result.input.counties.map((x) => [x.name, x.residentPopulation])).toEqual([
      ["沙坡头区", 500_000],
      ["中宁县", 336_000],
      ["海原县", 396_000],
    ]);
    expect(result.notice).toContain("常住人口：沙坡头区取自调查活动；中宁县、海原县取自评估数据文件（调查活动未填写）");
    expect(result.notice).toContain("社会认可度取自调查活动 zw2026（测试调查）的 0 份问卷");
    expect(c.out.stderr).toMatch(/注意：评估数据文件中的 \d+ 份问卷未使用/);
    expect(result.counties.map((x) => x.parts.satisfaction.status)).toEqual(["not_evaluated", "not_evaluated", "not_evaluated"]);
  });
});

