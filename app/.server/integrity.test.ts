import { describe, expect, it } from "vitest";
import { DEFAULT_INTEGRITY_THRESHOLDS } from "../domain/integrity";
import { IntegrityThresholdsSchema } from "./integrity";

describe("INTEGRITY_THRESHOLDS", () => {
  it("is the documented defaults when empty", () => {
    expect(IntegrityThresholdsSchema.parse({})).toEqual(DEFAULT_INTEGRITY_THRESHOLDS);
    expect(DEFAULT_INTEGRITY_THRESHOLDS).toMatchObject({
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
