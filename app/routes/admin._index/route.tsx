import { json, redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requirePrincipal } from "../../.server/auth/guard";
import { visibleCampaigns } from "../../.server/console/campaigns";
import { beijingTime } from "../../components/console/format";
import { CAMPAIGN_PHASE_LABELS } from "../../domain/vocabulary";
import { ROLE_LABELS } from "../../domain/roles";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const principal = await requirePrincipal(request, context);
  const campaigns = await visibleCampaigns(context.services.db, principal);
  // A school contact has one thing to do here: their school's links, kit and counts.
  if (principal.role === "school" && principal.schoolId && campaigns[0]) {
    throw redirect(`/admin/campaigns/${encodeURIComponent(campaigns[0].id)}/schools/${encodeURIComponent(principal.schoolId)}`);
  }
  return json({ principal, campaigns });
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
        <section className="c-card">
          <h2>调查活动</h2>
          <div className="c-table-wrap">
            <table className="c-table c-table--cards">
              <thead>
                <tr>
                  <th>名称</th>
                  <th>阶段</th>
                  <th>调查时间</th>
                  <th>县（区）</th>
                </tr>
              </thead>
              <tbody>
                {campaigns.map((c) => (
                  <tr key={c.id}>
                    <td>
                      <Link to={`/admin/campaigns/${c.id}`}>{c.name}</Link> {c.isDemo ? <span className="c-badge c-badge--demo">演示数据</span> : null}
                    </td>
                    <td className="c-nowrap" data-label="阶段">
                      {c.year}年 · {CAMPAIGN_PHASE_LABELS[c.phase]}
                    </td>
                    <td className="c-nowrap" data-label="调查时间">{c.isDemo ? "长期开放（演示）" : `${beijingTime(c.opensAt)} 至 ${beijingTime(c.closesAt)}`}</td>
                    <td data-label="县（区）">
                      {c.counties.map((county, i) => (
                        <span key={county.id}>
                          {i > 0 ? "、" : ""}
                          <Link to={`/admin/campaigns/${c.id}/counties/${county.id}`}>{county.name}</Link>
                        </span>
                      ))}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      )}
    </>
  );
}
