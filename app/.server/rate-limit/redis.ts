/**
 * @upstash/ratelimit on a self-hosted Redis (how a bureau deploys on its own servers).
 *
 * The library talks to an @upstash/redis client. Rather than imitate that client's surface, we
 * give it a real one: `new Redis(requester)` with a `Requester` that sends each command over
 * one ioredis connection instead of HTTPS. The requester is also where stock Redis is made to
 * accept what the library sends (docs/rate-limiting.md, ../shared/STACK.md trap 2):
 *
 * - every Lua script starts with `#!lua flags=allow-key-locking`, an Upstash-only flag that
 *   Redis 7 refuses (`ERR Unexpected flag in script shebang`). The line is turned into a Lua
 *   comment (so line numbers in error messages stay right) and the script runs in plain EVAL
 *   mode, which every Redis since 2.6 accepts;
 * - the library calls EVALSHA with hard-coded SHA1s of the scripts *as shipped*; we remember the
 *   SHA1 of each rewritten script and send that one instead;
 * - a NOSCRIPT answer (after `SCRIPT FLUSH`, a restart, or a fail-over to an empty replica) is
 *   answered by sending the rewritten script again with EVAL, which also reloads it;
 * - null/undefined arguments become "" (Redis has no null argument).
 *
 * The connection is tuned to fail fast, never to queue: when Redis is not connected a command is
 * refused at once, so the fallback limiter (fallback.ts) takes over immediately instead of
 * waiting out a timeout.
 */
import { createHash } from "node:crypto";
import { Redis as UpstashRedis, type Requester, type UpstashRequest, type UpstashResponse } from "@upstash/redis";
import { Redis as IORedis, type RedisOptions } from "ioredis";
import type { Logger } from "../log";

/** A shebang line (`#!lua …`) as the first line of a script. */
const SHEBANG = /^#![^\n]*(\n|$)/;
const SCRIPT_COMMANDS = new Set(["eval", "eval_ro"]);
const SHA_COMMANDS = new Set(["evalsha", "evalsha_ro"]);

function sha1(text: string): string {
  return createHash("sha1").update(text).digest("hex");
}

/**
 * The script as stock Redis accepts it: the shebang (whose flags Redis 7 may not know) becomes a
 * comment. Scripts without a shebang are returned unchanged.
 */
export function stockRedisScript(script: string): string {
  const match = SHEBANG.exec(script);
  if (!match) return script;
  return `-- ${match[0].trim()} (Upstash-only flags; removed for stock Redis)\n${script.slice(match[0].length)}`;
}

interface KnownScript {
  /** The script as sent to Redis (shebang removed). */
  body: string;
  /** SHA1 of `body`: what EVALSHA must name on stock Redis. */
  sha: string;
}

/** Remembers, by the SHA1 of the script as shipped, the rewritten script and its own SHA1. */
export class ScriptRegistry {
  private readonly byOriginalSha = new Map<string, KnownScript>();

  /** Registers a script as the library sends it with EVAL; returns what Redis should run. */
  register(original: string): KnownScript {
    const originalSha = sha1(original);
    let known = this.byOriginalSha.get(originalSha);
    if (!known) {
      const body = stockRedisScript(original);
      known = { body, sha: body === original ? originalSha : sha1(body) };
      this.byOriginalSha.set(originalSha, known);
    }
    return known;
  }

  lookup(originalSha: string): KnownScript | undefined {
    return this.byOriginalSha.get(originalSha.toLowerCase());
  }
}

type Arg = string | number | Buffer;

