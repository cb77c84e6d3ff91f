/**
 * The socket adapter on node:net and node:dgram. On Bun, `bun.ts` takes its probe connects from
 * here, and the UDP sockets Bun.udpSocket cannot make (see `bun_udp.ts`). Also loads under Deno's
 * node compatibility layer, so the contract tests run it on both runtimes. Probe connects use
 * Bun.connect where it exists, more than twice as fast as node:net, see {@link probeConnect}.
 * @module
 */
import { createSocket, type Socket as UdpSocket } from "node:dgram";
import { isIPv6 } from "node:net";
import { createConnection, createServer, type Server, type Socket } from "node:net";
import {
  type Connection,
  type ConnectOptions,
  type DatagramOptions,
  type DatagramSocket,
  type Endpoint,
  formatAddress,
  type Listener,
  type ListenOptions,
  type NetAdapter,
  NetError,
  type ProbeConnectOptions,
  type ProbeConnectOutcome,
  type SocketAddress,
  toNetError,
  toNetErrorCode,
} from "./types.ts";
import { sameEndpoint, streamAddress, unwrapHost } from "./endpoint_text.ts";
import { DeadlineSweep, type Expiring } from "./deadline_sweep.ts";
import { ReceiveQueue } from "./receive_queue.ts";
import { DatagramInbox } from "./datagram_inbox.ts";
import { explainUnixConnectError } from "./unix_connect_error.ts";
import { listenUnix, removeSocketFile } from "./unix_listen.ts";
import { totalReceiveDrops } from "./udp_drops.ts";

const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;

function socketAddresses(socket: Socket, unixPath?: string) {
  if (unixPath !== undefined) {
    const addr: SocketAddress = { transport: "unix", path: unixPath };
    return { local: addr, remote: addr };
  }
  return {
    local: {
      transport: "tcp",
      hostname: socket.localAddress ?? "",
      port: socket.localPort ?? 0,
    } as SocketAddress,
    remote: {
      transport: "tcp",
      hostname: socket.remoteAddress ?? "",
      port: socket.remotePort ?? 0,
    } as SocketAddress,
  };
}

/** Turns node's push-style socket into netdiag's pull-style {@link Connection}. */
function wrapSocket(socket: Socket, unixPath?: string): Connection {
  const { local, remote } = socketAddresses(socket, unixPath);
  const where = formatAddress(remote);
  const received = new ReceiveQueue(socket);
  let closed = false;
  let draining = false;
  let holdWhileWriting = false;
  socket.on("data", (chunk: Uint8Array) => received.push(chunk));
  socket.on("end", () => received.end());
  socket.on("error", (error) => received.end(toNetError(error, "read", where)));
  socket.on("close", () => received.end());

  return {
    localAddr: local,
    remoteAddr: remote,
    read: (buffer) => received.read(buffer),
    readChunk: () => received.readChunk(),
    write(data) {
      if (closed || socket.destroyed) return Promise.reject(new NetError("CLOSED", "write", where));
      return new Promise((resolve, reject) => {
        const drained = socket.write(
          data,
          (error) => error ? reject(toNetError(error, "write", where)) : resolve(),
        );
        // The peer is not taking what it is sent: read no more from it until it does.
        if (!drained && !draining) {
          draining = true;
          if (holdWhileWriting) received.hold(true);
          socket.once("drain", () => {
            draining = false;
            received.hold(false);
          });
        }
      });
    },
    closeWrite() {
      if (closed || socket.destroyed || socket.writableEnded) return Promise.resolve();
      return new Promise((resolve) => socket.end(() => resolve()));
    },
    close() {
      if (closed) return;
      closed = true;
      socket.destroy();
      received.close();
    },
    setNoDelay(noDelay) {
      if (unixPath === undefined) socket.setNoDelay(noDelay);
    },
    get bufferedBytes() {
      return received.queued + socket.writableLength;
    },
    pauseReadsWhileWriting(on) {
      holdWhileWriting = on;
      received.hold(on && draining);
    },
  };
}

