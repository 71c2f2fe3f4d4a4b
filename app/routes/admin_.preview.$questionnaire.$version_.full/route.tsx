/**
 * /admin/preview/<questionnaire>/<version>/full — a version as survey-react-ui renders it in the
 * browser: what desktops get, and what phones get for a version whose visibility depends on
 * answers (the native phone form cannot show questions appearing as one answers; the phone
 * preview sends those here). Nothing is kept on the device and nothing is sent.
 */
import { json, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useEffect, useState } from "react";
import surveyCss from "survey-core/survey-core.fontless.min.css?url";
import { notFound, requirePrincipal } from "../../.server/auth/guard";
import { previewData } from "../../.server/console/preview";
import { PrivacyNotice } from "../../components/privacy-notice";
import { ProblemBoundary } from "../../components/problem-boundary";
import { SurveyForm } from "../../components/survey-form.client";
import { SurveyHeader } from "../../components/survey-header";

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  await requirePrincipal(request, context);
  const url = new URL(request.url);
  const data = previewData(context.services, params.questionnaire ?? "", Number(params.version), url.searchParams.get("link"), url.searchParams.get("type"));
  if (!data) throw notFound("没有这个问卷版本。");
  return json(
    { header: data.header, version: data.version, link: data.link, variables: data.variables, definition: data.definition },
    { headers: { "Cache-Control": "private, no-store" } },
  );
}

export const links: LinksFunction = () => [{ rel: "stylesheet", href: surveyCss }];

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `预览 · ${data.header.title}` : "问卷预览" }];

export default function FullPreview() {
  const data = useLoaderData<typeof loader>();
  const [mounted, setMounted] = useState(false);
  const [page, setPage] = useState(0);
  useEffect(() => setMounted(true), []);
  return (
    <div className="survey-page">
      <p className="demo-badge" role="status">
        问卷预览（{data.link === "county" ? "县级链接：人大代表、政协委员、其他群众" : "学校链接"}，v{data.version}，SurveyJS 页面）· 提交不会保存
      </p>
      <SurveyHeader header={data.header} />
      {page === 0 ? <PrivacyNotice header={data.header} /> : null}
      {mounted ? (
        <SurveyForm
          token=""
          definition={data.definition}
          variables={data.variables}
          version={data.version}
          started="preview"
          supervised={false}
          onPageChange={setPage}
          preview
        />
      ) : (
        <div className="survey-loading" aria-live="polite">
          问卷加载中，请稍候…
        </div>
      )}
    </div>
  );
}

export { ProblemBoundary as ErrorBoundary };
