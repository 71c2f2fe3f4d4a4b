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
});
