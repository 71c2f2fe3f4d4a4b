/**
 * The client's address, for rate limiting and the console's audit log (never stored with a survey
 * response; decision 0010). It is the socket's peer, unless
 * `TRUST_PROXY` names the one header the deployment's reverse proxy sets (e.g. X-Real-IP);
 * a raw X-Forwarded-For chain is never trusted, since any client can write one.
 */
import { isIP } from "node:net";

export function clientAddress(socketAddress: string | undefined, headers: { get(name: string): string | null }, trustProxyHeader: string | null): string {
  if (trustProxyHeader !== null) {
    const value = headers.get(trustProxyHeader)?.trim();
    if (value && isIP(value) !== 0) return normalize(value);
  }
  return socketAddress ? normalize(socketAddress) : "unknown";
}

function normalize(address: string): string {
  // IPv4-mapped IPv6 (::ffff:1.2.3.4) is the same client as 1.2.3.4.
  return address.startsWith("::ffff:") && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
}
