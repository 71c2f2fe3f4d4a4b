import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { evaluateCounties, EvaluationInputSchema, type EvaluationResult } from "../evaluation";
import { countyForms, FULL_PRECISION_HEADER, headerRowNumber, isValidSheetName, SHEET_NAMES, type FormCell, type FormSheet } from ".";

const demoPath = fileURLToPath(new URL("../../../docs/zhongwei-demo-example.json", import.meta.url));
const demo = EvaluationInputSchema.parse(JSON.parse(readFileSync(demoPath, "utf8")));
const result = evaluateCounties(demo);
const clone = (): EvaluationResult => structuredClone(result);

const sheetOf = (sheets: FormSheet[], name: string): FormSheet => {
  const s = sheets.find((x) => x.name === name);
  if (!s) throw new Error(`no sheet ${name}`);
  return s;
};
const values = (row: FormCell[] | undefined) => (row ?? []).map((c) => c.value);
const rowLabelled = (s: FormSheet, col: number, label: string) => s.rows.find((r) => r[col]?.value === label);

describe("countyForms", () => {
  it("builds the same sheets for every county, with names Excel accepts and one header row each", () => {
    for (const county of result.counties) {
      const forms = countyForms(result, county.countyId);
      expect(forms.fileName).toBe(`${county.countyName}-申报表-${county.countyId}.xlsx`);
      expect(forms.sheets.map((s) => s.name)).toEqual(Object.values(SHEET_NAMES));
      for (const s of forms.sheets) {
        expect(isValidSheetName(s.name), s.name).toBe(true);
        expect(headerRowNumber(s)).toBe(2 + s.notes.length);
        for (const row of s.rows) expect(row.length, s.name).toBe(s.columns.length);
        for (const m of s.merges) expect(m.to).toBeLessThan(s.rows.length);
      }
    }
  });

  it("表Ⅲ: each unit's values at full precision with 2 decimals, the CV with 3; no full-precision column without a borderline", () => {
    const forms = countyForms(result, "640522");
    const t3 = sheetOf(forms.sheets, SHEET_NAMES.table3Primary);
    expect(t3.columns.map((c) => c.header).slice(0, 5)).toEqual([
      "序号",
      "学校（评估单位）",
      "学校类型",
      "学生数（人）",
      "L1 每百名学生拥有高于规定学历教师数（人/百生）",
    ]);
    expect(t3.columns.some((c) => c.header.includes(FULL_PRECISION_HEADER))).toBe(false);
    const unit = result.counties[2]?.parts.resource.units.find((u) => u.unitId === "hy01:primary");
    const row = rowLabelled(t3, 1, "海原县第一小学（演示）");
    expect(row?.[4]).toEqual({ value: unit?.indicators.L1?.value, numFmt: "0.00" });
    const cv = rowLabelled(t3, 1, "差异系数 CV");
    expect(cv?.[8]).toEqual({ value: result.counties[2]?.parts.resource.levels.primary.cvs.L5?.cv, numFmt: "0.000" });
    expect(values(rowLabelled(t3, 1, "差异系数是否达标")).slice(4, 11)).toEqual(["是", "是", "是", "是", "否", "是", "是"]);
    expect(rowLabelled(t3, 1, `差异系数 ${FULL_PRECISION_HEADER}`)).toBeUndefined();
    expect(t3.notes.join("")).toContain("海原县甘城乡教学点（演示）（28 人）");
  });

  it("a borderline 差异系数 (0.5004 shows as 0.500) adds a full-precision row; a borderline unit value a full-precision column", () => {
    const r = clone();
    const hy = r.counties[2];
    const cv = hy?.parts.resource.levels.primary.cvs.L3;
    const unit = hy?.parts.resource.units.find((u) => u.level === "primary");
    if (!cv || !unit?.indicators.L2) throw new Error("fixture");
    cv.cv = 0.5004;
    unit.indicators.L2.value = 0.9996; // shows as 1.00 against the standard 1
    const t3 = sheetOf(countyForms(r, "640522").sheets, SHEET_NAMES.table3Primary);
    const full = rowLabelled(t3, 1, `差异系数 ${FULL_PRECISION_HEADER}`);
    expect(full?.[6]).toEqual({ value: 0.5004, numFmt: "General" });
    const l2Full = t3.columns.findIndex((c) => c.header === `L2 ${FULL_PRECISION_HEADER}`);
    expect(l2Full).toBe(13);
    expect(rowLabelled(t3, 1, unit.label)?.[l2Full]).toEqual({ value: 0.9996, numFmt: "General" });
  });

  it("政府保障程度: rates as 0–1 with a percent format, the requirement from the settings used, 佐证 on the item's first row", () => {
    const g = sheetOf(countyForms(result, "640522").sheets, SHEET_NAMES.guarantee);
    expect(g.columns.map((c) => c.header)).toEqual([
      "序号",
      "代码",
      "评估内容",
      "数据项",
      "数值",
      "单位",
      "要求",
      "结论",
      "佐证材料",
      "说明",
      FULL_PRECISION_HEADER,
    ]);
    const start = g.rows.findIndex((r) => r[1]?.value === "G11");
    const block = g.rows.slice(start, start + 5);
    expect(block.map((r) => r[3]?.value)).toEqual([
      "符合交流条件教师总数",
      "本年度交流轮岗教师数",
      "其中：骨干教师数",
      "交流轮岗教师比例",
      "骨干教师占交流轮岗教师比例",
    ]);
    expect(block[3]?.[4]).toEqual({ value: 118 / 1480, numFmt: "0.00%" });
    expect(block.map((r) => r[6]?.value)).toEqual([null, null, null, "≥ 10%", "≥ 20%"]);
    expect(values(block[0]).slice(7, 9)).toEqual(["未达标", "（演示）交流轮岗名单"]);
    expect(g.merges).toContainEqual({ column: 8, from: start, to: start + 4 });
    const g9 = g.rows.find((r) => r[3]?.value === "培训完成率");
    expect(g9?.[6]?.value).toBe("= 100%");
    // A province's own threshold shows in the form.
    const strict = evaluateCounties(demo, { guarantee: { ...result.settings.guarantee, g11: { minRotationRate: 0.12, minKeyTeacherShare: 0.2 } } });
    const g2 = sheetOf(countyForms(strict, "640522").sheets, SHEET_NAMES.guarantee);
    expect(g2.rows.find((r) => r[3]?.value === "交流轮岗教师比例")?.[6]?.value).toBe("≥ 12%");
  });

  it("a figure the form does not name is still shown under its key", () => {
    const r = clone();
    const g8 = r.counties[0]?.parts.guarantee.items.find((i) => i.code === "G8");
    if (!g8) throw new Error("fixture");
    g8.figures["salaryGapYuan"] = 600.5;
    const g = sheetOf(countyForms(r, "640502").sheets, SHEET_NAMES.guarantee);
    expect(g.rows.find((row) => row[3]?.value === "salaryGapYuan")?.[4]).toEqual({ value: 600.5, numFmt: "General" });
  });

  it("a county without data: every sheet still builds, figures empty, statuses say 未评估", () => {
    const empty = evaluateCounties({
      format: "youzhi-junheng/evaluation-input",
      version: 1,
      counties: [{ id: "640000", name: "测试县", residentPopulation: null }],
      schools: [],
      countyItems: [],
    });
    const forms = countyForms(empty, "640000");
    const basic = sheetOf(forms.sheets, SHEET_NAMES.basic);
    expect(rowLabelled(basic, 0, "常住人口")?.[1]?.value).toBeNull();
    expect(rowLabelled(basic, 0, "评估结论")?.[1]?.value).toBe(empty.counties[0]?.verdictLabel);
    expect(sheetOf(forms.sheets, SHEET_NAMES.g4).rows).toEqual([]);
    const t6 = sheetOf(forms.sheets, SHEET_NAMES.table6);
    expect(values(t6.rows[0])).toEqual(["全体", 0, 0, 0, null, null]);
    expect(t6.notes.join("")).toContain("未填报常住人口");
    const veto = sheetOf(forms.sheets, SHEET_NAMES.veto);
    expect(veto.rows.map((r) => r[3]?.value)).toEqual(Array(7).fill("未申报"));
    expect(sheetOf(forms.sheets, SHEET_NAMES.borderline).notes[0]).toContain("无临界值");
  });

  it("refuses a county the result does not hold", () => {
    expect(() => countyForms(result, "999999")).toThrow("评估结果中没有县（区）999999");
  });
});