function connect(options: ConnectOptions): Promise<Connection> {
  const unixPath = options.transport === "unix" ? options.path : undefined;
  const where = streamAddress(options);
  if (options.signal?.aborted) return Promise.reject(new NetError("ABORTED", "connect", where));
  return new Promise((resolve, reject) => {
    const socket = options.transport === "unix"
      ? createConnection({ path: options.path, allowHalfOpen: true })
      : createConnection({
        host: unwrapHost(options.hostname),
        port: options.port,
        allowHalfOpen: true,
        noDelay: true,
      });
    const fail = (error: NetError) => {
      cleanup();
      socket.destroy();
      reject(error);
    };
    const onAbort = () => fail(new NetError("ABORTED", "connect", where));
    const timer = setTimeout(
      () => fail(new NetError("ETIMEDOUT", "connect", where)),
      options.timeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
    );
    const onError = (error: Error) => {
      const e = toNetError(error, "connect", where);
      fail(unixPath === undefined ? e : explainUnixConnectError(e, unixPath));
    };
    const onConnect = () => {
      cleanup();
      resolve(wrapSocket(socket, unixPath));
    };
    const cleanup = () => {
      clearTimeout(timer);
      options.signal?.removeEventListener("abort", onAbort);
      socket.off("error", onError);
      socket.off("connect", onConnect);
    };
    options.signal?.addEventListener("abort", onAbort, { once: true });
    socket.once("error", onError);
    socket.once("connect", onConnect);
  });
}

function listen(options: ListenOptions): Promise<Listener> {
  if (options.transport === "tcp") return listenOnce(options);
  return listenUnix(options.path, { listen: () => listenOnce(options), connect });
}

/**
 * Listens once; a Unix path already taken fails with EADDRINUSE (see {@link listenUnix}). A
 * client that resets before it is accepted arrives as a connection whose first read fails: the
 * listener never sees an error for it.
 */
function listenOnce(options: ListenOptions): Promise<Listener> {
  const where = streamAddress(options);
  const unixPath = options.transport === "unix" ? options.path : undefined;
  return new Promise((resolve, reject) => {
    const server: Server = createServer({ allowHalfOpen: true, noDelay: true });
    const ready: Connection[] = [];
    const waiters: { resolve(c: Connection): void; reject(e: Error): void }[] = [];
    let closed = false;
    server.on("connection", (socket: Socket) => {
      const conn = wrapSocket(socket, unixPath);
      const waiter = waiters.shift();
      if (waiter) waiter.resolve(conn);
      else ready.push(conn);
    });
    server.once("error", (error) => reject(toNetError(error, "listen", where)));
    const onListening = () => {
      const a = server.address();
      const addr: SocketAddress = unixPath !== undefined || typeof a === "string" || !a
        ? { transport: "unix", path: unixPath ?? String(a) }
        : { transport: "tcp", hostname: a.address, port: a.port };
      server.on("error", () => {});
      resolve({
        addr,
        accept() {
          if (closed) return Promise.reject(new NetError("CLOSED", "listen", formatAddress(addr)));
          const conn = ready.shift();
          if (conn) return Promise.resolve(conn);
          return new Promise((res, rej) => waiters.push({ resolve: res, reject: rej }));
        },
        close() {
          if (closed) return;
          closed = true;
          server.close();
          if (unixPath !== undefined) removeSocketFile(unixPath);
          for (const w of waiters.splice(0)) {
            w.reject(new NetError("CLOSED", "listen", formatAddress(addr)));
          }
          for (const c of ready.splice(0)) c.close();
        },
      });
    };
    if (options.transport === "unix") server.listen(options.path, onListening);
    else server.listen(options.port, unwrapHost(options.hostname), 511, onListening);
  });
}

function bindDatagram(options: DatagramOptions): Promise<DatagramSocket> {
  const host = unwrapHost(options.hostname);
  const where = formatAddress({ hostname: host, port: options.port });
  return new Promise((resolve, reject) => {
    const socket: UdpSocket = createSocket({
      type: isIPv6(host) ? "udp6" : "udp4",
      // Bun sets these; Deno's node:dgram accepts them and changes nothing.
      ...(options.receiveBufferBytes ? { recvBufferSize: options.receiveBufferBytes } : {}),
      ...(options.sendBufferBytes ? { sendBufferSize: options.sendBufferBytes } : {}),
    });
    let self = where;
    const inbox = new DatagramInbox(() => self);
    const onBindError = (error: Error) => {
      socket.close();
      reject(toNetError(error, "bind", where));
    };
    socket.once("error", onBindError);
    socket.on("message", (data: Uint8Array, rinfo) => {
      inbox.deliver({
        data: new Uint8Array(data),
        from: { hostname: rinfo.address, port: rinfo.port },
      });
    });
    socket.bind(options.port, host, () => {
      socket.off("error", onBindError);
      socket.on("error", (error) => {
        const peer = options.connect ? formatAddress(options.connect) : self;
        inbox.fail(toNetError(error, "receive", peer));
      });
      const a = socket.address();
      self = formatAddress({ hostname: a.address, port: a.port });
      const api = datagramApi(socket, inbox, options, a);
      if (!options.connect) return resolve(api);
      socket.connect(
        options.connect.port,
        unwrapHost(options.connect.hostname),
        () => resolve(api),
      );
    });
  });
}

