import { json, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Outlet, useLoaderData, useRouteLoaderData } from "@remix-run/react";
import { requirePrincipal } from "../../.server/auth/guard";
import { ConsoleProblem } from "../../components/console/console-error";
import { ConsoleShell } from "../../components/console/shell";
import consoleCss from "../../styles/console.css?url";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: consoleCss }];
export const meta: MetaFunction = () => [{ title: "管理后台 · 优质均衡调查评估" }];

/** The frame only; every child loader checks its own principal and scope. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const principal = await requirePrincipal(request, context);
  return json({ principal }, { headers: { "Cache-Control": "private, no-store" } });
}

export default function AdminLayout() {
  const { principal } = useLoaderData<typeof loader>();
  return (
    <ConsoleShell principal={principal}>
      <Outlet />
    </ConsoleShell>
  );
}

export function ErrorBoundary() {
  const data = useRouteLoaderData<typeof loader>("routes/admin");
  if (!data) {
    return (
      <div className="console">
        <main className="console-main">
          <ConsoleProblem />
        </main>
      </div>
    );
  }
  return (
    <ConsoleShell principal={data.principal}>
      <ConsoleProblem />
    </ConsoleShell>
  );
}
