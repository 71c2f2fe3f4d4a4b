/**
 * Release in blocks of 5 (decision 0015) through the tallies and `campaignCounts`, which every
 * page, `?_data=` loader, 表Ⅵ, the report, the 申报表 workbook and `npm run evaluate -- --campaign`
 * read: the released figures equal the rule's reference (app/domain/release.ts) whatever the
 * folds and reviews; two downloads one response apart reveal nothing about that response — at
 * every n from 1 to 12 in one cell, and across the cells of one county; reviews do not move an
 * open campaign's figures; a closed campaign publishes everything. Runs on SQLite, and on
 * PostgreSQL in `npm test`'s second integration step (TEST_STORE=postgres).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { campaignCounts } from "../../../app/.server/console/tallies";
import { releasedRows } from "../../../app/domain/release";
import { DEFAULT_SATISFACTION_RULE, type SatisfactionRule } from "../../../app/domain/satisfaction-rule";
import { foldTallies, setValidity } from "../../../db/repositories/console-tallies";
import { readTallies } from "../../../db/repositories/console-tallies-read";
import { insertResponse } from "../../../db/repositories/responses";
import { responseRow } from "../../support/rows";
import { makeTestServices, type TestServices } from "../../support/services";

const RULE: SatisfactionRule = DEFAULT_SATISFACTION_RULE;
const FUTURE = Date.UTC(2030, 0, 1);
let services: TestServices;
let schools: string[] = [];
let serial = 0;

beforeAll(async () => {
  services = await makeTestServices();
  schools = (await services.db.selectFrom("schools").select("id").where("county_id", "=", "640502").orderBy("id").limit(3).execute()).map((s) => s.id);
  expect(schools.length).toBe(3);
});
afterAll(async () => {
  await services.dispose();
});

/** A deterministic pseudo-random sequence (mulberry32). */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function newCampaign(id: string): Promise<{ id: string; satisfactionRule: SatisfactionRule; closesAt: number }> {
  await services.db
    .insertInto("campaigns")
    .values({
      id,
      name: id,
      city: "中卫市",
      year: 2026,
      phase: "self",
      opens_at: 0,
      closes_at: FUTURE,
      satisfaction_rule: JSON.stringify(RULE),
      is_demo: 0,
      created_at: 0,
    })
    .execute();
  return { id, satisfactionRule: RULE, closesAt: FUTURE };
}

interface Answer {
  school: number;
  grade: number;
  /** 总体评价 5 (满意) or 2 (不太满意); the item q1 gets the same score. */
  satisfied: boolean;
  flagged?: boolean;
}

async function add(campaignId: string, a: Answer): Promise<number> {
  serial += 1;
  const score = a.satisfied ? 5 : 2;
  const out = await insertResponse(
    services.db,
    responseRow(serial, {
      campaign_id: campaignId,
      school_id: schools[a.school] ?? null,
      grade: a.grade,
      overall_score: score,
      score_sum: score * 2,
      score_count: 2,
      flags: a.flagged ? '["too_fast"]' : "[]",
    }),
    [
      { item: "q1", score },
      { item: "overall", score },
    ],
  );
  if (out.kind !== "inserted") throw new Error(out.kind);
  return Number(out.id);
}

/** What a download shows: the published cells and items, in a canonical order. */
async function download(campaign: { id: string; satisfactionRule: SatisfactionRule; closesAt: number }) {
  const c = await campaignCounts(services, campaign, { withItems: true });
  return {
    cells: c.cells.map((x) => [x.schoolId, x.group, x.grade, x.total, x.invalid, x.valid, x.satisfied, x.flagged].join("|")).sort(),
    items: c.items.map((x) => [x.schoolId, x.itemId, x.score, x.count].join("|")).sort(),
    county: { total: c.cells.reduce((s, x) => s + x.total, 0), satisfied: c.cells.reduce((s, x) => s + x.satisfied, 0) },
    release: c.release,
  };
}

/** The reference: the campaign's rows through releasedRows, summed per cell and per item. */
async function reference(campaignId: string) {
  const rows = await services.db
    .selectFrom("responses")
    .select(["id", "school_id", "grade", "overall_score", "flags"])
    .where("campaign_id", "=", campaignId)
    .execute();
  const released = releasedRows(rows.map((r) => ({ ...r, id: Number(r.id), cell: `${r.school_id ?? ""}|${String(r.grade)}` })));
  const cells = new Map<string, { total: number; satisfied: number; flagged: number }>();
  const items = new Map<string, number>();
  for (const r of released) {
    const c = cells.get(r.cell) ?? { total: 0, satisfied: 0, flagged: 0 };
    c.total += 1;
    c.satisfied += Number(r.overall_score) >= 4 ? 1 : 0;
    c.flagged += r.flags === "[]" ? 0 : 1;
    cells.set(r.cell, c);
    for (const item of ["q1", "overall"]) {
      const key = `${r.school_id ?? ""}|${item}|${String(r.overall_score)}`;
      items.set(key, (items.get(key) ?? 0) + 1);
    }
  }
  return {
    cells: [...cells.entries()].map(([k, c]) => `${k}|${String(c.total)}|${String(c.satisfied)}|${String(c.flagged)}`).sort(),
    items: [...items.entries()].map(([k, n]) => `${k}|${String(n)}`).sort(),
  };
}

