/**
 * Calling the console's real loaders and actions as a browser would: a signed-in cookie from
 * the real sign-in action, form posts with a same-origin Origin header, thrown responses
 * (redirects, 403/404) caught and returned like any other.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { demoPassword } from "../../../app/.server/auth/demo-accounts";
import { createAccount } from "../../../app/.server/console/accounts";
import type { Services } from "../../../app/.server/context";
import type { Role } from "../../../app/domain/roles";
import { action as loginAction } from "../../../app/routes/login/route";

export const ORIGIN = "https://survey.test";
export const TEST_PASSWORD = "correct horse battery 2026";

type Loader = (args: LoaderFunctionArgs) => unknown;
type Action = (args: ActionFunctionArgs) => unknown;

export interface Called {
  status: number;
  headers: Headers;
  body: unknown;
  text: string;
}

async function settle(run: () => unknown): Promise<Called> {
  let response: unknown;
  try {
    response = await run();
  } catch (thrown) {
    response = thrown;
  }
  if (!(response instanceof Response)) {
    if (response instanceof Error) throw response;
    return { status: 200, headers: new Headers(), body: response, text: JSON.stringify(response) };
  }
  const text = await response.text();
  let body: unknown = text;
  if ((response.headers.get("content-type") ?? "").includes("json")) {
    try {
      body = JSON.parse(text) as unknown;
    } catch {
      body = text;
    }
  }
  return { status: response.status, headers: response.headers, body, text };
}

function contextOf(services: Services, clientAddress = "198.51.100.20") {
  return { services, clientAddress, cspNonce: "test" };
}

export async function callLoader(
  services: Services,
  loader: Loader,
  path: string,
  options: { cookie?: string | null; params?: Record<string, string> } = {},
): Promise<Called> {
  const headers: Record<string, string> = {};
  if (options.cookie) headers.Cookie = options.cookie;
  const request = new Request(`${ORIGIN}${path}`, { headers });
  return settle(() => loader({ request, params: options.params ?? {}, context: contextOf(services) }));
}

export async function callAction(
  services: Services,
  action: Action,
  path: string,
  options: {
    cookie?: string | null;
    params?: Record<string, string>;
    form?: Record<string, string> | FormData;
    origin?: string | null;
    clientAddress?: string;
    headers?: Record<string, string>;
  } = {},
): Promise<Called> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.cookie) headers.Cookie = options.cookie;
  if (options.origin !== null) headers.Origin = options.origin ?? ORIGIN;
  let body: FormData | URLSearchParams;
  if (options.form instanceof FormData) body = options.form;
  else body = new URLSearchParams(options.form ?? {});
  const request = new Request(`${ORIGIN}${path}`, { method: "POST", headers, body });
  return settle(() => action({ request, params: options.params ?? {}, context: contextOf(services, options.clientAddress) }));
}

/** The session cookie (name=value) from a Set-Cookie header. */
export function cookieFrom(headers: Headers): string {
  const set = headers.get("set-cookie") ?? "";
  return set.split(";")[0] ?? "";
}

export async function signIn(services: Services, username: string, password: string, clientAddress?: string): Promise<Called> {
  return callAction(services, loginAction, "/login", { form: { username, password, next: "/admin" }, clientAddress });
}

/** Signs in and returns the cookie; throws when sign-in fails. */
export async function sessionCookie(services: Services, username: string, password = TEST_PASSWORD): Promise<string> {
  const res = await signIn(services, username, password, `198.51.100.${String(username.length % 200)}`);
  if (res.status !== 302) throw new Error(`sign-in of ${username} failed: ${res.status} ${res.text}`);
  return cookieFrom(res.headers);
}

/** Creates an account directly (as the command line would) with TEST_PASSWORD. */
export async function makeAccount(services: Services, username: string, role: Role, scope: { countyId?: string; schoolId?: string } = {}): Promise<void> {
  const result = await createAccount(services, null, {
    username,
    displayName: `${username} 测试`,
    role,
    countyId: scope.countyId,
    schoolId: scope.schoolId,
    password: TEST_PASSWORD,
  });
  if (!result.ok) throw new Error(result.message);
}

/** Signed-in cookies of a city, a 中宁县 county and a 中宁县第一小学 school account. */
export async function roleCookies(services: Services): Promise<Record<"city" | "county" | "otherCounty" | "school", string>> {
  await makeAccount(services, "city-admin", "city");
  await makeAccount(services, "zn-officer", "county", { countyId: "640521" });
  await makeAccount(services, "spt-officer", "county", { countyId: "640502" });
  await makeAccount(services, "zn01-contact", "school", { schoolId: "zn01" });
  return {
    city: await sessionCookie(services, "city-admin"),
    county: await sessionCookie(services, "zn-officer"),
    otherCounty: await sessionCookie(services, "spt-officer"),
    school: await sessionCookie(services, "zn01-contact"),
  };
}

export function demoLogin(services: Services, username: string): string {
  return demoPassword(services.keys, username);
}
