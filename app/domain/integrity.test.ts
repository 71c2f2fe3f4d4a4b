import { describe, expect, it } from "vitest";
import {
  answerVectorKey,
  DEFAULT_INTEGRITY_THRESHOLDS as T,
  INTEGRITY_FLAG_LABELS,
  INTEGRITY_FLAGS,
  integrityFlags,
  IntegrityThresholdsSchema,
  isBurst,
  isSimilarAnswers,
  isSimilarTiming,
  judgeNewDevice,
  timingCell,
  isStraightLined,
  isTooFast,
  plausibleInWindow,
  pupilsOf,
  repeatKey,
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

describe("new devices (新设备集中出现) and the slow-down", () => {
  const calm = { onLink: 1, fromAddress: 1, fromAddressRecent: 1 };

  it("marks a device minted while more than 150 a minute appear from one address, not the 150th", () => {
    expect(judgeNewDevice({ ...calm, fromAddressRecent: 150 }, 2150, T)).toEqual({ mark: false, slowDown: false });
    expect(judgeNewDevice({ ...calm, fromAddressRecent: 151 }, 2150, T)).toEqual({ mark: true, slowDown: false });
  });

  it("marks past the enrolment bound in ten minutes (link or address) and slows down past twice it on the link only", () => {
    // 310 pupils: plausible max(100, 310) = 310; slow-down above 620.
    expect(judgeNewDevice({ ...calm, onLink: 310 }, 310, T)).toEqual({ mark: false, slowDown: false });
    expect(judgeNewDevice({ ...calm, onLink: 311 }, 310, T)).toEqual({ mark: true, slowDown: false });
    expect(judgeNewDevice({ ...calm, onLink: 620 }, 310, T)).toEqual({ mark: true, slowDown: false });
    expect(judgeNewDevice({ ...calm, onLink: 621 }, 310, T)).toEqual({ mark: true, slowDown: true });
    // A carrier NAT address carrying many schools' parents is flagged, never slowed down.
    expect(judgeNewDevice({ ...calm, fromAddress: 5000 }, 310, T)).toEqual({ mark: true, slowDown: false });
    // 36 pupils: the floor of 100 applies; slow-down above 200.
    expect(judgeNewDevice({ ...calm, onLink: 200 }, 36, T).slowDown).toBe(false);
    expect(judgeNewDevice({ ...calm, onLink: 201 }, 36, T).slowDown).toBe(true);
  });
});

describe("similarity across devices of one address (作答时间雷同, 答案完全相同)", () => {
  it("puts submissions in one timing cell only when both the start and the answering time share a 10-s bucket", () => {
    const t0 = 1_773_108_000_000; // a multiple of 10 s
    expect(timingCell(t0, 183_000, T)).toBe(timingCell(t0 + 9_999, 189_999, T));
    expect(timingCell(t0, 183_000, T)).not.toBe(timingCell(t0 + 10_000, 183_000, T));
    expect(timingCell(t0, 183_000, T)).not.toBe(timingCell(t0, 190_000, T));
  });

  it("flags a cell holding more than 12", () => {
    expect(isSimilarTiming({ sameTiming: 12, sameAnswers: null }, T)).toBe(false);
    expect(isSimilarTiming({ sameTiming: 13, sameAnswers: null }, T)).toBe(true);
  });

  it("keys answer vectors only when they are long enough and not straight-lined", () => {
    expect(answerVectorKey(SCALE, T)).toBe(SCALE.join("|"));
    expect(answerVectorKey(Array(13).fill("满意"), T)).toBeNull();
    expect(answerVectorKey(SCALE.slice(0, 7), T)).toBeNull();
  });

  it("flags one vector above max(8, ⌈10 % of the address's submissions⌉)", () => {
    const c = (sameAnswers: number | null) => ({ sameTiming: 1, sameAnswers });
    expect(isSimilarAnswers(c(8), 8, T)).toBe(false);
    expect(isSimilarAnswers(c(9), 9, T)).toBe(true);
    // 300 parents: up to 30 identical vectors are within the distribution.
    expect(isSimilarAnswers(c(30), 300, T)).toBe(false);
    expect(isSimilarAnswers(c(31), 300, T)).toBe(true);
    expect(isSimilarAnswers(c(null), 300, T)).toBe(false);
  });
});

describe("integrityFlags: start token and similarity", () => {
  const fresh = { stale: false, foreign: false, deviceBurst: false };
  const quiet = { sameTiming: 1, sameAnswers: 1 };

  it("raises nothing for an ordinary parent with a fresh token of their own device", () => {
    expect(integrityFlags(input({ start: fresh, similarity: quiet }), T)).toEqual([]);
  });

  it("raises each new signal on its own, after the older ones, in a fixed order", () => {
    expect(integrityFlags(input({ start: { ...fresh, stale: true } }), T)).toEqual(["start_stale"]);
    expect(integrityFlags(input({ start: { ...fresh, foreign: true } }), T)).toEqual(["start_foreign"]);
    expect(integrityFlags(input({ start: { ...fresh, deviceBurst: true } }), T)).toEqual(["device_burst"]);
    expect(integrityFlags(input({ similarity: { ...quiet, sameTiming: 13 } }), T)).toEqual(["similar_timing"]);
    expect(integrityFlags(input({ similarity: { ...quiet, sameAnswers: 9 }, recent: { onLink: 9, fromAddress: 9 } }), T)).toEqual(["similar_answers"]);
    expect(
      integrityFlags(
        input({
          honeypot: "x",
          start: { stale: true, foreign: true, deviceBurst: true },
          similarity: { sameTiming: 20, sameAnswers: 20 },
          recent: { onLink: 20, fromAddress: 20 },
        }),
        T,
      ),
    ).toEqual(["honeypot", "start_stale", "start_foreign", "device_burst", "similar_timing", "similar_answers"]);
  });

  it("raises no similarity flag when the counts are unknown", () => {
    expect(integrityFlags(input({ similarity: null }), T)).toEqual([]);
    expect(integrityFlags(input({ similarity: { ...quiet, sameAnswers: 50 }, recent: null }), T)).toEqual([]);
  });
});

describe("several_children: a later child at the same school from the same phone (decision 0027)", () => {
  it("flags ordinal 2 and above, never the first child or an unknown ordinal, with its own label", () => {
    expect(integrityFlags(input({ childOrdinal: 1 }), T)).toEqual([]);
    expect(integrityFlags(input({}), T)).toEqual([]);
    expect(integrityFlags(input({ childOrdinal: 2 }), T)).toEqual(["several_children"]);
    expect(integrityFlags(input({ childOrdinal: 3, sameOnLink: 2 }), T)).toEqual(["repeat_answers", "several_children"]);
    expect(INTEGRITY_FLAGS.at(-1)).toBe("several_children");
    expect(INTEGRITY_FLAG_LABELS.several_children).toBe("同一手机为同一学校的多个孩子填写（本份为第2个及以后的孩子）");
  });
});

describe("repeat_answers: the same submission again from another device", () => {
  it("flags the second sight of one (link, start, answers), not the first, and nothing when unknown", () => {
    expect(integrityFlags(input({ sameOnLink: 1 }), T)).toEqual([]);
    expect(integrityFlags(input({ sameOnLink: 2 }), T)).toEqual(["repeat_answers"]);
    expect(integrityFlags(input({ sameOnLink: null }), T)).toEqual([]);
    expect(integrityFlags(input({}), T)).toEqual([]);
  });

  it("keys on the original start time and every answer, whatever order the answers came in", () => {
    const a = repeatKey(1_700_000_000_123.7, { moral: "满意", grade: 5, comment: "好" });
    expect(repeatKey(1_700_000_000_123, { comment: "好", grade: 5, moral: "满意" })).toBe(a);
    expect(repeatKey(1_700_000_000_124, { comment: "好", grade: 5, moral: "满意" })).not.toBe(a);
    expect(repeatKey(1_700_000_000_123, { comment: "好", grade: 4, moral: "满意" })).not.toBe(a);
    expect(repeatKey(1_700_000_000_123, { grade: 5, moral: "满意" })).not.toBe(a);
  });
});

describe("INTEGRITY_THRESHOLDS", () => {
  it("is the documented defaults when empty", () => {
    expect(IntegrityThresholdsSchema.parse({})).toEqual(T);
    expect(T).toMatchObject({
      startTokenLifetimeMs: 4 * 3_600_000,
      rateWindowMs: 60_000,
      newDevicesPerRateWindow: 150,
      deviceSlowdownFactor: 2,
      similarTimingBucketMs: 10_000,
      similarTimingMaximum: 12,
      similarAnswersMinimum: 8,
      similarAnswersShare: 0.1,
    });
  });

  it("overrides the stuffing thresholds one by one, keeping the rest", () => {
    const t = IntegrityThresholdsSchema.parse({ startTokenLifetimeMs: 2 * 3_600_000, similarTimingMaximum: 20 });
    expect(t.startTokenLifetimeMs).toBe(2 * 3_600_000);
    expect(t.similarTimingMaximum).toBe(20);
    expect(t.newDevicesPerRateWindow).toBe(150);
  });

  it("refuses out-of-range values and unknown fields, so a typo fails the boot", () => {
    expect(IntegrityThresholdsSchema.safeParse({ startTokenLifetimeMs: 30_000 }).success).toBe(false);
    expect(IntegrityThresholdsSchema.safeParse({ deviceSlowdownFactor: 0.5 }).success).toBe(false);
    expect(IntegrityThresholdsSchema.safeParse({ similarAnswersShare: 1.5 }).success).toBe(false);
    expect(IntegrityThresholdsSchema.safeParse({ startTokenLifetime: 3_600_000 }).success).toBe(false);
  });
});
