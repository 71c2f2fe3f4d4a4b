/**
 * A password check — signing in, or the current password on the change-password form — under
 * the sign-in limits, which count failures only (decision 0010, rate-limit/policy.ts):
 *
 * 1. look at the limits without counting (`checkSignInLimits`: the backends' `peek`, i.e.
 *    @upstash/ratelimit's `getRemaining` on Redis/Upstash); refused → limited, nothing verified;
 * 2. verify the password;
 * 3. count a failure on every sign-in counter (`countSignInFailure`: the ordinary `limit`), and
 *    nothing on success — so the owner signing in twenty times a day never uses up anything.
 *
 * Looking first and counting afterwards leaves a gap: checks in flight at the same time all see
 * the count from before any of them failed. So that a burst of parallel guesses cannot pass
 * the limits, this process lets through at most one check at a time per user name × address
 * and a few (`PARALLEL_PER_KEY`) per address and per user name; the rest wait their turn (they
 * are not refused: a double click must not fail). Over the limit per window this leaves at most
 * `PARALLEL_PER_KEY − 1` per address or user name and app instance, and none per user name × address
 * within one instance.
 */
import { checkSignInLimits, countSignInFailure, type SignInLimitDecision } from "../rate-limit/policy";
import type { RateLimiter } from "../rate-limit/types";
import type { Services } from "../context";

/** Checks in flight at once per address and per user name, in one process. */
export const PARALLEL_PER_KEY = 4;

/** A counting semaphore per key; a key is forgotten once nothing holds or awaits it. */
export class KeyedSemaphore {
  private readonly held = new Map<string, { count: number; waiting: Array<() => void> }>();

  constructor(private readonly capacity: number) {}

  async acquire(key: string): Promise<() => void> {
    let slot = this.held.get(key);
    if (!slot) {
      slot = { count: 0, waiting: [] };
      this.held.set(key, slot);
    }
    const s = slot;
    if (s.count >= this.capacity) await new Promise<void>((resolve) => s.waiting.push(resolve));
    else s.count += 1;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = s.waiting.shift();
      // The slot passes straight to the next in line (count unchanged), or is given back.
      if (next) next();
      else if (--s.count === 0) this.held.delete(key);
    };
  }

  /** Keys held or awaited now (for tests: nothing is left behind). */
  size(): number {
    return this.held.size;
  }
}

interface Gates {
  pair: KeyedSemaphore;
  shared: KeyedSemaphore;
}

const gatesByLimiter = new WeakMap<RateLimiter, Gates>();

function gatesOf(limiter: RateLimiter): Gates {
  let gates = gatesByLimiter.get(limiter);
  if (!gates) {
    gates = { pair: new KeyedSemaphore(1), shared: new KeyedSemaphore(PARALLEL_PER_KEY) };
    gatesByLimiter.set(limiter, gates);
  }
  return gates;
}

export type Limited = { kind: "limited"; decision: Extract<SignInLimitDecision, { ok: false }> };

/**
 * Runs `verify` for `username` from `clientAddress` unless the sign-in limits refuse; counts a
 * failure when its result is not `ok`. `username` is the normalised user name.
 */
export async function guardedPasswordCheck<T extends { ok: boolean }>(
  services: Pick<Services, "limiter" | "now">,
  username: string,
  clientAddress: string,
  verify: () => Promise<T>,
): Promise<T | Limited> {
  const gates = gatesOf(services.limiter);
  // Always in this order (pair, user name, address), so two checks never wait on each other.
  const releases = [
    await gates.pair.acquire(`${username}\n${clientAddress}`),
    await gates.shared.acquire(`u\n${username}`),
    await gates.shared.acquire(`a\n${clientAddress}`),
  ];
  try {
    const decision = await checkSignInLimits(services.limiter, username, clientAddress, services.now());
    if (!decision.ok) return { kind: "limited", decision };
    const result = await verify();
    if (!result.ok) await countSignInFailure(services.limiter, username, clientAddress);
    return result;
  } finally {
    for (const release of releases.reverse()) release();
  }
}

export function isLimited(outcome: { ok: boolean } | Limited): outcome is Limited {
  return "kind" in outcome && outcome.kind === "limited";
}
