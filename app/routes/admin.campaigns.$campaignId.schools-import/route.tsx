import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { readUpload } from "../../.server/multipart";
import { requireActor, requirePrincipal, requireRole } from "../../.server/auth/guard";
import { importSchoolList } from "../../.server/console/campaign-admin";
import { requireCampaign } from "../../.server/console/campaigns";
import { paths } from "../../components/console/paths";
import { ImportResult } from "../../components/console/import-result";

const MAX_UPLOAD = 10 * 1024 * 1024;

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const principal = await requirePrincipal(request, context);
  requireRole(principal, "city");
  const scope = await requireCampaign(context.services.db, principal, params.campaignId ?? "");
  return json({ campaignId: scope.campaign.id });
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const principal = await requireActor(request, context);
  requireRole(principal, "city");
  const scope = await requireCampaign(context.services.db, principal, params.campaignId ?? "");
  const upload = await readUpload(request, { field: "file", maxBytes: MAX_UPLOAD + 64 * 1024, tooLarge: "文件超过 10 MB" });
  if (!upload.ok) return json({ ok: false as const, errors: [upload.message] }, { status: upload.status });
  const result = await importSchoolList(context.services, principal, scope.campaign, upload.fileName, upload.bytes);
  if (!result.ok)
    return json(
      { ok: false as const, errors: result.errors.slice(0, 200) },
      { status: result.busy ? 503 : 400, headers: result.busy ? { "Retry-After": "60" } : undefined },
    );
  return json({
    ok: true as const,
    message: `已导入 ${String(result.counties)} 个县（区）：新增学校 ${String(result.newSchools)} 所，更新 ${String(result.updatedSchools)} 所；新加入本调查活动的县（区）${String(result.addedToCampaign)} 个。`,
    ...(result.notes.length > 0 ? { notes: result.notes } : {}),
  });
}

export default function SchoolsImport() {
  const { campaignId } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  return (
    <section className="c-card">
      <h2>导入学校名单</h2>
      <p>
        使用评估数据 Excel
        模板的「县（区）」和「学校」工作表（学校标识码、名称、所属县（区）代码、学校类型、城乡类型、各学段在校生数）。只有「学校」工作表也可以：学校归入本调查活动已有的县（区）。已有的学校按学校标识码更新，新学校自动生成问卷链接和二维码；文件中的县（区）加入本调查活动（未填常住人口的请在“编辑调查活动”中补填）。
      </p>
      <div className="c-actions">
        <a className="c-button" href={paths.exportFile(campaignId, "template.xlsx")} download>
          下载模板
        </a>
        <Link className="c-button" to={paths.kits(campaignId)}>
          查看二维码与链接
        </Link>
      </div>
      <ImportResult result={result} />
      <Form method="post" encType="multipart/form-data" className="c-form">
        <label className="c-field">
          <span>学校名单文件（.xlsx）</span>
          <input type="file" name="file" accept=".xlsx,.zip,.csv,.json" required />
        </label>
        <div>
          <button type="submit" className="c-button c-button--primary" disabled={busy}>
            导入
          </button>
        </div>
      </Form>
    </section>
  );
}
