import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { notFound, requirePrincipal, requireSchoolScope } from "../../.server/auth/guard";
import { requireCampaignCounty } from "../../.server/console/campaigns";
import { schoolInCounty } from "../../.server/console/schools";
import { schoolReadinessPage } from "../../.server/console/readiness";
import { ItemsTable } from "../../components/console/figures";
import { paths } from "../../components/console/paths";
import { PartBadge, UnitIndicators } from "../../components/console/readiness";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.school.name} · 达标评估 · 管理后台` : "达标评估" }];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const principal = await requirePrincipal(request, context);
  const scope = await requireCampaignCounty(context.services.db, principal, params.campaignId ?? "", params.countyId ?? "");
  const school = await schoolInCounty(context.services, scope.county.id, params.schoolId ?? "");
  if (!school) throw notFound("该县（区）没有这所学校。");
  requireSchoolScope(principal, school);
  const page = await schoolReadinessPage(context.services, scope.campaign, scope.county, school);
  return json({ campaignId: scope.campaign.id, county: scope.county, school: { id: school.id, name: school.name }, page });
}

export default function SchoolReadiness() {
  const { campaignId, county, school, page } = useLoaderData<typeof loader>();
  const r = page.school;
  return (
    <>
      <p className="c-crumbs">
        <Link to={paths.readiness(campaignId, county.id)}>{county.name} 达标评估</Link> / {school.name}
      </p>
      {!page.hasData ? <div className="c-notice c-notice--warn">尚未导入评估数据，只能显示本校的满意度。</div> : null}
      {r ? (
        <>
          {r.units.length === 0 && r.excluded.length === 0 ? <p className="c-muted">评估数据中没有这所学校的资源配置数据。</p> : null}
          {r.excluded.map((e) => (
            <p key={e} className="c-muted">
              {e}
            </p>
          ))}
          {r.units.map((u) => (
            <section key={u.unitId} className="c-card">
              <h2>
                {u.label}（{u.levelLabel}，{u.students} 人）：7项中 {u.indicatorsMet} 项达标{" "}
                <PartBadge status={u.status} label={u.status === "pass" ? "达标" : u.status === "fail" ? "未达标" : "缺数据"} />
              </h2>
              <UnitIndicators unit={u} />
              {u.needs.length > 0 ? (
                <>
                  <h3 style={{ fontSize: 15, margin: "12px 0 4px" }}>达标还需要</h3>
                  <ul className="c-list">
                    {u.needs.map((n) => (
                      <li key={n}>{n}</li>
                    ))}
                  </ul>
                </>
              ) : null}
            </section>
          ))}
          {r.checks.length > 0 ? (
            <section className="c-card">
              <h2>逐校核查的项目（G3 专用教室、G4 规模、G5 班额、G6 公用经费、Q4 培训经费）</h2>
              <div className="c-table-wrap">
                <table className="c-table c-table--cards">
                  <thead>
                    <tr>
                      <th>项目</th>
                      <th>判定</th>
                      <th>说明</th>
                    </tr>
                  </thead>
                  <tbody>
                    {r.checks.map((c) => (
                      <tr key={c.code} className={c.status === "fail" ? "is-fail" : ""}>
                        <td>
                          <strong>{c.code}</strong> <span className="c-muted">{c.label.length > 30 ? `${c.label.slice(0, 30)}…` : c.label}</span>
                        </td>
                        <td className="c-key">
                          <PartBadge
                            status={c.status}
                            label={c.status === "pass" ? "达标" : c.status === "fail" ? "未达标" : c.status === "not_applicable" ? "不适用" : "未评估"}
                          />
                        </td>
                        <td className="c-block" data-label="说明">
                          {c.reasons.join("；") || "—"}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              {r.shortfalls.length > 0 ? (
                <ul className="c-list">
                  {r.shortfalls.map((s) => (
                    <li key={s}>{s}</li>
                  ))}
                </ul>
              ) : null}
            </section>
          ) : null}
        </>
      ) : null}
      <section className="c-card">
        <h2>本校各题满意度（自评，从低到高）</h2>
        <ItemsTable
          rows={page.satisfactionItems.filter((i) => i.itemId !== "overall")}
          overall={page.satisfactionItems.find((i) => i.itemId === "overall") ?? null}
          threshold={0.85}
        />
        <p className="c-card__note">作答不足5份的题目，以及可据全县合计推算出它们的题目，已隐藏。</p>
      </section>
    </>
  );
}
