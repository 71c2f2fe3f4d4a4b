/**
 * 国家抽样的把握 and the sample's structure on the console (app/domain/pass-outlook.ts): the
 * sentence to read aloud, the interval, the safe line and the questionnaires to add, coloured by
 * the probability; the coverage banner naming the cells short of the plan.
 */
import type { ReactNode } from "react";
import type { PassOutlookView, StructureBanner, Tone } from "../../domain/pass-outlook";
import { count, fixed, pct } from "./format";

const NOTICE: Record<Tone, string> = { pass: "c-notice--ok", warn: "c-notice--warn", fail: "c-notice--error" };

export function toneClass(prefix: "c-kpi" | "c-badge", tone: Tone | null): string {
  return tone === null ? "" : `${prefix}--${tone}`;
}

/** The coverage banner: totals and structure (green only when every planned cell is reached). */
export function StructureNotice({ structure, children }: { structure: StructureBanner; children?: ReactNode }) {
  return (
    <div
      className={`c-notice ${structure.tone === "ok" ? "c-notice--ok" : structure.tone === "warn" ? "c-notice--warn" : ""}`}
      role="status"
      data-testid="structure-banner"
    >
      {children}
      {structure.text}
    </div>
  );
}

/** The county's chance of the official draw reaching 85%, said as an estimate (自评), never a guarantee. */
export function PassOutlookCard({ outlook, rate }: { outlook: PassOutlookView; rate: number | null }) {
  return (
    <section className="c-card" data-testid="pass-outlook">
      <header>
        <h2>
          国家抽样的把握（自评估计）<span className={`c-badge ${toneClass("c-badge", outlook.tone)}`}>{outlook.headline}</span>
        </h2>
      </header>
      <div className={`c-notice ${NOTICE[outlook.tone]}`} data-testid="pass-outlook-summary">
        <strong>{outlook.summary}。</strong>这是按本平台自评结果的估计，不是保证。
      </div>
      <ul className="c-list">
        <li>
          自评综合满意度 {pct(rate)}；真实满意比例的{pct(outlook.interval.level, 0)}可信区间{" "}
          <strong>
            {pct(outlook.interval.low)}–{pct(outlook.interval.high)}
          </strong>
          （按学校聚集的设计效应 {fixed(outlook.deff, 2)}，约相当于 {count(Math.round(outlook.effectiveSampleSize))} 份独立问卷）。
        </li>
        <li>
          假定国家抽样 {count(outlook.officialSampleSize)} 份，其中满意不少于 {count(outlook.officialPassCount)} 份即达到85%；国家抽样达到85%的概率（计算值）
          {pct(outlook.probability, 1)}。
        </li>
        <li>{outlook.safeLineText}。</li>
        <li>{outlook.advice}。</li>
        {outlook.weakestItems.length > 0 ? (
          <li>
            把握最低的题目：
            {outlook.weakestItems.map((i, k) => (
              <span key={i.itemId}>
                {k > 0 ? "；" : ""}
                {i.label} <span className={`c-badge ${toneClass("c-badge", i.tone)}`}>{i.words}</span>
              </span>
            ))}
            ，提高这些方面的满意度对把握影响最大。
          </li>
        ) : null}
      </ul>
      <details className="c-details">
        <summary>计算依据</summary>
        <p className="c-card__note">{outlook.details}</p>
      </details>
    </section>
  );
}
