import type { LinksFunction, MetaFunction } from "@remix-run/node";
import {
  isRouteErrorResponse,
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  useRouteError,
} from "@remix-run/react";
import type { ReactNode } from "react";
import { useNonce } from "./components/nonce";
import { PageMessage } from "./components/page-message";
import appCss from "./styles/app.css?url";

export const links: LinksFunction = () => [
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
  { rel: "stylesheet", href: appCss },
];

export const meta: MetaFunction = () => [
  { title: "义务教育优质均衡发展调查评估平台" },
  { name: "format-detection", content: "telephone=no" },
];

export function Layout({ children }: { children: ReactNode }) {
  const nonce = useNonce();
  return (
    <html lang="zh-CN">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover" />
        <meta name="renderer" content="webkit" />
        <Meta />
        <Links />
      </head>
      <body>
        {children}
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  return <Outlet />;
}

/** Error data the server throws with `problemResponse` (app/.server/http.ts). */
function problemOf(data: unknown): { title: string; message: string } | null {
  if (typeof data !== "object" || data === null) return null;
  const title = "title" in data && typeof data.title === "string" ? data.title : null;
  const message = "message" in data && typeof data.message === "string" ? data.message : null;
  return title && message ? { title, message } : null;
}

export function ErrorBoundary() {
  const error = useRouteError();
  if (isRouteErrorResponse(error)) {
    const problem = problemOf(error.data);
    if (problem) return <PageMessage tone="warning" title={problem.title} message={problem.message} />;
    if (error.status === 404) {
      return <PageMessage tone="warning" title="页面不存在" message="您访问的页面不存在。如果您是扫码进入的，请重新扫描学校提供的二维码。" />;
    }
    if (error.status === 429) {
      return <PageMessage tone="warning" title="访问人数较多" message="当前访问人数较多，请稍等一分钟后刷新页面。" />;
    }
  }
  return (
    <PageMessage
      tone="error"
      title="服务暂时出现问题"
      message="很抱歉，系统暂时无法处理您的请求。您已填写的答案保存在本机，请稍后刷新页面重试。"
    />
  );
}
