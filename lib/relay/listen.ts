/**
 * The listening side of the relay (`nc -l`): accept stream clients one after another and relay
 * each (an input shared between them), or take datagrams from any sender and send the input to
 * the last one.
 * @module
 */
import { lookupBindHost } from "../net/host_lookup.ts";
import {
  type Connection,
  type DatagramSocket,
  type Endpoint,
  formatAddress,
  type Listener,
  type NetAdapter,
  NetError,
} from "../net/types.ts";
import { type RelayAddress, relayAddress } from "../net/peer_address.ts";
import { MAX_DATAGRAM } from "./datagram.ts";
import type { InputSource, Sink } from "./io.ts";
import { relay } from "./relay.ts";
import type { RelayEnd, RelayResult } from "./result.ts";

/** Where to listen: TCP or UDP on a host and port, or a Unix stream socket. */
export type ListenTarget =
  | {
    readonly transport: "tcp" | "udp";
    /** Address to bind, an IP literal or a name (its first address); default 127.0.0.1. */
    readonly host?: string;
    /** Port; 0 picks a free one (reported through {@link ListenHooks.onListening}). */
    readonly port: number;
  }
  | {
    readonly transport: "unix";
    /** The socket's path (a stale socket left there is replaced; removed on return). */
    readonly path: string;
  };

/** Options of {@link listen}. */
export type ListenOptions = ListenTarget & {
  /** What to send to clients (shared: what one client leaves unread goes to the next). */
  readonly input?: InputSource | null;
  /** Serve clients one after another until stopped, instead of returning after the first. */
  readonly keepOpen?: boolean;
  /**
   * Streams: close a client after this many milliseconds without traffic. UDP: return after this
   * long without traffic once a datagram has arrived (not with `keepOpen`). Default 5 minutes.
   */
  readonly idleTimeoutMs?: number;
  /** Streams without `keepOpen`: see {@link RelayOptions.drainInput}; default false. */
  readonly drainInput?: boolean;
};

/** One client: a stream connection, or a UDP sender. */
export interface ListenSession extends RelayResult {
  /** The client's address (a Unix client's path is empty when it never bound one). */
  readonly peer: RelayAddress;
}

/** Callbacks of {@link listen}; every one is optional. */
export interface ListenHooks {
  /** The socket is bound (with the port the system picked for port 0). */
  onListening?(address: RelayAddress): void;
  /** A stream client was accepted, or a datagram came from another sender than the last. */
  onClient?(peer: RelayAddress): void;
  /** A client's session ended (UDP: each sender's, when the listening ends). */
  onSession?(session: ListenSession): void;
  /** The output sink: the clients' bytes, in order (see {@link Sink}). */
  onData?: Sink;
  /** Something worth telling that did not end anything (a UDP send failed). */
  onWarning?(message: string): void;
}

/** What a {@link listen} did. */
export interface ListenResult {
  /** The transport listened on. */
  readonly transport: "tcp" | "udp" | "unix";
  /** The bound address. */
  readonly listening: RelayAddress;
  /** Clients served: stream connections, or UDP senders (the first 1024 distinct ones). */
  readonly clients: number;
  /** Bytes sent to clients, in total. */
  readonly bytesSent: number;
  /** Bytes received from clients, in total. */
  readonly bytesReceived: number;
  /** Milliseconds from binding to the end. */
  readonly durationMs: number;
  /** Whether `signal` ended it. */
  readonly stopped: boolean;
  /** The last stream client's session (without `keepOpen`, the only one). */
  readonly last?: ListenSession;
}

const DEFAULT_IDLE_MS = 5 * 60_000;
const MAX_UDP_PEERS = 1024;

/**
 * Binds `options`' address and serves: stream clients one at a time (each relayed as by
 * {@link relay}, the input shared), or datagrams (to `hooks.onData`; the input goes to the last
 * sender). Returns after the first stream client or after the UDP idle timeout (with
 * `keepOpen`, neither: it serves on), and whenever `signal` stops it (a stream client being
 * served then ends as `stopped`). Rejects with a NetError when the bind fails (address in use,
 * permission), an accept or a receive fails; with an OperationalError when the host name does
 * not resolve; with the signal's reason when it is aborted during that lookup.
 */
export async function listen(
  adapter: NetAdapter,
  options: ListenOptions,
  hooks: ListenHooks = {},
  signal?: AbortSignal,
): Promise<ListenResult> {
  if (options.transport === "udp") {
    const host = await lookupBindHost(options.host ?? "127.0.0.1", { signal });
    const socket = await adapter.bindDatagram({ hostname: host, port: options.port });
    return await serveDatagrams(socket, options, hooks, signal);
  }
  const listener = await adapter.listen(
    options.transport === "unix" ? { transport: "unix", path: options.path } : {
      transport: "tcp",
      hostname: await lookupBindHost(options.host ?? "127.0.0.1", { signal }),
      port: options.port,
    },
  );
  try {
    return await serveStreams(listener, options, hooks, signal);
  } finally {
    listener.close();
  }
}

