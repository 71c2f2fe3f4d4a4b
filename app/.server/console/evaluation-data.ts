/**
 * A campaign's evaluation data (评估数据) in the console: imported from the Excel template (or
 * CSV zip / JSON, the same importers as `npm run evaluate`), all or nothing, audited; and each
 * county's readiness — the engine's verdict over that data joined with the campaign's
 * 社会认可度 counts from the tallies.
 *
 * The city role imports a file for the whole campaign; a county officer imports a file holding
 * only their county, which replaces that county's part.
 */
import { listSchools, type Campaign, type County } from "../../../db/repositories/campaigns";
import { countyImportProvenance, getEvaluationData, putEvaluationData, type CountyImportProvenance } from "../../../db/repositories/evaluation-data";
import { campaignCountyPlans } from "../../../db/repositories/console-campaigns";
import { evaluateCounties, type EvaluationInput } from "../../domain/evaluation";
import type { CountyVerdict, EvaluationResult } from "../../domain/evaluation";
import { checkedInput, countyInputOf } from "../../domain/evaluation/county-input";
import { EvaluationInputSchema } from "../../domain/evaluation/input";
import type { Principal } from "../../domain/roles";
import { buildWorkbook, formatImportError } from "../evaluation-import";
import { parseUpload } from "../import-worker";
import type { Services } from "../context";
import { audit } from "./audit";
import { campaignCounts } from "./tallies";

/** `busy`: refused because other files are being parsed (the route answers 503), not for the file's content. */
export type ImportOutcome = { ok: true; counties: number; schools: number; notes: string[] } | { ok: false; errors: string[]; busy?: boolean };

const MAX_BYTES = 10 * 1024 * 1024;

/** The stored input of a campaign, or null. */
export async function storedInput(
  services: Pick<Services, "db">,
  campaignId: string,
): Promise<{ input: EvaluationInput; fileName: string; importedAt: number; importedBy: string | null } | null> {
  const stored = await getEvaluationData(services.db, campaignId);
  if (!stored) return null;
  const parsed = EvaluationInputSchema.safeParse(JSON.parse(stored.input));
  if (!parsed.success) throw new Error(`调查活动 ${campaignId} 的评估数据无法读取`);
  return { input: parsed.data, fileName: stored.fileName, importedAt: stored.importedAt, importedBy: stored.importedBy };
}

export async function importEvaluationData(
  services: Services,
  actor: Principal,
  scope: { campaign: Campaign; counties: readonly County[] },
  fileName: string,
  bytes: Uint8Array,
): Promise<ImportOutcome> {
  if (bytes.length === 0) return { ok: false, errors: ["请选择要导入的文件"] };
  if (bytes.length > MAX_BYTES) return { ok: false, errors: ["文件超过 10 MB，请检查是否选错了文件"] };
  // Parsed in a worker thread within the caps (app/.server/import-worker): never on this thread.
  const imported = await parseUpload(fileName, bytes, { log: services.log, omitSatisfaction: true });
  if (!imported.ok) return { ok: false, errors: imported.errors.map(formatImportError), ...(imported.busy ? { busy: true } : {}) };
  const input: EvaluationInput = { ...imported.value, satisfaction: undefined };
  const campaignCounties = new Set(scope.counties.map((c) => c.id));
  const foreign = input.counties.filter((c) => !campaignCounties.has(c.id));
  if (foreign.length > 0) return { ok: false, errors: [`文件中的县（区）${foreign.map((c) => `${c.name}（${c.id}）`).join("、")} 不在本调查活动中`] };
  let merged = input;
  if (actor.role === "county") {
    const others = input.counties.filter((c) => c.id !== actor.countyId);
    if (others.length > 0 || input.counties.length === 0)
      return { ok: false, errors: ["县（区）账号只能导入本县（区）的评估数据，文件中不能包含其他县（区）"] };
    const previous = await storedInput(services, scope.campaign.id);
    if (previous) {
      const keep = (countyId: string) => countyId !== actor.countyId;
      merged = {
        ...previous.input,
        counties: [...previous.input.counties.filter((c) => keep(c.id)), ...input.counties],
        schools: [...previous.input.schools.filter((s) => keep(s.countyId)), ...input.schools],
        countyItems: [...previous.input.countyItems.filter((c) => keep(c.countyId)), ...input.countyItems],
      };
    }
  } else if (actor.role !== "city") {
    return { ok: false, errors: ["您的账号无权导入评估数据"] };
  }
  const now = services.now();
  await services.db.transaction().execute(async (trx) => {
    await putEvaluationData(trx, { campaignId: scope.campaign.id, input: JSON.stringify(merged), fileName, importedAt: now, importedBy: actor.username });
    await audit({ db: trx, now: services.now }, actor, "evaluation_imported", {
      campaignId: scope.campaign.id,
      countyId: actor.role === "county" ? actor.countyId : null,
      subject: fileName,
      detail: { counties: input.counties.map((c) => c.id), schools: input.schools.length },
    });
  });
  return { ok: true, counties: input.counties.length, schools: input.schools.length, notes: imported.notes ?? [] };
}

