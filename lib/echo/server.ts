/**
 * The echo server behind `echo serve`: TCP, UDP and Unix listeners, one read/write loop per
 * connection (so no client can hold up another), the reply modes, the framing protocol, and the
 * limits (connections, idle time, frame size). Network I/O through the adapter only; reports go
 * to hooks, never to the terminal.
 * @module
 */
import { concatBytes } from "../core/bytes.ts";
import { createReplier, type EchoMode, type Replier, replyTo } from "../core/echo_reply.ts";
import {
  type ListeningRecord,
  SERVE_BOUNDS,
  type ServePlan,
  type ServeTotals,
  type SessionEnd,
  type SessionRecord,
} from "../core/echo_serve.ts";
import {
  decodeFrames,
  DEFAULT_FRAME_LIMITS,
  encodeFrame,
  encodeFrameHead,
  FrameDecoder,
  FrameError,
  type FrameEvent,
  type FrameLimits,
} from "../core/framing.ts";
import {
  type Connection,
  type DatagramSocket,
  type Endpoint,
  formatAddress,
  type Listener,
  type NetAdapter,
  NetError,
} from "../net/types.ts";
import { DEFAULT_PROGRESS_RULES, pickEvictable, Progress, type ProgressRules } from "./progress.ts";

/** Options of {@link startEchoServer}. */
export interface EchoServerOptions {
  /** What to listen on. */
  readonly plan: ServePlan;
  /** Address to bind TCP and UDP on; default 127.0.0.1. */
  readonly host?: string;
  /** Reply mode; default echo. */
  readonly mode?: EchoMode;
  /** The prefix of prefix mode; default "OK...". */
  readonly prefix?: string;
  /** Speak the framing protocol; default false. */
  readonly framed?: boolean;
  /** Most TCP+Unix connections at once; more get a short message and are closed. Default 1024. */
  readonly maxConns?: number;
  /** Close a connection (forget a UDP peer) after this long without traffic; default 5 min. */
  readonly idleTimeoutMs?: number;
  /** Largest frame body accepted in framed mode; default 16 MiB. */
  readonly maxFrameBytes?: number;
  /** Serve one client (one connection, or one datagram when only UDP) and stop; default false. */
  readonly once?: boolean;
  /** Clock of stamp mode (tests). */
  readonly now?: () => Date;
  /** The minimum-progress rules; defaults in {@link SERVE_BOUNDS}. */
  readonly progress?: Partial<ProgressRules>;
}

/** Callbacks for what the server observes. */
export interface EchoServerHooks {
  /** A client session ended (a connection closed, a UDP peer went idle, or shutdown). */
  onSession?(record: SessionRecord): void;
  /** Something worth telling the operator that is not a session (accept failure, …). */
  onWarning?(message: string): void;
}

/** A running echo server. */
export interface EchoServer {
  /** The bound sockets, with the ports chosen for port 0. */
  readonly listening: readonly ListeningRecord[];
  /** Resolves with the totals once the server has stopped (by stop() or after --once). */
  readonly done: Promise<ServeTotals>;
  /** Stops accepting, closes every client, and resolves with the totals. */
  stop(): Promise<ServeTotals>;
  /** The totals so far. */
  totals(): ServeTotals;
  /** Connections open now. */
  readonly openConnections: number;
  /**
   * Bytes held in memory for the open connections (received and not answered yet, answers the
   * kernel has not taken): the total, and the most any one connection holds.
   */
  bufferedBytes(): { readonly total: number; readonly largest: number };
}

const MAX_UDP_PEERS = 10_000;
const MAX_DATAGRAM = 65_536;
const REJECT_WRITE_MS = 1000;
const SHUTDOWN_GRACE_MS = 2000;

