/**
 * Uploads that cannot stop the server (issue 12, item 1): every bomb of the issue, built on the
 * fly, goes through the real evaluation-data and school-list actions and is refused with one
 * Chinese message, stores nothing, audits nothing — and the main thread keeps answering while
 * the worker reads it (a timer probe: no gap over half a second, where the heavy honest file
 * parsed in-process would block it for about 2 s). The worker's own limits (time, memory,
 * concurrency) are exercised through `parseUpload` with small settings.
 */
import { strToU8, zipSync } from "fflate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importEvaluationFile, importXlsx } from "../../../app/.server/evaluation-import";
import { BUSY_MESSAGE, importWorkerLoad, parseUpload } from "../../../app/.server/import-worker";
import { action as evaluationAction } from "../../../app/routes/admin.campaigns.$campaignId.evaluation-data/route";
import { action as schoolsAction } from "../../../app/routes/admin.campaigns.$campaignId.schools-import/route";
import { listAudit } from "../../../db/repositories/audit";
import { getEvaluationData } from "../../../db/repositories/evaluation-data";
import { makeTestServices, type TestServices } from "../../support/services";
import { callAction, roleCookies, type Called } from "../console/support";
import { heavyWorkbook, lyingAboutSize, manyEntries, minimalXlsx, numberRows, repeat, streamedZip } from "./bombs";

let services: TestServices;
let cookies: Awaited<ReturnType<typeof roleCookies>>;
let schoolsBefore = 0;

beforeAll(async () => {
  services = await makeTestServices();
  cookies = await roleCookies(services);
  schoolsBefore = await schoolCount();
});
afterAll(async () => {
  await services.dispose();
});

async function schoolCount(): Promise<number> {
  const row = await services.db
    .selectFrom("schools")
    .select((eb) => eb.fn.countAll().as("n"))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

function fileForm(name: string, bytes: Uint8Array): FormData {
  const f = new FormData();
  f.append("file", new File([Buffer.from(bytes)], name));
  return f;
}

/** Runs `work` while a 5 ms timer measures how long the main thread ever went without running it. */
async function probing<T>(work: () => Promise<T>): Promise<{ value: T; worstGapMs: number; ticks: number }> {
  let last = performance.now();
  let worst = 0;
  let ticks = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    worst = Math.max(worst, now - last);
    last = now;
    ticks += 1;
  }, 5);
  try {
    const value = await work();
    worst = Math.max(worst, performance.now() - last);
    return { value, worstGapMs: worst, ticks };
  } finally {
    clearInterval(timer);
  }
}

async function uploadEvaluation(name: string, bytes: Uint8Array): Promise<Called> {
  return callAction(services, evaluationAction, "/admin/campaigns/zw2026/evaluation-data", {
    cookie: cookies.city,
    params: { campaignId: "zw2026" },
    form: fileForm(name, bytes),
  });
}
async function uploadSchools(name: string, bytes: Uint8Array): Promise<Called> {
  return callAction(services, schoolsAction, "/admin/campaigns/zw2026/schools-import", {
    cookie: cookies.city,
    params: { campaignId: "zw2026" },
    form: fileForm(name, bytes),
  });
}

/** Refused with exactly these messages, nothing stored or audited, and the main thread answered throughout. */
async function expectRefused(name: string, bytes: Uint8Array, messages: string[]): Promise<void> {
  for (const upload of [uploadEvaluation, uploadSchools]) {
    const { value: res, worstGapMs } = await probing(() => upload(name, bytes));
    expect(res.status).toBe(400);
    expect((res.body as { errors: string[] }).errors).toEqual(messages);
    expect(worstGapMs).toBeLessThan(500);
  }
  expect(await getEvaluationData(services.db, "zw2026")).toBeNull();
  expect(await schoolCount()).toBe(schoolsBefore);
  expect(await listAudit(services.db, { action: "evaluation_imported", limit: 5 })).toEqual([]);
  expect(await listAudit(services.db, { action: "schools_imported", limit: 5 })).toEqual([]);
}

const SCHOOL_HEADER = "学校标识码,学校名称,所属县（区）代码,学校类型,城乡类型,小学在校生数（人）,初中在校生数（人）,高中在校生数（人）\n";
const SCHOOL_ROW = "zn01,中宁县第一小学,640521,小学,城区,1900,0,0\n";
const MB = 1024 * 1024;

