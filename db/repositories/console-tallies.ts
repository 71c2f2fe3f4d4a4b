/**
 * The console's 社会认可度 counts, fast at a million responses: pre-aggregated tallies up to a
 * watermark (a response id), plus the responses after it aggregated live, read in one snapshot.
 *
 * - `foldTallies` moves the watermark forward over responses submitted at least `lagMs` ago
 *   (so a PostgreSQL transaction that took an id and commits a moment later is not skipped),
 *   adding their counts with INSERT … SELECT … GROUP BY … ON CONFLICT DO UPDATE — the same
 *   statements on SQLite and PostgreSQL. A changed satisfied rule recounts the campaign.
 * - `readTallies` (./console-tallies-read.ts) returns cells and item counts in the shapes of app/domain/satisfaction.ts,
 *   equal to what `satisfactionCounts` (db/repositories/satisfaction.ts) computes from scratch;
 *   a test holds them equal under four rules with invalidations.
 * - `setValidity` marks one questionnaire invalid or valid again and adjusts the tallies in the
 *   same transaction, so rates move at once and no fold can count it twice.
 *
 * - `deleteRawResponses` (./campaign-archive.ts) archives a campaign: raw answers gone, tallies kept.
 *
 * Folds and validity changes of a campaign serialise on its state row (an upsert is their first
 * statement: SQLite's write lock, PostgreSQL's row lock).
 */
import { PostgresAdapter, sql, type Kysely, type RawBuilder, type Transaction } from "kysely";
import type { SatisfactionRule } from "../../app/domain/satisfaction-rule";
import { RELEASE_BLOCK } from "../../app/domain/release";
import type { Database } from "../schema";
import { satisfiedSql } from "./satisfaction-sql";

export const isPg = (db: Kysely<Database>) => db.getExecutor().adapter instanceof PostgresAdapter;

/**
 * For queries over a campaign's responses after an id, which the (campaign_id, id) index
 * answers with a seek: a column wrapped in an expression keeps the planner from preferring an
 * index that starts with campaign_id, county_id (a scan of the county's million rows, 30 ms and
 * more on SQLite). On SQLite a unary plus; on PostgreSQL `|| ''` — its planner would choose by
 * statistics, but right after a bulk load (before autovacuum's ANALYZE) it took the county
 * index and read 333,196 rows for an empty tail (420 ms vs 0.2 ms, bench:dashboard --store postgres).
 */
export function unindexed(db: Kysely<Database>, column: RawBuilder<unknown>): RawBuilder<unknown> {
  return isPg(db) ? sql`(${column} || '')` : sql`+${column}`;
}

/** Locks the campaign's state row (creating it) and returns it. */
export async function lockState(trx: Transaction<Database>, campaignId: string, rule: string, now: number): Promise<{ rule: string; watermark: number }> {
  const row = await trx
    .insertInto("console_tally_state")
    .values({ campaign_id: campaignId, rule, watermark: 0, folded_at: now })
    .onConflict((oc) => oc.column("campaign_id").doUpdateSet({ folded_at: now }))
    .returning(["rule", "watermark"])
    .executeTakeFirstOrThrow();
  return { rule: row.rule, watermark: Number(row.watermark) };
}

async function clearTallies(trx: Transaction<Database>, campaignId: string): Promise<void> {
  await trx.deleteFrom("console_cell_tallies").where("campaign_id", "=", campaignId).execute();
  await trx.deleteFrom("console_item_tallies").where("campaign_id", "=", campaignId).execute();
}

export const CELL_COLUMNS = sql`county_id, school_id, respondent_group, questionnaire_id, location, grade`;

/** `a` and `b` (aliases) are the same cell. */
function sameCell(a: string, b: string): RawBuilder<unknown> {
  const cols = ["county_id", "school_id", "respondent_group", "questionnaire_id", "location", "grade"];
  return sql.join(
    cols.map((c) => sql`${sql.ref(`${a}.${c}`)} = ${sql.ref(`${b}.${c}`)}`),
    sql` and `,
  );
}

/**
 * The CTEs `ranged` and `marked`: the campaign's responses matching `where` (alias r), each with
 * its cell, validity (`inv`), satisfied under the rule whatever its validity (`sat`), flagged
 * (`flg`), and — against the cell's folded total t0 — whether it falls in a released block
 * (`rel`: its place t0 + rn ≤ ⌊(t0 + cnt)/5⌋·5) and whether its cell completes a block with these
 * responses (`completes`). When a cell completes a block, every questionnaire it held unreleased
 * before is released with it (they number fewer than 5).
 */
