/**
 * Every console route, every role: signed out, the city, a county officer (中宁县), the same
 * officer editing the URL to another county (沙坡头区), and a school contact (中宁县第一小学).
 * Each loader and each action is called for real; the expected status is written down for each
 * role, and a refused request never carries data (only the Chinese problem). A route folder
 * added under app/routes/admin* without an entry here fails the walk.
 */
import fs from "node:fs";
import { fileURLToPath } from "node:url";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateResponses } from "../../../app/.server/console/generate-responses";
import * as admin from "../../../app/routes/admin/route";
import * as adminIndex from "../../../app/routes/admin._index/route";
import * as accounts from "../../../app/routes/admin.accounts/route";
import * as auditLog from "../../../app/routes/admin.audit/route";
import * as campaignLayout from "../../../app/routes/admin.campaigns.$campaignId/route";
import * as campaignIndex from "../../../app/routes/admin.campaigns.$campaignId._index/route";
import * as countyLayout from "../../../app/routes/admin.campaigns.$campaignId.counties.$countyId/route";
import * as satisfaction from "../../../app/routes/admin.campaigns.$campaignId.counties.$countyId._index/route";
import * as comments from "../../../app/routes/admin.campaigns.$campaignId.counties.$countyId.comments/route";
import * as coverage from "../../../app/routes/admin.campaigns.$campaignId.counties.$countyId.coverage/route";
import * as exportsPage from "../../../app/routes/admin.campaigns.$campaignId.counties.$countyId.exports/route";
import * as readinessSchool from "../../../app/routes/admin.campaigns.$campaignId.counties.$countyId.readiness.$schoolId/route";
import * as readiness from "../../../app/routes/admin.campaigns.$campaignId.counties.$countyId.readiness._index/route";
import * as review from "../../../app/routes/admin.campaigns.$campaignId.counties.$countyId.review/route";
import * as edit from "../../../app/routes/admin.campaigns.$campaignId.edit/route";
import * as evaluationData from "../../../app/routes/admin.campaigns.$campaignId.evaluation-data/route";
import * as kits from "../../../app/routes/admin.campaigns.$campaignId.kits/route";
import * as schoolsImport from "../../../app/routes/admin.campaigns.$campaignId.schools-import/route";
import * as school from "../../../app/routes/admin.campaigns.$campaignId.schools.$schoolId/route";
import * as campaigns from "../../../app/routes/admin.campaigns._index/route";
import * as newCampaign from "../../../app/routes/admin.campaigns.new/route";
import * as password from "../../../app/routes/admin.password/route";
import * as questionnaires from "../../../app/routes/admin.questionnaires/route";
import * as exportFile from "../../../app/routes/admin_.export.$campaignId.$file/route";
import * as countyKit from "../../../app/routes/admin_.kit.$campaignId.$countyId/route";
import * as qrPng from "../../../app/routes/admin_.qr.$campaignId.$countyId.$questionnaireId/route";
import * as preview from "../../../app/routes/admin_.preview.$questionnaire.$version/route";
import * as previewFull from "../../../app/routes/admin_.preview.$questionnaire.$version_.full/route";
import * as report from "../../../app/routes/admin_.report.$campaignId.$countyId/route";
import * as login from "../../../app/routes/login/route";
import * as logout from "../../../app/routes/logout/route";
import { makeTestServices, type TestServices } from "../../support/services";
import { callAction, callLoader, roleCookies } from "./support";

type Role = "anon" | "city" | "county" | "school";
type Expect = Record<Role, number>;

interface Entry {
  folder: string;
  path: string;
  params: Record<string, string>;
  loader?: (args: LoaderFunctionArgs) => unknown;
  action?: (args: ActionFunctionArgs) => unknown;
  get?: Expect;
  post?: Expect & { form?: Record<string, string> };
}

