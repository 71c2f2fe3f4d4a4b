/**
 * The ready-to-paste 通知 an officer or a school contact posts in a class WeChat group with a
 * survey link: who is asked, why (县域义务教育优质均衡发展督导评估 满意度调查), that it is
 * anonymous, about how long it takes, by when, and the link. Built on the server, so every
 * button copies the same words.
 *
 * Pure: the deadline comes in already formatted (Beijing time), the duration as minutes.
 */
import type { QuestionnaireId } from "./vocabulary";

/** Who a link is for: a school's 家长 / 教师 / 学生, or the county's 人大代表、政协委员、其他群众. */
export type InvitationAudience = "parent" | "staff" | "student" | "county";

/** The audience of a link: a school's 社会卷 is answered by its 家长, the county's by the public. */
export function invitationAudience(questionnaireId: QuestionnaireId, atSchool: boolean): InvitationAudience {
  if (!atSchool) return "county";
  return questionnaireId === "social" ? "parent" : questionnaireId;
}

export const INVITATION_AUDIENCE_LABELS: Record<InvitationAudience, string> = {
  parent: "家长",
  staff: "教师",
  student: "学生",
  county: "人大代表、政协委员、其他群众",
};

const GREETING: Record<InvitationAudience, string> = {
  parent: "各位家长",
  staff: "各位老师",
  student: "各位同学",
  county: "各位人大代表、政协委员和关心教育的朋友",
};

/**
 * Seconds a respondent spends on one question, for the "约需 N 分钟" of the 通知: a choice
 * question (one line, one tap on a rating button) about 12 s; an open question, which most
 * leave blank and some fill with a sentence, about 30 s on average.
 */
export const SECONDS_PER_CHOICE_QUESTION = 12;
export const SECONDS_PER_TEXT_QUESTION = 30;
/** Said when the definition is not at hand: our questionnaires take 3–4 minutes by the rule above. */
export const FALLBACK_MINUTES = 5;

/**
 * About how many minutes a questionnaire takes, in whole minutes rounded up, at least 2:
 * ⌈(choice × 12 s + text × 30 s) / 60⌉. The 16-question 社会卷 (14 choice, 2 open) gives 4.
 * Questions shown only to some respondents are counted too (an upper estimate is the kinder
 * promise). `null` counts (definition unknown) give FALLBACK_MINUTES.
 */
export function estimateMinutes(counts: { choice: number; text: number } | null): number {
  if (!counts) return FALLBACK_MINUTES;
  const seconds = Math.max(0, counts.choice) * SECONDS_PER_CHOICE_QUESTION + Math.max(0, counts.text) * SECONDS_PER_TEXT_QUESTION;
  return Math.max(2, Math.ceil(seconds / 60));
}

/** Choice and open questions of a compiled definition, for `estimateMinutes`. */
export function questionKinds(questions: ReadonlyArray<{ kind: "choice" | "text" }>): { choice: number; text: number } {
  return { choice: questions.filter((q) => q.kind === "choice").length, text: questions.filter((q) => q.kind === "text").length };
}

export interface InvitationInput {
  audience: InvitationAudience;
  /** The bureau asking, e.g. 中宁县 (→ 中宁县教育局). */
  countyName: string;
  /** The school whose 家长/教师/学生 are asked; null for a county-level link. */
  schoolName: string | null;
  minutes: number;
  /** The campaign's end, formatted for people (e.g. 2026年3月31日 23:59); null when it has none (demo). */
  deadline: string | null;
  url: string;
}

/** The 通知 text, lines joined with \n, ending with the link on a line of its own (WeChat makes it tappable). */
export function invitationText(input: InvitationInput): string {
  const who =
    input.audience === "county"
      ? `邀请${input.countyName}的人大代表、政协委员和关心教育的群众参加`
      : `邀请${input.schoolName ?? input.countyName}的${input.audience === "student" ? "三年级及以上学生" : INVITATION_AUDIENCE_LABELS[input.audience]}参加`;
  const lines = [
    `【满意度调查通知】`,
    `${GREETING[input.audience]}：`,
    `为做好县域义务教育优质均衡发展督导评估工作，${input.countyName}教育局开展义务教育满意度调查，${who}。`,
    `问卷匿名填写，不记录姓名、电话，约需${String(input.minutes)}分钟，每台手机只需提交一次。`,
  ];
  if (input.audience === "student") lines.push("年龄小的同学可请家长帮忙读题，但请按自己的真实想法作答。");
  lines.push(input.deadline ? `请于${input.deadline}前点击下面的链接填写：` : "请点击下面的链接填写：");
  lines.push(input.url);
  lines.push("感谢您的支持！");
  return lines.join("\n");
}
