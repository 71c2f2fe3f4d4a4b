import type { ReactNode } from "react";
import type { PageHeader } from "../domain/page-header";

/** County · school · questionnaire, and a clear mark on demo campaigns. */
export function SurveyHeader({ header, children }: { header: PageHeader; children?: ReactNode }) {
  return (
    <header className="survey-header">
      {children}
      {header.isDemo ? <p className="demo-badge">演示数据 · 仅供体验，不计入正式结果</p> : null}
      <p className="survey-header__org">
        {header.countyName}
        {header.schoolName ? ` · ${header.schoolName}` : ""}
      </p>
      <h1 className="survey-header__title">{header.title}</h1>
    </header>
  );
}
