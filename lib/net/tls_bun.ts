/**
 * TLS client connections over Bun's own sockets (`Bun.connect` with `tls`), used by
 * lib/net/tls.ts under Bun: the same handshake facts as `node:tls` gives (the runtime's
 * `getPeerCertificate` walks the chain the same way) without `node:tls`'s stream layers, which
 * cost Bun ~0.3 ms per connection and most of a repeated check's JIT warm-up.
 *
 * Verification is never enforced here (`rejectUnauthorized: false`): the caller reports it.
 * `Bun.connect` cannot be aborted, so a socket given up before it opens is closed when it does.
 * @module
 */
import { bunGlobal } from "../runtime/runtime.ts";
import type { LegacyCertificate } from "./tls_certificate.ts";
import type { TlsByteStream, TlsPeerFacts } from "./tls_peer.ts";
import { ReceiveQueue } from "./receive_queue.ts";
import { NetError, type NetErrorCode, toNetErrorCode } from "./types.ts";

/** Where and how to connect. */
export interface BunTlsStart {
  readonly hostname: string;
  readonly port: number;
  /** A Unix socket path instead of `hostname`/`port`. */
  readonly path?: string;
  /** The SNI name, or null to send none (an IP literal). */
  readonly servername: string | null;
  /** ALPN protocols to offer, in order. */
  readonly alpn: readonly string[];
  /** PEM trust anchors instead of the runtime's store. */
  readonly ca?: string | readonly string[];
  /** The address as error messages name it. */
  readonly address: string;
}

/** What {@link startBunTls} reports, each at most once. */
export interface BunTlsEvents {
  /** The TCP (or Unix) connection is up; the handshake starts. */
  onTcp(): void;
  /** The handshake finished (verified or not). */
  onSecure(peer: TlsPeerFacts, stream: TlsByteStream): void;
  /** Connecting or the handshake failed; `afterTcp` when the connection had been up. */
  onFailure(error: Error & { code?: string }, afterTcp: boolean): void;
}

/** The parts of Bun's TLS socket used here. */
interface BunTlsSocket {
  data: TlsSocketState;
  readonly authorized?: boolean;
  readonly alpnProtocol?: string | false | null;
  write(data: Uint8Array): number;
  pause(): void;
  resume(): void;
  terminate(): void;
  setNoDelay?(on: boolean): void;
  getPeerCertificate(abbreviated?: boolean): LegacyCertificate | undefined;
  getTLSVersion(): string | null;
  getCipher(): { name?: string; standardName?: string } | undefined;
}

interface BunConnectApi {
  connect(options: Record<string, unknown>): Promise<unknown>;
}

/** Whether TLS can go over Bun's own sockets in this runtime. */
export function bunTlsAvailable(): boolean {
  return typeof (bunGlobal() as unknown as Partial<BunConnectApi> | undefined)?.connect ===
    "function";
}

/**
 * Connects and starts the handshake; returns a function that closes the socket, at once or,
 * when it has not opened yet, as soon as it does.
 * @throws nothing: failures arrive through `events.onFailure`
 */
export function startBunTls(start: BunTlsStart, events: BunTlsEvents): () => void {
  const state = new TlsSocketState(start, events);
  const target = start.path !== undefined
    ? { unix: start.path }
    : { hostname: start.hostname.replace(/^\[|\]$/g, ""), port: start.port };
  try {
    const bun = bunGlobal() as unknown as BunConnectApi;
    bun.connect({
      ...target,
      allowHalfOpen: true,
      data: state,
      socket: HANDLERS,
      tls: {
        rejectUnauthorized: false,
        // An empty name sends no SNI (without it Bun would send an IP literal, which is invalid).
        serverName: start.servername ?? "",
        ...(start.ca ? { ca: typeof start.ca === "string" ? start.ca : [...start.ca] } : {}),
        ...(start.alpn.length ? { ALPNProtocols: alpnWire(start.alpn) } : {}),
      },
    }).catch(() => {}); // connectError reports it
  } catch (error) {
    state.fail(error, false); // Bun throws at once for some failures (a bad address)
  }
  return () => state.close();
}

/** ALPN's wire form: each name after its length byte. */
function alpnWire(names: readonly string[]): ArrayBuffer {
  const bytes = names.flatMap((n) => [n.length, ...new TextEncoder().encode(n)]);
  return new Uint8Array(bytes).buffer;
}

