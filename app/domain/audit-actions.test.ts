import { describe, expect, it } from "vitest";
import { auditActionLabel, describeAuditDetail } from "./audit-actions";

describe("audit log wording", () => {
  it("names actions and their particulars in Chinese", () => {
    expect(auditActionLabel("response_invalidated")).toBe("标记问卷无效");
    expect(auditActionLabel("something_new")).toBe("something_new");
    expect(describeAuditDetail({ reason: "所有题目选择同一选项", schoolId: "zn08", raw: true, skipped: null })).toBe(
      "原因：所有题目选择同一选项；学校：zn08；原始答卷：是",
    );
  });

  it("names a role in Chinese, not by its code (issue 20 item 4)", () => {
    expect(describeAuditDetail({ role: "city" })).toBe("角色：市教育局");
    expect(describeAuditDetail({ role: "county", schoolId: "zn01" })).toBe("角色：县（区）教育局；学校：zn01");
    expect(describeAuditDetail({ role: "school" })).toBe("角色：学校联络人");
    // Only under the role key: a school whose id happens to be "city" stays as it is.
    expect(describeAuditDetail({ schoolId: "city" })).toBe("学校：city");
  });
});