/** The 895 KB zip: one CSV of 300 MB, written piece by piece. */
function csvBomb(): Uint8Array {
  const line = strToU8(SCHOOL_ROW.repeat(Math.floor(MB / SCHOOL_ROW.length)));
  return streamedZip([{ name: "学校.csv", pieces: () => [strToU8(SCHOOL_HEADER), ...repeat(line, 300)] }]);
}

describe("zip bombs and oversize archives: refused while inflating, in Chinese, nothing stored", () => {
  it("a small zip of a 300 MB CSV, whether it declares its size or lies about it", async () => {
    const bomb = csvBomb();
    expect(bomb.byteLength).toBeLessThan(2 * MB);
    await expectRefused("评估数据.zip", bomb, ["「文件」：文件解压后超过 50 MB"]);
    await expectRefused("评估数据.zip", lyingAboutSize(bomb), ["「文件」：文件解压后超过 50 MB"]);
  });

  it("CSV text past 20 MB in a zip (under the 50 MB cap), declared or lying: refused before it is decoded, through the worker", async () => {
    const line = strToU8(SCHOOL_ROW.repeat(Math.floor(MB / SCHOOL_ROW.length)));
    const big = streamedZip([{ name: "学校.csv", pieces: () => [strToU8(SCHOOL_HEADER), ...repeat(line, 25)] }]);
    const message = "「文件」：压缩包内的 CSV 文件解压后合计超过 20 MB，请改用 Excel 模板（.xlsx）导入，或按县（区）拆分后分别导入";
    await expectRefused("评估数据.zip", big, [message]);
    await expectRefused("评估数据.zip", lyingAboutSize(big), [message]);
  });

  it("an .xlsx whose sheet inflates past the cap (declared or not)", async () => {
    const padding = " ".repeat(MB);
    // 80 MB of white space between rows: legal XML, no row, no cell — only bytes.
    const xlsx = minimalXlsx("学校", ["学校标识码"], function* () {
      for (let i = 0; i < 80; i += 1) yield padding;
    });
    expect(xlsx.byteLength).toBeLessThan(2 * MB);
    await expectRefused("评估数据.xlsx", xlsx, ["「文件」：文件解压后超过 50 MB"]);
    await expectRefused("评估数据.xlsx", lyingAboutSize(xlsx), ["「文件」：文件解压后超过 50 MB"]);
  });

  it("a zip of more entries than any real upload has", async () => {
    await expectRefused("评估数据.zip", manyEntries(201), ["「文件」：压缩包内的文件超过 200 个"]);
    await expectRefused("评估数据.xlsx", manyEntries(5000), ["「文件」：压缩包内的文件超过 200 个"]);
  });
});

