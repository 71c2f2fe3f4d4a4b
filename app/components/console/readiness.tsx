/** Pieces of the 达标评估 pages: a part's status badge and a unit's seven indicators. */
import type { UnitView } from "../../domain/readiness-view";
import { fixed } from "./format";

const TONE: Record<string, string> = { pass: "pass", fail: "fail", incomplete: "warn", not_evaluated: "", sample_insufficient: "warn", not_applicable: "" };

export function PartBadge({ status, label }: { status: string; label: string }) {
  const tone = TONE[status] ?? "";
  return <span className={`c-badge ${tone ? `c-badge--${tone}` : ""}`}>{label}</span>;
}

const VERDICT_TONE: Record<string, string> = { pass: "pass", fail: "fail", sample_insufficient: "warn", not_evaluated: "" };

export function VerdictBadge({ verdict, label }: { verdict: string; label: string }) {
  const tone = VERDICT_TONE[verdict] ?? "";
  return <span className={`c-badge ${tone ? `c-badge--${tone}` : ""}`} style={{ fontSize: 14, padding: "2px 10px" }}>{label}</span>;
}

const STATE_LABEL = { standard: "达标", floor: "未达标但不低于85%", below: "低于85%", missing: "缺数据" } as const;

export function UnitIndicators({ unit }: { unit: UnitView }) {
  return (
    <div className="c-table-wrap">
      <table className="c-table">
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
              <td className={`num ${i.state === "below" ? "is-fail" : ""}`}>{fixed(i.value, 2)}</td>
              <td className="num">{i.standard}</td>
              <td className="num">{i.floor}</td>
              <td className="num">{i.gap === null ? "—" : i.gap >= 0 ? `+${fixed(i.gap, 2)}` : fixed(i.gap, 2)}</td>
              <td className="c-nowrap">{STATE_LABEL[i.state]}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
