/**
 * /s/<token>/done — the thank-you page after a successful submission. A device that has not
 * submitted (someone typing the URL) is sent to the questionnaire instead; a supervised shared
 * device is offered the next questionnaire, a parent the questionnaire for another child at the
 * same school (decision 0027).
 */
import { json, redirect, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useParams } from "@remix-run/react";
import { OtherChild } from "../../components/other-child";
import { PageMessage } from "../../components/page-message";
import type { PageHandle } from "../../components/server-styles";
import { SurveyFooter } from "../../components/survey-footer";
import { SurveyHeader } from "../../components/survey-header";
import { AUDIENCE_WORDS, audienceOf, shareTitle } from "../../domain/audience";
import { loadDonePage } from "../../.server/collect/survey-page";

export async function loader({ params, request, context }: LoaderFunctionArgs) {
  const token = params.token ?? "";
  const page = await loadDonePage(context.services, token, request, context.clientAddress);
  if ("redirectTo" in page) throw redirect(page.redirectTo);
  return json({ ...page, footer: context.services.config.footer }, { headers: { "Cache-Control": "no-store" } });
}

/** A parents' page: plain server-rendered HTML, no framework in the browser (see root.tsx). */
export const handle: PageHandle = { hydrate: false };

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `提交成功 · ${shareTitle(data.header)}` : "提交成功" }];

export default function Done() {
  const { header, supervised, otherChild, footer } = useLoaderData<typeof loader>();
  const token = useParams().token ?? "";
  const words = AUDIENCE_WORDS[audienceOf(header)];
  return (
    <div className="survey-page">
      <SurveyHeader header={header} />
      <PageMessage tone="success" title={words.thanksTitle} message={words.thanksMessage}>
        {supervised ? (
          <Link className="button" to={`/s/${token}`} replace>
            下一位开始作答
          </Link>
        ) : (
          <>
            <OtherChild token={token} offer={otherChild} />
            <p className="page-message__hint">{words.thanksHint}</p>
          </>
        )}
      </PageMessage>
      <SurveyFooter footer={footer} />
    </div>
  );
}