async function serveStreams(
  listener: Listener,
  options: ListenOptions,
  hooks: ListenHooks,
  signal?: AbortSignal,
): Promise<ListenResult> {
  const started = performance.now();
  const listening = relayAddress(listener.addr);
  hooks.onListening?.(listening);
  let clients = 0;
  let bytesSent = 0;
  let bytesReceived = 0;
  let last: ListenSession | undefined;
  const result = (): ListenResult => ({
    transport: options.transport,
    listening,
    clients,
    bytesSent,
    bytesReceived,
    durationMs: performance.now() - started,
    stopped: signal?.aborted ?? false,
    ...(last ? { last } : {}),
  });
  const onStop = () => listener.close();
  signal?.addEventListener("abort", onStop, { once: true });
  if (signal?.aborted) return result();
  try {
    for (;;) {
      let conn: Connection;
      try {
        conn = await listener.accept();
      } catch (error) {
        if (signal?.aborted) return result();
        throw error;
      }
      const peer = relayAddress(conn.remoteAddr);
      clients++;
      hooks.onClient?.(peer);
      const relayed = await relay(
        conn,
        {
          input: options.input,
          idleTimeoutMs: options.idleTimeoutMs ?? DEFAULT_IDLE_MS,
          // A shared input (keepOpen) is not held for one client after it has left.
          drainInput: !options.keepOpen && (options.drainInput ?? false),
        },
        { onData: hooks.onData },
        signal,
      );
      last = { peer, ...relayed };
      bytesSent += relayed.bytesSent;
      bytesReceived += relayed.bytesReceived;
      hooks.onSession?.(last);
      if (signal?.aborted || !options.keepOpen) return result();
    }
  } finally {
    signal?.removeEventListener("abort", onStop);
  }
}

/**
 * The senders of a UDP listening: the last one (where the input goes), and bytes each way per
 * sender for the first {@link MAX_UDP_PEERS} distinct ones (later ones count in the totals only).
 */
class UdpSenders {
  readonly #records = new Map<
    string,
    { peer: RelayAddress; first: number; bytesSent: number; bytesReceived: number }
  >();
  /** The last sender, once there is one. */
  last: { readonly endpoint: Endpoint; readonly key: string } | undefined;

  /** Notes a datagram of `bytes` from `from`; returns whether it came from another sender. */
  received(from: Endpoint, bytes: number): boolean {
    const key = formatAddress(from);
    const changed = this.last?.key !== key;
    this.last = { endpoint: from, key };
    let record = this.#records.get(key);
    if (!record && this.#records.size < MAX_UDP_PEERS) {
      record = {
        peer: relayAddress(from),
        first: performance.now(),
        bytesSent: 0,
        bytesReceived: 0,
      };
      this.#records.set(key, record);
    }
    if (record) record.bytesReceived += bytes;
    return changed;
  }

  /** Notes `bytes` sent to the sender `key`. */
  sent(key: string, bytes: number): void {
    const record = this.#records.get(key);
    if (record) record.bytesSent += bytes;
  }

  /** How many senders have a record. */
  get count(): number {
    return this.#records.size;
  }

  /** Each recorded sender's session, ended now as `end`. */
  sessions(end: RelayEnd): ListenSession[] {
    const now = performance.now();
    return [...this.#records.values()].map((r) => ({
      peer: r.peer,
      bytesSent: r.bytesSent,
      bytesReceived: r.bytesReceived,
      durationMs: now - r.first,
      end,
    }));
  }
}

async function serveDatagrams(
  socket: DatagramSocket,
  options: ListenOptions,
  hooks: ListenHooks,
  signal?: AbortSignal,
): Promise<ListenResult> {
  const started = performance.now();
  const listening = relayAddress(socket.addr);
  hooks.onListening?.(listening);
  const idleMs = options.idleTimeoutMs ?? DEFAULT_IDLE_MS;
  const senders = new UdpSenders();
  const totals = { bytesSent: 0, bytesReceived: 0 };
  let firstSender: () => void = () => {};
  const known = new Promise<void>((resolve) => (firstSender = resolve));
  const idle = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const touch = () => {
    clearTimeout(timer);
    if (!options.keepOpen) timer = setTimeout(() => idle.abort(), idleMs);
  };
  const done = signal ? AbortSignal.any([signal, idle.signal]) : idle.signal;
  const writer = known.then(() =>
    sendToLastSender(socket, options.input ?? null, senders, done, (bytes) => {
      totals.bytesSent += bytes;
      touch();
    }, hooks)
  );
  try {
    for (;;) {
      const d = await socket.receive(done);
      if (senders.received(d.from, d.data.length)) hooks.onClient?.(relayAddress(d.from));
      firstSender();
      totals.bytesReceived += d.data.length;
      touch();
      await hooks.onData?.(d.data);
    }
  } catch (error) {
    if (!(error instanceof NetError && (error.code === "ABORTED" || error.code === "CLOSED"))) {
      throw error;
    }
  } finally {
    clearTimeout(timer);
    socket.close();
    void writer;
  }
  const stopped = signal?.aborted ?? false;
  for (const session of senders.sessions(stopped ? "stopped" : "idle")) hooks.onSession?.(session);
  return {
    transport: "udp",
    listening,
    clients: senders.count,
    ...totals,
    durationMs: performance.now() - started,
    stopped,
  };
}

/** Sends the input, chunk by chunk, to whoever sent last, until the input or `done` ends. */
async function sendToLastSender(
  socket: DatagramSocket,
  input: InputSource | null,
  senders: UdpSenders,
  done: AbortSignal,
  onSent: (bytes: number) => void,
  hooks: ListenHooks,
): Promise<void> {
  for (;;) {
    const chunk = input ? await input.peek() : null;
    input?.consume();
    if (chunk === null || done.aborted || !senders.last) return;
    for (let off = 0; off < chunk.length; off += MAX_DATAGRAM) {
      const piece = chunk.subarray(off, off + MAX_DATAGRAM);
      const to = senders.last;
      try {
        await socket.send(piece, to.endpoint);
        senders.sent(to.key, piece.length);
        onSent(piece.length);
      } catch (error) {
        hooks.onWarning?.(error instanceof NetError ? error.message : String(error));
      }
    }
  }
}
