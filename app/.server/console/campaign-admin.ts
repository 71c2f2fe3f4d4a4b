/**
 * Creating and editing campaigns (city role): year, phase, window (Beijing time), the
 * questionnaire versions collected, the satisfied-questionnaire rule, and each county's 常住人口
 * with its 城区/镇区/乡村 split (the sample plan's inputs); importing the school list from the
 * Excel template. What responses already depend on cannot change: a questionnaire's version
 * once it has responses, a county's membership once it has responses.
 */
import { z } from "zod";
import { getCampaign, getCampaignQuestionnaires, listCampaignCounties, listCampaigns, type Campaign } from "../../../db/repositories/campaigns";
import {
  addCampaignCounties,
  campaignCountyPlans,
  insertCampaign,
  responsesByCountyAndQuestionnaire,
  updateCampaign,
  upsertDirectory,
  type CampaignWrite,
} from "../../../db/repositories/console-campaigns";
import { listAllCounties } from "../../../db/repositories/directory";
import { getArchive } from "../../../db/repositories/campaign-archive";
import { CAMPAIGN_PHASES, QUESTIONNAIRE_IDS, QUESTIONNAIRE_LABELS } from "../../domain/vocabulary";
import {
  CUSTOM_RULE,
  customRuleLabel,
  DEFAULT_RULE_PRESET,
  RULE_PRESET_KEYS,
  RULE_PRESETS,
  ruleChoiceOf,
  sameRule,
  type SatisfactionRule,
} from "../../domain/satisfaction-rule";
import type { Principal } from "../../domain/roles";
import { formatImportError } from "../evaluation-import";
import { parseUpload } from "../import-worker";
import type { Services } from "../context";
import { audit } from "./audit";

const BEIJING_OFFSET_MS = 8 * 3600_000;

/** "2026-03-01T08:00" in Beijing time → ms; null when malformed. */
export function parseBeijing(text: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(text);
  if (!m) return null;
  const [, y, mo, d, h, mi] = m.map(Number);
  const ms = Date.UTC(y ?? 0, (mo ?? 1) - 1, d ?? 1, h ?? 0, mi ?? 0) - BEIJING_OFFSET_MS;
  return Number.isFinite(ms) ? ms : null;
}

/** The latest time a date-time field shows (and the edit form can save back): 9999-12-31 23:59 北京时间. */
export const LATEST_INPUT_MS = Date.UTC(9999, 11, 31, 23, 59) - BEIJING_OFFSET_MS;

/** ms → "2026-03-01T08:00" in Beijing time, for a datetime-local field; later times show as its latest. */
export function formatBeijingInput(ms: number): string {
  const d = new Date(Math.min(ms, LATEST_INPUT_MS) + BEIJING_OFFSET_MS);
  const p = (n: number) => String(n).padStart(2, "0");
  return `${String(d.getUTCFullYear())}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())}T${p(d.getUTCHours())}:${p(d.getUTCMinutes())}`;
}

const percent = z.coerce.number({ invalid_type_error: "占比应为数字" }).min(0, "占比不能为负").max(100, "占比不能超过100");

export const CampaignFormSchema = z.object({
  id: z
    .string()
    .trim()
    .regex(/^[a-z0-9][a-z0-9-]{2,31}$/, "编号为 3–32 位小写字母、数字或 -，如 zw2027"),
  name: z.string().trim().min(2, "请填写名称").max(80, "名称最多 80 个字"),
  city: z.string().trim().min(2, "请填写市名").max(20),
  year: z.coerce.number().int("年份应为整数").min(2020, "年份不正确").max(2100, "年份不正确"),
  phase: z.enum(CAMPAIGN_PHASES, { errorMap: () => ({ message: "请选择阶段" }) }),
  opensAt: z.string().transform((v, ctx) => parseBeijing(v) ?? (ctx.addIssue({ code: "custom", message: "请填写开始时间" }), z.NEVER)),
  closesAt: z.string().transform((v, ctx) => parseBeijing(v) ?? (ctx.addIssue({ code: "custom", message: "请填写结束时间" }), z.NEVER)),
  rule: z.enum([...RULE_PRESET_KEYS, CUSTOM_RULE]),
});

