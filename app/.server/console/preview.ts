/**
 * A questionnaire as a parent sees it: the same server-rendered form (app/survey/form.ts) and
 * header the phone page shows, for a chosen kind of link (a school of a given type, or the
 * county-level link), with nothing stored. Definitions the form cannot render (answer-dependent
 * conditions) are said to be shown with SurveyJS on the phone instead.
 */
import { canRenderAsForm, formView, type FormQuestionView } from "../../survey/form";
import { surveyVariablesFor } from "../../survey/variables";
import { QUESTIONNAIRE_IDS, QUESTIONNAIRE_LABELS, SCHOOL_TYPES, type SchoolType } from "../../domain/vocabulary";
import type { PageHeader } from "../../components/survey-header";
import type { Services } from "../services";

export interface PreviewData {
  header: PageHeader;
  questions: FormQuestionView[];
  version: number;
  renderable: boolean;
  link: "school" | "county";
  schoolType: SchoolType;
}

export function previewData(services: Pick<Services, "surveys">, id: string, version: number, link: string | null, type: string | null): PreviewData | null {
  const q = QUESTIONNAIRE_IDS.find((x) => x === id);
  if (!q) return null;
  const survey = services.surveys.get(q, version);
  if (!survey) return null;
  const schoolType = SCHOOL_TYPES.find((t) => t === type) ?? (q === "student" ? "junior" : "primary");
  const asCounty = link === "county" && q === "social";
  const compiled = survey.compiled;
  return {
    header: {
      campaignName: "问卷预览",
      organizer: "市教育局",
      countyName: "（预览）",
      schoolName: asCounty ? null : "示例学校",
      questionnaireLabel: QUESTIONNAIRE_LABELS[q],
      title: compiled.title,
      questionnaireId: q,
      isDemo: false,
    },
    questions: canRenderAsForm(compiled) ? formView(compiled, surveyVariablesFor(asCounty ? null : schoolType)) : [],
    version: compiled.version,
    renderable: canRenderAsForm(compiled),
    link: asCounty ? "county" : "school",
    schoolType,
  };
}
