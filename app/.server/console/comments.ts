/**
 * Open comments (意见建议) of a county, newest first, searchable. They are shown as text (React
 * escapes them) and, where the comment's school × group holds fewer than 5 questionnaires, its
 * source is withheld: a comment from one of three teachers of a 教学点 would otherwise point at
 * its author.
 */
import { listSchools, type Campaign, type County } from "../../../db/repositories/campaigns";
import { countComments, listComments } from "../../../db/repositories/console-responses";
import { MIN_CELL_SIZE } from "../../domain/suppression";
import { RESPONDENT_GROUP_LABELS, RESPONDENT_GROUPS } from "../../domain/vocabulary";
import type { Services } from "../context";
import { campaignCounts } from "./tallies";

export const COMMENTS_PAGE = 30;

export interface CommentView {
  id: number;
  text: string;
  source: string | null;
  submittedAt: number;
  invalid: boolean;
}

export async function countyComments(
  services: Pick<Services, "db" | "now">,
  campaign: Campaign,
  county: County,
  query: { search: string | null; beforeId: number | null },
): Promise<{ comments: CommentView[]; total: number; more: boolean }> {
  const search = query.search?.trim().slice(0, 50) || null;
  const [rows, total, schools, counts] = await Promise.all([
    listComments(services.db, { campaignId: campaign.id, countyId: county.id, search, beforeId: query.beforeId, limit: COMMENTS_PAGE + 1 }),
    countComments(services.db, { campaignId: campaign.id, countyId: county.id, search }),
    listSchools(services.db, county.id),
    campaignCounts(services, campaign, { countyIds: [county.id], withItems: false }),
  ]);
  const names = new Map(schools.map((s) => [s.id, s.name]));
  const cellSize = new Map<string, number>();
  for (const c of counts.cells) {
    const key = `${c.schoolId ?? ""}|${c.group}`;
    cellSize.set(key, (cellSize.get(key) ?? 0) + c.total);
  }
  const groupLabel = (g: string) => RESPONDENT_GROUP_LABELS[RESPONDENT_GROUPS.find((x) => x === g) ?? "public"];
  const comments = rows.slice(0, COMMENTS_PAGE).map((r) => {
    const small = (cellSize.get(`${r.schoolId ?? ""}|${r.group}`) ?? 0) < MIN_CELL_SIZE;
    const where = r.schoolId ? (names.get(r.schoolId) ?? r.schoolId) : "县级链接";
    return { id: r.id, text: r.comment, source: small ? null : `${where} · ${groupLabel(r.group)}`, submittedAt: r.submittedAt, invalid: r.invalid };
  });
  return { comments, total, more: rows.length > COMMENTS_PAGE };
}
