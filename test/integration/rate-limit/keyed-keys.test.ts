/**
 * The limiter's keys in Redis are keyed hashes (app/.server/rate-limit/keyed.ts): a key cannot be
 * matched to a client address by hashing every address, and two deployments with different
 * secrets never share a key — while the same deployment (several instances, one secret) does.
 */
import { createHash } from "node:crypto";
import { Redis as IORedis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { checkLimits, type LimitCheck } from "../../../app/.server/rate-limit/policy";
import { makeTestServices, type TestServices } from "../../support/services";
import { announceSkip, deleteUnder, keysUnder, NO_REDIS_REASON, REDIS_URL, uniquePrefix } from "./support/backends";

announceSkip("rate-limit keys in Redis", NO_REDIS_REASON);

const opened: TestServices[] = [];
afterAll(async () => {
  for (const s of opened) await s.dispose();
});

describe.skipIf(!REDIS_URL)("rate-limit keys in Redis", () => {
  it("name no address: not the address, not its bare SHA-256; another deployment's secret gives other keys", async () => {
    const prefix = uniquePrefix("keyed");
    const inspector = new IORedis(REDIS_URL ?? "");
    try {
      const env = { RATE_LIMIT_BACKEND: "redis", REDIS_URL: REDIS_URL ?? "", RATE_LIMIT_KEY_PREFIX: prefix };
      const a = await makeTestServices({ env: { ...env, DEVICE_SALT: "a".repeat(43), SIGNING_SECRET: "s".repeat(43) } });
      const b = await makeTestServices({ env: { ...env, DEVICE_SALT: "b".repeat(43), SIGNING_SECRET: "s".repeat(43) } });
      opened.push(a, b);
      await a.limiter.ready?.();
      await b.limiter.ready?.();
      const address = "203.0.113.77";
      const check: LimitCheck = { tier: "submitAddress", identifier: address };
      await checkLimits(a.limiter, [check], a.now());
      await checkLimits(b.limiter, [check], b.now());
      const keys = (await keysUnder(inspector, prefix)).map((k) => k.key);
      expect(keys.length).toBeGreaterThanOrEqual(2);
      const bare = createHash("sha256").update(address).digest("base64url").slice(0, 22);
      const hex = createHash("sha256").update(address).digest("hex");
      for (const key of keys) {
        expect(key).not.toContain(address);
        expect(key).not.toContain(bare);
        expect(key).not.toContain(hex.slice(0, 16));
      }
      // Two secrets, two keys for the same address and tier.
      const tierKeys = keys.filter((k) => k.includes(check.tier));
      expect(new Set(tierKeys).size).toBe(tierKeys.length);
      expect(tierKeys.length).toBe(2);
    } finally {
      await deleteUnder(inspector, prefix);
      await inspector.quit();
    }
  });
});
