import { describe, expect, it } from "vitest";
import { pendingCount, RELEASE_BLOCK, releasedCount, releasedRows } from "./release";

describe("release in blocks (decision 0015)", () => {
  it("releases ⌊n/5⌋·5 of a cell's n questionnaires", () => {
    expect([0, 1, 4, 5, 6, 9, 10, 12, 14, 15, 1001].map(releasedCount)).toEqual([0, 0, 0, 5, 5, 5, 10, 10, 10, 15, 1000]);
    expect(RELEASE_BLOCK).toBe(5);
  });

  it("refuses what is not a count", () => {
    expect(() => releasedCount(-1)).toThrow(RangeError);
    expect(() => releasedCount(2.5)).toThrow(RangeError);
    expect(() => releasedCount(Number.NaN)).toThrow(RangeError);
  });

  it("moves only in whole blocks: one more questionnaire changes the count by 0 or by 5", () => {
    for (let n = 0; n < 200; n++) {
      const step = releasedCount(n + 1) - releasedCount(n);
      expect(step === 0 || step === RELEASE_BLOCK).toBe(true);
      expect(step === RELEASE_BLOCK).toBe((n + 1) % RELEASE_BLOCK === 0);
    }
  });

  it("releases each cell's first questionnaires by id, whatever order they are given in", () => {
    const rows = [
      { id: 9, cell: "a" },
      { id: 1, cell: "a" },
      { id: 3, cell: "b" },
      { id: 4, cell: "a" },
      { id: 2, cell: "a" },
      { id: 8, cell: "a" },
      { id: 7, cell: "a" },
      { id: 5, cell: "b" },
    ];
    // Cell a has 6 (ids 1 2 4 7 8 9): the first 5 released, 9 waits; cell b has 2: nothing.
    expect(releasedRows(rows).map((r) => r.id)).toEqual([1, 2, 4, 7, 8]);
    expect(releasedRows([...rows].reverse()).map((r) => r.id)).toEqual([1, 2, 4, 7, 8]);
    expect(releasedRows([])).toEqual([]);
  });

  it("a newcomer never changes which earlier questionnaires are released, only adds its block", () => {
    const rows: Array<{ id: number; cell: string }> = [];
    let before = new Set<number>();
    for (let id = 1; id <= 60; id++) {
      rows.push({ id, cell: ["x", "y", "z"][(id * 7) % 3] ?? "x" });
      const now = new Set(releasedRows(rows).map((r) => r.id));
      for (const old of before) expect(now.has(old)).toBe(true);
      expect(now.size - before.size === 0 || now.size - before.size === RELEASE_BLOCK).toBe(true);
      before = now;
    }
  });

  it("counts the received questionnaires not yet released", () => {
    expect(pendingCount([0, 4, 5, 7, 12])).toBe(0 + 4 + 0 + 2 + 2);
    expect(pendingCount([])).toBe(0);
  });
});
