import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { readSession, endSession } from "../../.server/auth/session";
import { audit } from "../../.server/console/audit";

/** Signing out is a POST (no GET changes anything); a GET just goes back to the console. */
export async function loader() {
  return redirect("/admin");
}

export async function action({ request, context }: ActionFunctionArgs) {
  const principal = await readSession(context.services, request);
  const clear = await endSession(context.services, request);
  if (principal) await audit(context.services, principal, "sign_out", { subject: principal.username, clientAddress: context.clientAddress });
  return redirect("/login", { headers: { "Set-Cookie": clear, "Cache-Control": "no-store" } });
}
