/**
 * Reading the console's 社会认可度 counts (see ./console-tallies.ts for the tallies and the
 * watermark): `readTallies` returns cells and item counts in the shapes of
 * app/domain/satisfaction.ts — the folded tallies plus the responses after the watermark
 * aggregated live, in one snapshot — equal to what `satisfactionCounts`
 * (db/repositories/satisfaction.ts) computes from scratch.
 */
import { sql, type Kysely, type RawBuilder } from "kysely";
import type { ItemScoreCount, SatisfactionCell } from "../../app/domain/satisfaction";
import type { SatisfactionRule } from "../../app/domain/satisfaction-rule";
import { LOCATIONS, QUESTIONNAIRE_IDS, RESPONDENT_GROUPS } from "../../app/domain/vocabulary";
import type { Database } from "../schema";
import { oneOf } from "./campaigns";
import { CELL_COLUMNS, isPg, markedCte, unindexed } from "./console-tallies";

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

function rowCellKey(r: {
  county_id: string;
  school_id: string | null;
  respondent_group: string;
  questionnaire_id: string;
  location: string | null;
  grade: number | null;
}): string {
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
        cells.set(key, {
          full: c,
          rel: { total: relTotal, satisfied: Number(row.rel_satisfied), flagged: Number(row.rel_flagged) },
          storedAll: { total: 0, satisfiedAny: 0, flagged: 0 },
        });
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
