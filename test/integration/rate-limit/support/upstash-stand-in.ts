/**
 * A small local stand-in for Upstash's REST API (there is no internet here), in front of a real
 * Redis. It speaks what @upstash/redis sends: `POST /` with a JSON command array, `POST
 * /pipeline` and `POST /multi-exec` with arrays of them, `Authorization: Bearer <token>`, and
 * `Upstash-Encoding: base64` (string results base64-encoded). Errors come back as
 * `{ "error": … }` — HTTP 400 for a single command, per command inside a pipeline — and a bad
 * token gets 401. Like Upstash it accepts the `#!lua flags=allow-key-locking` scripts (it runs
 * them on Redis through the same rewriting as the `redis` backend).
 *
 * `hang()` makes it accept requests and never answer, for the fault tests.
 */
import http from "node:http";
import { Redis as IORedis } from "ioredis";
import { ioredisRequester } from "../../../../app/.server/rate-limit/redis";

export interface UpstashStandIn {
  url: string;
  token: string;
  /** Commands received (pipelines count each command). */
  commands(): number;
  hang(): void;
  /** Answers new requests again (those received while hanging stay unanswered). */
  resume(): void;
  close(): Promise<void>;
}

function field(value: unknown, key: "result" | "error"): unknown {
  return typeof value === "object" && value !== null && key in value ? Reflect.get(value, key) : undefined;
}

function encode(value: unknown): unknown {
  if (typeof value === "string") return Buffer.from(value, "utf8").toString("base64");
  if (Array.isArray(value)) return value.map(encode);
  return value;
}

export async function startUpstashStandIn(options: { redisUrl: string; token?: string }): Promise<UpstashStandIn> {
  const token = options.token ?? "stand-in-token";
  const client = new IORedis(options.redisUrl, { lazyConnect: false, maxRetriesPerRequest: 1 });
  client.on("error", () => {});
  const requester = ioredisRequester(client);
  let commands = 0;
  let hanging = false;

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      if (hanging) return;
      const reply = (status: number, body: unknown) => {
        res.writeHead(status, { "Content-Type": "application/json" });
        res.end(JSON.stringify(body));
      };
      if (req.method !== "POST") return reply(405, { error: "ERR only POST is supported by this stand-in" });
      if (req.headers.authorization !== `Bearer ${token}`) return reply(401, { error: "Unauthorized" });
      let body: unknown;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
      } catch {
        return reply(400, { error: "ERR failed to parse command" });
      }
      const base64 = String(req.headers["upstash-encoding"] ?? "").toLowerCase() === "base64";
      const path = (req.url ?? "/").split("?")[0]?.replace(/^\/+|\/+$/g, "") ?? "";
      const batch = path === "pipeline" || path === "multi-exec";
      commands += batch && Array.isArray(body) ? body.length : 1;
      requester.request({ path: batch ? [path] : [], body }).then(
        (result: unknown) => {
          const one = (r: unknown) => {
            const error = field(r, "error");
            if (error !== undefined) return { error: String(error) };
            const value = field(r, "result");
            return { result: base64 ? encode(value) : value };
          };
          if (batch) return reply(200, (Array.isArray(result) ? result : []).map(one));
          const answer = one(result);
          return reply("error" in answer ? 400 : 200, answer);
        },
        (error: unknown) => reply(500, { error: `ERR ${error instanceof Error ? error.message : String(error)}` }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : 0;

  return {
    url: `http://127.0.0.1:${port}`,
    token,
    commands: () => commands,
    hang() {
      hanging = true;
    },
    resume() {
      hanging = false;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      client.disconnect();
    },
  };
}
