import { json, type LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { requirePrincipal } from "../../.server/auth/guard";
import { requireCampaignCounty } from "../../.server/console/campaigns";
import { loadEvidenceKey } from "../../.server/evidence-key";
import { groupFingerprint } from "../../domain/evidence-pack";
import { paths } from "../../components/console/paths";

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const principal = await requirePrincipal(request, context);
  const scope = await requireCampaignCounty(context.services.db, principal, params.campaignId ?? "", params.countyId ?? "");
  const fingerprint = groupFingerprint(loadEvidenceKey(context.services.config).fingerprint);
  return json({ campaignId: scope.campaign.id, county: scope.county, raw: principal.role === "city", fingerprint });
}

export default function Exports() {
  const { campaignId, county, raw, fingerprint } = useLoaderData<typeof loader>();
  return (
    <>
      <div className="c-grid c-grid--2">
        <section className="c-card">
          <h2>申报表与报告</h2>
          <ul className="c-list">
            <li>
              <a href={paths.exportFile(campaignId, "forms.xlsx", county.id)} download>
                {county.name}申报表（Excel，全部表格）
              </a>
              ：基本情况、表Ⅲ（7项指标及差异系数）、政府保障程度15项、教育质量9项（含逐校核查与佐证材料）、表Ⅵ、一票否决事项和临界值，按申报表位数显示（需先导入评估数据）。
            </li>
            <li>
              <a href={paths.exportFile(campaignId, "table6.xlsx", county.id)} download>
                表Ⅵ 社会认可度（Excel）
              </a>
              ：问卷总数、有效问卷数、满意问卷数、综合满意度（全体和家长），及按调查对象、学校、题目的分项（小样本已隐藏）。
            </li>
            <li>
              <a href={paths.exportFile(campaignId, "cv.xlsx", county.id)} download>
                表Ⅲ 差异系数（Excel）
              </a>
              ：小学、初中7项指标的县均值、标准差、差异系数和各评估单位的指标值（需先导入评估数据）。
            </li>
            <li>
              <a href={paths.report(campaignId, county.id)} target="_blank" rel="noreferrer">
                {county.name}自评报告（可打印）
              </a>
              ：满意度、样本覆盖、达标情况与整改清单，A4 打印。
            </li>
            <li>
              <a href={paths.countyKit(campaignId, county.id)} target="_blank" rel="noreferrer">
                全县二维码打印页
              </a>
            </li>
          </ul>
        </section>
        <section className="c-card">
          <h2>原始答卷</h2>
          {raw ? (
            <>
              <p>
                逐份问卷的全部答案（不含任何设备或身份信息）。小学校的小样本可被识别，仅限市级账号导出，并记录在操作日志中。以 = + - @
                开头的内容已加单引号，防止在表格软件中被当作公式执行。
              </p>
              <div className="c-actions">
                <a className="c-button" href={paths.exportFile(campaignId, "responses.csv", county.id)} download>
                  {county.name} CSV
                </a>
                <a className="c-button" href={paths.exportFile(campaignId, "responses.xlsx", county.id)} download>
                  {county.name} Excel
                </a>
                <a className="c-button" href={paths.exportFile(campaignId, "responses.csv")} download>
                  全部县（区）CSV
                </a>
              </div>
            </>
          ) : (
            <p className="c-muted">原始答卷中的小样本单元可被识别，只有市教育局账号可以导出。</p>
          )}
        </section>
        <section className="c-card c-evidence">
          <h2>证据包（签名）</h2>
          <p>
            一个 zip 文件：表Ⅵ、表Ⅲ（已导入评估数据时）、本县问卷审核决定、本县操作日志摘录（含哈希链字段和导出时的链头），以及列出每个文件 SHA-256 的清单
            manifest.json 和本平台私钥对清单的签名。市级可在不接触本县数据的情况下离线核验：
            <code className="c-mono">npm run evidence:verify 文件.zip -- --public-key 公钥.pem</code>。
          </p>
          <div className="c-actions">
            <a className="c-button c-button--primary" href={paths.exportFile(campaignId, "evidence.zip", county.id)} download>
              下载{county.name}证据包
            </a>
            <a className="c-button" href={paths.exportFile(campaignId, "evidence-public-key.pem")} download>
              下载签名公钥（PEM）
            </a>
          </div>
          <p className="c-evidence__fingerprint">
            公钥指纹（SHA-256）：<span className="c-mono">{fingerprint}</span>
          </p>
          <p className="c-muted">核验时请将公钥指纹与市教育局公布的指纹逐位核对；证据包的下载记录在操作日志中。</p>
        </section>
      </div>
    </>
  );
}
