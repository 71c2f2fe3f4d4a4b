/**
 * One printable A4 page of QR codes: a school's (社会卷 for 家长, 校长教师卷, 学生卷) or the
 * county's (社会卷 for 人大代表, 政协委员, 其他群众), with short instructions in Chinese.
 * Used by the school's kit page (/print/<kit>) and the county's print-ready document.
 */
import type { CSSProperties } from "react";
import type { KitPageData } from "../domain/print-kit";
import { QUESTIONNAIRE_LABELS } from "../domain/vocabulary";

export function KitPage({ kit, style }: { kit: KitPageData; style?: CSSProperties }) {
  return (
    <article className="kit__page" style={style}>
      {kit.isDemo ? <p className="kit__demo">演示数据 · 仅供体验</p> : null}
      <p className="kit__county">{kit.countyName}</p>
      <h1 className="kit__title">{kit.schoolName ?? `${kit.countyName}（县级）`}</h1>
      <p className="kit__subtitle">义务教育优质均衡发展满意度调查</p>
      <div className={`kit__codes kit__codes--${kit.codes.length}`}>
        {kit.codes.map((code) => (
          <figure className="kit__code" key={code.questionnaireId}>
            {/* SVG made on the server by the qrcode package from our own URL. */}
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
        <li>阅读页面上方的说明后逐题作答，约需{kit.minutes}分钟；中途退出，答案会保存在手机上。</li>
        <li>问卷匿名填写，不收集姓名、电话、身份证号等个人信息。每台手机每份问卷只需提交一次。</li>
      </ol>
      <p className="kit__window">调查时间：{kit.window}</p>
      <p className="kit__campaign">{kit.campaignName}</p>
    </article>
  );
}
