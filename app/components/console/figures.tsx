/**
 * Small pieces the dashboards share: a status badge, a rate with its margin of error, a bar
 * against the 85% line, and the breakdown table with suppressed cells.
 */
import type { ReactNode } from "react";
import type { Table6Row } from "../../domain/satisfaction";
import type { ItemViewRow, ViewRow } from "../../domain/satisfaction-view";
import { SUPPRESSION_REASONS } from "../../domain/suppression";
import { uncertaintyText } from "../../domain/uncertainty";
import { count, fixed, moe, pct } from "./format";

const STATUS: Record<string, { label: string; tone: string }> = {
  pass: { label: "达到85%", tone: "pass" },
  fail: { label: "低于85%", tone: "fail" },
  sample_insufficient: { label: "样本不足", tone: "warn" },
  not_evaluated: { label: "暂无有效问卷", tone: "" },
};

/**
 * The 社会认可度 badge; `badge` (app/domain/pass-outlook.ts passBadge) replaces a pass's plain
 * "达到85%" with the words and colour of the probability and the sample's structure.
 */
export function SatisfactionStatus({ status, badge }: { status: string; badge?: { label: string; tone: string } | null }) {
  const s = badge ?? STATUS[status] ?? { label: status, tone: "" };
  return <span className={`c-badge ${s.tone ? `c-badge--${s.tone}` : ""}`}>{s.label}</span>;
}

/** While the collection is open: figures move in blocks of 5 (decision 0015); nothing once closed. */
export function ReleaseNotice({ text }: { text: string | null }) {
  if (text === null) return null;
  return (
    <div className="c-notice" data-testid="release-notice">
      {text}
    </div>
  );
}

export function SelfAssessmentBadge() {
  return <span className="c-badge c-badge--self">自评/模拟测评</span>;
}

export function RateBar({ rate, threshold }: { rate: number | null; threshold: number }) {
  if (rate === null) return null;
  return (
    <span className="c-bar" aria-hidden="true">
      <span className={`c-bar__fill ${rate < threshold ? "c-bar__fill--low" : ""}`} style={{ width: `${Math.max(0, Math.min(100, rate * 100))}%` }} />
      <span className="c-bar__line" style={{ left: `${threshold * 100}%` }} />
    </span>
  );
}

/** The ± margin or the Wilson interval, as the workbooks print it too (app/domain/uncertainty.ts). */
export const uncertainty = uncertaintyText;

/** "已隐藏", with its reason as a tooltip (the row or the note under the table says it in full). */
export function Hidden({ kind }: { kind: "primary" | "complementary" | null }) {
  return (
    <span className="c-muted" title={SUPPRESSION_REASONS[kind ?? "complementary"]}>
      已隐藏
    </span>
  );
}

/** The reason a row is hidden, under its name: readable on a phone, where a tooltip is not. */
export function HiddenReason({ kind }: { kind: "primary" | "complementary" | null }) {
  if (!kind) return null;
  return <span className="c-hidden-reason">{SUPPRESSION_REASONS[kind]}</span>;
}

