/**
 * /s/<token>/done — the thank-you page after a successful submission. A device that has not
 * submitted (someone typing the URL) is sent to the questionnaire instead; a supervised shared
 * device is offered the next questionnaire.
 */
import { json, redirect, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useParams } from "@remix-run/react";
import { PageMessage } from "../../components/page-message";
import type { PageHandle } from "../../components/server-styles";
import { SurveyHeader } from "../../components/survey-header";
import { loadDonePage } from "../../.server/collect/survey-page";

export async function loader({ params, request, context }: LoaderFunctionArgs) {
  const token = params.token ?? "";
  const page = await loadDonePage(context.services, token, request, context.clientAddress);
  if ("redirectTo" in page) throw redirect(page.redirectTo);
  return json(page, { headers: { "Cache-Control": "no-store" } });
}

/** A parents' page: plain server-rendered HTML, no framework in the browser (see root.tsx). */
export const handle: PageHandle = { hydrate: false };

export const meta: MetaFunction = () => [{ title: "提交成功 · 感谢您的参与" }];

export default function Done() {
  const { header, supervised } = useLoaderData<typeof loader>();
  const token = useParams().token ?? "";
  return (
    <div className="survey-page">
      <SurveyHeader header={header} />
      <PageMessage tone="success" title="提交成功，感谢您的参与！" message="您的答卷已匿名保存。您的意见将帮助我们把每一所学校办得更好。">
        {supervised ? (
          <Link className="button" to={`/s/${token}`} replace>
            下一位开始作答
          </Link>
        ) : (
          <p className="page-message__hint">现在可以关闭本页面。如果您还有孩子在其他学校就读，请扫描那所学校的二维码作答。</p>
        )}
      </PageMessage>
    </div>
  );
}
