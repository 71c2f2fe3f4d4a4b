import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { requirePrincipal } from "../../.server/auth/guard";
import { requireCampaignCounty } from "../../.server/console/campaigns";
import { countyDashboard } from "../../.server/console/satisfaction";
import { Chart } from "../../components/console/chart";
import { BreakdownTable, Hidden, ItemsTable, ReleaseNotice, SatisfactionStatus, SelfAssessmentBadge, Table6 } from "../../components/console/figures";
import { count, moe, pct } from "../../components/console/format";
import { paths } from "../../components/console/paths";
import { WeightingLine } from "../../components/console/weighting";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.county.name} · 满意度 · 管理后台` : "满意度 · 管理后台" }];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const started = performance.now();
  const principal = await requirePrincipal(request, context);
  const scope = await requireCampaignCounty(context.services.db, principal, params.campaignId ?? "", params.countyId ?? "");
  const school = new URL(request.url).searchParams.get("school");
  const dashboard = await countyDashboard(context.services, scope.campaign, scope.county, school);
  return json(
    { campaignId: scope.campaign.id, county: scope.county, ...dashboard },
    { headers: { "Server-Timing": `dashboard;dur=${(performance.now() - started).toFixed(1)}`, "Cache-Control": "private, no-store" } },
  );
}

export default function CountySatisfaction() {
  const { campaignId, county, notice, ruleLabel, view, school, schools, flagged, invalid, release, outlook, badge, tone, weighting } =
    useLoaderData<typeof loader>();
  const t = view.threshold;
  const shownSchools = view.bySchool.filter((r) => r.rate !== null);
  return (
    <>
      <div className="c-notice c-notice--self">
        <SelfAssessmentBadge /> {notice}。判定规则：{ruleLabel}。误差范围为95%置信水平的正态近似（±百分点）。少于5份问卷的单元及可借以推算它们的单元均已隐藏。
      </div>
      <ReleaseNotice text={release} />
      <div className="c-kpis">
        <div className={`c-kpi ${tone ? `c-kpi--${tone}` : ""}`} data-testid="county-kpi">
          <div className="c-kpi__label">
            {county.name} 综合满意度 <SatisfactionStatus status={view.status} badge={badge} />
          </div>
          <div className="c-kpi__value" data-testid="county-rate">
            {pct(view.overall.rate)}
          </div>
          <div className="c-kpi__sub">
            {moe(view.overall.marginOfError)} 个百分点 · 95%区间{" "}
            {view.overall.wilson ? `${pct(view.overall.wilson.low)}–${pct(view.overall.wilson.high)}` : "—"}
          </div>
        </div>
        <div className={`c-kpi ${view.parents.rate === null ? "" : view.parents.rate >= t ? "c-kpi--pass" : "c-kpi--fail"}`}>
          <div className="c-kpi__label">家长满意度</div>
          <div className="c-kpi__value">{pct(view.parents.rate)}</div>
          <div className="c-kpi__sub">
            家长有效问卷 {count(view.parents.n)} 份 · {moe(view.parents.marginOfError)}
          </div>
        </div>
        <div className={`c-kpi ${view.sample.insufficient ? "c-kpi--warn" : ""}`}>
          <div className="c-kpi__label">样本量（有效问卷）</div>
          <div className="c-kpi__value" data-testid="county-n">
            {count(view.overall.n)}
          </div>
          <div className="c-kpi__sub">
            计划 {count(view.sample.required)} 份（常住人口1.5‰）{view.sample.insufficient ? " · 样本不足" : ""}
          </div>
        </div>
        <div className="c-kpi">
          <div className="c-kpi__label">问卷审核</div>
          <div className="c-kpi__value">{count(invalid)}</div>
          <div className="c-kpi__sub">
            已标记无效 · <Link to={paths.review(campaignId, county.id)}>{count(flagged)} 份有质量标记</Link>
          </div>
        </div>
      </div>

      {outlook ? (
        <div
          className={`c-notice ${outlook.tone === "pass" ? "c-notice--ok" : outlook.tone === "warn" ? "c-notice--warn" : "c-notice--error"}`}
          data-testid="pass-outlook-summary"
        >
          <strong>{outlook.summary}</strong>（自评估计，不是保证）。{outlook.safeLineText}。详见{" "}
          <Link to={paths.readiness(campaignId, county.id)}>达标评估</Link>。
        </div>
      ) : null}
      {weighting ? <WeightingLine weighting={weighting} href={paths.readiness(campaignId, county.id)} /> : null}

      {view.reasons.length > 0 || view.shortfalls.length > 0 ? (
        <section className={`c-notice ${view.status === "pass" ? "" : "c-notice--warn"}`}>
          <strong>{view.status === "pass" ? "样本计划中仍不足的单元：" : "距离达标："}</strong>
          <ul className="c-list">
            {[...view.reasons, ...view.shortfalls].map((r) => (
              <li key={r}>{r}</li>
            ))}
          </ul>
        </section>
      ) : null}

      <div className="c-grid c-grid--2">
        <section className="c-card">
          <h2>申报表 表Ⅵ 社会认可度</h2>
          <Table6 table6={view.table6} />
          <p className="c-card__note">问卷总数含已标记无效的问卷；满意度按有效问卷计算。</p>
        </section>
        <section className="c-card">
          <h2>按调查对象</h2>
          <BreakdownTable rows={view.byGroup} threshold={t} head="调查对象" />
        </section>
      </div>

      <section className="c-card">
        <header>
          <h2>各题满意度（从低到高：优先整改）</h2>
          <span className="c-muted">满意+比较满意占作答的比例，不了解不计入</span>
        </header>
        <Chart
          label="各题满意度"
          spec={{
            labels: view.items.map((r) => r.label),
            series: [{ name: "满意度", values: view.items.map((r) => (r.rate === null ? null : r.rate * 100)) }],
            line: { value: t * 100, label: "85%" },
            unit: "%",
            max: 100,
          }}
        />
        <ItemsTable rows={view.items} overall={view.overallItem} threshold={t} />
      </section>

      <section className="c-card">
        <h2>各题 × 调查对象</h2>
        <div className="c-table-wrap">
          <table className="c-table c-table--cards c-table--cards2">
            <thead>
              <tr>
                <th>题目</th>
                {view.itemsByGroup.groups.map((g) => (
                  <th key={g.key} className="num">
                    {g.label}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {view.itemsByGroup.rows.map((row) => (
                <tr key={row.itemId} className={row.itemId === "overall" ? "is-total" : ""}>
                  <td>{row.label}</td>
                  {row.cells.map((c, i) => (
                    <td
                      key={view.itemsByGroup.groups[i]?.key ?? i}
                      className={`num ${c.below ? "is-fail" : ""}`}
                      data-label={view.itemsByGroup.groups[i]?.label}
                    >
                      {c.suppressed ? <Hidden kind={c.suppressed} /> : pct(c.rate)}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      <section className="c-card">
        <header>
          <h2>各校满意度（从低到高）</h2>
          <Form method="get" className="c-inline-form no-print">
            <select name="school" className="c-input" defaultValue={school?.id ?? ""} aria-label="查看学校的各题满意度">
              <option value="">查看某校各题…</option>
              {schools.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name}
                </option>
              ))}
            </select>
            <button type="submit" className="c-button c-button--small">
              查看
            </button>
          </Form>
        </header>
        {shownSchools.length > 0 ? (
          <Chart
            label="各校满意度"
            spec={{
              labels: shownSchools.map((r) => r.label),
              series: [{ name: "满意度", values: shownSchools.map((r) => (r.rate === null ? null : r.rate * 100)) }],
              line: { value: t * 100, label: "85%" },
              unit: "%",
              max: 100,
            }}
          />
        ) : null}
        <BreakdownTable
          rows={view.bySchool}
          threshold={t}
          head="学校"
          linkOf={(r) => (r.key.startsWith("__") ? null : `?school=${encodeURIComponent(r.key)}#school-items`)}
        />
      </section>

      {school ? (
        <section className="c-card" id="school-items">
          <h2>{school.name}：各题满意度（从低到高）</h2>
          <ItemsTable
            rows={school.items.filter((r) => r.itemId !== "overall")}
            overall={school.items.find((r) => r.itemId === "overall") ?? null}
            threshold={t}
          />
        </section>
      ) : null}

      <section className="c-card">
        <h2>学校 × 调查对象</h2>
        <div className="c-table-wrap">
          <table className="c-table c-table--cards c-table--cards2">
            <thead>
              <tr>
                <th>学校</th>
                {view.schoolGroups.groups.map((g) => (
                  <th key={g.key} className="num">
                    {g.label}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {view.schoolGroups.rows.map((row) => (
                <tr key={row.key}>
                  <td>{row.label}</td>
                  {row.cells.map((c, i) => (
                    <td key={c.key} className={`num ${c.below ? "is-fail" : ""}`} data-label={view.schoolGroups.groups[i]?.label}>
                      {c.suppressed ? <Hidden kind={c.suppressed} /> : c.n === 0 ? <span className="c-muted">—</span> : `${pct(c.rate)}（${count(c.n)}）`}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <p className="c-card__note">
          括号内为有效问卷数。“已隐藏”有两种：不足5份问卷的格子，为保护作答者隐私不显示；问卷虽有5份以上、但能借行、列合计推算出不足5份的格子的，为防止推算出不足5份的类别，此数据一并隐藏（把鼠标停在“已隐藏”上可看原因）。
        </p>
      </section>

      <div className="c-grid c-grid--2">
        <section className="c-card">
          <h2>按城区/镇区/乡村</h2>
          <BreakdownTable rows={view.byLocation} threshold={t} head="学校所在地" />
        </section>
        <section className="c-card">
          <h2>按年级</h2>
          <BreakdownTable rows={view.byGrade} threshold={t} head="年级" withBar={false} />
        </section>
      </div>
      <p className="c-muted">
        意见建议见 <Link to={paths.comments(campaignId, county.id)}>意见建议</Link>；表Ⅵ等报表见{" "}
        <Link to={paths.exports(campaignId, county.id)}>导出与报告</Link>。
      </p>
    </>
  );
}
