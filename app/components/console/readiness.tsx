/** Pieces of the 达标评估 pages: a part's status badge, a unit's seven indicators and the change since the previous campaign. */
import type { ReadinessChange, UnitView } from "../../domain/readiness-view";
import { fixed } from "./format";

const TONE: Record<string, string> = { pass: "pass", fail: "fail", incomplete: "warn", not_evaluated: "", sample_insufficient: "warn", not_applicable: "" };

export function PartBadge({ status, label }: { status: string; label: string }) {
  const tone = TONE[status] ?? "";
  return <span className={`c-badge ${tone ? `c-badge--${tone}` : ""}`}>{label}</span>;
}

const VERDICT_TONE: Record<string, string> = { pass: "pass", fail: "fail", sample_insufficient: "warn", not_evaluated: "" };

export function VerdictBadge({ verdict, label }: { verdict: string; label: string }) {
  const tone = VERDICT_TONE[verdict] ?? "";
  return (
    <span className={`c-badge ${tone ? `c-badge--${tone}` : ""}`} style={{ fontSize: 14, padding: "2px 10px" }}>
      {label}
    </span>
  );
}

const STATE_LABEL = { standard: "达标", floor: "未达标但不低于85%", below: "低于85%", missing: "缺数据" } as const;

export function UnitIndicators({ unit }: { unit: UnitView }) {
  return (
    <div className="c-table-wrap">
      <table className="c-table c-table--cards c-table--cards2">
        <thead>
          <tr>
            <th>指标</th>
            <th className="num">数值</th>
            <th className="num">标准</th>
            <th className="num">85%底线</th>
            <th className="num">差距</th>
            <th>判定</th>
          </tr>
        </thead>
        <tbody>
          {unit.indicators.map((i) => (
            <tr key={i.code} className={i.state === "below" ? "is-fail" : i.state === "floor" ? "is-short" : ""}>
              <td>
                {i.code} {i.label}（{i.unit}）
              </td>
              <td className={`num c-key ${i.state === "below" ? "is-fail" : ""}`} data-label="数值">
                {fixed(i.value, 2)}
              </td>
              <td className="num" data-label="标准">
                {i.standard}
              </td>
              <td className="num" data-label="85%底线">
                {i.floor}
              </td>
              <td className="num" data-label="差距">
                {i.gap === null ? "—" : i.gap >= 0 ? `+${fixed(i.gap, 2)}` : fixed(i.gap, 2)}
              </td>
              <td className="c-nowrap" data-label="判定">
                {STATE_LABEL[i.state]}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** A 差异系数 then and now, with the direction: lower is better. */
function cvDelta(before: number | null, after: number | null): string {
  if (before === null || after === null) return "—";
  const d = after - before;
  if (Math.abs(d) < 0.0005) return "持平";
  return `${d < 0 ? "↓" : "↑"} ${fixed(Math.abs(d), 3)}`;
}

export function ChangeDetails({ change }: { change: ReadinessChange }) {
  // The 综合差异系数 is held to its level's limit, the one every indicator of that level has.
  const limitOf = (level: string) => {
    const limit = change.cvs.find((c) => c.level === level)?.limit;
    return limit === undefined ? "—" : fixed(limit, 2);
  };
  return (
    <details className="c-details">
      <summary>差异系数与各项目的变化</summary>
      <div className="c-table-wrap">
        <table className="c-table c-table--cards c-table--cards2">
          <thead>
            <tr>
              <th>学段</th>
              <th>指标</th>
              <th className="num">限值</th>
              <th className="num">上一次</th>
              <th className="num">本次</th>
              <th className="num">变化（下降为好）</th>
            </tr>
          </thead>
          <tbody>
            {change.cvs.map((c) => (
              <tr key={`${c.level}-${c.code}`}>
                <td className="c-nowrap c-lead">{c.levelLabel}</td>
                <td className="c-name">
                  {c.code} {c.label}
                </td>
                <td className="num" data-label="限值">
                  {fixed(c.limit, 2)}
                </td>
                <td className={`num ${c.before !== null && c.before > c.limit ? "is-fail" : ""}`} data-label="上一次">
                  {c.before === null ? "—" : fixed(c.before, 3)}
                </td>
                <td className={`num c-key ${c.after !== null && c.after > c.limit ? "is-fail" : ""}`} data-label="本次">
                  {c.after === null ? "—" : fixed(c.after, 3)}
                </td>
                <td className="num c-nowrap" data-label="变化（下降为好）">
                  {cvDelta(c.before, c.after)}
                </td>
              </tr>
            ))}
            {change.composite.map((c) => (
              <tr key={`composite-${c.level}`}>
                <td className="c-nowrap c-lead">{c.levelLabel}</td>
                <td className="c-name">综合差异系数</td>
                <td className="num" data-label="限值">
                  {limitOf(c.level)}
                </td>
                <td className="num" data-label="上一次">
                  {c.before === null ? "—" : fixed(c.before, 3)}
                </td>
                <td className="num c-key" data-label="本次">
                  {c.after === null ? "—" : fixed(c.after, 3)}
                </td>
                <td className="num c-nowrap" data-label="变化（下降为好）">
                  {cvDelta(c.before, c.after)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {change.items.length === 0 ? (
        <p className="c-muted">政府保障程度和教育质量各项目的结论与上一次相同。</p>
      ) : (
        <ul className="c-list">
          {change.items.map((i) => (
            <li key={i.code}>
              {i.code} {i.label}：{i.beforeLabel} → <strong>{i.afterLabel}</strong>
            </li>
          ))}
        </ul>
      )}
    </details>
  );
}
