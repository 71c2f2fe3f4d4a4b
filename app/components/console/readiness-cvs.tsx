/**
 * The 资源配置 差异系数 card of the readiness page: a chart per level (each against its own limit),
 * the table with the 综合 row, and what would bring a failing CV under its limit. A CV whose
 * 3-decimal display would land on the other side of its limit (0.4504 showing 0.450 against
 * ≤ 0.45) shows the digits that decide and says 临界 — as the workbooks do.
 */
import { shownFigure } from "../../domain/evaluation/display";
import type { ReadinessView } from "../../domain/readiness-view";
import { Chart } from "./chart";
import { fixed } from "./format";

type Cv = ReadinessView["cvs"][number];

/** The CV as shown: 3 decimals, or the digits that decide at a borderline. */
export function cvText(c: Pick<Cv, "cv" | "limit">): { text: string; borderline: boolean } {
  if (c.cv === null) return { text: "—", borderline: false };
  const s = shownFigure(c.cv, CV_DECIMALS, [{ comparison: "<=", threshold: c.limit }]);
  return { text: fixed(s.value, s.decimals), borderline: s.borderline };
}

const CV_DECIMALS = 3;

/** How far over its limit a failing CV is: never "+0.000" for a CV that fails by 0.0004. */
function overByText(overBy: number): string {
  const s = shownFigure(overBy, CV_DECIMALS, [{ comparison: ">", threshold: 0 }]);
  return fixed(s.value, s.decimals);
}

export function CvSection({ view }: { view: Pick<ReadinessView, "cvs" | "compositeCv" | "cvFixes"> }) {
  const failingCvs = view.cvs.filter((c) => c.withinLimit === false);
  return (
    <section className="c-card">
      <h2>资源配置：差异系数（≤ 小学 0.50、初中 0.45）</h2>
      {(["primary", "junior"] as const).map((level) => {
        // One chart per level: each has its own limit (小学 0.50, 初中 0.45), and a bar is red
        // exactly when its CV is over its own level's limit.
        const cvs = view.cvs.filter((c) => c.level === level);
        const first = cvs[0];
        if (!first) return null;
        return (
          <Chart
            key={level}
            label={`${first.levelLabel}各指标差异系数与限值`}
            spec={{
              labels: cvs.map((c) => `${c.levelLabel} ${c.code}`),
              series: [{ name: "差异系数", values: cvs.map((c) => c.cv) }],
              line: { value: first.limit, label: first.limit.toFixed(2) },
              lowerIsBetter: true,
              decimals: 3,
            }}
          />
        );
      })}
      <div className="c-table-wrap">
        <table className="c-table c-table--cards c-table--cards2">
          <thead>
            <tr>
              <th>学段</th>
              <th>指标</th>
              <th className="num">单位数</th>
              <th className="num">县均值</th>
              <th className="num">差异系数</th>
              <th className="num">限值</th>
              <th className="num">超出</th>
            </tr>
          </thead>
          <tbody>
            {view.cvs.map((c) => (
              <tr key={`${c.level}-${c.code}`} className={c.withinLimit === false ? "is-fail" : ""}>
                <td className="c-lead">{c.levelLabel}</td>
                <td className="c-name">
                  {c.code} {c.label}
                </td>
                <td className="num" data-label="单位数">
                  {c.n}
                </td>
                <td className="num" data-label="县均值">
                  {fixed(c.mean, 2)}
                </td>
                <td className={`num c-key ${c.withinLimit === false ? "is-fail" : ""}`} data-label="差异系数">
                  {c.cv === null ? c.reason === "missing_data" ? "缺数据" : "—" : <CvFigure cv={c} />}
                </td>
                <td className="num" data-label="限值">
                  {c.limit.toFixed(2)}
                </td>
                <td className="num" data-label="超出">
                  {c.overBy !== null && c.overBy > 0 ? `+${overByText(c.overBy)}` : "—"}
                </td>
              </tr>
            ))}
            {(["primary", "junior"] as const).map((level) =>
              view.compositeCv[level] !== null ? (
                <tr key={`composite-${level}`} className="is-total">
                  <td className="c-lead">{level === "primary" ? "小学" : "初中"}</td>
                  <td className="c-name">综合（7项平均，仅供参考）</td>
                  <td />
                  <td />
                  <td className="num c-key" data-label="差异系数">
                    {fixed(view.compositeCv[level], 3)}
                  </td>
                  <td />
                  <td />
                </tr>
              ) : null,
            )}
          </tbody>
        </table>
      </div>
      {failingCvs.length > 0 || view.cvFixes.length > 0 ? (
        <ul className="c-list" style={{ marginTop: 10 }}>
          {view.cvFixes.map((f) => (
            <li key={f}>{f}</li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}

function CvFigure({ cv }: { cv: Cv }) {
  const shown = cvText(cv);
  if (!shown.borderline) return <>{shown.text}</>;
  return <span title="临界值：保留3位小数会与按全精度判定的结论相反，故多保留小数位">{shown.text}（临界）</span>;
}
