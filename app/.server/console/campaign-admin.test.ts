import { describe, expect, it } from "vitest";
import { ALWAYS_OPEN } from "../../../db/seed/seed-demo";
import { formatBeijingInput, LATEST_INPUT_MS, parseBeijing } from "./campaign-admin";

describe("campaign times in the edit form (北京时间)", () => {
  it("round-trips an ordinary time", () => {
    const ms = Date.UTC(2026, 2, 1, 0, 0); // 2026-03-01 08:00 北京时间
    expect(formatBeijingInput(ms)).toBe("2026-03-01T08:00");
    expect(parseBeijing(formatBeijingInput(ms))).toBe(ms);
  });

  it("the demo campaign's close time can be saved back through the form", () => {
    expect(formatBeijingInput(ALWAYS_OPEN.closesAt)).toBe("9999-12-31T23:59");
    expect(parseBeijing(formatBeijingInput(ALWAYS_OPEN.closesAt))).toBe(ALWAYS_OPEN.closesAt);
  });

  it("a stored time past what the field can show is shown as its latest, never as a five-digit year", () => {
    const old = Date.UTC(9999, 11, 31, 23, 59, 59); // the close time seeded before: 10000-01-01 in Beijing
    expect(formatBeijingInput(old)).toBe("9999-12-31T23:59");
    expect(parseBeijing(formatBeijingInput(old))).toBe(LATEST_INPUT_MS);
  });
});
