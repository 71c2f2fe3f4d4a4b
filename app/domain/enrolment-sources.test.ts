import { describe, expect, it } from "vitest";
import { checkEnrolment, coverageEnrolmentNote, readinessEnrolmentNote } from "./enrolment-sources";

const school = (id: string, primary: number, junior = 0) => ({ id, name: `${id}学校`, students: { primary, junior, senior: 0 } });

describe("在校生 in the school list and in the evaluation data", () => {
  it("names the schools that differ, with both figures, and the schools the data lacks", () => {
    const check = checkEnrolment(
      [school("a", 240), school("b", 100, 50), school("c", 80), school("new", 60)],
      [school("a", 230), school("b", 100, 50), school("c", 70, 10)],
    );
    expect(check).toEqual({
      differences: [
        { id: "a", name: "a学校", list: 240, data: 230, listLevels: "小学 240 人", dataLevels: "小学 230 人" },
        // Same total, different levels: the indicators differ, so it is named too, by level.
        { id: "c", name: "c学校", list: 80, data: 80, listLevels: "小学 80 人", dataLevels: "小学 70 人、初中 10 人" },
      ],
      notInData: [{ id: "new", name: "new学校" }],
    });
    const first = check.differences[0];
    if (!first) throw new Error("no difference");
    expect(coverageEnrolmentNote(first)).toBe("达标评估按评估数据为 230 人");
    expect(readinessEnrolmentNote(first)).toBe("a学校：评估数据 230 人，学校名单 240 人");
    const byLevel = check.differences[1];
    if (!byLevel) throw new Error("no second difference");
    expect(coverageEnrolmentNote(byLevel)).toBe("达标评估按评估数据为 小学 70 人、初中 10 人");
    expect(readinessEnrolmentNote(byLevel)).toBe("c学校：评估数据 小学 70 人、初中 10 人，学校名单 小学 80 人");
  });

  it("compares nothing without evaluation data, and finds nothing when the two agree", () => {
    expect(checkEnrolment([school("a", 240)], null)).toEqual({ differences: [], notInData: [] });
    expect(checkEnrolment([school("a", 240)], [school("a", 240), school("extra", 5)])).toEqual({ differences: [], notInData: [] });
  });
});
