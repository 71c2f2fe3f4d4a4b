/**
 * The error boundary of the parents' (non-hydrated) pages: the Chinese problem page the server
 * threw (link invalid, closed, not yet open, too many requests), or a generic one.
 */
import { isRouteErrorResponse, useRouteError } from "@remix-run/react";
import type { PageFooter } from "../domain/page-header";
import { PageMessage } from "./page-message";
import { SurveyFooter } from "./survey-footer";

function problemOf(data: unknown): { title: string; message: string; footer: PageFooter | null } | null {
  if (typeof data !== "object" || data === null) return null;
  const title = "title" in data && typeof data.title === "string" ? data.title : null;
  const message = "message" in data && typeof data.message === "string" ? data.message : null;
  return title && message ? { title, message, footer: "footer" in data ? footerOf(data.footer) : null } : null;
}

function footerOf(value: unknown): PageFooter | null {
  if (typeof value !== "object" || value === null) return null;
  const text = (v: unknown) => (typeof v === "string" && v !== "" ? v : null);
  return { contact: "contact" in value ? text(value.contact) : null, icpBeian: "icpBeian" in value ? text(value.icpBeian) : null };
}

export function ProblemBoundary() {
  const error = useRouteError();
  if (isRouteErrorResponse(error)) {
    const problem = problemOf(error.data);
    if (problem) {
      return (
        <>
          <PageMessage tone="warning" title={problem.title} message={problem.message} />
          <SurveyFooter footer={problem.footer} />
        </>
      );
    }
    if (error.status === 404) {
      return <PageMessage tone="warning" title="页面不存在" message="您访问的页面不存在。如果您是扫码进入的，请重新扫描学校提供的二维码。" />;
    }
    if (error.status === 429) {
      return <PageMessage tone="warning" title="访问人数较多" message="当前访问人数较多，请稍等一分钟后刷新页面。" />;
    }
  }
  return <PageMessage tone="error" title="服务暂时出现问题" message="很抱歉，系统暂时无法处理您的请求。您已填写的答案保存在本机，请稍后刷新页面重试。" />;
}
