/**
 * The 操作日志's hash chain (decision 0023) on a real store — SQLite, and PostgreSQL when
 * DATABASE_URL is set (skipped with a printed reason otherwise): appends from concurrent writers
 * chain one after another with no fork; `npm run audit:verify` reports OK with the count and
 * head, and names the first break when a row is deleted, altered or reordered; review decisions
 * are links of the chain with who, when and why, and an invalidated response stays stored; the
 * migration chains the rows written before it.
 */
import { spawn } from "node:child_process";
import { Migrator, sql, type Kysely } from "kysely";
import { afterAll, describe, expect, it } from "vitest";
import { audit, auditHead, auditSummary, verifyAuditChain } from "../../../app/.server/console/audit";
import { generateResponses } from "../../../app/.server/console/generate-responses";
import { GENESIS_HASH } from "../../../app/domain/audit-chain";
import { action as reviewAction } from "../../../app/routes/admin.campaigns.$campaignId.counties.$countyId.review/route";
import { createDb, migrateToLatest } from "../../../db/create-db";
import { MIGRATIONS } from "../../../db/migrations";
import type { Database } from "../../../db/schema";
import { runAuditVerify } from "../../../scripts/audit-verify";
import { ROOT } from "../../../scripts/lib/cli";
import { createPostgresSchema, makeTestServices, type TestServices } from "../../support/services";
import { callAction, roleCookies } from "./support";

const DATABASE_URL = process.env.DATABASE_URL;
if (!DATABASE_URL) console.warn("audit chain on PostgreSQL skipped: DATABASE_URL is not set");

const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

async function sqliteServices(): Promise<TestServices> {
  const s = await makeTestServices({ env: { STORE: "sqlite" } });
  cleanups.push(() => s.dispose());
  return s;
}

async function postgresServices(): Promise<TestServices> {
  const created = await createPostgresSchema("yz_audit");
  const s = await makeTestServices({ env: { STORE: "postgres", DATABASE_URL: created.url } });
  cleanups.push(async () => {
    await s.dispose();
    await created.drop();
  });
  return s;
}

async function verifyOutput(services: Pick<TestServices, "db">, argv: string[] = []): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await runAuditVerify(services, argv, { stdout: (t) => void (out += t), stderr: (t) => void (err += t) });
  return { code, out, err };
}

/** Runs `tamper` and the verifier in one transaction that is rolled back, so the store stays intact. */
async function verifyTampered(services: TestServices, tamper: (trx: Kysely<Database>) => Promise<void>, argv: string[] = []) {
  let result: Awaited<ReturnType<typeof verifyOutput>> | undefined;
  await services.db
    .transaction()
    .execute(async (trx) => {
      await tamper(trx);
      result = await verifyOutput({ db: trx }, argv);
      throw new Error("roll back");
    })
    .catch((e: unknown) => {
      if (!(e instanceof Error && e.message === "roll back")) throw e;
    });
  if (!result) throw new Error("verifier did not run");
  return result;
}

async function chainRows(db: Kysely<Database>) {
  return db.selectFrom("audit_log").select(["id", "seq", "prev_hash", "hash"]).orderBy("seq").execute();
}

function runChild(env: Record<string, string>, tag: string, n: number, startAt: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "test/support/audit-append.ts", tag, String(n), String(startAt)], {
      cwd: ROOT,
      env: { ...process.env, ...env, LOG_LEVEL: "silent", NODE_ENV: "test", PUBLIC_URL: "https://survey.test" },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let err = "";
    child.stderr.on("data", (d: Buffer) => (err += d.toString("utf8")));
    child.on("error", reject);
    child.on("exit", (code) => (code === 0 ? resolve(0) : reject(new Error(`child ${tag} exited ${String(code)}: ${err}`))));
  });
}