/** One connection's state, kept in the socket's `data`. */
class TlsSocketState implements TlsByteStream {
  #socket: BunTlsSocket | undefined;
  #phase: "connecting" | "handshake" | "open" | "closed" = "connecting";
  #reported = false;
  #abandoned = false;
  #ended = false;
  /** What was received and not read yet; pauses the socket while too much waits. */
  readonly #received = new ReceiveQueue({
    pause: () => this.#socket?.pause(),
    resume: () => this.#socket?.resume(),
  });
  #unsent: { data: Uint8Array; resolve: () => void; reject: (e: NetError) => void }[] = [];

  constructor(readonly start: BunTlsStart, readonly events: BunTlsEvents) {}

  opened(socket: BunTlsSocket): void {
    if (this.#abandoned) return socket.terminate();
    this.#socket = socket;
    this.#phase = "handshake";
    if (this.start.path === undefined) socket.setNoDelay?.(true);
    this.events.onTcp();
  }

  handshake(socket: BunTlsSocket, success: boolean, error: (Error & { code?: string }) | null) {
    if (this.#abandoned) return socket.terminate();
    // Bun says "not successful" for a verification failure too (the host name included, which
    // it checks whatever it is told); the handshake itself failed only when no cipher was agreed.
    if (!success && !socket.getCipher()?.name) {
      this.fail(error ?? new Error("handshake failed"), true);
      return socket.terminate();
    }
    this.#phase = "open";
    this.#reported = true;
    const alpn = socket.alpnProtocol;
    this.events.onSecure({
      // Bun's own socket takes "abbreviated": false walks the whole chain.
      certificate: socket.getPeerCertificate(false),
      authorized: socket.authorized === true,
      authorizationError: error?.code ?? (error ? String(error.message) : null),
      protocol: socket.getTLSVersion(),
      cipher: socket.getCipher(),
      alpn: typeof alpn === "string" && alpn ? alpn : null,
    }, this);
  }

  /** Reports a failure before the handshake finished (once). */
  fail(error: unknown, afterTcp: boolean): void {
    if (this.#reported) return;
    this.#reported = true;
    this.#phase = "closed";
    const e = error instanceof Error ? error : new Error(String(error));
    this.events.onFailure(e, afterTcp);
  }

  received(chunk: Uint8Array): void {
    this.#received.push(chunk);
  }

  ended(error?: Error & { code?: string }): void {
    if (this.#phase !== "open") {
      const message = error?.message ?? "connection closed by the peer";
      this.fail(error ?? new Error(message), this.#phase === "handshake");
    }
    const code = error && toNetErrorCode(error.code) as NetErrorCode;
    this.#received.end(
      error &&
        new NetError(code!, "read", this.start.address, { cause: error, systemCode: error.code }),
    );
    this.#ended = true;
    this.#failWrites();
  }

  drained(): void {
    while (this.#unsent.length && this.#socket) {
      const head = this.#unsent[0];
      const n = this.#socket.write(head.data);
      if (n < 0) return this.#failWrites();
      if (n < head.data.length) {
        head.data = head.data.subarray(n);
        return;
      }
      this.#unsent.shift();
      head.resolve();
    }
  }

  readChunk(): Promise<Uint8Array | null> {
    return this.#received.readChunk();
  }

  write(data: Uint8Array): Promise<void> {
    const socket = this.#socket;
    if (!socket || this.#ended || this.#phase === "closed") {
      return Promise.reject(new NetError("EPIPE", "write", this.start.address));
    }
    if (!this.#unsent.length) {
      const n = socket.write(data);
      if (n === data.length) return Promise.resolve();
      if (n < 0) return Promise.reject(new NetError("EPIPE", "write", this.start.address));
      data = data.subarray(n);
    }
    return new Promise((resolve, reject) => this.#unsent.push({ data, resolve, reject }));
  }

  close(): void {
    this.#abandoned = true;
    this.#phase = "closed";
    this.#socket?.terminate();
    this.#socket = undefined;
    this.#ended = true;
    this.#failWrites();
    this.#received.close();
  }

  #failWrites(): void {
    const writes = this.#unsent;
    this.#unsent = [];
    for (const w of writes) w.reject(new NetError("EPIPE", "write", this.start.address));
  }
}

type Handler<A extends unknown[]> = (socket: BunTlsSocket, ...args: A) => void;

/** One handler object for every socket (Bun's advice); each finds its state in `data`. */
const HANDLERS: {
  open: Handler<[]>;
  handshake: Handler<[boolean, (Error & { code?: string }) | null]>;
  data: Handler<[Uint8Array]>;
  drain: Handler<[]>;
  end: Handler<[]>;
  close: Handler<[Error?]>;
  error: Handler<[Error]>;
  connectError: Handler<[Error & { code?: string }]>;
} = {
  open: (s) => s.data.opened(s),
  handshake: (s, ok, error) => s.data.handshake(s, ok, error),
  data: (s, chunk) => s.data.received(chunk),
  drain: (s) => s.data.drained(),
  end: (s) => s.data.ended(),
  close: (s, error) => s.data.ended(error),
  error: (s, error) => s.data.ended(error),
  connectError: (s, error) => s.data.fail(error, false),
};
