/**
 * The one submit path: everything between a parent's tap on 提交 and a stored response.
 * Framework-neutral (a Fetch `Request` in, a status and JSON body out) so the Remix action and
 * any leaner handler in front of it share every guarantee:
 *
 * signed link, device cookie → the address's junk allowance → rate limits (device, address) →
 * campaign window → size cap → JSON or form → questionnaire version → child ordinal (parents'
 * links, ≤ the limit) → signed start time → answers validated against the definition → the
 * previous child answered (ordinal ≥ 2) → the link's shared allowance → scored → stored once
 * (idempotency key and device × link × child ordinal are unique constraints; decision 0027).
 *
 * Bad input is answered 4xx with a Chinese message and writes nothing. Every such refusal
 * counts on the sending address's junk allowance (`submitJunkAddress`), which is looked at
 * before anything else is counted; only a submission that could be accepted reaches the link's
 * allowance, which all of a school's parents share — so junk from a few addresses cannot shut
 * a school's link for everyone (decision 0010).
 */
import { z } from "zod";
import type { NewResponse } from "../../../db/schema";
import { QUESTIONNAIRE_SCORING } from "../../domain/questionnaire-scoring";
import { scoreAnswers } from "../../survey/score";
import type { CompiledSurvey } from "../../survey/compile";
import { parseFormAnswers } from "../../survey/form";
import { validateAnswers } from "../../survey/validate";
import { readBodyCapped, type BodyRead } from "./body";
import { CHILD_LIMITS, checkChildOrdinal, childRefusal, OTHER_CHILD_WORDS } from "../../domain/children";
import { hasResponded, insertResponse } from "../../../db/repositories/responses";
import { linkAudience } from "./children";
import { deviceHash, readDeviceId, respondentKey } from "./device";
import { flagSubmission } from "./integrity";
import { LINK_INVALID, resolveScope } from "./link-context";
import { scopeKey, verifyLink } from "./link-token";
import { checkLimits, peekLimit, type LimitCheck } from "../rate-limit/policy";
import type { Services } from "../context";
import { MAX_STARTED_FIELD, verifyStarted } from "./started-token";
import { activeSupervision, supervisionScope } from "./supervision";
import type { SubmitErrorCode } from "../../survey/submit-protocol";

export const SubmissionSchema = z.object({
  version: z.number().int().positive(),
  /** Generated on the device when the questionnaire is first opened; reused on every retry. */
  idempotencyKey: z.string().regex(/^[A-Za-z0-9_-]{16,64}$/),
  /** The signed start token the page handed out, bound to the device (a renewal may follow). */
  started: z.string().max(MAX_STARTED_FIELD),
  /** Checked by validateAnswers on the parsed JSON itself, so no key (not even "__proto__") is lost. */
  answers: z.unknown(),
  /** Honeypot: a field people never see. Filled in → flagged, still stored, never deleted. */
  website: z.string().max(500).optional(),
  /**
   * The child ordinal on a parents' link (decision 0027): absent for the first child. Checked
   * against the link, the limit and the device's earlier answers below, never trusted.
   */
  child: z.union([z.number(), z.string().max(4)]).optional(),
});
export type Submission = z.infer<typeof SubmissionSchema>;

type Parsed = { ok: true; submission: Submission } | { ok: false; message: string };

function parseJsonSubmission(text: string): Parsed {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, message: "提交的内容不完整，请检查网络后重试。" };
  }
  const parsed = SubmissionSchema.safeParse(json);
  return parsed.success ? { ok: true, submission: parsed.data } : { ok: false, message: "提交的内容格式不正确，请刷新页面后重试。" };
}

/**
 * A posted HTML form (the phone page, with or without JavaScript): control fields `_v`,
 * `_key`, `_started`, the honeypot, and one field per answered question.
 */
function parseFormSubmission(survey: CompiledSurvey, text: string): Parsed {
  const form = parseFormAnswers(survey, new URLSearchParams(text));
  if (!form.ok) return { ok: false, message: "提交的内容格式不正确，请刷新页面后重试。" };
  const parsed = SubmissionSchema.safeParse({
    version: form.version ?? 0,
    idempotencyKey: form.key,
    started: form.started,
    answers: form.answers,
    website: form.honeypot,
    ...(form.child !== "" ? { child: form.child } : {}),
  });
  return parsed.success ? { ok: true, submission: parsed.data } : { ok: false, message: "页面已过期，请刷新页面后重新提交。" };
}

/** The error codes live with the protocol both clients follow (app/survey/submit-protocol.ts). */
export type { SubmitErrorCode };

export type SubmitBody =
  | { ok: true; status: "accepted" | "replayed" }
  | {
      ok: false;
      error: SubmitErrorCode;
      message: string;
      problems?: Array<{ question: string | null; message: string }>;
    };

