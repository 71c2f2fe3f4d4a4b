import { json, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { QUESTIONNAIRE_LABELS } from "../../domain/vocabulary";
import printCss from "../../styles/print-kit.css?url";
import { loadKit } from "./kit.server";
import { PrintButton } from "../../components/print-button";

export async function loader({ params, context }: LoaderFunctionArgs) {
  return json(await loadKit(context.services, params.kit ?? ""), { headers: { "Cache-Control": "private, no-store" } });
}

export const links: LinksFunction = () => [{ rel: "stylesheet", href: printCss }];

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.schoolName ?? data.countyName} · 满意度调查二维码` : "满意度调查二维码" },
];

export default function PrintKit() {
  const kit = useLoaderData<typeof loader>();
  return (
    <div className="kit">
      <div className="kit__toolbar no-print">
        <PrintButton />
        <span>请使用 A4 纸打印，张贴在校门口、家长会会场或班级群中转发。</span>
      </div>
      <article className="kit__page">
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
    </div>
  );
}
