import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { readUpload } from "../../.server/multipart";
import { requireActor, requirePrincipal, requireRole } from "../../.server/auth/guard";
import { requireCampaign } from "../../.server/console/campaigns";
import { countyDataFile, importEvaluationData, storedInput } from "../../.server/console/evaluation-data";
import { beijingTime } from "../../components/console/format";
import { paths } from "../../components/console/paths";
import { ImportResult } from "../../components/console/import-result";

const MAX_UPLOAD = 10 * 1024 * 1024;

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const principal = await requirePrincipal(request, context);
  requireRole(principal, "city", "county");
  const scope = await requireCampaign(context.services.db, principal, params.campaignId ?? "");
  const stored = await storedInput(context.services, scope.campaign.id);
  const visible = new Set(scope.visibleCounties.map((c) => c.id));
  // A county officer sees the file their county's data came from, never another county's file
  // name or importer (the campaign's latest file may be another county's).
  const own =
    stored && principal.role === "county" && principal.countyId ? await countyDataFile(context.services, scope.campaign.id, principal.countyId, stored) : null;
  const provenance = principal.role === "city" ? stored : own;
  return json({
    campaignId: scope.campaign.id,
    role: principal.role,
    counties: scope.visibleCounties,
    stored:
      stored && provenance
        ? {
            fileName: provenance.fileName,
            importedAt: provenance.importedAt,
            importedBy: provenance.importedBy,
            counties: stored.input.counties.filter((c) => visible.has(c.id)).map((c) => c.name),
            schools: stored.input.schools.filter((s) => visible.has(s.countyId)).length,
          }
        : null,
  });
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const principal = await requireActor(request, context);
  requireRole(principal, "city", "county");
  const scope = await requireCampaign(context.services.db, principal, params.campaignId ?? "");
  const upload = await readUpload(request, { field: "file", maxBytes: MAX_UPLOAD + 64 * 1024, tooLarge: "文件超过 10 MB，请检查是否选错了文件" });
  if (!upload.ok) return json({ ok: false as const, errors: [upload.message] }, { status: upload.status });
  const result = await importEvaluationData(context.services, principal, scope, upload.fileName, upload.bytes);
  if (!result.ok)
    return json(
      { ok: false as const, errors: result.errors.slice(0, 200) },
      { status: result.busy ? 503 : 400, headers: result.busy ? { "Retry-After": "60" } : undefined },
    );
  return json({
    ok: true as const,
    message: `已导入 ${String(result.counties)} 个县（区）、${String(result.schools)} 所学校的评估数据。`,
    ...(result.notes.length > 0 ? { notes: result.notes } : {}),
  });
}

export default function EvaluationData() {
  const { campaignId, role, counties, stored } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  return (
    <>
      <section className="c-card">
        <h2>评估数据（资源配置、政府保障程度、教育质量、一票否决）</h2>
        <p>
          社会认可度来自本调查活动回收的问卷；其余三部分和一票否决事项需要按 Excel
          模板填写后导入。模板的每个工作表第1行为表头，留空的项目显示为“未评估”，不会判为不达标。
          {role === "county"
            ? "县（区）账号导入的文件只能包含本县（区），导入后替换本县（区）原有的数据。"
            : "市级账号导入的文件替换本调查活动的全部评估数据。"}
        </p>
        <div className="c-actions">
          <a className="c-button" href={paths.exportFile(campaignId, "template.xlsx")} download>
            下载填报模板（已预填{stored ? "当前数据" : "县区和学校"}）
          </a>
          {counties.map((c) => (
            <a key={c.id} className="c-button" href={paths.readiness(campaignId, c.id)}>
              {c.name}达标评估
            </a>
          ))}
        </div>
        {stored ? (
          <p className="c-muted">
            当前数据：{stored.fileName}，{beijingTime(stored.importedAt)} 由 {stored.importedBy ?? "系统"} 导入，含 {stored.counties.join("、") || "—"}，
            {stored.schools} 所学校。
          </p>
        ) : (
          <p className="c-muted">尚未导入评估数据。</p>
        )}
      </section>
      <section className="c-card">
        <h2>导入</h2>
        <ImportResult result={result} />
        <Form method="post" encType="multipart/form-data" className="c-form">
          <label className="c-field">
            <span>评估数据文件</span>
            <input type="file" name="file" accept=".xlsx,.zip,.csv,.json" required />
            <small>Excel 模板（.xlsx），或每个工作表一个 CSV 文件打包的 .zip，或 JSON。最大 10 MB。</small>
          </label>
          <div>
            <button type="submit" className="c-button c-button--primary" disabled={busy}>
              {busy ? "正在导入…" : "导入"}
            </button>
          </div>
        </Form>
      </section>
    </>
  );
}