export interface SubmitResult {
  status: number;
  body: SubmitBody;
  headers: Record<string, string>;
  /** What was submitted, when it could be read: a refused form is shown again with it. */
  submission?: { answers: unknown; honeypot: string; started: string };
}

export interface SubmitInput {
  token: string;
  /** Request headers (cookie, content-type, content-length). */
  headers: { get(name: string): string | null };
  /** Reads the body up to a byte cap: `readBodyCapped` for a Fetch Request, or the lean handler's own. */
  readBody(maxBytes: number): Promise<BodyRead>;
  clientAddress: string;
}

/** The submit input of a Fetch `Request` (the Remix actions). */
export function submitInputOf(request: Request, token: string, clientAddress: string): SubmitInput {
  return { token, headers: request.headers, readBody: (max) => readBodyCapped(request, max), clientAddress };
}

function fail(
  status: number,
  error: SubmitErrorCode,
  message: string,
  extra: { problems?: Array<{ question: string | null; message: string }>; headers?: Record<string, string> } = {},
): SubmitResult {
  return {
    status,
    body: { ok: false, error, message, ...(extra.problems ? { problems: extra.problems } : {}) },
    headers: extra.headers ?? {},
  };
}

function rateLimited(retryAfterSeconds: number): SubmitResult {
  return fail(429, "rate_limited", `提交太频繁，请${retryAfterSeconds}秒后再试。您的答案已保存在本机，不会丢失。`, {
    headers: { "Retry-After": String(retryAfterSeconds) },
  });
}

