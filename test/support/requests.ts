/**
 * Building requests the way a phone sends them: a device cookie the server issued, the
 * signed start token the page handed out (bound to that device when the cookie is given),
 * a fresh idempotency key, and answers.
 */
import { randomBytes } from "node:crypto";
import { newDeviceCookie, readDeviceId } from "../../app/.server/collect/device";
import { signLink, type LinkScope } from "../../app/.server/collect/link-token";
import type { Services } from "../../app/.server/context";
import { signStarted } from "../../app/.server/collect/started-token";
import { scopeKey } from "../../app/.server/collect/link-token";
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

const SCORED = [
  "moral",
  "equity",
  "admission",
  "gap",
  "teachers",
  "conduct",
  "quality_ed",
  "exam_reform",
  "homework",
  "pe_arts_labour",
  "safety",
  "government",
  "overall",
];
/** A skewed distribution, as parents answer: half 满意, few 不满意 (cumulative, out of 100). */
const DISTRIBUTION: Array<[number, string]> = [
  [50, "满意"],
  [75, "比较满意"],
  [87, "基本满意"],
  [92, "不满意"],
  [95, "很不满意"],
  [100, "不了解"],
];

/**
 * Parent number `n`'s own answers (deterministic, varied, never straight-lined): what a
 * parents' meeting of different people looks like, unlike one answer set repeated.
 */
export function variedParentAnswers(n: number, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  let x = (n + 1) * 2654435761;
  const next = () => {
    x = (Math.imul(x ^ (x >>> 15), 2246822519) + 0x9e3779b9) >>> 0;
    return x % 100;
  };
  const answers: Record<string, unknown> = { grade: 1 + (n % 6) };
  for (const item of SCORED) {
    const r = next();
    answers[item] = DISTRIBUTION.find(([upTo]) => r < upTo)?.[1] ?? "满意";
  }
  if (SCORED.every((item) => answers[item] === answers.moral)) answers.homework = answers.moral === "满意" ? "比较满意" : "满意";
  if (n % 4 === 0) answers.comment = "希望增加课后服务的活动种类。";
  return { ...answers, ...overrides };
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

/**
 * A start token for `scope`, started three minutes ago unless told, bound to the device of
 * `cookie` — or, without one, to a device nobody presents (a start_foreign submission).
 */
export function startedFor(services: Services, scope: LinkScope = DEMO_SCHOOL_SOCIAL, startedAt?: number, cookie?: string): string {
  const deviceId = (cookie ? readDeviceId(services.keys, cookie) : null) ?? newDeviceCookie(services.keys, false).deviceId;
  return signStarted(services.keys, { scopeKey: scopeKey(scope), deviceId }, startedAt ?? services.now() - 180_000);
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

/**
 * A valid submission body for `scope` (defaults: the demo 沙坡头区第一小学 社会卷), its start
 * token bound to `cookie`'s device when given.
 */
export function validBody(
  services: Services,
  options: { scope?: LinkScope; answers?: Record<string, unknown>; key?: string; cookie?: string; startedAt?: number } = {},
) {
  return {
    version: 1,
    idempotencyKey: options.key ?? newKey(),
    started: startedFor(services, options.scope, options.startedAt, options.cookie),
    answers: options.answers ?? parentAnswers(),
  };
}
