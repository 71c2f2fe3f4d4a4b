/** GET /healthz — the store answers a query; for load balancers and process supervisors. */
import { json, type LoaderFunctionArgs } from "@remix-run/node";
import { sql } from "kysely";

export async function loader({ context }: LoaderFunctionArgs) {
  try {
    await sql`select 1`.execute(context.services.db);
    return json({ ok: true }, { headers: { "Cache-Control": "no-store" } });
  } catch (error) {
    context.services.log.error("health check failed", { error: String(error) });
    return json({ ok: false }, { status: 503, headers: { "Cache-Control": "no-store" } });
  }
}
