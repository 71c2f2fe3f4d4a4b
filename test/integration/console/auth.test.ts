/**
 * Sign-in, sessions and sign-out through the real /login and /logout actions: scrypt hashes,
 * httpOnly SameSite=Lax Secure cookies, sessions stored hashed in the database, the sign-in
 * limits (failures only), demo accounts, disabling and password resets ending sessions, the
 * audit log, and `npm run admin:create` reading the password from stdin.
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { getAccountByUsername } from "../../../db/repositories/accounts";
import { listAudit } from "../../../db/repositories/audit";
import { resetPassword, setAccountDisabled } from "../../../app/.server/console/accounts";
import { loader as adminLoader } from "../../../app/routes/admin/route";
import { action as accountsAction, loader as accountsLoader } from "../../../app/routes/admin.accounts/route";
import { action as logoutAction, loader as logoutLoader } from "../../../app/routes/logout/route";
import { loader as loginLoader } from "../../../app/routes/login/route";
import { makeTestServices, type TestServices } from "../../support/services";
import { callAction, callLoader, cookieFrom, demoLogin, makeAccount, sessionCookie, signIn, TEST_PASSWORD } from "./support";

const ROOT = fileURLToPath(new URL("../../..", import.meta.url));
let services: TestServices;

beforeEach(async () => {
  services = await makeTestServices();
});
afterEach(async () => {
  await services.dispose();
});

describe("sign-in", () => {
  it("sets an httpOnly, SameSite=Lax, Secure session cookie whose token is stored only as a hash", async () => {
    await makeAccount(services, "officer", "county", { countyId: "640521" });
    const res = await signIn(services, "Officer ", TEST_PASSWORD);
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/admin");
    const setCookie = res.headers.get("set-cookie") ?? "";
    expect(setCookie).toMatch(/^yz_console=[A-Za-z0-9_-]{43}\.[A-Za-z0-9_-]{22}; Path=\/; Max-Age=43200; HttpOnly; SameSite=Lax; Secure$/);
    const token = /^yz_console=([^.]+)\./.exec(setCookie)?.[1] ?? "";
    const rows = await services.db.selectFrom("sessions").selectAll().execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]?.id).toBe(createHash("sha256").update(token).digest("hex"));
    expect(JSON.stringify(rows)).not.toContain(token);

    const admin = await callLoader(services, adminLoader, "/admin", { cookie: cookieFrom(res.headers) });
    expect(admin.status).toBe(200);
    expect(admin.body).toMatchObject({ principal: { username: "officer", role: "county", countyId: "640521" } });
  });

  it("answers a wrong password and an unknown user alike, and logs both", async () => {
    await makeAccount(services, "officer", "city");
    const wrong = await signIn(services, "officer", "not the password");
    const unknown = await signIn(services, "nobody", "not the password");
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body).toEqual({ error: "用户名或密码不正确", username: "officer" });
    expect(unknown.body).toEqual({ error: "用户名或密码不正确", username: "nobody" });
    const failed = await listAudit(services.db, { action: "sign_in_failed", limit: 10 });
    expect(failed.map((e) => e.detail.reason).sort()).toEqual(["unknown_account", "wrong_password"]);
    expect(JSON.stringify(failed)).not.toContain("not the password");
  });

  it("counts failed attempts only: five wrong passwords refuse that address (429, Retry-After), not the owner elsewhere", async () => {
    // The whole sign-in policy is in test/integration/abuse/sign-in.test.ts.
    await makeAccount(services, "officer", "city");
    for (let i = 0; i < 5; i++) expect((await signIn(services, "officer", `guess ${String(i)}`, "203.0.113.7")).status).toBe(401);
    const limited = await signIn(services, "officer", TEST_PASSWORD, "203.0.113.7");
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(limited.body).toMatchObject({ error: expect.stringMatching(/^登录尝试次数过多，请 \d+ 分钟后再试。$/) });
    expect((await signIn(services, "officer", TEST_PASSWORD, "203.0.113.99")).status).toBe(302);
    services.clock.advance(31 * 60_000);
    expect((await signIn(services, "officer", TEST_PASSWORD, "203.0.113.7")).status).toBe(302);
    expect(await listAudit(services.db, { action: "sign_in_limited", limit: 10 })).toHaveLength(1);
  });

  it("sends a signed-out visitor to /login and back afterwards; refuses a forged cookie", async () => {
    const anonymous = await callLoader(services, adminLoader, "/admin/campaigns/zw2026");
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get("location")).toBe("/login?next=%2Fadmin%2Fcampaigns%2Fzw2026");
    const forged = await callLoader(services, adminLoader, "/admin", { cookie: `yz_console=${"A".repeat(43)}.${"B".repeat(22)}` });
    expect(forged.status).toBe(302);
    await makeAccount(services, "officer", "city");
    const res = await callAction(services, (await import("../../../app/routes/login/route")).action, "/login", {
      form: { username: "officer", password: TEST_PASSWORD, next: "//evil.example/admin" },
    });
    expect(res.headers.get("location")).toBe("/admin");
  });

  it("signs the demo accounts in with the password derived from this installation's secret", async () => {
    const demo = await getAccountByUsername(services.db, "demo-county");
    expect(demo).toMatchObject({ role: "county", countyId: "640521", isDemo: true, passwordHash: "demo-derived" });
    expect((await signIn(services, "demo-county", "demo-derived")).status).toBe(401);
    expect((await signIn(services, "demo-city", demoLogin(services, "demo-city"))).status).toBe(302);
    expect((await signIn(services, "demo-school", demoLogin(services, "demo-school"))).status).toBe(302);
  });

  it("redirects a signed-in visitor away from /login without changing anything", async () => {
    await makeAccount(services, "officer", "city");
    const cookie = await sessionCookie(services, "officer");
    const res = await callLoader(services, loginLoader, "/login?next=/admin/audit", { cookie });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/admin/audit");
  });
});

describe("sessions end", () => {
  it("on sign-out (POST only: a GET of /logout changes nothing)", async () => {
    await makeAccount(services, "officer", "city");
    const cookie = await sessionCookie(services, "officer");
    const get = await callLoader(services, logoutLoader, "/logout", { cookie });
    expect(get.status).toBe(302);
    expect((await callLoader(services, adminLoader, "/admin", { cookie })).status).toBe(200);
    const out = await callAction(services, logoutAction, "/logout", { cookie });
    expect(out.status).toBe(302);
    expect(out.headers.get("set-cookie")).toMatch(/^yz_console=; Path=\/; Max-Age=0; HttpOnly; SameSite=Lax; Secure$/);
    expect((await callLoader(services, adminLoader, "/admin", { cookie })).status).toBe(302);
    expect(await listAudit(services.db, { action: "sign_out", limit: 5 })).toHaveLength(1);
  });

  it("after twelve hours; a month later the row is gone", async () => {
    await makeAccount(services, "officer", "city");
    const cookie = await sessionCookie(services, "officer");
    services.clock.advance(12 * 3600_000 - 1);
    expect((await callLoader(services, adminLoader, "/admin", { cookie })).status).toBe(200);
    services.clock.advance(1);
    expect((await callLoader(services, adminLoader, "/admin", { cookie })).status).toBe(302);
    services.clock.advance(31 * 86_400_000);
    await sessionCookie(services, "officer");
    expect(await services.db.selectFrom("sessions").select("id").execute()).toHaveLength(1);
  });

  it("when the account is disabled or its password reset", async () => {
    await makeAccount(services, "boss", "city");
    await makeAccount(services, "officer", "county", { countyId: "640521" });
    const boss = await sessionCookie(services, "boss");
    const officer = await sessionCookie(services, "officer");
    const account = await getAccountByUsername(services.db, "officer");
    if (!account) throw new Error("no account");
    const bossPrincipal = {
      accountId: (await getAccountByUsername(services.db, "boss"))?.id ?? 0,
      username: "boss",
      displayName: "",
      role: "city" as const,
      countyId: null,
      schoolId: null,
    };
    await resetPassword(services, bossPrincipal, account.id, "a brand new password");
    expect((await callLoader(services, adminLoader, "/admin", { cookie: officer })).status).toBe(302);
    expect((await signIn(services, "officer", TEST_PASSWORD, "192.0.2.1")).status).toBe(401);
    expect((await signIn(services, "officer", "a brand new password", "192.0.2.1")).status).toBe(302);

    const disable = await callAction(services, accountsAction, "/admin/accounts", { cookie: boss, form: { intent: "disable", accountId: String(account.id) } });
    expect(disable.status).toBe(200);
    expect((await signIn(services, "officer", "a brand new password", "192.0.2.2")).status).toBe(401);
    expect((await setAccountDisabled(services, bossPrincipal, bossPrincipal.accountId, true)).ok).toBe(false);
  });
});

describe("console actions", () => {
  it("refuse a cross-site POST even with a valid session", async () => {
    await makeAccount(services, "boss", "city");
    const cookie = await sessionCookie(services, "boss");
    const res = await callAction(services, accountsAction, "/admin/accounts", {
      cookie,
      origin: "https://evil.example",
      form: { intent: "create", username: "mallory", displayName: "x", role: "city", password: "a long enough password" },
    });
    expect(res.status).toBe(403);
    expect(await getAccountByUsername(services.db, "mallory")).toBeNull();
    const site = await callAction(services, accountsAction, "/admin/accounts", {
      cookie,
      headers: { "Sec-Fetch-Site": "cross-site" },
      form: { intent: "create", username: "mallory", displayName: "x", role: "city", password: "a long enough password" },
    });
    expect(site.status).toBe(403);
  });

  it("let the city role create county and school accounts scoped by county and school", async () => {
    await makeAccount(services, "boss", "city");
    const cookie = await sessionCookie(services, "boss");
    const created = await callAction(services, accountsAction, "/admin/accounts", {
      cookie,
      form: { intent: "create", username: "Head-ZN01", displayName: "红宝小学", role: "school", schoolId: "zn08", password: "a long enough password" },
    });
    expect(created.status).toBe(200);
    expect(await getAccountByUsername(services.db, "head-zn01")).toMatchObject({ role: "school", countyId: "640521", schoolId: "zn08" });
    const dup = await callAction(services, accountsAction, "/admin/accounts", {
      cookie,
      form: { intent: "create", username: "head-zn01", displayName: "x", role: "school", schoolId: "zn08", password: "a long enough password" },
    });
    expect(dup.status).toBe(400);
    expect(dup.body).toMatchObject({ message: "用户名 head-zn01 已存在" });
    const weak = await callAction(services, accountsAction, "/admin/accounts", {
      cookie,
      form: { intent: "create", username: "weak", displayName: "x", role: "county", countyId: "640521", password: "short" },
    });
    expect(weak.body).toMatchObject({ message: "密码至少 10 个字符" });
    const noCounty = await callAction(services, accountsAction, "/admin/accounts", {
      cookie,
      form: { intent: "create", username: "nocounty", displayName: "x", role: "county", countyId: "999999", password: "a long enough password" },
    });
    expect(noCounty.body).toMatchObject({ message: "请选择账号所属的县（区）" });
    const logged = await listAudit(services.db, { action: "account_created", limit: 10 });
    expect(logged.map((e) => [e.username, e.subject])).toContainEqual(["boss", "head-zn01"]);
  });
});

describe("a county officer's school accounts", () => {
  it("creates, resets and disables the school contacts of their county, and nothing else", async () => {
    await makeAccount(services, "boss", "city");
    await makeAccount(services, "zn-officer", "county", { countyId: "640521" });
    await makeAccount(services, "spt-officer", "county", { countyId: "640502" });
    await makeAccount(services, "spt-head", "school", { countyId: "640502", schoolId: "spt01" });
    const officer = await sessionCookie(services, "zn-officer");
    const post = (form: Record<string, string>) => callAction(services, accountsAction, "/admin/accounts", { cookie: officer, form });
    const create = (over: Record<string, string>) =>
      post({ intent: "create", username: "x-user", displayName: "联络人", role: "school", password: "a long enough password", ...over });

    const made = await create({ username: "zn08-head", schoolId: "zn08" });
    expect(made.status).toBe(200);
    expect(await getAccountByUsername(services.db, "zn08-head")).toMatchObject({ role: "school", countyId: "640521", schoolId: "zn08" });

    // Another county's school, a county or city account: refused, nothing stored.
    const outside: Array<Record<string, string>> = [
      { username: "other-school", schoolId: "spt01" },
      { username: "new-county", role: "county", countyId: "640521" },
      { username: "new-city", role: "city" },
    ];
    for (const over of outside) {
      const refused = await create(over);
      expect(refused.status).toBe(403);
      expect(refused.body).toMatchObject({ message: expect.stringContaining("无权管理") });
      expect(await getAccountByUsername(services.db, over.username ?? "")).toBeNull();
    }

    // Accounts outside their authority: another county's school, a fellow officer, the city.
    for (const username of ["spt-head", "spt-officer", "boss"]) {
      const account = await getAccountByUsername(services.db, username);
      const before = account?.passwordHash;
      expect((await post({ intent: "reset", accountId: String(account?.id), password: "taken over 12345" })).status).toBe(403);
      expect((await post({ intent: "disable", accountId: String(account?.id) })).status).toBe(403);
      expect(await getAccountByUsername(services.db, username)).toMatchObject({ passwordHash: before, disabledAt: null });
    }

    // Their own school contact: reset (the old password stops working) and disable.
    const head = await getAccountByUsername(services.db, "zn08-head");
    expect((await post({ intent: "reset", accountId: String(head?.id), password: "a newer password 2026" })).status).toBe(200);
    expect((await signIn(services, "zn08-head", "a long enough password", "192.0.2.9")).status).toBe(401);
    expect((await signIn(services, "zn08-head", "a newer password 2026", "192.0.2.9")).status).toBe(302);
    expect((await post({ intent: "disable", accountId: String(head?.id) })).status).toBe(200);
    expect((await signIn(services, "zn08-head", "a newer password 2026", "192.0.2.10")).status).toBe(401);

    // The page lists only their county's school accounts, with only their county's schools to pick.
    const page = await callLoader(services, accountsLoader, "/admin/accounts", { cookie: officer });
    expect(page.status).toBe(200);
    const body = page.body as {
      accounts: Array<{ username: string; role: string; countyId: string }>;
      counties: Array<{ id: string }>;
      schools: Array<{ countyId: string }>;
      roles: string[];
    };
    expect(body.accounts.map((a) => a.username)).toContain("zn08-head");
    expect(body.accounts.every((a) => a.role === "school" && a.countyId === "640521")).toBe(true);
    expect(body.counties.map((c) => c.id)).toEqual(["640521"]);
    expect(body.schools.length).toBeGreaterThan(0);
    expect(body.schools.every((s) => s.countyId === "640521")).toBe(true);
    expect(body.roles).toEqual(["school"]);

    const logged = await listAudit(services.db, { limit: 20 });
    expect(
      logged
        .filter((e) => e.username === "zn-officer" && e.action !== "sign_in")
        .map((e) => e.action)
        .sort(),
    ).toEqual(["account_created", "account_disabled", "password_reset"]);
  });
});

describe("npm run admin:create", () => {
  const run = (args: string[], input: string) =>
    spawnSync(process.execPath, ["--import", "tsx", "scripts/admin-create.ts", ...args], {
      cwd: ROOT,
      input,
      env: { ...process.env, ...services.storeEnv, LOG_LEVEL: "silent", NODE_ENV: "test", PUBLIC_URL: "https://survey.test" },
      encoding: "utf8",
    });

  it("creates a city administrator from a password piped on stdin, and resets it with --reset", async () => {
    const created = run(["--username", "Chief"], "first password 2026\n");
    expect(created.stderr).toBe("");
    expect(created.status).toBe(0);
    expect(created.stdout).toContain("已创建市级管理员账号 chief");
    expect((await signIn(services, "chief", "first password 2026")).status).toBe(302);

    const again = run(["--username", "chief"], "first password 2026\n");
    expect(again.status).toBe(1);
    expect(again.stderr).toContain("用户名 chief 已存在");

    const weak = run(["--username", "second"], "short\n");
    expect(weak.status).toBe(1);
    expect(weak.stderr).toContain("密码至少 10 个字符");

    const reset = run(["--username", "chief", "--reset"], "second password 2026\n");
    expect(reset.status).toBe(0);
    expect((await signIn(services, "chief", "second password 2026", "192.0.2.9")).status).toBe(302);
    const logged = await listAudit(services.db, { action: "account_created", limit: 5 });
    expect(logged[0]).toMatchObject({ username: null, subject: "chief" });
  });

  it("refuses to run without --username", () => {
    const res = run([], "x\n");
    expect(res.status).toBe(2);
    expect(res.stderr).toContain("缺少 --username");
  });
});
