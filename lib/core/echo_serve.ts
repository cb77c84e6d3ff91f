/**
 * The records `echo serve` reports: where it listens, how each client session ended, and the
 * totals at shutdown. Plain JSON-serialisable types; no I/O.
 * @module
 */
import { InputError, quote } from "./errors.ts";

/** The non-privileged port `echo serve` uses when given none (RFC 862's 7, plus 7000). */
export const DEFAULT_ECHO_PORT = 7007;

/** One bound socket, reported once at start-up (port 0 becomes the chosen port). */
export type ListeningRecord =
  | {
    readonly type: "listening";
    readonly transport: "tcp" | "udp";
    readonly address: string;
    readonly port: number;
  }
  | { readonly type: "listening"; readonly transport: "unix"; readonly path: string };

/**
 * How a client session ended: `closed` by the client, `idle-timeout`, `protocol-error` (bad
 * frame), `truncated` (the client left mid-frame), `stalled` (a frame in progress stopped
 * advancing, see {@link SERVE_BOUNDS}), `evicted` (its slot went to a new client while it made
 * less than the minimum progress and every slot was taken), `reset` by the peer, `shutdown` of
 * the server, `rejected` (over --max-conns), `error` (another I/O failure).
 */
export type SessionEnd =
  | "closed"
  | "idle-timeout"
  | "protocol-error"
  | "truncated"
  | "stalled"
  | "evicted"
  | "reset"
  | "shutdown"
  | "rejected"
  | "error";

/**
 * The limits that keep hostile clients from holding `echo serve`'s slots or memory (defaults;
 * the server's options can change them, the CLI does not).
 */
export const SERVE_BOUNDS = Object.freeze({
  /**
   * --framed: a frame in progress (its first byte has arrived) must gain this many bytes, or
   * end, within every {@link SERVE_BOUNDS.frameStallMs}: a header trickled a byte at a time
   * cannot hold a connection (a silent client between frames is only subject to the idle
   * timeout).
   */
  frameProgressBytes: 1024,
  /** See {@link SERVE_BOUNDS.frameProgressBytes}. */
  frameStallMs: 10_000,
  /**
   * When every slot (--max-conns) is taken, a new client takes the slot of the connection that
   * read the fewest bytes over the last window, if that is fewer than this (silent, trickling,
   * or stuck because it does not read its echoes); only connections open a full window are
   * judged. Otherwise the new client is turned away.
   */
  minProgressBytes: 256,
  /** See {@link SERVE_BOUNDS.minProgressBytes}. */
  progressWindowMs: 10_000,
  /** Kernel receive buffer asked for on the UDP socket (capped at net.core.rmem_max). */
  udpReceiveBufferBytes: 4 * 1024 * 1024,
  /** Kernel send buffer asked for on the UDP socket (capped at net.core.wmem_max). */
  udpSendBufferBytes: 1024 * 1024,
});

/** One client session: a TCP or Unix connection, or one UDP peer's datagrams. */
export interface SessionRecord {
  /** Always `connection`. */
  readonly type: "connection";
  /** The transport of the session. */
  readonly transport: "tcp" | "udp" | "unix";
  /** The client's address (`127.0.0.1:50312`; for Unix sockets, the socket path). */
  readonly peer: string;
  /** Bytes received from the client. */
  readonly bytesIn: number;
  /** Bytes sent back to the client. */
  readonly bytesOut: number;
  /** Reads answered (plain), frames answered (--framed) or datagrams answered (UDP). */
  readonly messages: number;
  /** Milliseconds the session lasted. */
  readonly durationMs: number;
  /** How the session ended. */
  readonly end: SessionEnd;
  /** What went wrong, for protocol-error, truncated, reset and error. */
  readonly error?: string;
}

/** The totals `echo serve` prints when it stops. */
export interface ServeTotals {
  /** Always `summary`. */
  readonly type: "summary";
  /** TCP and Unix connections served (rejected ones not counted). */
  readonly connections: number;
  /** Connections turned away by --max-conns. */
  readonly rejected: number;
  /** Most connections open at once. */
  readonly peakConnections: number;
  /** UDP datagrams answered. */
  readonly datagrams: number;
  /** Distinct UDP peers seen. */
  readonly udpPeers: number;
  /** Bytes received from clients. */
  readonly bytesIn: number;
  /** Bytes sent back to clients. */
  readonly bytesOut: number;
  /** Sessions closed for a bad or truncated frame. */
  readonly protocolErrors: number;
  /** Sessions closed for idling. */
  readonly idleTimeouts: number;
  /** Sessions closed because a frame stopped advancing ({@link SERVE_BOUNDS}). */
  readonly stalled: number;
  /** Sessions closed to make room for a new client ({@link SERVE_BOUNDS}). */
  readonly evicted: number;
  /** Milliseconds the server ran. */
  readonly uptimeMs: number;
  /**
   * UDP datagrams the kernel dropped because the server's receive buffer was full (Linux;
   * absent without UDP or where the kernel's count cannot be read).
   */
  readonly udpDrops?: number;
}

/** Where `echo serve` listens, from its flags. */
export interface ServePlan {
  readonly tcp?: number;
  readonly udp?: number;
  readonly unix?: string;
  /** TCP and UDP share one port (`PORT` or `--port`): with 0, UDP takes TCP's chosen port. */
  readonly samePort: boolean;
}

/** The listening flags of `echo serve`. */
export interface ServeListenFlags {
  readonly tcp?: number;
  readonly udp?: number;
  readonly unix?: string;
  readonly port?: number;
}

/**
 * Decides what to listen on: `--tcp`, `--udp` and `--unix` as given; a bare `PORT` or `--port`
 * means TCP and UDP on that port together; nothing at all means TCP and UDP on
 * {@link DEFAULT_ECHO_PORT}.
 */
export function planListeners(flags: ServeListenFlags, positional?: number): ServePlan {
  if (positional !== undefined && flags.port !== undefined && positional !== flags.port) {
    throw new InputError(
      `conflicting ports ${quote(positional)} and --port ${quote(flags.port)}: give one`,
    );
  }
  const shared = positional ?? flags.port;
  if (shared !== undefined && (flags.tcp !== undefined || flags.udp !== undefined)) {
    throw new InputError(
      "conflicting flags: PORT/--port (TCP and UDP together) with --tcp/--udp; use one form",
    );
  }
  if (shared !== undefined) {
    return { tcp: shared, udp: shared, unix: flags.unix, samePort: true };
  }
  if (flags.tcp === undefined && flags.udp === undefined && flags.unix === undefined) {
    return { tcp: DEFAULT_ECHO_PORT, udp: DEFAULT_ECHO_PORT, samePort: true };
  }
  return { tcp: flags.tcp, udp: flags.udp, unix: flags.unix, samePort: false };
}
