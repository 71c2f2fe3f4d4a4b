/**
 * The printed QR posters (issue 16 item 8): one A4 sheet per audience, never two audiences'
 * codes on one sheet. A school's 家长 sheet goes up at the gate and into the class WeChat group,
 * its 教师 sheet in the staff room, its 学生 sheet in the computer room or classroom; the
 * county's sheet is for 人大代表、政协委员、其他群众. Codes 2–3 cm apart on one sheet had parents
 * scanning the teachers' code.
 *
 * Pure: wording and the `?audience=` parameter's parsing; the loader signs links and draws QR.
 */
import { invitationAudience, type InvitationAudience } from "./invitation";
import type { QuestionnaireId } from "./vocabulary";

/** The audiences a school's kit can be narrowed to with `?audience=`. */
export const POSTER_AUDIENCES = ["parent", "staff", "student"] as const;
export type PosterAudience = (typeof POSTER_AUDIENCES)[number];

/** Who one sheet is for: a school audience, or the county's public (`county`). */
export type SheetAudience = InvitationAudience;

/** The sheet a school's questionnaire is printed on: 社会卷 → 家长, 校长教师卷 → 教师, 学生卷 → 学生. */
export function sheetAudience(questionnaireId: QuestionnaireId, atSchool: boolean): SheetAudience {
  return invitationAudience(questionnaireId, atSchool);
}

/** The order of a school's sheets in print: 家长, 教师, 学生 (the county document keeps it per school). */
export const SHEET_ORDER: readonly SheetAudience[] = ["parent", "staff", "student", "county"];

export interface PosterWording {
  /** The large heading (printed at ≥ 28 pt): who scans this code. */
  heading: string;
  /** Who it is for, spelled out under the heading. */
  who: string;
  /** The short label under the code (家长 / 教师、校长 / …), as the kit always printed it. */
  label: string;
  /** The smaller line: 本码仅供…扫码填写，其他人员请勿使用. */
  only: string;
  /** One more line for the audience, or null. */
  note: string | null;
}

/** The words of each audience's sheet; `place` is the school's name or 本县（区）. */
export function posterWording(audience: SheetAudience, place: string): PosterWording {
  switch (audience) {
    case "parent":
      return {
        heading: "家长请扫码",
        label: "家长",
        who: `${place}学生家长`,
        only: "本码仅供本校学生家长扫码填写，其他人员请勿使用。",
        note: "每位家长用自己的手机填写一次；有几个孩子在本校的，填写一次即可。",
      };
    case "staff":
      return {
        heading: "教师请扫码",
        label: "教师、校长",
        who: `${place}校长、教师`,
        only: "本码仅供本校校长、教师扫码填写，其他人员请勿使用。",
        note: "家长和学生请勿扫描此码（家长码张贴在校门口，并转发在班级微信群）。",
      };
    case "student":
      return {
        heading: "学生请扫码",
        label: "三年级及以上学生",
        who: `${place}三年级及以上学生`,
        only: "本码仅供本校三年级及以上学生扫码填写，其他人员请勿使用。",
        note: "请在老师组织下于机房或教室填写；年龄小的同学可请老师帮忙读题，但请按自己的真实想法作答。",
      };
    case "county":
      return {
        heading: "人大代表、政协委员、其他群众请扫码",
        label: "人大代表、政协委员、其他群众",
        who: `${place}人大代表、政协委员和关心教育的群众`,
        only: "本码仅供人大代表、政协委员和其他群众扫码填写；学校的家长、教师、学生请扫本校张贴的二维码。",
        note: null,
      };
  }
}

/** What the officer sees on the "print only one audience" links: the sheet and where it goes. */
export const POSTER_PRINT_LABELS: Record<PosterAudience, string> = {
  parent: "只打印家长页（校门口张贴）",
  staff: "只打印教师页（教师办公室）",
  student: "只打印学生页（机房、教室）",
};

export const POSTER_AUDIENCE_NAMES: Record<PosterAudience, string> = { parent: "家长", staff: "教师", student: "学生" };

/** A sheet's short name, for lists on screen (家长、教师、学生). */
export const SHEET_NAMES: Record<SheetAudience, string> = { ...POSTER_AUDIENCE_NAMES, county: "县级（人大代表、政协委员、其他群众）" };

export type ParsedPosterAudience = { ok: true; audience: PosterAudience | null } | { ok: false; message: string };

/**
 * The `?audience=` of a kit page: absent or empty → every sheet; parent | staff | student → that
 * audience's sheets only; anything else is refused with a message the officer can act on.
 */
export function parsePosterAudience(raw: string | null): ParsedPosterAudience {
  if (raw === null || raw === "") return { ok: true, audience: null };
  const audience = POSTER_AUDIENCES.find((a) => a === raw);
  if (audience) return { ok: true, audience };
  return {
    ok: false,
    message: `打印参数 audience=“${raw.slice(0, 40)}”无效：只能是 parent（家长页）、staff（教师页）或 student（学生页），不填则打印全部。请从“二维码与链接”页重新打开打印链接。`,
  };
}

/** One printed A4 sheet: one audience, one questionnaire, one big code. */
export interface KitSheetData {
  audience: SheetAudience;
  questionnaireId: QuestionnaireId;
  url: string;
  svg: string;
  /** About how long this questionnaire takes (app/domain/invitation.ts `estimateMinutes`). */
  minutes: number;
}

/** A school's (or the county's) printable kit, as the loader hands it to the page: plain data. */
export interface KitPageData {
  campaignName: string;
  window: string;
  /** The campaign's end, formatted for people; null for a demo campaign (always open). */
  deadline: string | null;
  isDemo: boolean;
  countyName: string;
  schoolName: string | null;
  /** The sheets printed, in SHEET_ORDER (only the chosen audience's when `?audience=` is set). */
  sheets: KitSheetData[];
  /** Every school audience this kit has, for the "print only …" choice (empty for the county kit). */
  audiences: PosterAudience[];
  /** The audience chosen with `?audience=`, or null for all. */
  selected: PosterAudience | null;
}
