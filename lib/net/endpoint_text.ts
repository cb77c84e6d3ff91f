/**
 * Endpoint text the adapters share, without node:net (which costs a compiled binary ~8 ms to
 * load): IPv6 brackets, comparing endpoints, a stream's address for messages, and telling an IP
 * literal from a name.
 * @module
 */
import { inetPton4, inetPton6 } from "../core/inet_pton.ts";
import { type ConnectOptions, type Endpoint, formatAddress, type ListenOptions } from "./types.ts";

/**
 * An IPv6 literal without its brackets (`[::1]` → `::1`); other names unchanged.
 *
 * @example
 * ```ts
 * import { unwrapHost } from "./endpoint_text.ts";
 * unwrapHost("[::1]"); // "::1"
 * ```
 */
export function unwrapHost(hostname: string): string {
  return hostname.startsWith("[") && hostname.endsWith("]") ? hostname.slice(1, -1) : hostname;
}

/** Whether two endpoints are the same address and port (`[::1]` and `::1` alike). */
export function sameEndpoint(a: Endpoint, b: Endpoint): boolean {
  return a.port === b.port && unwrapHost(a.hostname) === unwrapHost(b.hostname);
}

/** A stream connect's or listen's address as text, for messages (`127.0.0.1:22`, `/run/x.sock`). */
export function streamAddress(options: ConnectOptions | ListenOptions): string {
  return options.transport === "unix"
    ? options.path
    : formatAddress({ hostname: unwrapHost(options.hostname), port: options.port });
}

/**
 * 4 for an IPv4 literal, 6 for an IPv6 one (a zone, `fe80::1%eth0`, allowed), 0 for anything
 * else: node:net's `isIP`, without node:net.
 *
 * @example
 * ```ts
 * import { ipVersion } from "./endpoint_text.ts";
 * ipVersion("::1"); // 6
 * ```
 */
export function ipVersion(text: string): 0 | 4 | 6 {
  if (inetPton4(text)) return 4;
  const zone = text.indexOf("%");
  return inetPton6(zone < 0 ? text : text.slice(0, zone)) ? 6 : 0;
}
