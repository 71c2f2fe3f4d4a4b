/**
 * 催收 on the console: a school's own shortfall (its page) and the county's schools furthest
 * behind first (the coverage page), each with its 复制提醒 (./copy-reminder.tsx). Figures come
 * from app/.server/console/shortfall.ts; nothing is computed here.
 */
import { Link } from "@remix-run/react";
import type { CountyShortfallTotals, SchoolShortfall } from "../../domain/shortfall";
import { CopyReminder } from "./copy-reminder";
import { count, pct } from "./format";

type Row = SchoolShortfall & { reminder: string };

function tone(s: Pick<SchoolShortfall, "met" | "target" | "groups">): string {
  if (s.target === 0) return "";
  if (s.met) return "c-badge--pass";
  return s.groups.some((g) => g.short) ? "c-badge--fail" : "c-badge--warn";
}

function Progress({ s }: { s: Pick<SchoolShortfall, "collected" | "target" | "missingShare"> }) {
  const done = s.missingShare === null ? null : 1 - s.missingShare;
  return (
    <span className="c-shortfall__progress">
      有效问卷 {count(s.collected)} / 计划 {count(s.target)} 份{done === null ? "" : ` · 完成 ${pct(done, 0)}`}
      {done === null ? null : (
        <span className="c-bar" aria-hidden="true">
          <span className={`c-bar__fill ${done < 0.9 ? "c-bar__fill--low" : ""}`} style={{ width: `${Math.round(Math.max(0, Math.min(1, done)) * 100)}%` }} />
        </span>
      )}
    </span>
  );
}

/** A school's page: what it still owes, by group and grade band, and its reminder. */
export function SchoolShortfallCard({ view }: { view: { planned: boolean; shortfall: Row | null; note: string | null } }) {
  if (!view.planned || !view.shortfall) {
    return (
      <section className="c-card" data-testid="school-shortfall">
        <h2>本校还差多少</h2>
        <p className="c-muted">县（区）尚未填写常住人口，还没有样本计划，暂不能计算本校应收份数。</p>
      </section>
    );
  }
  const s = view.shortfall;
  return (
    <section className="c-card" data-testid="school-shortfall">
      <header>
        <h2>本校还差多少</h2>
        <span className={`c-badge ${tone(s)}`}>{s.met ? "已达到计划" : s.target === 0 ? "未分配样本" : "未达到计划"}</span>
      </header>
      <p className="c-shortfall__line" data-testid="shortfall-summary">
        {s.summary}
      </p>
      <Progress s={s} />
      <div className="c-table-wrap">
        <table className="c-table c-table--cards c-table--cards2">
          <thead>
            <tr>
              <th>调查对象</th>
              <th className="num">计划</th>
              <th className="num">已收</th>
              <th className="num">还差</th>
            </tr>
          </thead>
          <tbody>
            {s.groups.flatMap((g) => [
              <tr key={g.group} className={g.short ? "is-short" : ""}>
                <td>
                  <strong>{g.label}</strong>
                </td>
                <td className="num" data-label="计划">
                  {count(g.target)}
                </td>
                <td className="num" data-label="已收">
                  {count(g.collected)}
                </td>
                <td className="num c-key" data-label="还差">
                  {g.missing > 0 ? count(g.missing) : "—"}
                </td>
              </tr>,
              ...(g.bands.length > 1
                ? g.bands.map((b) => (
                    <tr key={`${g.group}-${b.label}`} className="c-shortfall__band">
                      <td>
                        {g.label} · {b.label}
                      </td>
                      <td className="num" data-label="计划">
                        {count(b.target)}
                      </td>
                      <td className="num" data-label="已收">
                        {count(b.collected)}
                      </td>
                      <td className="num" data-label="还差">
                        {b.missing > 0 ? count(b.missing) : "—"}
                      </td>
                    </tr>
                  ))
                : []),
            ])}
          </tbody>
        </table>
      </div>
      <CopyReminder text={s.reminder} schoolName={s.name} />
      <p className="c-card__note">计划：县（区）样本计划（常住人口的1.5‰）按在校生人数分到各校，家长、学生再按年级大致均等分配。{view.note ?? ""}</p>
    </section>
  );
}

/** The coverage page: every school, furthest behind first, with the county's totals. */
export function CountyShortfallList({
  view,
  schoolHref,
}: {
  view: { planned: boolean; schools: Row[]; totals: CountyShortfallTotals | null; countyLink: string | null; note: string | null };
  schoolHref: (id: string) => string;
}) {
  return (
    <section className="c-card" data-testid="county-shortfall">
      <h2>催收：各校还差（最落后的在前）</h2>
      {!view.planned ? (
        <p className="c-muted">尚未填写本县（区）常住人口，还没有样本计划。</p>
      ) : (
        <>
          <p className="c-shortfall__line">{view.totals?.summary ?? ""}</p>
          {view.countyLink ? <p className="c-muted">{view.countyLink}（由县教育局转发县级链接）</p> : null}
          <ol className="c-shortfall">
            {view.schools.map((s) => (
              <li key={s.id} className="c-shortfall__item" data-testid="shortfall-school">
                <div className="c-shortfall__head">
                  <Link to={schoolHref(s.id)}>{s.name}</Link>
                  <span className="c-muted">{s.locationLabel}</span>
                  <span className={`c-badge ${tone(s)}`}>{s.met ? "已达到" : s.target === 0 ? "未分配" : `差 ${pct(s.missingShare, 0)}`}</span>
                </div>
                <div className="c-shortfall__summary">{s.summary}</div>
                <Progress s={s} />
                {s.target > 0 ? <CopyReminder text={s.reminder} schoolName={s.name} /> : null}
              </li>
            ))}
          </ol>
          <p className="c-card__note">
            排序：未完成份数占本校计划的比例从高到低，比例相同时还差份数多的在前。“复制提醒”复制一段可直接粘贴到学校群的文字，含尚缺问卷的链接。
            {view.note ?? ""}
          </p>
        </>
      )}
    </section>
  );
}
