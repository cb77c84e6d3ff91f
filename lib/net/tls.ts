/**
 * TLS client connections for the adapter layer, on `node:tls` (which gives the handshake's facts
 * and the peer chain as presented on Deno 2.9.6 and Bun 1.4.5; `Deno.connectTls` gives only
 * ALPN). The handshake never rejects a certificate (`rejectUnauthorized: false`): verification is
 * reported, not enforced, and the host name is checked here (`tls.checkServerIdentity`) so that
 * an insecure connection still reports a mismatch. The TCP connect is timed on its own.
 * @module
 */
import * as tls from "node:tls";
import type { Socket } from "node:net";
import { runtimeName } from "../runtime/runtime.ts";
import { ReceiveQueue } from "./receive_queue.ts";
import { bunTlsAvailable, startBunTls } from "./tls_bun.ts";
import {
  certificateMatchesName,
  type LegacyCertificate,
  peerChain,
  type TlsCertificate,
} from "./tls_certificate.ts";
import type { TlsByteStream, TlsPeerFacts } from "./tls_peer.ts";
import { formatAddress, NetError, type NetErrorCode, toNetErrorCode } from "./types.ts";

export {
  CERTIFICATE_MEMO_SIZE,
  parseSubjectAltNames,
  type TlsCertificate,
  type TlsKeyInfo,
} from "./tls_certificate.ts";

/** Options of {@link connectTls} / {@link openTls}. */
export interface TlsConnectOptions {
  /** The address (or name) to connect to. */
  readonly hostname: string;
  readonly port: number;
  /**
   * Connect to this Unix socket path instead of `hostname:port` (which then only names the
   * peer: SNI and the name checked).
   */
  readonly path?: string;
  /** SNI and the name checked against the certificate; default `hostname` (no SNI for an IP). */
  readonly servername?: string;
  /** ALPN protocols offered, e.g. `["http/1.1"]`; default none. */
  readonly alpn?: readonly string[];
  /** Trust anchors (PEM) instead of the system's trust store. */
  readonly ca?: string | readonly string[];
  /** Only recorded: verification is reported either way, never enforced here. */
  readonly insecure?: boolean;
  /** The lowest TLS version offered (`TLSv1.2`, …); default the runtime's. */
  readonly minVersion?: "TLSv1" | "TLSv1.1" | "TLSv1.2" | "TLSv1.3";
  /** Give up on TCP + handshake after this many milliseconds (`ETIMEDOUT`); default 10 000. */
  readonly timeoutMs?: number;
  /** Cancel: rejects with `ABORTED` and closes the socket. */
  readonly signal?: AbortSignal;
}

/** Why verification failed, netdiag's words for OpenSSL's and rustls' codes. */
export type TlsVerifyReason =
  | "expired"
  | "not_yet_valid"
  | "self_signed"
  | "untrusted"
  | "incomplete_chain"
  | "hostname_mismatch";

/** What the handshake found. */
export interface TlsHandshake {
  /** `TLSv1.3`, `TLSv1.2`, … */
  readonly protocol: string;
  /** Cipher suite, IANA/OpenSSL name as the runtime reports it. */
  readonly cipher: string;
  readonly alpnOffered: readonly string[];
  /** ALPN protocol the server selected, or null. */
  readonly alpn: string | null;
  /** The SNI sent (null for an IP literal without `servername`). */
  readonly servername: string | null;
  /** The chain as presented, leaf first (the runtime's chain walk, stopped at a repeat). */
  readonly chain: readonly TlsCertificate[];
  /** Chain verified against the trust anchors AND the name matched. */
  readonly authorized: boolean;
  /** The runtime's own code (`CERT_HAS_EXPIRED`, `UNABLE_TO_VERIFY_LEAF_SIGNATURE`, …). */
  readonly authorizationError: string | null;
  /** netdiag's reasons, most telling first; empty when authorized. */
  readonly reasons: readonly TlsVerifyReason[];
  /** The name checked against the certificate. */
  readonly checkedName: string;
  readonly hostnameMatches: boolean;
  readonly insecure: boolean;
}

/** An open TLS connection: the handshake facts, and a byte stream for the protocol on top. */
export interface TlsConnection {
  readonly handshake: TlsHandshake;
  /** Milliseconds from start to TCP connected, and from there to the handshake's end. */
  readonly tcpMs: number;
  readonly tlsMs: number;
  readonly remoteAddress: string;
  /** The next bytes received, or null at end of stream; rejects with a NetError. */
  readChunk(): Promise<Uint8Array | null>;
  write(data: Uint8Array): Promise<void>;
  close(): void;
}

