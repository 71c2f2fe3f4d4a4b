/**
 * Expected failures as HTTP responses the root error boundary renders in Chinese.
 */
import { json } from "@remix-run/node";

export function problemResponse(
  status: number,
  title: string,
  message: string,
  headers: Record<string, string> = {},
): Response {
  return json({ title, message }, { status, headers: { "Cache-Control": "no-store", ...headers } });
}
