import { describe, expect, it } from "vitest";
import { createKeys } from "./keys";
import { scopeKey, signLink, verifyLink, type LinkScope } from "./link-token";
import { signStarted, verifyStarted, MAX_STARTED_AGE_MS } from "./started-token";

const keys = createKeys({ signing: "a".repeat(43), deviceSalt: "s".repeat(43) });
const other = createKeys({ signing: "b".repeat(43), deviceSalt: "s".repeat(43) });
const scope: LinkScope = { campaignId: "zw2026", countyId: "640521", schoolId: "zn07", questionnaireId: "student" };

describe("link tokens", () => {
  it("round-trip a school link and a county-level link", () => {
    expect(verifyLink(keys, signLink(keys, scope))).toEqual(scope);
    const county = { ...scope, schoolId: null, questionnaireId: "social" as const };
    expect(verifyLink(keys, signLink(keys, county))).toEqual(county);
  });

  it("are short enough for a coarse QR code", () => {
    expect(signLink(keys, scope).length).toBeLessThan(80);
  });

  it("reject every single-character change", () => {
    const token = signLink(keys, scope);
    for (let i = 0; i < token.length; i++) {
      for (const c of ["A", "z", "0", "-", "."]) {
        if (token[i] === c) continue;
        const tampered = token.slice(0, i) + c + token.slice(i + 1);
        expect(verifyLink(keys, tampered), `position ${i} → ${c}`).toBeNull();
      }
    }
  });

  it("reject a payload re-signed for another school, another secret, truncation and junk", () => {
    const token = signLink(keys, scope);
    const [, sig] = token.split(".");
    const forgedPayload = Buffer.from(scopeKey({ ...scope, schoolId: "zn01" })).toString("base64url");
    expect(verifyLink(keys, `${forgedPayload}.${sig}`)).toBeNull();
    expect(verifyLink(keys, signLink(other, scope))).toBeNull();
    expect(verifyLink(keys, token.slice(0, -1))).toBeNull();
    expect(verifyLink(keys, token.split(".")[0]!)).toBeNull();
    for (const junk of ["", ".", "..", "a.b", "%00", "x".repeat(500), `${token}.${sig}`]) {
      expect(verifyLink(keys, junk)).toBeNull();
    }
  });

  it("accept tokens signed with the previous secret during a rotation", () => {
    const rotated = createKeys({ signing: "c".repeat(43), signingPrevious: "a".repeat(43), deviceSalt: "s".repeat(43) });
    expect(verifyLink(rotated, signLink(keys, scope))).toEqual(scope);
    expect(verifyLink(keys, signLink(rotated, scope))).toBeNull();
  });

  it("refuse ids that cannot be carried safely", () => {
    expect(() => signLink(keys, { ...scope, schoolId: "a~b" })).toThrow();
    expect(() => signLink(keys, { ...scope, campaignId: "" })).toThrow();
  });
});

describe("signed start times", () => {
  const key = scopeKey(scope);
  const now = Date.UTC(2026, 2, 10);

  it("round-trip and are bound to the link", () => {
    const token = signStarted(keys, key, now - 5000);
    expect(verifyStarted(keys, key, token, now)).toBe(now - 5000);
    expect(verifyStarted(keys, scopeKey({ ...scope, schoolId: "zn01" }), token, now)).toBeNull();
    expect(verifyStarted(other, key, token, now)).toBeNull();
  });

  it("refuse forged, future and stale times", () => {
    const token = signStarted(keys, key, now);
    const [ms, sig] = token.split(".");
    expect(verifyStarted(keys, key, `${(Number.parseInt(ms!, 36) - 1000).toString(36)}.${sig}`, now)).toBeNull();
    expect(verifyStarted(keys, key, signStarted(keys, key, now + 10 * 60_000), now)).toBeNull();
    expect(verifyStarted(keys, key, signStarted(keys, key, now - MAX_STARTED_AGE_MS - 1), now)).toBeNull();
    expect(verifyStarted(keys, key, "garbage", now)).toBeNull();
  });
});
