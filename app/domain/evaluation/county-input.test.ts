import { describe, expect, it } from "vitest";
import { checkedInput, countyInputOf, InvalidEvaluationInputError } from "./county-input";
import { inputOf, primarySchool } from "./test-helpers";

const county = { id: "640521", name: "中宁县" };
const share = { urban: 0.45, town: 0.27, rural: 0.28 };
const file = { id: "640521", name: "中宁县", residentPopulation: 336_000, locationShare: { urban: 0.5, town: 0.25, rural: 0.25 } };

describe("countyInputOf: one county's CountyInput from the campaign and the evaluation data file", () => {
  it("takes the campaign's 常住人口 and split first", () => {
    expect(countyInputOf({ residentPopulation: 340_000, locationShare: share }, county, file)).toEqual({
      ...county,
      residentPopulation: 340_000,
      locationShare: share,
    });
  });

  it("without the campaign's 常住人口 takes the file's, and without either it is null — never 0", () => {
    expect(countyInputOf({ residentPopulation: null, locationShare: share }, county, file).residentPopulation).toBe(336_000);
    expect(countyInputOf({ residentPopulation: null, locationShare: share }, county)).toEqual({ ...county, residentPopulation: null, locationShare: share });
    expect(countyInputOf(undefined, county, { ...file, residentPopulation: null, locationShare: undefined })).toEqual({
      ...county,
      residentPopulation: null,
      locationShare: null,
    });
    expect(countyInputOf(undefined, county)).toEqual({ ...county, residentPopulation: null, locationShare: null });
  });

  it("refuses what the engine's schema refuses (a population of 0, a share above 1)", () => {
    expect(() => countyInputOf({ residentPopulation: 0, locationShare: share }, county)).toThrow(InvalidEvaluationInputError);
    expect(() => countyInputOf({ residentPopulation: 1000, locationShare: { urban: 45, town: 27, rural: 28 } }, county)).toThrow(/640521 的评估输入不符合格式/);
  });
});

describe("checkedInput: the CLI's schema and cross-record checks", () => {
  it("passes a consistent input through", () => {
    const input = inputOf([primarySchool("a", 1000)]);
    expect(checkedInput(input, "测试")).toEqual(input);
  });

  it("refuses a school of a county not in the input, naming it", () => {
    expect(() => checkedInput(inputOf([primarySchool("a", 1000, { countyId: "C9" })]), "调查活动 x")).toThrow(
      /调查活动 x的评估输入前后不一致：.*C9 不在县（区）表中/,
    );
  });
});
