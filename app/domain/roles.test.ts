import { describe, expect, it } from "vitest";
import {
  canManageAccount,
  canSeeCampaign,
  canSeeCounty,
  canSeeSchool,
  normalizeUsername,
  rolesManagedBy,
  passwordProblem,
  USERNAME_PATTERN,
  type Principal,
} from "./roles";

const base = { accountId: 1, username: "x", displayName: "x" };
const city: Principal = { ...base, role: "city", countyId: null, schoolId: null };
const county: Principal = { ...base, role: "county", countyId: "640521", schoolId: null };
const school: Principal = { ...base, role: "school", countyId: "640521", schoolId: "zn01" };

describe("scope rules", () => {
  it("accounts: the city administers all; a county officer its county's school contacts; a school none", () => {
    expect(canManageAccount(city, { role: "city", countyId: null })).toBe(true);
    expect(canManageAccount(city, { role: "county", countyId: "640502" })).toBe(true);
    expect(canManageAccount(county, { role: "school", countyId: "640521" })).toBe(true);
    expect(canManageAccount(county, { role: "school", countyId: "640502" })).toBe(false);
    expect(canManageAccount(county, { role: "county", countyId: "640521" })).toBe(false);
    expect(canManageAccount(county, { role: "city", countyId: null })).toBe(false);
    expect(canManageAccount({ ...county, countyId: null }, { role: "school", countyId: null })).toBe(false);
    expect(canManageAccount(school, { role: "school", countyId: "640521" })).toBe(false);
    expect(rolesManagedBy(city)).toEqual(["city", "county", "school"]);
    expect(rolesManagedBy(county)).toEqual(["school"]);
    expect(rolesManagedBy(school)).toEqual([]);
  });
  it("city sees every county; county only its own; school no county-level figures", () => {
    expect(canSeeCounty(city, "640502")).toBe(true);
    expect(canSeeCounty(county, "640521")).toBe(true);
    expect(canSeeCounty(county, "640502")).toBe(false);
    expect(canSeeCounty(school, "640521")).toBe(false);
  });
  it("schools: county officers see their county's schools, school contacts their own", () => {
    expect(canSeeSchool(city, { id: "spt01", countyId: "640502" })).toBe(true);
    expect(canSeeSchool(county, { id: "zn02", countyId: "640521" })).toBe(true);
    expect(canSeeSchool(county, { id: "spt01", countyId: "640502" })).toBe(false);
    expect(canSeeSchool(school, { id: "zn01", countyId: "640521" })).toBe(true);
    expect(canSeeSchool(school, { id: "zn02", countyId: "640521" })).toBe(false);
  });
  it("campaigns are visible when they cover the account's county", () => {
    expect(canSeeCampaign(city, [])).toBe(true);
    expect(canSeeCampaign(county, ["640502", "640521"])).toBe(true);
    expect(canSeeCampaign(county, ["640502"])).toBe(false);
    expect(canSeeCampaign(school, ["640521"])).toBe(true);
  });
});

describe("names and passwords", () => {
  it("normalises and checks user names", () => {
    expect(normalizeUsername("  ZhangSan ")).toBe("zhangsan");
    expect(USERNAME_PATTERN.test("zhangsan")).toBe(true);
    expect(USERNAME_PATTERN.test("ab")).toBe(false);
    expect(USERNAME_PATTERN.test("张三")).toBe(false);
    expect(USERNAME_PATTERN.test("-abc")).toBe(false);
  });
  it("refuses short and one-character passwords", () => {
    expect(passwordProblem("short")).toMatch(/至少 10/);
    expect(passwordProblem("aaaaaaaaaaaa")).toMatch(/同一个字符/);
    expect(passwordProblem("correct horse battery")).toBeNull();
    expect(passwordProblem("x".repeat(201))).toMatch(/最多/);
  });
});
