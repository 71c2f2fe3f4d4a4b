import { describe, expect, it } from "vitest";
import { clientAddress } from "./client-address";

const headers = (h: Record<string, string>) => ({ get: (name: string) => h[name.toLowerCase()] ?? null });

describe("client address", () => {
  it("is the socket peer by default, whatever headers say", () => {
    expect(clientAddress("10.0.0.5", headers({ "x-forwarded-for": "1.2.3.4", "x-real-ip": "1.2.3.4" }), null)).toBe("10.0.0.5");
  });

  it("uses the one configured proxy header when it holds an address", () => {
    expect(clientAddress("10.0.0.5", headers({ "x-real-ip": "198.51.100.9" }), "x-real-ip")).toBe("198.51.100.9");
    expect(clientAddress("10.0.0.5", headers({ "x-real-ip": "1.2.3.4, 5.6.7.8" }), "x-real-ip")).toBe("10.0.0.5");
    expect(clientAddress("10.0.0.5", headers({}), "x-real-ip")).toBe("10.0.0.5");
  });

  it("treats IPv4-mapped IPv6 as the IPv4 address", () => {
    expect(clientAddress("::ffff:192.0.2.1", headers({}), null)).toBe("192.0.2.1");
  });
});
