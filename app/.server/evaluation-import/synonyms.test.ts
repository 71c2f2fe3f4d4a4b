/**
 * The import forgives what people type (issue 20 item 5): sheet names with half-width or no
 * brackets, short forms of the school type, and — for a school list of known counties — a
 * file with only the 学校 sheet; each time it says in `notes` what it assumed. What cannot be
 * read unambiguously is still refused.
 */
import { strToU8 } from "fflate";
import { describe, expect, it } from "vitest";
import { formatImportError, importCsvFiles } from ".";
import { parseCell } from "./cells";
import { SCHOOLS_SHEET, sheetForName } from "./sheets";

const counties = "县（区）代码,县（区）名称,常住人口（人）\n640521,中宁县,336000\n";
const schoolsHeader = "学校标识码,学校名称,所属县（区）代码,学校类型,城乡类型,小学在校生数（人）,初中在校生数（人）,高中在校生数（人）\n";
const files = (entries: Record<string, string>) => Object.entries(entries).map(([name, text]) => ({ name, bytes: strToU8(text) }));
const typeColumn = SCHOOLS_SHEET.columns.find((c) => c.key === "type");

describe("sheet names", () => {
  it("reads 县(区), 县（区), 县 区 and 县区 as 县（区）, and says so only when the name differs", () => {
    for (const name of ["县(区)", "县（区)", "县 (区)", "县区", " 县（区） ", "县（区）表"])
      expect(sheetForName(name)).toEqual({ spec: expect.objectContaining({ name: "县（区）" }), assumed: true });
    expect(sheetForName("县（区）")).toEqual({ spec: expect.objectContaining({ name: "县（区）" }), assumed: false });
    expect(sheetForName("schools")?.assumed).toBe(false);
    expect(sheetForName("学生")).toBeNull();
  });

  it("imports a CSV set whose county file is named 县(区).csv, with the assumption in the notes", () => {
    const r = importCsvFiles(files({ "县(区).csv": counties, "学校.csv": `${schoolsHeader}zn01,第一小学,640521,小学,城区,1900,0,0\n` }));
    expect(r.ok ? r.notes : r.errors.map(formatImportError)).toEqual(["已将工作表“县(区)”视为“县（区）”"]);
  });

  it("refuses two sheets that are both 县（区）", () => {
    const r = importCsvFiles(
      files({ "县(区).csv": counties, "县（区）.csv": counties, "学校.csv": `${schoolsHeader}zn01,第一小学,640521,小学,城区,1900,0,0\n` }),
    );
    expect(r.ok ? [] : r.errors.map(formatImportError)).toEqual(["「县（区）」：工作表重复"]);
  });
});

describe("coded values", () => {
  it("reads the short forms of a school type and says what they were read as", () => {
    if (!typeColumn) throw new Error("no type column");
    expect(parseCell("九年一贯制", typeColumn.type, true)).toEqual({ ok: true, value: "nine_year", assumed: { typed: "九年一贯制", label: "九年一贯制学校" } });
    expect(parseCell("十二年一贯制", typeColumn.type, true)).toMatchObject({ ok: true, value: "twelve_year" });
    expect(parseCell("完中", typeColumn.type, true)).toMatchObject({ ok: true, value: "complete_secondary" });
    expect(parseCell("初级中学", typeColumn.type, true)).toMatchObject({ ok: true, value: "junior" });
    // Full-width or spaced labels are the label itself, read without a word.
    expect(parseCell("九年一贯制学校", typeColumn.type, true)).toEqual({ ok: true, value: "nine_year" });
    expect(parseCell("九年 一贯制学校", typeColumn.type, true)).toMatchObject({ ok: true, value: "nine_year", assumed: { label: "九年一贯制学校" } });
    // Ambiguous: 中学 could be 初中 or 完全中学.
    expect(parseCell("中学", typeColumn.type, true)).toEqual({
      ok: false,
      message: "应为 小学/初中/九年一贯制学校/十二年一贯制学校/完全中学/教学点 之一，实际为“中学”",
    });
  });

  it("imports a 学校 sheet with 九年一贯制 and 农村, one note per value with its rows", () => {
    const r = importCsvFiles(
      files({
        "县（区）.csv": counties,
        "学校.csv": `${schoolsHeader}zn01,鸣沙学校,640521,九年一贯制,农村,300,200,0\nzn02,恩和学校,640521,九年一贯制,乡村,200,100,0\nzn03,第一小学,640521,小学,城区,1900,0,0\n`,
      }),
    );
    expect(r.ok ? r.notes : r.errors.map(formatImportError)).toEqual([
      "「学校」「学校类型」：已将“九年一贯制”视为“九年一贯制学校”（第 2、3 行）",
      "「学校」「城乡类型」：已将“农村”视为“乡村”（第 2 行）",
    ]);
    if (r.ok)
      expect(r.value.schools.map((s) => [s.id, s.type, s.location])).toEqual([
        ["zn01", "nine_year", "rural"],
        ["zn02", "nine_year", "rural"],
        ["zn03", "primary", "urban"],
      ]);
  });
});

describe("a file with only the 学校 sheet", () => {
  const only = files({ "学校.csv": `${schoolsHeader}zn01,第一小学,640521,小学,城区,1900,0,0\n` });

  it("is refused for the evaluation data (no counties known): the 县（区） sheet is required there", () => {
    const r = importCsvFiles(only);
    expect(r.ok ? [] : r.errors.map(formatImportError)).toContain("「县（区）」：缺少「县（区）」工作表");
  });

  it("is read as a school list of the known counties, and says so", () => {
    const r = importCsvFiles(only, undefined, {
      knownCounties: [
        { id: "640521", name: "中宁县" },
        { id: "640522", name: "海原县" },
      ],
    });
    expect(r.ok ? r.notes : r.errors.map(formatImportError)).toEqual([
      "文件中没有「县（区）」工作表：学校按所属县（区）代码归入本调查活动已有的县（区）：中宁县（640521）",
    ]);
    if (r.ok) expect(r.value.counties).toEqual([{ id: "640521", name: "中宁县", residentPopulation: null, locationShare: null }]);
  });

  it("refuses a school of a county nobody knows, saying to add the 县（区） sheet", () => {
    const r = importCsvFiles(
      files({ "学校.csv": `${schoolsHeader}hy01,海原一小,640599,小学,城区,900,0,0\nhy02,海原二小,640599,小学,城区,900,0,0\n` }),
      undefined,
      { knownCounties: [{ id: "640521", name: "中宁县" }] },
    );
    expect(r.ok ? [] : r.errors.map(formatImportError)).toEqual([
      "「学校」第 2 行「所属县（区）代码」：县（区）代码 640599 不是本调查活动的县（区）（共 2 行）；新的县（区）请在「县（区）」工作表中填写代码和名称后一并导入",
    ]);
  });
});
