import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { lineIsProtected, MIN_CELL_SIZE, suppressLine, suppressTable } from "./suppression";

describe("suppressLine", () => {
  it("hides nothing when every cell has at least 5 questionnaires", () => {
    expect(suppressLine([120, 45, 5, 0])).toEqual([null, null, null, null]);
  });

  it("hides a small cell and, since the total is published, the next smallest one too", () => {
    // A school with 3 teachers' questionnaires: alone it could be recovered as total − the rest.
    expect(suppressLine([120, 45, 3, 60, 9])).toEqual([null, null, "primary", null, "complementary"]);
  });

  it("keeps adding complements until the hidden cells hold at least 5 questionnaires", () => {
    // 1 + 1 hidden would reveal both answers when the hidden satisfied count is 0 or 2.
    expect(suppressLine([1, 1, 30, 40])).toEqual(["primary", "primary", "complementary", null]);
  });

  it("never uses an empty cell as a complement", () => {
    expect(suppressLine([0, 4, 0, 50])).toEqual([null, "primary", null, "complementary"]);
  });

  it("hides all when only small cells exist", () => {
    expect(suppressLine([2, 2])).toEqual(["primary", "primary"]);
  });

  it("property: every small cell is hidden and every line is protected", () => {
    fc.assert(
      fc.property(fc.array(fc.nat({ max: 40 }), { minLength: 1, maxLength: 12 }), (counts) => {
        const marks = suppressLine(counts);
        expect(lineIsProtected(counts, marks)).toBe(true);
        counts.forEach((n, i) => {
          if (n > 0 && n < MIN_CELL_SIZE) expect(marks[i]).toBe("primary");
          if (n === 0) expect(marks[i]).toBeNull();
        });
      }),
    );
  });
});

describe("suppressTable", () => {
  it("protects rows and columns: schools × groups with a small teachers' cell", () => {
    //            家长  学生  教师
    const m = [
      [80, 40, 12], // 第一小学
      [50, 30, 3], //  教学点: 3 teachers
      [60, 0, 9], //   红宝小学
    ];
    const marks = suppressTable(m);
    expect(marks[1]?.[2]).toBe("primary");
    for (let r = 0; r < m.length; r++) expect(lineIsProtected(m[r] ?? [], marks[r] ?? [])).toBe(true);
    for (let c = 0; c < 3; c++) {
      expect(
        lineIsProtected(
          m.map((row) => row[c] ?? 0),
          marks.map((row) => row[c] ?? null),
        ),
      ).toBe(true);
    }
  });

  it("property: every row and every column is protected", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }).chain((cols) => fc.array(fc.array(fc.nat({ max: 30 }), { minLength: cols, maxLength: cols }), { minLength: 1, maxLength: 8 })),
        (m) => {
          const marks = suppressTable(m);
          const cols = m[0]?.length ?? 0;
          for (let r = 0; r < m.length; r++) expect(lineIsProtected(m[r] ?? [], marks[r] ?? [])).toBe(true);
          for (let c = 0; c < cols; c++) {
            expect(
              lineIsProtected(
                m.map((row) => row[c] ?? 0),
                marks.map((row) => row[c] ?? null),
              ),
            ).toBe(true);
          }
        },
      ),
    );
  });
});
