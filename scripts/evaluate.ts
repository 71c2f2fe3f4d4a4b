/**
 * npm run evaluate -- <file.xlsx|file.zip|file.json> [--campaign <id>] [--settings <settings.json>]
 *
 * Prints the verdict of every county in the file as JSON on stdout (the documented output
 * schema, docs/schemas/evaluation-output.schema.json). Exit code 0 whatever the verdict; 2 for
 * invalid input or arguments, with the errors in Chinese on stderr (one per line, by sheet, row
 * and column). A part the file does not cover is "not evaluated", not an error.
 *
 * `--campaign <id>` takes the 社会认可度 part from that campaign's survey, as the console reads it
 * (app/.server/campaign-satisfaction.ts): its tallies — the ones kept at archiving once the raw
 * responses are deleted — under the campaign's own rule, which `settings.satisfaction.rule` then
 * echoes. Questionnaires in the file are not used (said on stderr and in the output's notice).
 * Each county's 常住人口 and split are the campaign's where it has them, else the file's; the
 * notice names the source of each. `runEvaluate` takes the loader as `io.loadCampaign`.
 *
 * `--xlsx <OUT.xlsx>` also writes the national 申报表 workbook (app/domain/evaluation-forms): one
 * file per county — exactly OUT.xlsx when the input holds one county, else OUT-<代码>-<名称>.xlsx
 * for each; the files written are listed on stderr, the JSON still goes to stdout.
 *
 * `--settings <settings.json>` overrides the spec's defaults (a province's own reading), e.g.
 * `{ "guarantee": { "g3": { "classesPerRoom": 12, "rounding": "floor_at_least_one",
 * "musicRoomMinM2": 96, "artRoomMinM2": 90, "includeTeachingPoints": true } } }`; see docs/evaluation.md "Settings".
 */
import { readFile, writeFile } from "node:fs/promises";
import { basename, dirname, extname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { formatImportError, importEvaluationFile } from "../app/.server/evaluation-import";
import { z } from "zod/v4";
import { evaluateCounties, type EvaluationSettingsOverride } from "../app/domain/evaluation";
import { EvaluationSettingsOverrideSchema } from "../app/domain/evaluation/output-schema";
import type { EvaluationInput, SatisfactionInput } from "../app/domain/evaluation/input";
import { campaignSatisfaction, type CampaignSatisfaction } from "../app/.server/campaign-satisfaction";
import { writeFormsWorkbook } from "../app/.server/evaluation-export";
import { countyForms } from "../app/domain/evaluation-forms";
import { sameRule } from "../app/domain/satisfaction-rule";
import type { Services } from "../app/.server/context";
import { openServices } from "./lib/cli";

export interface EvaluateIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  readFile: (path: string) => Promise<Uint8Array>;
  /** Writes a file (`--xlsx`); absent → `--xlsx` is refused. */
  writeFile?: (path: string, bytes: Uint8Array) => Promise<void>;
  /** Loads a campaign's survey (counts, rule, 常住人口); absent → `--campaign` is refused. */
  loadCampaign?: (campaignId: string, input: EvaluationInput) => Promise<CampaignSatisfaction>;
}

/** Questionnaires in a file's 社会认可度 part (records, or the total of its count rows). */
function questionnairesIn(s: SatisfactionInput | undefined): number {
  if (!s) return 0;
  return s.source === "records" ? s.records.length : s.cells.reduce((a, c) => a + c.total, 0);
}

/**
 * The file's input with the campaign's 社会认可度 part: its counts replace the file's, and each
 * county takes the campaign's 常住人口 and split where the campaign has them, else keeps the
 * file's. Returns the new input and the Chinese notes saying which source was used.
 */
