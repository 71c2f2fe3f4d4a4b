import { json, redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { forbidden, requirePrincipal } from "../../.server/auth/guard";
import { requireCampaign } from "../../.server/console/campaigns";
import { countyCards } from "../../.server/console/county-cards";
import { Chart } from "../../components/console/chart";
import { CountyCard } from "../../components/console/county-card";
import { ReleaseNotice, SelfAssessmentBadge } from "../../components/console/figures";
import { paths } from "../../components/console/paths";

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const principal = await requirePrincipal(request, context);
  const scope = await requireCampaign(context.services.db, principal, params.campaignId ?? "");
  if (principal.role === "school") {
    if (principal.schoolId) throw redirect(paths.school(scope.campaign.id, principal.schoolId));
    throw forbidden();
  }
  const overview = await countyCards(context.services, scope.campaign, scope.visibleCounties);
  return json({ campaignId: scope.campaign.id, ...overview });
}

export default function CampaignOverview() {
  const { campaignId, notice, ruleLabel, release, threshold, counties } = useLoaderData<typeof loader>();
  return (
    <>
      <div className="c-notice c-notice--self">
        <SelfAssessmentBadge /> {notice}。判定规则：{ruleLabel}；误差范围为95%置信水平。
      </div>
      <ReleaseNotice text={release} />
      <div className="c-grid">
        {counties.map((c) => (
          <CountyCard key={c.countyId} campaignId={campaignId} card={c} threshold={threshold} />
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
