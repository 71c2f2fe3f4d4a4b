/**
 * 催收: what each school still owes against its share of the county's plan
 * (app/domain/shortfall.ts), from the same counts and the same school targets as the coverage
 * page (./coverage.ts `countySchoolTargets`), with the reminder a school pastes into its group
 * chat. The county sees its schools furthest behind first; a school contact their own school
 * only (`schoolShortfallFor` checks it, whatever the route). Counts only, as coverage: nothing to
 * suppress; while the collection is open they are the released blocks (decision 0015).
 */
import { getCampaignQuestionnaires, type Campaign, type County, type School } from "../../../db/repositories/campaigns";
import { canSeeSchool, type Principal } from "../../domain/roles";
import {
  countyShortfallTotals,
  rankShortfalls,
  reminderText,
  schoolShortfall,
  type CountyShortfallTotals,
  type SchoolShortfall,
  type ShortfallGroup,
} from "../../domain/shortfall";
import { COUNTY_LEVEL_GROUPS, GRADES_BY_SCHOOL_TYPE, type QuestionnaireId } from "../../domain/vocabulary";
import { formatBeijingTime } from "../collect/link-context";
import { signLink } from "../collect/link-token";
import { questionnairesForSchool } from "../collect/links";
import type { Services } from "../context";
import { countySchoolTargets, hasStudentQuestionnaire } from "./coverage";
import { countyCounts, SETTINGS, type CountyCounts } from "./satisfaction";

export interface ShortfallRow extends SchoolShortfall {
  /** Ready to paste into the school's group chat. */
  reminder: string;
}

export interface CountyShortfallView {
  /** False without 常住人口: no plan, nothing can be owed. */
  planned: boolean;
  /** Furthest behind first (app/domain/shortfall.ts rankShortfalls). */
  schools: ShortfallRow[];
  totals: CountyShortfallTotals | null;
  /** The county-level link's groups (人大代表, 政协委员, 其他群众) still missing; null when none. */
  countyLink: string | null;
  /** While the collection is open: counts move in blocks of 5. */
  note: string | null;
}

export interface SchoolShortfallView {
  planned: boolean;
  shortfall: ShortfallRow | null;
  note: string | null;
}

/** 社会卷 on a school's link is the parents'; the others' groups are their own. */
const LINK_GROUPS: Record<QuestionnaireId, { label: string; groups: ShortfallGroup[] }> = {
  social: { label: "家长问卷", groups: ["parent"] },
  student: { label: "学生问卷", groups: ["student"] },
  staff: { label: "校长教师问卷", groups: ["staff"] },
};

const OPEN_NOTE = "调查进行中：份数按每所学校、每类调查对象每满 5 份更新一次，刚提交的问卷可能还未计入。";

function linksOf(services: Pick<Services, "keys" | "config">, campaignId: string, school: School, offered: ReadonlySet<QuestionnaireId>) {
  return questionnairesForSchool(school, offered).map((q) => ({
    ...LINK_GROUPS[q],
    url: `${services.config.publicUrl}/s/${signLink(services.keys, { campaignId, countyId: school.countyId, schoolId: school.id, questionnaireId: q })}`,
  }));
}

function rowsOf(
  services: Pick<Services, "keys" | "config" | "now">,
  campaign: Campaign,
  c: CountyCounts,
  offered: ReadonlySet<QuestionnaireId>,
  only?: string,
): ShortfallRow[] {
  const targets = countySchoolTargets(c);
  const asOf = formatBeijingTime(services.now());
  const settings = {
    parentGrades: SETTINGS.samplePlan.parentGrades,
    studentGrades: SETTINGS.samplePlan.studentGrades,
    cellTolerance: SETTINGS.samplePlan.cellTolerance,
  };
  return c.schools
    .filter((s) => only === undefined || s.id === only)
    .map((s) => {
      const shortfall = schoolShortfall(
        {
          id: s.id,
          name: s.name,
          location: s.location,
          grades: GRADES_BY_SCHOOL_TYPE[s.type],
          target: targets.get(s.id) ?? { parent: 0, student: 0, staff: 0 },
          hasStudentQuestionnaire: hasStudentQuestionnaire(s.type),
          collected: c.cells.filter((x) => x.schoolId === s.id).map((x) => ({ group: x.group, grade: x.grade, valid: x.valid })),
        },
        settings,
      );
      return { ...shortfall, reminder: reminderText({ campaignName: campaign.name, asOf, shortfall, links: linksOf(services, campaign.id, s, offered) }) };
    });
}

/** The county's schools, furthest behind first. `counts`: as `countyCounts(…, false)` when the caller has them. */
export async function countyShortfall(
  services: Pick<Services, "db" | "now" | "keys" | "config">,
  campaign: Campaign,
  county: County,
  counts?: CountyCounts,
): Promise<CountyShortfallView> {
  const c = counts ?? (await countyCounts(services, campaign, county, false));
  const note = c.release.blocks ? OPEN_NOTE : null;
  if (!c.result.plan) return { planned: false, schools: [], totals: null, countyLink: null, note };
  const offered = new Set((await getCampaignQuestionnaires(services.db, campaign.id)).keys());
  const schools = rankShortfalls(rowsOf(services, campaign, c, offered));
  const linkMissing = (c.result.coverage?.cells ?? []).filter((x) => x.dimension === "group" && COUNTY_LEVEL_GROUPS.some((g) => g === x.key) && x.missing > 0);
  return {
    planned: true,
    schools,
    totals: countyShortfallTotals(schools),
    countyLink: linkMissing.length > 0 ? `县级链接还差：${linkMissing.map((x) => `${x.label} ${String(x.missing)} 份`).join("、")}` : null,
    note,
  };
}

/**
 * One school's shortfall, for whoever may see the school (`canSeeSchool`): null otherwise, so
 * a caller cannot hand a school contact another school's figures by mistake.
 */
export async function schoolShortfallFor(
  services: Pick<Services, "db" | "now" | "keys" | "config">,
  campaign: Campaign,
  county: County,
  school: School,
  principal: Principal,
): Promise<SchoolShortfallView | null> {
  if (!canSeeSchool(principal, school) || school.countyId !== county.id) return null;
  const c = await countyCounts(services, campaign, county, false);
  const note = c.release.blocks ? OPEN_NOTE : null;
  if (!c.result.plan) return { planned: false, shortfall: null, note };
  const offered = new Set((await getCampaignQuestionnaires(services.db, campaign.id)).keys());
  const [row] = rowsOf(services, campaign, c, offered, school.id);
  return { planned: true, shortfall: row ?? null, note };
}
