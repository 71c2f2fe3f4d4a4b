/**
 * What every console loader and action calls first. Loaders of nested routes run in parallel,
 * so a parent layout's check protects nothing: each loader and action asks for its principal
 * and checks its own scope here, on the server.
 */
import { redirect, type AppLoadContext } from "@remix-run/node";
import { canSeeCounty, canSeeSchool, type Principal, type Role } from "../../domain/roles";
import { rememberClientAddress } from "../console/audit";
import { problemResponse } from "../http";
import { readSession } from "./session";

export const FORBIDDEN_TITLE = "无权访问";

export function forbidden(message = "您的账号无权查看此页面。如需访问，请联系市教育局管理员。"): Response {
  return problemResponse(403, FORBIDDEN_TITLE, message);
}

export function notFound(message = "您要查看的内容不存在，或已被删除。"): Response {
  return problemResponse(404, "页面不存在", message);
}

/**
 * The signed-in principal, or: a redirect to /login (GET, so the person comes back afterwards)
 * or 401 (any other method). The principal remembers the request's client address, which the
 * audit log records with whatever it does (console/audit.ts).
 */
export async function requirePrincipal(request: Request, context: AppLoadContext): Promise<Principal> {
  const principal = await readSession(context.services, request);
  if (principal) return rememberClientAddress(principal, context.clientAddress);
  if (request.method === "GET" || request.method === "HEAD") {
    const url = new URL(request.url);
    throw redirect(`/login?next=${encodeURIComponent(url.pathname + url.search)}`, { headers: { "Cache-Control": "no-store" } });
  }
  throw problemResponse(401, "请先登录", "登录已过期，请重新登录后再操作。");
}

/**
 * For actions: the principal, after refusing a cross-site request. SameSite=Lax cookies are
 * not sent on cross-site POSTs already; checking Origin / Sec-Fetch-Site as well costs nothing.
 */
export async function requireActor(request: Request, context: AppLoadContext): Promise<Principal> {
  if (request.method === "GET" || request.method === "HEAD") throw problemResponse(405, "不支持的操作", "请通过页面上的按钮操作。");
  const site = request.headers.get("sec-fetch-site");
  const origin = request.headers.get("origin");
  const sameOrigin =
    origin === null ||
    origin === context.services.config.publicUrl ||
    (() => {
      try {
        return new URL(origin).host === new URL(request.url).host;
      } catch {
        return false;
      }
    })();
  if (site === "cross-site" || !sameOrigin) throw forbidden("请求来源不正确，请在本平台页面上操作。");
  return requirePrincipal(request, context);
}

export function requireRole(principal: Principal, ...roles: Role[]): void {
  if (!roles.includes(principal.role)) throw forbidden();
}

export function requireCountyScope(principal: Principal, countyId: string): void {
  if (!canSeeCounty(principal, countyId)) throw forbidden("您的账号只能查看本县（区）的数据。");
}

export function requireSchoolScope(principal: Principal, school: { id: string; countyId: string }): void {
  if (!canSeeSchool(principal, school)) throw forbidden("您的账号只能查看本校的信息。");
}
