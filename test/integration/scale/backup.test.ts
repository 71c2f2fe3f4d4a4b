/**
 * Backups of the SQLite store under load: `npm run backup` runs while the real server keeps
 * accepting a stream of submissions, and its file is one consistent snapshot — every response
 * acknowledged before the backup started is in it, none acknowledged after it ended, the
 * responses it holds are exactly the live ones up to its last id, each with all its item rows,
 * and every row of every table equals the live row. `npm run restore` refuses while the server
 * runs and refuses a damaged file or one from a newer version; with the server stopped it puts
 * the backup back (every row of every table equal to the backup's) and keeps the replaced store
 * (every row equal to what the server left). A server on the restored store takes the phones'
 * retries of what came after the backup, once.
 */
import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import SQLite from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { ROOT } from "../../../scripts/lib/cli";
import type { ServerProcess } from "../../../scripts/lib/server-process";
import { post, PRIMARY_LINKS, sharedStore, startApp, stopApp, submission, type SharedStore, type Submission } from "./support";

const run = promisify(execFile);

let store: SharedStore | undefined;
const servers: ServerProcess[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await stopApp(s);
  await store?.dispose();
  store = undefined;
});

/** Every row of every table, as sorted JSON lines (rowids aside: VACUUM may renumber them). */
function dump(file: string): Map<string, string[]> {
  const db = new SQLite(file, { readonly: true, fileMustExist: true });
  try {
    const tables = db
      .prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name")
      .all()
      .map((r) => (typeof r === "object" && r !== null && "name" in r ? String(r.name) : ""));
    return new Map(
      tables.map((t) => [
        t,
        db
          .prepare(`select * from "${t}"`)
          .all()
          .map((row) => JSON.stringify(row))
          .sort(),
      ]),
    );
  } finally {
    db.close();
  }
}

function responseIds(rows: readonly string[]): number[] {
  return rows
    .map((r): number => {
      const parsed: unknown = JSON.parse(r);
      return typeof parsed === "object" && parsed !== null && "id" in parsed ? Number(parsed.id) : Number.NaN;
    })
    .sort((a, b) => a - b);
}

function keysOf(rows: readonly string[]): Set<string> {
  return new Set(
    rows.map((r): string => {
      const parsed: unknown = JSON.parse(r);
      return typeof parsed === "object" && parsed !== null && "idempotency_key" in parsed ? String(parsed.idempotency_key) : "";
    }),
  );
}

async function npm(script: "backup" | "restore", args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ["--import", "tsx", `scripts/${script}.ts`, ...args], {
      cwd: ROOT,
      env: { ...process.env, ...env, LOG_LEVEL: "warn" },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error instanceof Error ? error : new Error(String(error));
    return {
      code: "code" in e && typeof e.code === "number" ? e.code : 1,
      stdout: "stdout" in e ? String(e.stdout) : "",
      stderr: "stderr" in e ? String(e.stderr) : e.message,
    };
  }
}

