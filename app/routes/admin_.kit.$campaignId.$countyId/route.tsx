/**
 * One print-ready document per county: the county-level page and every school's A4 QR page,
 * one per sheet, in the same layout as /print/<kit>. County officers print it once for all
 * their schools.
 */
import { json, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { requirePrincipal } from "../../.server/auth/guard";
import { requireCampaignCounty } from "../../.server/console/campaigns";
import { campaignKits } from "../../.server/console/kits";
import { ConsoleProblem } from "../../components/console/console-error";
import { KitPage } from "../../components/kit-page";
import { PrintButton } from "../../components/print-button";
import { PublicOriginBanner } from "../../components/public-origin-banner";
import { publicOriginProblem } from "../../domain/public-origin";
import printCss from "../../styles/print-kit.css?url";
import { loadKit } from "../../.server/collect/print-kit";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: printCss }];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const principal = await requirePrincipal(request, context);
  const scope = await requireCampaignCounty(context.services.db, principal, params.campaignId ?? "", params.countyId ?? "");
  const [kits] = await campaignKits(context.services, scope.campaign, [scope.county]);
  const tokens = kits ? [kits.countyKitPath, ...kits.schools.map((s) => s.kitPath)].map((p) => p.replace(/^\/print\//, "")) : [];
  const pages = await Promise.all(tokens.map((t) => loadKit(context.services, t)));
  return json({ county: scope.county, pages, originProblem: publicOriginProblem(context.services.config.publicUrl) }, { headers: { "Cache-Control": "private, no-store" } });
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.county.name} · 全县二维码打印` : "二维码打印" }];

export default function CountyKitDocument() {
  const { county, pages, originProblem } = useLoaderData<typeof loader>();
  return (
    <div className="kit">
      <div className="kit__toolbar no-print">
        <PrintButton />
        <span>
          {county.name}：共 {pages.length} 页（县级 1 页、学校 {pages.length - 1} 页），请使用 A4 纸打印，每页一所学校。
        </span>
      </div>
      <PublicOriginBanner problem={originProblem} className="kit__warning" />
      {pages.map((kit, i) => (
        <KitPage kit={kit} key={`${kit.schoolName ?? "county"}-${String(i)}`} style={i < pages.length - 1 ? { breakAfter: "page" } : undefined} />
      ))}
    </div>
  );
}

export function ErrorBoundary() {
  return <ConsoleProblem />;
}
