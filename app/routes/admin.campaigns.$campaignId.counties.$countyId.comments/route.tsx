import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { requirePrincipal } from "../../.server/auth/guard";
import { requireCampaignCounty } from "../../.server/console/campaigns";
import { countyComments } from "../../.server/console/comments";
import { beijingTime, count } from "../../components/console/format";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.county.name} · 意见建议 · 管理后台` : "意见建议" }];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const principal = await requirePrincipal(request, context);
  const scope = await requireCampaignCounty(context.services.db, principal, params.campaignId ?? "", params.countyId ?? "");
  const url = new URL(request.url);
  const before = Number(url.searchParams.get("before"));
  const search = url.searchParams.get("q");
  const data = await countyComments(context.services, scope.campaign, scope.county, {
    search,
    beforeId: Number.isInteger(before) && before > 0 ? before : null,
  });
  return json({ county: scope.county, search: search ?? "", ...data });
}

export default function Comments() {
  const { county, search, comments, total, more } = useLoaderData<typeof loader>();
  const last = comments.at(-1);
  return (
    <>
      <section className="c-card">
        <header>
          <h2>
            {county.name}：意见建议 {search ? `（含“${search}”：${count(total)} 条）` : `（${count(total)} 条）`}
          </h2>
          <Form method="get" className="c-inline-form" role="search">
            <input
              type="search"
              name="q"
              className="c-input"
              defaultValue={search}
              placeholder="搜索意见内容，如：作业"
              aria-label="搜索意见建议"
              maxLength={50}
            />
            <button type="submit" className="c-button">
              搜索
            </button>
            {search ? (
              <Link to="." className="c-button">
                清除
              </Link>
            ) : null}
          </Form>
        </header>
        {comments.length === 0 ? <p className="c-muted">没有{search ? "符合条件的" : ""}意见建议。</p> : null}
        <ul className="c-comments">
          {comments.map((c) => (
            <li key={c.id}>
              <div className="c-comments__meta">
                {beijingTime(c.submittedAt)} · {c.source ?? "来源已隐藏（该校该类调查对象不足5份问卷）"} · 问卷 #{c.id}
                {c.invalid ? (
                  <span className="c-badge c-badge--fail" style={{ marginLeft: 6 }}>
                    已标记无效
                  </span>
                ) : null}
              </div>
              <p className="c-comments__text">{c.text}</p>
            </li>
          ))}
        </ul>
        <div className="c-pager">
          {more && last ? (
            <Link to={`?${new URLSearchParams({ ...(search ? { q: search } : {}), before: String(last.id) }).toString()}`}>更早的意见 →</Link>
          ) : null}
        </div>
        <p className="c-card__note">意见原文照录，按纯文本显示。来源只显示到学校和调查对象类别。</p>
      </section>
    </>
  );
}
