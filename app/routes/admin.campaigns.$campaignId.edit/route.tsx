import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { requireActor, requirePrincipal, requireRole } from "../../.server/auth/guard";
import { campaignFormData, editCampaign } from "../../.server/console/campaign-admin";
import { requireCampaign } from "../../.server/console/campaigns";
import { CampaignForm } from "../../components/console/campaign-form";
import { paths } from "../../components/console/paths";

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const principal = await requirePrincipal(request, context);
  requireRole(principal, "city");
  const scope = await requireCampaign(context.services.db, principal, params.campaignId ?? "");
  return json(await campaignFormData(context.services, scope.campaign.id));
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const principal = await requireActor(request, context);
  requireRole(principal, "city");
  const scope = await requireCampaign(context.services.db, principal, params.campaignId ?? "");
  const result = await editCampaign(context.services, principal, scope.campaign, await request.formData());
  if (!result.ok) return json({ errors: result.errors }, { status: 400 });
  return redirect(paths.campaign(scope.campaign.id));
}

export default function EditCampaign() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  return (
    <>
      <h2 className="c-title" style={{ fontSize: 19, marginTop: 12 }}>
        编辑调查活动
      </h2>
      <CampaignForm {...data} errors={result?.errors ?? null} busy={busy} submitLabel="保存" />
    </>
  );
}
