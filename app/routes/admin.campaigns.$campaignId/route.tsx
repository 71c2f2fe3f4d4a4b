import { json, type LoaderFunctionArgs } from "@remix-run/node";
import { Link, NavLink, Outlet, useLoaderData } from "@remix-run/react";
import { requirePrincipal } from "../../.server/auth/guard";
import { requireCampaign } from "../../.server/console/campaigns";
import { ConsoleProblem } from "../../components/console/console-error";
import { beijingTime } from "../../components/console/format";
import { paths } from "../../components/console/paths";
import { CAMPAIGN_PHASE_LABELS, QUESTIONNAIRE_LABELS } from "../../domain/vocabulary";

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const principal = await requirePrincipal(request, context);
  const scope = await requireCampaign(context.services.db, principal, params.campaignId ?? "");
  const c = scope.campaign;
  return json({
    role: principal.role,
    schoolId: principal.schoolId,
    campaign: { id: c.id, name: c.name, year: c.year, phase: c.phase, opensAt: c.opensAt, closesAt: c.closesAt, isDemo: c.isDemo },
    questionnaires: [...scope.questionnaires].map(([id, version]) => ({ id, version })),
    counties: principal.role === "school" ? [] : scope.visibleCounties,
  });
}

export default function CampaignLayout() {
  const { role, schoolId, campaign, questionnaires, counties } = useLoaderData<typeof loader>();
  return (
    <>
      <p className="c-crumbs">
        <Link to="/admin/campaigns">调查活动</Link> / {campaign.year}年
      </p>
      <h1 className="c-title">
        {campaign.name} {campaign.isDemo ? <span className="c-badge c-badge--demo">演示数据</span> : null}
      </h1>
      <p className="c-subtitle">
        {CAMPAIGN_PHASE_LABELS[campaign.phase]} · 调查时间：
        {campaign.isDemo ? "长期开放（演示）" : `${beijingTime(campaign.opensAt)} 至 ${beijingTime(campaign.closesAt)}`} · 问卷：
        {questionnaires.map((q) => `${QUESTIONNAIRE_LABELS[q.id]} v${String(q.version)}`).join("、")}
      </p>
      <div className="c-actions no-print">
        {role !== "school" ? (
          <Link className="c-button c-button--small" to={paths.campaign(campaign.id)}>
            {role === "city" ? "全市概览" : "概览"}
          </Link>
        ) : null}
        <Link className="c-button c-button--small" to={role === "school" && schoolId ? paths.school(campaign.id, schoolId) : paths.kits(campaign.id)}>
          {role === "school" ? "本校链接与二维码" : "二维码与链接"}
        </Link>
        {role === "city" ? (
          <>
            <Link className="c-button c-button--small" to={paths.edit(campaign.id)}>
              编辑调查活动
            </Link>
            <Link className="c-button c-button--small" to={paths.schoolsImport(campaign.id)}>
              导入学校名单
            </Link>
            <Link className="c-button c-button--small" to={paths.evaluationData(campaign.id)}>
              评估数据
            </Link>
          </>
        ) : null}
      </div>
      {counties.length > 0 ? (
        <nav className="c-county-switch no-print" aria-label="县（区）">
          {counties.map((c) => (
            <NavLink key={c.id} to={paths.county(campaign.id, c.id)} className={({ isActive }) => (isActive ? "active" : "")}>
              {c.name}
            </NavLink>
          ))}
        </nav>
      ) : null}
      <Outlet />
    </>
  );
}

export function ErrorBoundary() {
  return <ConsoleProblem />;
}
