/**
 * The console's downloads. Every loader checks role and scope; every data export is audited.
 *
 *   template.xlsx            evaluation data template, pre-filled (city, county)
 *   table6.xlsx?county=ID    申报表 表Ⅵ and breakdowns of one county (city, that county)
 *   cv.xlsx?county=ID        表Ⅲ-style 差异系数 of one county (city, that county)
 *   forms.xlsx?county=ID     the national 申报表 of one county, every table (city, that county)
 *   responses.csv|.xlsx[?county=ID]   every raw response (city only: small cells are identifiable)
 *   evidence.zip?county=ID   the county's signed evidence pack (city, that county; decision 0026)
 *   evidence-public-key.pem  the deployment's evidence public key (any console officer; not a data export)
 */
import { createReadableStreamFromReadable, type LoaderFunctionArgs } from "@remix-run/node";
import { forbidden, notFound, requirePrincipal, requireRole } from "../../.server/auth/guard";
import { audit } from "../../.server/console/audit";
import { requireCampaign, requireCampaignCounty } from "../../.server/console/campaigns";
import { campaignTemplate } from "../../.server/console/evaluation-data";
import { evidencePack } from "../../.server/console/evidence";
import { loadEvidenceKey } from "../../.server/evidence-key";
import { cvWorkbook, formsWorkbook, responsesCsv, responsesXlsx, table6Workbook } from "../../.server/console/exports";
import { problemResponse } from "../../.server/http";
import { attachmentHeader } from "../../domain/spreadsheet-safety";

const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

function file(body: BodyInit, type: string, name: string): Response {
  return new Response(body, { headers: { "Content-Type": type, "Content-Disposition": attachmentHeader(name), "Cache-Control": "private, no-store" } });
}

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const principal = await requirePrincipal(request, context);
  const services = context.services;
  const campaignId = params.campaignId ?? "";
  const name = params.file ?? "";
  const countyParam = new URL(request.url).searchParams.get("county");

  if (name === "template.xlsx") {
    requireRole(principal, "city", "county");
    const scope = await requireCampaign(services.db, principal, campaignId);
    const bytes = await campaignTemplate(services, scope.campaign, scope.counties, principal);
    return file(Buffer.from(bytes), XLSX, `评估数据填报模板-${scope.campaign.id}.xlsx`);
  }

  if (name === "table6.xlsx" || name === "cv.xlsx") {
    if (principal.role === "school") throw forbidden();
    if (!countyParam) throw notFound("请指定县（区）。");
    const scope = await requireCampaignCounty(services.db, principal, campaignId, countyParam);
    const bytes =
      name === "table6.xlsx" ? await table6Workbook(services, scope.campaign, scope.county) : await cvWorkbook(services, scope.campaign, scope.county);
    if (!bytes) throw problemResponse(409, "尚无评估数据", "本调查活动还没有导入评估数据，无法生成差异系数表。请先导入评估数据。");
    await audit(services, principal, "export", { campaignId: scope.campaign.id, countyId: scope.county.id, subject: name, detail: { file: name } });
    const title = name === "table6.xlsx" ? "表Ⅵ社会认可度" : "表Ⅲ差异系数";
    return file(Buffer.from(bytes), XLSX, `${scope.county.name}-${title}-${scope.campaign.id}.xlsx`);
  }

  if (name === "forms.xlsx") {
    if (principal.role === "school") throw forbidden();
    if (!countyParam) throw notFound("请指定县（区）。");
    const scope = await requireCampaignCounty(services.db, principal, campaignId, countyParam);
    const made = await formsWorkbook(services, scope.campaign, scope.county);
    if (!made) throw problemResponse(409, "尚无评估数据", "本调查活动还没有导入评估数据，无法生成申报表。请先导入评估数据。");
    await audit(services, principal, "export", { campaignId: scope.campaign.id, countyId: scope.county.id, subject: name, detail: { file: name } });
    return file(Buffer.from(made.bytes), XLSX, made.fileName);
  }

  if (name === "evidence.zip") {
    if (principal.role === "school") throw forbidden();
    if (!countyParam) throw notFound("请指定县（区）。");
    const scope = await requireCampaignCounty(services.db, principal, campaignId, countyParam);
    const pack = await evidencePack(services, principal, scope.campaign, scope.county);
    return file(createReadableStreamFromReadable(pack.stream), "application/zip", pack.fileName);
  }

  if (name === "evidence-public-key.pem") {
    // Public by nature, but offered where officers already are; the campaign only places the link.
    if (principal.role === "school") throw forbidden();
    await requireCampaign(services.db, principal, campaignId);
    return file(loadEvidenceKey(services.config).publicKeyPem, "application/x-pem-file", "证据包签名公钥.pem");
  }

  if (name === "responses.csv" || name === "responses.xlsx") {
    // Raw answers identify small cells (three teachers of a 教学点): the city role only.
    requireRole(principal, "city");
    const scope = await requireCampaign(services.db, principal, campaignId);
    const county = countyParam ? (await requireCampaignCounty(services.db, principal, campaignId, countyParam)).county : null;
    const countyId = county?.id ?? null;
    await audit(services, principal, "export", { campaignId: scope.campaign.id, countyId, subject: name, detail: { file: name, raw: true } });
    const base = `原始答卷-${scope.campaign.id}${county ? `-${county.name}` : ""}`;
    if (name === "responses.csv") return file(responsesCsv(services, scope.campaign, countyId), "text/csv; charset=utf-8", `${base}.csv`);
    return file(createReadableStreamFromReadable(await responsesXlsx(services, scope.campaign, countyId)), XLSX, `${base}.xlsx`);
  }
  throw notFound();
}