for (const store of ["sqlite", "postgres"] as const) {
  describe.skipIf(store === "postgres" && !DATABASE_URL)(`the audit chain on ${store}`, () => {
    const make = store === "sqlite" ? sqliteServices : postgresServices;

    it("chains concurrent appends one after another: seq 1…n, each naming the previous hash, no fork", async () => {
      const s = await make();
      const before = await auditHead(s);
      await Promise.all([
        ...Array.from({ length: 60 }, (_, i) =>
          audit(s, { accountId: 1, username: "racer" }, "export", { subject: `并发-${String(i)}`, detail: { file: `f${String(i)}.csv` } }),
        ),
        // A run of refusals: one row however many arrive at once, its count exact.
        ...Array.from({ length: 20 }, () => auditSummary(s, "sign_in_limited\nracer\n0", { accountId: 1, username: "racer" }, "sign_in_limited")),
      ]);
      const rows = await chainRows(s.db);
      expect(rows.map((r) => Number(r.seq))).toEqual(Array.from({ length: rows.length }, (_, i) => i + 1));
      expect(new Set(rows.map((r) => r.prev_hash)).size).toBe(rows.length);
      rows.forEach((r, i) => expect(r.prev_hash).toBe(i === 0 ? GENESIS_HASH : rows[i - 1]?.hash));
      const summary = await s.db.selectFrom("audit_log").select("repeats").where("action", "=", "sign_in_limited").execute();
      expect(summary.map((r) => Number(r.repeats))).toEqual([20]);
      const head = await auditHead(s);
      expect(head.seq).toBe(before.seq + 61);
      expect(head.hash).toBe(rows.at(-1)?.hash);
      const v = await verifyOutput(s);
      expect(v).toEqual({ code: 0, out: `OK ${String(head.seq)} 条记录，链头 ${head.hash}\n`, err: "" });
    });

    it("chains appends racing from two other processes and this one on the same store", async () => {
      const s = await make();
      // All three start writing at the same moment, once the children have opened the store.
      const startAt = Date.now() + 6_000;
      await Promise.all([
        runChild(s.storeEnv, "甲", 100, startAt),
        runChild(s.storeEnv, "乙", 100, startAt),
        (async () => {
          await new Promise((resolve) => setTimeout(resolve, startAt - Date.now()));
          for (let i = 0; i < 100; i++) await audit(s, null, "export", { subject: `丙-${String(i)}` });
        })(),
      ]);
      const subjects = await s.db.selectFrom("audit_log").select("subject").where("action", "=", "export").execute();
      expect(subjects).toHaveLength(300);
      const verdict = await verifyAuditChain(s);
      expect(verdict).toMatchObject({ ok: true });
      expect(verdict.ok && verdict.count).toBe((await auditHead(s)).seq);
    }, 60_000);

    it("names the first break when a row is deleted, altered or reordered, and changes nothing", async () => {
      const s = await make();
      for (let i = 0; i < 6; i++)
        await audit(s, { accountId: 1, username: "officer" }, "export", { subject: `第${String(i)}份`, detail: { file: `${String(i)}.csv` } });
      const rows = await chainRows(s.db);
      const n = rows.length;
      const mid = rows[n - 4];
      const next = rows[n - 3];
      if (!mid || !next) throw new Error("fixture");

      const deleted = await verifyTampered(s, (trx) =>
        trx
          .deleteFrom("audit_log")
          .where("id", "=", mid.id)
          .execute()
          .then(() => undefined),
      );
      expect(deleted.code).toBe(1);
      expect(deleted.out).toContain(`BROKEN 操作日志哈希链在第一处断裂：记录 id ${String(next.id)}（序号 ${String(next.seq)}）：序号不连续`);
      expect(deleted.out).toContain(`应为 序号 ${String(mid.seq)}，实为 序号 ${String(next.seq)}`);

      const altered = await verifyTampered(s, async (trx) => {
        await trx
          .updateTable("audit_log")
          .set({ detail: JSON.stringify({ file: "换过的文件.csv" }) })
          .where("id", "=", mid.id)
          .execute();
      });
      expect(altered.code).toBe(1);
      expect(altered.out).toContain(`记录 id ${String(mid.id)}（序号 ${String(mid.seq)}）：记录内容与其哈希不符`);
      expect(altered.out).toContain(`实为 ${String(mid.hash)}`);

      const actor = await verifyTampered(s, async (trx) => {
        await trx.updateTable("audit_log").set({ username: "someone-else" }).where("id", "=", mid.id).execute();
      });
      expect(actor.out).toContain(`记录 id ${String(mid.id)}`);

      const reordered = await verifyTampered(s, async (trx) => {
        // Swap the places of two neighbours (through a free seq: the column is unique).
        await trx.updateTable("audit_log").set({ seq: -1 }).where("id", "=", mid.id).execute();
        await trx
          .updateTable("audit_log")
          .set({ seq: Number(mid.seq) })
          .where("id", "=", next.id)
          .execute();
        await trx
          .updateTable("audit_log")
          .set({ seq: Number(next.seq) })
          .where("id", "=", mid.id)
          .execute();
      });
      expect(reordered.code).toBe(1);
      expect(reordered.out).toContain(`记录 id ${String(next.id)}（序号 ${String(mid.seq)}）：前一条记录的哈希不符`);
      expect(reordered.out).toContain(`应为 ${String(rows[n - 5]?.hash)}，实为 ${String(mid.hash)}`);

      const renumbered = await verifyTampered(s, async (trx) => {
        // Swap the two rows' ids instead (the order the audit page lists them in).
        await trx.updateTable("audit_log").set({ id: 1_000_000 }).where("id", "=", mid.id).execute();
        await trx.updateTable("audit_log").set({ id: mid.id }).where("id", "=", next.id).execute();
        await trx.updateTable("audit_log").set({ id: next.id }).where("id", "=", 1_000_000).execute();
      });
      expect(renumbered.code).toBe(1);
      expect(renumbered.out).toContain(`记录 id ${String(mid.id)}（序号 ${String(next.seq)}）：记录顺序与写入顺序不符`);

      const newest = rows[n - 1];
      const truncated = await verifyTampered(s, async (trx) => {
        await trx.deleteFrom("audit_log").where("id", "=", Number(newest?.id)).execute();
      });
      expect(truncated.code).toBe(1);
      expect(truncated.out).toContain("链尾：链尾与记录的链头不符");

      // The newest rows and the recorded head rewritten together: only a printed head tells.
      const printed = String(newest?.hash).slice(0, 12);
      const rewound = await verifyTampered(
        s,
        async (trx) => {
          await trx.deleteFrom("audit_log").where("id", "=", Number(newest?.id)).execute();
          await trx
            .updateTable("audit_chain_head")
            .set({ seq: Number(rows[n - 2]?.seq), hash: String(rows[n - 2]?.hash) })
            .execute();
        },
        ["--head", printed],
      );
      expect(rewound.code).toBe(1);
      expect(rewound.out).toContain(`BROKEN 打印的链头 ${printed} 不在操作日志中`);

      // Nothing was changed by any of it.
      expect(await chainRows(s.db)).toEqual(rows);
      const intact = await verifyOutput(s, ["--head", printed]);
      expect(intact.code).toBe(0);
      expect(intact.out).toContain(`打印的链头 ${printed} 是第 ${String(newest?.seq)} 条记录`);
      expect((await verifyOutput(s, ["--head", "xyz"])).code).toBe(2);
    });

    it("puts review decisions in the chain with who, when, from where and why; the response stays stored", async () => {
      const s = await make();
      await generateResponses(s.db, { campaignId: "zw2026", count: 80, seed: 3, now: s.now() - 3_600_000, profile: "demo", label: "demo" });
      const cookies = await roleCookies(s);
      const target = await s.db.selectFrom("responses").selectAll().where("county_id", "=", "640521").orderBy("id").executeTakeFirstOrThrow();
      const params = { campaignId: "zw2026", countyId: "640521" };
      const path = "/admin/campaigns/zw2026/counties/640521/review";
      const post = (intent: string, reason: string) => {
        const f = new FormData();
        f.append("intent", intent);
        // The form sends a restore's note as free text (reasonOther), an invalidation's as the choice.
        f.append(intent === "invalidate" ? "reason" : "reasonOther", reason);
        f.append("id", String(target.id));
        return callAction(s, reviewAction, path, { cookie: cookies.city, params, form: f, clientAddress: "203.0.113.7" });
      };
      s.clock.advance(60_000);
      expect((await post("invalidate", "所有题目选择同一选项")).status).toBe(200);
      const invalidatedAt = s.now();
      s.clock.advance(60_000);
      expect((await post("restore", "复核后确认为本人作答")).status).toBe(200);

      const decisions = await s.db
        .selectFrom("audit_log")
        .selectAll()
        .where("action", "in", ["response_invalidated", "response_restored"])
        .orderBy("seq")
        .execute();
      expect(
        decisions.map((d) => ({
          action: d.action,
          username: d.username,
          at: Number(d.at),
          address: d.client_address,
          detail: JSON.parse(d.detail) as unknown,
        })),
      ).toEqual([
        {
          action: "response_invalidated",
          username: "city-admin",
          at: invalidatedAt,
          address: "203.0.113.7",
          detail: { reason: "所有题目选择同一选项", schoolId: target.school_id },
        },
        {
          action: "response_restored",
          username: "city-admin",
          at: invalidatedAt + 60_000,
          address: "203.0.113.7",
          detail: { reason: "复核后确认为本人作答", schoolId: target.school_id },
        },
      ]);
      expect(decisions.every((d) => d.hash !== null && d.seq !== null)).toBe(true);
      expect(await verifyAuditChain(s)).toMatchObject({ ok: true });

      // Invalidate again: the questionnaire is kept, answers and all, with who, when and why.
      s.clock.advance(60_000);
      expect((await post("invalidate", "非调查对象填写")).status).toBe(200);
      const kept = await s.db.selectFrom("responses").selectAll().where("id", "=", target.id).executeTakeFirstOrThrow();
      expect(kept).toMatchObject({ answers: target.answers, submitted_at: target.submitted_at, invalidated_at: s.now(), invalid_reason: "非调查对象填写" });
      const reviews = await s.db
        .selectFrom("response_reviews")
        .select(["action", "reason", "username", "at"])
        .where("response_id", "=", target.id)
        .orderBy("id")
        .execute();
      expect(reviews.map((r) => [r.action, r.reason, r.username])).toEqual([
        ["invalidate", "所有题目选择同一选项", "city-admin"],
        ["restore", "复核后确认为本人作答", "city-admin"],
        ["invalidate", "非调查对象填写", "city-admin"],
      ]);
      const items = await s.db
        .selectFrom("response_items")
        .select(sql<number>`count(*)`.as("n"))
        .where("response_id", "=", target.id)
        .executeTakeFirstOrThrow();
      expect(Number(items.n)).toBeGreaterThan(0);
    });
  });
}

