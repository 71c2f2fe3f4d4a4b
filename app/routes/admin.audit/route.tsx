import { json, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { requirePrincipal, requireRole } from "../../.server/auth/guard";
import { auditEntries, auditHead } from "../../.server/console/audit";
import { AuditHead } from "../../components/console/audit-head";
import { beijingTime } from "../../components/console/format";
import { AUDIT_ACTIONS, auditActionLabel, describeAuditDetail } from "../../domain/audit-actions";

const PAGE = 50;

export async function loader({ request, context }: LoaderFunctionArgs) {
  const principal = await requirePrincipal(request, context);
  requireRole(principal, "city");
  const url = new URL(request.url);
  const action = url.searchParams.get("action") || null;
  const username = url.searchParams.get("username")?.trim().toLowerCase() || null;
  const before = Number(url.searchParams.get("before"));
  const [entries, head] = await Promise.all([
    auditEntries(context.services, {
      action: action && Object.hasOwn(AUDIT_ACTIONS, action) ? action : null,
      username,
      beforeId: Number.isInteger(before) && before > 0 ? before : null,
      limit: PAGE + 1,
    }),
    auditHead(context.services),
  ]);
  return json({ entries: entries.slice(0, PAGE), more: entries.length > PAGE, action, username, head });
}

export default function AuditLog() {
  const { entries, more, action, username, head } = useLoaderData<typeof loader>();
  const last = entries.at(-1);
  const query = (before: number) => {
    const p = new URLSearchParams();
    if (action) p.set("action", action);
    if (username) p.set("username", username);
    p.set("before", String(before));
    return `?${p.toString()}`;
  };
  return (
    <>
      <h1 className="c-title">操作日志</h1>
      <p className="c-subtitle">
        登录、导入、导出、问卷审核和调查活动的每次变更都记录在此（含操作来源的网络地址），长期保存（至少六个月），任何人不能删除或修改。因尝试过多被拒绝的登录，同一账号在同一限制时段内合并为一行，并注明次数。
      </p>
      <section className="c-card">
        <AuditHead head={head} className="" />
        <p className="c-card__note">
          每条记录都带有前一条记录的哈希，连成一条链。管理员可在服务器上运行 <span className="c-mono">npm run audit:verify</span> 核对全链；加上{" "}
          <span className="c-mono">-- --head 短哈希</span> 可核对此前打印在报告上的链头是否仍在日志中。
        </p>
      </section>
      <section className="c-card">
        <Form method="get" className="c-inline-form">
          <select name="action" className="c-input" defaultValue={action ?? ""} aria-label="操作类型">
            <option value="">全部操作</option>
            {Object.entries(AUDIT_ACTIONS).map(([code, label]) => (
              <option key={code} value={code}>
                {label}
              </option>
            ))}
          </select>
          <input type="search" name="username" className="c-input" placeholder="用户名" defaultValue={username ?? ""} aria-label="用户名" />
          <button type="submit" className="c-button">
            筛选
          </button>
        </Form>
      </section>
      <section className="c-card">
        <div className="c-table-wrap">
          <table className="c-table c-table--cards">
            <thead>
              <tr>
                <th>时间</th>
                <th>账号</th>
                <th>操作</th>
                <th>对象</th>
                <th>调查活动 / 县（区）</th>
                <th>地址</th>
                <th>详情</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((e) => (
                <tr key={e.id}>
                  <td className="c-nowrap">{beijingTime(e.at)}</td>
                  <td className="c-mono c-nowrap" data-label="账号">
                    {e.username ?? "（命令行或未登录）"}
                  </td>
                  <td className="c-nowrap c-key">{auditActionLabel(e.action)}</td>
                  <td data-label="对象">{e.subject ?? ""}</td>
                  <td className="c-nowrap" data-label="调查活动 / 县（区）">
                    {[e.campaignId, e.countyId].filter(Boolean).join(" / ")}
                  </td>
                  <td className="c-mono c-nowrap" data-label="地址">
                    {e.clientAddress ?? ""}
                  </td>
                  <td className="c-muted c-block">
                    {[describeAuditDetail(e.detail), e.repeats > 1 && e.lastAt !== null ? `共 ${String(e.repeats)} 次，最后一次 ${beijingTime(e.lastAt)}` : ""]
                      .filter(Boolean)
                      .join("；")}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {entries.length === 0 ? <p className="c-muted">没有符合条件的记录。</p> : null}
        <div className="c-pager">{more && last ? <Link to={query(last.id)}>更早的记录 →</Link> : null}</div>
      </section>
    </>
  );
}
