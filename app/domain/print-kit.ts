import type { QuestionnaireId } from "./vocabulary";

/** One printable page of QR codes, as the loader hands it to the page: plain data. */
export interface KitPageData {
  campaignName: string;
  window: string;
  isDemo: boolean;
  countyName: string;
  schoolName: string | null;
  /** About how long the longest questionnaire of the page takes (app/domain/invitation.ts `estimateMinutes`). */
  minutes: number;
  codes: Array<{ questionnaireId: QuestionnaireId; audience: string; url: string; svg: string }>;
}
