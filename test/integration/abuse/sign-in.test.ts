/**
 * Issue 12: sign-in limits that cannot be used to lock anyone out, through the real /login and
 * /admin/password actions. Only failed attempts count (the limits are looked at before the
 * password is checked and counted after a failure); per user name × address, per address
 * (sized for a training room behind one NAT), and per user name only for the addresses that
 * failed for it — so the owner at an address with no failures always gets in. Refusals are
 * audited as one summarised row per user name and window, every row with the client address.
 * Also: the password blocklist. Runs on the in-process limiter always and on Redis when
 * REDIS_URL is set. The clock is injected; no window is waited out.
 */
import { afterEach, describe, expect, it } from "vitest";
import { getAccountByUsername } from "../../../db/repositories/accounts";
import { listAudit } from "../../../db/repositories/audit";
import { createAccount } from "../../../app/.server/console/accounts";
import { DEFAULT_RATE_LIMIT_RULES } from "../../../app/.server/rate-limit/policy";
import { passwordProblem } from "../../../app/domain/roles";
import { action as accountsAction } from "../../../app/routes/admin.accounts/route";
import * as consoleHome from "../../../app/routes/admin._index/route";
import * as auditLog from "../../../app/routes/admin.audit/route";
import { action as passwordAction } from "../../../app/routes/admin.password/route";
import { makeTestServices, type TestServices } from "../../support/services";
import { callAction, callLoader, makeAccount, sessionCookie, signIn, TEST_PASSWORD } from "../console/support";
import { announceSkip, limiterVariants, servicesOn } from "../rate-limit/support/backends";

const MINUTE = 60_000;
const WINDOW = DEFAULT_RATE_LIMIT_RULES.signInAccountAddress.windowMs;
const LIMITED = /^登录尝试次数过多，请 \d+ 分钟后再试。$/;

const VARIANTS = limiterVariants();

