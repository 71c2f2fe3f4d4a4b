/**
 * Errors inside the console, in Chinese: out of scope (403), not found (404), signed out (401),
 * and anything unexpected. Shown inside the console frame when the layout could load.
 */
import { isRouteErrorResponse, useRouteError } from "@remix-run/react";

function problemOf(data: unknown): { title: string; message: string } | null {
  if (typeof data !== "object" || data === null) return null;
  const title = "title" in data && typeof data.title === "string" ? data.title : null;
  const message = "message" in data && typeof data.message === "string" ? data.message : null;
  return title && message ? { title, message } : null;
}

export function ConsoleProblem() {
  const error = useRouteError();
  let title = "系统暂时出现问题";
  let message = "很抱歉，系统暂时无法处理您的请求，请稍后刷新页面重试。如果问题持续，请联系平台管理员。";
  let status: number | null = null;
  if (isRouteErrorResponse(error)) {
    status = error.status;
    const problem = problemOf(error.data);
    if (problem) ({ title, message } = problem);
    else if (error.status === 404) ({ title, message } = { title: "页面不存在", message: "您要查看的页面不存在，或已被删除。" });
    else if (error.status === 403) ({ title, message } = { title: "无权访问", message: "您的账号无权查看此页面。" });
  }
  return (
    <section className="c-card" role="alert">
      <h2>{title}</h2>
      <p>{message}</p>
      <p className="c-muted">
        {status !== null ? `（状态码 ${String(status)}）` : null} <a href="/admin">返回管理后台首页</a>
      </p>
    </section>
  );
}
