import { json, redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData, useSearchParams } from "@remix-run/react";
import { useState } from "react";
import { requirePrincipal } from "../../.server/auth/guard";
import { requireCampaign } from "../../.server/console/campaigns";
import { campaignKits } from "../../.server/console/kits";
import { CopyButton, LinkTools } from "../../components/console/link-tools";
import { paths } from "../../components/console/paths";
import { PublicOriginBanner } from "../../components/public-origin-banner";
import { publicOriginProblem } from "../../domain/public-origin";

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const principal = await requirePrincipal(request, context);
  const scope = await requireCampaign(context.services.db, principal, params.campaignId ?? "");
  if (principal.role === "school" && principal.schoolId) throw redirect(paths.school(scope.campaign.id, principal.schoolId));
  return json({
    kits: await campaignKits(context.services, scope.campaign, scope.visibleCounties),
    originProblem: publicOriginProblem(context.services.config.publicUrl),
  });
}

/** Every link of a school, one per line, for forwarding to its contact. */
function allLinksText(school: { name: string; links: Array<{ questionnaire: string; audience: string; url: string }> }): string {
  return [`${school.name}满意度调查链接：`, ...school.links.map((l) => `${l.questionnaire}（${l.audience}）：${l.url}`)].join("\n");
}

export default function Kits() {
  const { kits, originProblem } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const [filter, setFilter] = useState("");
  const needle = filter.trim();
  return (
    <>
      <PublicOriginBanner problem={originProblem} />
      {params.get("created") ? <div className="c-notice c-notice--ok">调查活动已创建。下面是各校二维码打印页和县级链接，可直接打印或转发。</div> : null}
      <p className="c-muted">
        转发到班级微信群：点“复制通知”后粘贴到群里（通知已含链接），再点“下载二维码”把图片发到群里（在微信里打开本页时不能下载：点“打开图片”，长按图片选“发送给朋友”）。
      </p>
      <label className="c-field" style={{ maxWidth: 360, margin: "0 0 12px" }}>
        <span>查找学校</span>
        <input type="search" value={filter} onChange={(ev) => setFilter(ev.target.value)} placeholder="输入校名中的几个字" data-testid="school-filter" />
      </label>
      {kits.map((k) => {
        const schools = needle ? k.schools.filter((s) => s.name.includes(needle)) : k.schools;
        return (
          <section key={k.county.id} className="c-card">
            <header>
              <h2>{k.county.name}</h2>
              <div className="c-actions" style={{ margin: 0 }}>
                <a className="c-button c-button--primary" href={k.documentPath} target="_blank" rel="noreferrer">
                  打印全县二维码（每校按家长、教师、学生各一页）
                </a>
                <a className="c-button" href={k.countyKitPath} target="_blank" rel="noreferrer">
                  县级二维码页
                </a>
              </div>
            </header>
            {k.documentPosters.length > 0 ? (
              <p className="c-actions" style={{ margin: "8px 0 0" }} data-testid="county-posters">
                <span className="c-muted">全县各校只打印一类：</span>
                {k.documentPosters.map((p) => (
                  <a key={p.audience} className="c-button" href={p.path} target="_blank" rel="noreferrer">
                    {p.label}
                  </a>
                ))}
              </p>
            ) : null}
            {k.countyLinks.length > 0 ? (
              <div className="c-link-tools-group" style={{ margin: "12px 0" }}>
                {k.countyLinks.map((l) => (
                  <LinkTools key={l.url} link={{ ...l, questionnaire: `县级链接：${l.questionnaire}` }} fileHint={`${k.county.name}-县级社会卷-二维码.png`} />
                ))}
              </div>
            ) : null}
            <details className="c-details" open={kits.length === 1 || needle !== ""}>
              <summary>
                各校二维码打印页与问卷链接（{needle ? `${schools.length} / ` : ""}
                {k.schools.length} 所）
              </summary>
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
                    {schools.map((s) => (
                      <tr key={s.id} data-school={s.id}>
                        <td>
                          {s.name}
                          <div style={{ marginTop: 6 }}>
                            <CopyButton text={allLinksText(s)} label="复制本校全部链接" testId="copy-school-links" />
                          </div>
                        </td>
                        <td className="c-key" data-label="二维码打印页">
                          <a href={s.kitPath} target="_blank" rel="noreferrer">
                            打印页
                          </a>
                          <span className="c-muted">（每类人员一页）</span>
                          {s.posters.map((p) => (
                            <div key={p.audience} style={{ marginTop: 4 }}>
                              <a href={p.path} target="_blank" rel="noreferrer" data-testid={`poster-${p.audience}`}>
                                {p.label}
                              </a>
                            </div>
                          ))}
                        </td>
                        <td className="c-block" data-label="问卷链接">
                          <div className="c-link-tools-group">
                            {s.links.map((l) => (
                              <LinkTools key={l.url} link={l} fileHint={`${s.name}-${l.questionnaire}（${l.audience}）-二维码.png`} lazyNotice />
                            ))}
                          </div>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              {needle && schools.length === 0 ? <p className="c-muted">没有校名包含“{needle}”的学校。</p> : null}
            </details>
            {k.schools.length === 0 ? <p className="c-muted">该县（区）还没有学校，请先导入学校名单。</p> : null}
          </section>
        );
      })}
    </>
  );
}
