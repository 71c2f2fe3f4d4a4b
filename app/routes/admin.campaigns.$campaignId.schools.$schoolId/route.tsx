import { json, type LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { forbidden, notFound, requirePrincipal } from "../../.server/auth/guard";
import { requireCampaign } from "../../.server/console/campaigns";
import { schoolPage } from "../../.server/console/kits";
import { findSchool } from "../../.server/console/schools";
import { schoolShortfallFor } from "../../.server/console/shortfall";
import { count } from "../../components/console/format";
import { SchoolShortfallCard } from "../../components/console/shortfall";
import { CHILD_LIMITS } from "../../domain/children";
import { LinkTools } from "../../components/console/link-tools";
import { PublicOriginBanner } from "../../components/public-origin-banner";
import { publicOriginProblem } from "../../domain/public-origin";

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const principal = await requirePrincipal(request, context);
  const scope = await requireCampaign(context.services.db, principal, params.campaignId ?? "");
  const school = await findSchool(context.services, params.schoolId ?? "");
  const county = school ? scope.counties.find((c) => c.id === school.countyId) : undefined;
  if (!school || !county) throw notFound("这个调查活动中没有这所学校。");
  const page = await schoolPage(context.services, scope.campaign, county, school, principal);
  if (!page) throw forbidden("您的账号只能查看本校的信息。");
  const shortfall = await schoolShortfallFor(context.services, scope.campaign, county, school, principal);
  if (!shortfall) throw forbidden("您的账号只能查看本校的信息。");
  return json(
    { ...page, shortfall, originProblem: publicOriginProblem(context.services.config.publicUrl) },
    { headers: { "Cache-Control": "private, no-store" } },
  );
}

export default function SchoolHome() {
  const page = useLoaderData<typeof loader>();
  return (
    <>
      <PublicOriginBanner problem={page.originProblem} />
      <section className="c-card">
        <header>
          <h2>{page.school.name}：问卷链接与二维码</h2>
          <a className="c-button c-button--primary" href={page.kitPath} target="_blank" rel="noreferrer">
            打开本校二维码打印页（A4，每类人员一页）
          </a>
        </header>
        {page.posters.length > 0 ? (
          <p className="c-actions" style={{ margin: "0 0 8px" }} data-testid="school-posters">
            {page.posters.map((p) => (
              <a key={p.audience} className="c-button" href={p.path} target="_blank" rel="noreferrer">
                {p.label}
              </a>
            ))}
          </p>
        ) : null}
        <p className="c-muted">
          打印页每类人员一页：家长页张贴在校门口、家长会会场，教师页张贴在教师办公室，学生页张贴在机房或教室；也可转发到班级微信群：点“复制通知”后粘贴到群里（通知已含链接），再点“下载二维码”把图片发到群里（在微信里打开本页时不能下载：点“打开图片”，长按图片选“发送给朋友”）。每台手机每份问卷只能提交一次；家长有几个孩子在本校就读的，提交后可点“为另一个孩子填写”（最多
          {CHILD_LIMITS.maxChildrenPerDevice}个）。
        </p>
        {page.links.map((l) => (
          <LinkTools key={l.url} link={l} fileHint={`${page.school.name}-${l.questionnaire}（${l.audience}）-二维码.png`} />
        ))}
      </section>
      <SchoolShortfallCard view={page.shortfall} />
      <section className="c-card">
        <h2>本校已回收问卷：{count(page.total)} 份</h2>
        <div className="c-table-wrap">
          <table className="c-table c-table--cards c-table--cards2">
            <thead>
              <tr>
                <th>问卷</th>
                <th>调查对象</th>
                <th className="num">已提交</th>
                <th className="num">有效</th>
              </tr>
            </thead>
            <tbody>
              {page.counts.map((r) => (
                <tr key={`${r.questionnaire}-${r.group}`}>
                  <td>{r.questionnaire}</td>
                  <td data-label="调查对象">{r.group}</td>
                  <td className="num" data-label="已提交">
                    {count(r.total)}
                  </td>
                  <td className="num c-key" data-label="有效">
                    {count(r.valid)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {page.counts.length === 0 ? <p className="c-muted">还没有回收问卷。</p> : null}
        <p className="c-card__note">学校账号只能看到回收份数，看不到任何答卷内容和满意度。</p>
      </section>
    </>
  );
}
