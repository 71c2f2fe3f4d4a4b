/**
 * The console's tallies (pre-aggregated up to a watermark, the rest counted live) always equal
 * the from-scratch SQL counts of db/repositories/satisfaction.ts — under four satisfied rules,
 * across folds, invalidations and restorations before and after the watermark, rule changes,
 * and responses arriving through the real submit path.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { foldTallies, setValidity } from "../../../db/repositories/console-tallies";
import { readTallies } from "../../../db/repositories/console-tallies-read";
import { satisfactionCounts } from "../../../db/repositories/satisfaction";
import { generateResponses } from "../../../app/.server/console/generate-responses";
import type { ItemScoreCount, SatisfactionCell } from "../../../app/domain/satisfaction";
import type { SatisfactionRule } from "../../../app/domain/satisfaction-rule";
import { callSubmit, linkToken, newDevice, validBody } from "../../support/requests";
import { makeTestServices, type TestServices } from "../../support/services";

const RULES: SatisfactionRule[] = [
  { kind: "overall_in", options: ["满意", "比较满意"] },
  { kind: "overall_in", options: ["满意", "比较满意", "基本满意"] },
  { kind: "mean_at_least", minMeanScore: 4, includeOverall: false },
  { kind: "mean_at_least", minMeanScore: 3.5, includeOverall: true },
];

let services: TestServices;

beforeAll(async () => {
  services = await makeTestServices();
  await generateResponses(services.db, { campaignId: "zw2026", count: 900, seed: 7, now: services.now() - 3_600_000, profile: "demo", label: "t" });
});
afterAll(async () => {
  await services.dispose();
});

function normalise(counts: { cells: readonly SatisfactionCell[]; items: readonly ItemScoreCount[] }) {
  const cells = counts.cells
    .map((c) => [c.countyId, c.schoolId, c.group, c.questionnaire, c.location, c.grade, c.total, c.invalid, c.valid, c.satisfied].join("|"))
    .sort();
  // Items are compared per (county, group, questionnaire, item, score): the tallies also keep the school.
  const items = new Map<string, number>();
  for (const i of counts.items) {
    const key = [i.countyId, i.group, i.questionnaire, i.itemId, i.score].join("|");
    items.set(key, (items.get(key) ?? 0) + i.count);
  }
  return { cells, items: [...items.entries()].filter(([, n]) => n !== 0).sort() };
}

async function expectEqual(rule: SatisfactionRule): Promise<void> {
  const fromScratch = await satisfactionCounts(services.db, "zw2026", rule);
  const tallied = await readTallies(services.db, "zw2026", rule);
  expect(normalise(tallied)).toEqual(normalise(fromScratch));
}

async function invalidate(id: number, invalid: boolean, rule: SatisfactionRule) {
  return setValidity(services.db, {
    campaignId: "zw2026",
    responseId: id,
    invalid,
    reason: "测试",
    rule,
    now: services.now(),
    reviewer: { accountId: null, username: null },
    inScope: () => true,
  });
}

describe("console tallies", () => {
  it("equal the from-scratch counts before any fold (everything live), after a fold, and with a live tail", async () => {
    const rule = RULES[0] as SatisfactionRule;
    await expectEqual(rule);
    const folded = await foldTallies(services.db, "zw2026", rule, { now: services.now(), lagMs: 0, sliceIds: 250 });
    expect(folded.folded).toBeGreaterThanOrEqual(900);
    expect((await readTallies(services.db, "zw2026", rule)).tail).toBe(0);
    await expectEqual(rule);
    await generateResponses(services.db, { campaignId: "zw2026", count: 60, seed: 8, now: services.now(), profile: "bulk", label: "t2" });
    const read = await readTallies(services.db, "zw2026", rule);
    expect(read.tail).toBe(60);
    await expectEqual(rule);
  });

  it("stay equal through invalidations and restorations on both sides of the watermark", async () => {
    const rule = RULES[0] as SatisfactionRule;
    const ids = (await services.db.selectFrom("responses").select("id").orderBy("id").execute()).map((r) => Number(r.id));
    const early = ids.slice(0, 12);
    const late = ids.slice(-5);
    for (const id of [...early, ...late]) expect((await invalidate(id, true, rule)).ok).toBe(true);
    expect(await invalidate(early[0] ?? 0, true, rule)).toEqual({ ok: false, reason: "unchanged" });
    await expectEqual(rule);
    for (const id of early.slice(0, 4)) await invalidate(id, false, rule);
    await expectEqual(rule);
    await foldTallies(services.db, "zw2026", rule, { now: services.now() + 120_000, lagMs: 0 });
    for (const id of late.slice(0, 2)) await invalidate(id, false, rule);
    await expectEqual(rule);
    const reviews = await services.db.selectFrom("response_reviews").select(["action"]).execute();
    expect(reviews.filter((r) => r.action === "invalidate")).toHaveLength(17);
    expect(reviews.filter((r) => r.action === "restore")).toHaveLength(6);
  });

  it("are recounted when the campaign's rule changes, under every rule", async () => {
    for (const rule of RULES) {
      const result = await foldTallies(services.db, "zw2026", rule, { now: services.now() + 120_000, lagMs: 0 });
      expect(result.recounted).toBe(rule !== RULES[0]);
      await expectEqual(rule);
      const ids = (await services.db.selectFrom("responses").select("id").where("invalidated_at", "is", null).orderBy("id").limit(3).execute()).map((r) =>
        Number(r.id),
      );
      for (const id of ids) await invalidate(id, true, rule);
      await expectEqual(rule);
    }
  });

  it("count a response that arrives through the real submit path", async () => {
    const rule = RULES[3] as SatisfactionRule;
    const before = await readTallies(services.db, "zw2026", rule, { countyIds: ["640502"], schoolId: "spt01" });
    const res = await callSubmit(services, { token: linkToken(services), cookie: newDevice(services), body: validBody(services) });
    expect(res.status).toBe(200);
    const after = await readTallies(services.db, "zw2026", rule, { countyIds: ["640502"], schoolId: "spt01" });
    const total = (r: typeof before) => r.cells.reduce((a, c) => a + c.total, 0);
    expect(total(after)).toBe(total(before) + 1);
    expect(after.cells.every((c) => c.schoolId === "spt01")).toBe(true);
    await expectEqual(rule);
  });

  it("leave responses younger than the lag in the live tail", async () => {
    const rule = RULES[3] as SatisfactionRule;
    await generateResponses(services.db, { campaignId: "zw2026", count: 10, seed: 9, now: services.now(), days: 0, profile: "bulk", label: "t3" });
    await foldTallies(services.db, "zw2026", rule, { now: services.now(), lagMs: 60_000 });
    expect((await readTallies(services.db, "zw2026", rule)).tail).toBeGreaterThanOrEqual(10);
    await expectEqual(rule);
  });
});
