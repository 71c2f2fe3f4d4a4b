/**
 * A kit's printable A4 sheets, one per audience (issue 16 item 8): a school's 家长, 教师 and 学生
 * sheets in that order, or the county's sheet for 人大代表, 政协委员, 其他群众. Each sheet says
 * who it is for in large type, carries one big code and prints on a page of its own
 * (styles/print-kit.css). Used by the school's kit page (/print/<kit>) and the county's
 * print-ready document.
 */
import type { KitPageData, KitSheetData, PosterAudience } from "../domain/print-kit";
import { posterWording, POSTER_PRINT_LABELS, SHEET_NAMES } from "../domain/print-kit";
import { QUESTIONNAIRE_LABELS } from "../domain/vocabulary";

function KitSheet({ kit, sheet }: { kit: KitPageData; sheet: KitSheetData }) {
  const words = posterWording(sheet.audience, kit.schoolName ?? kit.countyName);
  return (
    <section className={`kit__sheet kit__sheet--${sheet.audience}`} data-audience={sheet.audience}>
      {kit.isDemo ? <p className="kit__demo">演示数据 · 仅供体验</p> : null}
      <p className="kit__county">{kit.countyName}</p>
      <p className="kit__title">{kit.schoolName ?? `${kit.countyName}（县级）`}</p>
      <h1 className="kit__heading">{words.heading}</h1>
      <p className="kit__who">适用对象：{words.who}</p>
      <p className="kit__subtitle">义务教育优质均衡发展满意度调查</p>
      <figure className="kit__code">
        {/* SVG made on the server by the qrcode package from our own URL. */}
        <div className="kit__qr" dangerouslySetInnerHTML={{ __html: sheet.svg }} />
        <figcaption>
          <strong>{words.label}</strong>
          <span>请扫码填写《{QUESTIONNAIRE_LABELS[sheet.questionnaireId]}》</span>
        </figcaption>
      </figure>
      <p className="kit__only">{words.only}</p>
      <ol className="kit__steps">
        <li>用手机微信或浏览器的“扫一扫”扫描上方二维码。</li>
        <li>匿名填写，不收集姓名、电话、身份证号等个人信息；约需{sheet.minutes}分钟，中途退出答案会保存在手机上。</li>
        <li>每台手机只需提交一次。</li>
      </ol>
      {words.note ? <p className="kit__note">{words.note}</p> : null}
      <p className="kit__deadline">{kit.deadline ? `请于${kit.deadline}前扫码填写` : `调查时间：${kit.window}`}</p>
      <p className="kit__campaign">{kit.campaignName}</p>
    </section>
  );
}

/**
 * One kit: a school's (or the county's) sheets, each its own A4 page. On screen a label names the
 * school and its sheets, so the county document reads school after school; it is not printed.
 */
export function KitPage({ kit }: { kit: KitPageData }) {
  const name = kit.schoolName ?? `${kit.countyName}（县级）`;
  return (
    <article className="kit__page">
      <h2 className="kit__label no-print">
        {name}
        <span>
          （{kit.sheets.length} 页：{kit.sheets.map((s) => SHEET_NAMES[s.audience]).join("、")}，每页一类人员）
        </span>
      </h2>
      {kit.sheets.map((sheet) => (
        <KitSheet kit={kit} sheet={sheet} key={sheet.audience} />
      ))}
    </article>
  );
}

/**
 * The "print only one audience" choice (screen only): links to `?audience=…` on the same page,
 * the current choice marked. `audiences` are the ones this kit (or county) has.
 */
export function KitAudienceChoice({
  audiences,
  selected,
  allLabel,
}: {
  audiences: readonly PosterAudience[];
  selected: PosterAudience | null;
  allLabel: string;
}) {
  if (audiences.length === 0) return null;
  return (
    <nav className="kit__choice no-print" aria-label="选择打印内容" data-testid="kit-audience-choice">
      <a href="?" aria-current={selected === null ? "page" : undefined}>
        {allLabel}
      </a>
      {audiences.map((a) => (
        <a key={a} href={`?audience=${a}`} aria-current={selected === a ? "page" : undefined}>
          {POSTER_PRINT_LABELS[a]}
        </a>
      ))}
    </nav>
  );
}