interface Session {
  readonly transport: "tcp" | "unix";
  readonly peer: string;
  readonly conn: Connection;
  readonly started: number;
  readonly progress: Progress;
  lastActivity: number;
  bytesIn: number;
  bytesOut: number;
  messages: number;
  /** The loop waits for the kernel to take a reply (the client is not reading). */
  writing: boolean;
  /** Closes the connection at the end of a stalled session's grace, see `#stall`. */
  closeTimer?: ReturnType<typeof setTimeout>;
  end?: SessionEnd;
  error?: string;
}

interface UdpPeer {
  readonly peer: string;
  readonly started: number;
  lastActivity: number;
  bytesIn: number;
  bytesOut: number;
  messages: number;
}

const encoder = new TextEncoder();

/** Kernel buffers asked for on UDP sockets: 200 ping-pong clients overflow the default 208 KB. */
const UDP_BUFFERS = {
  receiveBufferBytes: SERVE_BOUNDS.udpReceiveBufferBytes,
  sendBufferBytes: SERVE_BOUNDS.udpSendBufferBytes,
};

/**
 * Binds the plan's sockets and starts serving. Rejects with a NetError if a bind fails.
 * Aborting `signal` stops the server as {@link EchoServer.stop} does (SIGINT, SIGTERM).
 *
 * @example
 * ```ts ignore
 * const server = await startEchoServer(adapter, { plan: planListeners({ tcp: 0 }) }, {}, signal);
 * server.listening; // [{ type: "listening", transport: "tcp", address: "127.0.0.1", port: 40123 }]
 * const totals = await server.done;
 * ```
 */
export async function startEchoServer(
  adapter: NetAdapter,
  options: EchoServerOptions,
  hooks: EchoServerHooks = {},
  signal?: AbortSignal,
): Promise<EchoServer> {
  const host = options.host ?? "127.0.0.1";
  const { listeners, datagrams } = await bindAll(adapter, options.plan, host);
  const server = new EchoServerImpl(options, hooks, listeners, datagrams);
  if (signal) {
    const stop = () => void server.stop();
    if (signal.aborted) stop();
    else {
      signal.addEventListener("abort", stop, { once: true });
      void server.done.finally(() => signal.removeEventListener("abort", stop));
    }
  }
  return server;
}

async function bindAll(adapter: NetAdapter, plan: ServePlan, host: string) {
  const listeners: Listener[] = [];
  const datagrams: DatagramSocket[] = [];
  const closeAll = () => {
    for (const l of listeners) l.close();
    for (const d of datagrams) d.close();
  };
  try {
    if (plan.tcp !== undefined) {
      const attempts = plan.samePort && plan.tcp === 0 && plan.udp !== undefined ? 20 : 1;
      for (let attempt = 1;; attempt++) {
        const tcp = await adapter.listen({ transport: "tcp", hostname: host, port: plan.tcp });
        if (plan.udp === undefined || !plan.samePort) {
          listeners.push(tcp);
          break;
        }
        const port = (tcp.addr as { port: number }).port;
        try {
          datagrams.push(await adapter.bindDatagram({ ...UDP_BUFFERS, hostname: host, port }));
          listeners.push(tcp);
          break;
        } catch (error) {
          tcp.close();
          // Port 0: the port TCP picked is taken for UDP; pick again.
          if (attempt >= attempts || !(error instanceof NetError) || error.code !== "EADDRINUSE") {
            throw error;
          }
        }
      }
    }
    if (plan.udp !== undefined && datagrams.length === 0) {
      datagrams.push(
        await adapter.bindDatagram({ ...UDP_BUFFERS, hostname: host, port: plan.udp }),
      );
    }
    if (plan.unix !== undefined) {
      listeners.push(await adapter.listen({ transport: "unix", path: plan.unix }));
    }
  } catch (error) {
    closeAll();
    throw error;
  }
  return { listeners, datagrams };
}

function listeningRecord(addr: Listener["addr"]): ListeningRecord {
  if (addr.transport === "unix") return { type: "listening", transport: "unix", path: addr.path };
  return { type: "listening", transport: addr.transport, address: addr.hostname, port: addr.port };
}

