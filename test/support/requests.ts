/**
 * Building requests the way a phone sends them: a device cookie the server issued, the
 * signed start time the page handed out, a fresh idempotency key, and answers.
 */
import { randomBytes } from "node:crypto";
import { newDeviceCookie } from "../../app/.server/device";
import { signLink, type LinkScope } from "../../app/.server/link-token";
import type { Services } from "../../app/.server/services";
import { signStarted } from "../../app/.server/started-token";
import { scopeKey } from "../../app/.server/link-token";
import { action as submitAction } from "../../app/routes/s.$token_.submit/route";

export const DEMO_SCHOOL_SOCIAL: LinkScope = {
  campaignId: "zw2026",
  countyId: "640502",
  schoolId: "spt01",
  questionnaireId: "social",
};

/** A complete, valid 社会卷 answer set for a parent at a 小学. */
export function parentAnswers(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    grade: 3,
    moral: "满意",
    equity: "比较满意",
    admission: "满意",
    gap: "基本满意",
    teachers: "满意",
    conduct: "不了解",
    quality_ed: "比较满意",
    exam_reform: "满意",
    homework: "不满意",
    pe_arts_labour: "满意",
    safety: "满意",
    government: "比较满意",
    overall: "比较满意",
    comment: "希望增加课后服务的活动种类。",
    ...overrides,
  };
}

export function newDevice(services: Services): string {
  const { setCookie } = newDeviceCookie(services.keys, false);
  return setCookie.split(";")[0] ?? "";
}

export function newKey(): string {
  return randomBytes(16).toString("base64url");
}

export function linkToken(services: Services, scope: LinkScope = DEMO_SCHOOL_SOCIAL): string {
  return signLink(services.keys, scope);
}

export function startedFor(services: Services, scope: LinkScope = DEMO_SCHOOL_SOCIAL, startedAt?: number): string {
  return signStarted(services.keys, scopeKey(scope), startedAt ?? services.now() - 180_000);
}

export interface SubmitOptions {
  token: string;
  cookie?: string | null;
  body?: unknown;
  rawBody?: string;
  contentType?: string;
  clientAddress?: string;
  headers?: Record<string, string>;
}

/** Calls the real Remix action of POST /s/<token>/submit. */
export async function callSubmit(services: Services, options: SubmitOptions): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }> {
  const headers: Record<string, string> = { "Content-Type": options.contentType ?? "application/json", ...options.headers };
  if (options.cookie) headers.Cookie = options.cookie;
  const request = new Request(`https://survey.test/s/${options.token}/submit`, {
    method: "POST",
    headers,
    body: options.rawBody ?? JSON.stringify(options.body ?? {}),
  });
  const response = await submitAction({
    request,
    params: { token: options.token },
    context: { services, clientAddress: options.clientAddress ?? "203.0.113.7", cspNonce: "test" },
  });
  const text = await response.text();
  let body: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === "object" && parsed !== null) body = Object.fromEntries(Object.entries(parsed));
  } catch {
    body = { raw: text };
  }
  return { status: response.status, body, headers: response.headers };
}

/** A valid submission body for `scope` (defaults: the demo 沙坡头区第一小学 社会卷). */
export function validBody(services: Services, options: { scope?: LinkScope; answers?: Record<string, unknown>; key?: string } = {}) {
  return {
    version: 1,
    idempotencyKey: options.key ?? newKey(),
    started: startedFor(services, options.scope),
    answers: options.answers ?? parentAnswers(),
  };
}
