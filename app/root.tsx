import type { LinksFunction, MetaFunction } from "@remix-run/node";
import { Links, Meta, Outlet, Scripts, ScrollRestoration, useMatches } from "@remix-run/react";
import type { ReactNode } from "react";
import { useNonce } from "./components/nonce";
import { isStaticPage, useServerStyles } from "./components/server-styles";
import appCss from "./styles/app.css?url";

export const links: LinksFunction = () => [
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
  { rel: "stylesheet", href: appCss },
];

export const meta: MetaFunction = () => [{ title: "义务教育优质均衡发展调查评估平台" }, { name: "format-detection", content: "telephone=no" }];

/**
 * The document. Parents' pages (route handle `hydrate: false`) are plain server-rendered HTML:
 * no React, no Remix runtime in the browser, their CSS inlined — nothing can replace or reset
 * what a parent taps. Every other page is a hydrated Remix page.
 */
export function Layout({ children }: { children: ReactNode }) {
  const nonce = useNonce();
  const serverStyles = useServerStyles();
  const hydrate = !isStaticPage(useMatches().map((m) => m.handle));
  return (
    <html lang="zh-CN">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover" />
        <meta name="renderer" content="webkit" />
        <Meta />
        {hydrate ? (
          <Links />
        ) : (
          <>
            <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
            <style nonce={nonce} dangerouslySetInnerHTML={{ __html: serverStyles }} />
          </>
        )}
      </head>
      <body>
        {children}
        {hydrate ? (
          <>
            <ScrollRestoration nonce={nonce} />
            <Scripts nonce={nonce} />
          </>
        ) : null}
      </body>
    </html>
  );
}

export default function App() {
  return <Outlet />;
}

export { ProblemBoundary as ErrorBoundary } from "./components/problem-boundary";
