/**
 * /admin/preview/<questionnaire>/<version> — the questionnaire exactly as the phone page
 * renders it (same components, same inlined styles, not hydrated), for officers to check a
 * version before using it. Submitting stores nothing. A version the phone form cannot render
 * (answer-dependent conditions) is sent to …/full, where it is shown with SurveyJS as phones
 * get it then.
 */
import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData, useLocation } from "@remix-run/react";
import { notFound, requirePrincipal } from "../../.server/auth/guard";
import { previewData } from "../../.server/console/preview";
import { FastForm } from "../../components/fast-form";
import { PrivacyNotice } from "../../components/privacy-notice";
import { ProblemBoundary } from "../../components/problem-boundary";
import type { PageHandle } from "../../components/server-styles";
import { SurveyHeader } from "../../components/survey-header";

export const handle: PageHandle = { hydrate: false };

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  await requirePrincipal(request, context);
  const url = new URL(request.url);
  const data = previewData(context.services, params.questionnaire ?? "", Number(params.version), url.searchParams.get("link"), url.searchParams.get("type"));
  if (!data) throw notFound("没有这个问卷版本。");
  if (!data.renderable) throw redirect(`${url.pathname}/full${url.search}`);
  const { definition: _json, ...page } = data;
  return json(page, { headers: { "Cache-Control": "private, no-store" } });
}

/** A preview never stores anything: the form is answered with a note. */
export async function action({ request, context }: ActionFunctionArgs) {
  await requirePrincipal(request, context);
  return json({ message: "这是预览，答卷不会保存。" });
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `预览 · ${data.header.title}` : "问卷预览" }];

export default function Preview() {
  const data = useLoaderData<typeof loader>();
  const posted = useActionData<typeof action>();
  // The same 大字 toggle as the phone page (a plain link, no script), so an officer can check
  // what a grandparent sees; the other query parameters (link, type) are kept.
  const query = new URLSearchParams(useLocation().search);
  const large = query.get("large") === "1";
  if (large) query.delete("large");
  else query.set("large", "1");
  return (
    <div className={large ? "survey-page fast large" : "survey-page fast"}>
      <p className="demo-badge" role="status">
        问卷预览（{data.link === "county" ? "县级链接：人大代表、政协委员、其他群众" : "学校链接"}，v{data.version}）· 提交不会保存
      </p>
      <SurveyHeader header={data.header}>
        <a className="text-size" href={`?${query.toString()}`}>
          {large ? "标准字" : "大字"}
        </a>
      </SurveyHeader>
      <PrivacyNotice header={data.header} />
      <FastForm
        action=""
        apiUrl=""
        doneUrl=""
        questions={data.questions}
        version={data.version}
        idempotencyKey="preview"
        started="preview"
        message={posted?.message ?? null}
      />
    </div>
  );
}

export { ProblemBoundary as ErrorBoundary };
