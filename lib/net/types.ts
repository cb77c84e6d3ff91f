/**
 * The socket adapter contract: the only way netdiag does network I/O. Implementations:
 * `deno.ts` (Deno.connect / Deno.listen / Deno.listenDatagram), `bun.ts` (Bun.listen / Bun.connect
 * for streams, Bun.udpSocket for UDP in `bun_udp.ts`; used on Bun) and `node.ts` (node:net /
 * node:dgram: Bun's probe connects and its UDP sockets that ask for buffer sizes, and a second
 * implementation the contract tests run on both runtimes). Obtain one with `netAdapter()`
 * from `lib/net/mod.ts`.
 */
import { quoteForTerminal } from "../core/terminal_text.ts";

/** A socket address: an IP endpoint or a Unix socket path. */
export type SocketAddress =
  | { readonly transport: "tcp" | "udp"; readonly hostname: string; readonly port: number }
  | { readonly transport: "unix"; readonly path: string };

/** An IP endpoint (for UDP destinations). */
export interface Endpoint {
  readonly hostname: string;
  readonly port: number;
}

/**
 * Error codes the adapters report, named after POSIX errno where one exists. `ETIMEDOUT` is
 * also used for a connect that did not finish before its deadline; `ABORTED` for an operation
 * cancelled through its AbortSignal; `CLOSED` for an operation on a socket closed locally.
 */
export type NetErrorCode =
  | "ECONNREFUSED"
  | "ETIMEDOUT"
  | "ECONNRESET"
  | "EPIPE"
  | "EADDRINUSE"
  | "EADDRNOTAVAIL"
  | "EHOSTUNREACH"
  | "ENETUNREACH"
  | "EACCES"
  | "ENOENT"
  | "ENOTSOCK"
  | "ENOTDIR"
  | "EPROTOTYPE"
  | "EMFILE"
  | "EINVAL"
  | "ABORTED"
  | "CLOSED"
  | "UNKNOWN";

/** The operation that failed. */
export type NetOperation = "connect" | "listen" | "bind" | "read" | "write" | "send" | "receive";

/** A network error with a stable code, the operation and the address it concerned. */
export class NetError extends Error {
  /** Stable error code, see {@link NetErrorCode}. */
  readonly code: NetErrorCode;
  /** The operation that failed. */
  readonly operation: NetOperation;
  /** The address, as text (`127.0.0.1:22`, `[::1]:53`, `/run/x.sock`). */
  readonly address: string;
  /** The runtime's own code or error name, when it says more than {@link code} (e.g. `EPROTO`). */
  readonly systemCode?: string;

  /**
   * Creates a network error; the message reads `cannot connect to "127.0.0.1:22": refused`, or
   * with `detail` `cannot listen on "/run/x.sock": address already in use (a regular file, …)`.
   */
  constructor(
    code: NetErrorCode,
    operation: NetOperation,
    address: string,
    options?: ErrorOptions & { systemCode?: string; detail?: string },
  ) {
    const why = code === "UNKNOWN" && options?.systemCode
      ? options.systemCode
      : describeNetErrorCode(code);
    const detail = options?.detail ? ` (${options.detail})` : "";
    super(`${VERBS[operation]} ${quoteForTerminal(address)}: ${why}${detail}`, options);
    this.name = "NetError";
    this.code = code;
    this.operation = operation;
    this.address = address;
    this.systemCode = options?.systemCode;
  }
}

const VERBS: Record<NetOperation, string> = {
  connect: "cannot connect to",
  listen: "cannot listen on",
  bind: "cannot bind",
  read: "cannot read from",
  write: "cannot write to",
  send: "cannot send to",
  receive: "cannot receive on",
};

const CODES: ReadonlySet<string> = new Set([
  "ECONNREFUSED",
  "ETIMEDOUT",
  "ECONNRESET",
  "EPIPE",
  "EADDRINUSE",
  "EADDRNOTAVAIL",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EACCES",
  "ENOENT",
  "ENOTSOCK",
  "ENOTDIR",
  "EPROTOTYPE",
  "EMFILE",
  "EINVAL",
]);

