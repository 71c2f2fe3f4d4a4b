import { json, redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData, useSearchParams } from "@remix-run/react";
import { requirePrincipal } from "../../.server/auth/guard";
import { requireCampaign } from "../../.server/console/campaigns";
import { campaignKits } from "../../.server/console/kits";
import { paths } from "../../components/console/paths";

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const principal = await requirePrincipal(request, context);
  const scope = await requireCampaign(context.services.db, principal, params.campaignId ?? "");
  if (principal.role === "school" && principal.schoolId) throw redirect(paths.school(scope.campaign.id, principal.schoolId));
  return json({ kits: await campaignKits(context.services, scope.campaign, scope.visibleCounties) });
}

export default function Kits() {
  const { kits } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  return (
    <>
      {params.get("created") ? <div className="c-notice c-notice--ok">调查活动已创建。下面是各校二维码打印页和县级链接，可直接打印或转发。</div> : null}
      {kits.map((k) => (
        <section key={k.county.id} className="c-card">
          <header>
            <h2>{k.county.name}</h2>
            <div className="c-actions" style={{ margin: 0 }}>
              <a className="c-button c-button--primary" href={k.documentPath} target="_blank" rel="noreferrer">
                打印全县二维码（每校一页）
              </a>
              <a className="c-button" href={k.countyKitPath} target="_blank" rel="noreferrer">
                县级二维码页
              </a>
            </div>
          </header>
          {k.countyLinks.map((l) => (
            <p key={l.url}>
              县级链接（{l.questionnaire}）：<span className="c-mono">{l.url}</span>
            </p>
          ))}
          <details className="c-details">
            <summary>各校二维码打印页与问卷链接（{k.schools.length} 所）</summary>
            <div className="c-table-wrap">
              <table className="c-table c-table--cards">
                <thead>
                  <tr>
                    <th>学校</th>
                    <th>二维码打印页</th>
                    <th>问卷链接</th>
                  </tr>
                </thead>
                <tbody>
                  {k.schools.map((s) => (
                    <tr key={s.id}>
                      <td>{s.name}</td>
                      <td className="c-nowrap c-key">
                        <a href={s.kitPath} target="_blank" rel="noreferrer">
                          打印页
                        </a>
                      </td>
                      <td className="c-block" data-label="问卷链接">
                        {s.links.map((l) => (
                          <div key={l.url}>
                            {l.questionnaire}：<span className="c-mono">{l.url}</span>
                          </div>
                        ))}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </details>
          {k.schools.length === 0 ? <p className="c-muted">该县（区）还没有学校，请先导入学校名单。</p> : null}
        </section>
      ))}
    </>
  );
}
