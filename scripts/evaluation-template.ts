/**
 * npm run evaluate:template -- --out FILE.xlsx [--from data.json]
 *
 * Writes the Excel template (评估数据填报模板) with every sheet and Chinese column header; with
 * `--from` it is filled with the data of a JSON input file (e.g. docs/zhongwei-demo-example.json),
 * which `npm run evaluate` reads back.
 */
import { readFile, writeFile } from "node:fs/promises";
import { buildWorkbook, formatImportError, importJson } from "../app/.server/evaluation-import";

const USAGE = "用法：npm run evaluate:template -- --out 模板.xlsx [--from 评估数据.json]";

async function main(argv: readonly string[]): Promise<number> {
  let out: string | null = null;
  let from: string | null = null;
  for (let i = 0; i < argv.length; i += 1) {
    const a = argv[i];
    if (a === "--out") out = argv[++i] ?? null;
    else if (a === "--from") from = argv[++i] ?? null;
    else {
      process.stderr.write(`未知参数 ${String(a)}\n${USAGE}\n`);
      return 2;
    }
  }
  if (!out || !out.toLowerCase().endsWith(".xlsx")) {
    process.stderr.write(`请用 --out 指定 .xlsx 文件\n${USAGE}\n`);
    return 2;
  }
  let input;
  if (from) {
    const r = importJson(await readFile(from, "utf8"));
    if (!r.ok) {
      process.stderr.write(`${r.errors.map(formatImportError).join("\n")}\n`);
      return 2;
    }
    input = r.value;
  }
  await writeFile(out, await buildWorkbook(input));
  process.stderr.write(`已写入 ${out}\n`);
  return 0;
}

process.exitCode = await main(process.argv.slice(2));
