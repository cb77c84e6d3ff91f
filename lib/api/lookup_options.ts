/**
 * The options every name lookup of the library shares (where to ask, how long to wait), and
 * their translation into the lookup engines' options.
 * @module
 */
import type { LookupOptions } from "../resolve/mod.ts";

/**
 * A DNS server: `"127.0.0.1"`, `"127.0.0.1:5353"`, `"[::1]:5353"`, or `{ address, port }`
 * (`port` defaults to 53). IP addresses only: a server must be reachable without a lookup.
 */
export type DnsServerSpec = string | { readonly address: string; readonly port?: number };

/** Options every name lookup takes; all optional. */
export interface NameLookupBaseOptions {
  /**
   * The DNS server to ask, for the `dns` source and DNS queries; default the first
   * `nameserver` of `resolvConfPath`.
   */
  readonly server?: DnsServerSpec;
  /** resolv.conf, read for the default DNS server; default `/etc/resolv.conf`. */
  readonly resolvConfPath?: string;
  /** Time limit of each lookup, in milliseconds; default 5 000. */
  readonly timeoutMs?: number;
  /** Ends the lookup early: it rejects with the signal's reason. */
  readonly signal?: AbortSignal;
}

/** The engines' form of the shared options. */
export function lookupOptions(options: NameLookupBaseOptions): LookupOptions {
  const { server } = options;
  return {
    server: server === undefined || typeof server === "string"
      ? server
      : { hostname: server.address.replace(/^\[(.*)\]$/, "$1"), port: server.port ?? 53 },
    resolvConfPath: options.resolvConfPath,
    timeoutMs: options.timeoutMs,
  };
}
