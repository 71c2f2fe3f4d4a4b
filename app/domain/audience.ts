/**
 * Who a link speaks to, and the words each audience reads around the questionnaire: the page
 * title a WeChat share shows, the thank-you page and the 已提交 page. The 社会卷 on a school's link
 * is answered by that school's 家长; on the county's link by 人大代表, 政协委员 and 其他群众
 * (社会各界); the 校长教师卷 by principals and teachers; the 学生卷 by pupils, who are addressed
 * as 你. Only parents are told to answer again for a child at another school (issue 16 item 5),
 * and offered to answer for another child at the same school (app/domain/children.ts).
 */
import type { PageHeader } from "./page-header";

export type Audience = "parent" | "public" | "staff" | "student";

export function audienceOf(header: Pick<PageHeader, "questionnaireId" | "schoolName">): Audience {
  if (header.questionnaireId === "staff") return "staff";
  if (header.questionnaireId === "student") return "student";
  return header.schoolName ? "parent" : "public";
}

export interface AudienceWords {
  /** In the share title's brackets: 家长, 社会各界, 校长、教师, 学生. */
  label: string;
  thanksTitle: string;
  thanksMessage: string;
  /** Under the thank-you message on a personal device. */
  thanksHint: string;
  alreadyMessage: string;
  /** Under the 已提交 message; null: nothing more to say. */
  alreadyHint: string | null;
}

const OTHER_CHILD = "如果您还有孩子在其他学校就读，请扫描那所学校的二维码作答。";

export const AUDIENCE_WORDS: Record<Audience, AudienceWords> = {
  parent: {
    label: "家长",
    thanksTitle: "提交成功，感谢您的参与！",
    thanksMessage: "您的答卷已匿名保存。您的意见将帮助我们把每一所学校办得更好。",
    thanksHint: `现在可以关闭本页面。${OTHER_CHILD}`,
    // Not "only once": a parent may answer again for another child at the same school (decision 0027).
    alreadyMessage: "这台手机已经提交过这份问卷。感谢您的参与！",
    alreadyHint: OTHER_CHILD,
  },
  public: {
    label: "社会各界",
    thanksTitle: "提交成功，感谢您的参与！",
    thanksMessage: "您的答卷已匿名保存。您的意见将帮助我们把本县的每一所学校办得更好。",
    thanksHint: "现在可以关闭本页面。",
    alreadyMessage: "这台设备已经提交过这份问卷，每台设备只能提交一次。感谢您的参与！",
    alreadyHint: null,
  },
  staff: {
    label: "校长、教师",
    thanksTitle: "提交成功，感谢您的参与！",
    thanksMessage: "您的答卷已匿名保存。您的意见将帮助我们把每一所学校办得更好。",
    thanksHint: "现在可以关闭本页面。其他老师请用自己的手机扫描学校的二维码作答。",
    alreadyMessage: "这台设备已经提交过这份问卷，每台设备对同一所学校的同一份问卷只能提交一次。感谢您的参与！",
    alreadyHint: "其他老师请用自己的手机扫描学校的二维码作答。",
  },
  student: {
    label: "学生",
    thanksTitle: "提交成功，谢谢你！",
    thanksMessage: "你的答卷已匿名保存。谢谢你说出自己的真实想法！",
    thanksHint: "现在可以关闭本页面了。",
    alreadyMessage: "这台设备已经提交过这份问卷，每台设备只能提交一次。谢谢你！",
    alreadyHint: "还没有作答的同学，请听老师安排。",
  },
};

/**
 * The page's title, which WeChat shows when a parent shares the link: "<学校名> 满意度调查（家长）",
 * the county's name where the link has no school.
 */
export function shareTitle(header: Pick<PageHeader, "questionnaireId" | "schoolName" | "countyName">): string {
  return `${header.schoolName ?? header.countyName} 满意度调查（${AUDIENCE_WORDS[audienceOf(header)].label}）`;
}
