import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData, useRevalidator } from "@remix-run/react";
import { ReleaseNotice } from "../../components/console/figures";
import { useEffect } from "react";
import { requirePrincipal } from "../../.server/auth/guard";
import { requireCampaignCounty } from "../../.server/console/campaigns";
import { countyCoverage } from "../../.server/console/coverage";
import { countyCounts } from "../../.server/console/satisfaction";
import { countyShortfall } from "../../.server/console/shortfall";
import { Chart } from "../../components/console/chart";
import { count, pct } from "../../components/console/format";
import { paths } from "../../components/console/paths";
import { CountyShortfallList } from "../../components/console/shortfall";
import type { CoverageCell } from "../../domain/sample-plan";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.county.name} · 样本覆盖 · 管理后台` : "样本覆盖" }];

/** Seconds between refreshes while the page is open and visible. */
const LIVE_SECONDS = 30;

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const principal = await requirePrincipal(request, context);
  const scope = await requireCampaignCounty(context.services.db, principal, params.campaignId ?? "", params.countyId ?? "");
  // One read of the counts for both: the shortfall is the coverage's school targets, still owed.
  const counts = await countyCounts(context.services, scope.campaign, scope.county, false);
  const coverage = await countyCoverage(context.services, scope.campaign, scope.county, counts);
  const shortfall = await countyShortfall(context.services, scope.campaign, scope.county, counts);
  return json(
    { campaignId: scope.campaign.id, county: scope.county, coverage, shortfall, at: context.services.now() },
    { headers: { "Cache-Control": "private, no-store" } },
  );
}

function useLiveRefresh(seconds: number) {
  const { revalidate, state } = useRevalidator();
  useEffect(() => {
    const id = window.setInterval(() => {
      if (document.visibilityState === "visible" && state === "idle") revalidate();
    }, seconds * 1000);
    return () => window.clearInterval(id);
  }, [revalidate, state, seconds]);
}

function Cell({ v, label }: { v: { collected: number; target: number; short: boolean } | null; label: string }) {
  if (!v)
    return (
      <td className="num c-muted" data-label={label}>
        —
      </td>
    );
  return (
    <td className={`num ${v.short ? "is-short" : ""}`} title={v.short ? "低于应收份数（容差10%）" : undefined} data-label={label}>
      {count(v.collected)} / {count(v.target)}
    </td>
  );
}

const DIMENSIONS: Array<[CoverageCell["dimension"], string]> = [
  ["group", "调查对象"],
  ["location", "城区/镇区/乡村（家长、学生、教师、校长）"],
  ["student_grade", "学生年级"],
  ["parent_grade", "家长（按子女年级）"],
];

export default function Coverage() {
  const { campaignId, county, coverage, shortfall, at } = useLoaderData<typeof loader>();
  useLiveRefresh(LIVE_SECONDS);
  const groups = coverage.cells.filter((c) => c.dimension === "group");
  const total = coverage.cells.find((c) => c.dimension === "total");
  return (
    <>
      <ReleaseNotice text={coverage.release} />
      <div
        className={`c-notice ${coverage.structure.tone === "ok" ? "c-notice--ok" : coverage.structure.tone === "warn" ? "c-notice--warn" : ""}`}
        role="status"
        data-testid="structure-banner"
      >
        {county.name}：有效问卷 <strong>{count(coverage.collected)}</strong> 份
        {coverage.required !== null ? `，计划 ${count(coverage.required)} 份（常住人口的1.5‰）` : ""}。{coverage.structure.text}{" "}
        <span className="c-muted">
          每 {LIVE_SECONDS} 秒自动刷新 · {new Date(at).toLocaleTimeString("zh-CN", { timeZone: "Asia/Shanghai", hour12: false })}
        </span>
      </div>

      <CountyShortfallList view={shortfall} schoolHref={(id) => paths.school(campaignId, id)} />

      {total ? (
        <section className="c-card">
          <h2>按调查对象：已收 / 计划</h2>
          <Chart
            label="各调查对象已收与计划份数"
            spec={{
              labels: groups.map((g) => g.label),
              series: [
                { name: "已收有效问卷", values: groups.map((g) => g.collected) },
                { name: "计划", values: groups.map((g) => g.required), color: "#c4cad3" },
              ],
              unit: "",
              decimals: 0,
            }}
          />
        </section>
      ) : null}

      <div className="c-grid c-grid--2">
        {DIMENSIONS.map(([dimension, title]) => {
          const cells = coverage.cells.filter((c) => c.dimension === dimension);
          if (cells.length === 0) return null;
          return (
            <section className="c-card" key={dimension}>
              <h2>{title}</h2>
              <div className="c-table-wrap">
                <table className="c-table c-table--cards c-table--cards2">
                  <thead>
                    <tr>
                      <th>单元</th>
                      <th className="num">计划</th>
                      <th className="num">已收</th>
                      <th className="num">还差</th>
                    </tr>
                  </thead>
                  <tbody>
                    {cells.map((c) => (
                      <tr key={c.key} className={c.short ? "is-short" : ""}>
                        <td>
                          {c.label}
                          {c.short ? (
                            <span className="c-badge c-badge--warn" style={{ marginLeft: 6 }}>
                              不足
                            </span>
                          ) : null}
                        </td>
                        <td className="num" data-label="计划">
                          {count(c.required)}
                        </td>
                        <td className="num" data-label="已收">
                          {count(c.collected)}
                        </td>
                        <td className="num c-key" data-label="还差">
                          {c.missing > 0 ? count(c.missing) : "—"}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </section>
          );
        })}
      </div>

      <section className="c-card">
        <h2>各校回收情况（已收 / 应收）</h2>
        <div className="c-table-wrap">
          <table className="c-table c-table--cards">
            <thead>
              <tr>
                <th>学校</th>
                <th>城乡</th>
                <th className="num">在校生</th>
                <th className="num">家长卷</th>
                <th className="num">学生卷</th>
                <th className="num">校长教师卷</th>
                <th className="num">家长参与率</th>
                <th className="num">无效</th>
                <th className="num">有标记</th>
              </tr>
            </thead>
            <tbody>
              {coverage.schools.map((s) => (
                <tr key={s.id}>
                  <td>{s.name}</td>
                  <td className="c-nowrap c-key" data-label="城乡">
                    {s.location}
                  </td>
                  <td className="num" data-label="在校生">
                    {count(s.pupils)}
                    {s.enrolmentNote ? <span className="c-row-note">{s.enrolmentNote}</span> : null}
                  </td>
                  <Cell v={s.parent} label="家长卷（已收/应收）" />
                  <Cell v={s.student} label="学生卷（已收/应收）" />
                  <Cell v={s.staff} label="校长教师卷（已收/应收）" />
                  <td className="num" data-label="家长参与率">
                    {pct(s.participation, 1)}
                  </td>
                  <td className="num" data-label="无效">
                    {count(s.invalid)}
                  </td>
                  <td className="num" data-label="有标记">
                    {count(s.flagged)}
                  </td>
                </tr>
              ))}
              <tr className="is-total">
                <td colSpan={3}>
                  县级链接（人大代表 {count(coverage.countyLink.deputy)}、政协委员 {count(coverage.countyLink.cppcc)}、其他群众{" "}
                  {count(coverage.countyLink.public)}）
                </td>
                <td className="num" colSpan={6} data-label="县级链接合计">
                  {count(coverage.countyLink.total)} 份
                </td>
              </tr>
            </tbody>
          </table>
        </div>
        <p className="c-card__note">
          应收：县（区）计划按在校生人数分配到各校。黄色底色表示低于应收份数的90%。{coverage.lastSubmittedNote}。家长参与率 = 家长卷 ÷
          在校生。在校生取自学校名单（按它分配样本）；评估数据中的在校生与之不同的学校已在数字下注明，达标评估按评估数据计算。
        </p>
      </section>
    </>
  );
}
