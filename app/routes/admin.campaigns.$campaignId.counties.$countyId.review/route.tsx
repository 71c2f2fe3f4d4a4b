import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { gradeLabel } from "../../domain/grade-label";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { requireActor, requirePrincipal, requireRole } from "../../.server/auth/guard";
import { requireCampaignCounty } from "../../.server/console/campaigns";
import { changeValidity, countyReview } from "../../.server/console/review";
import { beijingTime, count } from "../../components/console/format";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.county.name} · 问卷审核 · 管理后台` : "问卷审核" }];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const principal = await requirePrincipal(request, context);
  const scope = await requireCampaignCounty(context.services.db, principal, params.campaignId ?? "", params.countyId ?? "");
  const url = new URL(request.url);
  const kind = url.searchParams.get("show") === "invalid" ? "invalid" : "flagged";
  const before = Number(url.searchParams.get("before"));
  const review = await countyReview(
    context.services,
    scope.campaign,
    scope.county,
    {
      kind,
      link: url.searchParams.get("link"),
      beforeId: Number.isInteger(before) && before > 0 ? before : null,
    },
    principal,
  );
  return json({ county: scope.county, ...review });
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const principal = await requireActor(request, context);
  requireRole(principal, "city", "county");
  const scope = await requireCampaignCounty(context.services.db, principal, params.campaignId ?? "", params.countyId ?? "");
  const form = await request.formData();
  const intent = form.get("intent");
  const ids = form
    .getAll("id")
    .map((v) => Number(v))
    .filter((n) => Number.isInteger(n) && n > 0);
  const reasonChoice = String(form.get("reason") ?? "");
  const reasonOther = String(form.get("reasonOther") ?? "");
  // Restoring takes only the free-text note; the list of reasons is for marking invalid.
  const reason = intent !== "invalidate" ? reasonOther : reasonChoice === "other" ? reasonOther : reasonChoice || reasonOther;
  const result = await changeValidity(context.services, principal, scope.campaign, scope.county, ids, intent === "invalidate", reason);
  if (!result.ok) return json({ ok: false as const, message: result.message }, { status: 400 });
  const verb = intent === "invalidate" ? "标记为无效" : "恢复为有效";
  return json({
    ok: true as const,
    message: `已将 ${String(result.changed.length)} 份问卷${verb}${result.skipped.length > 0 ? `（${String(result.skipped.length)} 份未变化或不在本县范围内）` : ""}。满意度已按新结果更新。${
      result.withheld.length > 0
        ? `另有 ${String(result.withheld.length)} 份问卷所在学校此类调查对象不足5份，为保护作答人，县（区）账号不能处理，请联系市级管理员。`
        : ""
    }`,
  });
}

export default function Review() {
  const { links, flagTotals, items, more, kind, reasons } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [params] = useSearchParams();
  const busy = useNavigation().state === "submitting";
  const link = params.get("link");
  const last = items.at(-1);
  const q = (over: Record<string, string | null>) => {
    const p = new URLSearchParams(params);
    for (const [k, v] of Object.entries(over)) {
      if (v === null) p.delete(k);
      else p.set(k, v);
    }
    return `?${p.toString()}`;
  };
  return (
    <>
      {result ? (
        <div className={`c-notice ${result.ok ? "c-notice--ok" : "c-notice--error"}`} role="status">
          {result.message}
        </div>
      ) : null}
      <div className="c-grid c-grid--2">
        <section className="c-card">
          <h2>有质量标记的问卷（按学校和链接）</h2>
          <p className="c-muted">标记（作答过快、所有题目同一选项、集中提交、疑似重复提交等）只是提示，不会自动作废问卷。请结合情况逐份判断。</p>
          <div className="c-table-wrap">
            <table className="c-table c-table--cards">
              <thead>
                <tr>
                  <th>学校 · 问卷</th>
                  <th className="num">有标记</th>
                  <th className="num">其中已无效</th>
                </tr>
              </thead>
              <tbody>
                {links.map((l) => (
                  <tr key={l.key} className={link === l.key ? "is-total" : ""}>
                    <td>
                      <Link to={q({ link: l.key, before: null, show: null })}>{l.label}</Link>
                    </td>
                    <td className="num c-key" data-label="有标记">
                      {count(l.flagged)}
                    </td>
                    <td className="num" data-label="其中已无效">
                      {count(l.invalid)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {links.length === 0 ? <p className="c-muted">没有带质量标记的问卷。</p> : null}
          {flagTotals.length > 0 ? (
            <>
              <h3>按标记统计（一份问卷可有多个标记）</h3>
              <ul className="c-list" aria-label="按标记统计">
                {flagTotals.map((f) => (
                  <li key={f.flag}>
                    {f.label}：<strong>{count(f.count)}</strong> 份
                  </li>
                ))}
              </ul>
            </>
          ) : null}
        </section>
        <section className="c-card">
          <h2>查看</h2>
          <div className="c-actions">
            <Link className={`c-button ${kind === "flagged" && !link ? "c-button--primary" : ""}`} to="?">
              全部有标记的问卷
            </Link>
            <Link className={`c-button ${kind === "invalid" ? "c-button--primary" : ""}`} to="?show=invalid">
              已标记无效的问卷
            </Link>
          </div>
          <p className="c-muted">标记无效的问卷不计入满意度和样本量，但不会删除；随时可以恢复。每次操作都记录在操作日志中。</p>
        </section>
      </div>

      <section className="c-card">
        <h2>{kind === "invalid" ? "已标记无效的问卷" : link ? `有标记的问卷：${links.find((l) => l.key === link)?.label ?? ""}` : "有标记的问卷"}</h2>
        {/* A new form after each change, so no box stays ticked for the next click. */}
        <Form method="post" key={result ? `${result.message}-${String(items.length)}` : "review"}>
          <div className="c-table-wrap">
            <table className="c-table c-table--cards">
              <thead>
                <tr>
                  <th>
                    <span className="c-muted">选择</span>
                  </th>
                  <th>编号</th>
                  <th>学校 · 问卷</th>
                  <th>对象</th>
                  <th>提交时间</th>
                  <th className="num">用时</th>
                  <th>标记</th>
                  <th>总体评价</th>
                  <th>各题得分（5=满意，?=不了解）</th>
                  <th>状态</th>
                </tr>
              </thead>
              <tbody>
                {items.map((r) => (
                  <tr key={r.id}>
                    <td className="c-lead">
                      <input type="checkbox" name="id" value={r.id} disabled={r.withheld !== null} aria-label={`选择问卷 #${String(r.id)}`} />
                    </td>
                    <td className="c-mono c-nowrap c-name">#{r.id}</td>
                    <td data-label="学校 · 问卷">{r.link}</td>
                    <td className="c-nowrap" data-label="对象">
                      {r.group}
                      {r.grade !== null ? ` · ${gradeLabel(r.grade)}` : ""}
                    </td>
                    <td className="c-nowrap" data-label="提交时间">
                      {beijingTime(r.submittedAt)}
                    </td>
                    <td className="num c-soon" data-label="用时">
                      {r.minutes < 1 ? `${String(Math.round(r.minutes * 60))} 秒` : `${r.minutes.toFixed(1)} 分`}
                    </td>
                    <td className="c-soon" data-label="标记">
                      {r.flags.map((f) => (
                        <span key={f} className="c-badge c-badge--warn" style={{ marginRight: 4 }}>
                          {f}
                        </span>
                      ))}
                    </td>
                    {r.withheld ? (
                      <td colSpan={2} className="c-muted c-soon c-block" data-label="总体评价 · 各题得分">
                        {r.withheld}
                      </td>
                    ) : (
                      <>
                        <td className="c-nowrap c-soon" data-label="总体评价">
                          {r.overall}
                        </td>
                        <td className="c-mono c-soon c-block" data-label="各题得分（5=满意，?=不了解）">
                          {r.scores}
                        </td>
                      </>
                    )}
                    <td className="c-key">
                      {r.invalid ? (
                        <span title={r.invalid.reason ?? ""}>
                          <span className="c-badge c-badge--fail">无效</span> {r.invalid.reason}
                        </span>
                      ) : (
                        <span className="c-badge c-badge--pass">有效</span>
                      )}
                      {r.history.length > 0 ? (
                        <details className="c-details">
                          <summary>记录</summary>
                          <ul className="c-list">
                            {r.history.map((h) => (
                              <li key={`${String(h.at)}-${h.action}`}>
                                {beijingTime(h.at)} {h.username ?? ""} {h.action === "invalidate" ? "标记无效" : "恢复有效"}：{h.reason}
                              </li>
                            ))}
                          </ul>
                        </details>
                      ) : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {items.length === 0 ? <p className="c-muted">没有问卷。</p> : null}
          {items.length > 0 ? (
            <div className="c-card" style={{ marginTop: 12, background: "var(--c-bg)" }}>
              <div className="c-row">
                <label className="c-field">
                  <span>原因</span>
                  <select name="reason" defaultValue={reasons[0]}>
                    {reasons.map((r) => (
                      <option key={r} value={r}>
                        {r}
                      </option>
                    ))}
                    <option value="other">其他（请在右侧填写）</option>
                  </select>
                </label>
                <label className="c-field">
                  <span>其他原因或备注</span>
                  <input type="text" name="reasonOther" maxLength={200} />
                </label>
              </div>
              <div className="c-actions" style={{ marginTop: 12, marginBottom: 0 }}>
                <button type="submit" name="intent" value="invalidate" className="c-button c-button--danger" disabled={busy}>
                  将选中的问卷标记为无效
                </button>
                <button type="submit" name="intent" value="restore" className="c-button" disabled={busy}>
                  将选中的问卷恢复为有效
                </button>
              </div>
            </div>
          ) : null}
        </Form>
        <div className="c-pager">{more && last ? <Link to={q({ before: String(last.id) })}>更多 →</Link> : null}</div>
      </section>
    </>
  );
}
