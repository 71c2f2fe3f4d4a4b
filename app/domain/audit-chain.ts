/**
 * The 操作日志's hash chain (decision 0023): every row carries the hash of the row before it, so
 * a row deleted, altered or moved in the middle of the log is detectable by re-computing the
 * chain, and the head hash printed on a county report pins everything written before it.
 *
 * This module is pure: it defines the canonical text a row is hashed from and checks a chain;
 * the hash function itself (SHA-256 from node:crypto) is passed in by the server.
 *
 * Canonical serialization, version 1 (never changed once rows are hashed under it — a change is
 * a new version, and old rows keep verifying under theirs):
 * - a JSON object with exactly the fields of `ChainFields` plus `"v": 1`, keys in ascending
 *   order of their UTF-16 code units (all ASCII here), at every depth (so inside `detail` too);
 * - no whitespace; strings escaped as JSON.stringify escapes them; integers and finite numbers
 *   as JSON.stringify writes them; `null` for absent values (never omitted);
 * - `detail` is the stored JSON text parsed and re-serialized canonically (so a store that
 *   re-formats JSON does not break the chain); text that is not JSON is kept as a JSON string;
 * - encoded as UTF-8 before hashing (the server's job; the hash is lowercase hex).
 *
 * Outside the chain by design: a summary row's `repeats` and `last_at` (decision 0010) — the
 * counters of a run of refused sign-ins grow after the row is written. The row itself (who,
 * when it began, from where, which run) is in the chain.
 */

export const AUDIT_CHAIN_VERSION = 1;

/** The `prev_hash` of the first row: 64 zeros (no row before it). */
export const GENESIS_HASH = "0".repeat(64);

/** The fields of an audit row that its hash covers. Times are milliseconds since the epoch. */
export interface ChainFields {
  /** Position in the chain: 1, 2, 3, … with no gaps. */
  seq: number;
  at: number;
  accountId: number | null;
  username: string | null;
  action: string;
  campaignId: string | null;
  countyId: string | null;
  subject: string | null;
  /** The stored JSON text of the particulars. */
  detail: string;
  clientAddress: string | null;
  summaryKey: string | null;
  prevHash: string;
}

/** A hash function over text (UTF-8), returning lowercase hex. */
export type TextHash = (text: string) => string;

/**
 * JSON with sorted keys at every depth and no whitespace. Throws on values JSON cannot carry
 * faithfully (undefined, functions, NaN, ±Infinity, bigint) instead of silently dropping them.
 */
