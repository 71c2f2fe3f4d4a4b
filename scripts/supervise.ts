/**
 * npm run supervise -- --school ID [--questionnaires student,staff] [--campaign ID] [--hours 8] [--label 三年级机房]
 *
 * Issues a supervision code for a school's shared devices (computer room, staff-room PC) and
 * prints it with the page where a teacher enters it. The code admits only the questionnaires
 * named (default: the 学生卷, a computer room's); on any other link the device answers once
 * like any phone. The code is shown once; only its keyed hash is stored.
 */
import { getCampaign, getSchool } from "../db/repositories/campaigns";
import { DEMO_CAMPAIGN_ID } from "../db/seed/demo-zhongwei";
import { issueSupervisionCode } from "../app/.server/collect/supervision";
import { signLink } from "../app/.server/collect/link-token";
import { formatBeijingTime } from "../app/.server/collect/link-context";
import { QUESTIONNAIRE_IDS, QUESTIONNAIRE_LABELS, type QuestionnaireId } from "../app/domain/vocabulary";
import { fail, openServices, parseFlags } from "./lib/cli";

const flags = parseFlags(process.argv.slice(2));
const schoolId = flags.get("school");
if (typeof schoolId !== "string")
  fail("用法：npm run supervise -- --school <学校编号> [--questionnaires student,staff] [--campaign <调查编号>] [--hours 8] [--label 说明]");
const campaignFlag = flags.get("campaign");
const hoursFlag = flags.get("hours");
const labelFlag = flags.get("label");
const questionnairesFlag = flags.get("questionnaires");
const named =
  typeof questionnairesFlag === "string"
    ? questionnairesFlag
        .split(",")
        .map((q) => q.trim())
        .filter((q) => q !== "")
    : ["student"];
const questionnaires: QuestionnaireId[] = QUESTIONNAIRE_IDS.filter((q) => named.includes(q));
if (questionnaires.length === 0 || questionnaires.length !== new Set(named).size) {
  fail(`--questionnaires 须为以逗号分隔的问卷编号：${QUESTIONNAIRE_IDS.join("、")}`);
}
const hours = typeof hoursFlag === "string" ? Number(hoursFlag) : 8;
if (!Number.isFinite(hours) || hours <= 0 || hours > 24 * 30) fail("--hours 须为 0 到 720 之间的小时数");

const services = await openServices();
try {
  const campaign = await getCampaign(services.db, typeof campaignFlag === "string" ? campaignFlag : DEMO_CAMPAIGN_ID);
  if (!campaign) fail("找不到该调查");
  const school = await getSchool(services.db, schoolId);
  if (!school) fail(`找不到编号为 ${schoolId} 的学校`);
  const label = typeof labelFlag === "string" ? labelFlag.slice(0, 40) : `${school.name}共用设备`;
  const issued = await issueSupervisionCode(services, {
    campaignId: campaign.id,
    schoolId: school.id,
    label,
    validForMs: hours * 3600_000,
    questionnaires,
  });
  const pages = questionnaires.map((q) => {
    const token = signLink(services.keys, { campaignId: campaign.id, countyId: school.countyId, schoolId: school.id, questionnaireId: q });
    return `  ${QUESTIONNAIRE_LABELS[q]}：${services.config.publicUrl}/s/${token}/supervise`;
  });
  process.stdout.write(
    [
      `监督码：${issued.code}`,
      `适用：${school.name}（${label}）的${questionnaires.map((q) => QUESTIONNAIRE_LABELS[q]).join("、")}，有效期至 ${formatBeijingTime(issued.expiresAt)}`,
      "在共用设备上打开对应问卷的页面，输入监督码后即可供多人依次作答：",
      ...pages,
      "",
    ].join("\n"),
  );
} finally {
  await services.close();
}
