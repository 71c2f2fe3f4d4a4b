/**
 * One print-ready document per county: the county-level page and every school's A4 QR page,
 * one per sheet, in the same layout as /print/<kit>. County officers print it once for all
 * their schools.
 */
import { json, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { requirePrincipal } from "../../.server/auth/guard";
import { requireCampaignCounty } from "../../.server/console/campaigns";
import { campaignKits } from "../../.server/console/kits";
import { ConsoleProblem } from "../../components/console/console-error";
import { PrintButton } from "../../components/print-button";
import { QUESTIONNAIRE_LABELS } from "../../domain/vocabulary";
import printCss from "../../styles/print-kit.css?url";
import { loadKit } from "../print.$kit/kit.server";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: printCss }];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const principal = await requirePrincipal(request, context);
  const scope = await requireCampaignCounty(context.services.db, principal, params.campaignId ?? "", params.countyId ?? "");
  const [kits] = await campaignKits(context.services, scope.campaign, [scope.county]);
  const tokens = kits ? [kits.countyKitPath, ...kits.schools.map((s) => s.kitPath)].map((p) => p.replace(/^\/print\//, "")) : [];
  const pages = await Promise.all(tokens.map((t) => loadKit(context.services, t)));
  return json({ county: scope.county, pages }, { headers: { "Cache-Control": "private, no-store" } });
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.county.name} · 全县二维码打印` : "二维码打印" }];

export default function CountyKitDocument() {
  const { county, pages } = useLoaderData<typeof loader>();
  return (
    <div className="kit">
      <div className="kit__toolbar no-print">
        <PrintButton />
        <span>
          {county.name}：共 {pages.length} 页（县级 1 页、学校 {pages.length - 1} 页），请使用 A4 纸打印，每页一所学校。
        </span>
      </div>
      {pages.map((kit, i) => (
        <article className="kit__page" key={`${kit.schoolName ?? "county"}-${String(i)}`} style={i < pages.length - 1 ? { breakAfter: "page" } : undefined}>
          {kit.isDemo ? <p className="kit__demo">演示数据 · 仅供体验</p> : null}
          <p className="kit__county">{kit.countyName}</p>
          <h1 className="kit__title">{kit.schoolName ?? `${kit.countyName}（县级）`}</h1>
          <p className="kit__subtitle">义务教育优质均衡发展满意度调查</p>
          <div className={`kit__codes kit__codes--${kit.codes.length}`}>
            {kit.codes.map((code) => (
              <figure className="kit__code" key={code.questionnaireId}>
                <div className="kit__qr" dangerouslySetInnerHTML={{ __html: code.svg }} />
                <figcaption>
                  <strong>{code.audience}</strong>
                  <span>请扫码填写《{QUESTIONNAIRE_LABELS[code.questionnaireId]}》</span>
                </figcaption>
              </figure>
            ))}
          </div>
          <ol className="kit__steps">
            <li>用手机微信或浏览器的“扫一扫”扫描对应的二维码。</li>
            <li>阅读页面上方的说明后逐题作答，约需3分钟；中途退出，答案会保存在手机上。</li>
            <li>问卷匿名填写，不收集姓名、电话、身份证号等个人信息。每台手机每份问卷只需提交一次。</li>
          </ol>
          <p className="kit__window">调查时间：{kit.window}</p>
          <p className="kit__campaign">{kit.campaignName}</p>
        </article>
      ))}
    </div>
  );
}

export function ErrorBoundary() {
  return <ConsoleProblem />;
}
