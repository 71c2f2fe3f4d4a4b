import { describe, expect, it } from "vitest";
import { MARGIN_MIN_N, uncertaintyText } from "./uncertainty";

describe("uncertaintyText", () => {
  const interval = { low: 0.615, high: 0.954 };
  it(`prints ± from ${String(MARGIN_MIN_N)} questionnaires, the Wilson interval below`, () => {
    expect(uncertaintyText({ n: MARGIN_MIN_N, rate: 0.8, marginOfError: 0.2166, interval })).toBe("±21.66");
    expect(uncertaintyText({ n: MARGIN_MIN_N - 1, rate: 0.8, marginOfError: 0.2166, interval })).toBe("61.5%–95.4%");
  });
  it("prints the interval at 0% and 100%, where ± would read 0", () => {
    expect(uncertaintyText({ n: 200, rate: 1, marginOfError: 0, interval: { low: 0.981, high: 1 } })).toBe("98.1%–100.0%");
    expect(uncertaintyText({ n: 200, rate: 0, marginOfError: 0, interval: { low: 0, high: 0.019 } })).toBe("0.0%–1.9%");
  });
  it("prints — without a rate or the figure it needs", () => {
    expect(uncertaintyText({ n: 0, rate: null, marginOfError: null, interval: null })).toBe("—");
    expect(uncertaintyText({ n: 10, rate: 0.5, marginOfError: null, interval: null })).toBe("—");
  });
});
