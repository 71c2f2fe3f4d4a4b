/**
 * What an acknowledged submission survives: the real server (production mode, the default
 * SQLITE_SYNCHRONOUS=FULL with group commit; or STORE=postgres) is killed with SIGKILL in the
 * middle of a stream of submissions. Every submission answered 200 before the kill is in the
 * store exactly once, with all its item rows (a response is never stored half); the ones cut
 * off may or may not be there, never twice. A new server on the same store then answers the
 * phones' retries — same key, same device — as replays or first acceptances, and afterwards
 * every submission sent is stored exactly once.
 *
 * (A power cut is not simulated here: what FULL adds over NORMAL is the fsync before the
 * answer, docs/deployment.md.) The PostgreSQL case is skipped, saying why, without DATABASE_URL.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { ServerProcess } from "../../../scripts/lib/server-process";
import { DATABASE_URL, post, PRIMARY_LINKS, sharedStore, startApp, stopApp, storedByKey, submission, type SharedStore, type Submission } from "./support";

if (!DATABASE_URL) console.warn("PostgreSQL durability test skipped: DATABASE_URL is not set");

const SUBMISSIONS = 800;
const KILL_AFTER_ACKNOWLEDGED = 150;
const CONCURRENCY = 16;
const ITEMS_PER_RESPONSE = 13;

let store: SharedStore | undefined;
const servers: ServerProcess[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await stopApp(s);
  await store?.dispose();
  store = undefined;
});

for (const kind of ["sqlite", "postgres"] as const) {
  describe.skipIf(kind === "postgres" && !DATABASE_URL)(`on ${kind === "sqlite" ? "SQLite (synchronous=FULL, group commit)" : "PostgreSQL"}`, () => {
    it("keeps every acknowledged submission through SIGKILL, exactly once, and answers the retries", { timeout: 180_000 }, async () => {
      store = await sharedStore(kind);
      const first = await startApp(store);
      servers.push(first);
      const exited = new Promise<void>((resolve) => first.child.once("exit", () => resolve()));

      const all: Submission[] = Array.from({ length: SUBMISSIONS }, (_, i) => {
        const scope = PRIMARY_LINKS[i % PRIMARY_LINKS.length];
        if (!scope) throw new Error("no link");
        return submission(store?.keys ?? fail(), scope, `10.9.${i % 250}.${1 + (i % 7)}`);
      });
      const acknowledged: Submission[] = [];
      const sent: Submission[] = [];
      const unexpected: number[] = [];
      let next = 0;
      let killed = false;
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
          for (;;) {
            if (killed) return;
            const s = all[next++];
            if (!s) return;
            sent.push(s);
            const answer = await post(first.baseUrl, s);
            if (answer.status === 200) acknowledged.push(s);
            else if (answer.status !== 0) unexpected.push(answer.status);
            if (!killed && acknowledged.length >= KILL_AFTER_ACKNOWLEDGED) {
              killed = true;
              // Mid-stream: the other workers have requests in flight right now.
              first.child.kill("SIGKILL");
            }
          }
        }),
      );
      await exited;
      expect(first.child.signalCode).toBe("SIGKILL");
      expect(unexpected).toEqual([]);
      expect(acknowledged.length).toBeGreaterThanOrEqual(KILL_AFTER_ACKNOWLEDGED);
      expect(sent.length).toBeLessThan(SUBMISSIONS);

      // The store as the killed server left it.
      const db = store.open();
      try {
        const after = await storedByKey(
          db,
          sent.map((s) => s.key),
        );
        for (const s of acknowledged) expect(after.rows.get(s.key), `acknowledged ${s.key}`).toBe(1);
        expect([...after.rows.values()].every((n) => n === 1)).toBe(true);
        expect(after.itemsPerResponse.every((n) => n === ITEMS_PER_RESPONSE)).toBe(true);
      } finally {
        await db.destroy();
      }

      // The phones retry everything they did not hear back about — and, to be sure, the rest too.
      const second = await startApp(store);
      servers.push(second);
      const retried = await Promise.all(sent.map((s) => post(second.baseUrl, s)));
      expect(retried.map((r) => r.status).filter((s) => s !== 200)).toEqual([]);
      const ackedKeys = new Set(acknowledged.map((s) => s.key));
      sent.forEach((s, i) => {
        if (ackedKeys.has(s.key)) expect(retried[i]?.body?.status).toBe("replayed");
      });
      const db2 = store.open();
      try {
        const final = await storedByKey(
          db2,
          sent.map((s) => s.key),
        );
        expect(final.rows.size).toBe(sent.length);
        expect([...final.rows.values()].every((n) => n === 1)).toBe(true);
        expect(final.itemsPerResponse.every((n) => n === ITEMS_PER_RESPONSE)).toBe(true);
        const total = await db2
          .selectFrom("responses")
          .select((eb) => eb.fn.countAll<number>().as("n"))
          .executeTakeFirstOrThrow();
        expect(Number(total.n)).toBe(sent.length);
      } finally {
        await db2.destroy();
      }
    });
  });
}

function fail(): never {
  throw new Error("no store");
}
