/**
 * What the server entry hands every loader and action (Remix's AppLoadContext).
 */
import type { Services } from "./services";

export interface RequestContext {
  services: Services;
  /** Client address per `client-address.ts`: for rate limiting, and recorded in the console's audit log (decision 0010); never stored with a response. */
  clientAddress: string;
  /** Nonce for this response's inline scripts (CSP). */
  cspNonce: string;
}

declare module "@remix-run/node" {
  interface AppLoadContext extends RequestContext {}
}
