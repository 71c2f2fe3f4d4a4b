import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { SchoolType } from "../vocabulary";
import { unitValues } from "./resource";
import { DEFAULT_RESOURCE_SETTINGS as R } from "./settings";
import { quantityToReach, valueAfterAdding } from "./shortfalls";
import { schoolOfType } from "./test-helpers";
import { allocatedAmount, buildUnits } from "./units";

const typeArb = fc.constantFrom<SchoolType>("nine_year", "twelve_year", "complete_secondary", "primary", "junior");
const schoolArb = fc.record({
  type: typeArb,
  primary: fc.integer({ min: 1, max: 3000 }),
  junior: fc.integer({ min: 1, max: 3000 }),
  senior: fc.integer({ min: 0, max: 3000 }),
  area: fc.integer({ min: 0, max: 100_000 }),
  rooms: fc.integer({ min: 0, max: 200 }),
  teachers: fc.integer({ min: 0, max: 300 }),
});
interface SchoolSpec {
  type: SchoolType;
  primary: number;
  junior: number;
  senior: number;
  area: number;
  rooms: number;
  teachers: number;
}
const build = (s: SchoolSpec) => {
  const students = {
    primary: s.type === "junior" || s.type === "complete_secondary" ? 0 : s.primary,
    junior: s.type === "primary" ? 0 : s.junior,
    senior: s.type === "complete_secondary" || s.type === "twelve_year" ? s.senior : 0,
  };
  const staff = { fullTimeTeachers: s.teachers, aboveRequiredDegree: s.teachers, keyTeachers: 0, peTeachers: 0, musicTeachers: 0, artTeachers: 0 };
  return schoolOfType("s", s.type, students, {
    sections: { primary: staff, junior: staff },
    facilities: {
      teachingAuxiliaryAreaM2: s.area,
      indoorSportsAreaM2: 0,
      sportsGroundAreaM2: s.area,
      sportsHallAreaM2: 0,
      equipmentValueWanYuan: s.area / 100,
      multimediaClassrooms: s.rooms,
    },
  });
};

describe("split properties", () => {
  it("the sections' allocations add up to the school's total less the 高中 part", () => {
    fc.assert(
      fc.property(schoolArb, (s) => {
        const school = build(s);
        const { units } = buildUnits([school], R);
        const shared = units.reduce((a, u) => a + allocatedAmount(u, s.area), 0);
        const seniorShare = units[0]
          ? (units[0].weightedEnrolment - units.reduce((a, u) => a + u.splitWeight * u.students, 0)) / units[0].weightedEnrolment
          : 0;
        expect(shared).toBeCloseTo(s.area * (1 - seniorShare), 6);
        if (s.type === "nine_year" || s.type === "twelve_year") {
          // Per student, an 初中 student weighs 1.1 小学 students.
          const [p, j] = units.map((u) => unitValues(u).L4 ?? 0);
          expect(j).toBeCloseTo((p ?? 0) * 1.1, 9);
        }
      }),
    );
  });
});

describe("shortfall quantities are exact", () => {
  it("adding the quantity reaches the target, one whole teacher or room less does not", () => {
    fc.assert(
      fc.property(
        schoolArb,
        fc.constantFrom<"L1" | "L4" | "L6" | "L7">("L1", "L4", "L6", "L7"),
        fc.double({ min: 0.1, max: 3000, noNaN: true }),
        (s, code, target) => {
          const { units } = buildUnits([build(s)], R);
          for (const unit of units) {
            const q = quantityToReach(unit, code, target);
            expect(q).not.toBeNull();
            const after = valueAfterAdding(unit, code, q ?? 0) ?? 0;
            expect(after).toBeGreaterThanOrEqual(target * (1 - 1e-12));
            if ((code === "L1" || code === "L7") && (q ?? 0) > 0) expect(valueAfterAdding(unit, code, (q ?? 0) - 1) ?? 0).toBeLessThan(target);
          }
        },
      ),
    );
  });
});