/** A TLS attempt under way: `tcp` settles when TCP connects (for happy eyeballs), `done` at the end. */
export interface TlsAttempt {
  /** Resolves with the TCP connect time (ms); rejects like `done` when TCP fails. */
  readonly tcp: Promise<number>;
  readonly done: Promise<TlsConnection>;
  /** Abandons the attempt (closes the socket). */
  cancel(): void;
}

/** The failure of a handshake (after TCP connected), with the runtime's text. */
export class TlsHandshakeError extends NetError {
  constructor(address: string, detail: string, options?: ErrorOptions & { systemCode?: string }) {
    super("ECONNRESET", "connect", address, { ...options, detail: `TLS handshake: ${detail}` });
    this.name = "TlsHandshakeError";
  }
}

/** How many distinct trust configurations keep their SecureContext (then the memo starts again). */
export const SECURE_CONTEXT_MEMO_SIZE = 16;

const contexts = new Map<string, Map<string, tls.SecureContext>>();

/**
 * The SecureContext of a trust configuration (`ca`, or the system store when absent) and a
 * lowest version, made once per process: building one parses every anchor (and, for the system
 * store, loads it), which otherwise each connection would pay again.
 */
export function secureContextFor(
  ca: TlsConnectOptions["ca"],
  minVersion?: TlsConnectOptions["minVersion"],
): tls.SecureContext {
  // Keyed by the PEM text itself: a repeated check passes the same string, whose hash the
  // engine keeps, so a lookup does not rehash the file.
  const anchors = !ca ? "\u0000system" : typeof ca === "string" ? ca : `\u0000${ca.join("\u0000")}`;
  const byVersion = contexts.get(minVersion ?? "") ?? new Map<string, tls.SecureContext>();
  let context = byVersion.get(anchors);
  if (!context) {
    if (byVersion.size >= SECURE_CONTEXT_MEMO_SIZE) byVersion.clear();
    context = tls.createSecureContext({
      ...(ca ? { ca: typeof ca === "string" ? [ca] : [...ca] } : {}),
      ...(minVersion ? { minVersion } : {}),
    });
    byVersion.set(anchors, context);
    contexts.set(minVersion ?? "", byVersion);
  }
  return context;
}

/** A promise with its settle functions. */
interface Pending<T> {
  readonly promise: Promise<T>;
  resolve(value: T): void;
  reject(error: unknown): void;
}

function pending<T>(): Pending<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  promise.catch(() => {});
  return { promise, resolve, reject };
}

/** What one attempt knows while it runs (shared by its event handlers). */
interface AttemptState {
  readonly options: TlsConnectOptions;
  readonly address: string;
  readonly servername: string | null;
  readonly alpn: string[];
  readonly started: number;
  readonly tcp: Pending<number>;
  readonly done: Pending<TlsConnection>;
  /** Closes the attempt's socket (set once it is started). */
  closeSocket?: () => void;
  tcpAt: number;
  settled: boolean;
  /** Clears the timer and the abort listener. */
  release(): void;
}

/** Opens TCP then TLS; see {@link TlsAttempt}. */
export function openTls(options: TlsConnectOptions): TlsAttempt {
  const { hostname, port, timeoutMs = 10_000, signal } = options;
  const address = options.path ?? formatAddress({ hostname, port });
  const isIp = /^[0-9.]+$|:/.test(hostname);
  const state: AttemptState = {
    options,
    address,
    servername: options.servername ?? (isIp ? null : hostname),
    alpn: [...(options.alpn ?? [])],
    started: performance.now(),
    tcp: pending<number>(),
    done: pending<TlsConnection>(),
    tcpAt: 0,
    settled: false,
    release: () => {},
  };
  const fail = (error: unknown) => failAttempt(state, error);
  const onAbort = () => fail(new NetError("ABORTED", "connect", address));
  if (signal?.aborted) onAbort();
  else {
    signal?.addEventListener("abort", onAbort, { once: true });
    const timer = setTimeout(() => fail(new NetError("ETIMEDOUT", "connect", address)), timeoutMs);
    state.release = () => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
    };
    startSocket(state);
  }
  return {
    tcp: state.tcp.promise,
    done: state.done.promise,
    cancel: () => {
      if (state.settled) return;
      state.settled = true;
      state.release();
      state.closeSocket?.();
      state.tcp.reject(new NetError("ABORTED", "connect", address));
    },
  };
}

function failAttempt(state: AttemptState, error: unknown): void {
  if (state.settled) return;
  state.settled = true;
  state.release();
  state.closeSocket?.();
  state.tcp.reject(error);
  state.done.reject(error);
}

