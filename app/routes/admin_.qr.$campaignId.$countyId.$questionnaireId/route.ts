/**
 * The QR code of one survey link as a PNG download, sized for a class WeChat group:
 * /admin/qr/<campaign>/<county>/<questionnaire>?school=<school> (no `school`: the county's
 * 社会卷 link for 人大代表, 政协委员 and 其他群众). Scope-checked per principal in `linkQrPng`.
 * `&view=1` serves it inline: WeChat's built-in browser ignores downloads, but a picture opened
 * there can be long-pressed and sent to a chat (发送给朋友) or saved.
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requirePrincipal } from "../../.server/auth/guard";
import { linkQrPng } from "../../.server/console/kits";
import { attachmentHeader } from "../../domain/spreadsheet-safety";

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const principal = await requirePrincipal(request, context);
  const search = new URL(request.url).searchParams;
  const school = search.get("school");
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
      "Content-Disposition": search.get("view") === "1" ? attachmentHeader(fileName).replace(/^attachment/, "inline") : attachmentHeader(fileName),
      "Cache-Control": "private, no-store",
    },
  });
}