export interface Readiness {
  verdict: CountyVerdict | null;
  /** The evaluation data's schools of this county (empty without data). */
  dataSchools: EvaluationInput["schools"];
  /** The file this county's data came from (never another county's file name or importer). */
  dataFile: CountyImportProvenance | null;
}

/**
 * The file and importer behind one county's evaluation data. A county officer's import replaces
 * only their county, so the campaign's latest file may be another county's: its name and the
 * importer's user name are that county's business. Null when the county has no data.
 */
export async function countyDataFile(
  services: Pick<Services, "db">,
  campaignId: string,
  countyId: string,
  stored: CountyImportProvenance,
): Promise<CountyImportProvenance | null> {
  const found = await countyImportProvenance(services.db, campaignId, countyId);
  if (found !== undefined) return found;
  // Written by a script (no console import at all): the stored row (the caller's, already read) is nobody's county file.
  return { fileName: stored.fileName, importedAt: stored.importedAt, importedBy: stored.importedBy };
}

/**
 * The engine's verdict for one county: the imported data (with the campaign's 常住人口 and
 * 城区/镇区/乡村 split) and the campaign's 社会认可度 counts. Null verdict when no data covers it.
 */
export async function countyReadiness(services: Pick<Services, "db" | "now">, campaign: Campaign, county: County): Promise<Readiness> {
  const { result, dataFile, schools } = await countyEvaluation(services, campaign, county);
  return { verdict: result.counties[0] ?? null, dataFile, dataSchools: schools };
}

/** What every county's evaluation of one campaign reads: the stored data, the counts, the plans. */
interface CampaignReads {
  stored: Awaited<ReturnType<typeof storedInput>>;
  counts: Awaited<ReturnType<typeof campaignCounts>>;
  plans: Awaited<ReturnType<typeof campaignCountyPlans>>;
}

async function campaignReads(services: Pick<Services, "db" | "now">, campaign: Campaign, countyIds: readonly string[]): Promise<CampaignReads> {
  return {
    stored: await storedInput(services, campaign.id),
    counts: await campaignCounts(services, campaign, { countyIds }),
    plans: await campaignCountyPlans(services.db, campaign.id),
  };
}

/** One county's engine result from the campaign's reads (cells and items filtered to the county). */
function evaluateCounty(reads: CampaignReads, campaign: Campaign, county: County): { result: EvaluationResult; schools: EvaluationInput["schools"] } {
  const { stored, counts, plans } = reads;
  const plan = plans.find((p) => p.countyId === county.id);
  const fromFile = stored?.input.counties.find((c) => c.id === county.id);
  // The campaign's 常住人口 when given, else the file's; neither → null (the engine then says the
  // sample cannot be checked and does not judge 社会认可度).
  const countyInput = countyInputOf(plan, county, fromFile);
  const assembled: EvaluationInput = {
    format: "youzhi-junheng/evaluation-input",
    version: 1,
    title: stored?.input.title,
    note: stored?.input.note,
    counties: [countyInput],
    schools: stored?.input.schools.filter((s) => s.countyId === county.id) ?? [],
    countyItems: stored?.input.countyItems.filter((c) => c.countyId === county.id) ?? [],
    satisfaction: {
      source: "counts",
      rule: counts.rule,
      cells: counts.cells.filter((c) => c.countyId === county.id),
      items: counts.items.filter((c) => c.countyId === county.id),
    },
  };
  // Through the CLI's schema and cross-record checks: the console's input is the engine's input.
  const input = checkedInput(assembled, `调查活动 ${campaign.id} 县（区）${county.id} `);
  return { result: evaluateCounties(input, { satisfaction: { rule: counts.rule } }), schools: input.schools };
}