/** The {@link DatagramSocket} over a bound node:dgram socket. */
function datagramApi(
  socket: UdpSocket,
  inbox: DatagramInbox,
  options: DatagramOptions,
  bound: { address: string; port: number },
): DatagramSocket {
  const addr: SocketAddress = { transport: "udp", hostname: bound.address, port: bound.port };
  const self = formatAddress(addr);
  let closed = false;
  return {
    addr,
    // Bun surfaces ICMP port-unreachable on a connected socket; Deno's node:dgram does not.
    reportsUnreachable: options.connect !== undefined && !("Deno" in globalThis),
    send(data: Uint8Array, to?: Endpoint) {
      const peer = to ?? options.connect;
      if (!peer) return Promise.reject(new NetError("EINVAL", "send", self));
      const target = formatAddress(peer);
      if (closed) return Promise.reject(new NetError("CLOSED", "send", target));
      const connected = options.connect;
      const toPeer = connected !== undefined && (!to || sameEndpoint(to, connected));
      // A connected socket sends to its peer only (node:dgram throws for an address given).
      if (connected && !toPeer) return Promise.reject(new NetError("EINVAL", "send", target));
      return new Promise((res, rej) => {
        const done = (error: Error | null) =>
          error ? rej(toNetError(error, "send", target)) : res();
        if (toPeer) socket.send(data, done);
        else socket.send(data, peer.port, unwrapHost(peer.hostname), done);
      });
    },
    receive: (signal) => inbox.receive(signal),
    receiveDrops: () => totalReceiveDrops(bound, inbox.drops),
    close() {
      if (closed) return;
      closed = true;
      socket.close();
      inbox.close();
    },
  };
}

/** The part of Bun's socket API that probes use (Bun's types are not a dependency). */
interface BunSocket {
  readonly localPort: number;
  data: BunProbe;
  end(): void;
}
interface BunConnectOptions {
  readonly hostname: string;
  readonly port: number;
  readonly data: BunProbe;
  readonly socket: {
    open(socket: BunSocket): void;
    data(socket: BunSocket, chunk: Uint8Array): void;
    connectError(socket: BunSocket, error: { code?: string }): void;
  };
}
type BunConnect = (options: BunConnectOptions) => Promise<BunSocket>;

const bunConnect: BunConnect | undefined = (() => {
  const bun = (globalThis as { Bun?: { connect?: BunConnect } }).Bun;
  return typeof bun?.connect === "function" ? bun.connect.bind(bun) : undefined;
})();

/**
 * Bun.connect probes whose connect has not settled yet: in flight, or abandoned at their
 * deadline (each holds a descriptor until the kernel gives up on it, about two minutes for an
 * unanswered SYN). Never more than the callers' `lingerLimit`.
 */
let bunUnsettled = 0;

/** The deadlines of the probe connects in flight, behind one timer. */
const probeDeadlines = new DeadlineSweep();

/** One Bun.connect probe; it is also the socket's `data`, so the handlers below are shared. */
class BunProbe implements Expiring {
  readonly deadline: number;
  /** The outcome was delivered (an answer, or the timeout: then the connect runs on). */
  done = false;
  /** The runtime reported the connect's end (opened or failed). */
  settled = false;

  constructor(
    readonly started: number,
    timeoutMs: number,
    readonly resolve: (outcome: ProbeConnectOutcome) => void,
  ) {
    this.deadline = started + timeoutMs;
  }

  expire(): void {
    if (this.done) return;
    this.done = true;
    this.resolve({ ok: false, code: "ETIMEDOUT", latencyMs: performance.now() - this.started });
  }