export function markedCte(campaignId: string, rule: SatisfactionRule, where: RawBuilder<unknown>): RawBuilder<unknown> {
  const satisfied = satisfiedSql(rule);
  const block = sql.lit(RELEASE_BLOCK);
  const cell = sql`r.county_id, coalesce(r.school_id, ''), r.respondent_group, r.questionnaire_id, coalesce(r.location, ''), coalesce(r.grade, 0)`;
  return sql`
    ranged as (
      select r.id, r.county_id, coalesce(r.school_id, '') as school_id, r.respondent_group, r.questionnaire_id,
             coalesce(r.location, '') as location, coalesce(r.grade, 0) as grade,
             case when r.invalidated_at is not null then 1 else 0 end as inv,
             case when ${satisfied} then 1 else 0 end as sat,
             case when r.flags <> '[]' then 1 else 0 end as flg,
             row_number() over (partition by ${cell} order by r.id) as rn,
             count(*) over (partition by ${cell}) as cnt
      from responses r
      where ${where}
    ),
    marked as (
      select g.id, g.county_id, g.school_id, g.respondent_group, g.questionnaire_id, g.location, g.grade, g.inv, g.sat, g.flg,
             case when coalesce(t.total, 0) + g.rn <= ((coalesce(t.total, 0) + g.cnt) / ${block}) * ${block} then 1 else 0 end as rel,
             case when (coalesce(t.total, 0) + g.cnt) / ${block} > coalesce(t.total, 0) / ${block} then 1 else 0 end as completes
      from ranged g
      left join console_cell_tallies t on t.campaign_id = ${campaignId} and ${sameCell("t", "g")}
    )`;
}

const ITEM_KEY = ["campaign_id", "county_id", "school_id", "respondent_group", "questionnaire_id", "location", "grade", "item", "score"] as const;

/**
 * Adds the responses with from < id ≤ to of a campaign to its tallies, full counts and released
 * blocks (decision 0015). Items first (their release reads the cells' totals before this range),
 * then the cells.
 */
async function addRange(trx: Transaction<Database>, campaignId: string, rule: SatisfactionRule, from: number, to: number): Promise<void> {
  const inRange = sql`r.id > ${from} and r.id <= ${to} and r.campaign_id = ${campaignId}`;
  const marked = markedCte(campaignId, rule, inRange);
  await sql`
    insert into console_item_tallies
      (campaign_id, county_id, school_id, respondent_group, questionnaire_id, location, grade, item, score, n, n_any, rel_n)
    select r.campaign_id, r.county_id, coalesce(r.school_id, ''), r.respondent_group, r.questionnaire_id,
           coalesce(r.location, ''), coalesce(r.grade, 0), i.item, coalesce(i.score, 0),
           sum(case when r.invalidated_at is null then 1 else 0 end), count(*), 0
    from responses r
    join response_items i on i.response_id = r.id
    where ${inRange}
    group by r.campaign_id, r.county_id, coalesce(r.school_id, ''), r.respondent_group, r.questionnaire_id,
             coalesce(r.location, ''), coalesce(r.grade, 0), i.item, coalesce(i.score, 0)
    on conflict (${sql.join(ITEM_KEY.map((c) => sql.ref(c)))}) do update set
      n = console_item_tallies.n + excluded.n,
      n_any = console_item_tallies.n_any + excluded.n_any
  `.execute(trx);
  // A cell completing a block releases all its answers but those of this range's responses
  // that stay after the block.
  await sql`
    with ${marked},
    done as (select distinct ${CELL_COLUMNS} from marked where completes = 1)
    update console_item_tallies set rel_n = n_any
    from done d
    where console_item_tallies.campaign_id = ${campaignId} and ${sameCell("console_item_tallies", "d")}
  `.execute(trx);
  await sql`
    with ${marked},
    unreleased as (
      select m.county_id, m.school_id, m.respondent_group, m.questionnaire_id, m.location, m.grade, i.item, coalesce(i.score, 0) as score, count(*) as k
      from marked m
      join response_items i on i.response_id = m.id
      where m.completes = 1 and m.rel = 0
      group by m.county_id, m.school_id, m.respondent_group, m.questionnaire_id, m.location, m.grade, i.item, coalesce(i.score, 0)
    )
    update console_item_tallies set rel_n = rel_n - u.k
    from unreleased u
    where console_item_tallies.campaign_id = ${campaignId} and ${sameCell("console_item_tallies", "u")}
      and console_item_tallies.item = u.item and console_item_tallies.score = u.score
  `.execute(trx);
  // Cells: when this range completes a block (some of its responses released), the block is
  // everything the cell held before plus this range's released responses.
  await sql`
    with ${marked}
    insert into console_cell_tallies
      (campaign_id, ${CELL_COLUMNS}, total, invalid, satisfied, flagged, satisfied_any, rel_total, rel_satisfied, rel_flagged)
    select cast(${campaignId} as text), ${CELL_COLUMNS},
           count(*), sum(inv), sum(case when inv = 0 then sat else 0 end), sum(flg), sum(sat), sum(rel), sum(rel * sat), sum(rel * flg)
    from marked
    where 1 = 1
    group by ${CELL_COLUMNS}
    on conflict (campaign_id, ${CELL_COLUMNS}) do update set
      total = console_cell_tallies.total + excluded.total,
      invalid = console_cell_tallies.invalid + excluded.invalid,
      satisfied = console_cell_tallies.satisfied + excluded.satisfied,
      flagged = console_cell_tallies.flagged + excluded.flagged,
      satisfied_any = console_cell_tallies.satisfied_any + excluded.satisfied_any,
      rel_total = case when excluded.rel_total > 0 then console_cell_tallies.total + excluded.rel_total else console_cell_tallies.rel_total end,
      rel_satisfied = case when excluded.rel_total > 0 then console_cell_tallies.satisfied_any + excluded.rel_satisfied else console_cell_tallies.rel_satisfied end,
      rel_flagged = case when excluded.rel_total > 0 then console_cell_tallies.flagged + excluded.rel_flagged else console_cell_tallies.rel_flagged end
  `.execute(trx);
}

