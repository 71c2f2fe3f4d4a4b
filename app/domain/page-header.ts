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

/** What the foot of the parents' pages shows (SUPPORT_CONTACT, ICP_BEIAN); null: not shown. */
export interface PageFooter {
  contact: string | null;
  icpBeian: string | null;
}