/** Narrows a runtime's errno string (`"ECONNREFUSED"`) to a {@link NetErrorCode}, else `UNKNOWN`. */
export function toNetErrorCode(code: string | undefined): NetErrorCode {
  if (code === "ENFILE") return "EMFILE";
  if (code === "ECONNABORTED") return "ECONNRESET";
  return code && CODES.has(code) ? code as NetErrorCode : "UNKNOWN";
}

/** A runtime's error as a {@link NetError} for `operation` on `address` (kept as is if it is one). */
export function toNetError(error: unknown, operation: NetOperation, address: string): NetError {
  if (error instanceof NetError) return error;
  const code = (error as { code?: string })?.code;
  return new NetError(toNetErrorCode(code), operation, address, { cause: error, systemCode: code });
}

/** A short human description of an error code: "refused", "timed out", … */
export function describeNetErrorCode(code: NetErrorCode): string {
  switch (code) {
    case "ECONNREFUSED":
      return "refused";
    case "ETIMEDOUT":
      return "timed out";
    case "ECONNRESET":
      return "connection reset by peer";
    case "EPIPE":
      return "broken pipe";
    case "EADDRINUSE":
      return "address already in use";
    case "EADDRNOTAVAIL":
      return "address not available";
    case "EHOSTUNREACH":
      return "host unreachable";
    case "ENETUNREACH":
      return "network unreachable";
    case "EACCES":
      return "permission denied";
    case "ENOENT":
      return "no such file or directory";
    case "ENOTSOCK":
      return "not a socket";
    case "ENOTDIR":
      return "a path component is not a directory";
    case "EPROTOTYPE":
      return "not a stream socket";
    case "EMFILE":
      return "too many open files";
    case "EINVAL":
      return "invalid argument";
    case "ABORTED":
      return "aborted";
    case "CLOSED":
      return "socket closed";
    default:
      return "unknown error";
  }
}

/** Formats an address as text: `127.0.0.1:22`, `[::1]:53`, `/run/x.sock`. */
export function formatAddress(addr: SocketAddress | (Endpoint & { transport?: string })): string {
  if ("path" in addr) return addr.path;
  return addr.hostname.includes(":")
    ? `[${addr.hostname}]:${addr.port}`
    : `${addr.hostname}:${addr.port}`;
}

/** A connected byte stream (TCP or Unix). */
export interface Connection {
  readonly localAddr: SocketAddress;
  readonly remoteAddr: SocketAddress;
  /**
   * Reads into `buffer`; resolves to the number of bytes read, or null at end of stream.
   * Rejects with a {@link NetError} (`ECONNRESET`, `CLOSED`, …).
   */
  read(buffer: Uint8Array): Promise<number | null>;
  /**
   * Resolves to the next bytes received, as many as one read of the runtime gave, or null at end
   * of stream. The view is the caller's until its next `read` or `readChunk` (where the runtime
   * hands over buffers of its own, as Bun does, nothing is copied at all). Rejects as `read`.
   */
  readChunk(): Promise<Uint8Array | null>;
  /** Writes all of `data` (waits for the socket to take it). */
  write(data: Uint8Array): Promise<void>;
  /** Half-closes: no more writes; the peer reads end of stream; reads go on. */
  closeWrite(): Promise<void>;
  /** Closes both directions at once; pending reads resolve null or reject with `CLOSED`. */
  close(): void;
  /** Turns Nagle's algorithm off (true) or on (TCP only; a no-op for Unix sockets). */
  setNoDelay(noDelay: boolean): void;
  /**
   * Bytes the connection holds in memory for its owner: received from the kernel but not read
   * yet, plus written but not yet taken by the kernel. Bounded per connection: an implementation
   * that reads ahead stops reading from the kernel at {@link RECEIVE_HIGH_WATER} bytes unread.
   * (Optional for stand-ins in tests; every adapter provides it.)
   */
  readonly bufferedBytes?: number;
  /**
   * With `true`, stops reading from the kernel while a write waits for the peer to take it: for
   * servers whose writes answer their reads (echo), so that a peer that never reads what it is
   * sent costs one read and one unsent answer instead of a read-ahead queue. Off by default: a
   * full-duplex peer (a relay, `echo test --stream`) must go on reading while it writes, or two
   * such peers deadlock. A no-op where nothing is read ahead (Deno). (Optional for stand-ins in
   * tests; every adapter provides it.)
   */
  pauseReadsWhileWriting?(on: boolean): void;
}

