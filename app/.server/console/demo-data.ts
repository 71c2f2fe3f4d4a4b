/**
 * The demo campaign's evaluation data for the readiness pages: docs/zhongwei-demo-example.json
 * (演示数据; the platform's demo schools with invented resource figures), attached once by
 * `npm run demo:responses`. Scripts only: it reads a file of the repository.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { getEvaluationData, putEvaluationData } from "../../../db/repositories/evaluation-data";
import { importJson } from "../evaluation-import";
import type { Services } from "../context";
import { audit } from "./audit";

export async function attachDemoEvaluationData(services: Services, campaignId: string, root = process.cwd()): Promise<boolean> {
  if (await getEvaluationData(services.db, campaignId)) return false;
  const file = path.join(root, "docs", "zhongwei-demo-example.json");
  const imported = importJson(await readFile(file, "utf8"));
  if (!imported.ok) throw new Error("docs/zhongwei-demo-example.json does not validate");
  await putEvaluationData(services.db, {
    campaignId,
    input: JSON.stringify({ ...imported.value, satisfaction: undefined }),
    fileName: "zhongwei-demo-example.json（演示数据）",
    importedAt: services.now(),
    importedBy: null,
  });
  await audit(services, null, "evaluation_imported", { campaignId, subject: "zhongwei-demo-example.json（演示数据）", detail: { demo: true } });
  return true;
}
