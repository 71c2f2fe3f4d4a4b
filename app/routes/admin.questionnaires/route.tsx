import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { requireActor, requirePrincipal, requireRole } from "../../.server/auth/guard";
import { definitionRows, publishDefinition } from "../../.server/console/definitions";
import { beijingTime } from "../../components/console/format";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const principal = await requirePrincipal(request, context);
  requireRole(principal, "city");
  return json({ rows: await definitionRows(context.services) });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const principal = await requireActor(request, context);
  requireRole(principal, "city");
  if (Number(request.headers.get("content-length") ?? "0") > 2 * 1024 * 1024) return json({ ok: false as const, problems: ["文件超过 2 MB"] }, { status: 413 });
  const file = (await request.formData()).get("file");
  if (!(file instanceof File) || file.size === 0) return json({ ok: false as const, problems: ["请选择问卷定义文件（.json）"] }, { status: 400 });
  const result = await publishDefinition(context.services, principal, await file.text());
  if (!result.ok) return json({ ok: false as const, problems: result.problems }, { status: 400 });
  return json({ ok: true as const, message: `已发布 ${result.id} v${String(result.version)}。在“编辑调查活动”中选择这个版本后即开始使用。`, id: result.id, version: result.version });
}

export default function Questionnaires() {
  const { rows } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  return (
    <>
      <h1 className="c-title">问卷版本</h1>
      <p className="c-subtitle">已回收问卷的版本永远不会被修改；修改问卷请发布新版本，并在调查活动中选用。</p>
      <section className="c-card">
        <div className="c-table-wrap">
          <table className="c-table">
            <thead>
              <tr>
                <th>问卷</th>
                <th>版本</th>
                <th>标题</th>
                <th className="num">题数</th>
                <th>来源</th>
                <th>预览（手机页面 · 电脑端）</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={`${r.id}-${String(r.version)}`}>
                  <td>{r.label}</td>
                  <td className="c-mono">v{r.version}</td>
                  <td>{r.title}</td>
                  <td className="num">{r.questions}</td>
                  <td>{r.source === "file" ? "随平台提供" : `后台发布（${r.publishedBy ?? ""}，${beijingTime(r.publishedAt)}）`}</td>
                  <td className="c-nowrap">
                    <a href={`/admin/preview/${r.id}/${String(r.version)}`} target="_blank" rel="noreferrer">
                      学校链接
                    </a>
                    {r.id === "social" ? (
                      <>
                        {" · "}
                        <a href={`/admin/preview/${r.id}/${String(r.version)}?link=county`} target="_blank" rel="noreferrer">
                          县级链接
                        </a>
                      </>
                    ) : null}
                    {" · "}
                    <a href={`/admin/preview/${r.id}/${String(r.version)}/full`} target="_blank" rel="noreferrer">
                      电脑端
                    </a>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
      <section className="c-card">
        <h2>发布新版本</h2>
        <p>
          上传 SurveyJS 问卷定义（JSON，含 <span className="c-mono">questionnaireId</span> 和 <span className="c-mono">version</span>）。平台按与 <span className="c-mono">npm run surveys:check</span> 相同的规则检查：能否加载、计分题是否齐全且选项为“满意 … 不了解”、身份题和年级题、显示条件只引用已有的题目或变量；版本号须大于当前最新版本。
        </p>
        {result && result.ok ? <div className="c-notice c-notice--ok">{result.message}</div> : null}
        {result && !result.ok ? (
          <div className="c-notice c-notice--error" role="alert">
            <strong>未发布：</strong>
            <ul className="c-list">
              {result.problems.map((p) => (
                <li key={p}>{p}</li>
              ))}
            </ul>
          </div>
        ) : null}
        <Form method="post" encType="multipart/form-data" className="c-form">
          <label className="c-field">
            <span>问卷定义文件（.json）</span>
            <input type="file" name="file" accept=".json,application/json" required />
          </label>
          <div>
            <button type="submit" className="c-button c-button--primary" disabled={busy}>
              检查并发布
            </button>
          </div>
        </Form>
      </section>
    </>
  );
}
