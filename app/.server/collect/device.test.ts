import { describe, expect, it } from "vitest";
import { childRespondentKeys, deviceHash, newDeviceCookie, readCookie, readDeviceId, respondentKey } from "./device";
import { createKeys } from "../keys";

const keys = createKeys({ signing: "a".repeat(43), deviceSalt: "s".repeat(43) });

describe("device cookie", () => {
  it("is httpOnly, SameSite=Lax, Secure when asked, and reads back", () => {
    const { deviceId, setCookie } = newDeviceCookie(keys, true);
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Lax/);
    expect(setCookie).toMatch(/Secure/);
    expect(newDeviceCookie(keys, false).setCookie).not.toMatch(/Secure/);
    const pair = setCookie.split(";")[0]!;
    expect(readDeviceId(keys, `foo=1; ${pair}; bar=2`)).toBe(deviceId);
  });

  it("rejects a cookie not signed by this server", () => {
    const { setCookie } = newDeviceCookie(keys, false);
    const value = setCookie.split(";")[0]!.split("=")[1]!;
    const [id] = value.split(".");
    expect(readDeviceId(keys, `yz_did=${id}.AAAAAAAAAAAAAAAAAAAAAA`)).toBeNull();
    const other = createKeys({ signing: "z".repeat(43), deviceSalt: "s".repeat(43) });
    expect(readDeviceId(other, `yz_did=${value}`)).toBeNull();
    expect(readDeviceId(keys, null)).toBeNull();
    expect(readDeviceId(keys, "yz_did=")).toBeNull();
  });

  it("stores only keyed hashes: per device, and per device × link", () => {
    const a = deviceHash(keys, "device-a");
    expect(a).toMatch(/^[0-9a-f]{32}$/);
    expect(a).toBe(deviceHash(keys, "device-a"));
    expect(a).not.toBe(deviceHash(keys, "device-b"));
    expect(respondentKey(keys, "device-a", "link-1")).not.toBe(respondentKey(keys, "device-a", "link-2"));
    // The first child's key is the key every response had before ordinals (decision 0027).
    expect(respondentKey(keys, "device-a", "link-1", 1)).toBe(respondentKey(keys, "device-a", "link-1"));
    const children = childRespondentKeys(keys, "device-a", "link-1", 3);
    expect(children[0]).toBe(respondentKey(keys, "device-a", "link-1"));
    expect(new Set(children).size).toBe(3);
    expect(children[1]).toBe(respondentKey(keys, "device-a", "link-1", 2));
    expect(children[1]).not.toBe(respondentKey(keys, "device-b", "link-1", 2));
    const resalted = createKeys({ signing: "a".repeat(43), deviceSalt: "t".repeat(43) });
    expect(deviceHash(resalted, "device-a")).not.toBe(a);
  });

  it("parses cookie headers defensively", () => {
    expect(readCookie("a=1; b=2", "b")).toBe("2");
    expect(readCookie("a=1;b", "b")).toBeNull();
    expect(readCookie(`a=${"x".repeat(300)}`, "a")).toBeNull();
  });
});
