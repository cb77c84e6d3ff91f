/**
 * Opening a connection to a peer: resolve the name (system resolver), try its addresses in
 * order with a timeout per attempt (or connect to a Unix socket), and fail with one
 * {@link DialError} that lists every attempt. For UDP, {@link dialDatagram} binds a socket
 * associated with the name's first address.
 * @module
 */
import { formatDurationSetting } from "../core/duration_setting.ts";
import { NetdiagError, quote } from "../core/errors.ts";
import { ExitCode } from "../core/exit_code.ts";
import { lookupHost } from "./host_lookup.ts";
import {
  type Connection,
  type DatagramSocket,
  formatAddress,
  type NetAdapter,
  NetError,
  type NetErrorCode,
} from "./types.ts";
import { type IpAddress, type RelayAddress, relayAddress } from "./peer_address.ts";

/** A host (name or IP literal, `[::1]` accepted) and port; `family` keeps one address family. */
export interface HostTarget {
  readonly host: string;
  readonly port: number;
  /** Only the name's IPv4 (4) or IPv6 (6) addresses; default both, in the resolver's order. */
  readonly family?: 4 | 6;
}

/** A Unix stream socket. */
export interface UnixTarget {
  readonly path: string;
}

/** Options of {@link dial}: where to connect, and how long each attempt may take. */
export type DialOptions = (HostTarget | UnixTarget) & {
  /** Give up on one address after this many milliseconds; default 10 000. */
  readonly timeoutMs?: number;
};

/** One failed connect attempt. */
export interface DialFailure {
  /** The address tried. */
  readonly target: RelayAddress;
  /** Why, as a stable code (`ECONNREFUSED`, `ETIMEDOUT`, …; `UNKNOWN` for a non-network error). */
  readonly code: NetErrorCode;
  /** The error itself. */
  readonly error: unknown;
}

/** Callbacks of {@link dial}. */
export interface DialHooks {
  /** An address failed and another one is tried next (only for names with several addresses). */
  onAttemptFailed?(failure: DialFailure): void;
}

/** An open stream connection and how it was made. */
export interface Dialled {
  /** The connection; the caller closes it (a relay does). */
  readonly connection: Connection;
  /** The peer's address: the one connected to (for a Unix socket, the path given). */
  readonly remote: RelayAddress;
  /** This end's address. */
  readonly local: RelayAddress;
  /** The host as given (absent for a Unix socket). */
  readonly host?: string;
  /** How many addresses the host had to try (1 for an IP literal or a Unix socket). */
  readonly addressCount: number;
  /** The attempts that failed before this one, in order. */
  readonly failures: readonly DialFailure[];
  /** Milliseconds from the first attempt to the connection. */
  readonly connectMs: number;
}

/** Every connect attempt failed: exit code 1 when all were refused, else 3. */
export class DialError extends NetdiagError {
  /** Each attempt's failure, in order (at least one). */
  readonly failures: readonly DialFailure[];
  /** The host as given, when there was one. */
  readonly host?: string;
  /** The port, for a host. */
  readonly port?: number;
  /** The timeout each attempt had. */
  readonly timeoutMs: number;

  /** Creates the error of a dial whose every attempt failed. */
  constructor(failures: readonly DialFailure[], timeoutMs: number, host?: HostTarget) {
    const refused = failures.every((f) => f.code === "ECONNREFUSED");
    const where = (f: DialFailure) => "path" in f.target ? f.target.path : formatTarget(f.target);
    const last = failures[failures.length - 1];
    const message = host !== undefined && failures.length > 1
      ? `cannot connect to ${quote(`${host.host} port ${host.port}`)}: ` +
        failures.map((f) => `${where(f)} ${reasonOf(f, timeoutMs)}`).join(", ")
      : `cannot connect to ${quote(where(last))}: ${reasonOf(last, timeoutMs)}`;
    super(message, refused ? ExitCode.Negative : ExitCode.Failure, { cause: last.error });
    this.name = "DialError";
    this.failures = failures;
    this.host = host?.host;
    this.port = host?.port;
    this.timeoutMs = timeoutMs;
  }
}

const DEFAULT_TIMEOUT_MS = 10_000;

