/**
 * Schools and sections with 0 students (issue 13): accepted, left out of the units and the
 * 差异系数, and said so — never a refused file, never teachers dropped silently.
 */
import { describe, expect, it } from "vitest";
import { evaluateCounties } from ".";
import { evaluateResources } from "./resource";
import { DEFAULT_DISPLAY_SETTINGS as D, DEFAULT_RESOURCE_SETTINGS as R } from "./settings";
import { facilitiesAt, inputOf, primarySchool, schoolOfType, staffAt } from "./test-helpers";
import { validateInputSemantics } from "./validate-input";

describe("a school with 0 students", () => {
  const empty = primarySchool("z", 0, { name: "停招小学", sections: {}, facilities: null });
  it("is accepted by the file checks", () => {
    expect(validateInputSemantics(inputOf([primarySchool("a", 1000), empty]))).toEqual([]);
  });
  it("is no unit, takes no part in the 差异系数, and the county's reasons name it", () => {
    const county = evaluateCounties(inputOf([primarySchool("a", 1000), primarySchool("b", 1000), empty])).counties[0];
    const resource = county?.parts.resource;
    expect(resource?.units.map((u) => u.schoolId)).toEqual(["a", "b"]);
    expect(resource?.levels.primary.cvs.L1.n).toBe(2);
    expect(resource?.excluded).toEqual([
      {
        schoolId: "z",
        schoolName: "停招小学",
        countyId: "C1",
        level: "primary",
        students: 0,
        reason: "停招小学在校生为0，不构成资源配置单位，不参与7项指标和差异系数计算",
      },
    ]);
    expect(resource?.status).toBe("pass");
    expect(county?.reasons).toContain("【说明：在校生为0的学校（学段），未计入资源配置7项指标和差异系数】");
    expect(county?.reasons).toContain("停招小学在校生为0，不构成资源配置单位，不参与7项指标和差异系数计算");
    // Nothing per class or per student to check for it.
    for (const code of ["G3", "G5"]) {
      const check = county?.parts.guarantee.items.find((i) => i.code === code)?.schools.find((s) => s.schoolId === "z");
      expect(check?.status).toBe("not_applicable");
    }
    expect(county?.parts.quality.items.find((i) => i.code === "Q4")?.schools.find((s) => s.schoolId === "z")?.status).toBe("not_applicable");
  });
});

describe("a 九年一贯制 school with 0 初中 students", () => {
  const school = schoolOfType(
    "n",
    "nine_year",
    { primary: 1000, junior: 0, senior: 0 },
    { name: "一贯制学校", sections: { primary: staffAt(1000), junior: staffAt(300, "junior") }, facilities: facilitiesAt(1000) },
  );
  it("has one 小学部 unit that takes all the shared resources, and says the 初中 teachers count for no unit", () => {
    const r = evaluateResources([school], R, D);
    expect(r.units.map((u) => u.unitId)).toEqual(["n:primary"]);
    expect(r.units[0]?.share).toBe(1);
    expect(r.units[0]?.indicators.L4.value).toBe(4.5);
    expect(r.excluded[0]?.level).toBe("junior");
    expect(r.excluded[0]?.reason).toBe(
      "一贯制学校（初中部）在校生为0，不构成资源配置单位，不参与7项指标和差异系数计算；填报的初中部专任教师 36 人不计入任何单位（L1–L3 按学段计算，如实际在其他学段任教，请填入该学段）；全校共用的校舍与装备全部计入另一学段",
    );
  });
});
