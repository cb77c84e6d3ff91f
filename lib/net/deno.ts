/**
 * The socket adapter on Deno's native API: Deno.connect (cancelled through an AbortSignal),
 * Deno.listen and Deno.listenDatagram (which needs `--unstable-net`).
 * @module
 */
import {
  type Connection,
  type ConnectOptions,
  type Datagram,
  type DatagramOptions,
  type DatagramSocket,
  type Endpoint,
  formatAddress,
  type Listener,
  type ListenOptions,
  type NetAdapter,
  NetError,
  type NetErrorCode,
  type NetOperation,
  type ProbeConnectOptions,
  type ProbeConnectOutcome,
  type SocketAddress,
  toNetErrorCode,
} from "./types.ts";
import { DeadlineSweep } from "./deadline_sweep.ts";
import { isConnectionAcceptError } from "./accept_error.ts";
import { explainUnixConnectError } from "./unix_connect_error.ts";
import { listenUnix } from "./unix_listen.ts";
import { udpReceiveDrops } from "./udp_drops.ts";

const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;

function toNetError(error: unknown, operation: NetOperation, address: string): NetError {
  if (error instanceof NetError) return error;
  const e = error as { code?: string; name?: string };
  return new NetError(errorCode(e), operation, address, {
    cause: error,
    systemCode: e?.code ?? e?.name,
  });
}

/** The {@link NetErrorCode} of a Deno error: its errno `code`, else its class name. */
function errorCode(e: { code?: string; name?: string } | undefined): NetErrorCode {
  let code = toNetErrorCode(e?.code);
  if (code === "UNKNOWN") {
    switch (e?.name) {
      case "ConnectionRefused":
        code = "ECONNREFUSED";
        break;
      case "ConnectionReset":
        code = "ECONNRESET";
        break;
      case "BrokenPipe":
        code = "EPIPE";
        break;
      case "TimedOut":
        code = "ETIMEDOUT";
        break;
      case "AddrInUse":
        code = "EADDRINUSE";
        break;
      case "AddrNotAvailable":
        code = "EADDRNOTAVAIL";
        break;
      case "NotFound":
        code = "ENOENT";
        break;
      case "NotADirectory":
        code = "ENOTDIR";
        break;
      case "PermissionDenied":
      case "NotCapable":
        code = "EACCES";
        break;
      case "BadResource":
      case "Interrupted":
        code = "CLOSED";
        break;
      case "AbortError":
        code = "ABORTED";
        break;
    }
  }
  return code;
}

function fromDenoAddr(addr: Deno.Addr): SocketAddress {
  if (addr.transport === "unix" || addr.transport === "unixpacket") {
    // Deno reports a Unix client's (unnamed) address with a null path.
    return { transport: "unix", path: addr.path ?? "" };
  }
  const net = addr as Deno.NetAddr;
  return {
    transport: net.transport === "udp" ? "udp" : "tcp",
    hostname: net.hostname,
    port: net.port,
  };
}

/** `readChunk` starts with a buffer this small (idle connections stay cheap)… */
const FIRST_CHUNK_BUFFER = 512;
/** …and grows it fourfold whenever a read fills half of it or more, up to this. */
const MAX_CHUNK_BUFFER = 256 * 1024;

function wrapConn(conn: Deno.Conn): Connection {
  let closed = false;
  const remote = fromDenoAddr(conn.remoteAddr);
  const where = formatAddress(remote);
  let chunkBuffer: Uint8Array | undefined;
  /** Bytes of the write in progress the kernel has not taken yet (Deno reads nothing ahead). */
  let unsent = 0;
  const read = async (buffer: Uint8Array): Promise<number | null> => {
    if (closed) return null;
    try {
      return await conn.read(buffer);
    } catch (error) {
      if (closed) return null;
      throw toNetError(error, "read", where);
    }
  };
  return {
    localAddr: fromDenoAddr(conn.localAddr),
    remoteAddr: remote,
    read,
    async readChunk() {
      let buffer = chunkBuffer ??= new Uint8Array(FIRST_CHUNK_BUFFER);
      const n = await read(buffer);
      if (n === null) return null;
      const chunk = buffer.subarray(0, n);
      // A read that fills half the buffer or more means data is streaming: read bigger pieces
      // next time (waiting for a read that fills it exactly can stall the growth for good).
      if (n * 2 >= buffer.length && buffer.length < MAX_CHUNK_BUFFER) {
        chunkBuffer = buffer = new Uint8Array(Math.min(buffer.length * 4, MAX_CHUNK_BUFFER));
      }
      return chunk;
    },
    async write(data) {
      if (closed) throw new NetError("CLOSED", "write", where);
      try {
        let off = 0;
        while (off < data.length) {
          unsent = data.length - off;
          off += await conn.write(data.subarray(off));
        }
      } catch (error) {
        throw toNetError(error, "write", where);
      } finally {
        unsent = 0;
      }
    },
    async closeWrite() {
      if (closed) return;
      try {
        await conn.closeWrite();
      } catch (error) {
        // Closing the write side of a connection the peer already reset is not worth an error.
        const e = toNetError(error, "write", where);
        if (e.code !== "ENOTSOCK" && e.code !== "ECONNRESET" && e.code !== "UNKNOWN") throw e;
      }
    },
    close() {
      if (closed) return;
      closed = true;
      try {
        conn.close();
      } catch { /* already closed by the runtime */ }
    },
    setNoDelay(noDelay) {
      if ("setNoDelay" in conn) (conn as Deno.TcpConn).setNoDelay(noDelay);
    },
    get bufferedBytes() {
      return unsent;
    },
    pauseReadsWhileWriting() {
      // Deno reads only when asked: nothing is read ahead of a pending write.
    },
  };
}

