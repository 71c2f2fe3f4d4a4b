import { json, redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { forbidden, requirePrincipal } from "../../.server/auth/guard";
import { requireCampaign } from "../../.server/console/campaigns";
import { campaignOverview } from "../../.server/console/satisfaction";
import { Chart } from "../../components/console/chart";
import { ReleaseNotice, SatisfactionStatus, SelfAssessmentBadge } from "../../components/console/figures";
import { count, moe, pct } from "../../components/console/format";
import { paths } from "../../components/console/paths";

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const principal = await requirePrincipal(request, context);
  const scope = await requireCampaign(context.services.db, principal, params.campaignId ?? "");
  if (principal.role === "school") {
    if (principal.schoolId) throw redirect(paths.school(scope.campaign.id, principal.schoolId));
    throw forbidden();
  }
  const overview = await campaignOverview(context.services, scope.campaign, scope.visibleCounties);
  return json({ campaignId: scope.campaign.id, ...overview });
}

export default function CampaignOverview() {
  const { campaignId, notice, ruleLabel, release, counties } = useLoaderData<typeof loader>();
  return (
    <>
      <div className="c-notice c-notice--self">
        <SelfAssessmentBadge /> {notice}。判定规则：{ruleLabel}；误差范围为95%置信水平。
      </div>
      <ReleaseNotice text={release} />
      <div className="c-grid">
        {counties.map((c) => (
          <section key={c.countyId} className="c-card c-county-card">
            <h3>
              <Link to={paths.county(campaignId, c.countyId)}>{c.countyName}</Link> <SatisfactionStatus status={c.status} badge={c.badge} />
            </h3>
            <div className={`c-county-card__rate ${c.rate !== null && c.rate < 0.85 ? "is-fail" : ""}`} style={{ color: c.badge ? `var(--c-${c.badge.tone})` : c.rate === null ? undefined : c.rate < 0.85 ? "var(--c-fail)" : "var(--c-pass)" }}>
              {pct(c.rate)} <span className="c-muted" style={{ fontSize: 15 }}>{moe(c.marginOfError)}</span>
            </div>
            <div className="c-muted">
              综合满意度（全体）· 有效问卷 {count(c.n)} 份{c.required !== null ? ` / 计划 ${count(c.required)} 份` : ""}
            </div>
            <div className="c-muted">
              家长满意度 {pct(c.parentsRate)} · 家长问卷 {count(c.parents)}
              {c.parentsRequired !== null ? ` / 至少 ${count(c.parentsRequired)}` : ""} 份
            </div>
            <div className="c-muted">
              无效 {count(c.invalid)} 份 · 有质量标记 {count(c.flagged)} 份 ·{" "}
              <Link to={paths.coverage(campaignId, c.countyId)}>样本覆盖</Link> · <Link to={paths.readiness(campaignId, c.countyId)}>达标评估</Link>
            </div>
          </section>
        ))}
      </div>
      <section className="c-card">
        <h2>各县（区）综合满意度与85%达标线</h2>
        <Chart
          label="各县（区）综合满意度"
          spec={{
            labels: counties.map((c) => c.countyName),
            series: [
              { name: "综合满意度", values: counties.map((c) => (c.rate === null ? null : c.rate * 100)) },
              { name: "家长满意度", values: counties.map((c) => (c.parentsRate === null ? null : c.parentsRate * 100)), color: "#8fb3ea" },
            ],
            line: { value: 85, label: "85%" },
            unit: "%",
            max: 100,
          }}
        />
        <p className="c-card__note">红色表示低于85%。样本不足的县（区）不判定达标与否，请先补足样本。</p>
      </section>
    </>
  );
}