describe("rows, cells and encodings: one message per cause", () => {
  it("a workbook of 1,000,000 rows stops at the row cap, without reading the rest", async () => {
    const xlsx = minimalXlsx("学校", ["学校标识码"], () => numberRows(1_000_000));
    await expectRefused("学校名单.xlsx", xlsx, ["「文件」：工作表「学校」超过 100000 行，请检查是否选错了文件或误填了大量空行"]);
  });

  it("a CSV of 1,000,000 rows likewise", async () => {
    // Short rows, so that the rows and not the bytes are what is too many (a CSV entry inflates
    // whole within the size cap, then parses row by row).
    const csv = streamedZip([{ name: "学校.csv", pieces: () => [strToU8(SCHOOL_HEADER), ...repeat(strToU8("a,1\n".repeat(10_000)), 100)] }]);
    await expectRefused("评估数据.zip", csv, ["「文件」：「学校」超过 100000 行，请检查是否选错了文件"]);
  });

  it("a cell longer than Excel allows, in a workbook and in a CSV", async () => {
    const huge = "长".repeat(40_000);
    const xlsx = minimalXlsx("学校", ["学校标识码", "学校名称"], () => [
      `<row r="2"><c r="A2" t="inlineStr"><is><t>zn01</t></is></c><c r="B2" t="inlineStr"><is><t>${huge}</t></is></c></row>`,
    ]);
    await expectRefused("学校名单.xlsx", xlsx, ["「文件」：工作表「学校」第 2 行第 2 列的单元格超过 32767 个字符（Excel 单元格的上限），请检查文件"]);
    const zip = zipSync({ "学校.csv": strToU8(`${SCHOOL_HEADER}zn01,${huge},640521,小学,城区,1900,0,0\n`) });
    await expectRefused("评估数据.zip", zip, ["「文件」：「学校」第 2 行的单元格超过 32767 个字符，请检查文件"]);
  });

  it("bytes in no known encoding (a binary renamed .csv) — not an English 500", async () => {
    const binary = Uint8Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256);
    await expectRefused("评估数据.zip", zipSync({ "县（区）.csv": strToU8("县（区）代码,县（区）名称\n640521,中宁县\n"), "学校.csv": binary }), [
      "「文件」：「学校.csv」：文件编码无法识别，请另存为 UTF-8 或 GB18030（GBK）编码的 CSV",
    ]);
    await expectRefused("学校.csv", binary, ["「文件」：「学校.csv」：文件编码无法识别，请另存为 UTF-8 或 GB18030（GBK）编码的 CSV"]);
    await expectRefused("评估数据.json", binary, ["「文件」：文件编码无法识别，请保存为 UTF-8 编码的 JSON"]);
  });

  it("not a zip at all, named .xlsx or .zip", async () => {
    await expectRefused("坏.xlsx", strToU8("PK this is not a workbook"), ["「文件」：无法读取 Excel 文件：文件已损坏或不是 zip 格式"]);
    await expectRefused("坏.zip", strToU8("hello"), ["「文件」：无法读取 zip 文件：文件已损坏或不是 zip 格式"]);
  });
});

describe("the worker's own limits", () => {
  /** An honest-looking but long file: 99,999 school rows, each with a bad type (so many errors). */
  const longCsv = () =>
    streamedZip([
      { name: "县（区）.csv", pieces: () => [strToU8("县（区）代码,县（区）名称\n640521,中宁县\n")] },
      { name: "学校.csv", pieces: () => [strToU8(SCHOOL_HEADER), ...repeat(strToU8("zn01,第一小学,640521,大学,城区,1900,0,0\n".repeat(9_999)), 10)] },
    ]);

  it("a file wrong in every row answers 200 errors, the last saying how many more", async () => {
    const { value: r, worstGapMs } = await probing(() => parseUpload("评估数据.zip", longCsv()));
    expect(worstGapMs).toBeLessThan(500);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toHaveLength(200);
    expect(r.errors[0]?.message).toBe("应为 小学/初中/九年一贯制学校/十二年一贯制学校/完全中学/教学点 之一，实际为“大学”");
    expect(r.errors[199]?.message).toBe(`另有 ${String(99_990 - 199)} 处错误未列出，请先修正以上错误后重新导入`);
  });

  it("past the wall-clock limit the worker is terminated and the officer told so", async () => {
    const r = await parseUpload("评估数据.zip", longCsv(), { settings: { timeoutMs: 300 } });
    expect(r).toEqual({
      ok: false,
      errors: [{ sheet: "文件", row: null, column: null, message: "文件处理超过 0.3 秒，已停止。请检查文件是否过大，或按县（区）拆分后分别导入" }],
    });
  });

  it("a worker out of memory is a Chinese message, and the server goes on", async () => {
    const warnings: string[] = [];
    const r = await parseUpload("评估数据.zip", longCsv(), { settings: { maxOldGenerationSizeMb: 12 }, log: { warn: (m) => warnings.push(m) } });
    expect(r).toEqual({
      ok: false,
      errors: [{ sheet: "文件", row: null, column: null, message: "文件处理所需内存超过限制，已停止。请检查文件是否过大，或按县（区）拆分后分别导入" }],
    });
    expect(warnings).toEqual(["import worker ran out of memory"]);
    // The next file is read as usual.
    expect(
      (await parseUpload("a.json", strToU8('{"format":"youzhi-junheng/evaluation-input","version":1,"counties":[],"schools":[],"countyItems":[]}'))).ok,
    ).toBe(true);
  });

  it("four bombs at once: two workers at a time, the rest queued, more than the queue refused politely", async () => {
    const bomb = csvBomb();
    let peak = 0;
    const watch = setInterval(() => (peak = Math.max(peak, importWorkerLoad().running)), 2);
    const results = await Promise.all(Array.from({ length: 8 }, () => parseUpload("评估数据.zip", bomb, { settings: { concurrent: 2, queued: 4 } })));
    clearInterval(watch);
    expect(peak).toBeLessThanOrEqual(2);
    const messages = results.map((r) => (r.ok ? "ok" : r.errors.map((e) => e.message).join()));
    expect(messages.filter((m) => m === "文件解压后超过 50 MB")).toHaveLength(6);
    expect(messages.filter((m) => m === BUSY_MESSAGE)).toHaveLength(2);
    expect(results.filter((r) => !r.ok && r.busy)).toHaveLength(2);
    expect(importWorkerLoad()).toEqual({ running: 0, waiting: 0 });
  });

  it("busy: the route answers 503 with Retry-After, and stores nothing", async () => {
    const bomb = csvBomb();
    const calls = await Promise.all(Array.from({ length: 8 }, () => uploadEvaluation("评估数据.zip", bomb)));
    // One parsed, four waiting (IMPORT_WORKER), three told the server is busy.
    const busy = calls.filter((c) => c.status === 503);
    expect(busy).toHaveLength(3);
    expect(busy[0]?.headers.get("retry-after")).toBe("60");
    expect((busy[0]?.body as { errors: string[] }).errors).toEqual([`「文件」：${BUSY_MESSAGE}`]);
    expect(calls.filter((c) => c.status === 400)).toHaveLength(5);
    expect(await getEvaluationData(services.db, "zw2026")).toBeNull();
  });
});

