/**
 * The submit path through the real Remix action and a real SQLite file: valid, invalid,
 * duplicate, retried, rate-limited and closed-link submissions, checking exactly what is stored.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  callSubmit,
  DEMO_SCHOOL_SOCIAL,
  linkToken,
  newDevice,
  newKey,
  parentAnswers,
  startedFor,
  validBody,
} from "../support/requests";
import { makeTestServices, type TestServices } from "../support/services";

let services: TestServices;

beforeEach(async () => {
  services = await makeTestServices();
});

afterEach(async () => {
  await services.dispose();
});

async function count(table: "responses" | "response_items"): Promise<number> {
  const row = await services.db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

describe("a valid submission", () => {
  it("is stored once with its scores, group, grade and a signed start time", async () => {
    const token = linkToken(services);
    const cookie = newDevice(services);
    const startedAt = services.now() - 240_000;
    const body = { ...validBody(services), started: startedFor(services, DEMO_SCHOOL_SOCIAL, startedAt) };
    const res = await callSubmit(services, { token, cookie, body });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ok: true, status: "accepted" });

    const rows = await services.db.selectFrom("responses").selectAll().execute();
    expect(rows).toHaveLength(1);
    const row = rows[0]!;
    expect(row).toMatchObject({
      campaign_id: "zw2026",
      county_id: "640502",
      school_id: "spt01",
      questionnaire_id: "social",
      questionnaire_version: 1,
      respondent_group: "parent",
      grade: 3,
      location: "urban",
      overall_score: 4,
      // 满意×6 (30) + 比较满意×4 (16) + 基本满意 (3) + 不满意 (2); 不了解 excluded: 51 over 12 items.
      score_sum: 51,
      score_count: 12,
      comment: "希望增加课后服务的活动种类。",
      started_at: startedAt,
      submitted_at: services.now(),
      duration_ms: 240_000,
      idempotency_key: body.idempotencyKey,
      supervision_code_id: null,
      flags: "[]",
      invalidated_at: null,
    });
    expect(JSON.parse(row.answers)).toEqual(parentAnswers());
    expect(row.device_hash).toMatch(/^[0-9a-f]{32}$/);
    expect(row.respondent_key).toMatch(/^[0-9a-f]{32}$/);
    // The raw device id (in the cookie) is never stored; nor is the client address.
    const deviceId = cookie.split("=")[1]!.split(".")[0]!;
    expect(JSON.stringify(row)).not.toContain(deviceId);
    expect(JSON.stringify(row)).not.toContain("203.0.113.7");

    const items = await services.db.selectFrom("response_items").selectAll().orderBy("item").execute();
    expect(items).toHaveLength(13);
    expect(items.find((i) => i.item === "conduct")?.score).toBeNull();
    expect(items.find((i) => i.item === "homework")?.score).toBe(2);
    expect(items.find((i) => i.item === "overall")?.score).toBe(4);
  });

  it("from a county-level link records the group the respondent chose", async () => {
    const scope = { ...DEMO_SCHOOL_SOCIAL, schoolId: null };
    const token = linkToken(services, scope);
    const answers = parentAnswers({ grade: undefined, group: "政协委员" });
    delete answers.grade;
    const res = await callSubmit(services, {
      token,
      cookie: newDevice(services),
      body: { ...validBody(services, { scope }), answers },
    });
    expect(res.status).toBe(200);
    const row = await services.db.selectFrom("responses").selectAll().executeTakeFirstOrThrow();
    expect(row).toMatchObject({ school_id: null, respondent_group: "cppcc", grade: null, location: null });
  });
});
