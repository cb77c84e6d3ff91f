/**
 * `startEchoServer` for library users: an echo server on TCP (and optionally UDP and a Unix
 * socket) that picks the runtime's socket adapter itself and hands back its bound address.
 * @module
 */
import { InputError } from "../core/errors.ts";
import {
  type EchoMode,
  type ListeningRecord,
  type ServeTotals,
  type SessionRecord,
  startEchoServer as startEngine,
} from "../echo/mod.ts";
import { lookupBindHost } from "../net/host_lookup.ts";
import { netAdapter } from "../net/mod.ts";

/** Options of {@link startEchoServer}; every field is optional. */
export interface EchoServerOptions {
  /** The port for TCP and UDP; default 0 (the system picks a free one: read it from `port`). */
  readonly port?: number;
  /**
   * The address to bind: an IP address, or a host name (bound to its first address); default
   * `127.0.0.1` (loopback only).
   */
  readonly host?: string;
  /** Serve TCP; default true. */
  readonly tcp?: boolean;
  /** Serve UDP too, on the same port as TCP; default false. */
  readonly udp?: boolean;
  /** Also serve on a Unix socket at this path (created; removed at close); default none. */
  readonly unix?: string;
  /**
   * What a reply is: `echo` (the bytes received, the default), `upper` (ASCII letters
   * uppercased), `stamp` (a ctime-style time stamp before each reply) or `prefix` (see
   * {@link EchoServerOptions.prefix}).
   */
  readonly mode?: EchoMode;
  /** The prefix of `prefix` mode; default `"OK..."`. Setting it alone selects `prefix` mode. */
  readonly prefix?: string;
  /** Speak netdiag's framing protocol (length-prefixed frames); default false. */
  readonly framed?: boolean;
  /** Most TCP and Unix connections at once; more get a short message and are closed. Default 1024. */
  readonly maxConnections?: number;
  /** Close a connection (forget a UDP peer) after this many ms without traffic; default 300 000. */
  readonly idleTimeoutMs?: number;
  /** Largest frame body accepted in framed mode, in bytes; default 16 MiB. */
  readonly maxFrameBytes?: number;
  /** Serve one client (one connection, or one datagram when only UDP) and stop; default false. */
  readonly once?: boolean;
  /** Closes the server when aborted (as {@link EchoServerHandle.close} does). */
  readonly signal?: AbortSignal;
}

/** Callbacks of {@link startEchoServer}: what the server observes while it runs. */
export interface EchoServerHooks {
  /** A client session ended (a connection closed, a UDP peer went idle, or shutdown). */
  onSession?(record: SessionRecord): void;
  /** Something worth telling the operator that is not a session (an accept failure, …). */
  onWarning?(message: string): void;
}

/** One socket the server listens on. */
export type EchoServerListener =
  | {
    /** `tcp` or `udp`. */
    readonly transport: "tcp" | "udp";
    /** The bound IP address. */
    readonly address: string;
    /** The bound port (the chosen one when the option was 0). */
    readonly port: number;
    /** 4 for IPv4, 6 for IPv6. */
    readonly family: 4 | 6;
  }
  | {
    /** `unix`. */
    readonly transport: "unix";
    /** The socket's path. */
    readonly path: string;
  };

/**
 * A running echo server. Its `address`, `port` and `family` are those of its TCP socket (of the
 * UDP one when TCP is off), so the handle itself can be given to `runEchoTest` as its target.
 */
export interface EchoServerHandle extends AsyncDisposable {
  /** The bound IP address, e.g. `127.0.0.1`. */
  readonly address: string;
  /** The bound port: the one the system picked when `port` was 0. */
  readonly port: number;
  /** 4 for IPv4, 6 for IPv6. */
  readonly family: 4 | 6;
  /** Every socket the server listens on: TCP, then UDP, then the Unix socket. */
  readonly listeners: readonly EchoServerListener[];
  /** Resolves with the totals once the server has stopped (by `close()`, `once` or the signal). */
  readonly closed: Promise<ServeTotals>;
  /** The totals so far. */
  totals(): ServeTotals;
  /** Stops accepting, closes every client and resolves with the totals (safe to call twice). */
  close(): Promise<ServeTotals>;
}

type IpListener = Extract<EchoServerListener, { transport: "tcp" | "udp" }>;

function listener(record: ListeningRecord): EchoServerListener {
  if (record.transport === "unix") return { transport: "unix", path: record.path };
  const family = record.address.includes(":") ? 6 : 4;
  return { transport: record.transport, address: record.address, port: record.port, family };
}

/**
 * Starts an echo server; resolves once its sockets are bound. Rejects with a `NetError` when a
 * bind fails (`EADDRINUSE`, `EACCES`, …), an `InputError` for options that cannot work together,
 * an `OperationalError` when `host` does not resolve, and the signal's reason when it is already
 * aborted.
 *
 * @example Serve on a free loopback port, then close
 * ```ts
 * import { startEchoServer } from "@netdiag/netdiag";
 * const server = await startEchoServer();
 * console.log(`echo server on ${server.address}:${server.port}`);
 * const totals = await server.close();
 * console.log(totals.connections); // 0
 * ```
 */
export async function startEchoServer(
  options: EchoServerOptions = {},
  hooks: EchoServerHooks = {},
): Promise<EchoServerHandle> {
  const { signal, port = 0, tcp = true, udp = false } = options;
  signal?.throwIfAborted();
  if (!tcp && !udp) {
    throw new InputError("an echo server needs TCP or UDP: options tcp and udp are both false");
  }
  if (options.prefix !== undefined && options.mode !== undefined && options.mode !== "prefix") {
    throw new InputError(
      `option "prefix" needs mode "prefix", not ${JSON.stringify(options.mode)}`,
    );
  }
  const host = options.host === undefined ? "127.0.0.1" : await lookupBindHost(options.host);
  const adapter = await netAdapter();
  const server = await startEngine(adapter, {
    plan: {
      tcp: tcp ? port : undefined,
      udp: udp ? port : undefined,
      unix: options.unix,
      samePort: tcp && udp,
    },
    host,
    mode: options.mode ?? (options.prefix !== undefined ? "prefix" : "echo"),
    prefix: options.prefix,
    framed: options.framed ?? false,
    maxConns: options.maxConnections,
    idleTimeoutMs: options.idleTimeoutMs,
    maxFrameBytes: options.maxFrameBytes,
    once: options.once ?? false,
  }, hooks);
  const listeners = server.listening.map(listener);
  const ip = listeners.find((l): l is IpListener => l.transport !== "unix");
  if (!ip) throw new Error("unreachable: an echo server always binds TCP or UDP");
  const close = () => server.stop();
  if (signal) {
    const onAbort = () => void close();
    signal.addEventListener("abort", onAbort, { once: true });
    void server.done.then(() => signal.removeEventListener("abort", onAbort));
    if (signal.aborted) void close();
  }
  return {
    address: ip.address,
    port: ip.port,
    family: ip.family,
    listeners,
    closed: server.done,
    totals: () => server.totals(),
    close,
    async [Symbol.asyncDispose]() {
      await close();
    },
  };
}