export function withCampaign(input: EvaluationInput, loaded: CampaignSatisfaction): { input: EvaluationInput; notes: string[] } {
  const notes: string[] = [];
  const fileQuestionnaires = questionnairesIn(input.satisfaction);
  const collected = loaded.satisfaction.cells.reduce((a, c) => a + c.total, 0);
  notes.push(
    `社会认可度取自调查活动 ${loaded.campaignId}（${loaded.campaignName}）的 ${String(collected)} 份问卷` +
      (loaded.archivedAt !== null ? "（该调查活动已归档，原始答卷已删除，使用归档时保留的计数）" : "") +
      "，满意判定规则为该调查活动的规则",
  );
  if (fileQuestionnaires > 0) notes.push(`评估数据文件中的 ${String(fileQuestionnaires)} 份问卷未使用`);
  const plans = new Map(loaded.counties.map((c) => [c.countyId, c]));
  const fromCampaign: string[] = [];
  const fromFile: string[] = [];
  const none: string[] = [];
  const counties = input.counties.map((c) => {
    const plan = plans.get(c.id);
    if (plan && plan.residentPopulation !== null) {
      fromCampaign.push(c.name);
      return { ...c, residentPopulation: plan.residentPopulation, locationShare: plan.locationShare };
    }
    (c.residentPopulation !== null ? fromFile : none).push(c.name);
    return c;
  });
  const sources = [
    fromCampaign.length > 0 ? `${fromCampaign.join("、")}取自调查活动` : null,
    fromFile.length > 0 ? `${fromFile.join("、")}取自评估数据文件（调查活动未填写）` : null,
    none.length > 0 ? `${none.join("、")}均未填写` : null,
  ].filter((x) => x !== null);
  if (sources.length > 0) notes.push(`常住人口：${sources.join("；")}`);
  const note = [input.note, ...notes].filter((x) => x !== undefined && x !== "").join("；");
  return { input: { ...input, counties, satisfaction: loaded.satisfaction, note }, notes };
}

const USAGE = "用法：npm run evaluate -- <评估数据文件.xlsx|.zip|.json> [--campaign <调查活动编号>] [--settings <设置.json>] [--xlsx <申报表.xlsx>]";

/**
 * Where `--xlsx OUT` writes each county's workbook: OUT itself for a single county, else
 * OUT's name with "-<代码>-<名称>" before the extension (".xlsx" added when OUT has none).
 */