export interface FoldResult {
  watermark: number;
  folded: number;
  recounted: boolean;
}

/**
 * Folds responses submitted up to `now − lagMs` into the tallies (recounting the campaign when
 * its rule changed). Large backlogs are folded in slices of `sliceIds` ids per transaction.
 */
export async function foldTallies(
  db: Kysely<Database>,
  campaignId: string,
  rule: SatisfactionRule,
  options: { now: number; lagMs: number; sliceIds?: number },
): Promise<FoldResult> {
  const ruleText = JSON.stringify(rule);
  const cutoff = options.now - options.lagMs;
  const slice = options.sliceIds ?? 200_000;
  let recounted = false;
  let folded = 0;
  for (;;) {
    const step = await db.transaction().execute(async (trx) => {
      const state = await lockState(trx, campaignId, ruleText, options.now);
      let from = state.watermark;
      if (state.rule !== ruleText) {
        await clearTallies(trx, campaignId);
        await trx.updateTable("console_tally_state").set({ rule: ruleText, watermark: 0 }).where("campaign_id", "=", campaignId).execute();
        recounted = true;
        from = 0;
      }
      // The campaign's first response after the watermark: none, or too recent → done.
      const first = (
        await sql<{ id: number | string; submitted_at: number | string }>`
          select r.id, r.submitted_at from responses r
          where r.id > ${from} and r.campaign_id = ${campaignId}
          order by r.id limit 1
        `.execute(trx)
      ).rows[0];
      if (!first || Number(first.submitted_at) > cutoff) return { watermark: from, done: true, n: 0 };
      const top = (
        await sql<{ top: number | string | null }>`
          select max(r.id) as top from responses r
          where r.id >= ${Number(first.id)} and r.id < ${Number(first.id) + slice}
            and r.campaign_id = ${campaignId} and r.submitted_at <= ${cutoff}
        `.execute(trx)
      ).rows[0];
      const to = top?.top === null || top?.top === undefined ? Number(first.id) : Number(top.top);
      await addRange(trx, campaignId, rule, from, to);
      await trx.updateTable("console_tally_state").set({ watermark: to, folded_at: options.now }).where("campaign_id", "=", campaignId).execute();
      return { watermark: to, done: false, n: to - from };
    });
    folded += step.n;
    if (step.done) return { watermark: step.watermark, folded, recounted };
  }
}

/** The state of a campaign's tallies (null before the first fold). */
export async function tallyState(db: Kysely<Database>, campaignId: string): Promise<{ rule: string; watermark: number; foldedAt: number } | null> {
  const row = await db.selectFrom("console_tally_state").selectAll().where("campaign_id", "=", campaignId).executeTakeFirst();
  return row ? { rule: row.rule, watermark: Number(row.watermark), foldedAt: Number(row.folded_at) } : null;
}

/** How many responses of a campaign lie after the watermark (cheap: a primary-key range). */
export async function tailSize(db: Kysely<Database>, campaignId: string, watermark: number): Promise<number> {
  const row = await sql<{ n: number | string }>`
    select count(*) as n from responses r where r.id > ${watermark} and r.campaign_id = ${campaignId}
  `.execute(db);
  return Number(row.rows[0]?.n ?? 0);
}

