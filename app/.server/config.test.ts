import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "./config";

describe("configuration", () => {
  it("defaults to the embedded store and in-process limiter", () => {
    const c = loadConfig({}, "/srv/app");
    expect(c.store).toEqual({ kind: "sqlite", file: "/srv/app/data/survey.sqlite", synchronous: "FULL", groupCommit: true });
    expect(c.rateLimit).toEqual({ backend: "memory" });
    expect(c.port).toBe(3000);
    expect(c.publicUrl).toBe("http://localhost:3000");
    expect(c.secureCookies).toBe(false);
  });

  it("never switches store or limiter because a URL happens to be set", () => {
    const c = loadConfig({ DATABASE_URL: "postgres://x@localhost/db", REDIS_URL: "redis://localhost:6379" });
    expect(c.store.kind).toBe("sqlite");
    expect(c.rateLimit.backend).toBe("memory");
  });

  it("honours explicit choices and requires their URLs", () => {
    const secrets = { SIGNING_SECRET: "s".repeat(32), DEVICE_SALT: "d".repeat(32) };
    expect(loadConfig({ STORE: "postgres", DATABASE_URL: "postgres://u@h/db", ...secrets }).store).toEqual({
      kind: "postgres",
      url: "postgres://u@h/db",
      poolSize: 10,
    });
    expect(() => loadConfig({ STORE: "postgres", ...secrets })).toThrow(ConfigError);
    // Secrets generated per DATA_DIR would differ between instances sharing the database.
    expect(() => loadConfig({ STORE: "postgres", DATABASE_URL: "postgres://u@h/db" })).toThrow(/SIGNING_SECRET and DEVICE_SALT/);
    expect(() => loadConfig({ STORE: "postgres", DATABASE_URL: "postgres://u@h/db", SIGNING_SECRET: secrets.SIGNING_SECRET })).toThrow(/DEVICE_SALT/);
    expect(() => loadConfig({ RATE_LIMIT_BACKEND: "redis" })).toThrow(/REDIS_URL/);
    expect(() => loadConfig({ RATE_LIMIT_BACKEND: "upstash", UPSTASH_REDIS_REST_URL: "https://x" })).toThrow(/UPSTASH/);
  });

  it("fails the boot with a message naming the bad variable", () => {
    expect(() => loadConfig({ PORT: "eighty" })).toThrow(/PORT/);
    expect(() => loadConfig({ STORE: "mysql" })).toThrow(/STORE/);
    expect(() => loadConfig({ PUBLIC_URL: "survey.example" })).toThrow(/PUBLIC_URL/);
    expect(() => loadConfig({ SIGNING_SECRET: "short" })).toThrow(/SIGNING_SECRET/);
    expect(() => loadConfig({ TRUST_PROXY: "X-Real-IP, X-Forwarded-For" })).toThrow(/TRUST_PROXY/);
  });

  it("uses https public origins for Secure cookies and strips trailing slashes", () => {
    const c = loadConfig({ PUBLIC_URL: "https://survey.zwedu.gov.cn/" });
    expect(c.publicUrl).toBe("https://survey.zwedu.gov.cn");
    expect(c.secureCookies).toBe(true);
  });

  it("takes the pages' contact line and ICP 备案 number when set, and shows nothing when not", () => {
    expect(loadConfig({}).footer).toEqual({ contact: null, icpBeian: null });
    expect(loadConfig({ SUPPORT_CONTACT: " ", ICP_BEIAN: "" }).footer).toEqual({ contact: null, icpBeian: null });
    const c = loadConfig({ SUPPORT_CONTACT: " 沙坡头区教育局督导室 0955-7012345 ", ICP_BEIAN: "宁ICP备12345678号-1" });
    expect(c.footer).toEqual({ contact: "沙坡头区教育局督导室 0955-7012345", icpBeian: "宁ICP备12345678号-1" });
    expect(loadConfig({ ICP_BEIAN: "京ICP备2021012345号" }).footer.icpBeian).toBe("京ICP备2021012345号");
    expect(() => loadConfig({ ICP_BEIAN: "ICP 12345" })).toThrow(/ICP_BEIAN must be the number as filed/);
    expect(() => loadConfig({ ICP_BEIAN: "宁ICP备12345678号-1<script>" })).toThrow(/ICP_BEIAN/);
    expect(() => loadConfig({ SUPPORT_CONTACT: "督导室\n0955" })).toThrow(/SUPPORT_CONTACT is one line/);
    expect(() => loadConfig({ SUPPORT_CONTACT: "<b>督导室</b>" })).toThrow(/SUPPORT_CONTACT/);
    expect(() => loadConfig({ SUPPORT_CONTACT: "督".repeat(81) })).toThrow(/SUPPORT_CONTACT is at most 80/);
  });
});
