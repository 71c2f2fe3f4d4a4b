import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { requireActor, requirePrincipal, requireRole } from "../../.server/auth/guard";
import { campaignFormData, createCampaign } from "../../.server/console/campaign-admin";
import { CampaignForm } from "../../components/console/campaign-form";
import { paths } from "../../components/console/paths";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const principal = await requirePrincipal(request, context);
  requireRole(principal, "city");
  return json(await campaignFormData(context.services, null));
}

export async function action({ request, context }: ActionFunctionArgs) {
  const principal = await requireActor(request, context);
  requireRole(principal, "city");
  const result = await createCampaign(context.services, principal, await request.formData());
  if (!result.ok) return json({ errors: result.errors }, { status: 400 });
  return redirect(`${paths.kits(result.campaignId)}?created=1`);
}

export default function NewCampaign() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  return (
    <>
      <p className="c-crumbs">
        <Link to="/admin/campaigns">调查活动</Link> / 新建
      </p>
      <h1 className="c-title">新建调查活动</h1>
      <p className="c-subtitle">创建后即可下载各校二维码打印页和县级链接。</p>
      <CampaignForm {...data} errors={result?.errors ?? null} busy={busy} submitLabel="创建调查活动" />
    </>
  );
}