async function releasedNow(campaignId: string) {
  const read = await readTallies(services.db, campaignId, RULE);
  const items = new Map<string, number>();
  for (const i of read.released.items) {
    const key = `${i.schoolId ?? ""}|${i.itemId}|${String(i.score)}`;
    items.set(key, (items.get(key) ?? 0) + i.count);
  }
  return {
    cells: read.released.cells.map((c) => `${c.schoolId ?? ""}|${String(c.grade)}|${String(c.total)}|${String(c.satisfied)}|${String(c.flagged)}`).sort(),
    items: [...items.entries()].map(([k, n]) => `${k}|${String(n)}`).sort(),
  };
}

async function review(campaignId: string, responseId: number, invalid: boolean) {
  const r = await setValidity(services.db, {
    campaignId,
    responseId,
    invalid,
    reason: "测试",
    rule: RULE,
    now: services.now(),
    reviewer: { accountId: null, username: null },
    inScope: () => true,
  });
  expect(r.ok).toBe(true);
}

describe("release in blocks of 5", () => {
  it("equals the rule's reference after every response, whatever the folds (slices of any size, live tails) and reviews", async () => {
    const id = "blk-ref";
    await newCampaign(id);
    const rnd = random(11);
    const ids: number[] = [];
    for (let n = 1; n <= 80; n++) {
      ids.push(await add(id, { school: Math.floor(rnd() * 3), grade: 3 + Math.floor(rnd() * 2), satisfied: rnd() < 0.6, flagged: rnd() < 0.2 }));
      const roll = rnd();
      if (roll < 0.3) await foldTallies(services.db, id, RULE, { now: services.now(), lagMs: 0, sliceIds: 1 + Math.floor(rnd() * 7) });
      else if (roll < 0.4) {
        const target = ids[Math.floor(rnd() * ids.length)] ?? 0;
        const row = await services.db.selectFrom("responses").select("invalidated_at").where("id", "=", target).executeTakeFirstOrThrow();
        await review(id, target, row.invalidated_at === null);
      }
      expect(await releasedNow(id)).toEqual(await reference(id));
    }
    await foldTallies(services.db, id, RULE, { now: services.now(), lagMs: 0 });
    expect(await releasedNow(id)).toEqual(await reference(id));
  });

  it("two downloads one response apart reveal nothing about it, at every n from 1 to 12 in one cell", async () => {
    // World A and world B hold the same responses except the newest; in B it has the other verdict.
    // When it completes a block, B also swaps the verdict of the block's first member: the block
    // then holds as many satisfied in both worlds, so a download cannot tell the newest apart.
    const pattern = [true, false, true, true, false, false, true, true, true, false, true, false];
    for (let n = 1; n <= 12; n++) {
      const a = await newCampaign(`blk-a${String(n)}`);
      const b = await newCampaign(`blk-b${String(n)}`);
      const completes = n % 5 === 0;
      for (let k = 1; k < n; k++) {
        const v = pattern[k - 1] ?? true;
        const firstOfBlock = completes && k === n - 4;
        await add(a.id, { school: 0, grade: 3, satisfied: firstOfBlock ? false : v });
        await add(b.id, { school: 0, grade: 3, satisfied: firstOfBlock ? true : v });
      }
      const beforeA = await download(a);
      expect(await download(b)).toEqual(beforeA);
      await add(a.id, { school: 0, grade: 3, satisfied: true });
      await add(b.id, { school: 0, grade: 3, satisfied: false });
      const afterA = await download(a);
      const afterB = await download(b);
      expect(afterB.cells, `n = ${String(n)}`).toEqual(afterA.cells);
      expect(afterB.items, `n = ${String(n)}`).toEqual(afterA.items);
      expect(afterA.county.total, `n = ${String(n)}`).toBe(Math.floor(n / 5) * 5);
      expect(afterA.release.received).toBe(n);
      expect(afterA.release.pending).toBe(n % 5);
      // Not completing a block, the download is the one before, to the figure.
      if (!completes) expect({ cells: afterA.cells, items: afterA.items }, `n = ${String(n)}`).toEqual({ cells: beforeA.cells, items: beforeA.items });
    }
  });

  it("a cell reaching 5 shows its five together: the four before it are not told apart from the fifth", async () => {
    const a = await newCampaign("blk-five-a");
    const b = await newCampaign("blk-five-b");
    for (const v of [false, true, true, false]) {
      await add(a.id, { school: 1, grade: 4, satisfied: v });
      await add(b.id, { school: 1, grade: 4, satisfied: v });
    }
    const four = await download(a);
    expect(four.cells).toEqual([]);
    expect(four.items).toEqual([]);
    expect(four.release).toMatchObject({ blocks: true, received: 4, counted: 0, pending: 4 });
    await add(a.id, { school: 1, grade: 4, satisfied: true });
    await add(b.id, { school: 1, grade: 4, satisfied: false });
    const fiveA = await download(a);
    expect(fiveA.county).toEqual({ total: 5, satisfied: 3 });
    expect(fiveA.release).toMatchObject({ received: 5, counted: 5, pending: 0 });
    // In B the fifth is unsatisfied; swapping it with the first (B2) gives the same figures as A.
    const b2 = await newCampaign("blk-five-b2");
    for (const v of [true, true, true, false, false]) await add(b2.id, { school: 1, grade: 4, satisfied: v });
    expect((await download(b2)).cells).toEqual(fiveA.cells);
    expect((await download(b)).county).toEqual({ total: 5, satisfied: 2 });
  });

  it("across the cells of one county: a response in any cell changes the county's figures only with its block", async () => {
    const rnd = random(5);
    const plan: Answer[] = [];
    for (let k = 0; k < 30; k++) plan.push({ school: Math.floor(rnd() * 3), grade: 3 + Math.floor(rnd() * 2), satisfied: rnd() < 0.5 });
    for (let n = 1; n <= 30; n += 1) {
      const newest = plan[n - 1] as Answer;
      const sameCell = plan
        .slice(0, n - 1)
        .map((p, i) => ({ p, i }))
        .filter(({ p }) => p.school === newest.school && p.grade === newest.grade);
      const completes = (sameCell.length + 1) % 5 === 0;
      // When the newest completes its cell's block, the block's first member takes the other verdict in B.
      const swap = completes ? (sameCell[sameCell.length - 4]?.i ?? -1) : -1;
      const a = await newCampaign(`blk-ca${String(n)}`);
      const b = await newCampaign(`blk-cb${String(n)}`);
      for (let k = 0; k < n - 1; k++) {
        const p = plan[k] as Answer;
        await add(a.id, { ...p, satisfied: k === swap ? false : p.satisfied });
        await add(b.id, { ...p, satisfied: k === swap ? true : p.satisfied });
      }
      const before = await download(a);
      await add(a.id, { ...newest, satisfied: true });
      await add(b.id, { ...newest, satisfied: false });
      const afterA = await download(a);
      const afterB = await download(b);
      expect(afterB.cells, `n = ${String(n)}`).toEqual(afterA.cells);
      expect(afterB.items, `n = ${String(n)}`).toEqual(afterA.items);
      if (!completes) expect(afterA.cells, `n = ${String(n)}`).toEqual(before.cells);
      else expect(afterA.county.total - before.county.total).toBe(5);
    }
  });

  it("reviews do not move an open campaign's figures (no one-response step); closed, the figures are every valid questionnaire", async () => {
    const c = await newCampaign("blk-review");
    const ids: number[] = [];
    for (const v of [true, false, true, true, false, true, true]) ids.push(await add(c.id, { school: 2, grade: 3, satisfied: v }));
    await foldTallies(services.db, c.id, RULE, { now: services.now(), lagMs: 0 });
    const before = await download(c);
    expect(before.county).toEqual({ total: 5, satisfied: 3 });
    // A released questionnaire (the first), a pending one (the seventh), one in the live tail.
    ids.push(await add(c.id, { school: 2, grade: 3, satisfied: true }));
    await review(c.id, ids[0] ?? 0, true);
    await review(c.id, ids[6] ?? 0, true);
    await review(c.id, ids[7] ?? 0, true);
    const after = await download(c);
    expect({ cells: after.cells, items: after.items }).toEqual({ cells: before.cells, items: before.items });
    expect(after.release).toMatchObject({ received: 8, counted: 5, pending: 3, invalidReceived: 3 });
    // Two more complete the next block: it holds all ten, validity aside, until the close.
    await add(c.id, { school: 2, grade: 3, satisfied: false });
    await add(c.id, { school: 2, grade: 3, satisfied: false });
    expect((await download(c)).county).toEqual({ total: 10, satisfied: 6 });
    // Closed: every questionnaire, reviews applied (7 valid, 3 of them satisfied).
    const closed = await download({ ...c, closesAt: services.now() - 1 });
    expect(closed.release).toMatchObject({ blocks: false, pending: 0 });
    expect(closed.cells).toEqual([`${schools[2] ?? ""}|parent|3|10|3|7|3|0`]);
  });
});