class EchoServerImpl implements EchoServer {
  readonly listening: readonly ListeningRecord[];
  readonly done: Promise<ServeTotals>;
  readonly #options: EchoServerOptions;
  readonly #hooks: EchoServerHooks;
  readonly #listeners: Listener[];
  readonly #datagrams: DatagramSocket[];
  readonly #sessions = new Set<Session>();
  readonly #sessionDone = new Set<Promise<void>>();
  readonly #udpPeers = new Map<string, UdpPeer>();
  readonly #limits: FrameLimits;
  readonly #maxConns: number;
  readonly #idleMs: number;
  readonly #rules: ProgressRules;
  readonly #started = performance.now();
  readonly #sweeper: ReturnType<typeof setInterval>;
  #resolveDone!: (totals: ServeTotals) => void;
  #stopping: Promise<ServeTotals> | undefined;
  #acceptingClosed = false;
  #onceUsed = false;
  #connections = 0;
  #rejected = 0;
  #peak = 0;
  #datagramsServed = 0;
  #udpPeersSeen = 0;
  #bytesIn = 0;
  #bytesOut = 0;
  #protocolErrors = 0;
  #idleTimeouts = 0;
  #stalled = 0;
  #evicted = 0;
  /** The kernel's drop count of the UDP sockets, read when they close. */
  #udpDrops: number | undefined;