/**
 * The most bytes a connection reads ahead of its owner: implementations fed by the runtime
 * (Bun, node:net) pause the socket once this many wait unread, so that a peer that sends without
 * reading what it is sent back costs at most this, plus one chunk, plus one unsent write.
 */
export const RECEIVE_HIGH_WATER = 128 * 1024;

/** A listening stream socket. */
export interface Listener {
  /** The bound address; for port 0 it carries the port the system picked. */
  readonly addr: SocketAddress;
  /** Waits for the next connection; rejects with `CLOSED` once the listener is closed. */
  accept(): Promise<Connection>;
  /** Stops listening and releases the address (a Unix listener removes its socket file). */
  close(): void;
}

/** A received datagram. */
export interface Datagram {
  readonly data: Uint8Array;
  readonly from: Endpoint;
}

/** A bound UDP socket. */
export interface DatagramSocket {
  /** The bound address; for port 0 it carries the port the system picked. */
  readonly addr: SocketAddress;
  /**
   * Whether this implementation can see ICMP port-unreachable errors: true when a socket bound
   * with `connect` rejects `receive` with `ECONNREFUSED` (Bun/node), false when such errors are
   * invisible (Deno's UDP reports nothing).
   */
  readonly reportsUnreachable: boolean;
  /** Sends one datagram to `to` (or to the connected peer when `to` is omitted). */
  send(data: Uint8Array, to?: Endpoint): Promise<void>;
  /**
   * Where the runtime can (Bun's connected sockets): sends one datagram to the connected peer on
   * the event loop's next turn, in one system call with the others queued during this turn
   * (sendmmsg). Resolves once the kernel took them; rejects as `send` does. Callers fall back to
   * `send` where it is missing.
   */
  sendBatched?(data: Uint8Array): Promise<void>;
  /** Waits for the next datagram. Rejects with `CLOSED` once closed, `ABORTED` on the signal. */
  receive(signal?: AbortSignal): Promise<Datagram>;
  /**
   * Datagrams the kernel dropped for this socket because its receive buffer was full, since it
   * was bound (read from `/proc/net/udp` / `udp6` on Linux); undefined where that is unknown.
   */
  receiveDrops(): number | undefined;
  /** Closes the socket. */
  close(): void;
}

/** Options of {@link NetAdapter.connect}. */
export type ConnectOptions =
  & (
    | { readonly transport: "tcp"; readonly hostname: string; readonly port: number }
    | { readonly transport: "unix"; readonly path: string }
  )
  & {
    /** Give up after this many milliseconds with `ETIMEDOUT`; default 10 000. */
    readonly timeoutMs?: number;
    /** Cancel the attempt: rejects with `ABORTED` and releases the socket. */
    readonly signal?: AbortSignal;
  };

/** Options of {@link NetAdapter.listen}. */
export type ListenOptions =
  | {
    readonly transport: "tcp";
    /** Address to bind; netdiag defaults to loopback at the CLI layer. */
    readonly hostname: string;
    /** Port; 0 picks a free one. */
    readonly port: number;
  }
  | { readonly transport: "unix"; readonly path: string };

