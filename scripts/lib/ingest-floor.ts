/**
 * bench:ingest's floor and its processes (scripts/bench-ingest.ts): the baseline servers — node:http
 * in front of the same row and item rows written straight to better-sqlite3 or a pg pool, nothing
 * else — which the app's submit path is compared against in the same run, and the helpers that
 * start children and PostgreSQL schemas.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import http from "node:http";
import path from "node:path";
import SQLite from "better-sqlite3";
import pg from "pg";
import { DEMO_CAMPAIGN_ID } from "../../db/seed/demo-zhongwei";
import { fail, ROOT } from "./cli";
import { SCORED_ITEMS } from "./load";

// ---------------------------------------------------------------------------------------------
// The baseline server (child role): node:http + better-sqlite3, the same row, nothing else.

const BASELINE_COLUMNS = `campaign_id, county_id, school_id, questionnaire_id,
    questionnaire_version, respondent_group, grade, location, answers, overall_score, score_sum, score_count, comment,
    started_at, submitted_at, duration_ms, device_hash, respondent_key, idempotency_key, supervision_code_id, flags`;

/** node:http in front of a store function; the answers every baseline gives. */
function serveBaseline(
  port: number,
  store: (body: { idempotencyKey: string; answers: Record<string, unknown> }, device: string) => Promise<boolean> | boolean,
  close: () => void,
): void {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const answer = (status: number, payload: string) => {
        res.writeHead(status, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(payload) });
        res.end(payload);
      };
      try {
        const body: unknown = JSON.parse(Buffer.concat(chunks).toString("utf8"));
        const device = /yz_did=([^;.]+)/.exec(req.headers.cookie ?? "")?.[1] ?? "";
        if (typeof body !== "object" || body === null || !("idempotencyKey" in body) || !("answers" in body)) throw new Error("bad body");
        const idempotencyKey = String(body.idempotencyKey);
        const answers = typeof body.answers === "object" && body.answers !== null ? Object.fromEntries(Object.entries(body.answers)) : {};
        Promise.resolve(store({ idempotencyKey, answers }, device)).then(
          (stored) => (stored ? answer(200, '{"ok":true,"status":"accepted"}') : answer(409, '{"ok":false,"error":"already_submitted"}')),
          () => answer(500, '{"ok":false,"error":"server_error"}'),
        );
      } catch {
        answer(400, '{"ok":false,"error":"bad_request"}');
      }
    });
  });
  server.keepAliveTimeout = 65_000;
  server.listen(port, "127.0.0.1", () => process.stdout.write("ready\n"));
  process.on("SIGTERM", () => {
    server.close();
    server.closeAllConnections();
    close();
    process.exit(0);
  });
}

/** The PostgreSQL floor: the same row and item rows in one transaction, a pool like the app's. */
export function runPostgresBaseline(url: string, port: number): void {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  const insertResponse = `insert into responses (${BASELINE_COLUMNS})
    values ($1, $2, $3, 'social', 1, 'parent', $4, 'urban', $5, 4, 51, 12, $6, $7, $8, $9, $10, $11, $12, null, '[]')
    on conflict do nothing returning id`;
  const insertItems = `insert into response_items (response_id, item, score) values ${SCORED_ITEMS.map((_, i) => `($1, $${i + 2}, 4)`).join(", ")}`;
  serveBaseline(
    port,
    async (body, device) => {
      const now = Date.now();
      const client = await pool.connect();
      try {
        await client.query("begin");
        const inserted = await client.query<{ id: string }>(insertResponse, [
          DEMO_CAMPAIGN_ID,
          "640502",
          "spt01",
          Number(body.answers.grade ?? 1),
          JSON.stringify(body.answers),
          typeof body.answers.comment === "string" ? body.answers.comment : null,
          now - 240_000,
          now,
          240_000,
          device,
          `${device}:spt01`,
          body.idempotencyKey,
        ]);
        const id = inserted.rows[0]?.id;
        if (id !== undefined) await client.query(insertItems, [id, ...SCORED_ITEMS]);
        await client.query("commit");
        return id !== undefined;
      } catch (error) {
        await client.query("rollback");
        throw error;
      } finally {
        client.release();
      }
    },
    () => void pool.end(),
  );
}

export function runBaseline(dataDir: string, port: number, synchronous: "NORMAL" | "FULL"): void {
  const db = new SQLite(path.join(dataDir, "survey.sqlite"));
  db.pragma("journal_mode = WAL");
  db.pragma(`synchronous = ${synchronous}`);
  db.pragma("foreign_keys = ON");
  const insertResponse = db.prepare(`insert into responses (${BASELINE_COLUMNS})
    values (?, ?, ?, 'social', 1, 'parent', ?, 'urban', ?, 4, 51, 12, ?, ?, ?, ?, ?, ?, ?, null, '[]')
    on conflict do nothing returning id`);
  const insertItem = db.prepare("insert into response_items (response_id, item, score) values (?, ?, ?)");
  const store = db.transaction((body: { idempotencyKey: string; answers: Record<string, unknown> }, device: string) => {
    const now = Date.now();
    const row = insertResponse.get(
      DEMO_CAMPAIGN_ID,
      "640502",
      "spt01",
      Number(body.answers.grade ?? 1),
      JSON.stringify(body.answers),
      typeof body.answers.comment === "string" ? body.answers.comment : null,
      now - 240_000,
      now,
      240_000,
      device,
      `${device}:spt01`,
      body.idempotencyKey,
    );
    const id = typeof row === "object" && row !== null && "id" in row ? Number(row.id) : null;
    if (id === null) return false;
    for (const item of SCORED_ITEMS) insertItem.run(id, item, 4);
    return true;
  });
  serveBaseline(
    port,
    (body, device) => store(body, device),
    () => db.close(),
  );
}

// ---------------------------------------------------------------------------------------------
// The driver's processes

export function waitForLine(child: ChildProcess, pattern: RegExp, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let buffer = "";
    const onData = (chunk: Buffer) => {
      buffer += chunk.toString("utf8");
      if (pattern.test(buffer)) {
        child.stdout?.off("data", onData);
        resolve();
      }
    };
    child.stdout?.on("data", onData);
    child.once("exit", (code) => reject(new Error(`${what} exited (${String(code)}) before it was ready:\n${buffer.slice(-2000)}`)));
  });
}

/** Children run as `node --import tsx …`: one process each, so /proc/<pid>/stat is the server's CPU. */
export function spawnTs(file: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env, nodeFlags: readonly string[] = []): ChildProcess {
  return spawn(process.execPath, [...nodeFlags, "--import", "tsx", file, ...args], { cwd: ROOT, env, stdio: ["ignore", "pipe", "inherit"] });
}

/** A fresh PostgreSQL schema on DATABASE_URL (or the kept one named); its URL and how to drop it. */
export async function postgresSchema(name?: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const base = process.env.DATABASE_URL ?? "";
  const schema = name ?? `yz_bench_${process.pid}_${randomBytes(4).toString("hex")}`;
  if (!/^[a-z_][a-z0-9_]*$/.test(schema)) fail("schema names: lower-case letters, digits and _");
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`create schema if not exists ${schema}`);
  await admin.end();
  const url = new URL(base);
  url.searchParams.set("options", `-c search_path=${schema}`);
  return {
    url: url.toString(),
    drop: async () => {
      if (name !== undefined) return; // kept on purpose
      const client = new pg.Client({ connectionString: base });
      await client.connect();
      await client.query(`drop schema if exists ${schema} cascade`);
      await client.end();
    },
  };
}
