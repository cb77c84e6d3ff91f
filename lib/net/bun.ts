/**
 * The socket adapter on Bun's own sockets: TCP and Unix streams over Bun.listen / Bun.connect,
 * which take about half the CPU per read and write of node:net on Bun (measured on echo ping-pong:
 * 0.25 s against 0.5 s of user time for 20,000 round trips); UDP over Bun.udpSocket (bun_udp.ts,
 * node:dgram where that cannot do what is asked). Probe connects are node.ts's. A Bun.connect
 * cannot be cancelled: at its deadline or abort the attempt is reported and abandoned, and its
 * socket is closed if it opens later (the kernel gives up on an unanswered SYN within minutes;
 * netdiag's process exits before that).
 * @module
 */
import { bindBunDatagram } from "./bun_udp.ts";
import { streamAddress, unwrapHost } from "./endpoint_text.ts";
import { lazyNodeAdapter } from "./node_lazy.ts";
import { type BunSocket, BunStream } from "./bun_stream.ts";
import { explainUnixConnectError } from "./unix_connect_error.ts";
import { listenUnix, removeSocketFile } from "./unix_listen.ts";
import {
  type Connection,
  type ConnectOptions,
  formatAddress,
  type Listener,
  type ListenOptions,
  type NetAdapter,
  NetError,
  type ProbeConnectOptions,
  type ProbeConnectOutcome,
  type SocketAddress,
  toNetError,
} from "./types.ts";

const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;

/** Socket callbacks, shared by every socket: the state lives in `socket.data`. */
interface BunHandlers {
  open(socket: BunSocket): void;
  data(socket: BunSocket, chunk: Uint8Array): void;
  drain(socket: BunSocket): void;
  end(socket: BunSocket): void;
  close(socket: BunSocket, error?: Error): void;
  error(socket: BunSocket, error: Error): void;
  connectError?(socket: BunSocket, error: Error): void;
}

interface BunListener {
  readonly port?: number;
  readonly hostname?: string;
  stop(closeActive?: boolean): void;
}

interface BunApi {
  connect(options: Record<string, unknown>): Promise<BunSocket>;
  listen(options: Record<string, unknown>): BunListener;
}

function bunApi(): BunApi {
  const bun = (globalThis as { Bun?: BunApi }).Bun;
  if (!bun) throw new Error("the bun socket adapter needs the Bun runtime");
  return bun;
}

/** A Bun.connect in flight: settles once, then hands its socket a {@link BunStream}. */
class PendingConnect {
  done = false;

  constructor(
    readonly unixPath: string | undefined,
    readonly resolve: (conn: Connection) => void,
    readonly reject: (error: Error) => void,
    readonly where: string,
    readonly cleanup: () => void,
  ) {}
}

const HANDLERS: BunHandlers = {
  open(socket) {
    const state = socket.data;
    if (!(state instanceof PendingConnect)) return; // accepted: the listener set it up
    if (state.done) {
      socket.terminate(); // abandoned at its deadline or abort
      return;
    }
    state.done = true;
    state.cleanup();
    const stream = new BunStream(socket, state.unixPath);
    socket.data = stream;
    state.resolve(stream);
  },
  data(socket, chunk) {
    const state = socket.data;
    if (state instanceof BunStream) state.onData(chunk);
  },
  drain(socket) {
    const state = socket.data;
    if (state instanceof BunStream) state.onDrain();
  },
  end(socket) {
    const state = socket.data;
    if (state instanceof BunStream) state.onEnd();
  },
  close(socket, error) {
    const state = socket.data;
    if (state instanceof BunStream) state.onClose(error);
  },
  error(socket, error) {
    const state = socket.data;
    if (state instanceof BunStream) state.onEnd(error);
  },
  connectError(socket, error) {
    const state = socket.data;
    if (!(state instanceof PendingConnect) || state.done) return;
    state.done = true;
    state.cleanup();
    const e = toNetError(error, "connect", state.where);
    state.reject(state.unixPath === undefined ? e : explainUnixConnectError(e, state.unixPath));
  },
};

/** Bun.connect's promise rejects as well as calling connectError: the handler suffices. */
const ignore = () => {};