const C = "zw2026";
const ZN = "640521";
const SPT = "640502";
const county = (id: string) => ({ campaignId: C, countyId: id });
const all = (n: number): Expect => ({ anon: 302, city: n, county: n, school: n });
const cityOnly: Expect = { anon: 302, city: 200, county: 403, school: 403 };
const officers: Expect = { anon: 302, city: 200, county: 200, school: 403 };

/** Routes of one county; `own` is 中宁县 (the officer's), the other URL is 沙坡头区. */
function countyRoutes(
  folder: string,
  suffix: string,
  module: { loader: (a: LoaderFunctionArgs) => unknown; action?: (a: ActionFunctionArgs) => unknown },
  extra: Record<string, string> = {},
): Entry[] {
  const base = (id: string) => `/admin/campaigns/${C}/counties/${id}${suffix}`;
  return [
    { folder, path: base(ZN), params: { ...county(ZN), ...extra }, loader: module.loader, get: officers },
    { folder, path: base(SPT), params: { ...county(SPT), ...extra }, loader: module.loader, get: { anon: 302, city: 200, county: 403, school: 403 } },
  ];
}

const ENTRIES: Entry[] = [
  { folder: "login", path: "/login", params: {}, loader: login.loader, get: { anon: 200, city: 302, county: 302, school: 302 } },
  { folder: "logout", path: "/logout", params: {}, loader: logout.loader, get: { anon: 302, city: 302, county: 302, school: 302 } },
  { folder: "admin", path: "/admin", params: {}, loader: admin.loader, get: all(200) },
  { folder: "admin._index", path: "/admin", params: {}, loader: adminIndex.loader, get: { anon: 302, city: 200, county: 200, school: 302 } },
  {
    folder: "admin.accounts",
    path: "/admin/accounts",
    params: {},
    loader: accounts.loader,
    action: accounts.action,
    get: officers,
    post: { anon: 401, city: 400, county: 403, school: 403, form: { intent: "create", username: "walker", displayName: "x", role: "city", password: "short" } },
  },
  { folder: "admin.audit", path: "/admin/audit", params: {}, loader: auditLog.loader, get: cityOnly },
  {
    folder: "admin.password",
    path: "/admin/password",
    params: {},
    loader: password.loader,
    action: password.action,
    get: all(200),
    post: { anon: 401, city: 400, county: 400, school: 400, form: { current: "wrong", next: "x", again: "y" } },
  },
  { folder: "admin.campaigns._index", path: "/admin/campaigns", params: {}, loader: campaigns.loader, get: all(200) },
  {
    folder: "admin.campaigns.new",
    path: "/admin/campaigns/new",
    params: {},
    loader: newCampaign.loader,
    action: newCampaign.action,
    get: cityOnly,
    post: { anon: 401, city: 400, county: 403, school: 403, form: { id: "x" } },
  },
  { folder: "admin.campaigns.$campaignId", path: `/admin/campaigns/${C}`, params: { campaignId: C }, loader: campaignLayout.loader, get: all(200) },
  {
    folder: "admin.campaigns.$campaignId",
    path: "/admin/campaigns/nope",
    params: { campaignId: "nope" },
    loader: campaignLayout.loader,
    get: { anon: 302, city: 404, county: 404, school: 404 },
  },
  {
    folder: "admin.campaigns.$campaignId._index",
    path: `/admin/campaigns/${C}`,
    params: { campaignId: C },
    loader: campaignIndex.loader,
    get: { anon: 302, city: 200, county: 200, school: 302 },
  },
  {
    folder: "admin.campaigns.$campaignId.edit",
    path: `/admin/campaigns/${C}/edit`,
    params: { campaignId: C },
    loader: edit.loader,
    action: edit.action,
    get: cityOnly,
    post: { anon: 401, city: 400, county: 403, school: 403, form: {} },
  },
  {
    folder: "admin.campaigns.$campaignId.schools-import",
    path: `/admin/campaigns/${C}/schools-import`,
    params: { campaignId: C },
    loader: schoolsImport.loader,
    action: schoolsImport.action,
    get: cityOnly,
    post: { anon: 401, city: 400, county: 403, school: 403, form: {} },
  },
  {
    folder: "admin.campaigns.$campaignId.evaluation-data",
    path: `/admin/campaigns/${C}/evaluation-data`,
    params: { campaignId: C },
    loader: evaluationData.loader,
    action: evaluationData.action,
    get: officers,
    post: { anon: 401, city: 400, county: 400, school: 403, form: {} },
  },
  {
    folder: "admin.campaigns.$campaignId.kits",
    path: `/admin/campaigns/${C}/kits`,
    params: { campaignId: C },
    loader: kits.loader,
    get: { anon: 302, city: 200, county: 200, school: 302 },
  },
  {
    folder: "admin.campaigns.$campaignId.schools.$schoolId",
    path: `/admin/campaigns/${C}/schools/zn01`,
    params: { campaignId: C, schoolId: "zn01" },
    loader: school.loader,
    get: all(200),
  },
  {
    folder: "admin.campaigns.$campaignId.schools.$schoolId",
    path: `/admin/campaigns/${C}/schools/zn02`,
    params: { campaignId: C, schoolId: "zn02" },
    loader: school.loader,
    get: { anon: 302, city: 200, county: 200, school: 403 },
  },
  {
    folder: "admin.campaigns.$campaignId.schools.$schoolId",
    path: `/admin/campaigns/${C}/schools/spt01`,
    params: { campaignId: C, schoolId: "spt01" },
    loader: school.loader,
    get: { anon: 302, city: 200, county: 403, school: 403 },
  },
  ...countyRoutes("admin.campaigns.$campaignId.counties.$countyId", "", countyLayout),
  ...countyRoutes("admin.campaigns.$campaignId.counties.$countyId._index", "", satisfaction),
  ...countyRoutes("admin.campaigns.$campaignId.counties.$countyId.coverage", "/coverage", coverage),
  ...countyRoutes("admin.campaigns.$campaignId.counties.$countyId.comments", "/comments", comments),
  ...countyRoutes("admin.campaigns.$campaignId.counties.$countyId.review", "/review", review),
  ...countyRoutes("admin.campaigns.$campaignId.counties.$countyId.readiness._index", "/readiness", readiness),
  ...countyRoutes("admin.campaigns.$campaignId.counties.$countyId.exports", "/exports", exportsPage),
  {
    folder: "admin.campaigns.$campaignId.counties.$countyId.readiness.$schoolId",
    path: `/admin/campaigns/${C}/counties/${ZN}/readiness/zn08`,
    params: { ...county(ZN), schoolId: "zn08" },
    loader: readinessSchool.loader,
    get: officers,
  },
  {
    folder: "admin.campaigns.$campaignId.counties.$countyId.readiness.$schoolId",
    path: `/admin/campaigns/${C}/counties/${SPT}/readiness/spt01`,
    params: { ...county(SPT), schoolId: "spt01" },
    loader: readinessSchool.loader,
    get: { anon: 302, city: 200, county: 403, school: 403 },
  },
  {
    folder: "admin.campaigns.$campaignId.counties.$countyId.review",
    path: `/admin/campaigns/${C}/counties/${ZN}/review`,
    params: county(ZN),
    action: review.action,
    post: { anon: 401, city: 400, county: 400, school: 403, form: { intent: "invalidate", reason: "" } },
  },
  {
    folder: "admin.campaigns.$campaignId.counties.$countyId.review",
    path: `/admin/campaigns/${C}/counties/${SPT}/review`,
    params: county(SPT),
    action: review.action,
    post: { anon: 401, city: 400, county: 403, school: 403, form: { intent: "invalidate", reason: "" } },
  },
  {
    folder: "admin.questionnaires",
    path: "/admin/questionnaires",
    params: {},
    loader: questionnaires.loader,
    action: questionnaires.action,
    get: cityOnly,
    post: { anon: 401, city: 400, county: 403, school: 403, form: {} },
  },
  { folder: "admin_.kit.$campaignId.$countyId", path: `/admin/kit/${C}/${ZN}`, params: county(ZN), loader: countyKit.loader, get: officers },
  {
    folder: "admin_.kit.$campaignId.$countyId",
    path: `/admin/kit/${C}/${SPT}`,
    params: county(SPT),
    loader: countyKit.loader,
    get: { anon: 302, city: 200, county: 403, school: 403 },
  },
  {
    folder: "admin_.qr.$campaignId.$countyId.$questionnaireId",
    path: `/admin/qr/${C}/${ZN}/social?school=zn01`,
    params: { ...county(ZN), questionnaireId: "social" },
    loader: qrPng.loader,
    get: all(200),
  },
  {
    folder: "admin_.qr.$campaignId.$countyId.$questionnaireId",
    path: `/admin/qr/${C}/${ZN}/social?school=zn02`,
    params: { ...county(ZN), questionnaireId: "social" },
    loader: qrPng.loader,
    get: { anon: 302, city: 200, county: 200, school: 403 },
  },
  {
    folder: "admin_.qr.$campaignId.$countyId.$questionnaireId",
    path: `/admin/qr/${C}/${SPT}/social?school=spt01`,
    params: { ...county(SPT), questionnaireId: "social" },
    loader: qrPng.loader,
    get: { anon: 302, city: 200, county: 403, school: 403 },
  },
  {
    folder: "admin_.qr.$campaignId.$countyId.$questionnaireId",
    path: `/admin/qr/${C}/${SPT}/social`,
    params: { ...county(SPT), questionnaireId: "social" },
    loader: qrPng.loader,
    get: { anon: 302, city: 200, county: 403, school: 403 },
  },
  { folder: "admin_.report.$campaignId.$countyId", path: `/admin/report/${C}/${ZN}`, params: county(ZN), loader: report.loader, get: officers },
  {
    folder: "admin_.report.$campaignId.$countyId",
    path: `/admin/report/${C}/${SPT}`,
    params: county(SPT),
    loader: report.loader,
    get: { anon: 302, city: 200, county: 403, school: 403 },
  },
  {
    folder: "admin_.preview.$questionnaire.$version_.full",
    path: "/admin/preview/social/1/full",
    params: { questionnaire: "social", version: "1" },
    loader: previewFull.loader,
    get: all(200),
  },
  {
    folder: "admin_.preview.$questionnaire.$version",
    path: "/admin/preview/social/1",
    params: { questionnaire: "social", version: "1" },
    loader: preview.loader,
    action: preview.action,
    get: all(200),
    post: { anon: 401, city: 200, county: 200, school: 200, form: {} },
  },
  {
    folder: "admin_.export.$campaignId.$file",
    path: `/admin/export/${C}/template.xlsx`,
    params: { campaignId: C, file: "template.xlsx" },
    loader: exportFile.loader,
    get: officers,
  },
  {
    folder: "admin_.export.$campaignId.$file",
    path: `/admin/export/${C}/table6.xlsx?county=${ZN}`,
    params: { campaignId: C, file: "table6.xlsx" },
    loader: exportFile.loader,
    get: officers,
  },
  {
    folder: "admin_.export.$campaignId.$file",
    path: `/admin/export/${C}/table6.xlsx?county=${SPT}`,
    params: { campaignId: C, file: "table6.xlsx" },
    loader: exportFile.loader,
    get: { anon: 302, city: 200, county: 403, school: 403 },
  },
  {
    folder: "admin_.export.$campaignId.$file",
    path: `/admin/export/${C}/cv.xlsx?county=${SPT}`,
    params: { campaignId: C, file: "cv.xlsx" },
    loader: exportFile.loader,
    get: { anon: 302, city: 409, county: 403, school: 403 },
  },
  {
    folder: "admin_.export.$campaignId.$file",
    path: `/admin/export/${C}/evidence.zip?county=${ZN}`,
    params: { campaignId: C, file: "evidence.zip" },
    loader: exportFile.loader,
    get: officers,
  },
  {
    folder: "admin_.export.$campaignId.$file",
    path: `/admin/export/${C}/evidence.zip?county=${SPT}`,
    params: { campaignId: C, file: "evidence.zip" },
    loader: exportFile.loader,
    get: { anon: 302, city: 200, county: 403, school: 403 },
  },
  {
    folder: "admin_.export.$campaignId.$file",
    path: `/admin/export/${C}/evidence-public-key.pem`,
    params: { campaignId: C, file: "evidence-public-key.pem" },
    loader: exportFile.loader,
    get: officers,
  },
  {
    folder: "admin_.export.$campaignId.$file",
    path: `/admin/export/${C}/responses.csv`,
    params: { campaignId: C, file: "responses.csv" },
    loader: exportFile.loader,
    get: cityOnly,
  },
  {
    folder: "admin_.export.$campaignId.$file",
    path: `/admin/export/${C}/responses.xlsx?county=${ZN}`,
    params: { campaignId: C, file: "responses.xlsx" },
    loader: exportFile.loader,
    get: cityOnly,
  },
  { folder: "logout", path: "/logout", params: {}, action: logout.action, post: { anon: 302, city: 302, county: 302, school: 302, form: {} } },
];

