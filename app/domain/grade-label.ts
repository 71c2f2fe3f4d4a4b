/**
 * One way of naming a grade everywhere an officer or a parent reads it: as the questionnaires
 * and the schools do, 一年级 … 九年级 (issue 20 item 4; the console used to say "5年级" where
 * the 学生卷 says 五年级). Grades 7–9 are 七年级 … 九年级, the questionnaires' own words before
 * their bracketed 初一 … 初三. The raw answer export keeps the number: it is data to filter.
 */
const NUMERALS = ["一", "二", "三", "四", "五", "六", "七", "八", "九"] as const;

/** 1 → "一年级", 9 → "九年级"; a grade outside 1–9 (which validation refuses) keeps its digits. */
export function gradeLabel(grade: number | string): string {
  const n = typeof grade === "number" ? grade : Number(grade);
  const numeral = Number.isInteger(n) ? NUMERALS[n - 1] : undefined;
  return `${numeral ?? String(grade)}年级`;
}
