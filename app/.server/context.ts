/**
 * What the server entry hands every loader and action (Remix's AppLoadContext), and the
 * `Services` every server module is handed (created by ./services.ts, the composition root).
 */
import type { Kysely } from "kysely";
import type { Database } from "../../db/schema";
import type { AppConfig } from "./config";
import type { Keys } from "./keys";
import type { Logger } from "./log";
import type { RateLimiter } from "./rate-limit/types";
import type { SurveyRegistry } from "./collect/survey-registry";

export interface Services {
  config: AppConfig;
  db: Kysely<Database>;
  limiter: RateLimiter;
  surveys: SurveyRegistry;
  keys: Keys;
  log: Logger;
  /** The clock; tests inject their own. */
  now: () => number;
  close(): Promise<void>;
}

export interface RequestContext {
  services: Services;
  /** Client address per `client-address.ts`: for rate limiting, and recorded in the console's audit log (decision 0010); never stored with a response. */
  clientAddress: string;
  /** Nonce for this response's inline scripts (CSP). */
  cspNonce: string;
}

declare module "@remix-run/node" {
  // Declaration merging: Remix's AppLoadContext becomes our RequestContext (no members of its own).
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- the merge is the point
  interface AppLoadContext extends RequestContext {}
}
