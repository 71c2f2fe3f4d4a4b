/**
 * npm run backup -- --out FILE
 *
 * A consistent online backup of the SQLite store (DATA_DIR/survey.sqlite) while the server keeps
 * answering: `VACUUM INTO` copies the database as one read transaction sees it — a single
 * snapshot, every response with all its item rows or not at all — and, unlike the page-by-page
 * backup API, never restarts because the server wrote in the meantime (in WAL mode the writer
 * does not wait for it either). The copy is written beside FILE, checked (quick_check, schema),
 * flushed to disk and only then renamed to FILE, so FILE is either a whole backup or absent.
 *
 * It does not copy DATA_DIR/secrets.json: keep one copy of that (or configure SIGNING_SECRET and
 * DEVICE_SALT) — a restored store needs the same DEVICE_SALT to know which devices answered.
 * Nor DATA_DIR/evidence-ed25519.pem, the evidence packs' signing key (decision 0026): it says so
 * when the key is there, since new packs signed by another key no longer match the published
 * fingerprint.
 * On STORE=postgres use pg_dump (docs/deployment.md).
 *
 * Prints one JSON line: file, bytes, seconds, responses, migrations.
 */
import fs from "node:fs";
import path from "node:path";
import { performance } from "node:perf_hooks";
import SQLite from "better-sqlite3";
import { ConfigError, loadConfig } from "../app/.server/config";
import { evidenceKeyFile } from "../app/.server/evidence-key";
import { fail, parseFlags, ROOT } from "./lib/cli";
import { checkStoreFile, fsyncDir, fsyncFile, storeProblem } from "./lib/sqlite-backup";

const USAGE = "用法：npm run backup -- --out 备份文件路径";

const flags = parseFlags(process.argv.slice(2));
const outFlag = flags.get("out");
if (typeof outFlag !== "string") fail(`缺少 --out\n${USAGE}`);
const out = path.resolve(outFlag);

let config;
try {
  config = loadConfig(process.env, ROOT);
} catch (error) {
  if (error instanceof ConfigError) fail(error.message, 1);
  throw error;
}
if (config.store.kind !== "sqlite") {
  fail("STORE=postgres：请用 PostgreSQL 自己的工具备份（pg_dump），见 docs/deployment.md。", 1);
}
const source = config.store.file;
if (!fs.existsSync(source)) fail(`没有找到数据库文件 ${source}（DATA_DIR=${config.dataDir}）`, 1);
if (fs.existsSync(out)) fail(`${out} 已存在，不会覆盖；请换一个文件名。`, 1);
fs.mkdirSync(path.dirname(out), { recursive: true });

const partial = `${out}.partial-${process.pid}`;
const t0 = performance.now();
try {
  const db = new SQLite(source, { fileMustExist: true });
  try {
    // The server may hold the write lock for a moment when the snapshot starts.
    db.pragma("busy_timeout = 10000");
    db.prepare("vacuum into ?").run(partial);
  } finally {
    db.close();
  }
  const copied = performance.now();
  const check = checkStoreFile(partial, false);
  const problem = storeProblem(check);
  if (problem) throw new Error(`备份文件检查未通过：${problem}`);
  fsyncFile(partial);
  fs.renameSync(partial, out);
  fsyncDir(path.dirname(out));
  const secrets = path.join(config.dataDir, "secrets.json");
  if (fs.existsSync(secrets)) {
    process.stderr.write(`注意：${secrets} 不在备份里。请另外保存一份（只需一次）：恢复后的数据需要同一个 DEVICE_SALT。\n`);
  }
  const evidenceKey = evidenceKeyFile(config);
  if (fs.existsSync(evidenceKey)) {
    process.stderr.write(`注意：${evidenceKey}（证据包签名私钥）不在备份里。请另外保存一份（只需一次）：换了私钥，公布过的公钥指纹就对不上新的证据包。\n`);
  }
  process.stdout.write(
    `${JSON.stringify({
      backup: out,
      source,
      bytes: fs.statSync(out).size,
      seconds: Number(((performance.now() - t0) / 1000).toFixed(2)),
      copySeconds: Number(((copied - t0) / 1000).toFixed(2)),
      responses: check.responses,
      migrations: check.migrations.length,
      check: check.integrity,
    })}\n`,
  );
} catch (error) {
  fs.rmSync(partial, { force: true });
  fail(`备份失败：${error instanceof Error ? error.message : String(error)}`, 1);
}