/** Options of {@link NetAdapter.bindDatagram}. */
export interface DatagramOptions {
  /** Address to bind. */
  readonly hostname: string;
  /** Port; 0 picks a free one. */
  readonly port: number;
  /**
   * Associate the socket with one peer (connected UDP), so that sends default to it and, where
   * the runtime can see them, ICMP errors reject `receive` with `ECONNREFUSED`.
   */
  readonly connect?: Endpoint;
  /**
   * Ask for a kernel receive buffer this big (SO_RCVBUF; the kernel caps it at
   * `net.core.rmem_max`), where the runtime can set it: node:dgram on Bun can (so the Bun adapter
   * binds such a socket with node:dgram, Bun.udpSocket cannot), Deno cannot (its `listenDatagram`
   * takes no such option and its node:dgram only pretends), so it is ignored.
   */
  readonly receiveBufferBytes?: number;
  /** The same for the send buffer (SO_SNDBUF, capped at `net.core.wmem_max`). */
  readonly sendBufferBytes?: number;
}

/** Options of {@link NetAdapter.probeConnect}. */
export interface ProbeConnectOptions {
  /** An IP address (a name is resolved by the runtime, which costs a lookup per attempt). */
  readonly hostname: string;
  readonly port: number;
  /** Give up after this many milliseconds: the outcome is `ETIMEDOUT` (a few ms late at most). */
  readonly timeoutMs: number;
  /**
   * Where {@link NetAdapter.probeSocketsLinger}: how many sockets the caller allows to stay open
   * beyond its own count of attempts in flight, across all probe connects. A connect the runtime
   * cannot cancel is left to the kernel at its deadline (it gives up within minutes); such an
   * attempt starts only while fewer than this many of them are unsettled (in flight or left
   * behind), else the attempt uses a slower connect that can be cancelled. Default 0.
   */
  readonly lingerLimit?: number;
}

/**
 * What a {@link NetAdapter.probeConnect} found: connected (the socket is already closed again),
 * or the error code. `latencyMs` is the time from the start to the answer.
 */
export type ProbeConnectOutcome =
  | { readonly ok: true; readonly localPort: number; readonly latencyMs: number }
  | {
    readonly ok: false;
    /** `ECONNREFUSED`, `ETIMEDOUT` (no answer before the deadline), `EMFILE`, … */
    readonly code: NetErrorCode;
    /** The runtime's own code or error name, when it says more than {@link code}. */
    readonly systemCode?: string;
    readonly latencyMs: number;
  };

/** One runtime's implementation of netdiag's socket operations. */
export interface NetAdapter {
  /**
   * Implementation name: `deno`, `bun` (Bun's sockets for streams and UDP) or `node`
   * (node:net / node:dgram; runs on Bun and under Deno's node layer, for the contract tests).
   */
  readonly name: "deno" | "bun" | "node";
  /** Opens a TCP or Unix stream connection. */
  connect(options: ConnectOptions): Promise<Connection>;
  /** Listens for TCP or Unix stream connections. */
  listen(options: ListenOptions): Promise<Listener>;
  /** Binds a UDP socket. */
  bindDatagram(options: DatagramOptions): Promise<DatagramSocket>;
  /**
   * A TCP connect reduced to its answer, for port probes: resolves (never rejects) once the
   * connect succeeds (the socket is closed at once), fails, or reaches `timeoutMs`. Cheaper than
   * {@link connect}: no {@link Connection}, no {@link NetError}, no per-attempt timer.
   */
  probeConnect(options: ProbeConnectOptions): Promise<ProbeConnectOutcome>;
  /**
   * Whether a timed-out {@link probeConnect} can leave its socket open after the outcome (when
   * the runtime cannot cancel a connect): at most {@link ProbeConnectOptions.lingerLimit} of them,
   * which the caller's descriptor budget must allow for. False: every socket is released at once.
   */
  readonly probeSocketsLinger: boolean;
}
