import { describe, expect, it } from "vitest";
import { createKeys } from "../keys";
import { scopeKey, signLink, verifyLink, type LinkScope } from "./link-token";

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
