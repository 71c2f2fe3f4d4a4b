/**
 * A questionnaire as a parent sees it: the same server-rendered form (app/survey/form.ts) and
 * header the phone page shows, for a chosen kind of link (a school of a given type, or the
 * county-level link), with nothing stored. A definition the form cannot render (answer-dependent
 * conditions) is shown as phones get it then: survey-react-ui, from `definition` and `variables`
 * (/admin/preview/<id>/<version>/full).
 */
import { canRenderAsForm, formView, type FormQuestionView } from "../../survey/form";
import { surveyVariablesFor } from "../../survey/variables";
import { QUESTIONNAIRE_IDS, QUESTIONNAIRE_LABELS, SCHOOL_TYPES, type SchoolType } from "../../domain/vocabulary";
import type { PageHeader } from "../../domain/page-header";
import type { Services } from "../context";

export interface PreviewData {
  header: PageHeader;
  questions: FormQuestionView[];
  version: number;
  renderable: boolean;
  link: "school" | "county";
  schoolType: SchoolType;
  /** The SurveyJS definition (JSON text), for the SurveyJS preview (…/full). */
  definition: string;
  /** The link's variables, as the survey page sets them on the SurveyJS model. */
  variables: Record<string, string | number>;
}

export function previewData(services: Pick<Services, "surveys">, id: string, version: number, link: string | null, type: string | null): PreviewData | null {
  const q = QUESTIONNAIRE_IDS.find((x) => x === id);
  if (!q) return null;
  const survey = services.surveys.get(q, version);
  if (!survey) return null;
  const schoolType = SCHOOL_TYPES.find((t) => t === type) ?? (q === "student" ? "junior" : "primary");
  const asCounty = link === "county" && q === "social";
  const compiled = survey.compiled;
  const renderable = canRenderAsForm(compiled);
  const variables = surveyVariablesFor(asCounty ? null : schoolType);
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
    questions: renderable ? formView(compiled, variables) : [],
    version: compiled.version,
    renderable,
    link: asCounty ? "county" : "school",
    schoolType,
    definition: survey.jsonText,
    variables: { ...variables },
  };
}
