import { json, type LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requirePrincipal } from "../../.server/auth/guard";
import { visibleCampaigns } from "../../.server/console/campaigns";
import { beijingTime } from "../../components/console/format";
import { paths } from "../../components/console/paths";
import { CAMPAIGN_PHASE_LABELS } from "../../domain/vocabulary";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const principal = await requirePrincipal(request, context);
  return json({ role: principal.role, campaigns: await visibleCampaigns(context.services.db, principal), now: context.services.now() });
}

export default function Campaigns() {
  const { role, campaigns, now } = useLoaderData<typeof loader>();
  return (
    <>
      <h1 className="c-title">调查活动</h1>
      <p className="c-subtitle">每个调查活动有自己的调查时间、问卷版本和各县（区）的样本计划。</p>
      {role === "city" ? (
        <div className="c-actions">
          <Link className="c-button c-button--primary" to="/admin/campaigns/new">
            新建调查活动
          </Link>
        </div>
      ) : null}
      <section className="c-card">
        <div className="c-table-wrap">
          <table className="c-table c-table--cards">
            <thead>
              <tr>
                <th>名称</th>
                <th>编号</th>
                <th>阶段</th>
                <th>状态</th>
                <th>调查时间</th>
                <th>县（区）</th>
              </tr>
            </thead>
            <tbody>
              {campaigns.map((c) => {
                const state = now < c.opensAt ? "未开始" : now > c.closesAt ? "已结束" : "进行中";
                return (
                  <tr key={c.id}>
                    <td>
                      <Link to={paths.campaign(c.id)}>{c.name}</Link> {c.isDemo ? <span className="c-badge c-badge--demo">演示数据</span> : null}
                    </td>
                    <td className="c-mono" data-label="编号">
                      {c.id}
                    </td>
                    <td className="c-nowrap" data-label="阶段">
                      {c.year}年 · {CAMPAIGN_PHASE_LABELS[c.phase]}
                    </td>
                    <td className="c-key">
                      <span className={`c-badge ${state === "进行中" ? "c-badge--pass" : ""}`}>{state}</span>
                    </td>
                    <td className="c-nowrap" data-label="调查时间">
                      {c.isDemo ? "长期开放（演示）" : `${beijingTime(c.opensAt)} 至 ${beijingTime(c.closesAt)}`}
                    </td>
                    <td data-label="县（区）">{c.counties.map((x) => x.name).join("、")}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
        {campaigns.length === 0 ? <p className="c-muted">还没有调查活动。</p> : null}
      </section>
    </>
  );
}