/**
 * Connects to a host (each of its addresses in turn) or a Unix socket. Rejects with a
 * {@link DialError} when every attempt failed, with an OperationalError when the name does not
 * resolve (InputError for a literal of the other family), and with the signal's reason once
 * `signal` is aborted.
 *
 * @example
 * ```ts ignore
 * const { connection, remote } = await dial(adapter, { host: "localhost", port: 7 });
 * ```
 */
export async function dial(
  adapter: NetAdapter,
  options: DialOptions,
  hooks: DialHooks = {},
  signal?: AbortSignal,
): Promise<Dialled> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const started = performance.now();
  const opened = (
    connection: Connection,
    remote: RelayAddress,
    failures: DialFailure[],
    count: number,
  ) => ({
    connection,
    remote,
    local: relayAddress(connection.localAddr),
    ...("host" in options ? { host: options.host } : {}),
    addressCount: count,
    failures,
    connectMs: performance.now() - started,
  });
  signal?.throwIfAborted();
  if ("path" in options) {
    try {
      const conn = await adapter.connect({
        transport: "unix",
        path: options.path,
        timeoutMs,
        signal,
      });
      return opened(conn, { path: options.path }, [], 1);
    } catch (error) {
      signal?.throwIfAborted();
      throw new DialError(
        [{ target: { path: options.path }, code: codeOf(error), error }],
        timeoutMs,
      );
    }
  }
  const addresses = await lookupHost(options.host, { family: options.family, signal });
  const failures: DialFailure[] = [];
  for (const { address, family } of addresses) {
    const target: IpAddress = { address, port: options.port, family };
    try {
      const conn = await adapter.connect({
        transport: "tcp",
        hostname: address,
        port: options.port,
        timeoutMs,
        signal,
      });
      return opened(conn, target, failures, addresses.length);
    } catch (error) {
      signal?.throwIfAborted();
      const failure = { target, code: codeOf(error), error };
      failures.push(failure);
      if (addresses.length > 1) hooks.onAttemptFailed?.(failure);
    }
  }
  throw new DialError(failures, timeoutMs, options);
}

/** A UDP socket associated with one peer (so that it can hear "port unreachable"). */
export interface DatagramDialled {
  /** The socket; the caller closes it (a relay does). */
  readonly socket: DatagramSocket;
  /** The peer: the name's first address. */
  readonly remote: IpAddress;
  /** This end's address. */
  readonly local: RelayAddress;
  /** The host as given. */
  readonly host: string;
  /** How many addresses the host had (only the first is used). */
  readonly addressCount: number;
}

/**
 * Binds a UDP socket (on the wildcard address of the peer's family, a free port) associated
 * with the first address of `target.host`. Rejects as {@link dial} does for the name, with a
 * NetError when the bind fails, and with the signal's reason once `signal` is aborted.
 */
export async function dialDatagram(
  adapter: NetAdapter,
  target: HostTarget,
  signal?: AbortSignal,
): Promise<DatagramDialled> {
  signal?.throwIfAborted();
  const addresses = await lookupHost(target.host, { family: target.family, signal });
  signal?.throwIfAborted();
  const { address, family } = addresses[0];
  const socket = await adapter.bindDatagram({
    hostname: family === 6 ? "::" : "0.0.0.0",
    port: 0,
    connect: { hostname: address, port: target.port },
  });
  return {
    socket,
    remote: { address, port: target.port, family },
    local: relayAddress(socket.addr),
    host: target.host,
    addressCount: addresses.length,
  };
}

function formatTarget(t: IpAddress): string {
  return formatAddress({ hostname: t.address, port: t.port });
}

function codeOf(error: unknown): NetErrorCode {
  return error instanceof NetError ? error.code : "UNKNOWN";
}

/**
 * The short reason of a failed attempt: `timed out after 2s`, else the NetError's own ending
 * (`refused`), or the error's text.
 */
export function attemptReason(error: unknown, timeoutMs: number): string {
  if (error instanceof NetError) {
    return error.code === "ETIMEDOUT"
      ? `timed out after ${formatDurationSetting(timeoutMs)}`
      : error.message.slice(error.message.lastIndexOf(": ") + 2);
  }
  return String(error);
}

function reasonOf(failure: DialFailure, timeoutMs: number): string {
  return attemptReason(failure.error, timeoutMs);
}