export type FormResult = { ok: true; campaignId: string } | { ok: false; errors: string[] };

/**
 * Reads the campaign form (fields named as the page writes them). `current` is the edited
 * campaign's rule: the 自定义 choice keeps it; without one (a new campaign, or a stored rule not
 * understood) that choice is refused, never read as the default.
 */
export function readCampaignForm(
  form: FormData,
  countyIds: readonly string[],
  versions: ReadonlyMap<string, readonly number[]>,
  current: SatisfactionRule | null = null,
): { value: CampaignWrite | null; errors: string[] } {
  const text = (k: string) => {
    const v = form.get(k);
    return typeof v === "string" ? v : "";
  };
  const errors: string[] = [];
  const parsed = CampaignFormSchema.safeParse({
    id: text("id"),
    name: text("name"),
    city: text("city"),
    year: text("year"),
    phase: text("phase"),
    opensAt: text("opensAt"),
    closesAt: text("closesAt"),
    rule: text("rule") || DEFAULT_RULE_PRESET,
  });
  if (!parsed.success) errors.push(...parsed.error.issues.map((i) => i.message));
  const chosen = parsed.success ? parsed.data.rule : null;
  const rule = chosen === null ? null : chosen === CUSTOM_RULE ? current : RULE_PRESETS[chosen].rule;
  if (chosen === CUSTOM_RULE && rule === null) errors.push("原满意判定规则无法识别，请选择一种判定规则");
  const questionnaires: Array<{ id: string; version: number }> = [];
  for (const q of QUESTIONNAIRE_IDS) {
    const v = text(`q_${q}`);
    if (v === "") continue;
    const version = Number(v);
    if (!versions.get(q)?.includes(version)) errors.push(`${QUESTIONNAIRE_LABELS[q]}没有 v${v} 版本`);
    else questionnaires.push({ id: q, version });
  }
  if (!questionnaires.some((q) => q.id === "social")) errors.push("至少需要社会卷（家长等填写）");
  const counties: CampaignWrite["counties"][number][] = [];
  for (const id of countyIds) {
    if (form.get(`county_${id}`) !== "on") continue;
    // An empty 常住人口 is "not provided" (stored as NULL: the sample plan is then not checked).
    const popText = text(`pop_${id}`).trim();
    const pop = popText === "" ? null : Number(popText);
    const shares = ["urban", "town", "rural"].map((l) => percent.safeParse(text(`${l}_${id}`)));
    if (pop !== null && (!Number.isInteger(pop) || pop <= 0)) {
      errors.push(`县（区）${id} 的常住人口应为正整数（不知道可留空）`);
      continue;
    }
    if (shares.some((s) => !s.success)) {
      errors.push(`县（区）${id} 的城区/镇区/乡村人口占比应为 0–100 的数字`);
      continue;
    }
    const [u, t, r] = shares.map((s) => (s.success ? s.data : 0));
    if (Math.abs((u ?? 0) + (t ?? 0) + (r ?? 0) - 100) > 0.05) {
      errors.push(`县（区）${id} 的城区、镇区、乡村人口占比合计应为 100%`);
      continue;
    }
    counties.push({ countyId: id, residentPopulation: pop, share: { urban: (u ?? 0) / 100, town: (t ?? 0) / 100, rural: (r ?? 0) / 100 } });
  }
  // One error per cause: a ticked county refused above is not also "none chosen".
  if (!countyIds.some((id) => form.get(`county_${id}`) === "on")) errors.push("请至少选择一个县（区）");
  if (!parsed.success || rule === null || errors.length > 0) return { value: null, errors };
  const c = parsed.data;
  if (c.closesAt <= c.opensAt) return { value: null, errors: ["结束时间应晚于开始时间"] };
  return {
    value: {
      id: c.id,
      name: c.name,
      city: c.city,
      year: c.year,
      phase: c.phase,
      opensAt: c.opensAt,
      closesAt: c.closesAt,
      satisfactionRule: rule,
      questionnaires,
      counties,
    },
    errors: [],
  };
}

export function availableVersions(services: Pick<Services, "surveys">): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const s of services.surveys.all())
    out.set(
      s.compiled.id,
      [...(out.get(s.compiled.id) ?? []), s.compiled.version].sort((a, b) => a - b),
    );
  return out;
}