/** The engine's whole result for one county (its one verdict, the inputs echoed, the settings used), as `countyReadiness` computes it. */
export async function countyEvaluation(
  services: Pick<Services, "db" | "now">,
  campaign: Campaign,
  county: County,
): Promise<{ result: EvaluationResult; dataFile: Readiness["dataFile"]; schools: EvaluationInput["schools"] }> {
  const reads = await campaignReads(services, campaign, [county.id]);
  const { result, schools } = evaluateCounty(reads, campaign, county);
  return { result, dataFile: reads.stored ? await countyDataFile(services, campaign.id, county.id, reads.stored) : null, schools };
}

/**
 * `countyReadiness` of several counties of one campaign, reading the stored data, the counts and
 * the plans once (the home page's cards: 35 ms a county when each read them again). A county
 * whose assembled input the engine's checks refuse is `{ error }`, the others unaffected.
 */
export async function campaignReadiness(
  services: Pick<Services, "db" | "now">,
  campaign: Campaign,
  counties: readonly County[],
): Promise<Map<string, Readiness | { error: unknown }>> {
  const out = new Map<string, Readiness | { error: unknown }>();
  if (counties.length === 0) return out;
  const reads = await campaignReads(
    services,
    campaign,
    counties.map((c) => c.id),
  );
  for (const county of counties) {
    try {
      const { result, schools } = evaluateCounty(reads, campaign, county);
      out.set(county.id, {
        verdict: result.counties[0] ?? null,
        dataFile: reads.stored ? await countyDataFile(services, campaign.id, county.id, reads.stored) : null,
        dataSchools: schools,
      });
    } catch (error) {
      out.set(county.id, { error });
    }
  }
  return out;
}

/**
 * The Excel template for a campaign, pre-filled with what is known: the stored data when there
 * is some, else the campaign's counties (常住人口, 城区/镇区/乡村) and schools (type, location,
 * enrolment). A county officer gets their county only.
 */
export async function campaignTemplate(
  services: Pick<Services, "db">,
  campaign: Campaign,
  counties: readonly County[],
  principal: Principal,
): Promise<Uint8Array> {
  const visible = principal.role === "city" ? counties : counties.filter((c) => c.id === principal.countyId);
  const ids = new Set(visible.map((c) => c.id));
  const stored = await storedInput(services, campaign.id);
  if (stored) {
    return buildWorkbook({
      ...stored.input,
      counties: stored.input.counties.filter((c) => ids.has(c.id)),
      schools: stored.input.schools.filter((s) => ids.has(s.countyId)),
      countyItems: stored.input.countyItems.filter((c) => ids.has(c.countyId)),
    });
  }
  const plans = await campaignCountyPlans(services.db, campaign.id);
  const schools = (await Promise.all(visible.map((c) => listSchools(services.db, c.id)))).flat();
  return buildWorkbook({
    format: "youzhi-junheng/evaluation-input",
    version: 1,
    title: `${campaign.name} — 评估数据`,
    counties: visible.map((c) => {
      const p = plans.find((x) => x.countyId === c.id);
      return countyInputOf(p, c);
    }),
    schools: schools.map((s) => ({
      id: s.id,
      name: s.name,
      countyId: s.countyId,
      type: s.type,
      location: s.location,
      students: s.students,
      sections: {},
      facilities: null,
      specialRooms: null,
      classes: null,
      publicFunds: null,
    })),
    countyItems: [],
  });
}
