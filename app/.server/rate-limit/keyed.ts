/**
 * The deployment's keyed hash on every identifier a limiter is asked about. `policy.ts` already
 * turns identifiers (client addresses, device ids, user names) into SHA-256 digests, but a bare
 * digest of an IPv4 address is reversed by hashing all 2³² of them: whoever can read Redis (or
 * an Upstash console) would have every parent's address. Keyed with a secret derived from
 * DEVICE_SALT (the same on every instance of a deployment, as the device hashes need), a key
 * says nothing without the secret, and two deployments sharing one Redis never meet.
 */
import type { RateLimiter } from "./types";

export function withKeyedIdentifiers(limiter: RateLimiter, key: (identifier: string) => string): RateLimiter {
  return {
    ...(limiter.rules ? { rules: limiter.rules } : {}),
    limit: (name, rule, identifier) => limiter.limit(name, rule, key(identifier)),
    peek: (name, rule, identifier) => limiter.peek(name, rule, key(identifier)),
    ...(limiter.ready ? { ready: () => limiter.ready?.() ?? Promise.resolve() } : {}),
    close: () => limiter.close(),
  };
}
