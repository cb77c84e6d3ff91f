/**
 * A peer's address in the shared vocabulary of netdiag's documents: an IP endpoint as `address`
 * (text, as inet_ntop writes it) + `port` + `family`, a Unix socket as `path`. The dialer's,
 * the relay's and the transfer's results all use it.
 * @module
 */
import type { Endpoint, SocketAddress } from "./types.ts";

/** An IP endpoint: `address` as inet_ntop writes it, `port`, `family`. */
export interface IpAddress {
  readonly address: string;
  readonly port: number;
  readonly family: 4 | 6;
}

/** A Unix socket. */
export interface UnixAddress {
  /** The socket's path; empty for a Unix client socket that was never bound to one. */
  readonly path: string;
}

/** An IP endpoint or a Unix socket. */
export type RelayAddress = IpAddress | UnixAddress;

/** The {@link RelayAddress} of a socket address or a UDP endpoint. */
export function relayAddress(addr: SocketAddress | Endpoint): RelayAddress {
  if ("path" in addr) return { path: addr.path };
  return { address: addr.hostname, port: addr.port, family: addr.hostname.includes(":") ? 6 : 4 };
}
