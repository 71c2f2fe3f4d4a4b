import { describe, expect, it } from "vitest";
import { evaluateVeto } from "./veto";

describe("一票否决", () => {
  it("any item that occurred fails; all declared absent passes; none declared is not evaluated", () => {
    const absent = Object.fromEntries(["V1", "V2", "V3", "V4", "V5", "V6", "V7"].map((v) => [v, { occurred: false }]));
    expect(evaluateVeto(absent).status).toBe("pass");
    const r = evaluateVeto({ ...absent, V3: { occurred: true, note: "某校设重点班" } });
    expect(r.status).toBe("fail");
    expect(r.reasons).toEqual(["一票否决：V3 存在重点学校或重点班（某校设重点班）"]);
    expect(evaluateVeto(undefined).status).toBe("not_evaluated");
    expect(evaluateVeto({ V1: { occurred: false } }).status).toBe("incomplete");
  });
});
