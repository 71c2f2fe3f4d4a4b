import { describe, expect, it } from "vitest";
import { CHILD_LIMITS, checkChildOrdinal, childPath, childRefusal, nextChild } from "./children";

const limits = { maxChildrenPerDevice: 3 };

describe("child ordinals (decision 0027)", () => {
  it("reads an absent ordinal as the first child, and accepts 2…max on parents' links only", () => {
    expect(checkChildOrdinal(undefined, "parent", limits)).toEqual({ ok: true, child: 1 });
    expect(checkChildOrdinal("", "staff", limits)).toEqual({ ok: true, child: 1 });
    expect(checkChildOrdinal(1, "student", limits)).toEqual({ ok: true, child: 1 });
    expect(checkChildOrdinal("2", "parent", limits)).toEqual({ ok: true, child: 2 });
    expect(checkChildOrdinal(3, "parent", limits)).toEqual({ ok: true, child: 3 });
    for (const audience of ["staff", "student", "public"] as const) {
      expect(checkChildOrdinal(2, audience, limits)).toEqual({ ok: false, reason: "not_parents" });
    }
    expect(checkChildOrdinal(4, "parent", limits)).toEqual({ ok: false, reason: "over_limit" });
    expect(checkChildOrdinal("99", "parent", limits)).toEqual({ ok: false, reason: "over_limit" });
    expect(checkChildOrdinal(2, "parent", { maxChildrenPerDevice: 1 })).toEqual({ ok: false, reason: "over_limit" });
  });

  it("refuses anything that is not a small whole number written plainly", () => {
    for (const raw of [0, -1, 1.5, 100, Number.NaN, "0", "02", "2.0", " 2", "x", "100", true, {}, []]) {
      expect(checkChildOrdinal(raw, "parent", limits), String(raw)).toEqual({ ok: false, reason: "malformed" });
    }
  });

  it("offers the ordinal after the answered ones, up to the limit, to parents only", () => {
    expect(nextChild(new Set(), "parent", limits)).toBe(1);
    expect(nextChild(new Set([1]), "parent", limits)).toBe(2);
    expect(nextChild(new Set([1, 2]), "parent", limits)).toBe(3);
    expect(nextChild(new Set([1, 2, 3]), "parent", limits)).toBeNull();
    expect(nextChild(new Set([1]), "staff", limits)).toBeNull();
    expect(nextChild(new Set([1]), "public", limits)).toBeNull();
  });

  it("puts the ordinal in the address only above 1, and words each refusal", () => {
    expect(childPath("tok", 1)).toBe("/s/tok");
    expect(childPath("tok", 2)).toBe("/s/tok?child=2");
    expect(childPath("tok", 3, "/full")).toBe("/s/tok/full?child=3");
    expect(childRefusal("over_limit", limits)).toContain("3个孩子");
    expect(childRefusal("not_parents", limits)).toBe("这份问卷每台设备只能填写一份。");
    expect(CHILD_LIMITS.maxChildrenPerDevice).toBe(3);
  });
});
