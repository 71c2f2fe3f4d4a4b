/** The campaign form (create and edit): the fields the server reads in campaign-admin.ts. */
import { Form } from "@remix-run/react";
import { CAMPAIGN_PHASE_LABELS, CAMPAIGN_PHASES } from "../../domain/vocabulary";

export interface CampaignFormProps {
  campaign: { id: string; name: string; city: string; year: number; phase: string; opensAt: string; closesAt: string; rule: string } | null;
  questionnaires: Array<{ id: string; label: string; versions: number[]; chosen: number | null; responses: number }>;
  counties: Array<{
    id: string;
    name: string;
    included: boolean;
    residentPopulation: number | null;
    share: { urban: number; town: number; rural: number } | null;
    responses: number;
  }>;
  rules: Array<{ key: string; label: string }>;
  /** The rule choice a new campaign starts from (app/domain/satisfaction-rule.ts). */
  defaultRule: string;
  errors: string[] | null;
  busy: boolean;
  submitLabel: string;
}

export function CampaignForm(p: CampaignFormProps) {
  const c = p.campaign;
  return (
    <Form method="post" className="c-form c-form--wide">
      {p.errors && p.errors.length > 0 ? (
        <div className="c-notice c-notice--error" role="alert">
          <ul className="c-list">
            {p.errors.map((e) => (
              <li key={e}>{e}</li>
            ))}
          </ul>
        </div>
      ) : null}
      <section className="c-card">
        <h2>基本信息</h2>
        <div className="c-row">
          <label className="c-field">
            <span>编号</span>
            <input type="text" name="id" defaultValue={c?.id ?? ""} required disabled={c !== null} pattern="[a-z0-9][a-z0-9\-]{2,31}" placeholder="如 zw2027" />
            <small>用于链接和导出文件名，创建后不能修改</small>
          </label>
          <label className="c-field" style={{ gridColumn: "span 2" }}>
            <span>名称</span>
            <input
              type="text"
              name="name"
              defaultValue={c?.name ?? ""}
              required
              maxLength={80}
              placeholder="如 中卫市2027年义务教育优质均衡发展社会认可度自评调查"
            />
          </label>
        </div>
        <div className="c-row">
          <label className="c-field">
            <span>市</span>
            <input type="text" name="city" defaultValue={c?.city ?? "中卫市"} required />
          </label>
          <label className="c-field">
            <span>年度</span>
            <input type="number" name="year" defaultValue={c?.year ?? new Date().getFullYear()} required min={2020} max={2100} />
          </label>
          <label className="c-field">
            <span>阶段</span>
            <select name="phase" defaultValue={c?.phase ?? "self"}>
              {CAMPAIGN_PHASES.map((ph) => (
                <option key={ph} value={ph}>
                  {CAMPAIGN_PHASE_LABELS[ph]}
                </option>
              ))}
            </select>
          </label>
        </div>
        <div className="c-row">
          <label className="c-field">
            <span>开始时间（北京时间）</span>
            <input type="datetime-local" name="opensAt" defaultValue={c?.opensAt ?? ""} required />
          </label>
          <label className="c-field">
            <span>结束时间（北京时间）</span>
            <input type="datetime-local" name="closesAt" defaultValue={c?.closesAt ?? ""} required />
          </label>
        </div>
      </section>
      <section className="c-card">
        <h2>问卷与满意判定规则</h2>
        <div className="c-row">
          {p.questionnaires.map((q) => (
            <label className="c-field" key={q.id}>
              <span>{q.label}</span>
              <select
                name={`q_${q.id}`}
                defaultValue={q.chosen === null ? "" : String(q.chosen)}
                disabled={q.responses > 0}
                aria-describedby={`q-note-${q.id}`}
              >
                <option value="">不调查</option>
                {q.versions.map((v) => (
                  <option key={v} value={v}>
                    v{v}
                  </option>
                ))}
              </select>
              {q.responses > 0 ? (
                <>
                  <input type="hidden" name={`q_${q.id}`} value={q.chosen === null ? "" : String(q.chosen)} />
                  <small id={`q-note-${q.id}`}>已回收 {q.responses} 份，版本不能更改</small>
                </>
              ) : null}
            </label>
          ))}
        </div>
        <label className="c-field" style={{ marginTop: 12 }}>
          <span>满意问卷的判定规则</span>
          <select name="rule" defaultValue={c?.rule ?? p.defaultRule}>
            {p.rules.map((r) => (
              <option key={r.key} value={r.key}>
                {r.label}
              </option>
            ))}
          </select>
          <small>改变规则后，全部满意度按新规则重新计算。</small>
        </label>
      </section>
      <section className="c-card">
        <h2>县（区）与样本计划</h2>
        <p className="c-muted">样本量为常住人口的1.5‰；城区、镇区、乡村的样本按人口占比分配（三项合计100%）。</p>
        <div className="c-table-wrap">
          <table className="c-table c-table--cards">
            <thead>
              <tr>
                <th>参加</th>
                <th>县（区）</th>
                <th>常住人口（人）</th>
                <th>城区%</th>
                <th>镇区%</th>
                <th>乡村%</th>
              </tr>
            </thead>
            <tbody>
              {p.counties.map((county) => (
                <tr key={county.id}>
                  <td className="c-lead">
                    <input type="checkbox" name={`county_${county.id}`} defaultChecked={county.included} aria-label={`${county.name}参加`} />
                  </td>
                  <td className="c-name">
                    {county.name} <span className="c-muted c-mono">{county.id}</span>
                    {county.responses > 0 ? <div className="c-muted">已回收 {county.responses} 份</div> : null}
                  </td>
                  <td data-label="常住人口（人）">
                    <input
                      className="c-input"
                      type="number"
                      name={`pop_${county.id}`}
                      min={1}
                      step={1}
                      placeholder="未填写"
                      defaultValue={county.residentPopulation ?? ""}
                      aria-label={`${county.name}常住人口`}
                    />
                  </td>
                  {(["urban", "town", "rural"] as const).map((l) => (
                    <td key={l} data-label={`${l === "urban" ? "城区" : l === "town" ? "镇区" : "乡村"}%`}>
                      <input
                        className="c-input"
                        type="number"
                        name={`${l}_${county.id}`}
                        min={0}
                        max={100}
                        step="any"
                        defaultValue={county.share ? Number(county.share[l].toFixed(2)) : ""}
                        aria-label={`${county.name}${l === "urban" ? "城区" : l === "town" ? "镇区" : "乡村"}人口占比`}
                        style={{ width: 90 }}
                      />
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <p className="c-card__note">县（区）和学校名单可用“导入学校名单”（Excel 模板的「县（区）」「学校」工作表）添加。</p>
      </section>
      <div>
        <button type="submit" className="c-button c-button--primary" disabled={p.busy}>
          {p.submitLabel}
        </button>
      </div>
    </Form>
  );
}
