import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requirePrincipal } from "../../.server/auth/guard";
import { requireCampaignCounty } from "../../.server/console/campaigns";
import { countyReadinessPage } from "../../.server/console/readiness";
import { beijingTime, count, fixed, pct } from "../../components/console/format";
import { paths } from "../../components/console/paths";
import { PassOutlookCard, StructureNotice, toneClass } from "../../components/console/pass-outlook";
import { ChangeDetails, PartBadge, UnitIndicators, VerdictBadge } from "../../components/console/readiness";
import { CvSection } from "../../components/console/readiness-cvs";
import { WeightingCard } from "../../components/console/weighting";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.county.name} · 达标评估 · 管理后台` : "达标评估" }];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const principal = await requirePrincipal(request, context);
  const scope = await requireCampaignCounty(context.services.db, principal, params.campaignId ?? "", params.countyId ?? "");
  const page = await countyReadinessPage(context.services, scope.campaign, scope.county);
  return json({ campaignId: scope.campaign.id, county: scope.county, role: principal.role, ...page });
}

export default function Readiness() {
  const { campaignId, county, role, view, dataFile, previous, schools, enrolment } = useLoaderData<typeof loader>();
  if (!view) return <p>暂无评估结果。</p>;
  return (
    <>
      {!dataFile ? (
        <div className="c-notice c-notice--warn">
          尚未导入本调查活动的评估数据（学校资源、教师、县级指标、一票否决事项），资源配置、政府保障程度、教育质量三部分暂不能评估。
          {role !== "school" ? (
            <>
              {" "}
              请按 Excel 模板填写后<Link to={paths.evaluationData(campaignId)}>导入评估数据</Link>。
            </>
          ) : null}
        </div>
      ) : (
        <p className="c-muted">
          评估数据：{dataFile.fileName}，{beijingTime(dataFile.importedAt)} 由 {dataFile.importedBy ?? "系统"} 导入 ·{" "}
          <Link to={paths.evaluationData(campaignId)}>重新导入</Link>
        </p>
      )}
      {enrolment.notInData.length > 0 || enrolment.differences.length > 0 ? (
        <div className="c-notice c-notice--warn">
          {enrolment.notInData.length > 0 ? (
            <p style={{ margin: 0 }}>
              学校名单中有 {enrolment.notInData.length} 所学校不在评估数据中，其资源配置等尚未评估：{enrolment.notInData.join("、")}
              。请在评估数据中补充后重新导入。
            </p>
          ) : null}
          {enrolment.differences.length > 0 ? (
            <>
              <p style={{ margin: enrolment.notInData.length > 0 ? "8px 0 0" : 0 }}>
                以下学校的在校生在两份文件中不同：达标评估按评估数据计算，样本覆盖按学校名单分配样本。请核对后更正其中一份。
              </p>
              <ul className="c-list">
                {enrolment.differences.map((d) => (
                  <li key={d}>{d}</li>
                ))}
              </ul>
            </>
          ) : null}
        </div>
      ) : null}
      <section className="c-card">
        <header>
          <h2>
            {county.name}：<VerdictBadge verdict={view.verdict} label={view.verdictLabel} />
          </h2>
          <span className="c-muted">四个部分全部达标且无一票否决事项，方可认定达标</span>
        </header>
        <div className="c-kpis">
          {view.parts.map((p) => (
            <div
              key={p.key}
              className={`c-kpi ${p.key === "satisfaction" ? toneClass("c-kpi", view.satisfaction.tone) : p.status === "pass" ? "c-kpi--pass" : p.status === "fail" ? "c-kpi--fail" : "c-kpi--warn"}`}
              data-testid={`part-${p.key}`}
            >
              <div className="c-kpi__label">{p.label}</div>
              <div className="c-kpi__value" style={{ fontSize: 20 }}>
                {/* A pass by the rule reads as the probability does: never a plain green 达标 on a coin toss. */}
                {p.key === "satisfaction" && view.satisfaction.badge ? view.satisfaction.badge.label : p.statusLabel}
              </div>
              {p.key === "satisfaction" ? (
                <div className="c-kpi__sub">
                  自评{p.statusLabel} · {pct(view.satisfaction.rate)} · {count(view.satisfaction.n)} / {count(view.satisfaction.required)} 份
                </div>
              ) : null}
            </div>
          ))}
        </div>
        {previous ? (
          <div className="c-notice">
            与上一次调查（{previous.campaign.name}）相比：结论 {previous.verdictLabel} → <strong>{view.verdictLabel}</strong>；综合满意度 {pct(previous.rate)} →{" "}
            <strong>{pct(view.satisfaction.rate)}</strong>
            {previous.rate !== null && view.satisfaction.rate !== null
              ? `（${view.satisfaction.rate >= previous.rate ? "+" : ""}${fixed((view.satisfaction.rate - previous.rate) * 100, 2)} 个百分点）`
              : ""}
            ；未达标单位 {count(previous.failingUnits)} → <strong>{count(view.units.failing.filter((u) => u.status === "fail").length)}</strong>；未达标项目{" "}
            {count(previous.failingItems)} → <strong>{count(view.items.filter((i) => i.status === "fail").length)}</strong>
            {previous.hasData ? "" : "（上一次调查未导入评估数据）"}
            {previous.change ? <ChangeDetails change={previous.change} /> : null}
          </div>
        ) : (
          <p className="c-muted">没有更早的调查活动可供比较。</p>
        )}
      </section>

      {view.satisfaction.outlook ? <PassOutlookCard outlook={view.satisfaction.outlook} rate={view.satisfaction.rate} /> : null}
      <StructureNotice structure={view.satisfaction.structure}>{`${county.name}社会认可度样本：`}</StructureNotice>
      {view.satisfaction.weighting ? <WeightingCard weighting={view.satisfaction.weighting} /> : null}

      {view.summary.length > 0 ? (
        <section className="c-card">
          <h2>达标还需要（具体数量）</h2>
          <ul className="c-list">
            {view.summary.map((s) => (
              <li key={s}>{s}</li>
            ))}
          </ul>
          <p className="c-card__note">教师缺口按单位分别计算，同一名新教师可能同时满足多个指标，合计数为上限。面积、金额向上取整。</p>
        </section>
      ) : null}

      <CvSection view={view} />

      <section className="c-card">
        <h2>
          资源配置：未达标的评估单位（{view.units.failing.length}），达标 {view.units.passing} 个
        </h2>
        {view.units.failing.length === 0 ? <p className="c-muted">所有评估单位均达标。</p> : null}
        {view.units.failing.map((u) => (
          <details key={u.unitId} className="c-details" open={view.units.failing.length <= 4}>
            <summary>
              <Link to={paths.readinessSchool(campaignId, county.id, u.schoolId)}>{u.label}</Link>（{u.levelLabel}，{u.students} 人）：7项中 {u.indicatorsMet}{" "}
              项达标 <PartBadge status={u.status} label={u.status === "fail" ? "未达标" : "缺数据"} />
            </summary>
            <UnitIndicators unit={u} />
            {u.needs.length > 0 ? (
              <ul className="c-list">
                {u.needs.map((n) => (
                  <li key={n}>{n}</li>
                ))}
              </ul>
            ) : null}
          </details>
        ))}
        {view.units.excluded.length > 0 ? (
          <p className="c-card__note">不参与评估单位计算：{view.units.excluded.map((e) => `${e.label}：${e.reason}`).join("；")}</p>
        ) : null}
      </section>

      <section className="c-card">
        <h2>
          政府保障程度与教育质量：未达标或未评估的项目（{view.items.length}），达标 {view.itemsPassing} 项
        </h2>
        <div className="c-table-wrap">
          <table className="c-table c-table--cards">
            <thead>
              <tr>
                <th>项目</th>
                <th>判定</th>
                <th>原因</th>
                <th>达标还需要</th>
              </tr>
            </thead>
            <tbody>
              {view.items.map((i) => (
                <tr key={i.code} className={i.status === "fail" ? "is-fail" : ""}>
                  <td style={{ minWidth: 200 }}>
                    <strong>{i.code}</strong> {i.label.length > 40 ? `${i.label.slice(0, 40)}…` : i.label}
                  </td>
                  <td className="c-nowrap c-key">
                    <PartBadge status={i.status} label={i.status === "fail" ? "未达标" : i.status === "not_evaluated" ? "未评估" : i.status} />
                  </td>
                  <td className="c-block" data-label="原因">
                    {i.reasons.map((r) => (
                      <div key={r}>{r}</div>
                    ))}
                    {i.failingSchools.length > 0 ? (
                      <div className="c-muted">
                        涉及学校：
                        {i.failingSchools.map((s, k) => (
                          <span key={s.schoolId}>
                            {k > 0 ? "、" : ""}
                            <Link to={paths.readinessSchool(campaignId, county.id, s.schoolId)}>{s.schoolName}</Link>
                          </span>
                        ))}
                      </div>
                    ) : null}
                  </td>
                  <td className="c-block" data-label="达标还需要">
                    {i.shortfalls.map((s) => (
                      <div key={s}>{s}</div>
                    ))}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      <div className="c-grid c-grid--2">
        <section className="c-card">
          <h2>一票否决事项</h2>
          <ul className="c-list">
            {view.veto.map((v) => (
              <li key={v.code}>
                {v.code} {v.label}：
                {v.occurred === null ? (
                  <span className="c-muted">未申报</span>
                ) : v.occurred ? (
                  <strong style={{ color: "var(--c-fail)" }}>存在</strong>
                ) : (
                  "不存在"
                )}
                {v.note ? `（${v.note}）` : ""}
              </li>
            ))}
          </ul>
        </section>
        <section className="c-card">
          <h2>按学校查看</h2>
          <ul className="c-kit-list">
            {schools.map((s) => (
              <li key={s.id}>
                <Link to={paths.readinessSchool(campaignId, county.id, s.id)}>{s.name}</Link>
              </li>
            ))}
          </ul>
        </section>
      </div>
      {view.borderline.length > 0 ? (
        <section className="c-notice c-notice--warn">
          <strong>临界值提示：</strong>
          {view.borderline.join("；")}
        </section>
      ) : null}
    </>
  );
}
