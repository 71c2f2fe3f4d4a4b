/**
 * What the server entry hands every loader and action (Remix's AppLoadContext).
 */
import type { Services } from "./services";

export interface RequestContext {
  services: Services;
  /** Client address per `client-address.ts`; for rate limiting only, never stored. */
  clientAddress: string;
  /** Nonce for this response's inline scripts (CSP). */
  cspNonce: string;
}

declare module "@remix-run/node" {
  interface AppLoadContext extends RequestContext {}
}
