import { json, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { KitAudienceChoice, KitPage } from "../../components/kit-page";
import printCss from "../../styles/print-kit.css?url";
import { loadKit, requirePosterAudience } from "../../.server/collect/print-kit";
import { PrintButton } from "../../components/print-button";
import { PublicOriginBanner } from "../../components/public-origin-banner";
import { POSTER_AUDIENCE_NAMES } from "../../domain/print-kit";
import { publicOriginProblem } from "../../domain/public-origin";

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const kit = await loadKit(context.services, params.kit ?? "", requirePosterAudience(request));
  return json({ ...kit, originProblem: publicOriginProblem(context.services.config.publicUrl) }, { headers: { "Cache-Control": "private, no-store" } });
}

export const links: LinksFunction = () => [{ rel: "stylesheet", href: printCss }];

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  {
    title: data
      ? `${data.schoolName ?? data.countyName}${data.selected ? ` · ${POSTER_AUDIENCE_NAMES[data.selected]}页` : ""} · 满意度调查二维码`
      : "满意度调查二维码",
  },
];

export default function PrintKit() {
  const kit = useLoaderData<typeof loader>();
  const pages = kit.sheets.length;
  return (
    <div className={kit.originProblem ? "kit kit--warned" : "kit"}>
      <div className="kit__toolbar no-print">
        <PrintButton />
        <span>
          共 {pages} 页，每页一类人员，请使用 A4 纸打印：
          {kit.schoolName
            ? "家长页张贴在校门口、家长会会场并转发到班级群，教师页张贴在教师办公室，学生页张贴在机房或教室。"
            : "张贴在政务服务大厅等公共场所，或转发给人大代表、政协委员。"}
        </span>
      </div>
      <KitAudienceChoice audiences={kit.audiences} selected={kit.selected} allLabel="全部打印（每类人员一页）" />
      <PublicOriginBanner problem={kit.originProblem} className="kit__warning" />
      <div className="kit__sheets">
        <KitPage kit={kit} />
      </div>
    </div>
  );
}
