/**
 * File downloads of the console: the evaluation data template now; the 表Ⅲ / 表Ⅵ workbooks and
 * raw responses join here. Every loader checks role and scope; data exports are audited.
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { notFound, requirePrincipal, requireRole } from "../../.server/auth/guard";
import { requireCampaign } from "../../.server/console/campaigns";
import { campaignTemplate } from "../../.server/console/evaluation-data";

const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

function attachment(name: string): string {
  return `attachment; filename="${name.replace(/[^\x20-\x7e]/g, "_")}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const principal = await requirePrincipal(request, context);
  const scope = await requireCampaign(context.services.db, principal, params.campaignId ?? "");
  const file = params.file ?? "";
  if (file === "template.xlsx") {
    requireRole(principal, "city", "county");
    const bytes = await campaignTemplate(context.services, scope.campaign, scope.counties, principal);
    return new Response(Buffer.from(bytes), {
      headers: { "Content-Type": XLSX, "Content-Disposition": attachment(`评估数据填报模板-${scope.campaign.id}.xlsx`), "Cache-Control": "private, no-store" },
    });
  }
  throw notFound();
}
