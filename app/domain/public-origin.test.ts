import { describe, expect, it } from "vitest";
import { hostKind, publicOriginProblem } from "./public-origin";

describe("publicOriginProblem", () => {
  it("is null for an https origin on a public host", () => {
    expect(publicOriginProblem("https://survey.zwjy.gov.cn")).toBeNull();
    expect(publicOriginProblem("https://8.8.8.8:8443")).toBeNull();
  });

  it("names the loopback origin the server falls back to when PUBLIC_URL is unset", () => {
    const p = publicOriginProblem("http://localhost:3000");
    expect(p).toEqual({
      level: "loopback",
      origin: "http://localhost:3000",
      message: "链接指向本机地址（http://localhost:3000），家长手机无法打开。请管理员设置 PUBLIC_URL 为正式的 https 地址。",
    });
  });

  it("treats every loopback spelling as loopback, even over https", () => {
    for (const u of [
      "http://127.0.0.1:5173",
      "https://localhost",
      "http://127.8.9.10",
      "http://[::1]:3000",
      "http://0.0.0.0:3000",
      "http://app.localhost",
      "http://[::ffff:127.0.0.1]",
      "http://LOCALHOST.",
    ]) {
      expect(publicOriginProblem(u)?.level, u).toBe("loopback");
    }
  });

  it("tells intranet addresses apart from loopback", () => {
    for (const u of [
      "http://192.168.1.20:3000",
      "https://10.0.0.5",
      "http://172.16.0.1",
      "http://172.31.255.255",
      "http://169.254.1.1",
      "http://[fd00::1]",
      "http://[fe80::1]",
    ]) {
      expect(publicOriginProblem(u)?.level, u).toBe("private");
    }
    expect(hostKind("172.32.0.1")).toBe("public");
    expect(hostKind("172.15.0.1")).toBe("public");
    expect(hostKind("11.0.0.1")).toBe("public");
  });

  it("gives a softer warning for plain http on a public host", () => {
    const p = publicOriginProblem("http://survey.zwjy.gov.cn");
    expect(p?.level).toBe("insecure");
    expect(p?.message).toContain("http://survey.zwjy.gov.cn");
    expect(p?.message).not.toContain("无法打开");
  });

  it("does not mistake a host that merely contains 'localhost' or '127' for loopback", () => {
    expect(publicOriginProblem("https://localhost.example.cn")).toBeNull();
    expect(publicOriginProblem("https://127.example.cn")).toBeNull();
    expect(hostKind("1270.0.0.1")).toBe("public");
  });

  it("reports an unparsable URL as unusable", () => {
    expect(publicOriginProblem("not a url")?.level).toBe("loopback");
  });
});
