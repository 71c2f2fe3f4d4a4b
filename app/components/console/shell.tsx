/**
 * The console frame: top bar with the signed-in person and 退出, a side navigation (a scrolling
 * strip at phone width), and the page. Server-rendered; works before scripts load.
 */
import { Form, NavLink } from "@remix-run/react";
import type { ReactNode } from "react";
import { ROLE_LABELS, type Principal } from "../../domain/roles";

export interface NavItem {
  to: string;
  label: string;
  end?: boolean;
}

/** The navigation a role sees (the server refuses the rest anyway). */
export function navFor(principal: Principal): NavItem[] {
  const items: NavItem[] = [
    { to: "/admin", label: "首页", end: true },
    { to: "/admin/campaigns", label: "调查活动" },
  ];
  if (principal.role === "city") {
    items.push({ to: "/admin/questionnaires", label: "问卷版本" }, { to: "/admin/accounts", label: "账号管理" }, { to: "/admin/audit", label: "操作日志" });
  } else if (principal.role === "county") {
    items.push({ to: "/admin/accounts", label: "学校账号" });
  }
  items.push({ to: "/admin/password", label: "修改密码" });
  return items;
}

export function ConsoleShell(props: { principal: Principal; children: ReactNode }) {
  const { principal } = props;
  return (
    <div className="console">
      <header className="console-top">
        <a className="console-top__brand" href="/admin">
          优质均衡调查评估 · 管理后台
        </a>
        <span className="console-top__spacer" />
        <span className="console-top__user">
          {principal.displayName}（{ROLE_LABELS[principal.role]}）
        </span>
        <Form method="post" action="/logout" reloadDocument>
          <button type="submit" className="c-button c-button--small">
            退出
          </button>
        </Form>
      </header>
      <div className="console-body">
        <nav className="console-nav" aria-label="管理后台导航">
          <ul>
            {navFor(principal).map((item) => (
              <li key={item.to}>
                <NavLink to={item.to} end={item.end} prefetch="none" className={({ isActive }) => (isActive ? "active" : "")}>
                  {item.label}
                </NavLink>
              </li>
            ))}
          </ul>
        </nav>
        <main className="console-main">{props.children}</main>
      </div>
    </div>
  );
}
