import { describe, expect, it } from "vitest";
import { auditActionLabel, describeAuditDetail } from "./audit-actions";

describe("audit log wording", () => {
  it("names actions and their particulars in Chinese", () => {
    expect(auditActionLabel("response_invalidated")).toBe("标记问卷无效");
    expect(auditActionLabel("something_new")).toBe("something_new");
    expect(describeAuditDetail({ reason: "所有题目选择同一选项", schoolId: "zn08", raw: true, skipped: null })).toBe("原因：所有题目选择同一选项；学校：zn08；原始答卷：是");
  });
});
