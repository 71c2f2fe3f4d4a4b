/**
 * npm run restore -- FILE
 *
 * Puts a backup made by `npm run backup` back as DATA_DIR/survey.sqlite:
 *
 * 1. checks FILE first — PRAGMA integrity_check, and a schema of ours: the migrations it records
 *    are a prefix of this version's (a backup from a newer version is refused; an older one is
 *    brought up to date by the server's migrations at its next start);
 * 2. refuses while any process has the store open (a server, a script; found through /proc, so
 *    run it as the server's user or root);
 * 3. keeps the replaced store: its WAL is checkpointed into it and it is renamed to
 *    survey.sqlite.replaced-<time> (nothing is deleted);
 * 4. copies FILE in beside the store, flushes it to disk and renames it into place, so the store
 *    is the old one or the new one, never half of either.
 *
 * Responses acknowledged after the backup was taken are not in it: they are in the kept file.
 * The secrets (secrets.json or SIGNING_SECRET / DEVICE_SALT) must be those the backup was made
 * under. On STORE=postgres use pg_restore (docs/deployment.md).
 *
 * Prints one JSON line: what was restored and where the replaced store was kept.
 */
import fs from "node:fs";
import path from "node:path";
import SQLite from "better-sqlite3";
import { ConfigError, loadConfig } from "../app/.server/config";
import { fail, ROOT } from "./lib/cli";
import { checkStoreFile, fileStamp, fsyncDir, fsyncFile, processesUsing, storeFiles, storeProblem } from "./lib/sqlite-backup";

const USAGE = "用法：npm run restore -- 备份文件路径";

const fileArg = process.argv.slice(2).find((a) => !a.startsWith("--"));
if (!fileArg) fail(`缺少备份文件\n${USAGE}`);
const backup = path.resolve(fileArg);
if (!fs.existsSync(backup)) fail(`没有找到备份文件 ${backup}`, 1);

let config;
try {
  config = loadConfig(process.env, ROOT);
} catch (error) {
  if (error instanceof ConfigError) fail(error.message, 1);
  throw error;
}
if (config.store.kind !== "sqlite") fail("STORE=postgres：请用 PostgreSQL 自己的工具恢复（pg_restore），见 docs/deployment.md。", 1);
const target = config.store.file;

// 1. The backup itself.
let check;
try {
  check = checkStoreFile(backup, true);
} catch (error) {
  fail(`${backup} 不是可用的数据库文件：${error instanceof Error ? error.message : String(error)}`, 1);
}
const problem = storeProblem(check);
if (problem) fail(`不恢复 ${backup}：${problem}`, 1);

// 2. Nobody may be using the store.
const users = processesUsing(storeFiles(target));
if (users === null) fail("无法确认是否有服务器正在使用 DATA_DIR（/proc 不可读）；请在 Linux 上以服务器的用户或 root 运行。", 1);
if (users.length > 0) {
  fail(`服务器或其他程序正在使用 ${target}，请先停止它们再恢复：\n${users.map((u) => `  pid ${u.pid}: ${u.command}`).join("\n")}`, 1);
}

fs.mkdirSync(path.dirname(target), { recursive: true });
const stamp = fileStamp(Date.now());
const incoming = `${target}.restoring-${process.pid}`;
try {
  // 4a. The new file beside the store, on disk before anything is moved.
  fs.copyFileSync(backup, incoming, fs.constants.COPYFILE_EXCL);
  fsyncFile(incoming);

  // 3. Keep the replaced store, made whole (its WAL folded in) when it can be opened.
  let kept: string | null = null;
  if (fs.existsSync(target)) {
    try {
      const old = new SQLite(target, { fileMustExist: true });
      try {
        old.pragma("wal_checkpoint(TRUNCATE)");
      } finally {
        old.close();
      }
    } catch {
      // A damaged store is kept as it is, with its WAL beside it.
    }
    kept = `${target}.replaced-${stamp}`;
    for (const [from, suffix] of [
      [target, ""],
      [`${target}-wal`, "-wal"],
      [`${target}-shm`, "-shm"],
    ] as const) {
      if (fs.existsSync(from)) fs.renameSync(from, `${kept}${suffix}`);
    }
  }
  // A WAL left beside the new file would be read as its own: there must be none.
  for (const stale of [`${target}-wal`, `${target}-shm`]) {
    if (fs.existsSync(stale)) throw new Error(`${stale} 仍然存在`);
  }

  // 4b. Into place.
  fs.renameSync(incoming, target);
  fsyncDir(path.dirname(target));
  process.stdout.write(
    `${JSON.stringify({
      restored: backup,
      store: target,
      replacedKeptAs: kept,
      responses: check.responses,
      migrations: check.migrations.length,
      pendingMigrations: check.pendingMigrations,
      check: check.integrity,
    })}\n`,
  );
  process.stderr.write(
    `已恢复。旧数据库保存为 ${kept ?? "（原先没有数据库）"}。请确认 secrets.json（或 SIGNING_SECRET / DEVICE_SALT）与备份时相同，然后启动服务器。\n`,
  );
} catch (error) {
  fs.rmSync(incoming, { force: true });
  const keptNote = fs.existsSync(`${target}.replaced-${stamp}`) && !fs.existsSync(target) ? `；原数据库在 ${target}.replaced-${stamp}` : "";
  fail(`恢复失败：${error instanceof Error ? error.message : String(error)}${keptNote}`, 1);
}
