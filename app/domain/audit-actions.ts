/**
 * The actions the console records in its 操作日志 (audit log), with the Chinese label the city
 * role reads. Codes are stored; labels are shown.
 */
import { ROLE_LABELS, ROLES, type Role } from "./roles";

export const AUDIT_ACTIONS = {
  sign_in: "登录",
  sign_in_failed: "登录失败",
  sign_in_limited: "登录尝试过多被限制",
  password_change_failed: "修改密码时当前密码不正确",
  password_change_limited: "修改密码尝试过多被限制",
  sign_out: "退出登录",
  account_created: "创建账号",
  password_reset: "重置密码",
  password_changed: "修改本人密码",
  account_disabled: "停用账号",
  account_enabled: "启用账号",
  campaign_created: "创建调查活动",
  campaign_updated: "修改调查活动",
  schools_imported: "导入学校名单",
  evaluation_imported: "导入评估数据",
  definition_published: "发布问卷新版本",
  response_invalidated: "标记问卷无效",
  response_restored: "恢复问卷有效",
  export: "导出数据",
  campaign_archived: "归档并删除原始答卷",
} as const;

export type AuditAction = keyof typeof AUDIT_ACTIONS;

export function auditActionLabel(code: string): string {
  return Object.entries(AUDIT_ACTIONS).find(([k]) => k === code)?.[1] ?? code;
}

/** Chinese names of the particulars recorded with an action (the keys of `detail`). */
export const AUDIT_DETAIL_LABELS: Record<string, string> = {
  reason: "原因",
  schoolId: "学校",
  file: "文件",
  raw: "原始答卷",
  counties: "县（区）",
  schools: "学校数",
  role: "角色",
  questionnaires: "问卷",
  title: "标题",
  before: "修改前",
  after: "修改后",
  newCounties: "新增县（区）",
  newSchools: "新增学校",
  updatedSchools: "更新学校",
  addedToCampaign: "加入调查活动的县（区）",
  demo: "演示数据",
  deleted: "删除的原始答卷（份）",
  limit: "触发的限制",
  windowEnds: "限制窗口结束",
};

/** Chinese names of coded values recorded in `detail` (reasons, which sign-in limit). */
export const AUDIT_DETAIL_VALUE_LABELS: Record<string, string> = {
  unknown_account: "用户名不存在",
  wrong_password: "密码不正确",
  disabled: "账号已停用",
  signInAccountAddress: "同一地址对该用户名的失败次数",
  signInAddress: "同一地址的失败次数",
  signInAccount: "该用户名的失败次数（仅限已失败过的地址）",
};

function valueLabel(key: string, value: string): string {
  // A role is stored as its code (city, county, school) and shown as the console names it.
  if (key === "role" && (ROLES as readonly string[]).includes(value)) return ROLE_LABELS[value as Role];
  return Object.hasOwn(AUDIT_DETAIL_VALUE_LABELS, value) ? (AUDIT_DETAIL_VALUE_LABELS[value] ?? value) : value;
}

/** One line for a record's particulars, e.g. "原因：所有题目选择同一选项；学校：zn08". */
export function describeAuditDetail(detail: Readonly<Record<string, unknown>>): string {
  return Object.entries(detail)
    .filter(([, v]) => v !== null && v !== undefined)
    .map(([k, v]) => `${AUDIT_DETAIL_LABELS[k] ?? k}：${typeof v === "string" ? valueLabel(k, v) : v === true ? "是" : v === false ? "否" : JSON.stringify(v)}`)
    .join("；");
}