export type ValidityChange =
  { ok: true; responseId: number; countyId: string; schoolId: string | null; invalid: boolean } | { ok: false; reason: "not_found" | "unchanged" };

/**
 * Marks a response invalid (`invalid: true`, with the reviewer's reason) or valid again, records
 * the review, and adjusts the tallies when the response is already folded in — one transaction.
 * `inScope` is checked on the response's county before anything changes.
 */
export async function setValidity(
  db: Kysely<Database>,
  input: {
    campaignId: string;
    responseId: number;
    invalid: boolean;
    reason: string;
    rule: SatisfactionRule;
    now: number;
    reviewer: { accountId: number | null; username: string | null };
    inScope: (countyId: string) => boolean;
    /** Runs inside the transaction after the change (the audit entry). */
    afterChange?: (trx: Transaction<Database>, change: { countyId: string; schoolId: string | null }) => Promise<void>;
  },
): Promise<ValidityChange> {
  return db.transaction().execute(async (trx) => {
    const state = await lockState(trx, input.campaignId, JSON.stringify(input.rule), input.now);
    const response = await trx
      .selectFrom("responses")
      .select([
        "id",
        "county_id",
        "school_id",
        "respondent_group",
        "questionnaire_id",
        "location",
        "grade",
        "invalidated_at",
        "overall_score",
        "score_sum",
        "score_count",
        "flags",
      ])
      .where("id", "=", input.responseId)
      .where("campaign_id", "=", input.campaignId)
      .executeTakeFirst();
    if (!response || !input.inScope(response.county_id)) return { ok: false, reason: "not_found" } as const;
    if ((response.invalidated_at !== null) === input.invalid) return { ok: false, reason: "unchanged" } as const;
    const id = Number(response.id);
    await trx
      .updateTable("responses")
      .set({ invalidated_at: input.invalid ? input.now : null, invalid_reason: input.invalid ? input.reason : null })
      .where("id", "=", id)
      .execute();
    await trx
      .insertInto("response_reviews")
      .values({
        response_id: id,
        campaign_id: input.campaignId,
        county_id: response.county_id,
        action: input.invalid ? "invalidate" : "restore",
        reason: input.reason,
        account_id: input.reviewer.accountId,
        username: input.reviewer.username,
        at: input.now,
      })
      .execute();
    // Folded already (and counted under the same rule): move it between valid and invalid.
    if (id <= state.watermark && state.rule === JSON.stringify(input.rule)) {
      const sign = input.invalid ? 1 : -1;
      const satisfiedRow = await sql<{ s: number | string }>`
        select case when ${satisfiedSql(input.rule)} then 1 else 0 end as s from responses r where r.id = ${id}
      `.execute(trx);
      const satisfied = Number(satisfiedRow.rows[0]?.s ?? 0);
      await trx
        .updateTable("console_cell_tallies")
        .set((eb) => ({
          invalid: eb("invalid", "+", sign),
          satisfied: eb("satisfied", "-", sign * satisfied),
        }))
        .where("campaign_id", "=", input.campaignId)
        .where("county_id", "=", response.county_id)
        .where("school_id", "=", response.school_id ?? "")
        .where("respondent_group", "=", response.respondent_group)
        .where("questionnaire_id", "=", response.questionnaire_id)
        .where("location", "=", response.location ?? "")
        .where("grade", "=", response.grade ?? 0)
        .execute();
      const items = await trx.selectFrom("response_items").select(["item", "score"]).where("response_id", "=", id).execute();
      for (const it of items) {
        const key = {
          campaign_id: input.campaignId,
          county_id: response.county_id,
          school_id: response.school_id ?? "",
          respondent_group: response.respondent_group,
          questionnaire_id: response.questionnaire_id,
          location: response.location ?? "",
          grade: response.grade ?? 0,
          item: it.item,
          score: it.score ?? 0,
        };
        await trx
          .insertInto("console_item_tallies")
          .values({ ...key, n: -sign })
          .onConflict((oc) => oc.columns([...ITEM_KEY]).doUpdateSet((eb) => ({ n: eb("console_item_tallies.n", "-", sign) })))
          .execute();
      }
    }
    await input.afterChange?.(trx, { countyId: response.county_id, schoolId: response.school_id });
    return { ok: true, responseId: id, countyId: response.county_id, schoolId: response.school_id, invalid: input.invalid } as const;
  });
}

/** Whether a response is currently folded in (for tests). */
export async function isFolded(db: Kysely<Database>, campaignId: string, responseId: number): Promise<boolean> {
  const s = await tallyState(db, campaignId);
  return s !== null && responseId <= s.watermark;
}