describe("the CLI's in-process import has the same caps", () => {
  it("refuses a row wider than any sheet of the template, in a workbook and in a CSV", async () => {
    const wide = await importXlsx(minimalXlsx("学校", ["学校标识码"], () => ['<row r="2"><c r="A2"><v>1</v></c><c r="IP2"><v>1</v></c></row>']));
    expect(wide).toEqual({ ok: false, errors: [{ sheet: "文件", row: null, column: null, message: "工作表「学校」第 2 行超过 200 列，请检查文件" }] });
    const csv = await importEvaluationFile("学校.csv", strToU8(`${SCHOOL_HEADER}${"x,".repeat(200)}x\n`));
    expect(csv).toEqual({ ok: false, errors: [{ sheet: "文件", row: null, column: null, message: "「学校」第 2 行超过 200 列，请检查文件" }] });
  });
  it("refuses the 300 MB CSV bomb and the million-row workbook with the same messages", async () => {
    const bomb = await importEvaluationFile("评估数据.zip", lyingAboutSize(csvBomb()));
    expect(bomb).toEqual({ ok: false, errors: [{ sheet: "文件", row: null, column: null, message: "文件解压后超过 50 MB" }] });
    const rows = await importXlsx(
      minimalXlsx("学校", ["学校标识码"], () => numberRows(1_000_000)),
      { totalBytes: 50 * MB, entryBytes: 50 * MB, textBytes: 20 * MB, entries: 200, rowsPerSheet: 1000, columnsPerRow: 200, cellChars: 32_767 },
    );
    expect(rows).toEqual({
      ok: false,
      errors: [{ sheet: "文件", row: null, column: null, message: "工作表「学校」超过 1000 行，请检查是否选错了文件或误填了大量空行" }],
    });
  });
});

describe("an honest file that takes seconds to read", () => {
  it("imports (30,000 questionnaire records, about a million cells) while the main thread never waits over half a second", async () => {
    const heavy = heavyWorkbook(30_000);
    // In-process this takes about 2 s on this machine (the CLI's path): all of it a gap for the timer.
    const { value: res, worstGapMs, ticks } = await probing(() => uploadEvaluation("问卷.xlsx", heavy));
    expect(res.body).toEqual({ ok: true, message: "已导入 1 个县（区）、0 所学校的评估数据。" });
    expect(worstGapMs).toBeLessThan(500);
    expect(ticks).toBeGreaterThan(20);
    const stored = await getEvaluationData(services.db, "zw2026");
    expect(stored?.fileName).toBe("问卷.xlsx");
    // The console keeps no questionnaire records (社会认可度 comes from the campaign's own responses).
    expect(JSON.parse(stored?.input ?? "{}")).not.toHaveProperty("satisfaction");
  });
});
