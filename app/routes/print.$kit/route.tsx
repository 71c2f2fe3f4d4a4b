import { json, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { KitPage } from "../../components/kit-page";
import printCss from "../../styles/print-kit.css?url";
import { loadKit } from "../../.server/collect/print-kit";
import { PrintButton } from "../../components/print-button";
import { PublicOriginBanner } from "../../components/public-origin-banner";
import { publicOriginProblem } from "../../domain/public-origin";

export async function loader({ params, context }: LoaderFunctionArgs) {
  const kit = await loadKit(context.services, params.kit ?? "");
  return json({ ...kit, originProblem: publicOriginProblem(context.services.config.publicUrl) }, { headers: { "Cache-Control": "private, no-store" } });
}

export const links: LinksFunction = () => [{ rel: "stylesheet", href: printCss }];

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.schoolName ?? data.countyName} · 满意度调查二维码` : "满意度调查二维码" },
];

export default function PrintKit() {
  const kit = useLoaderData<typeof loader>();
  return (
    <div className="kit">
      <div className="kit__toolbar no-print">
        <PrintButton />
        <span>请使用 A4 纸打印，张贴在校门口、家长会会场或班级群中转发。</span>
      </div>
      <PublicOriginBanner problem={kit.originProblem} className="kit__warning" />
      <KitPage kit={kit} />
    </div>
  );
}
