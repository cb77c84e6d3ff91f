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
import { type BunSocket, BunStream } from "./bun_stream.ts";

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

/** A Bun socket with its TLS side. */
interface BunTlsSocket extends BunSocket {
  readonly authorized?: boolean;
  readonly alpnProtocol?: string | false | null;
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

/**
 * One connection's state, kept in the socket's `data`: its connect and handshake, then the
 * project's {@link BunStream} over the socket for the bytes.
 */
class TlsSocketState {
  #socket: BunTlsSocket | undefined;
  #stream: BunStream | undefined;
  #reported = false;
  #abandoned = false;

  constructor(readonly start: BunTlsStart, readonly events: BunTlsEvents) {}

  opened(socket: BunTlsSocket): void {
    if (this.#abandoned) return socket.terminate();
    this.#socket = socket;
    if (this.start.path === undefined) socket.setNoDelay(true);
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
    this.#reported = true;
    const stream = this.#stream = new BunStream(socket, this.start.path);
    const alpn = socket.alpnProtocol;
    this.events.onSecure({
      // Bun's own socket takes "abbreviated": false walks the whole chain.
      certificate: socket.getPeerCertificate(false),
      authorized: socket.authorized === true,
      authorizationError: error?.code ?? (error ? String(error.message) : null),
      protocol: socket.getTLSVersion(),
      cipher: socket.getCipher(),
      alpn: typeof alpn === "string" && alpn ? alpn : null,
    }, stream);
  }

  /** Reports a failure before the handshake finished (once). */
  fail(error: unknown, afterTcp: boolean): void {
    if (this.#reported) return;
    this.#reported = true;
    const e = error instanceof Error ? error : new Error(String(error));
    this.events.onFailure(e, afterTcp);
  }

  received(chunk: Uint8Array): void {
    this.#stream?.onData(chunk);
  }

  drained(): void {
    this.#stream?.onDrain();
  }

  /** The peer half-closed, or (`closed`) the socket is gone, with an error when it failed. */
  ended(error: Error | undefined, closed: boolean): void {
    if (!this.#stream) {
      this.fail(error ?? new Error("connection closed by the peer"), this.#socket !== undefined);
    } else if (closed) this.#stream.onClose(error);
    else this.#stream.onEnd(error);
  }

  /** Closes the socket, or has it closed as soon as it opens. */
  close(): void {
    this.#abandoned = true;
    if (this.#stream) this.#stream.close();
    else this.#socket?.terminate();
  }
}

type Handler<A extends unknown[]> = (socket: BunTlsSocket, ...args: A) => void;
const stateOf = (s: BunTlsSocket) => s.data as TlsSocketState;

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
  open: (s) => stateOf(s).opened(s),
  handshake: (s, ok, error) => stateOf(s).handshake(s, ok, error),
  data: (s, chunk) => stateOf(s).received(chunk),
  drain: (s) => stateOf(s).drained(),
  end: (s) => stateOf(s).ended(undefined, false),
  close: (s, error) => stateOf(s).ended(error, true),
  error: (s, error) => stateOf(s).ended(error, false),
  connectError: (s, error) => stateOf(s).fail(error, false),
};
