import { describe, expect, it } from "vitest";
import { inputOf, primarySchool, schoolOfType, staffAt } from "./test-helpers";
import { validateInputSemantics } from "./validate-input";

describe("cross-record checks", () => {
  it("accepts a consistent input", () => {
    expect(validateInputSemantics(inputOf([primarySchool("a", 1000)]))).toEqual([]);
  });
  it("finds impossible and inconsistent values", () => {
    const issues = validateInputSemantics(
      inputOf([
        primarySchool("a", 1000, { students: { primary: 1000, junior: 5, senior: 0 } }),
        primarySchool("b", 1000, { sections: { primary: { ...staffAt(1000), keyTeachers: 999 } } }),
        primarySchool("c", 90, {
          classes: [
            { grade: 1, students: 45 },
            { grade: 2, students: 44 },
          ],
        }),
        schoolOfType("d", "junior", { primary: 0, junior: 300, senior: 0 }, { classes: [{ grade: 3, students: 300 }] }),
        primarySchool("a", 10, { countyId: "C9" }),
      ]),
    );
    const messages = issues.map((i) => i.message);
    expect(messages).toContain("小学不应有初中在校生");
    expect(messages).toContain("县级以上骨干教师数（999）多于专任教师数（62）");
    expect(messages).toContain("小学各班学生数合计 89 人，与小学在校生数 90 人不一致");
    expect(messages).toContain("初中没有三年级");
    expect(messages).toContain("学校 a（学校a）同时属于 C1 和 C9 两个县（区）");
    expect(messages).toContain("所属县（区）代码 C9 不在县（区）表中");
  });
});
