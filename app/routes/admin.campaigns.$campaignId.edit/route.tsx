import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { requireActor, requirePrincipal, requireRole } from "../../.server/auth/guard";
import { archiveCampaign } from "../../.server/console/archive";
import { campaignFormData, editCampaign } from "../../.server/console/campaign-admin";
import { requireCampaign } from "../../.server/console/campaigns";
import { CampaignForm } from "../../components/console/campaign-form";
import { beijingTime } from "../../components/console/format";
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
  const form = await request.formData();
  if (form.get("intent") === "archive") {
    const archived = await archiveCampaign(context.services, principal, scope.campaign, String(form.get("confirm") ?? ""));
    if (!archived.ok) return json({ errors: [archived.message] }, { status: 400 });
    return json({ errors: null, archived: archived.deleted });
  }
  const result = await editCampaign(context.services, principal, scope.campaign, form);
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
      {result && "archived" in result ? <div className="c-notice c-notice--ok">已归档：删除原始答卷 {result.archived} 份，各项统计结果保留。</div> : null}
      <CampaignForm {...data} errors={result?.errors ?? null} busy={busy} submitLabel="保存" />
      <section className="c-card" style={{ marginTop: 20 }}>
        <h2>归档并删除原始答卷</h2>
        {data.archive ? (
          <p>
            已于 {beijingTime(data.archive.archivedAt)} 由 {data.archive.archivedBy ?? "—"} 归档，删除原始答卷 {data.archive.responsesDeleted}{" "}
            份。满意度、表Ⅵ、样本覆盖和达标评估的统计结果保留；逐份答卷、意见建议和原始答卷导出不再可用。
          </p>
        ) : data.closed ? (
          <Form method="post" className="c-form">
            <p>
              评估完成后，可删除本调查活动的全部原始答卷，只保留统计结果（满意度、表Ⅵ、样本覆盖、达标评估）。删除后不能恢复，请先在“导出与报告”中下载原始答卷存档。删除记录在操作日志中。
            </p>
            <input type="hidden" name="intent" value="archive" />
            <label className="c-field">
              <span>输入调查活动编号以确认</span>
              <input type="text" name="confirm" autoComplete="off" required />
            </label>
            <div>
              <button type="submit" className="c-button c-button--danger" disabled={busy}>
                归档并删除原始答卷
              </button>
            </div>
          </Form>
        ) : (
          <p className="c-muted">调查活动结束并完成评估后，可在此删除原始答卷、只保留统计结果。</p>
        )}
      </section>
    </>
  );
}