describe("the migration chains the rows written before it", () => {
  const NAME = "2026-12-07-0300-audit-chain";
  const names = Object.keys(MIGRATIONS);
  const before = names[names.indexOf(NAME) - 1] ?? "";

  const play = async (db: Kysely<Database>, migrationTableSchema?: string) => {
    const migrator = new Migrator({ db, provider: { getMigrations: async () => MIGRATIONS }, ...(migrationTableSchema ? { migrationTableSchema } : {}) });
    expect((await migrator.migrateTo(before)).error).toBeUndefined();
    // Rows as the app wrote them before: no seq, no hashes; one summary row; Chinese detail.
    // The table as it was then, not as db/schema.ts says it is now.
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the table before this migration, not db/schema.ts's
    const old: Kysely<any> = db;
    for (let i = 0; i < 5; i++) {
      await old
        .insertInto("audit_log")
        .values({
          at: 1_000 + i,
          account_id: i === 0 ? null : i,
          username: i === 0 ? null : `u${String(i)}`,
          action: "export",
          subject: `旧记录${String(i)}`,
          detail: JSON.stringify({ file: `旧${String(i)}.csv` }),
          client_address: "192.0.2.1",
        })
        .execute();
    }
    await old
      .insertInto("audit_log")
      .values({ at: 2_000, account_id: null, username: "x", action: "sign_in_limited", detail: "{}", summary_key: "k", repeats: 7, last_at: 3_000 })
      .execute();
    expect((await migrator.migrateTo(NAME)).error).toBeUndefined();
    const verdict = await verifyAuditChain({ db });
    expect(verdict).toMatchObject({ ok: true, count: 6, headSeq: 6 });
    const rows = await db.selectFrom("audit_log").select(["id", "seq"]).orderBy("id").execute();
    expect(rows.map((r) => Number(r.seq))).toEqual([1, 2, 3, 4, 5, 6]);
    // New rows chain on from the backfilled head; down and up again re-chains the same way.
    await audit({ db, now: () => 4_000 }, null, "export", { subject: "新记录" });
    expect(await verifyAuditChain({ db })).toMatchObject({ ok: true, count: 7 });
    const head = await auditHead({ db });
    expect((await migrator.migrateDown()).error).toBeUndefined();
    expect((await migrator.migrateTo(NAME)).error).toBeUndefined();
    expect(await auditHead({ db })).toEqual(head);
    await migrateToLatest(db);
  };

  it("on SQLite", async () => {
    const db = createDb({ kind: "sqlite", file: ":memory:", synchronous: "NORMAL" });
    cleanups.push(() => db.destroy());
    await play(db);
  });

  it.skipIf(!DATABASE_URL)("on PostgreSQL", async () => {
    const created = await createPostgresSchema("yz_audit_m");
    const db = createDb({ kind: "postgres", url: created.url });
    cleanups.push(async () => {
      await db.destroy();
      await created.drop();
    });
    await play(db, created.schema);
  });
});
