import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { forbidden, requireActor, requirePrincipal, requireRole } from "../../.server/auth/guard";
import { accountsPage, createAccount, resetPassword, setAccountDisabled } from "../../.server/console/accounts";
import { beijingTime } from "../../components/console/format";
import { PASSWORD_MIN_LENGTH, ROLE_LABELS, rolesManagedBy } from "../../domain/roles";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const principal = await requirePrincipal(request, context);
  requireRole(principal, "city", "county");
  return json({ me: principal.accountId, role: principal.role, roles: rolesManagedBy(principal), ...(await accountsPage(context.services, principal)) });
}

/** 200, or 400 for a refusal; an account outside the officer's authority is a 403 problem. */
function statusOf(result: { ok: true } | { ok: false; message: string; forbidden?: true }): number {
  if (result.ok) return 200;
  if (result.forbidden) throw forbidden(result.message);
  return 400;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const principal = await requireActor(request, context);
  requireRole(principal, "city", "county");
  const form = await request.formData();
  const field = (name: string) => {
    const v = form.get(name);
    return typeof v === "string" ? v : "";
  };
  const intent = field("intent");
  const services = context.services;
  if (intent === "create") {
    const result = await createAccount(
      services,
      principal,
      {
        username: field("username"),
        displayName: field("displayName"),
        role: field("role"),
        countyId: field("countyId"),
        schoolId: field("schoolId"),
        password: field("password"),
      },
      principal,
    );
    return json(result.ok ? { ok: true as const, message: `已创建账号 ${result.value.username}` } : { ok: false as const, message: result.message }, {
      status: statusOf(result),
    });
  }
  const accountId = Number(field("accountId"));
  if (!Number.isInteger(accountId) || accountId <= 0) return json({ ok: false as const, message: "账号不存在" }, { status: 400 });
  if (intent === "reset") {
    const result = await resetPassword(services, principal, accountId, field("password"), principal);
    return json(
      result.ok
        ? { ok: true as const, message: `已重置 ${result.value.username} 的密码，该账号需用新密码重新登录` }
        : { ok: false as const, message: result.message },
      {
        status: statusOf(result),
      },
    );
  }
  if (intent === "disable" || intent === "enable") {
    const result = await setAccountDisabled(services, principal, accountId, intent === "disable");
    return json(
      result.ok
        ? { ok: true as const, message: `已${intent === "disable" ? "停用" : "启用"} ${result.value.username}` }
        : { ok: false as const, message: result.message },
      {
        status: statusOf(result),
      },
    );
  }
  return json({ ok: false as const, message: "未知操作" }, { status: 400 });
}

