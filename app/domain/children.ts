/**
 * Several children at one school, answered from one phone (issue 16 item 7, decision 0027).
 *
 * A parents' link (the 社会卷 on a school's link) allows one response per device and child
 * ordinal: the first child is ordinal 1 (the respondent key every earlier response has), a
 * second child at the same school is ordinal 2, and so on up to `maxChildrenPerDevice`. The
 * ordinal is a count, never an identity: nothing about the child is asked or stored, and a
 * response with ordinal ≥ 2 carries the integrity flag `several_children` for review.
 * Teachers', pupils' and county-level links (人大代表, 政协委员, 其他群众) keep one per device.
 *
 * Pure: the caller says which ordinals the device has answered.
 */
import type { Audience } from "./audience";

export interface ChildLimits {
  /**
   * Most children one device may answer for on one parents' link (3). Two or three children at
   * one 义务教育 school is common enough in a county; more from one phone is more likely one
   * person answering again than a family, and such a family can use a second phone.
   */
  maxChildrenPerDevice: number;
}

export const CHILD_LIMITS: ChildLimits = { maxChildrenPerDevice: 3 };

/** The first child: the ordinal of every response stored before ordinals existed. */
export const FIRST_CHILD = 1;

/** Only a school's parents are offered a second child; everyone else answers once per device. */
export function offersOtherChild(audience: Audience): boolean {
  return audience === "parent";
}

export type ChildOrdinalCheck = { ok: true; child: number } | { ok: false; reason: "malformed" | "not_parents" | "over_limit" };

/**
 * A child ordinal as sent by a page or a form: absent or empty → 1; otherwise a whole number
 * 1…99 written without leading zeros. Above 1 it must be a parents' link and at most
 * `maxChildrenPerDevice`. Whether the previous ordinal was answered is the caller's to check.
 */
export function checkChildOrdinal(raw: unknown, audience: Audience, limits: ChildLimits): ChildOrdinalCheck {
  if (raw === undefined || raw === null || raw === "") return { ok: true, child: FIRST_CHILD };
  const child = typeof raw === "number" ? raw : typeof raw === "string" && /^[1-9][0-9]?$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isInteger(child) || child < 1 || child > 99) return { ok: false, reason: "malformed" };
  if (child === FIRST_CHILD) return { ok: true, child };
  if (!offersOtherChild(audience)) return { ok: false, reason: "not_parents" };
  if (child > limits.maxChildrenPerDevice) return { ok: false, reason: "over_limit" };
  return { ok: true, child };
}

/**
 * The ordinal to offer next: one more than the highest of the first consecutive ordinals the
 * device has answered (1, 2 answered → 3), or null when that passes the limit or the audience
 * is not parents. Nothing answered → 1.
 */
export function nextChild(answered: ReadonlySet<number>, audience: Audience, limits: ChildLimits): number | null {
  let n = FIRST_CHILD;
  while (answered.has(n)) n += 1;
  if (n === FIRST_CHILD) return FIRST_CHILD;
  return offersOtherChild(audience) && n <= limits.maxChildrenPerDevice ? n : null;
}

/**
 * What a device that has answered a link is offered: the next ordinal to answer for, or, for
 * parents at the limit, that the limit is reached; null for everyone else.
 */
export type OtherChildOffer = { kind: "next"; child: number } | { kind: "limit"; max: number } | null;

/** The address of the questionnaire for child ordinal `child` (the first child's is the link itself). */
export function childPath(token: string, child: number, page: "" | "/full" = ""): string {
  return `/s/${token}${page}${child > 1 ? `?child=${child}` : ""}`;
}

/** The words around a second child, shown to parents only. */
export const OTHER_CHILD_WORDS = {
  button: "为另一个孩子填写（同一所学校）",
  lead: "如果您还有一个孩子也在这所学校就读，可以用这台手机为他（她）再填写一份：",
  /** Above the questionnaire opened for ordinal `n` ≥ 2. */
  banner: (n: number) => `正在为您的第${n}个孩子填写（同一所学校）。请按这个孩子的情况作答。`,
  limitReached: (max: number) => `这台手机已为${max}个孩子填写过这份问卷，已达到上限。如果还有孩子在这所学校就读，请用另一台手机扫码作答。`,
  notParents: "这份问卷每台设备只能填写一份。",
  malformed: "链接有误，请重新扫描学校的二维码。",
  firstChildFirst: "请先提交第一个孩子的问卷，再为另一个孩子填写。",
  alreadyForChild: (n: number) => `这台手机已经为第${n}个孩子提交过这份问卷（已提交）。感谢您的参与！`,
} as const;

/** The refusal a parent reads for a failed ordinal check. */
export function childRefusal(reason: Exclude<ChildOrdinalCheck, { ok: true }>["reason"], limits: ChildLimits): string {
  if (reason === "over_limit") return OTHER_CHILD_WORDS.limitReached(limits.maxChildrenPerDevice);
  if (reason === "not_parents") return OTHER_CHILD_WORDS.notParents;
  return OTHER_CHILD_WORDS.malformed;
}
