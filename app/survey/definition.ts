/**
 * SurveyJS definitions as this platform stores them: plain SurveyJS JSON with two extra
 * top-level properties, `questionnaireId` and `version`, registered with survey-core's
 * Serializer so that the same JSON loads cleanly in survey-core (server), survey-react-ui
 * (browser) and SurveyJS Creator. Files live in `surveys/<id>.v<version>.json`.
 */
import { z } from "zod";
import { QUESTIONNAIRE_IDS } from "../domain/vocabulary";

export const SurveyHeaderSchema = z
  .object({
    questionnaireId: z.enum(QUESTIONNAIRE_IDS),
    version: z.number().int().positive(),
    title: z.string().min(1),
    pages: z.array(z.unknown()).min(1),
  })
  .passthrough();

export type SurveyJson = z.infer<typeof SurveyHeaderSchema>;

/** `social.v3.json` → { id: "social", version: 3 }, or null for other file names. */
export function parseDefinitionFileName(fileName: string): { id: string; version: number } | null {
  const match = /^([a-z][a-z0-9_-]*)\.v([1-9][0-9]*)\.json$/.exec(fileName);
  if (!match?.[1] || !match[2]) return null;
  return { id: match[1], version: Number(match[2]) };
}