export function formsPaths(out: string, counties: readonly { countyId: string; countyName: string }[]): string[] {
  if (counties.length === 1) return [out];
  const ext = extname(out);
  const stem = ext.toLowerCase() === ".xlsx" ? out.slice(0, -ext.length) : out;
  const safe = (s: string) => s.replace(/[\\/:*?"<>|\s]+/g, "_");
  return counties.map((c) => join(dirname(stem), `${basename(stem)}-${safe(c.countyId)}-${safe(c.countyName)}.xlsx`));
}

/** Runs the CLI; returns the exit code. */
export async function runEvaluate(argv: readonly string[], io: EvaluateIo): Promise<number> {
  const files: string[] = [];
  let campaign: string | null = null;
  let settingsFile: string | null = null;
  let xlsxOut: string | null = null;
  for (let i = 0; i < argv.length; i += 1) {
    const a = argv[i] ?? "";
    if (a === "--campaign") {
      const id = argv[i + 1];
      if (id === undefined || id.startsWith("--")) {
        io.stderr(`缺少 --campaign 的调查活动编号\n${USAGE}\n`);
        return 2;
      }
      campaign = id;
      i += 1;
    } else if (a === "--settings") {
      const f = argv[i + 1];
      if (f === undefined || f.startsWith("--")) {
        io.stderr(`缺少 --settings 的设置文件\n${USAGE}\n`);
        return 2;
      }
      settingsFile = f;
      i += 1;
    } else if (a === "--xlsx") {
      const f = argv[i + 1];
      if (f === undefined || f.startsWith("--")) {
        io.stderr(`缺少 --xlsx 的输出文件名\n${USAGE}\n`);
        return 2;
      }
      if (!/\.xlsx$/i.test(f)) {
        io.stderr(`--xlsx 的输出文件名应以 .xlsx 结尾：${f}\n`);
        return 2;
      }
      xlsxOut = f;
      i += 1;
    } else if (a === "--help" || a === "-h") {
      io.stderr(`${USAGE}\n`);
      return 0;
    } else if (a.startsWith("--")) {
      io.stderr(`未知参数 ${a}\n${USAGE}\n`);
      return 2;
    } else files.push(a);
  }
  if (files.length !== 1) {
    io.stderr(`${files.length === 0 ? "缺少评估数据文件" : "只能指定一个评估数据文件"}\n${USAGE}\n`);
    return 2;
  }
  const file = files[0] ?? "";
  let bytes: Uint8Array;
  try {
    bytes = await io.readFile(file);
  } catch (e) {
    io.stderr(`无法读取文件 ${file}：${e instanceof Error ? e.message : String(e)}\n`);
    return 2;
  }
  // In-process here (one file, one user), within the same caps as the console's worker (IMPORT_LIMITS).
  const imported = await importEvaluationFile(basename(file), bytes);
  if (!imported.ok) {
    io.stderr(`评估数据有 ${String(imported.errors.length)} 处错误，未导入任何数据：\n${imported.errors.map(formatImportError).join("\n")}\n`);
    return 2;
  }
  let settings: EvaluationSettingsOverride | undefined;
  if (settingsFile !== null) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(new TextDecoder("utf-8").decode(await io.readFile(settingsFile)));
    } catch (e) {
      io.stderr(`无法读取设置文件 ${settingsFile}：${e instanceof Error ? e.message : String(e)}\n`);
      return 2;
    }
    const checked = EvaluationSettingsOverrideSchema.safeParse(parsed, { error: z.locales.zhCN().localeError });
    if (!checked.success) {
      io.stderr(`设置文件有误：\n${checked.error.issues.map((i) => `「${i.path.join(".")}」：${i.message}`).join("\n")}\n`);
      return 2;
    }
    settings = checked.data;
  }
  let input = imported.value;
  if (campaign !== null) {
    if (!io.loadCampaign) {
      io.stderr(`--campaign 需要数据库中的调查数据，当前尚未接入；请在评估数据文件中附带问卷\n`);
      return 2;
    }
    let loaded: CampaignSatisfaction;
    try {
      loaded = await io.loadCampaign(campaign, input);
    } catch (e) {
      io.stderr(`无法读取调查活动 ${campaign}：${e instanceof Error ? e.message : String(e)}\n`);
      return 2;
    }
    const joined = withCampaign(input, loaded);
    input = joined.input;
    for (const n of joined.notes) io.stderr(`注意：${n}\n`);
    // The counts were taken under the campaign's rule; the settings say so.
    const asked = settings?.satisfaction?.rule;
    if (asked !== undefined && !sameRule(asked, loaded.satisfaction.rule)) {
      io.stderr("注意：设置文件中的 satisfaction.rule 不适用：--campaign 的问卷已按调查活动的规则计数\n");
    }
    settings = { ...settings, satisfaction: { ...settings?.satisfaction, rule: loaded.satisfaction.rule } };
  }
  const result = evaluateCounties(input, settings);
  if (xlsxOut !== null) {
    if (!io.writeFile) {
      io.stderr("--xlsx 需要写文件，当前调用方式不支持\n");
      return 2;
    }
    if (result.counties.length === 0) {
      io.stderr("评估数据中没有县（区），未写出申报表\n");
      return 2;
    }
    const paths = formsPaths(xlsxOut, result.counties);
    // Every workbook is built before the first is written, so a failure leaves no partial set.
    const books = await Promise.all(result.counties.map((county) => writeFormsWorkbook(countyForms(result, county.countyId))));
    const written: string[] = [];
    for (const [i, bytes] of books.entries()) {
      const path = paths[i] ?? xlsxOut;
      try {
        await io.writeFile(path, bytes);
      } catch (e) {
        io.stderr(`无法写出申报表 ${path}：${e instanceof Error ? e.message : String(e)}${written.length > 0 ? `（已写出：${written.join("、")}）` : ""}\n`);
        return 2;
      }
      written.push(path);
    }
    io.stderr(`已写出申报表 ${String(written.length)} 个：\n${result.counties.map((c, i) => `${c.countyName}：${written[i] ?? ""}`).join("\n")}\n`);
  }
  io.stdout(`${JSON.stringify(result, null, 2)}\n`);
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  // The store is opened only when --campaign asks for it (same DATA_DIR/STORE as the server).
  const opened: { services?: Services } = {};
  const code = await runEvaluate(process.argv.slice(2), {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    readFile: async (p) => new Uint8Array(await readFile(p)),
    writeFile: (p, bytes) => writeFile(p, bytes),
    loadCampaign: async (campaignId) => {
      opened.services ??= await openServices();
      return campaignSatisfaction(opened.services, campaignId);
    },
  });
  await opened.services?.close();
  process.exitCode = code;
}
