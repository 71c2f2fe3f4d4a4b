/**
 * POST /s/<token>/submit — the survey's submit endpoint (a resource route: JSON in, JSON out).
 * All of the work is in the shared submit path (app/.server/collect/submit.ts).
 */
import { json, type ActionFunctionArgs } from "@remix-run/node";
import { submitInputOf, submitResponse } from "../../.server/collect/submit";

export async function action({ params, request, context }: ActionFunctionArgs) {
  if (request.method !== "POST") {
    return json({ ok: false, error: "method_not_allowed", message: "请通过问卷页面提交。" }, { status: 405, headers: { Allow: "POST" } });
  }
  const result = await submitResponse(context.services, submitInputOf(request, params.token ?? "", context.clientAddress));
  return json(result.body, { status: result.status, headers: { "Cache-Control": "no-store", ...result.headers } });
}

export async function loader() {
  return json({ ok: false, error: "method_not_allowed", message: "请通过问卷页面提交。" }, { status: 405, headers: { Allow: "POST" } });
}