export default function Accounts() {
  const { me, role, roles, accounts, counties, schools } = useLoaderData<typeof loader>();
  const city = role === "city";
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const countyName = (id: string | null) => counties.find((c) => c.id === id)?.name ?? "";
  const schoolName = (id: string | null) => schools.find((s) => s.id === id)?.name ?? "";
  return (
    <>
      <h1 className="c-title">{city ? "账号管理" : "学校账号"}</h1>
      <p className="c-subtitle">
        {city
          ? "市教育局管理员创建县（区）教育局和学校联络人的账号，并可重置密码或停用账号。"
          : `为${counties[0]?.name ?? "本县（区）"}各学校的联络人创建账号，并可重置密码或停用账号（学校人员变动时）。`}
        重置或停用后，该账号的登录立即失效。
      </p>
      {result ? (
        <div className={`c-notice ${result.ok ? "c-notice--ok" : "c-notice--error"}`} role="status">
          {result.message}
        </div>
      ) : null}
      <section className="c-card">
        <h2>
          {city ? "全部账号" : "本县（区）学校账号"}（{accounts.length}）
        </h2>
        {accounts.length === 0 ? (
          <p className="c-muted">还没有账号。请在下方新建。</p>
        ) : (
          <>
            <div className="c-table-wrap">
              <table className="c-table c-table--cards">
                <thead>
                  <tr>
                    <th>用户名</th>
                    <th>姓名或单位</th>
                    <th>角色</th>
                    <th>范围</th>
                    <th>状态</th>
                    <th>重置密码</th>
                    <th>停用/启用</th>
                  </tr>
                </thead>
                <tbody>
                  {accounts.map((a) => (
                    <tr key={a.id}>
                      <td className="c-mono">
                        {a.username} {a.isDemo ? <span className="c-badge c-badge--demo">演示</span> : null}
                      </td>
                      <td data-label="姓名或单位">{a.displayName}</td>
                      <td className="c-nowrap" data-label="角色">
                        {ROLE_LABELS[a.role]}
                      </td>
                      <td data-label="范围">
                        {a.role === "city"
                          ? "全部县（区）"
                          : a.role === "county"
                            ? countyName(a.countyId)
                            : `${countyName(a.countyId)} · ${schoolName(a.schoolId)}`}
                      </td>
                      <td className="c-nowrap c-key">
                        {a.disabledAt ? <span className="c-badge c-badge--fail">已停用</span> : <span className="c-badge c-badge--pass">可用</span>}
                      </td>
                      <td data-label="重置密码">
                        <Form method="post" className="c-inline-form c-nowrap" key={result?.ok ? `${result.message}-${String(a.id)}` : `reset-${String(a.id)}`}>
                          <input type="hidden" name="intent" value="reset" />
                          <input type="hidden" name="accountId" value={a.id} />
                          <input
                            className="c-input"
                            type="password"
                            name="password"
                            autoComplete="new-password"
                            placeholder={`新密码（至少${PASSWORD_MIN_LENGTH}位）`}
                            aria-label={`${a.username} 的新密码`}
                            required
                          />
                          <button type="submit" className="c-button c-button--small" disabled={busy}>
                            重置
                          </button>
                        </Form>
                      </td>
                      <td data-label="停用/启用">
                        {a.id === me ? (
                          <span className="c-muted">本人</span>
                        ) : (
                          <Form method="post" className="c-inline-form">
                            <input type="hidden" name="intent" value={a.disabledAt ? "enable" : "disable"} />
                            <input type="hidden" name="accountId" value={a.id} />
                            <button type="submit" className={`c-button c-button--small ${a.disabledAt ? "" : "c-button--danger"}`} disabled={busy}>
                              {a.disabledAt ? "启用" : "停用"}
                            </button>
                          </Form>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <p className="c-card__note">
              最近更新：{beijingTime(Math.max(0, ...accounts.map((a) => a.updatedAt)))}。账号只停用、不删除，操作日志中的记录始终可追溯。
            </p>
          </>
        )}
      </section>
      <section className="c-card">
        <h2>新建账号</h2>
        <Form method="post" className="c-form" key={result?.ok ? result.message : "create"}>
          <input type="hidden" name="intent" value="create" />
          <div className="c-row">
            <label className="c-field">
              <span>用户名</span>
              <input type="text" name="username" required autoCapitalize="none" spellCheck={false} pattern="[A-Za-z0-9][A-Za-z0-9._\-]{2,31}" />
              <small>3–32 位字母、数字或 . _ -</small>
            </label>
            <label className="c-field">
              <span>姓名或单位</span>
              <input type="text" name="displayName" required maxLength={40} />
            </label>
          </div>
          <div className="c-row">
            <label className="c-field">
              <span>角色</span>
              <select name="role" required defaultValue={roles.includes("county") ? "county" : "school"}>
                {roles.map((r) => (
                  <option key={r} value={r}>
                    {ROLE_LABELS[r]}
                  </option>
                ))}
              </select>
            </label>
            {city ? (
              <label className="c-field">
                <span>县（区）（县区账号）</span>
                <select name="countyId" defaultValue="">
                  <option value="">—</option>
                  {counties.map((c) => (
                    <option key={c.id} value={c.id}>
                      {c.name}
                    </option>
                  ))}
                </select>
              </label>
            ) : null}
            <label className="c-field">
              <span>学校（学校账号）</span>
              <select name="schoolId" defaultValue="">
                <option value="">—</option>
                {counties.map((c) => (
                  <optgroup key={c.id} label={c.name}>
                    {schools
                      .filter((s) => s.countyId === c.id)
                      .map((s) => (
                        <option key={s.id} value={s.id}>
                          {s.name}
                        </option>
                      ))}
                  </optgroup>
                ))}
              </select>
            </label>
          </div>
          <label className="c-field">
            <span>初始密码</span>
            <input type="password" name="password" required minLength={PASSWORD_MIN_LENGTH} autoComplete="new-password" />
            <small>至少 {PASSWORD_MIN_LENGTH} 个字符。请通过安全渠道告知本人。</small>
          </label>
          <div>
            <button type="submit" className="c-button c-button--primary" disabled={busy}>
              创建账号
            </button>
          </div>
        </Form>
      </section>
    </>
  );
}
