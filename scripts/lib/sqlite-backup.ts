/**
 * What `npm run backup` and `npm run restore` share: checking a SQLite file (integrity, and that
 * its schema is one of ours), finding processes that have the store open, and writing files so
 * that a crash never leaves half of one under the final name.
 */
import fs from "node:fs";
import path from "node:path";
import SQLite from "better-sqlite3";
import { MIGRATIONS } from "../../db/migrations/index";

export interface StoreCheck {
  integrity: string;
  /** Migrations recorded in the file, in order. */
  migrations: string[];
  /** Recorded migrations this version of the app does not know (a backup from a newer version). */
  unknownMigrations: string[];
  /** Migrations this version has that the file lacks (applied at the next start). */
  pendingMigrations: string[];
  responses: number;
  tables: string[];
}

const KNOWN = Object.keys(MIGRATIONS);

function scalar(db: SQLite.Database, query: string): unknown {
  const row: unknown = db.prepare(query).get();
  return typeof row === "object" && row !== null ? Object.values(row)[0] : undefined;
}

/**
 * Opens `file` read-only and checks it: `full` runs PRAGMA integrity_check (every page and index),
 * otherwise quick_check. Throws when the file is not a SQLite database at all.
 */
export function checkStoreFile(file: string, full: boolean): StoreCheck {
  const db = new SQLite(file, { readonly: true, fileMustExist: true });
  try {
    const integrityRows: unknown[] = db.prepare(full ? "pragma integrity_check" : "pragma quick_check").all();
    const integrity = integrityRows.map((r) => (typeof r === "object" && r !== null ? String(Object.values(r)[0]) : String(r))).join("; ");
    const tables = db
      .prepare("select name from sqlite_master where type = 'table' order by name")
      .all()
      .map((r) => (typeof r === "object" && r !== null && "name" in r ? String(r.name) : ""));
    const migrations = tables.includes("kysely_migration")
      ? db
          .prepare("select name from kysely_migration order by name")
          .all()
          .map((r) => (typeof r === "object" && r !== null && "name" in r ? String(r.name) : ""))
      : [];
    const responses = tables.includes("responses") ? Number(scalar(db, "select count(*) from responses")) : 0;
    return {
      integrity,
      migrations,
      unknownMigrations: migrations.filter((m) => !KNOWN.includes(m)),
      pendingMigrations: KNOWN.filter((m) => !migrations.includes(m)),
      responses,
      tables,
    };
  } finally {
    db.close();
  }
}

/** Why a checked file cannot be this app's store, or null when it can. */
export function storeProblem(check: StoreCheck): string | null {
  if (check.integrity !== "ok") return `完整性检查未通过（integrity check failed）：${check.integrity.slice(0, 500)}`;
  if (check.migrations.length === 0 || !check.tables.includes("responses")) return "这不是本平台的数据库文件（no kysely_migration / responses table）";
  if (check.unknownMigrations.length > 0) {
    return `备份来自更新版本的程序，本版本不认识这些迁移（unknown migrations）：${check.unknownMigrations.join(", ")}`;
  }
  // Migrations run in order: a file must hold a prefix of ours.
  const prefix = KNOWN.slice(0, check.migrations.length);
  if (prefix.join("\n") !== check.migrations.join("\n")) return `迁移记录与本版本不一致（migrations out of order）：${check.migrations.join(", ")}`;
  return null;
}

/**
 * Processes (other than this one) that have any of `files` open, found through /proc/<pid>/fd.
 * Null when /proc cannot be read at all (not Linux): the caller cannot tell and must refuse.
 * Processes of other users are visible only to root (run restore as the server's user or root).
 */
export function processesUsing(files: readonly string[]): Array<{ pid: number; command: string }> | null {
  let pids: string[];
  try {
    pids = fs.readdirSync("/proc").filter((p) => /^\d+$/.test(p));
  } catch {
    return null;
  }
  const wanted = new Set(files.map((f) => path.resolve(f)));
  const found: Array<{ pid: number; command: string }> = [];
  for (const pid of pids) {
    if (Number(pid) === process.pid) continue;
    let fds: string[];
    try {
      fds = fs.readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue; // gone, or another user's
    }
    for (const fd of fds) {
      let target: string;
      try {
        target = fs.readlinkSync(`/proc/${pid}/fd/${fd}`);
      } catch {
        continue;
      }
      if (wanted.has(target)) {
        let command = "";
        try {
          command = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").join(" ").trim();
        } catch {
          command = "?";
        }
        found.push({ pid: Number(pid), command });
        break;
      }
    }
  }
  return found;
}

/** The store file and the WAL and shared-memory files that belong to it. */
export function storeFiles(file: string): string[] {
  return [file, `${file}-wal`, `${file}-shm`];
}

export function fsyncFile(file: string): void {
  const fd = fs.openSync(file, "r");
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

export function fsyncDir(dir: string): void {
  const fd = fs.openSync(dir, "r");
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** A time stamp for file names: 20260310T020000Z. */
export function fileStamp(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d+Z$/, "Z");
}