async function connect(options: ConnectOptions): Promise<Connection> {
  const where = formatAddress(
    options.transport === "unix" ? { transport: "unix", path: options.path } : {
      transport: "tcp",
      hostname: options.hostname,
      port: options.port,
    },
  );
  const timeoutMs = options.timeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
  const timeout = new AbortController();
  const timer = setTimeout(() => timeout.abort(), timeoutMs);
  const signal = options.signal
    ? AbortSignal.any([options.signal, timeout.signal])
    : timeout.signal;
  try {
    if (options.signal?.aborted) throw new NetError("ABORTED", "connect", where);
    const conn = options.transport === "unix"
      ? await abortable(Deno.connect({ transport: "unix", path: options.path }), signal)
      : await Deno.connect({
        transport: "tcp",
        hostname: options.hostname,
        port: options.port,
        signal,
      });
    if (signal.aborted) {
      conn.close();
      throw new Error("aborted");
    }
    return wrapConn(conn);
  } catch (error) {
    if (options.signal?.aborted) throw new NetError("ABORTED", "connect", where, { cause: error });
    if (timeout.signal.aborted) throw new NetError("ETIMEDOUT", "connect", where, { cause: error });
    const e = toNetError(error, "connect", where);
    throw options.transport === "unix" ? explainUnixConnectError(e, options.path) : e;
  } finally {
    clearTimeout(timer);
  }
}

/** Races a promise against a signal (for Unix connects, which take no signal). */
function abortable<T extends { close(): void }>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      reject(new DOMException("aborted", "AbortError"));
      p.then((c) => c.close(), () => {});
    };
    signal.addEventListener("abort", onAbort, { once: true });
    p.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}

function listen(options: ListenOptions): Promise<Listener> {
  if (options.transport === "tcp") return listenOnce(options);
  return listenUnix(options.path, { listen: () => listenOnce(options), connect });
}

/** Listens once; a Unix path already taken fails with EADDRINUSE (see {@link listenUnix}). */
function listenOnce(options: ListenOptions): Promise<Listener> {
  const where = formatAddress(
    options.transport === "unix"
      ? { transport: "unix", path: options.path }
      : { transport: "tcp", hostname: options.hostname, port: options.port },
  );
  let listener: Deno.Listener;
  try {
    listener = options.transport === "unix"
      ? Deno.listen({ transport: "unix", path: options.path })
      : Deno.listen({ transport: "tcp", hostname: options.hostname, port: options.port });
  } catch (error) {
    return Promise.reject(toNetError(error, "listen", where));
  }
  let closed = false;
  const addr = fromDenoAddr(listener.addr);
  return Promise.resolve({
    addr,
    async accept() {
      for (;;) {
        if (closed) throw new NetError("CLOSED", "listen", formatAddress(addr));
        try {
          return wrapConn(await listener.accept());
        } catch (error) {
          if (closed) throw new NetError("CLOSED", "listen", formatAddress(addr), { cause: error });
          // A client that reset before it was accepted is its own problem: take the next one.
          if (isConnectionAcceptError(error)) continue;
          throw toNetError(error, "listen", formatAddress(addr));
        }
      }
    },
    close() {
      if (closed) return;
      closed = true;
      try {
        listener.close();
      } catch { /* already closed */ }
      if (options.transport === "unix") removeSocketFile(options.path);
    },
  });
}

/** Removes a Unix listener's socket file, if the path still holds a socket. */
function removeSocketFile(path: string): void {
  try {
    if (Deno.lstatSync(path).isSocket) Deno.removeSync(path);
  } catch { /* gone already */ }
}

