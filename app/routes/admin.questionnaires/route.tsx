import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { readUpload } from "../../.server/multipart";
import { requireActor, requirePrincipal, requireRole } from "../../.server/auth/guard";
import { definitionRows, publishDefinition } from "../../.server/console/definitions";
import { beijingTime } from "../../components/console/format";
import { QUESTIONNAIRE_LABELS } from "../../domain/vocabulary";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const principal = await requirePrincipal(request, context);
  requireRole(principal, "city");
  return json({ rows: await definitionRows(context.services) });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const principal = await requireActor(request, context);
  requireRole(principal, "city");
  const upload = await readUpload(request, {
    field: "file",
    maxBytes: 2 * 1024 * 1024 + 64 * 1024,
    tooLarge: "文件超过 2 MB",
    missing: "请选择问卷定义文件（.json）",
  });
  if (!upload.ok) return json({ ok: false as const, problems: [upload.message] }, { status: upload.status });
  const result = await publishDefinition(context.services, principal, new TextDecoder().decode(upload.bytes));
  if (!result.ok) return json({ ok: false as const, problems: result.problems }, { status: 400 });
  return json({
    ok: true as const,
    message: `已发布${QUESTIONNAIRE_LABELS[result.id]} v${String(result.version)}。请先预览，再在“编辑调查活动”中选用这个版本，选用后即开始使用。`,
    id: result.id,
    version: result.version,
  });
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
          <table className="c-table c-table--cards">
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
                  <td className="c-mono c-key">v{r.version}</td>
                  <td data-label="标题">{r.title}</td>
                  <td className="num" data-label="题数">
                    {r.questions}
                  </td>
                  <td data-label="来源">{r.source === "file" ? "随平台提供" : `后台发布（${r.publishedBy ?? ""}，${beijingTime(r.publishedAt)}）`}</td>
                  <td className="c-nowrap" data-label="预览">
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
        <p>修改问卷（增删题目、改写题目文字）不能直接改已有版本，需要发布一个新版本：</p>
        <ol className="c-list">
          <li>请负责平台的技术人员按平台的问卷格式准备新版本的问卷文件（.json），版本号比当前最新版本大 1。</li>
          <li>
            在下面上传这个文件。平台先自动检查：文件能否打开，每道计分题是否齐全、选项是否为“满意、比较满意、基本满意、不满意、很不满意、不了解”，是否有身份题和年级题，题目的显示条件是否正确。检查不通过不会发布，并列出需要修改的地方。
          </li>
          <li>发布后先用上表的“预览”在手机上看一遍，再到“编辑调查活动”中选用新版本，家长、师生从这时起答新版本；已回收的问卷不受影响。</li>
        </ol>
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
