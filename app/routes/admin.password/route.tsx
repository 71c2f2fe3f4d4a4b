import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData } from "@remix-run/react";
import { requireActor, requirePrincipal } from "../../.server/auth/guard";
import { startSession } from "../../.server/auth/session";
import { changeOwnPassword } from "../../.server/console/accounts";
import { PASSWORD_MIN_LENGTH } from "../../domain/roles";

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requirePrincipal(request, context);
  return json(null);
}

export async function action({ request, context }: ActionFunctionArgs) {
  const principal = await requireActor(request, context);
  const form = await request.formData();
  const current = form.get("current");
  const next = form.get("next");
  const again = form.get("again");
  if (typeof current !== "string" || typeof next !== "string" || next !== again) {
    return json({ message: "两次输入的新密码不一致" }, { status: 400 });
  }
  const result = await changeOwnPassword(context.services, principal, current, next, context.clientAddress);
  if (!result.ok) {
    if (result.retryAfterSeconds !== undefined) {
      return json({ message: result.message }, { status: 429, headers: { "Retry-After": String(result.retryAfterSeconds) } });
    }
    return json({ message: result.message }, { status: 400 });
  }
  // Every session of the account ended with the change; this one continues with a new session.
  const setCookie = await startSession(context.services, principal.accountId);
  return redirect("/admin?password=changed", { headers: { "Set-Cookie": setCookie } });
}

export default function ChangePassword() {
  const data = useActionData<typeof action>();
  return (
    <>
      <h1 className="c-title">修改密码</h1>
      <p className="c-subtitle">修改后，您在其他电脑或手机上的登录将全部失效。</p>
      <section className="c-card">
        <Form method="post" className="c-form">
          <label className="c-field">
            <span>当前密码</span>
            <input type="password" name="current" autoComplete="current-password" required />
          </label>
          <label className="c-field">
            <span>新密码</span>
            <input type="password" name="next" autoComplete="new-password" minLength={PASSWORD_MIN_LENGTH} required />
            <small>至少 {PASSWORD_MIN_LENGTH} 个字符</small>
          </label>
          <label className="c-field">
            <span>再次输入新密码</span>
            <input type="password" name="again" autoComplete="new-password" minLength={PASSWORD_MIN_LENGTH} required />
          </label>
          {data ? <p className="c-error">{data.message}</p> : null}
          <div>
            <button type="submit" className="c-button c-button--primary">
              修改密码
            </button>
          </div>
        </Form>
      </section>
    </>
  );
}
