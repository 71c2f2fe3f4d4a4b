/**
 * The console's 社会认可度 counts, fast at a million responses: pre-aggregated tallies up to a
 * watermark (a response id), plus the responses after it aggregated live, read in one snapshot.
 *
 * - `foldTallies` moves the watermark forward over responses submitted at least `lagMs` ago
 *   (so a PostgreSQL transaction that took an id and commits a moment later is not skipped),
 *   adding their counts with INSERT … SELECT … GROUP BY … ON CONFLICT DO UPDATE — the same
 *   statements on SQLite and PostgreSQL. A changed satisfied rule recounts the campaign.
 * - `readTallies` returns cells and item counts in the shapes of app/domain/satisfaction.ts,
 *   equal to what `satisfactionCounts` (db/repositories/satisfaction.ts) computes from scratch;
 *   a test holds them equal under four rules with invalidations.
 * - `setValidity` marks one questionnaire invalid or valid again and adjusts the tallies in the
 *   same transaction, so rates move at once and no fold can count it twice.
 *
 * Folds and validity changes of a campaign serialise on its state row (an upsert is their first
 * statement: SQLite's write lock, PostgreSQL's row lock).
 */
import { PostgresAdapter, sql, type Kysely, type RawBuilder, type Transaction } from "kysely";
import type { ItemScoreCount, SatisfactionCell } from "../../app/domain/satisfaction";
import type { SatisfactionRule } from "../../app/domain/satisfaction-rule";
import { RELEASE_BLOCK } from "../../app/domain/release";
import { LOCATIONS, QUESTIONNAIRE_IDS, RESPONDENT_GROUPS } from "../../app/domain/vocabulary";
import type { Database } from "../schema";
import { oneOf } from "./campaigns";
import { satisfiedSql } from "./satisfaction-sql";

/** A cell with the school-level detail the console needs besides the domain's counts. */
export interface ConsoleCell extends SatisfactionCell {
  /** Questionnaires carrying at least one integrity flag (作答过快, 同一选项, …). */
  flagged: number;
}

/** Item counts with their school (null = county-level link). */
export interface ConsoleItemCount extends ItemScoreCount {
  schoolId: string | null;
}

export interface TallyRead {
  /** Every questionnaire received, reviews applied. */
  cells: ConsoleCell[];
  items: ConsoleItemCount[];
  /** The released blocks (decision 0015), what an open campaign publishes. */
  released: { cells: ConsoleCell[]; items: ConsoleItemCount[] };
  /** Responses after the watermark, counted live in this read. */
  tail: number;
  watermark: number;
}

const isPg = (db: Kysely<Database>) => db.getExecutor().adapter instanceof PostgresAdapter;

/**
 * For queries over a campaign's responses after an id, which the (campaign_id, id) index
 * answers with a seek: a column wrapped in an expression keeps the planner from preferring an
 * index that starts with campaign_id, county_id (a scan of the county's million rows, 30 ms and
 * more on SQLite). On SQLite a unary plus; on PostgreSQL `|| ''` — its planner would choose by
 * statistics, but right after a bulk load (before autovacuum's ANALYZE) it took the county
 * index and read 333,196 rows for an empty tail (420 ms vs 0.2 ms, bench:dashboard --store postgres).
 */
function unindexed(db: Kysely<Database>, column: RawBuilder<unknown>): RawBuilder<unknown> {
  return isPg(db) ? sql`(${column} || '')` : sql`+${column}`;
}

