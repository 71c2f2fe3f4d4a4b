import { json, redirect, type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useNavigation, useSearchParams } from "@remix-run/react";
import { readSession } from "../../.server/auth/session";
import { safeNext, signIn } from "../../.server/auth/sign-in";
import consoleCss from "../../styles/console.css?url";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: consoleCss }];
export const meta: MetaFunction = () => [{ title: "登录 · 优质均衡调查评估管理后台" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const principal = await readSession(context.services, request);
  if (principal) throw redirect(safeNext(new URL(request.url).searchParams.get("next")));
  return json(null, { headers: { "Cache-Control": "no-store" } });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await request.formData();
  const text = (name: string) => {
    const v = form.get(name);
    return typeof v === "string" ? v : "";
  };
  const outcome = await signIn(context.services, {
    username: text("username"),
    password: text("password"),
    clientAddress: context.clientAddress,
  });
  if (outcome.ok) {
    return redirect(safeNext(text("next") || null), { headers: { "Set-Cookie": outcome.setCookie, "Cache-Control": "no-store" } });
  }
  return json(
    { error: outcome.message, username: text("username") },
    {
      status: outcome.status,
      headers: outcome.retryAfterSeconds ? { "Retry-After": String(outcome.retryAfterSeconds) } : {},
    },
  );
}

export default function Login() {
  const data = useActionData<typeof action>();
  const [params] = useSearchParams();
  const busy = useNavigation().state === "submitting";
  return (
    <div className="console">
      <main className="c-login">
        <div className="c-login__card">
          <h1>管理后台登录</h1>
          <p>义务教育优质均衡发展调查评估平台 · 市、县（区）教育局和学校使用</p>
          <Form method="post" className="c-form" replace>
            <input type="hidden" name="next" value={params.get("next") ?? ""} />
            <label className="c-field">
              <span>用户名</span>
              <input
                type="text"
                name="username"
                autoComplete="username"
                autoCapitalize="none"
                spellCheck={false}
                required
                defaultValue={data?.username ?? ""}
              />
            </label>
            <label className="c-field">
              <span>密码</span>
              <input type="password" name="password" autoComplete="current-password" required />
            </label>
            {data?.error ? (
              <p className="c-error" role="alert">
                {data.error}
              </p>
            ) : null}
            <button type="submit" className="c-button c-button--primary" disabled={busy}>
              {busy ? "正在登录…" : "登录"}
            </button>
          </Form>
        </div>
      </main>
    </div>
  );
}
