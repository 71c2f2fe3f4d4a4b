/**
 * One print-ready document per county: the county-level sheet, then school after school, each
 * school's sheets in the order 家长, 教师, 学生 — one audience per A4 sheet, in the same layout
 * as /print/<kit>. `?audience=parent|staff|student` prints only that sheet of every school
 * (then without the county sheet). County officers print it once for all their schools.
 */
import { json, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { requirePrincipal } from "../../.server/auth/guard";
import { requireCampaignCounty } from "../../.server/console/campaigns";
import { campaignKits } from "../../.server/console/kits";
import { ConsoleProblem } from "../../components/console/console-error";
import { KitAudienceChoice, KitPage } from "../../components/kit-page";
import { PrintButton } from "../../components/print-button";
import { PublicOriginBanner } from "../../components/public-origin-banner";
import { POSTER_AUDIENCE_NAMES, POSTER_AUDIENCES } from "../../domain/print-kit";
import { publicOriginProblem } from "../../domain/public-origin";
import printCss from "../../styles/print-kit.css?url";
import { loadKit, requirePosterAudience } from "../../.server/collect/print-kit";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: printCss }];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const principal = await requirePrincipal(request, context);
  const scope = await requireCampaignCounty(context.services.db, principal, params.campaignId ?? "", params.countyId ?? "");
  const audience = requirePosterAudience(request);
  const [kits] = await campaignKits(context.services, scope.campaign, [scope.county]);
  const token = (p: string) => p.replace(/^\/print\//, "");
  const schoolKits = await Promise.all((kits?.schools ?? []).map((s) => loadKit(context.services, token(s.kitPath))));
  // One audience of every school that has it; the county sheet only in the full document.
  const schools = audience
    ? schoolKits.map((k) => ({ ...k, sheets: k.sheets.filter((s) => s.audience === audience), selected: audience })).filter((k) => k.sheets.length > 0)
    : schoolKits;
  const countyKit = kits && !audience ? await loadKit(context.services, token(kits.countyKitPath)) : null;
  const pages = [...(countyKit ? [countyKit] : []), ...schools];
  const audiences = POSTER_AUDIENCES.filter((a) => schoolKits.some((k) => k.audiences.includes(a)));
  return json(
    { county: scope.county, pages, audiences, selected: audience, originProblem: publicOriginProblem(context.services.config.publicUrl) },
    { headers: { "Cache-Control": "private, no-store" } },
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.county.name} · 全县二维码打印${data.selected ? `（${POSTER_AUDIENCE_NAMES[data.selected]}页）` : ""}` : "二维码打印" },
];

export default function CountyKitDocument() {
  const { county, pages, audiences, selected, originProblem } = useLoaderData<typeof loader>();
  const sheets = pages.reduce((n, k) => n + k.sheets.length, 0);
  const schools = pages.filter((k) => k.schoolName !== null).length;
  return (
    <div className={originProblem ? "kit kit--warned" : "kit"}>
      <div className="kit__toolbar no-print">
        <PrintButton />
        <span>
          {county.name}：共 {sheets} 页（
          {selected
            ? `${schools} 所学校的${POSTER_AUDIENCE_NAMES[selected]}页，每校一页`
            : `县级 ${String(pages.length - schools)} 页，${schools} 所学校每校按家长、教师、学生各一页`}
          ），请使用 A4 纸打印。
        </span>
      </div>
      <KitAudienceChoice audiences={audiences} selected={selected} allLabel="全部打印（县级页与各校全部页）" />
      <PublicOriginBanner problem={originProblem} className="kit__warning" />
      <div className="kit__sheets">
        {pages.map((kit, i) => (
          <KitPage kit={kit} key={`${kit.schoolName ?? "county"}-${String(i)}`} />
        ))}
      </div>
    </div>
  );
}

export function ErrorBoundary() {
  return <ConsoleProblem />;
}
