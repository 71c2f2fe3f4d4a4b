/**
 * The 社会认可度 weighted to the official design (app/domain/weighting-view.ts, decision record
 * 0025): the weighted rate beside the unweighted one the verdict uses, the weights' range and the
 * effective sample size, with the engine's sentences. County level only.
 */
import { Link } from "@remix-run/react";
import type { WeightingView } from "../../domain/weighting-view";
import { count, fixed, pct } from "./format";

/** The card on the readiness page. */
export function WeightingCard({ weighting }: { weighting: WeightingView }) {
  const w = weighting;
  return (
    <section className="c-card" data-testid="weighting">
      <header>
        <h2>按国家抽样设计加权（自评参考）</h2>
        <span className="c-muted">调查对象、城区/镇区/乡村、年级段按设计比例加权（迭代比例拟合）</span>
      </header>
      <div className="c-notice" data-testid="weighting-summary">
        <strong>{w.summary}</strong>
      </div>
      <div className="c-kpis">
        <div className="c-kpi" data-testid="weighting-unweighted">
          <div className="c-kpi__label">未加权（达标判定所用）</div>
          <div className="c-kpi__value" style={{ fontSize: 22 }}>
            {pct(w.unweightedRate)}
          </div>
          <div className="c-kpi__sub">有效问卷 {count(w.n)} 份，按问卷原始统计</div>
        </div>
        <div className="c-kpi" data-testid="weighting-weighted">
          <div className="c-kpi__label">加权后（自评参考）</div>
          <div className="c-kpi__value" style={{ fontSize: 22 }}>
            {pct(w.weightedRate)}
          </div>
          <div className="c-kpi__sub">
            权数 {w.weights ? `${fixed(w.weights.min, 2)}–${fixed(w.weights.max, 2)}` : "—"} · 有效样本量约 {count(Math.round(w.effectiveSampleSize))} 份
          </div>
        </div>
      </div>
      <ul className="c-list">
        <li>{w.comparison}。</li>
        <li>{w.weightsText}。</li>
        <li data-testid="weighting-school-note">{w.schoolNote}。</li>
        {w.unreachableText ? <li>{w.unreachableText}。</li> : null}
        {w.convergenceText ? <li>{w.convergenceText}。</li> : null}
        {w.locationApplied ? null : <li>未填报城区/镇区/乡村常住人口比例，未按城乡类别加权。</li>}
      </ul>
      <p className="c-card__note">加权只改变各类问卷在估计中的份量，不改变问卷本身；达标判定仍按满意问卷数 ÷ 有效问卷数精确计算。</p>
    </section>
  );
}

/** One line for the satisfaction dashboard, linking to the card. */
export function WeightingLine({ weighting, href }: { weighting: WeightingView; href: string }) {
  return (
    <p className="c-muted" data-testid="weighting-line">
      {weighting.summary}；权数 {weighting.weights ? `${fixed(weighting.weights.min, 2)}–${fixed(weighting.weights.max, 2)}` : "—"}，有效样本量约{" "}
      {count(Math.round(weighting.effectiveSampleSize))} 份。
      <Link to={href}>详见达标评估</Link>
    </p>
  );
}
