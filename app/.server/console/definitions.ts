/**
 * Questionnaire versions: the files in surveys/ (the registry built at start-up) plus the
 * versions published from the console, stored once in the database (db/repositories/definitions)
 * and checked exactly like `npm run surveys:check` (`checkDefinition` against the scoring
 * configuration). A version is never edited or replaced: publishing a number that exists, or
 * one not above the current latest, is refused.
 *
 * `withPublishedDefinitions` wraps the start-up registry so that the collection path serves
 * published versions too; it reloads them when one is published here and once a minute (for
 * versions published by another app instance).
 */
import type { Kysely } from "kysely";
import { insertDefinition, listPublishedDefinitions, type PublishedDefinition } from "../../../db/repositories/definitions";
import type { Database } from "../../../db/schema";
import { sanitizeDefinitionHtml } from "../../domain/html-sanitize";
import { QUESTIONNAIRE_SCORING } from "../../domain/questionnaire-scoring";
import type { Principal } from "../../domain/roles";
import { QUESTIONNAIRE_IDS, QUESTIONNAIRE_LABELS, type QuestionnaireId } from "../../domain/vocabulary";
import { checkDefinition } from "../../survey/check";
import type { RegisteredSurvey, SurveyRegistry } from "../collect/survey-registry";
import type { Services } from "../context";
import { audit } from "./audit";

export interface LiveRegistry extends SurveyRegistry {
  /** Reloads the published versions from the database. */
  refresh(): Promise<void>;
  /** Stops the periodic reload. */
  stop(): void;
}

const RELOAD_MS = 60_000;

function registered(d: PublishedDefinition): RegisteredSurvey | null {
  let json: unknown;
  try {
    json = JSON.parse(d.json);
  } catch {
    return null;
  }
  // Versions stored before publishing sanitised their HTML are served sanitised all the same.
  const { survey, problems } = checkDefinition(sanitizeDefinitionHtml(json).json, QUESTIONNAIRE_SCORING);
  if (!survey || problems.length > 0 || survey.id !== d.questionnaireId || survey.version !== d.version) return null;
  return { compiled: survey, jsonText: JSON.stringify(survey.json), file: `（后台发布）${d.questionnaireId}.v${String(d.version)}.json` };
}

export async function withPublishedDefinitions(base: SurveyRegistry, db: Kysely<Database>): Promise<LiveRegistry> {
  let published = new Map<string, RegisteredSurvey>();
  const key = (id: string, version: number) => `${id}@${String(version)}`;
  const refresh = async () => {
    const next = new Map<string, RegisteredSurvey>();
    for (const d of await listPublishedDefinitions(db)) {
      const id = QUESTIONNAIRE_IDS.find((q) => q === d.questionnaireId);
      if (!id || base.get(id, d.version)) continue;
      const r = published.get(key(d.questionnaireId, d.version)) ?? registered(d);
      if (r) next.set(key(d.questionnaireId, d.version), r);
    }
    published = next;
  };
  await refresh();
  const timer = setInterval(() => {
    refresh().catch(() => undefined);
  }, RELOAD_MS);
  timer.unref();
  return {
    get: (id, version) => base.get(id, version) ?? published.get(key(id, version)) ?? null,
    latestVersions() {
      const latest = base.latestVersions();
      for (const s of published.values()) {
        const { id, version } = s.compiled;
        if ((latest.get(id) ?? 0) < version) latest.set(id, version);
      }
      return latest;
    },
    all: () => [...base.all(), ...published.values()],
    refresh,
    stop: () => clearInterval(timer),
  };
}

function isLive(r: SurveyRegistry): r is LiveRegistry {
  return "refresh" in r && typeof r.refresh === "function";
}

export interface DefinitionRow {
  id: QuestionnaireId;
  label: string;
  version: number;
  title: string;
  questions: number;
  source: "file" | "console";
  publishedAt: number | null;
  publishedBy: string | null;
}

export async function definitionRows(services: Pick<Services, "db" | "surveys">): Promise<DefinitionRow[]> {
  const published = await listPublishedDefinitions(services.db);
  return services.surveys
    .all()
    .map((s): DefinitionRow => {
      const p = published.find((d) => d.questionnaireId === s.compiled.id && d.version === s.compiled.version);
      return {
        id: s.compiled.id,
        label: QUESTIONNAIRE_LABELS[s.compiled.id],
        version: s.compiled.version,
        title: s.compiled.title,
        questions: s.compiled.questions.length,
        source: p ? "console" : "file",
        publishedAt: p?.publishedAt ?? null,
        publishedBy: p?.publishedBy ?? null,
      };
    })
    .sort((a, b) => QUESTIONNAIRE_IDS.indexOf(a.id) - QUESTIONNAIRE_IDS.indexOf(b.id) || a.version - b.version);
}

export type PublishOutcome = { ok: true; id: QuestionnaireId; version: number } | { ok: false; problems: string[] };

/** Checks and publishes an uploaded definition (see the module comment). */
export async function publishDefinition(services: Pick<Services, "db" | "surveys" | "now">, actor: Principal, text: string): Promise<PublishOutcome> {
  if (actor.role !== "city") return { ok: false, problems: ["只有市级管理员可以发布问卷版本"] };
  let json: unknown;
  try {
    json = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (e) {
    return { ok: false, problems: [`不是有效的 JSON：${e instanceof Error ? e.message : String(e)}`] };
  }
  // SurveyJS renders html elements and the completion pages as markup: anything outside the
  // allow-list (scripts, event handlers, javascript: links, iframes, remote styles and images)
  // refuses the upload, and what is stored is the re-serialised, sanitised markup.
  const sanitized = sanitizeDefinitionHtml(json);
  if (sanitized.problems.length > 0) {
    return {
      ok: false,
      problems: [
        ...sanitized.problems.slice(0, 50),
        "问卷中的 HTML 只允许基本排版标签（段落、标题、列表、加粗、表格、本站图片、http(s) 链接），请删除上述内容后重新发布",
      ],
    };
  }
  json = sanitized.json;
  const { survey, problems } = checkDefinition(json, QUESTIONNAIRE_SCORING);
  if (!survey) return { ok: false, problems };
  if (problems.length > 0) return { ok: false, problems };
  const latest = services.surveys.latestVersions().get(survey.id) ?? 0;
  if (services.surveys.get(survey.id, survey.version)) {
    return {
      ok: false,
      problems: [
        `${QUESTIONNAIRE_LABELS[survey.id]} v${String(survey.version)} 已存在。已发布的版本不能修改，请把 version 改为 ${String(latest + 1)} 后发布新版本`,
      ],
    };
  }
  if (survey.version <= latest) return { ok: false, problems: [`新版本号须大于当前最新版本 v${String(latest)}，请改为 ${String(latest + 1)}`] };
  const inserted = await insertDefinition(services.db, {
    questionnaireId: survey.id,
    version: survey.version,
    json: JSON.stringify(json),
    publishedAt: services.now(),
    publishedBy: actor.username,
  });
  if (!inserted) return { ok: false, problems: [`${QUESTIONNAIRE_LABELS[survey.id]} v${String(survey.version)} 刚刚已被发布`] };
  if (isLive(services.surveys)) await services.surveys.refresh();
  await audit(services, actor, "definition_published", {
    subject: `${survey.id}.v${String(survey.version)}`,
    detail: { title: survey.title, questions: survey.questions.length },
  });
  return { ok: true, id: survey.id, version: survey.version };
}