/** Starts the socket (Bun's own where it can do what is asked) and wires it to the attempt. */
function startSocket(state: AttemptState): void {
  const { options, address, servername, alpn } = state;
  if (runtimeName === "bun" && !options.minVersion && bunTlsAvailable()) {
    state.closeSocket = startBunTls({ ...options, servername, alpn, address }, {
      onTcp: () => tcpUp(state),
      onSecure: (peer, stream) => finishHandshake(state, peer, stream),
      onFailure: (error, afterTcp) => failAttempt(state, socketError(address, error, afterTcp)),
    });
  } else startNodeSocket(state);
}

/** The TCP connection is up: the handshake starts. */
function tcpUp(state: AttemptState): void {
  state.tcpAt = performance.now();
  state.tcp.resolve(state.tcpAt - state.started);
}

/** A socket's failure before the handshake finished, as the attempt rejects with it. */
function socketError(
  address: string,
  error: Error & { code?: string },
  afterTcp: boolean,
): NetError {
  const cause = { cause: error, systemCode: error.code };
  return afterTcp
    ? new TlsHandshakeError(address, error.message, cause)
    : new NetError(toNetErrorCode(error.code), "connect", address, cause);
}

/** {@link startSocket} on `node:tls`. */
function startNodeSocket(state: AttemptState): void {
  const { options, address, servername, alpn } = state;
  let s: tls.TLSSocket;
  try {
    s = tls.connect({
      ...(options.path ? { path: options.path } : { host: options.hostname, port: options.port }),
      ...(servername ? { servername } : {}),
      ...(alpn.length ? { ALPNProtocols: alpn } : {}),
      secureContext: secureContextFor(options.ca, options.minVersion),
      rejectUnauthorized: false,
      checkServerIdentity: () => undefined,
    });
    // As curl does (TCP_NODELAY): without it, Nagle holds a request written while the
    // handshake's last flight is unacknowledged until the peer's delayed ACK (~40 ms).
    if (!options.path) s.setNoDelay(true);
  } catch (error) {
    return failAttempt(state, error);
  }
  state.closeSocket = () => s.destroy();
  const stream = nodeStream(s, address);
  // node:tls emits "connect" for the TCP connection on Node, Deno and Bun.
  (s as unknown as Socket).once("connect", () => tcpUp(state));
  s.once("error", (error: Error & { code?: string }) => {
    failAttempt(state, socketError(address, error, !!state.tcpAt));
  });
  s.once("close", () => {
    if (state.settled) return;
    failAttempt(
      state,
      state.tcpAt
        ? new TlsHandshakeError(address, "connection closed by the peer")
        : new NetError("ECONNRESET", "connect", address),
    );
  });
  s.once("secureConnect", () => finishHandshake(state, nodePeerFacts(s), stream));
}

/** What a `node:tls` socket tells of its finished handshake. */
function nodePeerFacts(s: tls.TLSSocket): TlsPeerFacts {
  return {
    certificate: s.getPeerCertificate(true) as LegacyCertificate | undefined,
    authorized: s.authorized,
    authorizationError: s.authorizationError ? String(s.authorizationError) : null,
    protocol: s.getProtocol(),
    cipher: s.getCipher() as { name?: string; standardName?: string } | undefined,
    alpn: typeof s.alpnProtocol === "string" ? s.alpnProtocol : null,
  };
}

/** The handshake is done: describe it and hand over the connection. */
function finishHandshake(state: AttemptState, peer: TlsPeerFacts, stream: TlsByteStream): void {
  if (state.settled) return;
  state.settled = true;
  state.release();
  const end = performance.now();
  if (!state.tcpAt) {
    state.tcpAt = end;
    state.tcp.resolve(end - state.started);
  }
  try {
    const { servername, options, alpn, address } = state;
    const handshake = describeHandshake(
      peer,
      servername,
      options.hostname,
      alpn,
      options.insecure ?? false,
    );
    const tcpMs = state.tcpAt - state.started;
    state.done.resolve({
      handshake,
      tcpMs,
      tlsMs: end - state.tcpAt,
      remoteAddress: address,
      readChunk: () => stream.readChunk(),
      write: (data) => stream.write(data),
      close: () => stream.close(),
    });
  } catch (error) {
    stream.close();
    state.done.reject(error);
  }
}

/**
 * Connects with TLS (see the module): resolves once the handshake is done, whatever the
 * verification found; rejects with a NetError for TCP (`ECONNREFUSED`, `ETIMEDOUT`, `ABORTED`)
 * and a {@link TlsHandshakeError} when the handshake fails.
 */
export function connectTls(options: TlsConnectOptions): Promise<TlsConnection> {
  return openTls(options).done;
}