export function canonicalJson(value: unknown): string {
  if (value === null) return "null";
  if (typeof value === "string" || typeof value === "boolean") return JSON.stringify(value);
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new Error(`canonicalJson: ${String(value)} has no JSON form`);
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v)).join(",")}]`;
  if (typeof value === "object") {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  throw new Error(`canonicalJson: a ${typeof value} has no JSON form`);
}

function detailValue(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** The canonical text (version 1) a row's hash is computed from. */
export function canonicalAuditRecord(f: ChainFields): string {
  return canonicalJson({
    v: AUDIT_CHAIN_VERSION,
    seq: f.seq,
    at: f.at,
    accountId: f.accountId,
    username: f.username,
    action: f.action,
    campaignId: f.campaignId,
    countyId: f.countyId,
    subject: f.subject,
    detail: detailValue(f.detail),
    clientAddress: f.clientAddress,
    summaryKey: f.summaryKey,
    prevHash: f.prevHash,
  });
}

/** The hash a row with these fields must carry. */
export function auditRowHash(f: ChainFields, hash: TextHash): string {
  return hash(canonicalAuditRecord(f));
}

/** A stored row as the verifier reads it (seq/prev_hash/hash null on a row written outside the chain). */
export interface StoredChainRow extends Omit<ChainFields, "seq" | "prevHash"> {
  id: number;
  seq: number | null;
  prevHash: string | null;
  hash: string | null;
}

export type ChainBreakKind = "unchained" | "seq" | "order" | "prev_hash" | "hash" | "head";

export interface ChainBreak {
  kind: ChainBreakKind;
  /** The row where the chain breaks (null when the break is past the last row: see `head`). */
  id: number | null;
  seq: number | null;
  expected: string;
  found: string;
}

/** Where a running check stands after the rows seen so far. */
export interface ChainState {
  count: number;
  lastSeq: number;
  lastId: number;
  headHash: string;
}

export const EMPTY_CHAIN: ChainState = { count: 0, lastSeq: 0, lastId: 0, headHash: GENESIS_HASH };

/**
 * Checks the next row (rows come in ascending `seq`): its position follows the last one's with
 * no gap, its id is larger (the store's insertion order agrees), it names the last row's hash
 * as its `prev_hash`, and its own hash is the hash of its canonical text. Returns the new state,
 * or the first thing wrong with this row.
 */
export function checkChainRow(state: ChainState, row: StoredChainRow, hash: TextHash): { ok: true; state: ChainState } | { ok: false; break: ChainBreak } {
  const at = { id: row.id, seq: row.seq };
  if (row.seq === null || row.prevHash === null || row.hash === null) {
    return { ok: false, break: { kind: "unchained", ...at, expected: "seq、prev_hash、hash 均已填写", found: "缺少链字段" } };
  }
  if (row.seq !== state.lastSeq + 1) {
    return { ok: false, break: { kind: "seq", ...at, expected: `序号 ${String(state.lastSeq + 1)}`, found: `序号 ${String(row.seq)}` } };
  }
  if (row.id <= state.lastId) {
    return { ok: false, break: { kind: "order", ...at, expected: `id 大于 ${String(state.lastId)}`, found: `id ${String(row.id)}` } };
  }
  if (row.prevHash !== state.headHash) {
    return { ok: false, break: { kind: "prev_hash", ...at, expected: state.headHash, found: row.prevHash } };
  }
  const computed = auditRowHash({ ...row, seq: row.seq, prevHash: row.prevHash }, hash);
  if (computed !== row.hash) {
    return { ok: false, break: { kind: "hash", ...at, expected: computed, found: row.hash } };
  }
  return { ok: true, state: { count: state.count + 1, lastSeq: row.seq, lastId: row.id, headHash: row.hash } };
}

/**
 * The end of the chain against the head the store records (`audit_chain_head`): a log whose
 * newest rows were deleted still chains, but no longer reaches the recorded head.
 */
export function checkChainHead(state: ChainState, head: { seq: number; hash: string } | null): ChainBreak | null {
  const found = head ? `序号 ${String(head.seq)}，${head.hash}` : "没有链头记录";
  const expected = `序号 ${String(state.lastSeq)}，${state.headHash}`;
  if (!head || head.seq !== state.lastSeq || head.hash !== state.headHash) return { kind: "head", id: null, seq: head?.seq ?? null, expected, found };
  return null;
}

export type ChainVerdict = { ok: true; count: number; headHash: string; headSeq: number } | { ok: false; count: number; break: ChainBreak };

/** Checks a whole chain held in memory (rows in ascending `seq`), then its recorded head. */
export function verifyChain(rows: readonly StoredChainRow[], head: { seq: number; hash: string } | null, hash: TextHash): ChainVerdict {
  let state = EMPTY_CHAIN;
  for (const row of rows) {
    const step = checkChainRow(state, row, hash);
    if (!step.ok) return { ok: false, count: state.count, break: step.break };
    state = step.state;
  }
  const broken = checkChainHead(state, head);
  return broken ? { ok: false, count: state.count, break: broken } : { ok: true, count: state.count, headHash: state.headHash, headSeq: state.lastSeq };
}

export const CHAIN_BREAK_LABELS: Record<ChainBreakKind, string> = {
  unchained: "记录不在链上（绕过应用写入）",
  seq: "序号不连续（有记录被删除或插入）",
  order: "记录顺序与写入顺序不符（有记录被移动）",
  prev_hash: "前一条记录的哈希不符（前面有记录被删除、修改或移动）",
  hash: "记录内容与其哈希不符（记录被修改）",
  head: "链尾与记录的链头不符（最新的记录被删除或链头被改动）",
};

/** The first break in one Chinese line: which row, what was expected, what was found. */
export function describeChainBreak(b: ChainBreak): string {
  const where = b.id === null ? "链尾" : `记录 id ${String(b.id)}${b.seq === null ? "" : `（序号 ${String(b.seq)}）`}`;
  return `${where}：${CHAIN_BREAK_LABELS[b.kind]}；应为 ${b.expected}，实为 ${b.found}`;
}

/** The first 12 hex digits, for a page (the full hash goes in a title and monospace beside it). */
export function shortHash(hash: string): string {
  return hash.slice(0, 12);
}
