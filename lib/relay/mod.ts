/**
 * The relay engine behind `connect` and `listen`, as a library: {@link dial} a peer (or
 * {@link dialDatagram} for UDP), {@link relay} bytes between an input source and a sink over the
 * connection ({@link relayDatagrams} over UDP), or {@link listen} for clients and relay each.
 * All network I/O goes through a NetAdapter; nothing here prints, exits or reads the process's
 * standard streams: the caller passes the input source and the output sink in.
 *
 * @example
 * ```ts ignore
 * import { netAdapter } from "../net/mod.ts";
 * import { bytesSource, dial, relay } from "./mod.ts";
 * const adapter = await netAdapter();
 * const { connection } = await dial(adapter, { host: "127.0.0.1", port: 7 });
 * const result = await relay(connection, { input: bytesSource(new TextEncoder().encode("hi")) }, {
 *   onData: (bytes) => console.log(bytes),
 * });
 * ```
 * @module
 */
export type { IpAddress, RelayAddress, UnixAddress } from "../net/peer_address.ts";
export { relayAddress } from "../net/peer_address.ts";
export {
  type DatagramDialled,
  dial,
  dialDatagram,
  DialError,
  type DialFailure,
  type DialHooks,
  type Dialled,
  type DialOptions,
  type HostTarget,
  type UnixTarget,
} from "../net/dial.ts";
export { type DatagramRelayOptions, MAX_DATAGRAM, relayDatagrams } from "./datagram.ts";
export {
  bytesSource,
  fileSource,
  hexDumpSink,
  InputSource,
  type Sink,
  streamSource,
} from "./io.ts";
export {
  listen,
  type ListenHooks,
  type ListenOptions,
  type ListenResult,
  type ListenSession,
  type ListenTarget,
} from "./listen.ts";
export { relay, type RelayHooks, type RelayOptions } from "./relay.ts";
export type { RelayEnd, RelayResult } from "./result.ts";
