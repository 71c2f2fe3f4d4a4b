/**
 * A county at a glance (home page, campaign overview): 综合满意度 with its margin, the sample
 * received against the plan, and the 达标评估 verdict as the readiness page words it. The
 * figures arrive computed (app/.server/console/county-cards.ts).
 */
import { Link } from "@remix-run/react";
import { SatisfactionStatus } from "./figures";
import { count, moe, pct } from "./format";
import { paths } from "./paths";
import { VerdictBadge } from "./readiness";

/** What a card shows (app/.server/console/county-cards.ts CountyCard, as the loader sends it). */
export interface CountyCardFigures {
  countyId: string;
  countyName: string;
  status: string;
  badge: { label: string; tone: string } | null;
  rate: number | null;
  marginOfError: number | null;
  parentsRate: number | null;
  n: number;
  required: number | null;
  parents: number;
  parentsRequired: number | null;
  invalid: number;
  flagged: number;
  verdict: string;
  verdictLabel: string;
  hasData: boolean;
}

type Props = { campaignId: string; card: CountyCardFigures; threshold: number };

export function CountyCard({ campaignId, card: c, threshold }: Props) {
  const share = c.required !== null && c.required > 0 ? c.n / c.required : null;
  return (
    <section className="c-card c-county-card" data-testid="county-card">
      <h3>
        <Link to={paths.county(campaignId, c.countyId)}>{c.countyName}</Link> <SatisfactionStatus status={c.status} badge={c.badge} />
      </h3>
      <div
        className="c-county-card__rate"
        style={{ color: c.badge ? `var(--c-${c.badge.tone})` : c.rate === null ? undefined : c.rate < threshold ? "var(--c-fail)" : "var(--c-pass)" }}
      >
        {pct(c.rate)}{" "}
        {c.rate !== null ? (
          <span className="c-muted" style={{ fontSize: 15 }}>
            {moe(c.marginOfError)}
          </span>
        ) : null}
      </div>
      <div className="c-muted">综合满意度（全体）{c.parentsRate !== null ? ` · 家长满意度 ${pct(c.parentsRate)}` : ""}</div>
      <dl className="c-county-card__figures">
        <dt>样本</dt>
        <dd>
          有效问卷 {count(c.n)}
          {c.required !== null ? ` / 计划 ${count(c.required)} 份` : " 份（未填常住人口，无样本计划）"}
          {share !== null ? (
            <span className="c-bar" aria-hidden="true">
              <span className={`c-bar__fill ${share < 1 ? "c-bar__fill--low" : ""}`} style={{ width: `${Math.round(Math.min(1, share) * 100)}%` }} />
            </span>
          ) : null}
        </dd>
        <dt>家长问卷</dt>
        <dd>
          {count(c.parents)}
          {c.parentsRequired !== null ? ` / 至少 ${count(c.parentsRequired)}` : ""} 份
        </dd>
        <dt>达标评估</dt>
        <dd data-testid="county-verdict">
          <VerdictBadge verdict={c.verdict} label={c.verdictLabel} />
          {!c.hasData && c.verdict !== "not_evaluated" ? <span className="c-row-note">未导入评估数据，仅社会认可度可评估</span> : null}
        </dd>
      </dl>
      <div className="c-county-card__links">
        <Link to={paths.coverage(campaignId, c.countyId)}>样本覆盖与催收</Link>
        <Link to={paths.readiness(campaignId, c.countyId)}>达标评估</Link>
        <span className="c-muted">
          无效 {count(c.invalid)} · 有标记 {count(c.flagged)}
        </span>
      </div>
    </section>
  );
}
