import { createHash } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  auditRowHash,
  canonicalAuditRecord,
  canonicalJson,
  describeChainBreak,
  GENESIS_HASH,
  shortHash,
  verifyChain,
  type ChainFields,
  type StoredChainRow,
} from "./audit-chain";

const sha256 = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");

const fields = (over: Partial<ChainFields> = {}): ChainFields => ({
  seq: 1,
  at: 1_773_108_000_000,
  accountId: 7,
  username: "zhongwei",
  action: "response_invalidated",
  campaignId: "zw-2026",
  countyId: "640502",
  subject: "问卷 #12",
  detail: JSON.stringify({ schoolId: "zn08", reason: "所有题目选择同一选项" }),
  clientAddress: "198.51.100.20",
  summaryKey: null,
  prevHash: GENESIS_HASH,
  ...over,
});

/** A chain of `n` rows as the store would hold it (ids 10, 11, …). */
function chain(n: number): { rows: StoredChainRow[]; head: { seq: number; hash: string } } {
  const rows: StoredChainRow[] = [];
  let prev = GENESIS_HASH;
  for (let i = 1; i <= n; i++) {
    const f = fields({ seq: i, at: 1_773_108_000_000 + i * 1000, subject: `问卷 #${String(i)}`, prevHash: prev });
    const hash = auditRowHash(f, sha256);
    rows.push({ ...f, id: 9 + i, hash });
    prev = hash;
  }
  return { rows, head: { seq: n, hash: prev } };
}

describe("canonical serialization (version 1)", () => {
  it("is a fixed text: keys sorted at every depth, no whitespace, UTF-8 Chinese as is", () => {
    expect(canonicalAuditRecord(fields())).toBe(
      '{"accountId":7,"action":"response_invalidated","at":1773108000000,"campaignId":"zw-2026","clientAddress":"198.51.100.20","countyId":"640502",' +
        '"detail":{"reason":"所有题目选择同一选项","schoolId":"zn08"},"prevHash":"' +
        GENESIS_HASH +
        '","seq":1,"subject":"问卷 #12","summaryKey":null,"username":"zhongwei","v":1}',
    );
  });

  it("gives a golden SHA-256 over the UTF-8 bytes", () => {
    // The text of the test above piped through `sha256sum` (coreutils), not through this code.
    expect(auditRowHash(fields(), sha256)).toBe("8d12b59837935f7d7f504690303aeb578c3080ae4cbc856f71bbaadedb447773");
  });

  it("does not depend on the key order of the stored detail, but on its values", () => {
    const a = fields({ detail: '{"reason":"x","schoolId":"zn08"}' });
    const b = fields({ detail: '{ "schoolId": "zn08", "reason": "x" }' });
    expect(canonicalAuditRecord(a)).toBe(canonicalAuditRecord(b));
    expect(canonicalAuditRecord(fields({ detail: '{"reason":"y","schoolId":"zn08"}' }))).not.toBe(canonicalAuditRecord(a));
  });

  it("keeps a detail that is not JSON as a string (so it still hashes, and differs)", () => {
    expect(canonicalAuditRecord(fields({ detail: "not json" }))).toContain('"detail":"not json"');
  });

  it("changes with every covered field, the timestamp and the actor included", () => {
    const base = canonicalAuditRecord(fields());
    const changes: Array<Partial<ChainFields>> = [
      { seq: 2 },
      { at: 1_773_108_000_001 },
      { accountId: 8 },
      { accountId: null },
      { username: "admin" },
      { action: "response_restored" },
      { campaignId: null },
      { countyId: "640521" },
      { subject: "问卷 #13" },
      { clientAddress: null },
      { summaryKey: "k" },
      { prevHash: "f".repeat(64) },
    ];
    for (const c of changes) expect(canonicalAuditRecord(fields(c)), JSON.stringify(c)).not.toBe(base);
  });

  it("refuses values JSON cannot carry", () => {
    expect(() => canonicalJson({ a: Number.NaN })).toThrow();
    expect(() => canonicalJson({ a: undefined })).toThrow();
    expect(() => canonicalJson(Number.POSITIVE_INFINITY)).toThrow();
  });

  it("round-trips: the canonical text parses back to the same value (property)", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        const text = canonicalJson(v);
        expect(canonicalJson(JSON.parse(text))).toBe(text);
      }),
    );
  });
});