function connect(options: ConnectOptions): Promise<Connection> {
  const unixPath = options.transport === "unix" ? options.path : undefined;
  const where = streamAddress(options);
  if (options.signal?.aborted) return Promise.reject(new NetError("ABORTED", "connect", where));
  return new Promise((resolve, reject) => {
    const giveUp = (error: NetError) => {
      if (pending.done) return;
      pending.done = true;
      cleanup();
      reject(error);
    };
    const onAbort = () => giveUp(new NetError("ABORTED", "connect", where));
    const timer = setTimeout(
      () => giveUp(new NetError("ETIMEDOUT", "connect", where)),
      options.timeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
    );
    const cleanup = () => {
      clearTimeout(timer);
      options.signal?.removeEventListener("abort", onAbort);
    };
    const pending = new PendingConnect(unixPath, resolve, reject, where, cleanup);
    options.signal?.addEventListener("abort", onAbort, { once: true });
    const target = options.transport === "unix"
      ? { unix: options.path }
      : { hostname: unwrapHost(options.hostname), port: options.port };
    try {
      bunApi().connect({ ...target, allowHalfOpen: true, data: pending, socket: HANDLERS })
        .catch(ignore);
    } catch (error) {
      // Bun throws at once for some failures (an invalid address, no descriptor left).
      const e = toNetError(error, "connect", where);
      giveUp(unixPath === undefined ? e : explainUnixConnectError(e, unixPath));
    }
  });
}

function listen(options: ListenOptions): Promise<Listener> {
  if (options.transport === "tcp") return listenOnce(options);
  return listenUnix(options.path, { listen: () => listenOnce(options), connect });
}

/**
 * Listens once; a Unix path already taken fails with EADDRINUSE (see {@link listenUnix}). A
 * client that resets before it is accepted arrives as a connection whose reads end at once.
 */
function listenOnce(options: ListenOptions): Promise<Listener> {
  const unixPath = options.transport === "unix" ? options.path : undefined;
  const where = streamAddress(options);
  const ready: Connection[] = [];
  const waiters: { resolve(c: Connection): void; reject(e: Error): void }[] = [];
  let closed = false;
  const handlers: BunHandlers = {
    ...HANDLERS,
    open(socket) {
      if (closed) {
        socket.terminate();
        return;
      }
      const stream = new BunStream(socket, unixPath);
      socket.data = stream;
      if (unixPath === undefined) socket.setNoDelay(true);
      const waiter = waiters.shift();
      if (waiter) waiter.resolve(stream);
      else ready.push(stream);
    },
  };
  let server: BunListener;
  try {
    server = bunApi().listen(
      options.transport === "unix"
        ? { unix: options.path, allowHalfOpen: true, socket: handlers }
        : {
          hostname: unwrapHost(options.hostname),
          port: options.port,
          allowHalfOpen: true,
          socket: handlers,
        },
    );
  } catch (error) {
    return Promise.reject(toNetError(error, "listen", where));
  }
  const addr: SocketAddress = unixPath !== undefined ? { transport: "unix", path: unixPath } : {
    transport: "tcp",
    hostname: server.hostname ?? unwrapHost((options as { hostname: string }).hostname),
    port: server.port ?? 0,
  };
  return Promise.resolve({
    addr,
    accept() {
      if (closed) return Promise.reject(new NetError("CLOSED", "listen", formatAddress(addr)));
      const conn = ready.shift();
      if (conn) return Promise.resolve(conn);
      return new Promise((resolve, reject) => waiters.push({ resolve, reject }));
    },
    close() {
      if (closed) return;
      closed = true;
      // Connections already accepted stay open: their owners close them.
      server.stop(false);
      if (unixPath !== undefined) removeSocketFile(unixPath);
      for (const w of waiters.splice(0)) {
        w.reject(new NetError("CLOSED", "listen", formatAddress(addr)));
      }
      for (const c of ready.splice(0)) c.close();
    },
  });
}

/** The Bun implementation of {@link NetAdapter}: Bun's sockets for streams and UDP. */
export const bunAdapter: NetAdapter = {
  name: "bun",
  connect,
  listen,
  bindDatagram: bindBunDatagram,
  probeConnect: (options: ProbeConnectOptions): Promise<ProbeConnectOutcome> =>
    lazyNodeAdapter().then((node) => node.probeConnect(options)),
  // node.ts probes with Bun.connect, which always exists here: its sockets may linger.
  probeSocketsLinger: true,
};
