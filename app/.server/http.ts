/**
 * Expected failures as HTTP responses the root error boundary renders in Chinese.
 */
import { json } from "@remix-run/node";
import type { PageFooter } from "../domain/page-header";

export function problemResponse(
  status: number,
  title: string,
  message: string,
  headers: Record<string, string> = {},
  /** The foot of a parents' page (who to call, ICP 备案), shown under the problem when set. */
  footer?: PageFooter,
): Response {
  return json(footer ? { title, message, footer } : { title, message }, { status, headers: { "Cache-Control": "no-store", ...headers } });
}