describe("verifyChain", () => {
  it("accepts an intact chain and reports its count and head", () => {
    const { rows, head } = chain(5);
    expect(verifyChain(rows, head, sha256)).toEqual({ ok: true, count: 5, headHash: head.hash, headSeq: 5 });
    expect(verifyChain([], { seq: 0, hash: GENESIS_HASH }, sha256)).toEqual({ ok: true, count: 0, headHash: GENESIS_HASH, headSeq: 0 });
  });

  it("detects a deleted row in the middle (the gap in seq, at the next row)", () => {
    const { rows, head } = chain(5);
    const v = verifyChain(
      rows.filter((r) => r.seq !== 3),
      head,
      sha256,
    );
    expect(v).toMatchObject({ ok: false, count: 2, break: { kind: "seq", id: 13, seq: 4 } });
  });

  it("detects a deleted row whose successors were renumbered (the previous hash no longer matches)", () => {
    const { rows, head } = chain(5);
    const renumbered = rows.filter((r) => r.seq !== 3).map((r) => (r.seq !== null && r.seq > 3 ? { ...r, seq: r.seq - 1 } : r));
    const v = verifyChain(renumbered, head, sha256);
    expect(v).toMatchObject({ ok: false, count: 2, break: { kind: "prev_hash", id: 13, expected: rows[1]?.hash, found: rows[2]?.hash } });
  });

  it("detects the newest row deleted (the recorded head is not reached)", () => {
    const { rows, head } = chain(5);
    const v = verifyChain(rows.slice(0, 4), head, sha256);
    expect(v).toMatchObject({ ok: false, count: 4, break: { kind: "head", id: null } });
  });

  it("detects an altered row (its hash), naming the expected and the found hash", () => {
    const { rows, head } = chain(5);
    const altered = rows.map((r) => (r.seq === 2 ? { ...r, detail: JSON.stringify({ reason: "改过的原因", schoolId: "zn08" }) } : r));
    const v = verifyChain(altered, head, sha256);
    expect(v.ok).toBe(false);
    if (v.ok) return;
    expect(v.break).toMatchObject({ kind: "hash", id: 11, seq: 2, found: rows[1]?.hash });
    expect(v.break.expected).not.toBe(rows[1]?.hash);
    expect(describeChainBreak(v.break)).toContain("记录 id 11（序号 2）");
  });

  it("detects an altered row whose hash was re-computed (the next row's prev_hash)", () => {
    const { rows, head } = chain(5);
    const row2 = rows[1];
    if (!row2 || row2.seq === null || row2.prevHash === null) throw new Error("fixture");
    const forged = { ...row2, username: "someone-else" };
    forged.hash = auditRowHash({ ...forged, seq: row2.seq, prevHash: row2.prevHash }, sha256);
    const v = verifyChain(
      rows.map((r) => (r.seq === 2 ? forged : r)),
      head,
      sha256,
    );
    expect(v).toMatchObject({ ok: false, count: 2, break: { kind: "prev_hash", id: 12, seq: 3 } });
  });

  it("detects reordered rows: two rows' places swapped, or their ids swapped", () => {
    const { rows, head } = chain(5);
    const [r1, r2, r3, r4, r5] = rows;
    if (!r1 || !r2 || !r3 || !r4 || !r5) throw new Error("fixture");
    // Positions swapped (seq exchanged): the row now third names the wrong predecessor.
    const swappedSeq = [r1, r2, { ...r4, seq: 3 }, { ...r3, seq: 4 }, r5];
    expect(verifyChain(swappedSeq, head, sha256)).toMatchObject({ ok: false, count: 2, break: { kind: "prev_hash", id: r4.id } });
    // Read in seq order but stored out of order (ids exchanged): insertion order disagrees.
    const swappedIds = [r1, r2, { ...r3, id: r4.id }, { ...r4, id: r3.id }, r5];
    expect(verifyChain(swappedIds, head, sha256)).toMatchObject({ ok: false, count: 3, break: { kind: "order", id: r3.id, seq: 4 } });
  });

  it("detects a row written around the app (no chain fields)", () => {
    const { rows, head } = chain(2);
    const v = verifyChain([...rows, { ...fields(), id: 99, seq: null, prevHash: null, hash: null }], head, sha256);
    expect(v).toMatchObject({ ok: false, break: { kind: "unchained", id: 99 } });
  });

  it("finds any single-field change anywhere in a chain (property)", () => {
    const { rows, head } = chain(8);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 7 }), fc.constantFrom("username", "subject", "at", "clientAddress", "action"), (i, key) => {
        const changed = rows.map((r, j) => (j === i ? { ...r, [key]: key === "at" ? r.at + 1 : `${String(r[key as "username"])}x` } : r));
        const v = verifyChain(changed, head, sha256);
        expect(v).toMatchObject({ ok: false, break: { kind: "hash", id: rows[i]?.id } });
      }),
    );
  });
});

describe("shortHash", () => {
  it("is the first 12 hex digits", () => {
    expect(shortHash("0123456789abcdef".repeat(4))).toBe("0123456789ab");
  });
});