export async function submitResponse(services: Services, input: SubmitInput): Promise<SubmitResult> {
  const { headers } = input;
  const junk: LimitCheck = { tier: "submitJunkAddress", identifier: input.clientAddress };
  // A refusal costs the sender's address one unit of its junk allowance, and nothing shared;
  // once that allowance is spent the address is answered 429 until its window moves on.
  const refused = async (r: SubmitResult): Promise<SubmitResult> => {
    const counted = await checkLimits(services.limiter, [junk], services.now());
    return counted.ok ? r : { ...rateLimited(counted.retryAfterSeconds), ...(r.submission ? { submission: r.submission } : {}) };
  };
  // The checks that cost nothing first: a forged link or a missing device cookie is refused
  // before any allowance but the sender's own junk allowance is touched, and before any database read.
  const scope = verifyLink(services.keys, input.token);
  if (!scope) return refused(fail(LINK_INVALID.status, LINK_INVALID.error, `${LINK_INVALID.title}：${LINK_INVALID.message}`));
  const deviceId = readDeviceId(services.keys, headers.get("cookie"));
  if (!deviceId) {
    return refused(fail(400, "no_device", "无法识别您的设备。请允许浏览器保存 Cookie，刷新页面后再提交。"));
  }
  const now0 = services.now();
  const junkLeft = await peekLimit(services.limiter, junk, now0);
  if (!junkLeft.success) return rateLimited(junkLeft.retryAfterSeconds);
  // Most specific first: a device flooding from a school's Wi-Fi stops at its own limit.
  const limited = await checkLimits(
    services.limiter,
    [
      { tier: "submitDevice", identifier: deviceId },
      { tier: "submitAddress", identifier: input.clientAddress },
    ],
    now0,
  );
  if (!limited.ok) return rateLimited(limited.retryAfterSeconds);
  const resolved = await resolveScope(services, scope);
  if (!resolved.ok) {
    const p = resolved.problem;
    return refused(fail(p.status, p.error, `${p.title}：${p.message}`));
  }
  const link = resolved.link;

  const contentType = headers.get("content-type") ?? "";
  const isJson = /^application\/json\s*(;|$)/i.test(contentType);
  const isForm = /^application\/x-www-form-urlencoded\s*(;|$)/i.test(contentType);
  if (!isJson && !isForm) {
    return refused(fail(415, "unsupported_media_type", "提交格式不正确，请刷新页面后重试。"));
  }
  const declared = headers.get("content-length");
  const body: BodyRead =
    declared !== null && (!/^[0-9]+$/.test(declared) || Number(declared) > services.config.maxBodyBytes)
      ? { ok: false, reason: "too_large" }
      : await input.readBody(services.config.maxBodyBytes);
  if (!body.ok) {
    return refused(
      body.reason === "too_large"
        ? fail(413, "too_large", "提交的内容过大，请缩短意见建议后再提交。")
        : fail(400, "bad_request", "提交的内容不完整，请检查网络后重试。"),
    );
  }
  const parsed = isJson ? parseJsonSubmission(body.text) : parseFormSubmission(link.survey.compiled, body.text);
  if (!parsed.ok) return refused(fail(400, "bad_request", parsed.message));
  const submission = parsed.submission;
  const echo = { answers: submission.answers, honeypot: submission.website ?? "", started: submission.started };
  const refuse = (r: SubmitResult): Promise<SubmitResult> => refused({ ...r, submission: echo });

  const compiled = link.survey.compiled;
  if (submission.version !== compiled.version) {
    return refuse(fail(400, "version_mismatch", "问卷已更新，请刷新页面后重新作答。"));
  }
  // A second child at the same school: parents' links only, up to the limit (decision 0027).
  const childCheck = checkChildOrdinal(submission.child, linkAudience(link), CHILD_LIMITS);
  if (!childCheck.ok) {
    return refuse(fail(400, childCheck.reason === "over_limit" ? "child_limit" : "child_invalid", childRefusal(childCheck.reason, CHILD_LIMITS)));
  }
  const now = services.now();
  // Forged → refused; stale or minted for another device → flagged below (decision 0012).
  const start = verifyStarted(services.keys, { scopeKey: link.scopeKey, deviceId }, submission.started, now, services.config.integrity.startTokenLifetimeMs);
  if (start === null) {
    return refuse(fail(400, "started_invalid", "页面已过期，请刷新页面后重新提交。"));
  }
  const startedAt = start.startedAt;
  const validation = validateAnswers(compiled, submission.answers, link.variables);
  if (!validation.ok) {
    return refuse(
      fail(400, "invalid_answers", validation.errors[0]?.message ?? "答卷有误", {
        problems: validation.errors.map((e) => ({ question: e.question, message: e.message })),
      }),
    );
  }
  const supervision = await activeSupervision(services, headers.get("cookie"), supervisionScope(link));
  // A supervised shared device stores every questionnaire as its own respondent: no ordinal.
  const child = supervision ? 1 : childCheck.child;
  // Ordinals are answered in turn, so one ≥ 2 always follows the device's earlier response here.
  if (child > 1 && !(await hasResponded(services.db, respondentKey(services.keys, deviceId, link.scopeKey, child - 1)))) {
    return refuse(fail(400, "child_invalid", OTHER_CHILD_WORDS.firstChildFirst));
  }
  // Only now, with a submission that could be stored, is the school's shared allowance counted.
  const linkLimited = await checkLimits(services.limiter, [{ tier: "submitLink", identifier: scopeKey(scope) }], now);
  if (!linkLimited.ok) return { ...rateLimited(linkLimited.retryAfterSeconds), submission: echo };
  const scored = scoreAnswers(QUESTIONNAIRE_SCORING[compiled.id], validation.answers);
  // Integrity flags (app/domain/integrity.ts): recorded, never deleting answers.
  const flags = await flagSubmission(services.limiter, services.config.integrity, {
    link,
    clientAddress: input.clientAddress,
    answers: validation.answers,
    honeypot: submission.website,
    startedAt,
    submittedAt: now,
    start: { stale: start.stale, foreign: start.foreign, deviceBurst: start.marks.includes("d") },
    childOrdinal: child,
  });

  const row: NewResponse = {
    campaign_id: link.campaign.id,
    county_id: link.county.id,
    school_id: link.school?.id ?? null,
    questionnaire_id: compiled.id,
    questionnaire_version: compiled.version,
    respondent_group: scored.group,
    grade: scored.grade,
    location: link.school?.location ?? null,
    answers: JSON.stringify(validation.answers),
    overall_score: scored.overallScore,
    score_sum: scored.scoreSum,
    score_count: scored.scoreCount,
    comment: scored.comment,
    started_at: startedAt,
    submitted_at: now,
    duration_ms: Math.max(0, now - startedAt),
    device_hash: deviceHash(services.keys, deviceId),
    respondent_key: supervision ? null : respondentKey(services.keys, deviceId, link.scopeKey, child),
    idempotency_key: submission.idempotencyKey,
    supervision_code_id: supervision?.id ?? null,
    flags: JSON.stringify(flags),
  };
  const outcome = await insertResponse(services.db, row, scored.items);
  switch (outcome.kind) {
    case "inserted":
      return { status: 200, body: { ok: true, status: "accepted" }, headers: {} };
    case "replayed":
      return { status: 200, body: { ok: true, status: "replayed" }, headers: {} };
    case "already_submitted":
      return fail(
        409,
        "already_submitted",
        child > 1 ? OTHER_CHILD_WORDS.alreadyForChild(child) : "本设备已经提交过这份问卷（已提交），每台设备只能提交一次。感谢您的参与！",
      );
    case "key_conflict":
      return { ...fail(409, "key_conflict", "提交编号冲突，请刷新页面后重新提交。"), submission: echo };
  }
}
