/**
 * @upstash/ratelimit on stock Redis 7 through the ioredis adapter (app/.server/rate-limit/redis.ts):
 * why the adapter exists (Redis refuses the scripts as shipped), every single-region algorithm
 * of the library working through it, and surviving SCRIPT FLUSH (on a redis-server of the
 * test's own; the shared Redis is never flushed).
 */
import { createHash } from "node:crypto";
import { Ratelimit } from "@upstash/ratelimit";
import { Redis as IORedis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectRedis, runCommand, ScriptRegistry, stockRedisScript, upstashRedisOverIoredis } from "../../../app/.server/rate-limit/redis";
import { announceSkip, deleteUnder, keysUnder, NO_REDIS_REASON, REDIS_URL, uniquePrefix } from "./support/backends";
import { RedisServer, redisServerAvailable } from "./support/redis-server";

const UPSTASH_SHEBANG = "#!lua flags=allow-key-locking";

announceSkip("Redis adapter tests", NO_REDIS_REASON);

describe.skipIf(NO_REDIS_REASON !== null)("the ioredis adapter on the shared Redis", () => {
  let client: IORedis;
  let inspector: IORedis;
  const prefix = uniquePrefix("adapter");

  beforeAll(() => {
    client = connectRedis({ url: REDIS_URL ?? "" });
    inspector = new IORedis(REDIS_URL ?? "");
  });

  afterAll(async () => {
    await deleteUnder(inspector, prefix);
    await Promise.all([client.quit(), inspector.quit()]);
  });

  it("exists because stock Redis refuses the library's scripts as shipped (STACK.md trap 2)", async () => {
    await expect(inspector.eval(`${UPSTASH_SHEBANG}\nreturn 1`, 0)).rejects.toThrow(/Unexpected flag/);
    // The same script with the shebang turned into a comment runs.
    expect(await inspector.eval(stockRedisScript(`${UPSTASH_SHEBANG}\nreturn 1`), 0)).toBe(1);
    expect(stockRedisScript(`${UPSTASH_SHEBANG}\n  local x = 1`).split("\n")).toHaveLength(2);
    expect(stockRedisScript("return 2")).toBe("return 2");
  });

  it("maps the library's SHA1 to the rewritten script's, learning it from the first EVAL", async () => {
    const scripts = new ScriptRegistry();
    const original = `${UPSTASH_SHEBANG}\nreturn ARGV[1]`;
    const librarySha = createHash("sha1").update(original).digest("hex");
    // Unknown SHA: passed through, and Redis says NOSCRIPT (the library then sends EVAL).
    await expect(runCommand(client, scripts, ["evalsha", librarySha, 0, "a"])).rejects.toThrow(/NOSCRIPT/);
    expect(await runCommand(client, scripts, ["eval", original, 0, "b"])).toBe("b");
    expect(await runCommand(client, scripts, ["evalsha", librarySha, 0, "c"])).toBe("c");
    const known = scripts.lookup(librarySha);
    expect(known?.sha).not.toBe(librarySha);
    expect(await inspector.script("EXISTS", known?.sha ?? "")).toEqual([1]);
  });

  it("sends null and undefined arguments as empty strings", async () => {
    expect(await runCommand(client, new ScriptRegistry(), ["eval", "return {ARGV[1], ARGV[2], ARGV[3]}", 0, null, undefined, 7])).toEqual(["", "", "7"]);
  });

  it("runs every single-region algorithm of the library: fixed window, sliding window, token bucket", async () => {
    const redis = upstashRedisOverIoredis(client);
    const make = (name: string, limiter: ConstructorParameters<typeof Ratelimit>[0]["limiter"]) =>
      new Ratelimit({ redis, limiter, prefix: `${prefix}:${name}`, timeout: 0, analytics: false, ephemeralCache: false });
    const limiters = {
      fixed: make("fixed", Ratelimit.fixedWindow(3, "60 s")),
      sliding: make("sliding", Ratelimit.slidingWindow(3, "60 s")),
      bucket: make("bucket", Ratelimit.tokenBucket(1, "60 s", 3)),
    };
    for (const [name, rl] of Object.entries(limiters)) {
      const results = [];
      for (let i = 0; i < 4; i++) results.push(await rl.limit("id"));
      expect(
        results.map((r) => r.success),
        name,
      ).toEqual([true, true, true, false]);
      expect(results[3]?.reason, name).toBeUndefined();
      expect((await rl.getRemaining("id")).remaining, name).toBe(0);
      await rl.resetUsedTokens("id");
      expect((await rl.getRemaining("id")).remaining, name).toBe(3);
      expect((await rl.limit("id")).success, name).toBe(true);
    }
    for (const { key, pttl } of await keysUnder(inspector, prefix)) expect(pttl, key).toBeGreaterThan(0);
  });
});

const OWN_SERVER_REASON = NO_REDIS_REASON ?? (redisServerAvailable() ? null : "redis-server is not on PATH");
announceSkip("SCRIPT FLUSH test on an own redis-server", OWN_SERVER_REASON);

describe.skipIf(OWN_SERVER_REASON !== null)("the ioredis adapter on a redis-server of the test's own", () => {
  let server: RedisServer;

  beforeAll(async () => {
    server = await RedisServer.start();
  });

  afterAll(async () => {
    await server.stop();
  });

  it("survives SCRIPT FLUSH: NOSCRIPT is answered by sending the script again", async () => {
    const client = connectRedis({ url: server.url });
    const rl = new Ratelimit({
      redis: upstashRedisOverIoredis(client),
      limiter: Ratelimit.slidingWindow(5, "60 s"),
      prefix: "flush",
      timeout: 0,
      analytics: false,
    });
    try {
      expect((await rl.limit("id")).remaining).toBe(4);
      expect(await server.command("SCRIPT FLUSH")).toBe("+OK");
      expect((await rl.limit("id")).remaining).toBe(3);
      expect(await server.command("SCRIPT FLUSH")).toBe("+OK");
      const burst = await Promise.all(Array.from({ length: 10 }, () => rl.limit("id")));
      expect(burst.filter((r) => r.success)).toHaveLength(3);
    } finally {
      await client.quit();
    }
  });
});
