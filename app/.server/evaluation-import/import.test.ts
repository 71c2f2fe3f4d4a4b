import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { strToU8, zipSync } from "fflate";
import Papa from "papaparse";
import { describe, expect, it } from "vitest";
import { evaluateCounties } from "../../domain/evaluation";
import type { EvaluationInput } from "../../domain/evaluation/input";
import { buildWorkbook, formatImportError, importCsvFiles, importEvaluationFile, importJson, importXlsx, importZip } from ".";
import { tablesFromXlsx, type Table } from "./tables";

const exampleText = readFileSync(fileURLToPath(new URL("../../../docs/zhongwei-demo-example.json", import.meta.url)), "utf8");
const example = (() => {
  const r = importJson(exampleText);
  if (!r.ok) throw new Error(r.errors.map(formatImportError).join("\n"));
  return r.value;
})();
const verdicts = (input: EvaluationInput) => JSON.stringify(evaluateCounties(input).counties);

function csvOf(t: Table): string {
  return Papa.unparse([t.header, ...t.rows.map((r) => t.header.map((_, i) => r.cells[i] ?? ""))]);
}

describe("round trips: JSON → Excel → import, and Excel → CSV / zip → import", () => {
  it("the example written to the template imports back to the same evaluation", async () => {
    const xlsx = await buildWorkbook(example);
    const back = await importXlsx(xlsx);
    expect(back.ok ? [] : back.errors.map(formatImportError)).toEqual([]);
    if (!back.ok) return;
    expect(back.value.schools).toEqual(example.schools.map((s) => ({ ...s, specialRooms: s.specialRooms, classes: s.classes })));
    expect(verdicts(back.value)).toBe(verdicts(example));

    const tables = await tablesFromXlsx(xlsx);
    const files = tables.filter((t) => t.sheet !== "填表说明").map((t) => ({ name: `${t.sheet}.csv`, bytes: strToU8(csvOf(t)) }));
    const fromCsv = importCsvFiles(files);
    expect(fromCsv.ok).toBe(true);
    if (fromCsv.ok) expect(verdicts(fromCsv.value)).toBe(verdicts(example));
    const zip = zipSync(Object.fromEntries(files.map((f) => [`评估数据/${f.name}`, f.bytes])));
    const fromZip = importZip(zip);
    expect(fromZip.ok).toBe(true);
    if (fromZip.ok) expect(verdicts(fromZip.value)).toBe(verdicts(example));
    const viaDispatch = await importEvaluationFile("data.zip", zip);
    expect(viaDispatch.ok).toBe(true);
  });
  it("the empty template imports as an input with no counties", async () => {
    const r = await importXlsx(await buildWorkbook());
    expect(r.ok && r.value.counties).toEqual([]);
  });
});

