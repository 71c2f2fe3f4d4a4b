/**
 * The questionnaires the server can collect: every `surveys/<id>.v<n>.json`, compiled and
 * checked against the scoring configuration once at start-up. A definition with problems stops
 * the boot (the same checks as `npm run surveys:check`).
 */
import fs from "node:fs";
import path from "node:path";
import { QUESTIONNAIRE_SCORING } from "../../domain/questionnaire-scoring";
import type { QuestionnaireId } from "../../domain/vocabulary";
import { checkDefinition } from "../../survey/check";
import type { CompiledSurvey } from "../../survey/compile";
import { parseDefinitionFileName } from "../../survey/definition";

export interface RegisteredSurvey {
  compiled: CompiledSurvey;
  /** The definition serialized once, for embedding in pages. */
  jsonText: string;
  file: string;
}

export interface SurveyRegistry {
  get(id: QuestionnaireId, version: number): RegisteredSurvey | null;
  /** Highest version of each questionnaire. */
  latestVersions(): Map<QuestionnaireId, number>;
  all(): RegisteredSurvey[];
}

export interface DefinitionFileReport {
  file: string;
  id: string | null;
  version: number | null;
  problems: string[];
}

/** Checks every definition file in `dir`; used by the registry and by `npm run surveys:check`. */
export function checkSurveyDirectory(dir: string): { reports: DefinitionFileReport[]; surveys: RegisteredSurvey[] } {
  const reports: DefinitionFileReport[] = [];
  const surveys: RegisteredSurvey[] = [];
  const files = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .sort();
  for (const fileName of files) {
    const file = path.join(dir, fileName);
    const named = parseDefinitionFileName(fileName);
    if (!named) {
      reports.push({ file, id: null, version: null, problems: [`文件名须为 <问卷编号>.v<版本号>.json`] });
      continue;
    }
    let json: unknown;
    try {
      json = JSON.parse(fs.readFileSync(file, "utf8"));
    } catch (error) {
      reports.push({ file, id: named.id, version: named.version, problems: [`不是有效的 JSON：${String(error)}`] });
      continue;
    }
    const { survey, problems } = checkDefinition(json, QUESTIONNAIRE_SCORING);
    if (survey && (survey.id !== named.id || survey.version !== named.version)) {
      problems.push(`文件名（${named.id} v${named.version}）与定义中的 questionnaireId/version（${survey.id} v${survey.version}）不一致`);
    }
    reports.push({ file, id: named.id, version: named.version, problems });
    if (survey && problems.length === 0) surveys.push({ compiled: survey, jsonText: JSON.stringify(survey.json), file });
  }
  return { reports, surveys };
}

export function loadSurveyRegistry(dir: string): SurveyRegistry {
  const { reports, surveys } = checkSurveyDirectory(dir);
  const bad = reports.filter((r) => r.problems.length > 0);
  if (bad.length > 0) {
    throw new Error(`Questionnaire definitions with problems:\n${bad.map((r) => `  ${r.file}: ${r.problems.join("; ")}`).join("\n")}`);
  }
  const byKey = new Map(surveys.map((s) => [`${s.compiled.id}@${s.compiled.version}`, s] as const));
  return {
    get: (id, version) => byKey.get(`${id}@${version}`) ?? null,
    latestVersions() {
      const latest = new Map<QuestionnaireId, number>();
      for (const s of surveys) {
        const { id, version } = s.compiled;
        if ((latest.get(id) ?? 0) < version) latest.set(id, version);
      }
      return latest;
    },
    all: () => [...surveys],
  };
}
