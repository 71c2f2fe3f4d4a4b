/**
 * The 操作日志 becomes a hash chain (decision 0023):
 *
 * - `audit_log.seq`: the row's position in the chain, 1, 2, 3, … (unique: two writers can never
 *   both take the same place, whatever else goes wrong);
 * - `audit_log.prev_hash`: the previous row's `hash` (64 zeros for the first row);
 * - `audit_log.hash`: SHA-256 (lowercase hex) of the row's canonical text, version 1
 *   (app/domain/audit-chain.ts), which includes `prev_hash` and `seq`;
 * - `audit_chain_head`: one row (id 1) with the chain's last `seq` and `hash`. Every append
 *   updates it first, which serializes appends on both stores (SQLite's write lock, PostgreSQL's
 *   row lock) and records the head, so a log whose newest rows were deleted no longer matches it.
 *
 * Existing rows are chained here, in id order (the order they were written in: SQLite's
 * autoincrement, and PostgreSQL's bigserial taken by one writer at a time in practice before
 * this). Runs on SQLite and PostgreSQL. Never edit after it has landed; add a new migration.
 */
import { createHash } from "node:crypto";
import { PostgresAdapter, type Kysely } from "kysely";
import { auditRowHash, GENESIS_HASH } from "../../app/domain/audit-chain";

// Migrations see the database as it was, not as db/schema.ts says it is now.
type AnyDb = Kysely<any>;

const sha256 = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");
const PAGE = 1000;

const nullableNumber = (v: unknown) => (v === null || v === undefined ? null : Number(v));
const nullableText = (v: unknown) => (typeof v === "string" ? v : null);

export async function up(db: AnyDb): Promise<void> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  const int = pg ? "bigint" : "integer";
  await db.schema.alterTable("audit_log").addColumn("seq", int).execute();
  await db.schema.alterTable("audit_log").addColumn("prev_hash", "text").execute();
  await db.schema.alterTable("audit_log").addColumn("hash", "text").execute();

  let seq = 0;
  let prev = GENESIS_HASH;
  let afterId = 0;
  for (;;) {
    const rows = await db.selectFrom("audit_log").selectAll().where("id", ">", afterId).orderBy("id").limit(PAGE).execute();
    if (rows.length === 0) break;
    for (const row of rows) {
      seq += 1;
      const hash = auditRowHash(
        {
          seq,
          at: Number(row.at),
          accountId: nullableNumber(row.account_id),
          username: nullableText(row.username),
          action: String(row.action),
          campaignId: nullableText(row.campaign_id),
          countyId: nullableText(row.county_id),
          subject: nullableText(row.subject),
          detail: typeof row.detail === "string" ? row.detail : "{}",
          clientAddress: nullableText(row.client_address),
          summaryKey: nullableText(row.summary_key),
          prevHash: prev,
        },
        sha256,
      );
      await db.updateTable("audit_log").set({ seq, prev_hash: prev, hash }).where("id", "=", row.id).execute();
      prev = hash;
      afterId = Number(row.id);
    }
  }

  await db.schema.createIndex("audit_log_seq").on("audit_log").column("seq").unique().execute();
  await db.schema
    .createTable("audit_chain_head")
    .addColumn("id", "integer", (c) => c.primaryKey())
    .addColumn("seq", int, (c) => c.notNull())
    .addColumn("hash", "text", (c) => c.notNull())
    .execute();
  await db.insertInto("audit_chain_head").values({ id: 1, seq, hash: prev }).execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropTable("audit_chain_head").ifExists().execute();
  await db.schema.dropIndex("audit_log_seq").ifExists().execute();
  for (const column of ["hash", "prev_hash", "seq"]) {
    await db.schema.alterTable("audit_log").dropColumn(column).execute();
  }
}