describe("errors by sheet, row and column, in Chinese; nothing imported unless all is valid", () => {
  const counties = "县（区）代码,县（区）名称,常住人口（人）\n640521,中宁县,336000\n640522,海原县,396000\n";
  const schoolsHeader = "学校标识码,学校名称,所属县（区）代码,学校类型,城乡类型,小学在校生数（人）,初中在校生数（人）,高中在校生数（人）\n";
  const files = (extra: Record<string, string>) =>
    Object.entries({ "县（区）.csv": counties, ...extra }).map(([name, text]) => ({ name, bytes: strToU8(text) }));

  it("reports a negative area, a wrong type and more key teachers than teachers, each located", () => {
    const r = importCsvFiles(
      files({
        "学校.csv": `${schoolsHeader}zn01,第一小学,640521,小学,城区,1900,0,0\nzn02,第二小学,640521,小学,城区,多,0,0\n`,
        "教师.csv":
          "学校标识码,学段,专任教师数（人）,高于规定学历教师数（人）,县级以上骨干教师数（人）,体育专任教师数（人）,音乐专任教师数（人）,美术专任教师数（人）\nzn01,小学,100,90,120,5,3,3\n",
        "校舍场地.csv": "学校标识码,教学及辅助用房面积（m²）,其中：室内体育用房面积（m²）,体育运动场面积（m²）,体育馆面积（m²）\nzn01,-5,0,100,0\n",
      }),
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const text = r.errors.map(formatImportError);
    expect(text).toContain("「学校」第 3 行「小学在校生数（人）」：应为整数，实际为“多”");
    expect(text).toContain("「校舍场地」第 2 行「教学及辅助用房面积（m²）」：不能为负数，实际为 -5");
    // Cross-record rules run only once every cell is valid: fix the cells and the key-teacher rule shows.
    const r2 = importCsvFiles(
      files({
        "学校.csv": `${schoolsHeader}zn01,第一小学,640521,小学,城区,1900,0,0\n`,
        "教师.csv":
          "学校标识码,学段,专任教师数（人）,高于规定学历教师数（人）,县级以上骨干教师数（人）,体育专任教师数（人）,音乐专任教师数（人）,美术专任教师数（人）\nzn01,小学,100,90,120,5,3,3\n",
      }),
    );
    expect(r2.ok ? [] : r2.errors.map(formatImportError)).toEqual([
      "「教师」第 2 行「县级以上骨干教师数（人）」：县级以上骨干教师数（120）多于专任教师数（100）",
    ]);
  });
  it("reports a missing column and a school in two counties", () => {
    const r = importCsvFiles(
      files({
        "学校.csv": "学校标识码,学校名称,所属县（区）代码,学校类型,城乡类型,小学在校生数（人）,初中在校生数（人）\nzn01,第一小学,640521,小学,城区,1900,0\n",
      }),
    );
    expect(r.ok ? [] : r.errors.map(formatImportError)).toEqual(["「学校」第 1 行「高中在校生数（人）」：缺少列「高中在校生数（人）」"]);
    const twice = importCsvFiles(files({ "学校.csv": `${schoolsHeader}zn01,第一小学,640521,小学,城区,1900,0,0\nzn01,第一小学,640522,小学,城区,1900,0,0\n` }));
    expect(twice.ok ? [] : twice.errors.map(formatImportError)).toEqual([
      "「学校」第 3 行「所属县（区）代码」：学校 zn01（第一小学）同时属于 640521 和 640522 两个县（区）",
    ]);
  });
  it("JSON errors name the record and field", () => {
    const bad = JSON.parse(exampleText) as { schools: { students: { primary: number } }[] };
    const first = bad.schools[0];
    if (first) first.students.primary = -1;
    const r = importJson(JSON.stringify(bad));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0]).toMatchObject({ sheet: "schools", row: 1, column: "students.primary" });
    const broken = importJson("{ not json");
    expect(broken.ok ? "" : formatImportError(broken.errors[0]!)).toMatch(/^「JSON」：JSON 格式错误/);
  });
  it("an unknown file type or sheet is an error, not a silent skip", async () => {
    const r = await importEvaluationFile("data.txt", new Uint8Array());
    expect(r.ok ? "" : r.errors[0]?.message).toContain("不支持的文件类型");
    const csv = importCsvFiles([{ name: "其他.csv", bytes: strToU8("a,b\n1,2\n") }, ...files({})]);
    expect(csv.ok ? "" : formatImportError(csv.errors[0]!)).toBe("「其他.csv」：无法识别的文件名，应为工作表名加 .csv，如 学校.csv");
  });
  it("reads GB18030 CSV as saved by Excel on a Chinese Windows, and UTF-8 with a BOM", () => {
    // Node has a GB18030 decoder but no encoder: decode the whole two-byte table once and invert it.
    const pairs: number[] = [];
    for (let hi = 0x81; hi <= 0xfe; hi += 1) for (let lo = 0x40; lo <= 0xfe; lo += 1) if (lo !== 0x7f) pairs.push(hi, lo);
    const decoded = new TextDecoder("gb18030").decode(new Uint8Array(pairs));
    const table = new Map<string, [number, number]>();
    [...decoded].forEach((ch, i) => table.set(ch, [pairs[2 * i] ?? 0, pairs[2 * i + 1] ?? 0]));
    const gbk = (text: string) => new Uint8Array([...text].flatMap((ch) => (ch.charCodeAt(0) < 0x80 ? [ch.charCodeAt(0)] : (table.get(ch) ?? [0x3f]))));
    const bytes = gbk(counties);
    expect(() => new TextDecoder("utf-8", { fatal: true }).decode(bytes)).toThrow();
    const r = importCsvFiles([{ name: "counties.csv", bytes }]);
    expect(r.ok && r.value.counties.map((c) => c.name)).toEqual(["中宁县", "海原县"]);
    const withBom = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(counties)]);
    const u = importCsvFiles([{ name: "县（区）.csv", bytes: withBom }]);
    expect(u.ok && u.value.counties.map((c) => c.name)).toEqual(["中宁县", "海原县"]);
  });
});

describe("the 中卫市 demo example", () => {
  // The domain may not import db/; this check lives on the server side.
  it("uses the seed's county ids, school ids and enrolments", async () => {
    const { DEMO_COUNTIES } = await import("../../../db/seed/demo-zhongwei");
    expect(example.counties.map((c) => c.id)).toEqual(DEMO_COUNTIES.map((c) => c.id));
    expect(example.schools.map((s) => [s.id, s.countyId, s.name, s.type, s.location, s.students])).toEqual(
      DEMO_COUNTIES.flatMap((c) => c.schools.map((s) => [s.id, c.id, s.name, s.type, s.location, s.students])),
    );
    expect(example.counties.map((c) => [c.residentPopulation, c.locationShare])).toEqual(DEMO_COUNTIES.map((c) => [c.residentPopulation, c.locationShare]));
  });
});
