import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { lineIsProtected, MIN_CELL_SIZE, satisfactionCell, suppressLine, suppressTable, tableIsProtected } from ".";

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
        fc
          .integer({ min: 1, max: 6 })
          .chain((cols) => fc.array(fc.array(fc.nat({ max: 30 }), { minLength: cols, maxLength: cols }), { minLength: 1, maxLength: 8 })),
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

// ——— The attacks of issue 12, played against what the console publishes. ———

interface Fig {
  n: number;
  s: number;
}

/**
 * What an attacker can conclude about hidden cells from one published line: every assignment
 * of satisfied counts to the hidden cells (each 0 … n, sizes assumed known) that adds up to the
 * published total minus the visible cells. Returns, per cell, the values it can take.
 */
function lineAttack(cells: readonly Fig[], marks: readonly (string | null)[]): Map<number, Set<number>> {
  const hidden = cells.map((_, i) => i).filter((i) => marks[i] !== null && (cells[i]?.n ?? 0) > 0);
  const target = hidden.reduce((a, i) => a + (cells[i]?.s ?? 0), 0);
  const out = new Map(hidden.map((i) => [i, new Set<number>()]));
  const values: number[] = [];
  const walk = (j: number, sum: number) => {
    if (j === hidden.length) {
      if (sum === target) hidden.forEach((i, x) => out.get(i)?.add(values[x] ?? -1));
      return;
    }
    for (let v = 0; v <= (cells[hidden[j] ?? 0]?.n ?? 0); v++) {
      values[j] = v;
      walk(j + 1, sum + v);
    }
  };
  walk(0, 0);
  return out;
}

/** The same for a table with row and column totals published. */
function tableAttack(m: readonly (readonly Fig[])[], marks: readonly (readonly (string | null)[])[]): Map<string, Set<number>> {
  const hidden: Array<[number, number]> = [];
  m.forEach((row, r) => row.forEach((c, j) => (marks[r]?.[j] ?? null) !== null && c.n > 0 && hidden.push([r, j])));
  const rowT = m.map((row, r) => row.reduce((a, c, j) => a + ((marks[r]?.[j] ?? null) !== null ? c.s : 0), 0));
  const colT = (m[0] ?? []).map((_, j) => m.reduce((a, row, r) => a + ((marks[r]?.[j] ?? null) !== null ? (row[j]?.s ?? 0) : 0), 0));
  const out = new Map(hidden.map(([r, c]) => [`${String(r)},${String(c)}`, new Set<number>()]));
  const rowS = rowT.map(() => 0);
  const colS = colT.map(() => 0);
  const values: number[] = [];
  const walk = (x: number) => {
    if (x === hidden.length) {
      if (rowS.every((v, r) => v === rowT[r]) && colS.every((v, c) => v === colT[c]))
        hidden.forEach(([r, c], y) => out.get(`${String(r)},${String(c)}`)?.add(values[y] ?? -1));
      return;
    }
    const [r, c] = hidden[x] ?? [0, 0];
    for (let v = 0; v <= (m[r]?.[c]?.n ?? 0); v++) {
      if ((rowS[r] ?? 0) + v > (rowT[r] ?? 0) || (colS[c] ?? 0) + v > (colT[c] ?? 0)) break;
      values[x] = v;
      rowS[r] = (rowS[r] ?? 0) + v;
      colS[c] = (colS[c] ?? 0) + v;
      walk(x + 1);
      rowS[r] = (rowS[r] ?? 0) - v;
      colS[c] = (colS[c] ?? 0) - v;
    }
  };
  walk(0);
  return out;
}

const full = (set: Set<number> | undefined, n: number) => set !== undefined && set.size === n + 1;
const asCells = (figs: readonly Fig[]) => figs.map((f) => satisfactionCell(f.n, f.s));

describe("attack (a): a hidden cell recovered as total − visible cells", () => {
  it("a school's only teacher, 很不满意, beside an all-satisfied complement: pinned by the old rule, open now", () => {
    // 家长 40 (36 satisfied), 学生 30 (30 satisfied), 教师 1 (0 satisfied); the school's row total is published.
    const row: Fig[] = [
      { n: 40, s: 36 },
      { n: 30, s: 30 },
      { n: 1, s: 0 },
    ];
    // The old rule hid the teacher and the smallest other cell, the students: 30 of 31 hidden
    // questionnaires satisfied, so the teacher is found unsatisfied… or is it? Both fit.
    expect([...(lineAttack(row, [null, "complementary", "primary"]).get(2) ?? [])].sort()).toEqual([0, 1]);
    // With a satisfied teacher the old rule gave them away: 31 of 31.
    const satisfiedTeacher = row.map((f, i) => (i === 2 ? { n: 1, s: 1 } : f));
    expect([...(lineAttack(satisfiedTeacher, [null, "complementary", "primary"]).get(2) ?? [])]).toEqual([1]);
    const marks = suppressLine(asCells(satisfiedTeacher));
    expect(marks).toEqual(["complementary", "complementary", "primary"]);
    expect(full(lineAttack(satisfiedTeacher, marks).get(2), 1)).toBe(true);
  });
});