export async function createCampaign(services: Services, actor: Principal, form: FormData): Promise<FormResult> {
  const counties = await listAllCounties(services.db);
  const { value, errors } = readCampaignForm(
    form,
    counties.map((c) => c.id),
    availableVersions(services),
  );
  if (!value) return { ok: false, errors };
  if (!(await insertCampaign(services.db, value, services.now()))) return { ok: false, errors: [`编号 ${value.id} 已被使用`] };
  await audit(services, actor, "campaign_created", {
    campaignId: value.id,
    subject: value.name,
    detail: { counties: value.counties.map((c) => c.countyId), questionnaires: value.questionnaires },
  });
  return { ok: true, campaignId: value.id };
}

export async function editCampaign(services: Services, actor: Principal, campaign: Campaign, form: FormData): Promise<FormResult> {
  form.set("id", campaign.id);
  const counties = await listAllCounties(services.db);
  const { value, errors } = readCampaignForm(
    form,
    counties.map((c) => c.id),
    availableVersions(services),
    campaign.satisfactionRule,
  );
  if (!value) return { ok: false, errors };
  const used = await responsesByCountyAndQuestionnaire(services.db, campaign.id);
  const before = await getCampaignQuestionnaires(services.db, campaign.id);
  const problems: string[] = [];
  for (const [q, version] of before) {
    const n = used.filter((u) => u.questionnaireId === q).reduce((a, u) => a + u.n, 0);
    const now = value.questionnaires.find((x) => x.id === q)?.version;
    if (n > 0 && now !== version) problems.push(`${QUESTIONNAIRE_LABELS[q]}已回收 ${String(n)} 份 v${String(version)} 问卷，不能更换或取消`);
  }
  for (const c of await listCampaignCounties(services.db, campaign.id)) {
    const n = used.filter((u) => u.countyId === c.id).reduce((a, u) => a + u.n, 0);
    if (n > 0 && !value.counties.some((x) => x.countyId === c.id)) problems.push(`${c.name}已回收 ${String(n)} 份问卷，不能从调查活动中移除`);
  }
  if ((await getArchive(services.db, campaign.id)) && !sameRule(value.satisfactionRule, campaign.satisfactionRule)) {
    problems.push("已归档的调查活动不能更改满意判定规则：原始答卷已删除，无法按新规则重新计算");
  }
  if (problems.length > 0) return { ok: false, errors: problems };
  await updateCampaign(services.db, value);
  const old = { name: campaign.name, opensAt: campaign.opensAt, closesAt: campaign.closesAt, rule: campaign.satisfactionRule };
  await audit(services, actor, "campaign_updated", {
    campaignId: campaign.id,
    subject: value.name,
    detail: {
      before: old,
      after: { name: value.name, opensAt: value.opensAt, closesAt: value.closesAt, rule: value.satisfactionRule },
      counties: value.counties.length,
    },
  });
  return { ok: true, campaignId: campaign.id };
}

