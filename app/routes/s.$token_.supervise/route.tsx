/**
 * /s/<token>/supervise — a teacher turns a shared device (computer room, staff-room PC) into a
 * supervised one by entering the school's supervision code, or ends supervised mode.
 * Works without JavaScript (a plain form post).
 */
import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { PageMessage } from "../../components/page-message";
import type { PageHandle } from "../../components/server-styles";
import { SurveyHeader } from "../../components/survey-header";
import { checkLimits } from "../../.server/rate-limit/policy";
import {
  activeSupervision,
  clearSupervisionCookie,
  CODE_LENGTH,
  redeemSupervisionCode,
  supervisionCookie,
  supervisionScope,
} from "../../.server/collect/supervision";
import { pageHeader, requireLink } from "../../.server/collect/survey-page";

export async function loader({ params, request, context }: LoaderFunctionArgs) {
  const link = await requireLink(context.services, params.token ?? "", context.clientAddress);
  const active = await activeSupervision(context.services, request.headers.get("cookie"), supervisionScope(link));
  return json(
    { header: pageHeader(link), schoolLink: link.school !== null, activeLabel: active?.label ?? null, codeLength: CODE_LENGTH },
    { headers: { "Cache-Control": "no-store" } },
  );
}

export async function action({ params, request, context }: ActionFunctionArgs) {
  const { services } = context;
  const token = params.token ?? "";
  const link = await requireLink(services, token, context.clientAddress);
  const form = await request.formData();
  if (form.get("intent") === "end") {
    return redirect(`/s/${token}`, { headers: { "Set-Cookie": clearSupervisionCookie(services) } });
  }
  if (!link.school) return json({ error: "县级链接不支持监督模式。" }, { status: 400 });
  const limited = await checkLimits(services.limiter, [{ tier: "superviseAddress", identifier: context.clientAddress }], services.now());
  if (!limited.ok) {
    return json(
      { error: `尝试次数过多，请${Math.ceil(limited.retryAfterSeconds / 60)}分钟后再试。` },
      { status: 429, headers: { "Retry-After": String(limited.retryAfterSeconds) } },
    );
  }
  const input = form.get("code");
  const code = typeof input === "string" ? await redeemSupervisionCode(services, input, supervisionScope(link)) : null;
  if (!code) return json({ error: "监督码不正确、已过期，或不适用于本校的这份问卷，请向学校管理员确认。" }, { status: 400 });
  services.log.info("supervised mode started", { codeId: code.id, schoolId: link.school.id });
  return redirect(`/s/${token}`, { headers: { "Set-Cookie": supervisionCookie(services, code) } });
}

/** A parents' page: plain server-rendered HTML, no framework in the browser (see root.tsx). */
export const handle: PageHandle = { hydrate: false };

export const meta: MetaFunction = () => [{ title: "监督模式 · 共用设备作答" }];

export default function Supervise() {
  const { header, schoolLink, activeLabel, codeLength } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  if (!schoolLink) {
    return <PageMessage tone="info" title="不支持监督模式" message="县级链接每台设备只能提交一次，不支持共用设备作答。" />;
  }
  return (
    <div className="survey-page">
      <SurveyHeader header={header} />
      <main className="panel">
        <h2>共用设备作答（监督模式）</h2>
        <p>学校机房、办公室等多人共用的设备，需由老师输入学校发放的监督码后，才能供多人依次作答。每份答卷仍单独计数、只计一次。</p>
        {activeLabel ? (
          <>
            <p className="supervised-banner" role="status">
              本设备已处于监督模式（{activeLabel}）。
            </p>
            <Form method="post">
              <input type="hidden" name="intent" value="end" />
              <button className="button button--secondary" type="submit">
                结束监督模式
              </button>
            </Form>
          </>
        ) : (
          <Form method="post" className="form">
            <label className="form__label" htmlFor="code">
              监督码（{codeLength}位）
            </label>
            <input
              id="code"
              name="code"
              className="form__input"
              inputMode="text"
              autoComplete="off"
              autoCapitalize="characters"
              maxLength={codeLength + 4}
              required
            />
            {result && "error" in result ? (
              <p className="form__error" role="alert">
                {result.error}
              </p>
            ) : null}
            <button className="button" type="submit">
              开启监督模式
            </button>
          </Form>
        )}
      </main>
    </div>
  );
}
