/**
 * /s/<token> — what a parent's phone opens after scanning the QR code: the questionnaire as a
 * server-rendered native form (app/components/fast-form.tsx), with its CSS and one small script
 * inlined and no framework in the browser. It is visible and answerable as soon as the HTML
 * arrives, works without JavaScript (POST to this route), and nothing that loads later can
 * undo a tap. Desktops and definitions the form does not cover go to /s/<token>/full.
 */
import { json, redirect, type ActionFunctionArgs, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData, useLocation, useParams } from "@remix-run/react";
import { FastForm } from "../../components/fast-form";
import { useNonce } from "../../components/nonce";
import { AlreadySubmitted } from "../../components/page-message";
import { PrivacyNotice } from "../../components/privacy-notice";
import type { PageHandle } from "../../components/server-styles";
import { SurveyFooter } from "../../components/survey-footer";
import { SurveyHeader } from "../../components/survey-header";
import { shareTitle } from "../../domain/audience";
import { OTHER_CHILD_WORDS } from "../../domain/children";
import fastScript from "./fast-survey.ts?inline-script";
import { loadFastPage, submitFastForm, type FormPageData } from "../../.server/collect/survey-page";

export const handle: PageHandle = { hydrate: false };

export async function loader({ params, request, context }: LoaderFunctionArgs) {
  const token = params.token ?? "";
  const result = await loadFastPage(context.services, token, request, context.clientAddress);
  if (result.kind === "redirect") {
    throw redirect(result.to, { headers: { "Cache-Control": "no-store", ...(result.setCookie ? { "Set-Cookie": result.setCookie } : {}) } });
  }
  return json(
    { ...result.data, footer: context.services.config.footer },
    { headers: { "Cache-Control": "no-store", ...(result.setCookie ? { "Set-Cookie": result.setCookie } : {}) } },
  );
}

export async function action({ params, request, context }: ActionFunctionArgs) {
  const token = params.token ?? "";
  const result = await submitFastForm(context.services, token, request, context.clientAddress);
  if (result.kind === "done") return redirect(result.to, 303);
  return json(result.data, { status: result.status, headers: { "Cache-Control": "no-store", ...result.headers } });
}

export const headers: HeadersFunction = ({ loaderHeaders, actionHeaders, errorHeaders }) =>
  errorHeaders ?? (actionHeaders.has("Cache-Control") ? actionHeaders : loaderHeaders);

// What WeChat shows when the link is shared: "<学校名> 满意度调查（家长）".
export const meta: MetaFunction<typeof loader> = ({ data }) => {
  const title = data ? shareTitle(data.header) : "问卷调查";
  return [{ title }, { property: "og:title", content: title }];
};

export { ProblemBoundary as ErrorBoundary } from "../../components/problem-boundary";

export default function FastSurvey() {
  const loaded = useLoaderData<typeof loader>();
  const posted = useActionData<typeof action>();
  const token = useParams().token ?? "";
  const large = new URLSearchParams(useLocation().search).get("large") === "1";
  // The page's own address for 大字 / 标准字 and the no-JavaScript post: the child ordinal stays.
  const address = (withLarge: boolean) => {
    const q = [withLarge ? "large=1" : "", data.kind === "form" && data.child > 1 ? `child=${data.child}` : ""].filter(Boolean).join("&");
    return q ? `?${q}` : "?";
  };
  const nonce = useNonce();
  const data: FormPageData | typeof loaded = posted ?? loaded;

  if (data.kind === "submitted") {
    return (
      <div className="survey-page fast">
        <SurveyHeader header={data.header} />
        <AlreadySubmitted header={data.header} token={token} otherChild={data.otherChild} />
        <SurveyFooter footer={loaded.footer} />
      </div>
    );
  }
  return (
    <div className={large ? "survey-page fast large" : "survey-page fast"}>
      {/* With the script, the page becomes this scrolling area above the progress bar, which then
          never covers an option or 提交问卷 (form.css, .docked); without it, an ordinary page. */}
      <div className="fast__scroll" id="fast-scroll">
        <SurveyHeader header={data.header}>
          <a className="text-size" id="text-size" href={address(!large)}>
            {large ? "标准字" : "大字"}
          </a>
        </SurveyHeader>
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
        <PrivacyNotice header={data.header} />
        <FastForm
          action={`/s/${token}${address(large) === "?" ? "" : address(large)}`}
          apiUrl={`/s/${token}/submit`}
          doneUrl={`/s/${token}/done`}
          questions={data.questions}
          version={data.version}
          idempotencyKey={data.idempotencyKey}
          started={data.started}
          honeypot={data.honeypot}
          message={data.message}
          child={data.child}
        />
        <SurveyFooter footer={loaded.footer} />
      </div>
      <div className="progress-dock" id="progress-dock" hidden>
        <div className="progress__text" />
        <div className="progress__bar">
          <div className="progress__fill" />
        </div>
      </div>
      <script nonce={nonce} dangerouslySetInnerHTML={{ __html: fastScript }} />
    </div>
  );
}