  /** The runtime settled the connect (opened or failed); false when the outcome was given. */
  settle(): boolean {
    if (this.settled) return false;
    this.settled = true;
    bunUnsettled--;
    if (this.done) return false;
    this.done = true;
    probeDeadlines.delete(this);
    return true;
  }
}

const BUN_PROBE_HANDLERS: BunConnectOptions["socket"] = {
  open(socket) {
    const probe = socket.data;
    const localPort = socket.localPort;
    socket.end();
    if (!probe.settle()) return;
    probe.resolve({ ok: true, localPort, latencyMs: performance.now() - probe.started });
  },
  data() {},
  connectError(socket, error) {
    const probe = socket.data;
    if (!probe.settle()) return;
    probe.resolve(failure(error?.code, performance.now() - probe.started));
  },
};

/** Bun.connect's promise rejects as well as calling connectError: the handler suffices. */
const ignore = () => {};

function failure(systemCode: string | undefined, latencyMs: number): ProbeConnectOutcome {
  const code = toNetErrorCode(systemCode);
  return systemCode === undefined || systemCode === code
    ? { ok: false, code, latencyMs }
    : { ok: false, code, systemCode, latencyMs };
}

function bunProbe(bun: BunConnect, options: ProbeConnectOptions): Promise<ProbeConnectOutcome> {
  return new Promise((resolve) => {
    const probe = new BunProbe(performance.now(), options.timeoutMs, resolve);
    probeDeadlines.add(probe);
    bunUnsettled++;
    try {
      bun({
        hostname: unwrapHost(options.hostname),
        port: options.port,
        data: probe,
        socket: BUN_PROBE_HANDLERS,
      }).catch(ignore);
    } catch (error) {
      // Bun throws at once for some failures (an invalid address, no descriptor left).
      if (!probe.settle()) return;
      resolve(failure((error as { code?: string })?.code, performance.now() - probe.started));
    }
  });
}

/** A probe connect over node:net: destroyed at its deadline, which releases its socket. */
function nodeProbe(options: ProbeConnectOptions): Promise<ProbeConnectOutcome> {
  return new Promise((resolve) => {
    const started = performance.now();
    let done = false;
    const finish = (outcome: ProbeConnectOutcome) => {
      if (done) return;
      done = true;
      probeDeadlines.delete(entry);
      socket.destroy();
      resolve(outcome);
    };
    const entry: Expiring = {
      deadline: started + options.timeoutMs,
      expire: () =>
        finish({ ok: false, code: "ETIMEDOUT", latencyMs: performance.now() - started }),
    };
    let socket: Socket;
    try {
      socket = createConnection({ host: unwrapHost(options.hostname), port: options.port });
    } catch (error) {
      // An invalid address throws at once: still an outcome, never a rejection.
      const code = (error as { code?: string })?.code;
      resolve(failure(code, performance.now() - started));
      return;
    }
    probeDeadlines.add(entry);
    socket.on("error", (error: Error & { code?: string }) => {
      finish(failure(error.code, performance.now() - started));
    });
    socket.once("connect", () => {
      const latencyMs = performance.now() - started;
      finish({ ok: true, localPort: socket.localPort ?? 0, latencyMs });
    });
  });
}

/**
 * A probe connect. On Bun it uses Bun.connect, which cannot be cancelled: at the deadline the
 * attempt is reported and abandoned (its socket is closed if it opens later). Such sockets are
 * bounded by `lingerLimit`: a Bun.connect probe starts only while fewer than that many are
 * unsettled (in flight or abandoned), else the probe uses node:net, whose connect is destroyed at
 * the deadline. Where Bun is absent (Deno running this adapter) it always uses node:net.
 */
function probeConnect(options: ProbeConnectOptions): Promise<ProbeConnectOutcome> {
  return bunConnect && bunUnsettled < (options.lingerLimit ?? 0)
    ? bunProbe(bunConnect, options)
    : nodeProbe(options);
}

/** The node:net / node:dgram implementation of {@link NetAdapter} (Bun's adapter). */
export const nodeAdapter: NetAdapter = {
  name: "node",
  connect,
  listen,
  bindDatagram,
  probeConnect,
  probeSocketsLinger: bunConnect !== undefined,
};