let services: TestServices;
let cookies: Record<Role, string | null>;

beforeAll(async () => {
  services = await makeTestServices();
  await generateResponses(services.db, { campaignId: C, count: 400, seed: 4, now: services.now() - 3_600_000, profile: "demo", label: "walk" });
  const c = await roleCookies(services);
  cookies = { anon: null, city: c.city, county: c.county, school: c.school };
});
afterAll(async () => {
  await services.dispose();
});

describe("every console route with every role", () => {
  it("covers every route folder of the console", () => {
    const dir = fileURLToPath(new URL("../../../app/routes", import.meta.url));
    const folders = fs.readdirSync(dir).filter((f) => /^(admin|login|logout)/.test(f));
    const walked = new Set(ENTRIES.map((e) => e.folder));
    expect(folders.filter((f) => !walked.has(f))).toEqual([]);
  });

  const roles: Role[] = ["anon", "city", "county", "school"];
  for (const entry of ENTRIES) {
    for (const role of roles) {
      if (entry.loader && entry.get) {
        const loader = entry.loader;
        const expected = entry.get[role];
        it(`GET ${entry.path} as ${role} → ${String(expected)}`, async () => {
          const res = await callLoader(services, loader, entry.path, { cookie: cookies[role], params: entry.params });
          expect(res.status).toBe(expected);
          if (expected === 403 || expected === 404) {
            expect(res.body).toEqual({ title: expect.any(String), message: expect.any(String) });
          }
          if (role === "anon" && expected === 302 && entry.folder !== "logout") expect(res.headers.get("location")).toMatch(/^\/login\?next=/);
        });
      }
      if (entry.action && entry.post) {
        const action = entry.action;
        const expected = entry.post[role];
        const form = entry.post.form ?? {};
        it(`POST ${entry.path} as ${role} → ${String(expected)}`, async () => {
          // Logging out would end the role's session for the tests after it: a throwaway session.
          const cookie = entry.folder === "logout" && role !== "anon" ? await freshCookie(role) : cookies[role];
          const res = await callAction(services, action, entry.path, { cookie, params: entry.params, form });
          expect(res.status).toBe(expected);
          if (expected === 403 || expected === 401) expect(res.body).toEqual({ title: expect.any(String), message: expect.any(String) });
        });
      }
    }
  }
});

async function freshCookie(role: Exclude<Role, "anon">): Promise<string> {
  const { sessionCookie } = await import("./support");
  const user = { city: "city-admin", county: "zn-officer", school: "zn01-contact" }[role];
  services.clock.advance(16 * 60_000); // clear of the sign-in limit
  return sessionCookie(services, user);
}