describe("attack (c): hidden cells that are all satisfied (5 of 5)", () => {
  it("two small schools hidden together, 5 of 5 satisfied, gave every answer away; a third cell is hidden now", () => {
    const line: Fig[] = [
      { n: 1, s: 1 },
      { n: 4, s: 4 },
      { n: 50, s: 40 },
      { n: 60, s: 50 },
    ];
    // The old rule stopped at two hidden cells with 5 questionnaires: 5 satisfied of 5.
    const old = lineAttack(line, ["primary", "primary", null, null]);
    expect([...(old.get(0) ?? [])]).toEqual([1]);
    expect([...(old.get(1) ?? [])]).toEqual([4]);
    const marks = suppressLine(asCells(line));
    expect(marks).toEqual(["primary", "primary", "complementary", null]);
    const now = lineAttack(line, marks);
    expect(full(now.get(0), 1)).toBe(true);
    expect(full(now.get(1), 4)).toBe(true);
  });

  it("property: in a protected line, every small cell's satisfied count can be anything from 0 to its size", () => {
    const fig = fc.nat({ max: 12 }).chain((n) => fc.record({ n: fc.constant(n), s: fc.nat({ max: n }) }));
    fc.assert(
      fc.property(fc.array(fig, { minLength: 1, maxLength: 6 }), (line) => {
        const marks = suppressLine(asCells(line));
        // Where even hiding every cell cannot leave a small cell open (the line's total itself
        // pins it: everyone satisfied), nothing can; otherwise the rule must.
        const all = lineAttack(
          line,
          line.map((f) => (f.n > 0 ? "complementary" : null)),
        );
        const attack = lineAttack(line, marks);
        line.forEach((f, i) => {
          if (f.n > 0 && f.n < MIN_CELL_SIZE) {
            expect(marks[i]).toBe("primary");
            if (full(all.get(i), f.n)) expect(full(attack.get(i), f.n)).toBe(true);
          }
        });
      }),
      { numRuns: 300 },
    );
  });
});