function toArg(value: unknown): Arg {
  if (value === null || value === undefined) return "";
  if (typeof value === "string" || typeof value === "number" || Buffer.isBuffer(value)) return value;
  if (typeof value === "boolean" || typeof value === "bigint") return String(value);
  return JSON.stringify(value);
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Whether `error` is a reply from Redis (as opposed to a connection or timeout failure). */
function isReplyError(error: unknown): boolean {
  return error instanceof Error && error.name === "ReplyError";
}

/**
 * Runs one command (as @upstash/redis serializes it: name first, then arguments) on `client`,
 * rewriting scripts for stock Redis. Redis error replies are thrown as they come.
 */
export async function runCommand(client: IORedis, scripts: ScriptRegistry, command: readonly unknown[]): Promise<unknown> {
  const [rawName, ...rest] = command;
  const name = String(rawName).toLowerCase();
  const args = rest.map(toArg);

  if (SCRIPT_COMMANDS.has(name)) {
    const [script, ...scriptArgs] = args;
    const known = scripts.register(String(script ?? ""));
    return client.call(name, [known.body, ...scriptArgs]);
  }
  if (SHA_COMMANDS.has(name)) {
    const [sha, ...scriptArgs] = args;
    const known = scripts.lookup(String(sha ?? ""));
    // Unknown script: ask Redis as is. If it has never seen it, the NOSCRIPT reply goes back to
    // the library, which then sends the script with EVAL and we learn it.
    if (!known) return client.call(name, args);
    try {
      return await client.call(name, [known.sha, ...scriptArgs]);
    } catch (error) {
      if (!isReplyError(error) || !errorMessage(error).includes("NOSCRIPT")) throw error;
      // The script cache was flushed (SCRIPT FLUSH, restart): EVAL runs and reloads it.
      return client.call(name === "evalsha_ro" ? "eval_ro" : "eval", [known.body, ...scriptArgs]);
    }
  }
  return client.call(name, args);
}

/**
 * A @upstash/redis `Requester` backed by ioredis. Redis error replies are returned as
 * `{ error }`, as the Upstash REST API does; connection failures and timeouts are thrown.
 */
export function ioredisRequester(client: IORedis, options: { scripts?: ScriptRegistry; waitForFirstConnection?: boolean } = {}): Requester {
  const scripts = options.scripts ?? new ScriptRegistry();
  async function single(command: unknown): Promise<UpstashResponse<unknown>> {
    if (!Array.isArray(command)) return { error: "ERR a command is an array of strings" };
    try {
      return { result: await runCommand(client, scripts, command) };
    } catch (error) {
      if (isReplyError(error)) return { error: errorMessage(error) };
      throw error;
    }
  }

  // The Requester interface is generic in the result type the caller expects; like the
  // library's own HTTP client, we return what Redis answered and the caller interprets it.
  function request<TResult = unknown>(req: UpstashRequest): Promise<UpstashResponse<TResult>>;
  async function request(req: UpstashRequest): Promise<unknown> {
    if (options.waitForFirstConnection) await whenConnected(client);
    const path = req.path ?? [];
    if (path[0] === "pipeline" || path[0] === "multi-exec") {
      const commands = Array.isArray(req.body) ? req.body : [];
      return Promise.all(commands.map((c) => single(c)));
    }
    return single(req.body);
  }

  return { request };
}

export interface RedisConnectionOptions {
  /** redis://[user:password@]host:port[/db] or rediss:// */
  url: string;
  log?: Logger;
  /**
   * Upper bound on a command that was sent and never answered (a hanging server), so that
   * unanswered commands do not pile up. The fallback answers long before this.
   */
  commandTimeoutMs?: number;
}

/**
 * One ioredis connection tuned for rate limiting: commands are refused at once while
 * disconnected (no offline queue, no retries of in-flight commands) and reconnection is retried
 * forever with a backoff capped at two seconds. Errors are logged, not thrown at the process.
 */
export function connectRedis(options: RedisConnectionOptions): IORedis {
  const settings: RedisOptions = {
    connectionName: "yz-rate-limit",
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    connectTimeout: 2_000,
    commandTimeout: options.commandTimeoutMs ?? 2_000,
    retryStrategy: (times) => Math.min(100 * 2 ** Math.min(times, 5), 2_000),
    // A replica promoted after a fail-over: reconnect rather than keep writing to a read-only one.
    reconnectOnError: (error) => error.message.startsWith("READONLY"),
  };
  const client = new IORedis(options.url, settings);
  // Without an "error" listener ioredis prints every reconnection failure to the console.
  let lastError = "";
  client.on("error", (error: unknown) => {
    const message = errorMessage(error);
    if (message === lastError) return;
    lastError = message;
    options.log?.warn("redis connection error", { error: message });
  });
  client.on("ready", () => {
    if (lastError !== "") options.log?.info("redis connection ready");
    lastError = "";
  });
  return client;
}

/**
 * Waits for a connection that is still being set up for the first time (so that the first
 * requests after boot do not count as an outage); fails at once when it is reconnecting or closed.
 */
export function whenConnected(client: IORedis): Promise<void> {
  if (client.status === "ready") return Promise.resolve();
  if (client.status !== "connecting" && client.status !== "connect") {
    return Promise.reject(new Error(`redis is not connected (${client.status})`));
  }
  return new Promise((resolve, reject) => {
    const onReady = () => {
      cleanup();
      resolve();
    };
    const onFail = (error?: unknown) => {
      cleanup();
      reject(error instanceof Error ? error : new Error("redis connection closed"));
    };
    const cleanup = () => {
      client.off("ready", onReady);
      client.off("error", onFail);
      client.off("close", onFail);
    };
    client.once("ready", onReady);
    client.once("error", onFail);
    client.once("close", onFail);
  });
}

/** An @upstash/redis client whose commands travel over `client` (ioredis) to a stock Redis. */
export function upstashRedisOverIoredis(client: IORedis, scripts = new ScriptRegistry()): UpstashRedis {
  return new UpstashRedis(ioredisRequester(client, { scripts, waitForFirstConnection: true }));
}
