import { describe, expect, it } from "vitest";
import { createKeys } from "../keys";
import { scopeKey, type LinkScope } from "./link-token";
import { MAX_STARTED_AGE_MS, renewStarted, signStarted, verifyStarted } from "./started-token";

const keys = createKeys({ signing: "a".repeat(43), deviceSalt: "s".repeat(43) });
const other = createKeys({ signing: "b".repeat(43), deviceSalt: "s".repeat(43) });
const scope: LinkScope = { campaignId: "zw2026", countyId: "640521", schoolId: "zn07", questionnaireId: "student" };
const key = scopeKey(scope);
const now = Date.UTC(2026, 2, 10);
const HOUR = 3_600_000;
const LIFETIME = 4 * HOUR;
const phone = { scopeKey: key, deviceId: "AAAAAAAAAAAAAAAAAAAAAA" };
const otherPhone = { scopeKey: key, deviceId: "BBBBBBBBBBBBBBBBBBBBBB" };

/** The token format before tokens were bound to devices (still on phones at the upgrade). */
function legacyToken(ms: number): string {
  return `${ms.toString(36)}.${keys.sign("started", `${key}\n${ms}`)}`;
}

describe("start tokens bound to the device", () => {
  it("round-trip on the device and link they were minted for: fresh, bound, unmarked", () => {
    const token = signStarted(keys, phone, now - 5000);
    expect(verifyStarted(keys, phone, token, now, LIFETIME)).toEqual({ startedAt: now - 5000, stale: false, foreign: false, marks: [] });
  });

  it("carry the page's device_burst mark, which cannot be removed", () => {
    const token = signStarted(keys, phone, now - 5000, ["d"]);
    expect(verifyStarted(keys, phone, token, now, LIFETIME)?.marks).toEqual(["d"]);
    const [ms, tag, , sig] = token.split(".");
    expect(verifyStarted(keys, phone, `${ms}.${tag}.0.${sig}`, now, LIFETIME)).toBeNull();
  });

  it("presented by another device: accepted with its start time, flagged foreign", () => {
    const token = signStarted(keys, phone, now - 60_000, ["d"]);
    // A foreign token's marks are not the presenting device's.
    expect(verifyStarted(keys, otherPhone, token, now, LIFETIME)).toEqual({ startedAt: now - 60_000, stale: false, foreign: true, marks: [] });
  });

  it("older than the lifetime: accepted, stale; one millisecond inside it: fresh", () => {
    expect(verifyStarted(keys, phone, signStarted(keys, phone, now - LIFETIME - 1), now, LIFETIME)?.stale).toBe(true);
    expect(verifyStarted(keys, phone, signStarted(keys, phone, now - LIFETIME), now, LIFETIME)?.stale).toBe(false);
  });

  it("renewed by a later page load on the same device: the draft's start time, fresh", () => {
    const draft = signStarted(keys, phone, now - 30 * HOUR);
    const page = signStarted(keys, phone, now - 10 * 60_000);
    const field = renewStarted(draft, page);
    expect(field).toBe(`${draft}~${page}`);
    expect(verifyStarted(keys, phone, field, now, LIFETIME)).toEqual({ startedAt: now - 30 * HOUR, stale: false, foreign: false, marks: [] });
    // Renewing again replaces the renewal instead of chaining.
    const later = signStarted(keys, phone, now);
    expect(renewStarted(field, later)).toBe(`${draft}~${later}`);
    expect(renewStarted("", later)).toBe(later);
    expect(renewStarted(later, later)).toBe(later);
  });

  it("a renewal from another device does not refresh a stale token, nor does a fresh one make a foreign start bound", () => {
    const draft = signStarted(keys, phone, now - 30 * HOUR);
    const strangers = signStarted(keys, otherPhone, now);
    expect(verifyStarted(keys, phone, `${draft}~${strangers}`, now, LIFETIME)).toMatchObject({ stale: true, foreign: false });
    // Harvested start (another device, hours old) + a fresh page of this device: still foreign.
    const harvested = signStarted(keys, otherPhone, now - 2 * HOUR);
    const mine = signStarted(keys, phone, now);
    expect(verifyStarted(keys, phone, `${harvested}~${mine}`, now, LIFETIME)).toEqual({ startedAt: now - 2 * HOUR, stale: false, foreign: true, marks: [] });
  });

  it("of the format before binding: accepted, foreign (and stale past the lifetime)", () => {
    expect(verifyStarted(keys, phone, legacyToken(now - 60_000), now, LIFETIME)).toEqual({ startedAt: now - 60_000, stale: false, foreign: true, marks: [] });
    expect(verifyStarted(keys, phone, legacyToken(now - 5 * HOUR), now, LIFETIME)?.stale).toBe(true);
  });

  it("refuse forged, another link's, another secret's, future, too old and malformed tokens", () => {
    const token = signStarted(keys, phone, now);
    const [ms, tag, marks, sig] = token.split(".");
    expect(verifyStarted(keys, phone, `${(Number.parseInt(ms ?? "", 36) - 1000).toString(36)}.${tag}.${marks}.${sig}`, now, LIFETIME)).toBeNull();
    expect(verifyStarted(keys, phone, `${ms}.BBBBBBBB.${marks}.${sig}`, now, LIFETIME)).toBeNull();
    expect(verifyStarted(keys, { ...phone, scopeKey: scopeKey({ ...scope, schoolId: "zn01" }) }, token, now, LIFETIME)).toBeNull();
    expect(verifyStarted(other, phone, token, now, LIFETIME)).toBeNull();
    expect(verifyStarted(keys, phone, signStarted(keys, phone, now + 10 * 60_000), now, LIFETIME)).toBeNull();
    expect(verifyStarted(keys, phone, signStarted(keys, phone, now - MAX_STARTED_AGE_MS - 1), now, LIFETIME)).toBeNull();
    expect(verifyStarted(keys, phone, `${token}~garbage`, now, LIFETIME)).toBeNull();
    expect(verifyStarted(keys, phone, `${token}~${token}~${token}`, now, LIFETIME)).toBeNull();
    expect(verifyStarted(keys, phone, "garbage", now, LIFETIME)).toBeNull();
    expect(verifyStarted(keys, phone, "", now, LIFETIME)).toBeNull();
  });
});
