/**
 * Issue 13's workbook items: templates re-saved by openpyxl and LibreOffice import as written
 * (fixtures made by test/fixtures/uploads/make-fixtures.ts); an error value or an uncalculated
 * formula in an optional cell is said, not read as "not provided"; full-width digits are
 * numbers; one bad school id is one error; 1e400 is refused in Chinese.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { strToU8 } from "fflate";
import { describe, expect, it } from "vitest";
import { evaluateCounties } from "../../domain/evaluation";
import type { EvaluationInput } from "../../domain/evaluation/input";
import { fixtureInput } from "../../../test/fixtures/uploads/make-fixtures";
import { buildWorkbook, formatImportError, importCsvFiles, importXlsx } from ".";
import { assembleInput } from "./assemble";
import { ProblemCell } from "./tables";

const fixture = (name: string) => new Uint8Array(readFileSync(fileURLToPath(new URL(`../../../test/fixtures/uploads/${name}`, import.meta.url))));
const verdicts = (input: EvaluationInput) => JSON.stringify(evaluateCounties(input).counties);
const messages = (r: Awaited<ReturnType<typeof importXlsx>>) => (r.ok ? [] : r.errors.map(formatImportError));

describe("workbooks a bureau re-saves import as written", () => {
  const expected = fixtureInput();
  it.each(["resaved-openpyxl.xlsx", "resaved-libreoffice.xlsx"])("%s: the same input and verdict as the template it was saved from", async (name) => {
    const original = await importXlsx(await buildWorkbook(expected));
    const r = await importXlsx(fixture(name));
    expect(messages(r)).toEqual([]);
    if (!r.ok || !original.ok) return;
    expect(r.value.schools).toEqual(expected.schools);
    expect(r.value).toEqual(original.value);
    expect(verdicts(r.value)).toBe(verdicts(original.value));
  });

  it("our own template reads the same (the reader replaced exceljs's)", async () => {
    const r = await importXlsx(await buildWorkbook(expected));
    expect(r.ok && r.value.schools).toEqual(expected.schools);
  });
});

describe("a cell that is there but has no value is said, not skipped", () => {
  it("an uncalculated formula (openpyxl writes no result)", async () => {
    expect(messages(await importXlsx(fixture("formula-openpyxl.xlsx")))).toEqual([
      "「学校」第 2 行「公用经费核定学生数（人）」：单元格是公式（=1/0）但文件中没有计算结果，请在 Excel 或 WPS 中打开后重新保存，或直接填写数值",
    ]);
  });
  it("in the 县级指标 sheet too, in the value and in the evidence", () => {
    const r = assembleInput([
      { sheet: "县（区）", header: ["县（区）代码", "县（区）名称"], rows: [{ row: 2, cells: ["640521", "中宁县"] }] },
      {
        sheet: "县级指标",
        header: ["县（区）代码", "指标代码", "数据项代码", "数据项", "单位或取值", "填报值", "佐证材料及说明"],
        rows: [
          { row: 2, cells: ["640521", "G9", "teachersRequired", null, null, new ProblemCell("error", "#N/A"), null] },
          { row: 3, cells: ["640521", "G9", "teachersCompleted", null, null, 12, new ProblemCell("uncalculated", "VLOOKUP(A3,B:C,2)")] },
        ],
      },
    ]);
    expect(r.ok ? [] : r.errors.map(formatImportError)).toEqual([
      "「县级指标」第 2 行「填报值」：应完成5年360学时培训的教师数：单元格为错误值 #N/A，请修正公式或直接填写数值",
      "「县级指标」第 3 行「佐证材料及说明」：单元格是公式（=VLOOKUP(A3,B:C,2)）但文件中没有计算结果，请在 Excel 或 WPS 中打开后重新保存，或直接填写数值",
    ]);
  });
  it("#DIV/0! (LibreOffice calculated it)", async () => {
    expect(messages(await importXlsx(fixture("formula-libreoffice.xlsx")))).toEqual([
      "「学校」第 2 行「公用经费核定学生数（人）」：单元格为错误值 #DIV/0!，请修正公式或直接填写数值",
    ]);
  });
});

describe("numbers as officers type them", () => {
  const counties = "县（区）代码,县（区）名称,常住人口（人）\n640521,中宁县,336000\n";
  const header =
    "学校标识码,学校名称,所属县（区）代码,学校类型,城乡类型,小学在校生数（人）,初中在校生数（人）,高中在校生数（人）,年度公用经费预算总额（万元）\n";
  const files = (schools: string, extra: Record<string, string> = {}) =>
    Object.entries({ "县（区）.csv": counties, "学校.csv": header + schools, ...extra }).map(([name, text]) => ({ name, bytes: strToU8(text) }));

  it("full-width digits, signs and separators (a Chinese IME's full-width mode) are numbers", () => {
    const r = importCsvFiles(files("zn01,第一小学,640521,小学,城区,２１５０,０,0,１，２３４．５\n"));
    expect(r.ok ? [] : r.errors.map(formatImportError)).toEqual([]);
    if (r.ok) {
      expect(r.value.schools[0]?.students).toEqual({ primary: 2150, junior: 0, senior: 0 });
      expect(r.value.schools[0]?.publicFunds?.annualBudgetWanYuan).toBe(1234.5);
    }
  });

  it("1e400 is too large, said in Chinese (not an English schema message)", () => {
    const r = importCsvFiles(files("zn01,第一小学,640521,小学,城区,1e400,0,0,1e400\n"));
    expect(r.ok ? [] : r.errors.map(formatImportError)).toEqual([
      "「学校」第 2 行「小学在校生数（人）」：数值过大，超出可处理的范围，实际为“1e400”",
      "「学校」第 2 行「年度公用经费预算总额（万元）」：数值过大，超出可处理的范围，实际为“1e400”",
    ]);
  });

  it("one bad school id is one error per cause, not one per row that uses it", () => {
    const classHeader = "学校标识码,年级,班级学生数（人）\n";
    const classes = (id: string, n: number) => Array.from({ length: n }, (_, i) => `${id},${String((i % 6) + 1)},40\n`).join("");
    // zn02's own 学校 row is wrong (学校类型): its 34 classes are not reported again.
    const bad = importCsvFiles(
      files("zn01,第一小学,640521,小学,城区,1360,0,0\nzn02,第二小学,640521,小学校,城区,1360,0,0\n", {
        "班级.csv": classHeader + classes("zn01", 34) + classes("zn02", 34),
      }),
    );
    expect(bad.ok ? [] : bad.errors.map(formatImportError)).toEqual([
      "「学校」第 3 行「学校类型」：应为 小学/初中/九年一贯制学校/十二年一贯制学校/完全中学/教学点 之一，实际为“小学校”",
    ]);
    // A typo'd id in 班级: one error, naming the rows.
    const typo = importCsvFiles(files("zn01,第一小学,640521,小学,城区,1360,0,0\n", { "班级.csv": classHeader + classes("zn01", 34) + classes("zn1", 34) }));
    expect(typo.ok ? [] : typo.errors.map(formatImportError)).toEqual([
      "「班级」第 36 行「学校标识码」：学校标识码 zn1 不在「学校」表中（第 36、37、38、39、40、41、42、43、44、45 等 行，共 34 行）",
    ]);
  });
});