function bindDatagram(options: DatagramOptions): Promise<DatagramSocket> {
  const where = formatAddress({ hostname: options.hostname, port: options.port });
  let socket: Deno.DatagramConn;
  try {
    socket = Deno.listenDatagram({
      transport: "udp",
      hostname: options.hostname,
      port: options.port,
    });
  } catch (error) {
    return Promise.reject(toNetError(error, "bind", where));
  }
  const addr = fromDenoAddr(socket.addr);
  const self = formatAddress(addr);
  // Deno has no way to set SO_RCVBUF / SO_SNDBUF: options.receiveBufferBytes is not honoured.
  let closed = false;
  // Deno cannot cancel a pending receive; one that outlives an aborted call is kept for the next.
  let pending: Promise<[Uint8Array, Deno.Addr]> | undefined;
  // One receive buffer for the socket (Deno allocates 64 KiB per receive without one, which a
  // batch of DNS queries pays in allocation and GC per reply); each datagram is copied out of it
  // before the next receive starts (only one is ever pending).
  const buffer = new Uint8Array(65536);
  const defaultPeer = options.connect;
  return Promise.resolve({
    addr,
    reportsUnreachable: false,
    async send(data: Uint8Array, to?: Endpoint) {
      const peer = to ?? defaultPeer;
      if (!peer) throw new NetError("EINVAL", "send", self);
      if (closed) throw new NetError("CLOSED", "send", formatAddress(peer));
      try {
        await socket.send(data, { transport: "udp", hostname: peer.hostname, port: peer.port });
      } catch (error) {
        throw toNetError(error, "send", formatAddress(peer));
      }
    },
    receive(signal?: AbortSignal): Promise<Datagram> {
      if (closed) return Promise.reject(new NetError("CLOSED", "receive", self));
      if (signal?.aborted) return Promise.reject(new NetError("ABORTED", "receive", self));
      pending ??= socket.receive(buffer).then(([view, from]) => [view.slice(), from]);
      const current = pending;
      return new Promise<Datagram>((resolve, reject) => {
        const onAbort = () => reject(new NetError("ABORTED", "receive", self));
        signal?.addEventListener("abort", onAbort, { once: true });
        current.then(([data, from]) => {
          if (pending === current) pending = undefined;
          signal?.removeEventListener("abort", onAbort);
          const f = fromDenoAddr(from) as { hostname: string; port: number };
          resolve({ data, from: { hostname: f.hostname, port: f.port } });
        }, (error) => {
          if (pending === current) pending = undefined;
          signal?.removeEventListener("abort", onAbort);
          reject(
            closed ? new NetError("CLOSED", "receive", self) : toNetError(error, "receive", self),
          );
        });
      });
    },
    receiveDrops() {
      const { hostname, port } = addr as { hostname: string; port: number };
      return udpReceiveDrops(hostname, port);
    },
    close() {
      if (closed) return;
      closed = true;
      try {
        socket.close();
      } catch { /* already closed */ }
    },
  });
}

/** The deadlines of the probe connects in flight, behind one timer. */
const probeDeadlines = new DeadlineSweep();

/**
 * A probe connect: Deno.connect with an AbortController of its own, which the shared deadline
 * sweep aborts at the timeout (Deno then drops the pending connect and its socket at once).
 */
function probeConnect(options: ProbeConnectOptions): Promise<ProbeConnectOutcome> {
  const started = performance.now();
  const abort = new AbortController();
  const entry = { deadline: started + options.timeoutMs, expire: () => abort.abort() };
  probeDeadlines.add(entry);
  return Deno.connect({ hostname: options.hostname, port: options.port, signal: abort.signal })
    .then((conn): ProbeConnectOutcome => {
      probeDeadlines.delete(entry);
      const latencyMs = performance.now() - started;
      const localPort = (conn.localAddr as Deno.NetAddr).port;
      try {
        conn.close();
      } catch { /* already closed */ }
      return { ok: true, localPort, latencyMs };
    }, (error: { code?: string; name?: string } | undefined): ProbeConnectOutcome => {
      probeDeadlines.delete(entry);
      const latencyMs = performance.now() - started;
      if (abort.signal.aborted) return { ok: false, code: "ETIMEDOUT", latencyMs };
      const code = errorCode(error);
      const systemCode = error?.code ?? error?.name;
      return systemCode === undefined || systemCode === code
        ? { ok: false, code, latencyMs }
        : { ok: false, code, systemCode, latencyMs };
    });
}

/** The Deno implementation of {@link NetAdapter}. */
export const denoAdapter: NetAdapter = {
  name: "deno",
  connect,
  listen,
  bindDatagram,
  probeConnect,
  probeSocketsLinger: false,
};
