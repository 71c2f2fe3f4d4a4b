import type { ReactNode } from "react";

/** What the top of every survey page shows; plain data from the loader. */
export interface PageHeader {
  campaignName: string;
  organizer: string;
  countyName: string;
  schoolName: string | null;
  questionnaireLabel: string;
  /** The definition's title, e.g. 义务教育优质均衡发展社会满意度调查（社会卷）. */
  title: string;
  questionnaireId: string;
  isDemo: boolean;
}

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
