/**
 * The QR code of one survey link as a PNG download, sized for a class WeChat group:
 * /admin/qr/<campaign>/<county>/<questionnaire>?school=<school> (no `school`: the county's
 * 社会卷 link for 人大代表, 政协委员 and 其他群众). Scope-checked per principal in `linkQrPng`.
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requirePrincipal } from "../../.server/auth/guard";
import { linkQrPng } from "../../.server/console/kits";
import { attachmentHeader } from "../../domain/spreadsheet-safety";

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const principal = await requirePrincipal(request, context);
  const school = new URL(request.url).searchParams.get("school");
  const { png, fileName } = await linkQrPng(context.services, principal, {
    campaignId: params.campaignId ?? "",
    countyId: params.countyId ?? "",
    schoolId: school === null || school === "" ? null : school,
    questionnaireId: params.questionnaireId ?? "",
  });
  return new Response(new Uint8Array(png), {
    headers: {
      "Content-Type": "image/png",
      "Content-Length": String(png.byteLength),
      "Content-Disposition": attachmentHeader(fileName),
      "Cache-Control": "private, no-store",
    },
  });
}
