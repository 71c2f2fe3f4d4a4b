import { describe, expect, it } from "vitest";
import type { CountyForms } from "../../domain/evaluation-forms";
import { readXlsx } from "../../../test/support/xlsx-reader";
import { writeFormsWorkbook } from ".";

const forms: CountyForms = {
  countyId: "640000",
  countyName: "测试县",
  fileName: "测试县-申报表-640000.xlsx",
  sheets: [
    {
      name: "表Ⅲ 小学",
      title: "测试县 表Ⅲ",
      notes: ["说明一", "说明二"],
      columns: [
        { header: "序号", width: 6 },
        { header: "学校", width: 30 },
        { header: "差异系数", width: 12 },
      ],
      rows: [
        [{ value: 1, numFmt: "0" }, { value: "-1 号学校" }, { value: 0.5004, numFmt: "0.000" }],
        [{ value: 2, numFmt: "0" }, { value: "@二小" }, { value: -0.25, numFmt: "0.00%" }],
        [{ value: null }, { value: "合并" }, { value: 1234.5, numFmt: "#,##0.00" }],
        [{ value: null }, { value: null }, { value: Number.NaN, numFmt: "0.00" }],
      ],
      merges: [{ column: 1, from: 2, to: 3 }],
      emphasis: [2],
    },
    { name: "空表", title: "空", notes: [], columns: [{ header: "序号", width: 6 }], rows: [], merges: [], emphasis: [] },
  ],
};

describe("writeFormsWorkbook", () => {
  it("writes title, notes, a frozen and repeated header, numbers with their formats, text neutralised", async () => {
    const wb = readXlsx(await writeFormsWorkbook(forms));
    expect(wb.sheetNames).toEqual(["表Ⅲ 小学", "空表"]);
    const s = wb.sheet("表Ⅲ 小学");
    expect(s.rows[1]?.[1]).toBe("测试县 表Ⅲ");
    expect([s.rows[2]?.[1], s.rows[3]?.[1]]).toEqual(["说明一", "说明二"]);
    expect(s.rows[4]?.slice(1)).toEqual(["序号", "学校", "差异系数"]);
    expect(s.frozen).toEqual({ xSplit: 0, ySplit: 4 });
    expect(s.printTitles).toBe("'表Ⅲ 小学'!$4:$4");
    expect(s.pageSetup).toMatchObject({ paperSize: "9", orientation: "landscape", fitToWidth: "1", fitToHeight: "0" });
    expect(s.fitToPage).toBe(true);
    expect([s.columnWidths.get(1), s.columnWidths.get(2), s.columnWidths.get(3)]).toEqual([6, 30, 12]);
    expect(s.rows[5]?.slice(1)).toEqual([1, "'-1 号学校", 0.5004]);
    expect(s.rows[6]?.slice(1)).toEqual([2, "'@二小", -0.25]);
    expect(s.cells.get("C5")?.numFmt).toBe("0.000");
    expect(s.cells.get("C5")?.raw).toBe("0.5004");
    expect(s.cells.get("C6")?.numFmt).toBe("0.00%");
    expect(s.cells.get("C7")?.numFmt).toBe("#,##0.00");
    // A non-finite number is never written as a number.
    expect(s.rows[8]?.[3]).toBeNull();
    expect(s.merges).toEqual(expect.arrayContaining(["A1:C1", "A2:C2", "A3:C3", "B7:B8"]));
    expect(wb.sheet("空表").rows[2]?.[1]).toBe("序号");
  });
});
