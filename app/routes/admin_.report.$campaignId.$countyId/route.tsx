/**
 * The printable county report (自评报告): 社会认可度 with its margin and 表Ⅵ, the items and
 * schools lowest first (small cells hidden), coverage against the plan, the verdict of the four
 * parts and the concrete shortfalls — one document for the bureau's meeting, A4.
 */
import { json, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { requirePrincipal } from "../../.server/auth/guard";
import { auditHead } from "../../.server/console/audit";
import { requireCampaignCounty } from "../../.server/console/campaigns";
import { countyCoverage } from "../../.server/console/coverage";
import { countyReadinessPage } from "../../.server/console/readiness";
import { countyDashboard } from "../../.server/console/satisfaction";
import { AuditHead } from "../../components/console/audit-head";
import { Chart } from "../../components/console/chart";
import { ConsoleProblem } from "../../components/console/console-error";
import { BreakdownTable, ItemsTable, ReleaseNotice, SatisfactionStatus, Table6 } from "../../components/console/figures";
import { beijingTime, count, moe, pct } from "../../components/console/format";
import { PrintButton } from "../../components/print-button";
import consoleCss from "../../styles/console.css?url";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: consoleCss }];
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.county.name}自评报告` : "自评报告" }];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const principal = await requirePrincipal(request, context);
  const scope = await requireCampaignCounty(context.services.db, principal, params.campaignId ?? "", params.countyId ?? "");
  const [dashboard, coverage, readiness, head] = await Promise.all([
    countyDashboard(context.services, scope.campaign, scope.county, null),
    countyCoverage(context.services, scope.campaign, scope.county),
    countyReadinessPage(context.services, scope.campaign, scope.county),
    auditHead(context.services),
  ]);
  return json({
    campaign: { name: scope.campaign.name, isDemo: scope.campaign.isDemo },
    county: scope.county,
    dashboard,
    coverage,
    readiness: { view: readiness.view, dataFile: readiness.dataFile },
    at: context.services.now(),
    auditHead: head,
  });
}

export default function Report() {
  const { campaign, county, dashboard, coverage, readiness, at, auditHead: head } = useLoaderData<typeof loader>();
  const v = dashboard.view;
  const r = readiness.view;
  return (
    <div className="console">
      <main className="console-main" style={{ margin: "0 auto", maxWidth: 980 }}>
        <div className="c-actions no-print">
          <PrintButton />
          <span className="c-muted">请用 A4 纸纵向打印；图表随页面打印。</span>
        </div>
        <h1 className="c-title">{county.name}义务教育优质均衡发展自评报告</h1>
        <p className="c-subtitle">
          {campaign.name}
          {campaign.isDemo ? "（演示数据）" : ""} · 生成时间 {beijingTime(at)}
        </p>
        <div className="c-notice c-notice--self">
          {dashboard.notice}。判定规则：{dashboard.ruleLabel}。
        </div>
        <ReleaseNotice text={dashboard.release} />

        {r ? (
          <section className="c-card">
            <h2>总体结论：{r.verdictLabel}</h2>
            <div className="c-table-wrap">
              <table className="c-table">
                <tbody>
                  {r.parts.map((p) => (
                    <tr key={p.key} className={p.status === "fail" ? "is-fail" : ""}>
                      <td>{p.label}</td>
                      <td className="rate">{p.statusLabel}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            {!readiness.dataFile ? <p className="c-card__note">未导入评估数据：资源配置、政府保障程度、教育质量未评估。</p> : null}
          </section>
        ) : null}

        <section className="c-card">
          <h2>
            社会认可度（自评） <SatisfactionStatus status={v.status} badge={dashboard.badge} />
          </h2>
          <p>
            综合满意度 <strong>{pct(v.overall.rate)}</strong>（{moe(v.overall.marginOfError)} 个百分点，95%置信水平），有效问卷 {count(v.overall.n)} 份，计划{" "}
            {count(v.sample.required)} 份；家长满意度 {pct(v.parents.rate)}（{count(v.parents.n)} 份）。
          </p>
          {dashboard.outlook ? (
            <p>
              <strong>{dashboard.outlook.summary}</strong>（按自评结果估计，不是保证）。真实满意比例的95%可信区间 {pct(dashboard.outlook.interval.low)}–
              {pct(dashboard.outlook.interval.high)}；{dashboard.outlook.safeLineText}；{dashboard.outlook.advice}。
            </p>
          ) : null}
          <Table6 table6={v.table6} head="表Ⅵ" />
        </section>

        <section className="c-card">
          <h2>各题满意度（从低到高）</h2>
          <Chart
            label="各题满意度"
            spec={{
              labels: v.items.map((i) => i.label),
              series: [{ name: "满意度", values: v.items.map((i) => (i.rate === null ? null : i.rate * 100)) }],
              line: { value: 85, label: "85%" },
              unit: "%",
              max: 100,
            }}
          />
          <ItemsTable rows={v.items} overall={v.overallItem} threshold={v.threshold} />
        </section>

        <section className="c-card">
          <h2>按调查对象</h2>
          <BreakdownTable rows={v.byGroup} threshold={v.threshold} head="调查对象" />
        </section>
        <section className="c-card">
          <h2>各校满意度（从低到高）</h2>
          <BreakdownTable rows={v.bySchool} threshold={v.threshold} head="学校" />
          <p className="c-card__note">不足5份问卷的学校及可借以推算它们的学校已隐藏。</p>
        </section>

        <section className="c-card">
          <h2>样本覆盖</h2>
          <p>
            有效问卷 {count(coverage.collected)} 份，计划 {count(coverage.required)} 份。{coverage.structure.text}
          </p>
          {coverage.cells.filter((c) => c.short).length > 0 ? (
            <ul className="c-list">
              {coverage.cells
                .filter((c) => c.short)
                .map((c) => (
                  <li key={`${c.dimension}-${c.key}`}>
                    {c.label}：计划 {count(c.required)} 份，已收 {count(c.collected)} 份，还差 {count(c.missing)} 份
                  </li>
                ))}
            </ul>
          ) : null}
        </section>

        {r && r.summary.length > 0 ? (
          <section className="c-card">
            <h2>达标还需要（整改清单）</h2>
            <ol className="c-list">
              {r.summary.map((s) => (
                <li key={s}>{s}</li>
              ))}
            </ol>
          </section>
        ) : null}
        <p style={{ marginTop: 40 }}>填报单位（盖章）：____________________　　负责人：____________　　日期：____________</p>
        <AuditHead head={head} />
      </main>
    </div>
  );
}

export function ErrorBoundary() {
  return <ConsoleProblem />;
}
