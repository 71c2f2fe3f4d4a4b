/**
 * /s/<token>/full — the questionnaire rendered by survey-react-ui in the browser: for desktops,
 * and for definitions the server-rendered phone form does not cover (answer-dependent
 * visibility). Phones normally get the native form at /s/<token>.
 */
import { json, type HeadersFunction, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData, useParams } from "@remix-run/react";
import { useEffect, useState } from "react";
import surveyCss from "survey-core/survey-core.fontless.min.css?url";
import { AlreadySubmitted } from "../../components/page-message";
import { SurveyFooter } from "../../components/survey-footer";
import { shareTitle } from "../../domain/audience";
import { OTHER_CHILD_WORDS } from "../../domain/children";
import { SurveyHeader } from "../../components/survey-header";
import { PrivacyNotice } from "../../components/privacy-notice";
import { loadSurveyPage } from "../../.server/collect/survey-page";
import { SurveyForm } from "../../components/survey-form.client";

export async function loader({ params, request, context }: LoaderFunctionArgs) {
  const { data, setCookie } = await loadSurveyPage(context.services, params.token ?? "", request, context.clientAddress);
  return json(
    { ...data, footer: context.services.config.footer },
    { headers: { "Cache-Control": "no-store", ...(setCookie ? { "Set-Cookie": setCookie } : {}) } },
  );
}

export const headers: HeadersFunction = ({ loaderHeaders, errorHeaders }) => errorHeaders ?? loaderHeaders;

export const links: LinksFunction = () => [{ rel: "stylesheet", href: surveyCss }];

export const meta: MetaFunction<typeof loader> = ({ data }) => {
  const title = data ? shareTitle(data.header) : "问卷调查";
  return [{ title }, { property: "og:title", content: title }];
};

export default function SurveyRoute() {
  const data = useLoaderData<typeof loader>();
  const token = useParams().token ?? "";
  // survey-react-ui renders only in the browser (SurveyJS's server rendering is wiped by
  // hydration, STACK.md trap 5); the notice and header above it are server-rendered.
  const [mounted, setMounted] = useState(false);
  const [page, setPage] = useState(0);
  useEffect(() => setMounted(true), []);

  if (data.kind === "submitted") {
    return (
      <div className="survey-page">
        <SurveyHeader header={data.header} />
        <AlreadySubmitted header={data.header} token={token} otherChild={data.otherChild} />
        <SurveyFooter footer={data.footer} />
      </div>
    );
  }
  return (
    <div className="survey-page">
      <SurveyHeader header={data.header} />
      {data.supervisedLabel ? (
        <p className="supervised-banner" role="status">
          监督模式（{data.supervisedLabel}）：本设备可供多人依次作答，每份答卷单独计数。
        </p>
      ) : null}
      {data.child > 1 ? (
        <p className="child-banner" role="status">
          {OTHER_CHILD_WORDS.banner(data.child)}
        </p>
      ) : null}
      {page === 0 ? <PrivacyNotice header={data.header} /> : null}
      {mounted ? (
        <SurveyForm
          token={token}
          definition={data.definition}
          variables={data.variables}
          version={data.version}
          started={data.started}
          supervised={data.supervisedLabel !== null}
          child={data.child}
          onPageChange={setPage}
        />
      ) : (
        <div className="survey-loading" aria-live="polite">
          问卷加载中，请稍候…
          <noscript>
            <p>请使用支持 JavaScript 的浏览器（如微信、手机自带浏览器）打开本问卷。</p>
          </noscript>
        </div>
      )}
    </div>
  );
}
