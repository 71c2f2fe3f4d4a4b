import { describe, expect, it } from "vitest";
import {
  DEFAULT_INTEGRITY_THRESHOLDS as T,
  integrityFlags,
  isBurst,
  isStraightLined,
  isTooFast,
  plausibleInWindow,
  pupilsOf,
  respondentPopulation,
  type IntegrityInput,
} from "./integrity";

const SCALE = ["满意", "比较满意", "满意", "基本满意", "满意", "不了解", "满意", "比较满意", "满意", "不满意", "满意", "满意", "比较满意"];

function input(overrides: Partial<IntegrityInput> = {}): IntegrityInput {
  return {
    questionnaire: "social",
    pupils: 2150,
    durationMs: 240_000,
    answeredItems: 15,
    scaleAnswers: SCALE,
    honeypot: undefined,
    recent: { onLink: 1, fromAddress: 1 },
    ...overrides,
  };
}

describe("too fast (作答过快)", () => {
  it("flags below the floor of seconds per answered question, not at it", () => {
    // 15 questions × 2 s = 30 s is the floor.
    expect(isTooFast(29_999, 15, T)).toBe(true);
    expect(isTooFast(30_000, 15, T)).toBe(false);
    expect(isTooFast(240_000, 15, T)).toBe(false);
  });

  it("never flags without answered questions or with a negative duration", () => {
    expect(isTooFast(0, 0, T)).toBe(false);
    expect(isTooFast(-5_000, 15, T)).toBe(false);
  });

  it("follows the configured floor", () => {
    expect(isTooFast(20_000, 15, { ...T, minSecondsPerItem: 1 })).toBe(false);
    expect(isTooFast(20_000, 15, { ...T, minSecondsPerItem: 1.5 })).toBe(true);
  });
});

describe("straight-lining (所有题目同一选项)", () => {
  it("flags every satisfaction item with the same option, 不了解 included", () => {
    expect(isStraightLined(Array(13).fill("满意"), T)).toBe(true);
    expect(isStraightLined(Array(13).fill("不了解"), T)).toBe(true);
    expect(isStraightLined(SCALE, T)).toBe(false);
    expect(isStraightLined([...Array(12).fill("满意"), "比较满意"], T)).toBe(false);
  });

  it("says nothing about answer sets shorter than the configured minimum", () => {
    expect(isStraightLined(Array(7).fill("满意"), T)).toBe(false);
    expect(isStraightLined(Array(8).fill("满意"), T)).toBe(true);
    expect(isStraightLined([], T)).toBe(false);
  });
});

describe("burst (短时间内集中提交)", () => {
  it("derives the respondent population from enrolment and questionnaire", () => {
    expect(pupilsOf({ primary: 900, junior: 700, senior: 600 })).toBe(2200);
    expect(respondentPopulation("social", 2150, T)).toBe(2150);
    expect(respondentPopulation("student", 310, T)).toBe(310);
    expect(respondentPopulation("staff", 2150, T)).toBe(215);
    expect(respondentPopulation("staff", 36, T)).toBe(4);
    expect(respondentPopulation("social", null, T)).toBe(T.countyLinkPopulation);
  });

  it("takes the whole population answering in one window as plausible, with a floor for small schools", () => {
    expect(plausibleInWindow(2150, T)).toBe(2150);
    expect(plausibleInWindow(36, T)).toBe(100);
    expect(plausibleInWindow(0, T)).toBe(100);
    expect(plausibleInWindow(301, { ...T, burstPerRespondent: 0.5 })).toBe(151);
  });

  it("a parents' meeting is not a burst: 300 from one address at a school of 2150", () => {
    expect(isBurst({ onLink: 300, fromAddress: 300 }, 2150, T)).toBe(false);
  });

  it("flags more submissions on a link, or from one address, than the school could plausibly send", () => {
    // 教学点 of 36 pupils: plausible 100 per window.
    expect(isBurst({ onLink: 100, fromAddress: 100 }, 36, T)).toBe(false);
    expect(isBurst({ onLink: 101, fromAddress: 3 }, 36, T)).toBe(true);
    expect(isBurst({ onLink: 40, fromAddress: 101 }, 36, T)).toBe(true);
    // 永丰小学, 310 pupils.
    expect(isBurst({ onLink: 310, fromAddress: 310 }, 310, T)).toBe(false);
    expect(isBurst({ onLink: 311, fromAddress: 1 }, 310, T)).toBe(true);
  });
});

describe("integrityFlags", () => {
  it("raises nothing for an ordinary parent's response", () => {
    expect(integrityFlags(input(), T)).toEqual([]);
  });

  it("raises each signal on its own and lists them in a fixed order", () => {
    expect(integrityFlags(input({ durationMs: 10_000 }), T)).toEqual(["too_fast"]);
    expect(integrityFlags(input({ scaleAnswers: Array(13).fill("满意") }), T)).toEqual(["straight_lining"]);
    expect(integrityFlags(input({ pupils: 36, recent: { onLink: 150, fromAddress: 150 } }), T)).toEqual(["burst"]);
    expect(integrityFlags(input({ honeypot: "http://spam.example" }), T)).toEqual(["honeypot"]);
    expect(
      integrityFlags(
        input({ durationMs: 5_000, scaleAnswers: Array(13).fill("满意"), pupils: 36, recent: { onLink: 500, fromAddress: 500 }, honeypot: "x" }),
        T,
      ),
    ).toEqual(["too_fast", "straight_lining", "burst", "honeypot"]);
  });

  it("ignores a blank honeypot and unknown recent counts", () => {
    expect(integrityFlags(input({ honeypot: "   " }), T)).toEqual([]);
    expect(integrityFlags(input({ pupils: 36, recent: null }), T)).toEqual([]);
  });

  it("uses the county-level population when the link has no school", () => {
    expect(integrityFlags(input({ pupils: null, recent: { onLink: 500, fromAddress: 2 } }), T)).toEqual([]);
    expect(integrityFlags(input({ pupils: null, recent: { onLink: 501, fromAddress: 2 } }), T)).toEqual(["burst"]);
  });
});
