/**
 * The submit path through the real Remix action and a real SQLite file: valid, invalid,
 * duplicate, retried, rate-limited and closed-link submissions, checking exactly what is stored.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { callSubmit, DEMO_SCHOOL_SOCIAL, linkToken, newDevice, newKey, parentAnswers, startedFor, validBody } from "../support/requests";
import { issueSupervisionCode, supervisionCookie, redeemSupervisionCode } from "../../app/.server/collect/supervision";
import type { RateLimiter } from "../../app/.server/rate-limit/types";
import { addCampaign } from "../support/campaigns";
import { countyReview } from "../../app/.server/console/review";
import { getCampaign, getCounty } from "../../db/repositories/campaigns";
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
    const body = { ...validBody(services), started: startedFor(services, DEMO_SCHOOL_SOCIAL, startedAt, cookie) };
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

describe("invalid submissions change nothing", () => {
  it("answers 400 in Chinese and stores nothing", async () => {
    const token = linkToken(services);
    const cookie = newDevice(services);
    const cases: Array<{ answers: Record<string, unknown>; error: string; message: RegExp }> = [
      { answers: parentAnswers({ overall: undefined }), error: "invalid_answers", message: /^请回答“总体来说/ },
      { answers: parentAnswers({ moral: "非常满意" }), error: "invalid_answers", message: /的答案不在选项中$/ },
      { answers: parentAnswers({ hacked: "1" }), error: "invalid_answers", message: /问卷里没有的题目/ },
      { answers: parentAnswers({ group: "人大代表" }), error: "invalid_answers", message: /不应作答/ },
      { answers: parentAnswers({ grade: 8 }), error: "invalid_answers", message: /年级.*不在选项中/ },
    ];
    for (const c of cases) {
      const answers = Object.fromEntries(Object.entries(c.answers).filter(([, v]) => v !== undefined));
      const res = await callSubmit(services, { token, cookie: newDevice(services), body: validBody(services, { answers }) });
      expect(res.status, JSON.stringify(c.answers)).toBe(400);
      expect(res.body.error).toBe(c.error);
      expect(String(res.body.message)).toMatch(c.message);
    }
    const wrongVersion = await callSubmit(services, { token, cookie, body: { ...validBody(services), version: 2 } });
    expect(wrongVersion.status).toBe(400);
    expect(wrongVersion.body).toMatchObject({ error: "version_mismatch", message: "问卷已更新，请刷新页面后重新作答。" });
    const forgedStart = await callSubmit(services, {
      token,
      cookie,
      body: { ...validBody(services), started: startedFor(services, { ...DEMO_SCHOOL_SOCIAL, schoolId: "spt02" }) },
    });
    expect(forgedStart.body.error).toBe("started_invalid");
    const noCookie = await callSubmit(services, { token, cookie: null, body: validBody(services) });
    expect(noCookie.status).toBe(400);
    expect(noCookie.body.error).toBe("no_device");
    expect(await count("responses")).toBe(0);
    expect(await count("response_items")).toBe(0);
  });
});

describe("one response per device per link", () => {
  it("stores a retried submission (same key) once and answers it like the first", async () => {
    const token = linkToken(services);
    const cookie = newDevice(services);
    const body = validBody(services);
    const first = await callSubmit(services, { token, cookie, body });
    const retry = await callSubmit(services, { token, cookie, body });
    expect(first.body).toEqual({ ok: true, status: "accepted" });
    expect(retry.status).toBe(200);
    expect(retry.body).toEqual({ ok: true, status: "replayed" });
    expect(await count("responses")).toBe(1);
    expect(await count("response_items")).toBe(13);
  });

  it("stores 20 concurrent copies of one submission exactly once", async () => {
    const token = linkToken(services);
    const cookie = newDevice(services);
    const body = validBody(services);
    const results = await Promise.all(Array.from({ length: 20 }, () => callSubmit(services, { token, cookie, body })));
    // Copies beyond the per-device limit are answered 429; none is stored twice.
    expect(results.every((r) => r.status === 200 || r.status === 429)).toBe(true);
    expect(results.filter((r) => r.body.status === "accepted")).toHaveLength(1);
    expect(await count("responses")).toBe(1);
  });

  it("tells a device that answered already (a new key) 已提交 and stores nothing more", async () => {
    const token = linkToken(services);
    const cookie = newDevice(services);
    expect((await callSubmit(services, { token, cookie, body: validBody(services) })).status).toBe(200);
    const again = await callSubmit(services, { token, cookie, body: validBody(services, { answers: parentAnswers({ overall: "很不满意" }) }) });
    expect(again.status).toBe(409);
    expect(again.body.error).toBe("already_submitted");
    expect(String(again.body.message)).toContain("已提交");
    expect(await count("responses")).toBe(1);
    const row = await services.db.selectFrom("responses").select("overall_score").executeTakeFirstOrThrow();
    expect(row.overall_score).toBe(4);
  });

  it("lets the same device answer for a second child at another school, and other devices at the same school", async () => {
    const cookie = newDevice(services);
    const other = { ...DEMO_SCHOOL_SOCIAL, schoolId: "spt05" };
    expect((await callSubmit(services, { token: linkToken(services), cookie, body: validBody(services) })).status).toBe(200);
    expect((await callSubmit(services, { token: linkToken(services, other), cookie, body: validBody(services, { scope: other }) })).status).toBe(200);
    expect((await callSubmit(services, { token: linkToken(services), cookie: newDevice(services), body: validBody(services) })).status).toBe(200);
    expect(await count("responses")).toBe(3);
  });

  it("refuses an idempotency key reused by another device, without storing", async () => {
    const token = linkToken(services);
    const key = newKey();
    expect((await callSubmit(services, { token, cookie: newDevice(services), body: validBody(services, { key }) })).status).toBe(200);
    const stolen = await callSubmit(services, { token, cookie: newDevice(services), body: validBody(services, { key }) });
    expect(stolen.status).toBe(409);
    expect(stolen.body.error).toBe("key_conflict");
    expect(await count("responses")).toBe(1);
  });
});

describe("supervised shared devices", () => {
  it("let one device submit several questionnaires of its school, each stored once", async () => {
    const scope = { ...DEMO_SCHOOL_SOCIAL, questionnaireId: "student" as const };
    const token = linkToken(services, scope);
    const issued = await issueSupervisionCode(services, {
      campaignId: "zw2026",
      schoolId: "spt01",
      label: "三年级机房",
      validForMs: 3600_000,
      questionnaires: ["student"],
    });
    const code = await redeemSupervisionCode(services, issued.code.toLowerCase(), { campaignId: "zw2026", schoolId: "spt01", questionnaireId: "student" });
    expect(code).not.toBeNull();
    const cookie = `${newDevice(services)}; ${supervisionCookie(services, code!).split(";")[0]}`;
    const student = {
      grade: 4,
      moral: "满意",
      teachers: "满意",
      gap: "满意",
      admission: "满意",
      homework: "基本满意",
      pe_arts_labour: "满意",
      quality_ed: "满意",
      exam_reform: "满意",
      conduct: "满意",
      safety: "满意",
      overall: "满意",
    };
    const bodies = [1, 2, 3].map(() => validBody(services, { scope, answers: student }));
    for (const body of bodies) expect((await callSubmit(services, { token, cookie, body })).status).toBe(200);
    // A retry of the second is still stored once.
    expect((await callSubmit(services, { token, cookie, body: bodies[1] })).body.status).toBe("replayed");
    const rows = await services.db.selectFrom("responses").select(["respondent_key", "supervision_code_id", "respondent_group"]).execute();
    expect(rows).toHaveLength(3);
    expect(rows.every((r) => r.respondent_key === null && r.supervision_code_id === issued.id && r.respondent_group === "student")).toBe(true);

    // The code does not work for another school, and not after it expires.
    expect(await redeemSupervisionCode(services, issued.code, { campaignId: "zw2026", schoolId: "spt02", questionnaireId: "student" })).toBeNull();
    services.clock.advance(3600_000);
    expect(await redeemSupervisionCode(services, issued.code, { campaignId: "zw2026", schoolId: "spt01", questionnaireId: "student" })).toBeNull();
    const afterExpiry = await callSubmit(services, { token, cookie, body: validBody(services, { scope, answers: student }) });
    expect(afterExpiry.status).toBe(200);
    // Expired: the device is an ordinary device again (this one answered once, now).
    const again = await callSubmit(services, { token, cookie, body: validBody(services, { scope, answers: student }) });
    expect(again.body.error).toBe("already_submitted");
  });
});

describe("campaign windows and links", () => {
  it("answers 410 for a closed campaign and 403 before it opens, storing nothing", async () => {
    const now = services.now();
    await addCampaign(services, { id: "closed2025", opensAt: now - 90 * 86400_000, closesAt: now - 86400_000 });
    await addCampaign(services, { id: "future2027", opensAt: now + 86400_000, closesAt: now + 30 * 86400_000 });
    const closed = { ...DEMO_SCHOOL_SOCIAL, campaignId: "closed2025" };
    const future = { ...DEMO_SCHOOL_SOCIAL, campaignId: "future2027" };
    const cookie = newDevice(services);
    const a = await callSubmit(services, { token: linkToken(services, closed), cookie, body: validBody(services, { scope: closed }) });
    expect(a.status).toBe(410);
    expect(String(a.body.message)).toMatch(/^调查已结束/);
    const b = await callSubmit(services, { token: linkToken(services, future), cookie, body: validBody(services, { scope: future }) });
    expect(b.status).toBe(403);
    expect(String(b.body.message)).toMatch(/^调查尚未开始/);
    expect(await count("responses")).toBe(0);
  });

  it("answers 404 for forged tokens and for genuine tokens naming unknown things", async () => {
    const cookie = newDevice(services);
    const forged = linkToken(services).replace(/.$/, (c) => (c === "A" ? "B" : "A"));
    expect((await callSubmit(services, { token: forged, cookie, body: validBody(services) })).status).toBe(404);
    for (const scope of [
      { ...DEMO_SCHOOL_SOCIAL, campaignId: "nope" },
      { ...DEMO_SCHOOL_SOCIAL, schoolId: "nope" },
      { ...DEMO_SCHOOL_SOCIAL, countyId: "640521" },
    ]) {
      const res = await callSubmit(services, { token: linkToken(services, scope), cookie, body: validBody(services, { scope }) });
      expect(res.status, JSON.stringify(scope)).toBe(404);
      expect(res.body.error).toBe("link_unknown");
    }
    expect(await count("responses")).toBe(0);
  });
});

describe("rate limiting", () => {
  it("answers 429 with Retry-After and a Chinese message, storing nothing, until the limiter admits again", async () => {
    await services.dispose();
    // A limiter that admits two submissions per device, then refuses until told otherwise:
    // this tests the seam's contract, whatever the configured limits are.
    let refuse = true;
    const seen = new Map<string, number>();
    const limiter: RateLimiter = {
      async limit(name, rule, identifier) {
        const n = (seen.get(name + identifier) ?? 0) + 1;
        seen.set(name + identifier, n);
        const success = name !== "submitDevice" || n <= 2 || !refuse;
        return { success, limit: 2, remaining: success ? 1 : 0, reset: services.now() + 42_000 };
      },
      // Nothing is refused on a look alone: only counted checks refuse here.
      async peek(_name, rule) {
        return { success: true, limit: rule.limit, remaining: rule.limit, reset: services.now() + 42_000 };
      },
      async close() {},
    };
    services = await makeTestServices({ limiter });
    const cookie = newDevice(services);
    const statuses: number[] = [];
    let limited: Awaited<ReturnType<typeof callSubmit>> | null = null;
    for (const schoolId of ["spt01", "spt02", "spt05"]) {
      const scope = { ...DEMO_SCHOOL_SOCIAL, schoolId };
      const res = await callSubmit(services, { token: linkToken(services, scope), cookie, body: validBody(services, { scope }) });
      statuses.push(res.status);
      if (res.status === 429) limited = res;
    }
    expect(statuses).toEqual([200, 200, 429]);
    // Retry-After points at (or just past) the limiter's reset, 42 s away.
    const retryAfter = Number(limited?.headers.get("Retry-After"));
    expect(retryAfter).toBeGreaterThanOrEqual(42);
    expect(retryAfter).toBeLessThanOrEqual(43);
    expect(limited?.body).toMatchObject({ ok: false, error: "rate_limited" });
    expect(String(limited?.body.message)).toMatch(new RegExp(`^提交太频繁，请${retryAfter}秒后再试。您的答案已保存在本机`));
    expect(await count("responses")).toBe(2);
    refuse = false;
    const scope = { ...DEMO_SCHOOL_SOCIAL, schoolId: "spt05" };
    const later = await callSubmit(services, { token: linkToken(services, scope), cookie, body: validBody(services, { scope }) });
    expect(later.status).toBe(200);
    expect(await count("responses")).toBe(3);
  });
});

describe("what is stored is what was said", () => {
  it("keeps script and spreadsheet-formula text in a comment as plain text", async () => {
    const comment = `<script>alert(1)</script> =HYPERLINK("http://x","y") +1 -1 @SUM(A1)`;
    const res = await callSubmit(services, {
      token: linkToken(services),
      cookie: newDevice(services),
      body: validBody(services, { answers: parentAnswers({ comment }) }),
    });
    expect(res.status).toBe(200);
    const row = await services.db.selectFrom("responses").select(["comment", "answers"]).executeTakeFirstOrThrow();
    expect(row.comment).toBe(comment);
    expect(JSON.parse(row.answers).comment).toBe(comment);
  });

  it("flags a filled honeypot and still stores the answers", async () => {
    const res = await callSubmit(services, {
      token: linkToken(services),
      cookie: newDevice(services),
      body: { ...validBody(services), website: "http://spam.example" },
    });
    expect(res.status).toBe(200);
    const row = await services.db.selectFrom("responses").select("flags").executeTakeFirstOrThrow();
    expect(JSON.parse(row.flags)).toContain("honeypot");
  });
});

describe("a draft restored after WeChat dropped cookies and storage (decision 0018)", () => {
  it("stores the same answers sent again from the new device, flagged repeat_answers, and the review page counts them", async () => {
    const token = linkToken(services);
    const answers = parentAnswers();
    const startedAt = services.now() - 6 * 60_000;
    const first = newDevice(services);
    const original = startedFor(services, DEMO_SCHOOL_SOCIAL, startedAt, first);
    const sent = await callSubmit(services, { token, cookie: first, body: { ...validBody(services, { answers }), started: original } });
    expect(sent.status).toBe(200);
    // The page reloaded at its address on what is now a new device: the fragment gave back the
    // choices and the original start token (renewed with the new page's), and a fresh key.
    const again = newDevice(services);
    const renewed = `${original}~${startedFor(services, DEMO_SCHOOL_SOCIAL, services.now(), again)}`;
    const resent = await callSubmit(services, { token, cookie: again, body: { ...validBody(services, { answers }), started: renewed } });
    expect(resent.status).toBe(200);
    // Another parent with the very same answers, opened at their own moment: not a repeat.
    const other = newDevice(services);
    expect((await callSubmit(services, { token, cookie: other, body: validBody(services, { answers, cookie: other, startedAt: startedAt + 1 }) })).status).toBe(
      200,
    );

    const rows = await services.db.selectFrom("responses").select(["flags", "started_at"]).orderBy("id").execute();
    expect(rows.map((r) => JSON.parse(r.flags))).toEqual([[], ["start_foreign", "repeat_answers"], []]);
    expect(Number(rows[1]?.started_at)).toBe(startedAt);

    const campaign = await getCampaign(services.db, DEMO_SCHOOL_SOCIAL.campaignId);
    const county = await getCounty(services.db, DEMO_SCHOOL_SOCIAL.countyId);
    if (!campaign || !county) throw new Error("no demo campaign");
    const city = { accountId: 0, username: "demo-city", displayName: "市级", role: "city" as const, countyId: null, schoolId: null };
    const review = await countyReview(services, campaign, county, { kind: "flagged", link: null, beforeId: null }, city);
    expect(review.flagTotals).toEqual([
      { flag: "start_foreign", label: "开始凭证不属于本设备（可能清除了浏览器数据或更换了设备）", count: 1 },
      { flag: "repeat_answers", label: "同一链接出现开始时间和答案都相同的问卷（疑似清除缓存后重复提交）", count: 1 },
    ]);
  });
});
