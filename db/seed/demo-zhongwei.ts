/**
 * 演示数据 — DEMO DATA, not real figures. A 中卫市 campaign with its three counties
 * (沙坡头区, 中宁县, 海原县) and a realistic mix of compulsory-education schools of every type
 * and location, so that the platform can be tried end to end on a fresh machine. School names
 * are invented in the style of the region; enrolments and populations are plausible magnitudes
 * (常住人口 close to the 2020 census), chosen to exercise the rules (a 九年一贯制 school with the
 * spec's 166 + 210 example, 教学点 above and below 50 students, schools above the size caps).
 */
import type { Location, SchoolType } from "../../app/domain/vocabulary";

export interface DemoSchool {
  id: string;
  name: string;
  type: SchoolType;
  location: Location;
  /** Students by level: 小学 (grades 1–6), 初中 (7–9), 高中 (senior, for 完全中学/十二年一贯制). */
  students: { primary: number; junior: number; senior: number };
}

export interface DemoCounty {
  id: string;
  name: string;
  /** 常住人口 and its split by 城区/镇区/乡村 (fractions summing to 1). */
  residentPopulation: number;
  locationShare: Record<Location, number>;
  schools: DemoSchool[];
}

export const DEMO_CITY = "中卫市";
export const DEMO_CAMPAIGN_ID = "zw2026";
export const DEMO_CAMPAIGN_NAME = "中卫市2026年义务教育优质均衡发展社会认可度自评调查（演示）";

const s = (primary: number, junior: number, senior = 0) => ({ primary, junior, senior });

export const DEMO_COUNTIES: DemoCounty[] = [
  {
    id: "640502",
    name: "沙坡头区",
    residentPopulation: 406_000,
    locationShare: { urban: 0.52, town: 0.23, rural: 0.25 },
    schools: [
      { id: "spt01", name: "沙坡头区第一小学（演示）", type: "primary", location: "urban", students: s(2150, 0) },
      { id: "spt02", name: "沙坡头区第五小学（演示）", type: "primary", location: "urban", students: s(1680, 0) },
      { id: "spt03", name: "中卫市第四中学（演示）", type: "junior", location: "urban", students: s(0, 1850) },
      { id: "spt04", name: "中卫市第二中学（演示）", type: "complete_secondary", location: "urban", students: s(0, 1400, 1600) },
      { id: "spt05", name: "沙坡头区宣和镇中心小学（演示）", type: "primary", location: "town", students: s(820, 0) },
      { id: "spt06", name: "沙坡头区宣和镇初级中学（演示）", type: "junior", location: "town", students: s(0, 960) },
      { id: "spt07", name: "沙坡头区迎水桥学校（演示）", type: "nine_year", location: "town", students: s(166, 210) },
      { id: "spt08", name: "沙坡头区永康镇永丰小学（演示）", type: "primary", location: "rural", students: s(310, 0) },
      { id: "spt09", name: "沙坡头区香山乡深井教学点（演示）", type: "teaching_point", location: "rural", students: s(36, 0) },
    ],
  },
  {
    id: "640521",
    name: "中宁县",
    residentPopulation: 336_000,
    locationShare: { urban: 0.45, town: 0.27, rural: 0.28 },
    schools: [
      { id: "zn01", name: "中宁县第一小学（演示）", type: "primary", location: "urban", students: s(1900, 0) },
      { id: "zn02", name: "中宁县第三小学（演示）", type: "primary", location: "urban", students: s(1450, 0) },
      { id: "zn03", name: "中宁县第二中学（演示）", type: "junior", location: "urban", students: s(0, 1620) },
      { id: "zn04", name: "中宁县育才学校（演示）", type: "twelve_year", location: "urban", students: s(900, 700, 600) },
      { id: "zn05", name: "中宁县宁安镇中心小学（演示）", type: "primary", location: "town", students: s(760, 0) },
      { id: "zn06", name: "中宁县石空镇初级中学（演示）", type: "junior", location: "town", students: s(0, 880) },
      { id: "zn07", name: "中宁县鸣沙学校（演示）", type: "nine_year", location: "town", students: s(540, 420) },
      { id: "zn08", name: "中宁县恩和镇红宝小学（演示）", type: "primary", location: "rural", students: s(230, 0) },
      { id: "zn09", name: "中宁县喊叫水乡教学点（演示）", type: "teaching_point", location: "rural", students: s(62, 0) },
    ],
  },
  {
    id: "640522",
    name: "海原县",
    residentPopulation: 396_000,
    locationShare: { urban: 0.3, town: 0.25, rural: 0.45 },
    schools: [
      { id: "hy01", name: "海原县第一小学（演示）", type: "primary", location: "urban", students: s(2050, 0) },
      { id: "hy02", name: "海原县第三小学（演示）", type: "primary", location: "urban", students: s(1500, 0) },
      { id: "hy03", name: "海原县第三中学（演示）", type: "junior", location: "urban", students: s(0, 1750) },
      { id: "hy04", name: "海原县回民中学（演示）", type: "complete_secondary", location: "urban", students: s(0, 1300, 1500) },
      { id: "hy05", name: "海原县三河镇中心小学（演示）", type: "primary", location: "town", students: s(640, 0) },
      { id: "hy06", name: "海原县李旺镇初级中学（演示）", type: "junior", location: "town", students: s(0, 720) },
      { id: "hy07", name: "海原县关桥学校（演示）", type: "nine_year", location: "rural", students: s(380, 300) },
      { id: "hy08", name: "海原县西安镇园河小学（演示）", type: "primary", location: "rural", students: s(180, 0) },
      { id: "hy09", name: "海原县甘城乡教学点（演示）", type: "teaching_point", location: "rural", students: s(28, 0) },
    ],
  },
];