describe("npm run backup and npm run restore", () => {
  it("back up a consistent snapshot under load and put it back, row for row", { timeout: 240_000 }, async () => {
    store = await sharedStore("sqlite");
    const live = path.join(store.dataDir, "survey.sqlite");
    const server = await startApp(store);
    servers.push(server);
    const keys = store.keys;
    let n = 0;
    const next = (): Submission => {
      const scope = PRIMARY_LINKS[n % PRIMARY_LINKS.length];
      if (!scope) throw new Error("no link");
      n += 1;
      return submission(keys, scope, `10.30.${n % 250}.${1 + (n % 5)}`);
    };
    // Some history first, so the snapshot has something to be consistent about.
    for (let i = 0; i < 300; i += 20) await Promise.all(Array.from({ length: 20 }, () => post(server.baseUrl, next())));

    // The load: a stream of submissions that keeps going while the backup runs.
    const acked: Array<{ s: Submission; at: number }> = [];
    const refused: number[] = [];
    let loading = true;
    const load = Promise.all(
      Array.from({ length: 8 }, async () => {
        while (loading) {
          const s = next();
          const answer = await post(server.baseUrl, s);
          if (answer.status === 200) acked.push({ s, at: Date.now() });
          else refused.push(answer.status);
        }
      }),
    );
    await new Promise((r) => setTimeout(r, 500));
    const out = path.join(store.dataDir, "backups", "survey-backup.sqlite");
    const started = Date.now();
    const backup = await npm("backup", ["--out", out], store.env);
    const ended = Date.now();
    await new Promise((r) => setTimeout(r, 500));
    loading = false;
    await load;

    expect(backup.stderr).not.toMatch(/失败/);
    expect(backup.code).toBe(0);
    // The keys are not in the backup, and it says so: the evidence signing key the server made on first start too.
    expect(backup.stderr).toContain("evidence-ed25519.pem（证据包签名私钥）不在备份里");
    const summary: unknown = JSON.parse(backup.stdout.trim().split("\n").at(-1) ?? "{}");
    expect(summary).toMatchObject({ backup: out, check: "ok" });
    expect(refused).toEqual([]);
    expect(acked.some((a) => a.at > started && a.at < ended) || acked.some((a) => a.at > ended)).toBe(true);
    expect(fs.readdirSync(path.dirname(out))).toEqual(["survey-backup.sqlite"]); // no partial file left

    // The snapshot against the live store (the server still running).
    const snap = dump(out);
    const now = dump(live);
    const snapResponses = snap.get("responses") ?? [];
    const liveResponses = now.get("responses") ?? [];
    const snapIds = responseIds(snapResponses);
    const lastId = snapIds.at(-1) ?? 0;
    expect(snapIds).toEqual(responseIds(liveResponses).filter((id) => id <= lastId));
    expect(snapIds.length).toBeGreaterThan(300);
    const inSnap = keysOf(snapResponses);
    for (const a of acked) {
      if (a.at < started) expect(inSnap.has(a.s.key), "acknowledged before the backup").toBe(true);
      if (a.at > ended) expect(inSnap.has(a.s.key), "acknowledged after the backup").toBe(false);
    }
    expect(snap.get("response_items")?.length).toBe(snapIds.length * 13);
    for (const [table, rows] of snap) {
      const liveRows = new Set(now.get(table) ?? []);
      expect(
        rows.filter((r) => !liveRows.has(r)),
        `rows of ${table} not in the live store`,
      ).toEqual([]);
    }

    // Restore: refused while the server has the store open.
    const busy = await npm("restore", [out], store.env);
    expect(busy.code).toBe(1);
    expect(busy.stderr).toContain(`pid ${String(server.child.pid)}`);

    // Refused: not a database; a backup from a newer version.
    const garbage = path.join(store.dataDir, "backups", "garbage.sqlite");
    fs.writeFileSync(garbage, "这不是数据库".repeat(1000));
    await stopApp(server);
    servers.splice(0);
    expect((await npm("restore", [garbage], store.env)).code).toBe(1);
    const newer = path.join(store.dataDir, "backups", "newer.sqlite");
    fs.copyFileSync(out, newer);
    const w = new SQLite(newer);
    w.prepare("insert into kysely_migration (name, timestamp) values ('2099-01-01-0001-from-the-future', '2099-01-01T00:00:00.000Z')").run();
    w.close();
    const refusedNewer = await npm("restore", [newer], store.env);
    expect(refusedNewer.code).toBe(1);
    expect(refusedNewer.stderr).toContain("2099-01-01-0001-from-the-future");

    // With the server stopped: restored, the replaced store kept, every row compared.
    const before = dump(live);
    const restored = await npm("restore", [out], store.env);
    expect(restored.stderr).not.toMatch(/失败/);
    expect(restored.code).toBe(0);
    const result: unknown = JSON.parse(restored.stdout.trim().split("\n").at(-1) ?? "{}");
    const keptAs = typeof result === "object" && result !== null && "replacedKeptAs" in result ? String(result.replacedKeptAs) : "";
    expect(keptAs).toMatch(/survey\.sqlite\.replaced-\d{8}T\d{6}Z$/);
    expect(dump(live)).toEqual(snap);
    expect(dump(keptAs)).toEqual(before);
    expect(fs.existsSync(`${live}-wal`) && fs.statSync(`${live}-wal`).size > 0).toBe(false);

    // A server on the restored store: what came after the backup is retried by the phones, once.
    const again = await startApp(store);
    servers.push(again);
    const lost = acked.filter((a) => !inSnap.has(a.s.key)).slice(0, 30);
    expect(lost.length).toBeGreaterThan(0);
    const first = await Promise.all(lost.map((a) => post(again.baseUrl, a.s)));
    const second = await Promise.all(lost.map((a) => post(again.baseUrl, a.s)));
    expect(first.map((r) => r.body?.status)).toEqual(lost.map(() => "accepted"));
    expect(second.map((r) => r.body?.status)).toEqual(lost.map(() => "replayed"));
  });
});