/** What the campaign form shows for an existing campaign (or defaults for a new one). */
export async function campaignFormData(services: Services, campaignId: string | null) {
  const counties = await listAllCounties(services.db);
  const versions = availableVersions(services);
  const latest = services.surveys.latestVersions();
  const campaign = campaignId ? await getCampaign(services.db, campaignId) : null;
  // A new campaign starts from the latest campaign's 常住人口 and splits (to be checked).
  const latestCampaign = campaign ? null : ((await listCampaigns(services.db))[0] ?? null);
  const plans = await campaignCountyPlans(services.db, campaign?.id ?? latestCampaign?.id ?? "");
  const chosen = campaign ? await getCampaignQuestionnaires(services.db, campaign.id) : latest;
  const used = campaign ? await responsesByCountyAndQuestionnaire(services.db, campaign.id) : [];
  return {
    campaign: campaign
      ? {
          id: campaign.id,
          name: campaign.name,
          city: campaign.city,
          year: campaign.year,
          phase: campaign.phase,
          opensAt: formatBeijingInput(campaign.opensAt),
          closesAt: formatBeijingInput(campaign.closesAt),
          rule: ruleChoiceOf(campaign.satisfactionRule),
          isDemo: campaign.isDemo,
        }
      : null,
    questionnaires: QUESTIONNAIRE_IDS.map((q) => ({
      id: q,
      label: QUESTIONNAIRE_LABELS[q],
      versions: versions.get(q) ?? [],
      chosen: chosen.get(q) ?? null,
      responses: used.filter((u) => u.questionnaireId === q).reduce((a, u) => a + u.n, 0),
    })),
    counties: counties.map((c) => {
      const p = plans.find((x) => x.countyId === c.id);
      return {
        id: c.id,
        name: c.name,
        included: campaign !== null && p !== undefined,
        residentPopulation: p?.residentPopulation ?? null,
        share: p ? { urban: p.locationShare.urban * 100, town: p.locationShare.town * 100, rural: p.locationShare.rural * 100 } : null,
        responses: used.filter((u) => u.countyId === c.id).reduce((a, u) => a + u.n, 0),
      };
    }),
    // 自定义 is offered only to keep a campaign's rule that is none of the presets.
    rules: [
      ...RULE_PRESET_KEYS.map((key) => ({ key, label: RULE_PRESETS[key].label })),
      ...(campaign && ruleChoiceOf(campaign.satisfactionRule) === CUSTOM_RULE ? [{ key: CUSTOM_RULE, label: customRuleLabel(campaign.satisfactionRule) }] : []),
    ],
    defaultRule: DEFAULT_RULE_PRESET,
    archive: campaign ? await getArchive(services.db, campaign.id) : null,
    closed: campaign ? services.now() > campaign.closesAt : false,
  };
}

export type SchoolImportOutcome =
  | {
      ok: true;
      counties: number;
      newCounties: number;
      newSchools: number;
      updatedSchools: number;
      movedAccounts: Array<{ username: string; from: string | null; to: string }>;
      addedToCampaign: number;
      /** What the import assumed to read the file as typed (../evaluation-import: sheet names, short forms, a missing 县（区） sheet). */
      notes: string[];
    }
  | { ok: false; errors: string[]; busy?: boolean };

/**
 * The school list from the Excel template (its 县（区） and 学校 sheets; other sheets are
 * ignored here): counties and schools inserted or updated, and the file's counties added to
 * the campaign with their 常住人口 and split when given.
 */
export async function importSchoolList(
  services: Services,
  actor: Principal,
  campaign: Campaign,
  fileName: string,
  bytes: Uint8Array,
): Promise<SchoolImportOutcome> {
  if (bytes.length === 0) return { ok: false, errors: ["请选择要导入的文件"] };
  // Parsed in a worker thread within the caps (app/.server/import-worker), as the evaluation data is.
  // A list of schools for counties the campaign already has needs no 县（区） sheet.
  const knownCounties = await listCampaignCounties(services.db, campaign.id);
  const imported = await parseUpload(fileName, bytes, { log: services.log, omitSatisfaction: true, knownCounties });
  if (!imported.ok) return { ok: false, errors: imported.errors.map(formatImportError), ...(imported.busy ? { busy: true } : {}) };
  const input = imported.value;
  if (input.schools.length === 0) return { ok: false, errors: ["文件的「学校」工作表没有学校"] };
  const result = await upsertDirectory(
    services.db,
    input.counties.map((c) => ({ id: c.id, name: c.name, city: campaign.city })),
    input.schools.map((s) => ({ id: s.id, countyId: s.countyId, name: s.name, type: s.type, location: s.location, students: s.students })),
    services.now(),
  );
  const added = await addCampaignCounties(
    services.db,
    campaign.id,
    input.counties.map((c) => ({
      countyId: c.id,
      residentPopulation: c.residentPopulation,
      share: c.locationShare ?? { urban: 1 / 3, town: 1 / 3, rural: 1 / 3 },
    })),
  );
  await audit(services, actor, "schools_imported", {
    campaignId: campaign.id,
    subject: fileName,
    detail: {
      counties: input.counties.map((c) => c.id),
      schools: input.schools.length,
      ...result,
      addedToCampaign: added,
      ...(imported.notes ? { assumed: imported.notes } : {}),
    },
  });
  return { ok: true, counties: input.counties.length, ...result, addedToCampaign: added, notes: imported.notes ?? [] };
}
