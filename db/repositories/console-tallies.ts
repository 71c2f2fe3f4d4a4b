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
import type { ItemScoreCount, SatisfactionCell, SatisfactionRule } from "../../app/domain/satisfaction";
import { overallScoresSatisfying } from "../../app/domain/satisfaction";
import { LOCATIONS, QUESTIONNAIRE_IDS, RESPONDENT_GROUPS } from "../../app/domain/vocabulary";
import type { Database } from "../schema";
import { oneOf } from "./campaigns";

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
  cells: ConsoleCell[];
  items: ConsoleItemCount[];
  /** Responses after the watermark, counted live in this read. */
  tail: number;
  watermark: number;
}

/** SQL truth value of "this questionnaire is satisfied" under `rule` (validity checked apart). */
export function satisfiedSql(rule: SatisfactionRule): RawBuilder<unknown> {
  if (rule.kind === "overall_in") {
    const scores = overallScoresSatisfying(rule) ?? [];
    if (scores.length === 0) return sql`1 = 0`;
    return sql`r.overall_score in (${sql.join(scores.map((s) => sql.lit(s)))})`;
  }
  const sum = rule.includeOverall ? sql`r.score_sum` : sql`(r.score_sum - coalesce(r.overall_score, 0))`;
  const n = rule.includeOverall ? sql`r.score_count` : sql`(r.score_count - case when r.overall_score is null then 0 else 1 end)`;
  return sql`(${n} > 0 and ${sum} >= ${sql.lit(rule.minMeanScore)} * ${n})`;
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

/** Adds the responses with from < id ≤ to of a campaign to its tallies. */
async function addRange(trx: Transaction<Database>, campaignId: string, rule: SatisfactionRule, from: number, to: number): Promise<void> {
  const satisfied = satisfiedSql(rule);
  await sql`
    insert into console_cell_tallies
      (campaign_id, county_id, school_id, respondent_group, questionnaire_id, location, grade, total, invalid, satisfied, flagged)
    select r.campaign_id, r.county_id, coalesce(r.school_id, ''), r.respondent_group, r.questionnaire_id,
           coalesce(r.location, ''), coalesce(r.grade, 0),
           count(*),
           sum(case when r.invalidated_at is not null then 1 else 0 end),
           sum(case when r.invalidated_at is null and ${satisfied} then 1 else 0 end),
           sum(case when r.flags <> '[]' then 1 else 0 end)
    from responses r
    where r.id > ${from} and r.id <= ${to} and r.campaign_id = ${campaignId}
    group by r.campaign_id, r.county_id, coalesce(r.school_id, ''), r.respondent_group, r.questionnaire_id,
             coalesce(r.location, ''), coalesce(r.grade, 0)
    on conflict (campaign_id, county_id, school_id, respondent_group, questionnaire_id, location, grade) do update set
      total = console_cell_tallies.total + excluded.total,
      invalid = console_cell_tallies.invalid + excluded.invalid,
      satisfied = console_cell_tallies.satisfied + excluded.satisfied,
      flagged = console_cell_tallies.flagged + excluded.flagged
  `.execute(trx);
  await sql`
    insert into console_item_tallies
      (campaign_id, county_id, school_id, respondent_group, questionnaire_id, item, score, n)
    select r.campaign_id, r.county_id, coalesce(r.school_id, ''), r.respondent_group, r.questionnaire_id,
           i.item, coalesce(i.score, 0), count(*)
    from responses r
    join response_items i on i.response_id = r.id
    where r.id > ${from} and r.id <= ${to} and r.campaign_id = ${campaignId} and r.invalidated_at is null
    group by r.campaign_id, r.county_id, coalesce(r.school_id, ''), r.respondent_group, r.questionnaire_id, i.item, coalesce(i.score, 0)
    on conflict (campaign_id, county_id, school_id, respondent_group, questionnaire_id, item, score) do update set
      n = console_item_tallies.n + excluded.n
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
}

interface ItemRow {
  county_id: string;
  school_id: string | null;
  respondent_group: string;
  questionnaire_id: string;
  item: string;
  score: number | null;
  n: number | string;
}

function cellKey(r: { countyId: string; schoolId: string | null; group: string; questionnaire: string; location: string | null; grade: number | null }): string {
  return `${r.countyId}\u001f${r.schoolId ?? ""}\u001f${r.group}\u001f${r.questionnaire}\u001f${r.location ?? ""}\u001f${String(r.grade ?? 0)}`;
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

function toItem(row: ItemRow): ConsoleItemCount {
  const score = row.score === null ? null : Number(row.score);
  return {
    countyId: row.county_id,
    schoolId: row.school_id === "" || row.school_id === null ? null : row.school_id,
    group: oneOf(RESPONDENT_GROUPS, row.respondent_group, "respondent group"),
    questionnaire: oneOf(QUESTIONNAIRE_IDS, row.questionnaire_id, "questionnaire"),
    itemId: row.item,
    score: score === 0 ? null : score,
    count: Number(row.n),
  };
}

function inList(column: RawBuilder<unknown>, values: readonly string[] | null): RawBuilder<unknown> {
  if (values === null) return sql`1 = 1`;
  if (values.length === 0) return sql`1 = 0`;
  return sql`${column} in (${sql.join(values)})`;
}

/**
 * The counts of a campaign (optionally only some counties or one school), tallies plus the live
 * tail, read in one snapshot. The tail is counted under `rule`, which the caller keeps equal to
 * the tallies' rule by folding first when it changed (see `tallyState`).
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
    const satisfied = satisfiedSql(rule);

    const stored = await sql<CellRow>`
      select t.county_id, t.school_id, t.respondent_group, t.questionnaire_id, t.location, t.grade, t.total, t.invalid, t.satisfied, t.flagged
      from console_cell_tallies t
      where t.campaign_id = ${campaignId} and ${countyFilterT} and ${schoolFilterT}
    `.execute(trx);
    const live = await sql<CellRow>`
      select r.county_id, r.school_id, r.respondent_group, r.questionnaire_id, r.location, r.grade,
             count(*) as total,
             sum(case when r.invalidated_at is not null then 1 else 0 end) as invalid,
             sum(case when r.invalidated_at is null and ${satisfied} then 1 else 0 end) as satisfied,
             sum(case when r.flags <> '[]' then 1 else 0 end) as flagged
      from responses r
      where r.id > ${watermark} and r.campaign_id = ${campaignId} and ${countyFilterR} and ${schoolFilterR}
      group by r.county_id, r.school_id, r.respondent_group, r.questionnaire_id, r.location, r.grade
    `.execute(trx);
    const cells = new Map<string, ConsoleCell>();
    let tail = 0;
    for (const [rows, isLive] of [[stored.rows, false], [live.rows, true]] as const) {
      for (const row of rows) {
        const c = toCell(row);
        if (isLive) tail += c.total;
        const key = cellKey(c);
        const prev = cells.get(key);
        if (!prev) cells.set(key, c);
        else {
          prev.total += c.total;
          prev.invalid += c.invalid;
          prev.valid += c.valid;
          prev.satisfied += c.satisfied;
          prev.flagged += c.flagged;
        }
      }
    }

    const items = new Map<string, ConsoleItemCount>();
    if (filter.withItems !== false) {
      const storedItems = await sql<ItemRow>`
        select t.county_id, t.school_id, t.respondent_group, t.questionnaire_id, t.item, t.score, t.n
        from console_item_tallies t
        where t.campaign_id = ${campaignId} and ${countyFilterT} and ${schoolFilterT}
      `.execute(trx);
      const liveItems =
        tail === 0
          ? { rows: [] as ItemRow[] }
          : await sql<ItemRow>`
        select r.county_id, r.school_id, r.respondent_group, r.questionnaire_id, i.item, coalesce(i.score, 0) as score, count(*) as n
        from responses r
        join response_items i on i.response_id = r.id
        where r.id > ${watermark} and r.campaign_id = ${campaignId} and r.invalidated_at is null and ${countyFilterR} and ${schoolFilterR}
        group by r.county_id, r.school_id, r.respondent_group, r.questionnaire_id, i.item, coalesce(i.score, 0)
      `.execute(trx);
      for (const row of [...storedItems.rows, ...liveItems.rows]) {
        const it = toItem(row);
        const key = `${it.countyId}\u001f${it.schoolId ?? ""}\u001f${it.group}\u001f${it.questionnaire}\u001f${it.itemId}\u001f${String(it.score ?? 0)}`;
        const prev = items.get(key);
        if (prev) prev.count += it.count;
        else items.set(key, it);
      }
    }
    return { cells: [...cells.values()], items: [...items.values()], tail, watermark };
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
          item: it.item,
          score: it.score ?? 0,
        };
        await trx
          .insertInto("console_item_tallies")
          .values({ ...key, n: -sign })
          .onConflict((oc) =>
            oc
              .columns(["campaign_id", "county_id", "school_id", "respondent_group", "questionnaire_id", "item", "score"])
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
