import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { EvaluationInput, EvaluationResult } from "../app/domain/evaluation";
import { expectWorkbookMatches } from "../test/support/forms-check";
import { readXlsx } from "../test/support/xlsx-reader";
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
    writeFileSync(
      file,
      JSON.stringify({
        format: "youzhi-junheng/evaluation-input",
        version: 1,
        counties: [{ id: "640521", name: "中宁县", residentPopulation: -3 }],
        schools: [],
        countyItems: [],
      }),
    );
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
    const result = JSON.parse(out.stdout) as {
      counties: { countyName: string; verdict: string }[];
      settings: { guarantee: { g4: { maxStudentsSingleLevel: number } } };
    };
    expect(result.counties[0]).toMatchObject({ countyName: "沙坡头区", verdict: "pass" });
    expect(result.settings.guarantee.g4.maxStudentsSingleLevel).toBe(2200);
  });
  it("a bad settings file and --campaign without a loader exit 2", async () => {
    const bad = io({ "s.json": '{"display": {"cvDecimals": "三"}}' });
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

describe("--xlsx: the 申报表 workbook per county", () => {
  const demo = JSON.parse(readFileSync(join(root, "docs/zhongwei-demo-example.json"), "utf8")) as EvaluationInput;
  const capture = (files: Record<string, string> = {}) => {
    const out = { stdout: "", stderr: "", written: new Map<string, Uint8Array>() };
    return {
      out,
      io: {
        stdout: (t: string) => (out.stdout += t),
        stderr: (t: string) => (out.stderr += t),
        readFile: async (p: string) => (p in files ? new TextEncoder().encode(files[p]) : new Uint8Array(readFileSync(join(root, p)))),
        writeFile: async (p: string, bytes: Uint8Array) => {
          out.written.set(p, bytes);
        },
      },
    };
  };

  it("writes one workbook per county; read back without exceljs, every figure equals the JSON", async () => {
    const c = capture();
    expect(await runEvaluate(["docs/zhongwei-demo-example.json", "--xlsx", "out/申报表.xlsx"], c.io)).toBe(0);
    const result = JSON.parse(c.out.stdout) as EvaluationResult;
    expect([...c.out.written.keys()]).toEqual(["out/申报表-640502-沙坡头区.xlsx", "out/申报表-640521-中宁县.xlsx", "out/申报表-640522-海原县.xlsx"]);
    expect(c.out.stderr).toContain("已写出申报表 3 个");
    expect(c.out.stderr).toContain("海原县：out/申报表-640522-海原县.xlsx");
    for (const county of result.counties) {
      const bytes = c.out.written.get(`out/申报表-${county.countyId}-${county.countyName}.xlsx`);
      if (!bytes) throw new Error(`no workbook for ${county.countyName}`);
      expectWorkbookMatches(readXlsx(bytes), county, result);
    }
    // Spot checks a person can verify by hand in docs/evaluation.md: 海原县's 小学 L5 差异系数
    // fails (0.646 > 0.50) and 第一小学 has 2 050 students (G4).
    const hy = readXlsx(c.out.written.get("out/申报表-640522-海原县.xlsx") ?? new Uint8Array());
    const t3 = hy.sheet("表Ⅲ 小学");
    const cvRow = t3.rows.find((r) => r[2] === "差异系数 CV") ?? [];
    expect(Number(cvRow[9]).toFixed(3)).toBe("0.646");
    expect(t3.rows.find((r) => r[2] === "差异系数是否达标")?.[9]).toBe("否");
    const g4 = hy.sheet("G4 学校规模").rows.find((r) => r[2] === "海原县第一小学（演示）") ?? [];
    expect(g4.slice(5, 8)).toEqual([2050, 2000, "未达标"]);
  });

  it("a single county is written to exactly the named file", async () => {
    const one = {
      ...demo,
      counties: demo.counties.filter((x) => x.id === "640521"),
      schools: demo.schools.filter((s) => s.countyId === "640521"),
      countyItems: demo.countyItems.filter((x) => x.countyId === "640521"),
      satisfaction: undefined,
    };
    const c = capture({ "one.json": JSON.stringify(one) });
    expect(await runEvaluate(["one.json", "--xlsx", "中宁县.xlsx"], c.io)).toBe(0);
    expect([...c.out.written.keys()]).toEqual(["中宁县.xlsx"]);
    const wb = readXlsx(c.out.written.get("中宁县.xlsx") ?? new Uint8Array());
    const result = JSON.parse(c.out.stdout) as EvaluationResult;
    const county = result.counties[0];
    if (!county) throw new Error("no county");
    expectWorkbookMatches(wb, county, result);
    // No questionnaires in the file: 表Ⅵ shows zero counts and no rate.
    expect(
      wb
        .sheet("表Ⅵ 社会认可度")
        .rows.find((r) => r[1] === "全体")
        ?.slice(2, 6),
    ).toEqual([0, 0, 0, null]);
  });

  it("a borderline rate gets its full-precision value beside the rounded one, and is listed in 临界值", async () => {
    // 初中三年巩固率 23 749 ÷ 25 000 = 94.996% shows as 95.00% but fails "≥ 95%".
    const items = demo.countyItems.map((x) =>
      x.countyId === "640521" ? { ...x, quality: { ...x.quality, Q1: { cohortEntrants: 25000, currentGrade9: 23749, evidence: "学籍系统" } } } : x,
    );
    const c = capture({ "b.json": JSON.stringify({ ...demo, countyItems: items }) });
    expect(await runEvaluate(["b.json", "--xlsx", "b.xlsx"], c.io)).toBe(0);
    const result = JSON.parse(c.out.stdout) as EvaluationResult;
    const zn = result.counties.find((x) => x.countyId === "640521");
    if (!zn) throw new Error("no county");
    expect(zn.borderline.map((f) => f.code)).toContain("Q1");
    const wb = readXlsx(c.out.written.get("b-640521-中宁县.xlsx") ?? new Uint8Array());
    expectWorkbookMatches(wb, zn, result);
    const q = wb.sheet("教育质量");
    const header = q.rows.findIndex((r) => r[1] === "序号");
    const fullCol = (q.rows[header] ?? []).indexOf("全精度值（临界值）");
    const rateRow = q.rows.find((r) => r[5] === 0.94996);
    expect(rateRow?.[fullCol]).toBe(0.94996);
    expect(rateRow?.[8]).toBeNull(); // the item's 结论 sits on its first row
    expect(q.rows.find((r) => r[2] === "Q1")?.[8]).toBe("未达标");
    const flags = wb.sheet("临界值").rows.filter((r) => r[3] === "Q1");
    expect(flags).toHaveLength(1);
    expect(flags[0]?.[5]).toBe("95.00");
    expect(flags[0]?.[7]).toBe("不达标");
  });

  it("school names and evidence that look like formulas are written as text", async () => {
    const schools = demo.schools.map((s) => (s.id === demo.schools[0]?.id ? { ...s, name: '=HYPERLINK("http://x","点此")' } : s));
    const items = demo.countyItems.map((x, i) => (i === 0 ? { ...x, guarantee: { ...x.guarantee, G1: { met: true, evidence: "+1 规划文件" } } } : x));
    const c = capture({ "f.json": JSON.stringify({ ...demo, schools, countyItems: items }) });
    expect(await runEvaluate(["f.json", "--xlsx", "f.xlsx"], c.io)).toBe(0);
    const first = [...c.out.written.values()][0] ?? new Uint8Array();
    const wb = readXlsx(first);
    const strings = wb.sheetNames.flatMap((n) => [...wb.sheet(n).cells.values()].map((x) => x.value)).filter((v): v is string => typeof v === "string");
    expect(strings.some((v) => /^[=+\-@]/.test(v))).toBe(false);
    expect(strings).toContain('\'=HYPERLINK("http://x","点此")');
    expect(strings).toContain("'+1 规划文件");
  });

  it("refuses a missing or non-.xlsx name, and reports a file it cannot write; exit 2, nothing on stdout", async () => {
    const a = capture();
    expect(await runEvaluate(["docs/zhongwei-demo-example.json", "--xlsx"], a.io)).toBe(2);
    expect(a.out.stderr).toContain("缺少 --xlsx 的输出文件名");
    const b = capture();
    expect(await runEvaluate(["docs/zhongwei-demo-example.json", "--xlsx", "表.csv"], b.io)).toBe(2);
    expect(b.out.stderr).toContain("应以 .xlsx 结尾");
    expect(b.out.written.size).toBe(0);
    const failing = capture();
    const code = await runEvaluate(["docs/zhongwei-demo-example.json", "--xlsx", "x.xlsx"], {
      ...failing.io,
      writeFile: async () => {
        throw new Error("EACCES");
      },
    });
    expect(code).toBe(2);
    expect(failing.out.stderr).toContain("无法写出申报表 x-640502-沙坡头区.xlsx：EACCES");
    expect(failing.out.stdout).toBe("");
  });

  it("end to end: npm run evaluate -- FILE --xlsx OUT.xlsx writes the files", () => {
    const dir = mkdtempSync(join(tmpdir(), "evaluate-xlsx-"));
    const r = run("docs/zhongwei-demo-example.json", "--xlsx", join(dir, "申报表.xlsx"));
    expect(r.status).toBe(0);
    expect(r.stderr).toContain("已写出申报表 3 个");
    const result = JSON.parse(r.stdout) as EvaluationResult;
    for (const county of result.counties)
      expectWorkbookMatches(readXlsx(new Uint8Array(readFileSync(join(dir, `申报表-${county.countyId}-${county.countyName}.xlsx`)))), county, result);
    const missingDir = run("docs/zhongwei-demo-example.json", "--xlsx", join(dir, "no-such-dir", "x.xlsx"));
    expect(missingDir.status).toBe(2);
    expect(missingDir.stderr).toContain("无法写出申报表");
    expect(missingDir.stdout).toBe("");
  }, 60_000);
});
