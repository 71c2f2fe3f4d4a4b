/**
 * The SQL aggregation of stored responses equals the domain's own tally of the same
 * questionnaires (app/domain/satisfaction.ts), under both kinds of campaign rule, with a
 * reviewer's invalidation; and `npm run evaluate -- --campaign` reads it.
 */
import { closeCollection } from "../support/campaigns";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { campaignSatisfaction } from "../../app/.server/campaign-satisfaction";
import { tallyRecords, type QuestionnaireRecord } from "../../app/domain/satisfaction";
import type { SatisfactionRule } from "../../app/domain/satisfaction-rule";
import { satisfactionCounts } from "../../db/repositories/satisfaction";
import { callSubmit, DEMO_SCHOOL_SOCIAL, linkToken, newDevice, parentAnswers, validBody } from "../support/requests";
import { makeTestServices, type TestServices } from "../support/services";

let services: TestServices;
const OVERALL = ["满意", "比较满意", "基本满意", "不满意", "很不满意", "不了解"] as const;

beforeAll(async () => {
  services = await makeTestServices();
  const schools = ["spt01", "spt02", "spt05", "spt08"];
  for (let i = 0; i < 36; i++) {
    const scope = { ...DEMO_SCHOOL_SOCIAL, schoolId: schools[i % schools.length] ?? "spt01" };
    const answers = parentAnswers({
      grade: (i % 6) + 1,
      overall: OVERALL[i % OVERALL.length],
      moral: OVERALL[(i * 5) % OVERALL.length],
      homework: i % 4 === 0 ? "不了解" : "比较满意",
    });
    const res = await callSubmit(services, { token: linkToken(services, scope), cookie: newDevice(services), body: validBody(services, { scope, answers }) });
    expect(res.status).toBe(200);
  }
  const county = { ...DEMO_SCHOOL_SOCIAL, schoolId: null };
  for (const group of ["人大代表", "政协委员", "其他群众"]) {
    const { grade: _g, ...rest } = parentAnswers({ group, overall: "满意" });
    expect(
      (
        await callSubmit(services, {
          token: linkToken(services, county),
          cookie: newDevice(services),
          body: validBody(services, { scope: county, answers: rest }),
        })
      ).status,
    ).toBe(200);
  }
  // A reviewer marks two questionnaires invalid.
  await services.db.updateTable("responses").set({ invalidated_at: services.now(), invalid_reason: "测试：作答时间过短" }).where("id", "in", [3, 8]).execute();
  // The final figures (decision 0015: an open campaign publishes blocks of 5).
  await closeCollection(services, "zw2026");
});

afterAll(async () => {
  await services.dispose();
});

async function records(): Promise<QuestionnaireRecord[]> {
  const rows = await services.db.selectFrom("responses").selectAll().orderBy("id").execute();
  const items = await services.db.selectFrom("response_items").selectAll().execute();
  return rows.map((r) => {
    const itemScores: Record<string, number | null> = {};
    for (const i of items) if (i.response_id === r.id && i.item !== "overall") itemScores[i.item] = i.score;
    return {
      questionnaire: "social",
      countyId: r.county_id,
      schoolId: r.school_id,
      group: r.respondent_group === "parent" ? "parent" : r.respondent_group === "deputy" ? "deputy" : r.respondent_group === "cppcc" ? "cppcc" : "public",
      grade: r.grade,
      location: r.location === "urban" ? "urban" : r.location === "town" ? "town" : r.location === "rural" ? "rural" : null,
      overallScore: r.overall_score,
      itemScores,
      valid: r.invalidated_at === null,
    };
  });
}

const sortCells = <T extends object>(xs: T[]) => [...xs].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

describe("satisfaction counts from SQL", () => {
  const rules: SatisfactionRule[] = [
    { kind: "overall_in", options: ["满意", "比较满意"] },
    { kind: "overall_in", options: ["满意", "比较满意", "基本满意"] },
    { kind: "mean_at_least", minMeanScore: 4, includeOverall: true },
    { kind: "mean_at_least", minMeanScore: 4.2, includeOverall: false },
  ];
  for (const rule of rules) {
    it(`equal the domain's tally under ${JSON.stringify(rule)}`, async () => {
      const fromSql = await satisfactionCounts(services.db, "zw2026", rule);
      const fromDomain = tallyRecords(await records(), rule);
      expect(sortCells(fromSql.cells)).toEqual(sortCells(fromDomain.cells));
      expect(sortCells(fromSql.items)).toEqual(sortCells(fromDomain.items));
      const total = fromSql.cells.reduce((s, c) => s + c.total, 0);
      const invalid = fromSql.cells.reduce((s, c) => s + c.invalid, 0);
      expect(total).toBe(39);
      expect(invalid).toBe(2);
    });
  }

  it("under the campaign's default rule count 满意 and 比较满意 overall answers among the valid ones", async () => {
    const { satisfaction: input } = await campaignSatisfaction(services, "zw2026");
    expect(input.rule).toEqual({ kind: "overall_in", options: ["满意", "比较满意"] });
    const satisfied = input.cells.reduce((s, c) => s + c.satisfied, 0);
    // Parents i = 0..35 cycle through six overall answers: 6 × 满意 + 6 × 比较满意 = 12, minus the
    // invalidated ids 3 (i=2, 基本满意) and 8 (i=7, 比较满意) → 11; plus 3 county respondents (满意).
    expect(satisfied).toBe(14);
  });
});