describe("attack (a) in two dimensions: rows and columns together", () => {
  it("four hidden cells in two rows and two columns pin a small cell; the audit hides one more", () => {
    //   家长      学生      教师
    const m: Fig[][] = [
      [
        { n: 1, s: 0 },
        { n: 5, s: 2 },
        { n: 20, s: 10 },
      ],
      [
        { n: 5, s: 3 },
        { n: 1, s: 1 },
        { n: 20, s: 10 },
      ],
    ];
    // Each row and each column on its own leaves the small cells open…
    const naive = [
      ["primary", "complementary", null],
      ["complementary", "primary", null],
    ] as const;
    for (const r of [0, 1]) expect(lineIsProtected(asCells(m[r] ?? []), [...(naive[r] ?? [])])).toBe(true);
    // …but together they pin both: 0 and 1.
    const pinned = tableAttack(m, naive);
    expect([...(pinned.get("0,0") ?? [])]).toEqual([0]);
    expect([...(pinned.get("1,1") ?? [])]).toEqual([1]);
    expect(
      tableIsProtected(
        m.map(asCells),
        naive.map((r) => [...r]),
      ),
    ).toBe(false);

    const marks = suppressTable(m.map(asCells));
    expect(tableIsProtected(m.map(asCells), marks)).toBe(true);
    const now = tableAttack(m, marks);
    expect(full(now.get("0,0"), 1)).toBe(true);
    expect(full(now.get("1,1"), 1)).toBe(true);
  });

  it("property: every small cell of a table stays open to the exact audit and to brute force", () => {
    const fig = fc.nat({ max: 6 }).chain((n) => fc.record({ n: fc.constant(n), s: fc.nat({ max: n }) }));
    fc.assert(
      fc.property(
        fc
          .constantFrom([2, 3], [3, 2], [2, 2])
          .chain(([rows, cols]) => fc.array(fc.array(fig, { minLength: cols, maxLength: cols }), { minLength: rows, maxLength: rows })),
        (m) => {
          const marks = suppressTable(m.map(asCells));
          const all = tableAttack(
            m,
            m.map((row) => row.map((f) => (f.n > 0 ? "complementary" : null))),
          );
          const attack = tableAttack(m, marks);
          m.forEach((row, r) =>
            row.forEach((f, c) => {
              if (f.n > 0 && f.n < MIN_CELL_SIZE) {
                expect(marks[r]?.[c]).toBe("primary");
                if (full(all.get(`${String(r)},${String(c)}`), f.n)) expect(full(attack.get(`${String(r)},${String(c)}`), f.n)).toBe(true);
              }
            }),
          );
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe("attack (b): two downloads one response apart", () => {
  /**
   * Two downloads of the same line, the second after one more questionnaire landed in cell
   * `into` (the attacker sees the county's satisfied count move by `delta`). Returns the values
   * cell `target` can have had at the first download, by brute force over both downloads.
   */
  function differencing(before: readonly Fig[], into: number, delta: 0 | 1, target: number): Set<number> {
    const after = before.map((f, i) => (i === into ? { n: f.n + 1, s: f.s + delta } : f));
    const m1 = suppressLine(asCells(before));
    const m2 = suppressLine(asCells(after));
    const out = new Set<number>();
    // Enumerate the first download's hidden values; the second follows from them and the newcomer.
    const hidden1 = before.map((_, i) => i).filter((i) => m1[i] !== null && (before[i]?.n ?? 0) > 0);
    const t1 = hidden1.reduce((a, i) => a + (before[i]?.s ?? 0), 0);
    const hidden2 = after.map((_, i) => i).filter((i) => m2[i] !== null && (after[i]?.n ?? 0) > 0);
    const t2 = hidden2.reduce((a, i) => a + (after[i]?.s ?? 0), 0);
    const v: number[] = before.map((f) => f.s);
    const walk = (j: number) => {
      if (j === hidden1.length) {
        if (hidden1.reduce((a, i) => a + (v[i] ?? 0), 0) !== t1) return;
        // The attacker knows where the newcomer went only if it changed a visible figure.
        const second = (i: number) => (v[i] ?? 0) + (i === into ? delta : 0);
        for (let i = 0; i < after.length; i++) if (m2[i] === null && (after[i]?.n ?? 0) > 0 && second(i) !== after[i]?.s) return;
        if (hidden2.reduce((a, i) => a + second(i), 0) !== t2) return;
        out.add(v[target] ?? -1);
        return;
      }
      const i = hidden1[j] ?? 0;
      for (let x = 0; x <= (before[i]?.n ?? 0); x++) {
        v[i] = x;
        walk(j + 1);
      }
      v[i] = before[i]?.s ?? 0;
    };
    walk(0);
    return out;
  }

  it("one more questionnaire in the complement does not swap it for another cell (which would give the small school away)", () => {
    // 甲校 3 (1 satisfied); 丙校 and 乙校 6 each. Chosen by exact size, 丙校's 7th questionnaire
    // would swap the complement to 乙校 and show 丙校: 甲校 = old hidden sum − 丙校 − the newcomer.
    const line: Fig[] = [
      { n: 3, s: 1 },
      { n: 6, s: 3 },
      { n: 6, s: 3 },
      { n: 80, s: 70 },
    ];
    expect(suppressLine(asCells(line))).toEqual(["primary", "complementary", null, null]);
    const after = line.map((f, i) => (i === 1 ? { n: 7, s: 4 } : f));
    expect(suppressLine(asCells(after))).toEqual(["primary", "complementary", null, null]);
    expect(full(differencing(line, 1, 1, 0), 3)).toBe(true);
    expect(full(differencing(line, 2, 1, 0), 3)).toBe(true);
    expect(full(differencing(line, 3, 0, 0), 3)).toBe(true);
  });

  it("one more questionnaire in the small school itself tells only that it went into the hidden cells", () => {
    const line: Fig[] = [
      { n: 2, s: 1 },
      { n: 9, s: 5 },
      { n: 40, s: 30 },
    ];
    for (const delta of [0, 1] as const) expect(full(differencing(line, 0, delta, 0), 2)).toBe(true);
  });

  it("what remains (decision record 0011): a cell reaching 5 is shown, and with the download before it tells its first four together", () => {
    const line: Fig[] = [
      { n: 4, s: 2 },
      { n: 9, s: 5 },
      { n: 40, s: 30 },
    ];
    expect(suppressLine(asCells(line.map((f, i) => (i === 0 ? { n: 5, s: 3 } : f))))[0]).toBeNull();
    expect([...differencing(line, 0, 1, 0)]).toEqual([2]);
  });
});
