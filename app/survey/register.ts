/**
 * Registers the platform's custom survey properties (`questionnaireId`, `version`) with
 * survey-core's Serializer, so our definitions load without JSON errors. Kept apart from
 * definition.ts so the browser bundle does not pull in zod.
 */
import { Serializer } from "survey-core";

let registered = false;

export function registerSurveyProperties(): void {
  if (registered) return;
  if (!Serializer.findProperty("survey", "questionnaireId")) {
    Serializer.addProperty("survey", { name: "questionnaireId" });
  }
  if (!Serializer.findProperty("survey", "version")) {
    Serializer.addProperty("survey", { name: "version:number" });
  }
  registered = true;
}