/** Locks the campaign's state row (creating it) and returns it. */
async function lockState(trx: Transaction<Database>, campaignId: string, rule: string, now: number): Promise<{ rule: string; watermark: number }> {
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

const CELL_COLUMNS = sql`county_id, school_id, respondent_group, questionnaire_id, location, grade`;

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
function markedCte(campaignId: string, rule: SatisfactionRule, where: RawBuilder<unknown>): RawBuilder<unknown> {
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

interface CellRow {
  county_id: string;
  school_id: string | null;
  respondent_group: string;
  questionnaire_id: string;
  location: string | null;
  grade: number | null;
  total: number | string;
  invalid: number | string;
  satisfied: number | string;
  flagged: number | string;
  satisfied_any: number | string;
  rel_total: number | string;
  rel_satisfied: number | string;
  rel_flagged: number | string;
}

interface ItemRow {
  county_id: string;
  school_id: string | null;
  respondent_group: string;
  questionnaire_id: string;
  location: string | null;
  grade: number | null;
  item: string;
  score: number | null;
  n: number | string;
  n_any: number | string;
  rel_n: number | string;
}

function cellKey(r: { countyId: string; schoolId: string | null; group: string; questionnaire: string; location: string | null; grade: number | null }): string {
  return `${r.countyId}\u001f${r.schoolId ?? ""}\u001f${r.group}\u001f${r.questionnaire}\u001f${r.location ?? ""}\u001f${String(r.grade ?? 0)}`;
}

function rowCellKey(r: { county_id: string; school_id: string | null; respondent_group: string; questionnaire_id: string; location: string | null; grade: number | null }): string {
  return `${r.county_id}\u001f${r.school_id ?? ""}\u001f${r.respondent_group}\u001f${r.questionnaire_id}\u001f${r.location ?? ""}\u001f${String(Number(r.grade ?? 0))}`;
}

function toCell(row: CellRow): ConsoleCell {
  const total = Number(row.total);
  const invalid = Number(row.invalid);
  return {
    countyId: row.county_id,
    schoolId: row.school_id === "" || row.school_id === null ? null : row.school_id,
    group: oneOf(RESPONDENT_GROUPS, row.respondent_group, "respondent group"),
    questionnaire: oneOf(QUESTIONNAIRE_IDS, row.questionnaire_id, "questionnaire"),
    location: row.location === "" || row.location === null ? null : oneOf(LOCATIONS, row.location, "location"),
    grade: row.grade === null || Number(row.grade) === 0 ? null : Number(row.grade),
    total,
    invalid,
    valid: total - invalid,
    satisfied: Number(row.satisfied),
    flagged: Number(row.flagged),
  };
}

function toItem(row: ItemRow, count: number): ConsoleItemCount {
  const score = row.score === null ? null : Number(row.score);
  return {
    countyId: row.county_id,
    schoolId: row.school_id === "" || row.school_id === null ? null : row.school_id,
    group: oneOf(RESPONDENT_GROUPS, row.respondent_group, "respondent group"),
    questionnaire: oneOf(QUESTIONNAIRE_IDS, row.questionnaire_id, "questionnaire"),
    itemId: row.item,
    score: score === 0 ? null : score,
    count,
  };
}

function itemKey(it: ConsoleItemCount): string {
  return `${it.countyId}\u001f${it.schoolId ?? ""}\u001f${it.group}\u001f${it.questionnaire}\u001f${it.itemId}\u001f${String(it.score ?? 0)}`;
}

function inList(column: RawBuilder<unknown>, values: readonly string[] | null): RawBuilder<unknown> {
  if (values === null) return sql`1 = 1`;
  if (values.length === 0) return sql`1 = 0`;
  return sql`${column} in (${sql.join(values)})`;
}

/** A cell's running sums while reading. */
interface Acc {
  full: ConsoleCell;
  /** The released block: questionnaires, satisfied and flagged among them (validity aside). */
  rel: { total: number; satisfied: number; flagged: number };
  /** Stored sums the block is taken from when the tail completes one. */
  storedAll: { total: number; satisfiedAny: number; flagged: number };
}

/**
 * The counts of a campaign (optionally only some counties or one school), tallies plus the live
 * tail, read in one snapshot: `cells`/`items` count every questionnaire received (reviews
 * applied), `released` the released blocks (decision 0015: per cell its first ⌊n/5⌋·5
 * questionnaires by id, validity aside; a cell without a released questionnaire is left out).
 * The tail is counted under `rule`, which the caller keeps equal to the tallies' rule by folding
 * first when it changed (see `tallyState`); its blocks are marked against the folded totals the
 * same way the fold marks them, so the released figures do not depend on when folds run.
 */
export async function readTallies(
  db: Kysely<Database>,
  campaignId: string,
  rule: SatisfactionRule,
  filter: { countyIds?: readonly string[] | null; schoolId?: string | null; withItems?: boolean } = {},
): Promise<TallyRead> {
  const counties = filter.countyIds ?? null;
  const school = filter.schoolId ?? null;
  const read = async (trx: Kysely<Database>): Promise<TallyRead> => {
    const state = await trx.selectFrom("console_tally_state").select(["watermark"]).where("campaign_id", "=", campaignId).executeTakeFirst();
    const watermark = state ? Number(state.watermark) : 0;
    const countyFilterT = inList(sql`t.county_id`, counties);
    const countyFilterR = inList(unindexed(db, sql`r.county_id`), counties);
    const schoolFilterT = school === null ? sql`1 = 1` : sql`t.school_id = ${school}`;
    const schoolFilterR = school === null ? sql`1 = 1` : sql`${unindexed(db, sql`r.school_id`)} = ${school}`;
    const marked = markedCte(campaignId, rule, sql`r.id > ${watermark} and r.campaign_id = ${campaignId} and ${countyFilterR} and ${schoolFilterR}`);

    const stored = await sql<CellRow>`
      select t.county_id, t.school_id, t.respondent_group, t.questionnaire_id, t.location, t.grade, t.total, t.invalid, t.satisfied, t.flagged,
             t.satisfied_any, t.rel_total, t.rel_satisfied, t.rel_flagged
      from console_cell_tallies t
      where t.campaign_id = ${campaignId} and ${countyFilterT} and ${schoolFilterT}
    `.execute(trx);
    const live = await sql<CellRow>`
      with ${marked}
      select county_id, school_id, respondent_group, questionnaire_id, location, grade,
             count(*) as total, sum(inv) as invalid, sum(case when inv = 0 then sat else 0 end) as satisfied, sum(flg) as flagged,
             sum(sat) as satisfied_any, sum(rel) as rel_total, sum(rel * sat) as rel_satisfied, sum(rel * flg) as rel_flagged
      from marked
      group by ${CELL_COLUMNS}
    `.execute(trx);
    const cells = new Map<string, Acc>();
    for (const row of stored.rows) {
      cells.set(rowCellKey(row), {
        full: toCell(row),
        rel: { total: Number(row.rel_total), satisfied: Number(row.rel_satisfied), flagged: Number(row.rel_flagged) },
        storedAll: { total: Number(row.total), satisfiedAny: Number(row.satisfied_any), flagged: Number(row.flagged) },
      });
    }
    // Cells whose block the tail completes: their released block is taken afresh.
    const completing = new Set<string>();
    let tail = 0;
    for (const row of live.rows) {
      const c = toCell(row);
      tail += c.total;
      const key = rowCellKey(row);
      const acc = cells.get(key);
      const relTotal = Number(row.rel_total);
      if (!acc) {
        cells.set(key, { full: c, rel: { total: relTotal, satisfied: Number(row.rel_satisfied), flagged: Number(row.rel_flagged) }, storedAll: { total: 0, satisfiedAny: 0, flagged: 0 } });
      } else {
        acc.full.total += c.total;
        acc.full.invalid += c.invalid;
        acc.full.valid += c.valid;
        acc.full.satisfied += c.satisfied;
        acc.full.flagged += c.flagged;
        if (relTotal > 0) {
          acc.rel = {
            total: acc.storedAll.total + relTotal,
            satisfied: acc.storedAll.satisfiedAny + Number(row.rel_satisfied),
            flagged: acc.storedAll.flagged + Number(row.rel_flagged),
          };
        }
      }
      if (relTotal > 0) completing.add(key);
    }

    const items = new Map<string, ConsoleItemCount>();
    const releasedItems = new Map<string, ConsoleItemCount>();
    const add = (into: Map<string, ConsoleItemCount>, row: ItemRow, count: number) => {
      if (count === 0) return;
      const it = toItem(row, count);
      const key = itemKey(it);
      const prev = into.get(key);
      if (prev) prev.count += count;
      else into.set(key, it);
    };
    if (filter.withItems !== false) {
      const storedItems = await sql<ItemRow>`
        select t.county_id, t.school_id, t.respondent_group, t.questionnaire_id, t.location, t.grade, t.item, t.score, t.n, t.n_any, t.rel_n
        from console_item_tallies t
        where t.campaign_id = ${campaignId} and ${countyFilterT} and ${schoolFilterT}
      `.execute(trx);
      const liveItems =
        tail === 0
          ? { rows: [] as ItemRow[] }
          : await sql<ItemRow>`
        with ${marked}
        select m.county_id, m.school_id, m.respondent_group, m.questionnaire_id, m.location, m.grade, i.item, coalesce(i.score, 0) as score,
               sum(case when m.inv = 0 then 1 else 0 end) as n, count(*) as n_any, sum(m.rel) as rel_n
        from marked m
        join response_items i on i.response_id = m.id
        group by m.county_id, m.school_id, m.respondent_group, m.questionnaire_id, m.location, m.grade, i.item, coalesce(i.score, 0)
      `.execute(trx);
      for (const row of storedItems.rows) {
        add(items, row, Number(row.n));
        add(releasedItems, row, completing.has(rowCellKey(row)) ? Number(row.n_any) : Number(row.rel_n));
      }
      for (const row of liveItems.rows) {
        add(items, row, Number(row.n));
        add(releasedItems, row, Number(row.rel_n));
      }
    }
    const all = [...cells.values()];
    return {
      cells: all.map((a) => a.full),
      items: [...items.values()],
      released: {
        cells: all
          .filter((a) => a.rel.total > 0)
          .map((a) => ({ ...a.full, total: a.rel.total, invalid: 0, valid: a.rel.total, satisfied: a.rel.satisfied, flagged: a.rel.flagged })),
        items: [...releasedItems.values()],
      },
      tail,
      watermark,
    };
  };
  // One snapshot: a fold committing between the reads must not be counted twice.
  if (isPg(db)) return db.transaction().setIsolationLevel("repeatable read").execute(read);
  return db.transaction().execute(read);
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
  | { ok: true; responseId: number; countyId: string; schoolId: string | null; invalid: boolean }
  | { ok: false; reason: "not_found" | "unchanged" };

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
      .select(["id", "county_id", "school_id", "respondent_group", "questionnaire_id", "location", "grade", "invalidated_at", "overall_score", "score_sum", "score_count", "flags"])
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
          .onConflict((oc) =>
            oc
              .columns([...ITEM_KEY])
              .doUpdateSet((eb) => ({ n: eb("console_item_tallies.n", "-", sign) })),
          )
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

export interface ArchiveRecord {
  archivedAt: number;
  archivedBy: string | null;
  responsesDeleted: number;
}

export async function getArchive(db: Kysely<Database>, campaignId: string): Promise<ArchiveRecord | null> {
  const row = await db.selectFrom("campaign_archives").selectAll().where("campaign_id", "=", campaignId).executeTakeFirst();
  return row ? { archivedAt: Number(row.archived_at), archivedBy: row.archived_by, responsesDeleted: Number(row.responses_deleted) } : null;
}

/**
 * Deletes a campaign's raw responses (their item rows go with them) after folding everything
 * into the tallies, and records the archive — one transaction, on the state row's lock, so no
 * fold or review can interleave. Returns null when already archived.
 */
export async function deleteRawResponses(
  db: Kysely<Database>,
  campaignId: string,
  rule: SatisfactionRule,
  input: { now: number; by: string | null },
): Promise<{ deleted: number } | null> {
  await foldTallies(db, campaignId, rule, { now: input.now, lagMs: 0, sliceIds: 1_000_000_000 });
  return db.transaction().execute(async (trx) => {
    const state = await lockState(trx, campaignId, JSON.stringify(rule), input.now);
    if (await trx.selectFrom("campaign_archives").select("campaign_id").where("campaign_id", "=", campaignId).executeTakeFirst()) return null;
    const stray = await sql<{ n: number | string }>`select count(*) as n from responses r where r.campaign_id = ${campaignId} and r.id > ${state.watermark}`.execute(trx);
    if (Number(stray.rows[0]?.n ?? 0) > 0) throw new Error("responses arrived after the last fold; archive again");
    await sql`delete from response_items where response_id in (select id from responses where campaign_id = ${campaignId})`.execute(trx);
    const deleted = await trx.deleteFrom("responses").where("campaign_id", "=", campaignId).executeTakeFirst();
    const n = Number(deleted.numDeletedRows);
    await trx.insertInto("campaign_archives").values({ campaign_id: campaignId, archived_at: input.now, archived_by: input.by, responses_deleted: n }).execute();
    return { deleted: n };
  });
}