export function BreakdownTable(props: {
  rows: ViewRow[];
  threshold: number;
  head: string;
  caption?: ReactNode;
  withBar?: boolean;
  linkOf?: (row: ViewRow) => string | null;
}) {
  const { rows, threshold } = props;
  return (
    <div className="c-table-wrap">
      <table className="c-table c-table--cards c-table--cards2">
        {props.caption ? <caption className="c-muted">{props.caption}</caption> : null}
        <thead>
          <tr>
            <th>{props.head}</th>
            <th className="num">有效问卷</th>
            <th className="num">满意问卷</th>
            <th className="num">满意度</th>
            <th className="num" title="95%置信水平；样本少于30份或满意度为0或100%时显示区间">
              误差
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => {
            const link = props.linkOf?.(r) ?? null;
            return (
              <tr key={r.key} className={r.below ? "is-fail" : ""}>
                <td>
                  {link ? <a href={link}>{r.label}</a> : r.label}
                  <HiddenReason kind={r.suppressed} />
                </td>
                <td className="num" data-label="有效问卷">
                  {r.suppressed === "primary" ? "<5" : r.suppressed ? <Hidden kind={r.suppressed} /> : count(r.n)}
                </td>
                <td className="num" data-label="满意问卷">
                  {r.suppressed ? <Hidden kind={r.suppressed} /> : count(r.satisfied)}
                </td>
                <td className={`num rate c-key ${r.below ? "is-fail" : ""}`} data-label="满意度">
                  {r.suppressed ? <Hidden kind={r.suppressed} /> : pct(r.rate)}
                  {props.withBar !== false && !r.suppressed ? <RateBar rate={r.rate} threshold={threshold} /> : null}
                </td>
                <td className="num" data-label="误差">
                  {r.suppressed ? "" : uncertainty(r)}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

export function ItemsTable(props: { rows: ItemViewRow[]; threshold: number; overall?: ItemViewRow | null }) {
  const all = props.overall ? [...props.rows, props.overall] : props.rows;
  return (
    <div className="c-table-wrap">
      <table className="c-table c-table--cards c-table--cards2">
        <thead>
          <tr>
            <th>题目（按满意度从低到高）</th>
            <th className="num">作答</th>
            <th className="num">不了解</th>
            <th className="num">满意+比较满意</th>
            <th className="num">误差范围</th>
            <th className="num">平均得分率</th>
          </tr>
        </thead>
        <tbody>
          {all.map((r) => (
            <tr key={r.itemId} className={`${r.below ? "is-fail" : ""} ${r.itemId === "overall" ? "is-total" : ""}`}>
              <td>
                {r.label}
                <HiddenReason kind={r.suppressed} />
              </td>
              <td className="num" data-label="作答">
                {r.suppressed === "primary" ? "<5" : r.suppressed ? <Hidden kind={r.suppressed} /> : count(r.answered)}
              </td>
              <td className="num" data-label="不了解">
                {r.suppressed ? "" : count(r.unknown)}
              </td>
              <td className={`num rate c-key ${r.below ? "is-fail" : ""}`} data-label="满意+比较满意">
                {r.suppressed ? <Hidden kind={r.suppressed} /> : pct(r.rate)}
                {!r.suppressed ? <RateBar rate={r.rate} threshold={props.threshold} /> : null}
              </td>
              <td className="num" data-label="误差范围">
                {r.suppressed ? "" : moe(r.marginOfError)}
              </td>
              <td className="num" data-label="平均得分率">
                {r.suppressed ? "" : r.meanPercent === null ? "—" : `${r.meanPercent.toFixed(1)}`}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** 申报表 表Ⅵ: 问卷总数, 有效问卷数, 满意问卷数, 综合满意度 for everyone and for parents. */
export function Table6(props: { table6: { all: Table6Row; parents: Table6Row }; head?: string }) {
  const rows = [
    ["全体", props.table6.all],
    ["其中：家长", props.table6.parents],
  ] as const;
  return (
    <div className="c-table-wrap">
      <table className="c-table c-table--cards c-table--cards2">
        <thead>
          <tr>
            <th>{props.head ?? ""}</th>
            <th className="num">问卷总数</th>
            <th className="num">有效问卷数</th>
            <th className="num">满意问卷数</th>
            <th className="num">综合满意度（%）</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(([label, row]) => (
            <tr key={label} className={label === "全体" ? "is-total" : ""}>
              <td>{label}</td>
              <td className="num" data-label="问卷总数">
                {count(row.total)}
              </td>
              <td className="num" data-label="有效问卷数">
                {count(row.valid)}
              </td>
              <td className="num" data-label="满意问卷数">
                {count(row.satisfied)}
              </td>
              <td className="num c-key" data-label="综合满意度（%）">
                {fixed(row.ratePercent, 2)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