for (const variant of VARIANTS) {
  announceSkip(`sign-in abuse tests on ${variant.name}`, variant.skip);

  describe.skipIf(variant.skip !== null)(`sign-in limits on the ${variant.name}`, () => {
    const open = servicesOn(variant, "signin");

    async function start(env: Record<string, string> = {}): Promise<TestServices> {
      const s = await open(env);
      // Start on a window boundary, so "the same window" in the assertions is plain arithmetic.
      s.clock.set(Math.ceil(s.now() / WINDOW) * WINDOW);
      return s;
    }

    it("the issue's attack: five wrong passwords from one address do not lock the owner out from another", async () => {
      const s = await start();
      await makeAccount(s, "admin", "city");
      for (let i = 0; i < 5; i++) expect((await signIn(s, "admin", `wrong ${i}`, "203.0.113.66")).status).toBe(401);
      const attacker = await signIn(s, "admin", TEST_PASSWORD, "203.0.113.66");
      expect(attacker.status).toBe(429);
      expect(attacker.body).toMatchObject({ error: expect.stringMatching(LIMITED) });
      const retryAfter = Number(attacker.headers.get("retry-after"));
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(WINDOW / 1000 + 1);
      // The right password from the owner's address: in.
      const owner = await signIn(s, "admin", TEST_PASSWORD, "198.51.100.7");
      expect(owner.status).toBe(302);
      expect(owner.headers.get("set-cookie")).toMatch(/^yz_console=/);
      // The refused attempt created no session; the owner's did.
      expect(await s.db.selectFrom("sessions").select("id").execute()).toHaveLength(1);
    });

    it("successful sign-ins count nothing: the owner signs in twenty times in 7.5 minutes", async () => {
      const s = await start();
      await makeAccount(s, "admin", "city");
      const statuses = [];
      for (let i = 0; i < 20; i++) {
        statuses.push((await signIn(s, "admin", TEST_PASSWORD, "198.51.100.7")).status);
        s.clock.advance(22_500);
      }
      expect(statuses).toEqual(Array(20).fill(302));
      expect(await listAudit(s.db, { action: "sign_in", limit: 50 })).toHaveLength(20);
      expect(await listAudit(s.db, { action: "sign_in_limited", limit: 50 })).toHaveLength(0);
    });

    it("a training room behind one NAT: 32 school contacts, each mistyping once, all get in", async () => {
      const s = await start();
      const NAT = "203.0.113.200";
      for (let i = 0; i < 32; i++) await makeAccount(s, `zn-school-${i}`, "school", { schoolId: "zn01" });
      const first = [];
      const second = [];
      for (let i = 0; i < 32; i++) first.push((await signIn(s, `zn-school-${i}`, "typo in it", NAT)).status);
      for (let i = 0; i < 32; i++) second.push((await signIn(s, `zn-school-${i}`, TEST_PASSWORD, NAT)).status);
      // 32 failures from one address: more than the old address tier's 30, within the 200 now.
      expect(first).toEqual(Array(32).fill(401));
      expect(second).toEqual(Array(32).fill(302));
    });

    it("one machine trying many accounts is stopped at the address limit, and only that address", async () => {
      const s = await start({ RATE_LIMITS: JSON.stringify({ signInAddress: { limit: 12 } }) });
      await makeAccount(s, "officer", "county", { countyId: "640521" });
      const statuses = [];
      for (let i = 0; i < 14; i++) statuses.push((await signIn(s, `guess-${i}`, "password guess", "203.0.113.9")).status);
      expect(statuses).toEqual([...Array(12).fill(401), 429, 429]);
      expect((await signIn(s, "officer", TEST_PASSWORD, "203.0.113.9")).status).toBe(429);
      expect((await signIn(s, "officer", TEST_PASSWORD, "203.0.113.10")).status).toBe(302);
    });

    it("an account guessed at from many addresses: each guessing address slowed to one try, the owner still gets in", async () => {
      const s = await start();
      await makeAccount(s, "admin", "city");
      const accountLimit = DEFAULT_RATE_LIMIT_RULES.signInAccount.limit;
      const attackers = Array.from({ length: 15 }, (_, i) => `192.0.2.${i + 1}`);
      const byRound: number[][] = [];
      for (let round = 0; round < 3; round++) {
        const statuses = [];
        for (const address of attackers) statuses.push((await signIn(s, "admin", `guess ${round}`, address)).status);
        byRound.push(statuses);
      }
      // Round 1: every address has its first try (the first ten fill the account's limit; the
      // other five had never failed for it). Rounds 2 and 3: every one of them has failed, refused.
      expect(byRound[0]).toEqual(Array(15).fill(401));
      expect(byRound[1]).toEqual(Array(15).fill(429));
      expect(byRound[2]).toEqual(Array(15).fill(429));
      expect(accountLimit).toBeLessThan(15);
      // A fresh address gets one try, then is slowed like the rest.
      expect((await signIn(s, "admin", "guess 4", "192.0.2.100")).status).toBe(401);
      expect((await signIn(s, "admin", "guess 5", "192.0.2.100")).status).toBe(429);
      // The owner, at an address with no failures: in, and again.
      expect((await signIn(s, "admin", TEST_PASSWORD, "198.51.100.7")).status).toBe(302);
      expect((await signIn(s, "admin", TEST_PASSWORD, "198.51.100.7")).status).toBe(302);
      // Wrong-password checks made: 15 + 1, never more; the refusals are one summarised row.
      const failed = await listAudit(s.db, { action: "sign_in_failed", limit: 100 });
      expect(failed).toHaveLength(16);
      const limited = await listAudit(s.db, { action: "sign_in_limited", limit: 100 });
      expect(limited).toHaveLength(1);
      expect(limited[0]).toMatchObject({ subject: "admin", repeats: 31, clientAddress: "192.0.2.1", detail: { limit: "signInAccount" } });
      expect(limited[0]?.lastAt).toBe(s.now());
      // Two windows later the addresses may try again.
      s.clock.advance(2 * WINDOW);
      expect((await signIn(s, "admin", "guess 6", "192.0.2.1")).status).toBe(401);
    });

    it("a burst of parallel guesses from one address gets exactly five checks", async () => {
      const s = await start();
      await makeAccount(s, "admin", "city");
      const results = await Promise.all(Array.from({ length: 20 }, (_, i) => signIn(s, "admin", `parallel ${i}`, "203.0.113.77")));
      const statuses = results.map((r) => r.status).sort();
      expect(statuses).toEqual([...Array(5).fill(401), ...Array(15).fill(429)]);
      expect(await listAudit(s.db, { action: "sign_in_failed", limit: 100 })).toHaveLength(5);
      // Even the right password, arriving among them, is not checked once the five are spent.
      expect((await signIn(s, "admin", TEST_PASSWORD, "203.0.113.77")).status).toBe(429);
    });

    it("audits refusals as one row per user name and window (with how many and the latest), every row with its address", async () => {
      const s = await start();
      await makeAccount(s, "officer", "city");
      for (let i = 0; i < 5; i++) await signIn(s, "officer", `wrong ${i}`, "203.0.113.5");
      const t0 = s.now();
      for (let i = 0; i < 40; i++) {
        expect((await signIn(s, "officer", `wrong again ${i}`, "203.0.113.5")).status).toBe(429);
        s.clock.advance(5_000);
      }
      let limited = await listAudit(s.db, { action: "sign_in_limited", limit: 10 });
      expect(limited).toHaveLength(1);
      expect(limited[0]).toMatchObject({ at: t0, lastAt: t0 + 39 * 5_000, repeats: 40, subject: "officer", clientAddress: "203.0.113.5", username: null });
      // A minute into the next window the five failures weigh ⌊14/15 × 5⌋ = 4: one more try, and
      // the refusals after it are a row of their own.
      s.clock.set(t0 - (t0 % WINDOW) + WINDOW + MINUTE);
      expect((await signIn(s, "officer", "wrong once more", "203.0.113.5")).status).toBe(401);
      expect((await signIn(s, "officer", "and again", "203.0.113.5")).status).toBe(429);
      limited = await listAudit(s.db, { action: "sign_in_limited", limit: 10 });
      expect(limited.map((e) => e.repeats)).toEqual([1, 40]);
      // Failures and successes carry the address too.
      const failed = await listAudit(s.db, { action: "sign_in_failed", limit: 10 });
      expect(failed.every((e) => e.clientAddress === "203.0.113.5" && e.repeats === 1 && e.lastAt === null)).toBe(true);
      expect((await signIn(s, "officer", TEST_PASSWORD, "198.51.100.8")).status).toBe(302);
      expect((await listAudit(s.db, { action: "sign_in", limit: 1 }))[0]).toMatchObject({ username: "officer", clientAddress: "198.51.100.8" });
      // One row per failure (6), one per window of refusals (2), one for the sign-in.
      expect(await s.db.selectFrom("audit_log").select("id").where("action", "like", "sign_in%").execute()).toHaveLength(6 + 2 + 1);
      // The city's 操作日志 page shows them so.
      const cookie = await sessionCookie(s, "officer");
      const page = await callLoader(s, auditLog.loader, "/admin/audit?action=sign_in_limited", { cookie });
      expect(page.status).toBe(200);
      expect(page.body).toMatchObject({
        entries: [
          { action: "sign_in_limited", repeats: 1, clientAddress: "203.0.113.5" },
          { action: "sign_in_limited", repeats: 40, clientAddress: "203.0.113.5", lastAt: t0 + 39 * 5_000 },
        ],
      });
      // Any console action audits the address of the request its principal came with.
      const created = await callAction(s, accountsAction, "/admin/accounts", {
        cookie,
        clientAddress: "198.51.100.77",
        form: { intent: "create", username: "new-head", displayName: "联络人", role: "school", schoolId: "zn08", password: "a long enough password" },
      });
      expect(created.status).toBe(200);
      expect((await listAudit(s.db, { action: "account_created", limit: 1 }))[0]).toMatchObject({
        username: "officer",
        subject: "new-head",
        clientAddress: "198.51.100.77",
      });
      // A page's data never carries the principal's remembered address (callLoader's is 198.51.100.20).
      const home = await callLoader(s, consoleHome.loader, "/admin", { cookie });
      expect(home.body).toMatchObject({ principal: { username: "officer" } });
      expect(home.text).not.toContain("198.51.100.20");
    });

    it("the change-password form: the current password is limited like a sign-in and audited", async () => {
      const s = await start();
      await makeAccount(s, "officer", "county", { countyId: "640521" });
      const cookie = await sessionCookie(s, "officer");
      const change = (current: string, next: string, clientAddress: string) =>
        callAction(s, passwordAction, "/admin/password", { cookie, form: { current, next, again: next }, clientAddress });
      const before = (await getAccountByUsername(s.db, "officer"))?.passwordHash;
      for (let i = 0; i < 5; i++) {
        const res = await change(`not it ${i}`, "a new password 2026", "203.0.113.40");
        expect(res.status).toBe(400);
        expect(res.body).toEqual({ message: "当前密码不正确" });
      }
      const limited = await change(TEST_PASSWORD, "a new password 2026", "203.0.113.40");
      expect(limited.status).toBe(429);
      expect(limited.body).toMatchObject({ message: expect.stringMatching(LIMITED) });
      expect(Number(limited.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
      await change(TEST_PASSWORD, "a new password 2026", "203.0.113.40");
      expect((await getAccountByUsername(s.db, "officer"))?.passwordHash).toBe(before);
      const failed = await listAudit(s.db, { action: "password_change_failed", limit: 10 });
      expect(failed).toHaveLength(5);
      expect(failed.every((e) => e.username === "officer" && e.clientAddress === "203.0.113.40")).toBe(true);
      const summary = await listAudit(s.db, { action: "password_change_limited", limit: 10 });
      expect(summary).toHaveLength(1);
      expect(summary[0]).toMatchObject({ username: "officer", repeats: 2, clientAddress: "203.0.113.40" });
      // Its guesses count as sign-in failures for the name from that address, too.
      expect((await signIn(s, "officer", TEST_PASSWORD, "203.0.113.40")).status).toBe(429);

      // From another address: a common new password is refused and changes nothing …
      const common = await change(TEST_PASSWORD, "password123", "198.51.100.41");
      expect(common.status).toBe(400);
      expect(common.body).toEqual({ message: "该密码过于常见，很容易被猜中，请换一个" });
      expect((await getAccountByUsername(s.db, "officer"))?.passwordHash).toBe(before);
      // … a good one is taken, audited with the address.
      const done = await change(TEST_PASSWORD, "a new password 2026", "198.51.100.41");
      expect(done.status).toBe(302);
      expect((await listAudit(s.db, { action: "password_changed", limit: 1 }))[0]).toMatchObject({ username: "officer", clientAddress: "198.51.100.41" });
    });
  });
}

describe("the password blocklist", () => {
  let services: TestServices | undefined;
  afterEach(async () => {
    await services?.dispose();
    services = undefined;
  });

  it("refuses the commonest passwords and the user name itself, with a Chinese message", () => {
    for (const common of ["123456", "password", "admin123", "qwerty", "111111", "1234567890", "Password123", "QWERTYUIOP", "1q2w3e4r5t", "woaini1314"]) {
      expect(passwordProblem(common, "officer")).toBe("该密码过于常见，很容易被猜中，请换一个");
    }
    for (const own of ["zhangsan.edu", "zhangsan.edu2026", "2026zhangsan.edu", "ZHANGSAN.EDU!!"]) {
      expect(passwordProblem(own, "zhangsan.edu")).toBe("密码不能是用户名或用户名加数字，请换一个");
    }
    expect(passwordProblem("zhangsan.edu 的长密码", "zhangsan.edu")).toBeNull();
    expect(passwordProblem("correct horse battery 2026", "officer")).toBeNull();
  });

  it("is applied when an account is created: refused, nothing stored", async () => {
    services = await makeTestServices();
    for (const [username, password, message] of [
      ["new-officer", "admin12345", "该密码过于常见，很容易被猜中，请换一个"],
      ["wangwu-2026", "wangwu-20261", "密码不能是用户名或用户名加数字，请换一个"],
    ] as const) {
      const result = await createAccount(services, null, { username, displayName: "测试", role: "city", password });
      expect(result).toEqual({ ok: false, message });
      expect(await getAccountByUsername(services.db, username)).toBeNull();
    }
    expect(await services.db.selectFrom("audit_log").select("id").where("action", "=", "account_created").execute()).toHaveLength(0);
  });
});