/** The runtime's verification code to netdiag's reason (null: no chain problem). */
function chainReason(
  code: string | null,
  chain: readonly TlsCertificate[],
): TlsVerifyReason | null {
  if (!code || code === "ERR_TLS_CERT_ALTNAME_INVALID") return null;
  switch (code) {
    case "CERT_HAS_EXPIRED":
      return "expired";
    case "CERT_NOT_YET_VALID":
      return "not_yet_valid";
    case "DEPTH_ZERO_SELF_SIGNED_CERT":
    case "SELF_SIGNED_CERT_IN_CHAIN":
      return "self_signed";
    case "UNABLE_TO_GET_ISSUER_CERT":
    case "UNABLE_TO_GET_ISSUER_CERT_LOCALLY":
    case "UNABLE_TO_VERIFY_LEAF_SIGNATURE": {
      const last = chain[chain.length - 1];
      if (chain.length === 1 && last?.selfIssued) return "self_signed";
      // Only a leaf, not self-issued: the server left its intermediate(s) out. A server that
      // sent intermediates whose root is unknown is untrusted.
      if (chain.length === 1) return "incomplete_chain";
      return "untrusted";
    }
    default:
      return "untrusted";
  }
}

function describeHandshake(
  peer: TlsPeerFacts,
  servername: string | null,
  hostname: string,
  alpnOffered: readonly string[],
  insecure: boolean,
): TlsHandshake {
  const now = Date.now();
  const { chain, leaf } = peerChain(peer.certificate, now);
  const code = peer.authorizationError;
  const reasons: TlsVerifyReason[] = [];
  // Dates first: some runtimes (Deno's rustls) say only "unable to verify" for them.
  if (chain.some((c) => Date.parse(c.notAfter) < now)) reasons.push("expired");
  else if (chain.some((c) => Date.parse(c.notBefore) > now)) reasons.push("not_yet_valid");
  const fromCode = chainReason(code, chain);
  if (fromCode && !reasons.includes(fromCode)) {
    const datesOnly = reasons.length > 0 && (code === "UNABLE_TO_VERIFY_LEAF_SIGNATURE") &&
      chain.length > 1;
    if (!datesOnly) reasons.push(fromCode);
  }
  const checkedName = servername ?? hostname;
  // The leaf of the chain walk is the object getPeerCertificate(false) would give again.
  const hostnameMatches = !!leaf && certificateMatchesName(leaf, checkedName);
  if (!hostnameMatches) reasons.push("hostname_mismatch");
  const cipher = peer.cipher;
  return {
    protocol: peer.protocol ?? "unknown",
    cipher: cipher?.standardName ?? cipher?.name ?? "unknown",
    alpnOffered: [...alpnOffered],
    alpn: peer.alpn,
    servername,
    chain,
    authorized: reasons.length === 0 &&
      (peer.authorized || code === "ERR_TLS_CERT_ALTNAME_INVALID"),
    authorizationError: code,
    reasons,
    checkedName,
    hostnameMatches,
    insecure,
  };
}

/** Queues what the socket receives from the start (some runtimes emit data before secureConnect). */
function nodeStream(s: tls.TLSSocket, address: string): TlsByteStream {
  const received = new ReceiveQueue(s);
  s.on("data", (chunk: Uint8Array) => received.push(chunk));
  s.on("end", () => received.end());
  s.on("close", () => received.end());
  s.on("error", (error: Error & { code?: string }) => {
    const code = toNetErrorCode(error.code) as NetErrorCode;
    received.end(new NetError(code, "read", address, { cause: error, systemCode: error.code }));
  });
  return {
    readChunk: () => received.readChunk(),
    write(data) {
      return new Promise((resolve, reject) => {
        s.write(
          data,
          (error) =>
            error ? reject(new NetError("EPIPE", "write", address, { cause: error })) : resolve(),
        );
      });
    },
    close() {
      s.destroy();
    },
  };
}

/**
 * A {@link TlsConnection} from a TLS socket whose handshake is done over a stream of the caller's
 * (STARTTLS): the same handshake facts and byte stream as {@link openTls} gives.
 */
export function describeTlsSocket(
  s: tls.TLSSocket,
  servername: string,
  insecure: boolean,
  tlsMs: number,
): TlsConnection {
  const handshake = describeHandshake(nodePeerFacts(s), servername, servername, [], insecure);
  const stream = nodeStream(s, servername);
  return {
    handshake,
    tcpMs: 0,
    tlsMs,
    remoteAddress: servername,
    readChunk: () => stream.readChunk(),
    write: (data) => stream.write(data),
    close: () => stream.close(),
  };
}
