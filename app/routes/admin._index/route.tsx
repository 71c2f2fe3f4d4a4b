import { json, redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requirePrincipal } from "../../.server/auth/guard";
import { visibleCampaigns } from "../../.server/console/campaigns";
import { homeCampaigns } from "../../.server/console/county-cards";
import { CountyCard, type CountyCardFigures } from "../../components/console/county-card";
import { ReleaseNotice } from "../../components/console/figures";
import { beijingTime } from "../../components/console/format";
import { CAMPAIGN_PHASE_LABELS } from "../../domain/vocabulary";
import { ROLE_LABELS } from "../../domain/roles";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const principal = await requirePrincipal(request, context);
  // A school contact has one thing to do here: their school's links, kit and counts.
  if (principal.role === "school") {
    const campaigns = await visibleCampaigns(context.services.db, principal);
    if (principal.schoolId && campaigns[0])
      throw redirect(`/admin/campaigns/${encodeURIComponent(campaigns[0].id)}/schools/${encodeURIComponent(principal.schoolId)}`);
    return json({ principal, campaigns: [] }, { headers: { "Cache-Control": "private, no-store" } });
  }
  // Each county's rate, sample and verdict at a glance: the campaign page's and the readiness page's figures.
  const campaigns = await homeCampaigns(context.services, principal);
  return json({ principal, campaigns }, { headers: { "Cache-Control": "private, no-store" } });
}

function Cards({ campaignId, cards }: { campaignId: string; cards: { release: string | null; threshold: number; counties: CountyCardFigures[] } }) {
  return (
    <>
      <ReleaseNotice text={cards.release} />
      <div className="c-grid">
        {cards.counties.map((card) => (
          <CountyCard key={card.countyId} campaignId={campaignId} card={card} threshold={cards.threshold} />
        ))}
      </div>
    </>
  );
}

export default function AdminHome() {
  const { principal, campaigns } = useLoaderData<typeof loader>();
  return (
    <>
      <h1 className="c-title">您好，{principal.displayName}</h1>
      <p className="c-subtitle">
        {ROLE_LABELS[principal.role]}账号。
        {principal.role === "city" ? "可查看全部县（区）的数据，管理调查活动、问卷版本和账号。" : "可查看本县（区）的调查数据、样本覆盖、达标情况并导出报表。"}
      </p>
      <div className="c-notice c-notice--self">本平台的社会认可度（满意度）为县级自评/模拟测评结果，不是国家督导评估的官方结果。</div>
      {campaigns.length === 0 ? (
        <section className="c-card">
          <h2>还没有调查活动</h2>
          <p>{principal.role === "city" ? <Link to="/admin/campaigns/new">创建第一个调查活动</Link> : "请联系市教育局创建调查活动。"}</p>
        </section>
      ) : (
        campaigns.map((c) => (
          <section key={c.id} className="c-home-campaign" data-testid="home-campaign">
            <header className="c-home-campaign__head">
              <h2>
                <Link to={`/admin/campaigns/${c.id}`}>{c.name}</Link> {c.isDemo ? <span className="c-badge c-badge--demo">演示数据</span> : null}
              </h2>
              <span className="c-muted">
                {c.year}年 · {CAMPAIGN_PHASE_LABELS[c.phase]} · {c.isDemo ? "长期开放（演示）" : `${beijingTime(c.opensAt)} 至 ${beijingTime(c.closesAt)}`}
              </span>
            </header>
            {c.cards === null ? (
              <div className="c-notice c-notice--warn">这个调查活动的满意判定规则无效，暂不计算满意度，请市教育局在“编辑调查活动”中重新选择。</div>
            ) : (
              <Cards campaignId={c.id} cards={c.cards} />
            )}
          </section>
        ))
      )}
    </>
  );
}