  constructor(
    options: EchoServerOptions,
    hooks: EchoServerHooks,
    listeners: Listener[],
    datagrams: DatagramSocket[],
  ) {
    this.#options = options;
    this.#hooks = hooks;
    this.#listeners = listeners;
    this.#datagrams = datagrams;
    this.#limits = {
      maxHeaderBytes: DEFAULT_FRAME_LIMITS.maxHeaderBytes,
      maxBodyBytes: options.maxFrameBytes ?? DEFAULT_FRAME_LIMITS.maxBodyBytes,
    };
    this.#maxConns = options.maxConns ?? 1024;
    this.#idleMs = options.idleTimeoutMs ?? 300_000;
    this.#rules = { ...DEFAULT_PROGRESS_RULES, ...options.progress };
    this.listening = [
      ...listeners.filter((l) => l.addr.transport === "tcp").map((l) => listeningRecord(l.addr)),
      ...datagrams.map((d) => listeningRecord(d.addr)),
      ...listeners.filter((l) => l.addr.transport === "unix").map((l) => listeningRecord(l.addr)),
    ];
    this.done = new Promise((resolve) => (this.#resolveDone = resolve));
    const shortest = Math.min(
      this.#idleMs,
      this.#rules.frameStallMs,
      this.#rules.progressWindowMs,
    );
    const tick = Math.max(10, Math.min(1000, Math.floor(shortest / 4)));
    this.#sweeper = setInterval(() => this.#sweep(), tick);
    for (const listener of listeners) void this.#acceptLoop(listener);
    for (const socket of datagrams) void this.#datagramLoop(socket);
  }

  get openConnections(): number {
    return this.#sessions.size;
  }

  bufferedBytes(): { total: number; largest: number } {
    let total = 0;
    let largest = 0;
    for (const s of this.#sessions) {
      const n = s.conn.bufferedBytes ?? 0;
      total += n;
      largest = Math.max(largest, n);
    }
    return { total, largest };
  }

  totals(): ServeTotals {
    const udpDrops = this.#datagrams.length > 0 ? this.#udpDropsNow() : undefined;
    return {
      type: "summary",
      connections: this.#connections,
      rejected: this.#rejected,
      peakConnections: this.#peak,
      datagrams: this.#datagramsServed,
      udpPeers: this.#udpPeersSeen,
      bytesIn: this.#bytesIn,
      bytesOut: this.#bytesOut,
      protocolErrors: this.#protocolErrors,
      idleTimeouts: this.#idleTimeouts,
      stalled: this.#stalled,
      evicted: this.#evicted,
      uptimeMs: Math.round(performance.now() - this.#started),
      ...(udpDrops !== undefined ? { udpDrops } : {}),
    };
  }

  /** The kernel's drop count over the UDP sockets (as read at close once they are closed). */
  #udpDropsNow(): number | undefined {
    if (this.#acceptingClosed) return this.#udpDrops;
    let sum: number | undefined;
    for (const d of this.#datagrams) {
      const n = d.receiveDrops();
      if (n !== undefined) sum = (sum ?? 0) + n;
    }
    return sum;
  }

  stop(): Promise<ServeTotals> {
    this.#stopping ??= this.#shutdown();
    return this.#stopping;
  }

  async #shutdown(): Promise<ServeTotals> {
    this.#closeAccepting();
    for (const s of this.#sessions) {
      s.end ??= "shutdown";
      s.conn.close();
    }
    if (this.#sessionDone.size > 0) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([
        Promise.allSettled([...this.#sessionDone]),
        new Promise((r) => (timer = setTimeout(r, SHUTDOWN_GRACE_MS))),
      ]);
      clearTimeout(timer);
    }
    for (const peer of this.#udpPeers.values()) this.#reportPeer(peer, "shutdown");
    this.#udpPeers.clear();
    clearInterval(this.#sweeper);
    const totals = this.totals();
    this.#resolveDone(totals);
    return totals;
  }

  #closeAccepting(): void {
    if (this.#acceptingClosed) return;
    this.#udpDrops = this.#udpDropsNow();
    this.#acceptingClosed = true;
    for (const l of this.#listeners) l.close();
    for (const d of this.#datagrams) d.close();
  }

  /** --once: the first client has arrived; stop taking others. */
  #takeOnce(): boolean {
    if (!this.#options.once) return true;
    if (this.#onceUsed) return false;
    this.#onceUsed = true;
    this.#closeAccepting();
    return true;
  }

  #sweep(): void {
    const now = performance.now();
    for (const s of this.#sessions) {
      if (s.end !== undefined) continue;
      s.progress.roll(now, this.#rules);
      if (now - s.lastActivity >= this.#idleMs) {
        s.end = "idle-timeout";
        this.#idleTimeouts++;
        s.conn.close();
      } else if (!s.writing && s.progress.stalled(now, this.#rules)) {
        this.#stall(s);
      }
    }
    for (const [key, peer] of this.#udpPeers) {
      if (now - peer.lastActivity >= this.#idleMs) {
        this.#udpPeers.delete(key);
        this.#idleTimeouts++;
        this.#reportPeer(peer, "idle-timeout");
      }
    }
  }

  async #acceptLoop(listener: Listener): Promise<void> {
    let warned = false;
    while (!this.#acceptingClosed) {
      let conn: Connection;
      try {
        conn = await listener.accept();
      } catch (error) {
        // The adapters accept again by themselves when one client reset before it was
        // accepted; what arrives here concerns the listener (no descriptor left, …): back off.
        if (this.#acceptingClosed) return;
        const code = error instanceof NetError ? error.code : "UNKNOWN";
        if (code === "CLOSED") return;
        if (!warned) {
          warned = true;
          this.#hooks.onWarning?.(
            `accept failed on ${formatAddress(listener.addr)}: ${(error as Error).message}`,
          );
        }
        await new Promise((r) => setTimeout(r, code === "EMFILE" ? 100 : 20));
        continue;
      }
      if (this.#acceptingClosed || !this.#takeOnce()) {
        conn.close();
        continue;
      }
      if (this.#sessions.size >= this.#maxConns && !this.#evictFor()) {
        this.#reject(conn);
        continue;
      }
      this.#startSession(conn);
    }
  }

  /**
   * Every slot is taken: closes the connection making the least progress, if it makes less
   * than the minimum ({@link SERVE_BOUNDS}); whether a slot was freed.
   */
  #evictFor(): boolean {
    const victim = pickEvictable(this.#sessions, performance.now(), this.#rules);
    if (!victim) return false;
    victim.end = "evicted";
    victim.error = `less than ${this.#rules.minProgressBytes} bytes in ${
      this.#rules.progressWindowMs / 1000
    }s while all ${this.#maxConns} slots were taken`;
    this.#evicted++;
    this.#sessions.delete(victim);
    victim.conn.close();
    return true;
  }

  /**
   * A frame stopped advancing: tells the client why in an error frame and half-closes; the
   * session's loop discards what still comes (closing on unread bytes would send a reset that
   * can destroy the error frame) until the client closes or {@link REJECT_WRITE_MS} passes.
   */
  #stall(session: Session): void {
    const r = this.#rules;
    session.end = "stalled";
    session.error = `frame stalled: less than ${r.frameProgressBytes} bytes in ${
      r.frameStallMs / 1000
    }s`;
    this.#stalled++;
    const { conn } = session;
    session.closeTimer = setTimeout(() => conn.close(), REJECT_WRITE_MS);
    conn.write(encodeFrame({ error: session.error }, new Uint8Array()))
      .then(() => conn.closeWrite())
      .catch(() => conn.close());
  }

  #reject(conn: Connection): void {
    this.#rejected++;
    const started = performance.now();
    const message = `too many connections (limit ${this.#maxConns}), try again later`;
    const bytes = this.#options.framed
      ? encodeFrame({ error: message }, new Uint8Array())
      : encoder.encode(`netdiag echo serve: ${message}\n`);
    const timer = setTimeout(() => conn.close(), REJECT_WRITE_MS);
    conn.write(bytes).then(() => conn.closeWrite()).catch(() => {}).finally(() => {
      clearTimeout(timer);
      conn.close();
      this.#hooks.onSession?.({
        type: "connection",
        transport: conn.remoteAddr.transport === "unix" ? "unix" : "tcp",
        peer: formatAddress(conn.remoteAddr),
        bytesIn: 0,
        bytesOut: bytes.length,
        messages: 0,
        durationMs: Math.round(performance.now() - started),
        end: "rejected",
        error: message,
      });
    });
  }

  #startSession(conn: Connection): void {
    const transport = conn.remoteAddr.transport === "unix" ? "unix" : "tcp";
    if (transport === "tcp") conn.setNoDelay(true);
    // Every write answers a read: a client that does not read its answers is not read either.
    conn.pauseReadsWhileWriting?.(true);
    const now = performance.now();
    const session: Session = {
      transport,
      peer: transport === "unix" ? formatAddress(conn.localAddr) : formatAddress(conn.remoteAddr),
      conn,
      started: now,
      progress: new Progress(now),
      lastActivity: now,
      bytesIn: 0,
      bytesOut: 0,
      messages: 0,
      writing: false,
    };
    this.#sessions.add(session);
    this.#connections++;
    this.#peak = Math.max(this.#peak, this.#sessions.size);
    const replier = createReplier(this.#options.mode ?? "echo", {
      prefix: this.#options.prefix,
      now: this.#options.now,
    });
    const run = this.#options.framed
      ? this.#serveFramed(session, replier)
      : this.#servePlain(session, replier);
    const done: Promise<void> = run.catch((error) => this.#failed(session, error)).finally(() => {
      clearTimeout(session.closeTimer);
      session.conn.close();
      this.#sessions.delete(session);
      this.#sessionDone.delete(done);
      this.#hooks.onSession?.({
        type: "connection",
        transport: session.transport,
        peer: session.peer,
        bytesIn: session.bytesIn,
        bytesOut: session.bytesOut,
        messages: session.messages,
        durationMs: Math.round(performance.now() - session.started),
        end: session.end ?? "closed",
        ...(session.error ? { error: session.error } : {}),
      });
      if (this.#options.once) void this.stop();
    });
    this.#sessionDone.add(done);
  }

  #failed(session: Session, error: unknown): void {
    if (session.end !== undefined) return; // closed by us: idle timeout or shutdown
    if (error instanceof NetError) {
      if (error.code === "CLOSED") {
        session.end = "closed";
        return;
      }
      session.end = error.code === "ECONNRESET" || error.code === "EPIPE" ? "reset" : "error";
      session.error = error.message;
      return;
    }
    session.end = "error";
    session.error = error instanceof Error ? error.message : String(error);
  }

  /** Plain mode: answer each read as it comes. */
  async #servePlain(session: Session, replier: Replier): Promise<void> {
    const { conn } = session;
    for (;;) {
      // Bytes as the runtime read them (Bun: its own buffer, no copy), answered before the next.
      const chunk = await conn.readChunk();
      if (chunk === null || session.end !== undefined) break;
      const n = chunk.length;
      session.lastActivity = performance.now();
      session.bytesIn += n;
      session.progress.windowBytes += n;
      this.#bytesIn += n;
      session.messages++;
      const reply = replyTo(replier, chunk);
      // The next read waits for the kernel to take this reply: a client that does not read its
      // echoes stops being read (and the adapter reads nothing ahead meanwhile).
      session.writing = true;
      await conn.write(reply);
      session.writing = false;
      session.lastActivity = performance.now();
      session.bytesOut += reply.length;
      this.#bytesOut += reply.length;
    }
    await this.#finish(session);
  }

  /** Framed mode: decode frames as they stream in, reply frame by frame. */
  async #serveFramed(session: Session, replier: Replier): Promise<void> {
    const { conn } = session;
    const decoder = new FrameDecoder(this.#limits);
    for (;;) {
      // The decoder keeps nothing of a chunk past the replies below, written before the next read.
      const chunk = await conn.readChunk();
      if (chunk === null) break;
      if (session.end !== undefined) {
        if (session.end === "stalled") continue; // discarded until closed, see #stall
        break;
      }
      const n = chunk.length;
      const now = session.lastActivity = performance.now();
      session.bytesIn += n;
      session.progress.windowBytes += n;
      this.#bytesIn += n;
      const events: FrameEvent[] = [];
      let failure: FrameError | undefined;
      try {
        decoder.pushInto(chunk, events);
      } catch (error) {
        if (!(error instanceof FrameError)) throw error;
        failure = error;
      }
      // Answer every frame that came before a bad one, then report the error.
      const parts: Uint8Array[] = [];
      const ended = session.messages;
      for (const event of events) {
        if (event.type === "header") {
          const { size, ...rest } = event.header;
          const head = replier.head();
          parts.push(encodeFrameHead(rest, head.length + size));
          if (head.length > 0) parts.push(head);
        } else if (event.type === "body") {
          parts.push(replier.body(event.chunk));
        } else {
          session.messages++;
        }
      }
      if (failure) {
        await this.#protocolError(session, failure, parts);
        return;
      }
      session.progress.framedRead(n, decoder.midFrame, session.messages > ended, now, this.#rules);
      if (parts.length > 0) {
        const reply = concatBytes(parts);
        session.writing = true;
        await conn.write(reply);
        session.writing = false;
        session.lastActivity = performance.now();
        session.bytesOut += reply.length;
        this.#bytesOut += reply.length;
      }
    }
    if (session.end !== undefined) return; // closed by us: idle, stalled, evicted, shutdown
    if (decoder.midFrame) {
      try {
        decoder.finish();
      } catch (error) {
        session.end = "truncated";
        session.error = (error as Error).message;
        this.#protocolErrors++;
        return;
      }
    }
    await this.#finish(session);
  }

  /** Sends what was answered before the bad frame, then an error frame, and closes. */
  async #protocolError(session: Session, error: FrameError, parts: Uint8Array[]): Promise<void> {
    session.end = "protocol-error";
    session.error = error.message;
    this.#protocolErrors++;
    parts.push(encodeFrame({ error: error.message }, new Uint8Array()));
    const reply = concatBytes(parts);
    try {
      await withTimeout(session.conn.write(reply), REJECT_WRITE_MS);
      session.bytesOut += reply.length;
      this.#bytesOut += reply.length;
      await session.conn.closeWrite();
    } catch { /* the client is gone; nothing more to tell it */ }
  }

  /** The client finished sending: finish ours too (half-close), then close. */
  async #finish(session: Session): Promise<void> {
    session.end ??= "closed";
    try {
      await session.conn.closeWrite();
    } catch { /* peer already gone */ }
  }

  async #datagramLoop(socket: DatagramSocket): Promise<void> {
    const framed = this.#options.framed ?? false;
    const replier = createReplier(this.#options.mode ?? "echo", {
      prefix: this.#options.prefix,
      now: this.#options.now,
    });
    const udpOnly = this.#listeners.length === 0;
    while (!this.#acceptingClosed) {
      let datagram;
      try {
        datagram = await socket.receive();
      } catch (error) {
        if (this.#acceptingClosed) return;
        if (error instanceof NetError && error.code === "CLOSED") return;
        continue; // an ICMP error for an earlier reply; keep serving
      }
      if (this.#options.once && udpOnly) {
        // Answer the first datagram before closing (takeOnce would close this socket).
        if (this.#onceUsed) return;
        this.#onceUsed = true;
      }
      const { data, from } = datagram;
      let reply: Uint8Array;
      let answered = 1;
      if (framed) {
        try {
          const frames = decodeFrames(data, this.#limits);
          answered = frames.length;
          reply = concatBytes(frames.map((f) => {
            const { size: _size, ...rest } = f.header;
            return encodeFrame(rest, replyTo(replier, f.body));
          }));
        } catch (error) {
          if (!(error instanceof FrameError)) throw error;
          this.#protocolErrors++;
          answered = 0;
          reply = encodeFrame({ error: error.message }, new Uint8Array());
        }
      } else {
        reply = replyTo(replier, data);
      }
      const sent = await this.#sendDatagram(socket, reply, from);
      this.#countDatagram(from, data.length, sent ? reply.length : 0, answered);
      if (this.#options.once && udpOnly) {
        void this.stop();
        return;
      }
    }
  }

  async #sendDatagram(socket: DatagramSocket, reply: Uint8Array, to: Endpoint): Promise<boolean> {
    if (reply.length > MAX_DATAGRAM) return false;
    try {
      await socket.send(reply, to);
      return true;
    } catch {
      return false; // e.g. the reply is too big for a datagram, or the socket closed
    }
  }

  #countDatagram(from: Endpoint, bytesIn: number, bytesOut: number, messages: number): void {
    this.#datagramsServed++;
    this.#bytesIn += bytesIn;
    this.#bytesOut += bytesOut;
    const key = formatAddress(from);
    const now = performance.now();
    let peer = this.#udpPeers.get(key);
    if (!peer) {
      if (this.#udpPeers.size >= MAX_UDP_PEERS) {
        const [oldestKey, oldest] = this.#udpPeers.entries().next().value!;
        this.#udpPeers.delete(oldestKey);
        this.#reportPeer(oldest, "idle-timeout");
      }
      peer = { peer: key, started: now, lastActivity: now, bytesIn: 0, bytesOut: 0, messages: 0 };
      this.#udpPeers.set(key, peer);
      this.#udpPeersSeen++;
    }
    peer.lastActivity = now;
    peer.bytesIn += bytesIn;
    peer.bytesOut += bytesOut;
    peer.messages += messages;
  }

  #reportPeer(peer: UdpPeer, end: SessionEnd): void {
    this.#hooks.onSession?.({
      type: "connection",
      transport: "udp",
      peer: peer.peer,
      bytesIn: peer.bytesIn,
      bytesOut: peer.bytesOut,
      messages: peer.messages,
      durationMs: Math.round(peer.lastActivity - peer.started),
      end,
    });
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error("timed out")), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}
