import { describe, expect, it } from "vitest";
import { estimateMinutes, FALLBACK_MINUTES, invitationAudience, invitationText, questionKinds } from "./invitation";

const URL_ = "https://survey.zwjy.gov.cn/s/MX56dzIwMjZ-NjQwNTIxfnpuMDF-c29jaWFs.abc";

describe("estimateMinutes", () => {
  it("is ⌈(12 s × choice + 30 s × text) / 60⌉", () => {
    expect(estimateMinutes({ choice: 14, text: 2 })).toBe(4); // 168 + 60 = 228 s
    expect(estimateMinutes({ choice: 15, text: 0 })).toBe(3); // 180 s exactly
    expect(estimateMinutes({ choice: 16, text: 0 })).toBe(4); // 192 s
  });
  it("counts choice and open questions of a definition", () => {
    expect(questionKinds([{ kind: "choice" }, { kind: "text" }, { kind: "choice" }])).toEqual({ choice: 2, text: 1 });
    expect(estimateMinutes(questionKinds([]))).toBe(2);
  });
  it("says at least 2 minutes, and the documented fallback without a definition", () => {
    expect(estimateMinutes({ choice: 1, text: 0 })).toBe(2);
    expect(estimateMinutes({ choice: 0, text: 0 })).toBe(2);
    expect(estimateMinutes(null)).toBe(FALLBACK_MINUTES);
  });
});

describe("invitationAudience", () => {
  it("maps a school's 社会卷 to 家长 and the county's to the public", () => {
    expect(invitationAudience("social", true)).toBe("parent");
    expect(invitationAudience("staff", true)).toBe("staff");
    expect(invitationAudience("student", true)).toBe("student");
    expect(invitationAudience("social", false)).toBe("county");
  });
});

describe("invitationText", () => {
  const parent = invitationText({
    audience: "parent",
    countyName: "中宁县",
    schoolName: "中宁县第一小学",
    minutes: 4,
    deadline: "2026年3月31日 23:59",
    url: URL_,
  });

  it("says who, why, anonymous, how long, by when, and ends the link on its own line", () => {
    expect(parent).toBe(
      [
        "【满意度调查通知】",
        "各位家长：",
        "为做好县域义务教育优质均衡发展督导评估工作，中宁县教育局开展义务教育满意度调查，邀请中宁县第一小学的家长参加。",
        "问卷匿名填写，不记录姓名、电话，约需4分钟，每台手机只需提交一次。",
        "请于2026年3月31日 23:59前点击下面的链接填写：",
        URL_,
        "感谢您的支持！",
      ].join("\n"),
    );
  });

  it("addresses each audience by its own name", () => {
    const staff = invitationText({ audience: "staff", countyName: "中宁县", schoolName: "中宁县第一小学", minutes: 3, deadline: null, url: URL_ });
    expect(staff).toContain("各位老师：");
    expect(staff).toContain("邀请中宁县第一小学的教师参加");
    const student = invitationText({ audience: "student", countyName: "中宁县", schoolName: "中宁县第一小学", minutes: 3, deadline: null, url: URL_ });
    expect(student).toContain("各位同学：");
    expect(student).toContain("三年级及以上学生");
    expect(student).toContain("请家长帮忙读题");
    const county = invitationText({ audience: "county", countyName: "沙坡头区", schoolName: null, minutes: 4, deadline: null, url: URL_ });
    expect(county).toContain("沙坡头区教育局");
    expect(county).toContain("人大代表、政协委员");
    expect(county).not.toContain("null");
  });

  it("leaves the deadline out when the campaign has none", () => {
    const t = invitationText({ audience: "parent", countyName: "中宁县", schoolName: "中宁县第一小学", minutes: 4, deadline: null, url: URL_ });
    expect(t).toContain("请点击下面的链接填写：");
    expect(t).not.toContain("请于");
  });
});
