import { json, type LoaderFunctionArgs } from "@remix-run/node";
import { NavLink, Outlet, useLoaderData } from "@remix-run/react";
import { requirePrincipal } from "../../.server/auth/guard";
import { requireCampaignCounty } from "../../.server/console/campaigns";
import { ConsoleProblem } from "../../components/console/console-error";
import { paths } from "../../components/console/paths";

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const principal = await requirePrincipal(request, context);
  const scope = await requireCampaignCounty(context.services.db, principal, params.campaignId ?? "", params.countyId ?? "");
  return json({ campaignId: scope.campaign.id, county: scope.county });
}

export default function CountyLayout() {
  const { campaignId, county } = useLoaderData<typeof loader>();
  const tabs = [
    { to: paths.county(campaignId, county.id), label: "满意度", end: true },
    { to: paths.coverage(campaignId, county.id), label: "样本覆盖" },
    { to: paths.readiness(campaignId, county.id), label: "达标评估" },
    { to: paths.review(campaignId, county.id), label: "问卷审核" },
    { to: paths.comments(campaignId, county.id), label: "意见建议" },
    { to: paths.exports(campaignId, county.id), label: "导出与报告" },
  ];
  return (
    <>
      <nav className="c-tabs" aria-label={`${county.name}`}>
        {tabs.map((t) => (
          <NavLink key={t.to} to={t.to} end={t.end} className={({ isActive }) => (isActive ? "active" : "")}>
            {t.label}
          </NavLink>
        ))}
      </nav>
      <Outlet />
    </>
  );
}

export function ErrorBoundary() {
  return <ConsoleProblem />;
}
