/**
 * TLS client connections for the adapter layer, on `node:tls` (which gives the handshake's facts
 * and the peer chain as presented on Deno 2.9.6 and Bun 1.4.5; `Deno.connectTls` gives only
 * ALPN). The handshake never rejects a certificate (`rejectUnauthorized: false`): verification is
 * reported, not enforced, and the host name is checked here (`tls.checkServerIdentity`) so that
 * an insecure connection still reports a mismatch. The TCP connect is timed on its own.
 * @module
 */
import { X509Certificate } from "node:crypto";
import * as tls from "node:tls";
import type { Socket } from "node:net";
import { formatAddress, NetError, type NetErrorCode, toNetErrorCode } from "./types.ts";

/** Options of {@link connectTls} / {@link openTls}. */
export interface TlsConnectOptions {
  /** The address (or name) to connect to. */
  readonly hostname: string;
  readonly port: number;
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

/** The public key of a certificate. */
export interface TlsKeyInfo {
  /** `RSA`, `EC`, `Ed25519`, … */
  readonly type: string;
  /** Key size in bits. */
  readonly bits?: number;
  /** The curve of an EC key (`P-256`, `prime256v1`). */
  readonly curve?: string;
}

/** One certificate as the peer presented it. */
export interface TlsCertificate {
  /** Subject as `CN=…, O=…` (attribute order as the runtime gives it). */
  readonly subject: string;
  readonly issuer: string;
  /** Subject alternative names: `DNS:name`, `IP:addr` (IPv6 compressed). */
  readonly subjectAltNames: readonly string[];
  /** Serial number, uppercase hex as openssl prints it without separators. */
  readonly serial: string;
  /** ISO 8601. */
  readonly notBefore: string;
  readonly notAfter: string;
  /** Whole days until notAfter (negative once expired). */
  readonly daysLeft: number;
  /** SHA-256 fingerprint, `AB:CD:…` as `openssl x509 -fingerprint -sha256`. */
  readonly sha256: string;
  readonly key: TlsKeyInfo;
  /** Subject equals issuer. */
  readonly selfIssued: boolean;
  /** The certificate, PEM. */
  readonly pem: string;
}

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

/** Opens TCP then TLS; see {@link TlsAttempt}. */
export function openTls(options: TlsConnectOptions): TlsAttempt {
  const { hostname, port, timeoutMs = 10_000, signal } = options;
  const address = formatAddress({ hostname, port });
  const isIp = /^[0-9.]+$|:/.test(hostname);
  const servername = options.servername ?? (isIp ? null : hostname);
  const alpn = [...(options.alpn ?? [])];
  const started = performance.now();
  let tcpAt = 0;
  let socket: tls.TLSSocket | undefined;
  let settled = false;
  let reader: StreamReader | undefined;
  let rejectTcp!: (e: unknown) => void;
  let resolveTcp!: (ms: number) => void;
  const tcp = new Promise<number>((res, rej) => {
    resolveTcp = res;
    rejectTcp = rej;
  });
  tcp.catch(() => {});
  const done = new Promise<TlsConnection>((resolve, reject) => {
    const fail = (error: unknown) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
      socket?.destroy();
      rejectTcp(error);
      reject(error);
    };
    const onAbort = () => fail(new NetError("ABORTED", "connect", address));
    if (signal?.aborted) return onAbort();
    signal?.addEventListener("abort", onAbort, { once: true });
    const timer = setTimeout(() => fail(new NetError("ETIMEDOUT", "connect", address)), timeoutMs);
    try {
      socket = tls.connect({
        host: hostname,
        port,
        ...(servername ? { servername } : {}),
        ...(alpn.length ? { ALPNProtocols: alpn } : {}),
        ...(options.ca
          ? { ca: typeof options.ca === "string" ? [options.ca] : [...options.ca] }
          : {}),
        ...(options.minVersion ? { minVersion: options.minVersion } : {}),
        rejectUnauthorized: false,
        checkServerIdentity: () => undefined,
      });
      // As curl does (TCP_NODELAY): without it, Nagle holds a request written while the
      // handshake's last flight is unacknowledged until the peer's delayed ACK (~40 ms).
      socket.setNoDelay(true);
    } catch (error) {
      return fail(error);
    }
    const s = socket;
    reader = streamReader(s, address);
    // node:tls emits "connect" for the TCP connection on Node, Deno and Bun.
    (s as unknown as Socket).once("connect", () => {
      tcpAt = performance.now();
      resolveTcp(tcpAt - started);
    });
    s.once("error", (error: Error & { code?: string }) => {
      if (!tcpAt) {
        return fail(
          new NetError(toNetErrorCode(error.code), "connect", address, {
            cause: error,
            systemCode: error.code,
          }),
        );
      }
      fail(new TlsHandshakeError(address, error.message, { cause: error, systemCode: error.code }));
    });
    s.once("close", () => {
      if (settled) return;
      if (!tcpAt) return fail(new NetError("ECONNRESET", "connect", address));
      fail(new TlsHandshakeError(address, "connection closed by the peer"));
    });
    s.once("secureConnect", () => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
      const end = performance.now();
      if (!tcpAt) {
        tcpAt = end;
        resolveTcp(end - started);
      }
      try {
        const handshake = describeHandshake(
          s,
          servername,
          hostname,
          alpn,
          options.insecure ?? false,
        );
        resolve(wrap(s, reader!, handshake, tcpAt - started, end - tcpAt, address));
      } catch (error) {
        s.destroy();
        reject(error);
      }
    });
  });
  // A losing attempt's failure is reported through `tcp`; nobody need await its `done`.
  done.catch(() => {});
  return {
    tcp,
    done,
    cancel: () => {
      if (!settled) {
        settled = true;
        socket?.destroy();
        rejectTcp(new NetError("ABORTED", "connect", address));
      }
    },
  };
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
  s: tls.TLSSocket,
  servername: string | null,
  hostname: string,
  alpnOffered: readonly string[],
  insecure: boolean,
): TlsHandshake {
  const chain = peerChain(s);
  const code = s.authorizationError ? String(s.authorizationError) : null;
  const reasons: TlsVerifyReason[] = [];
  // Dates first: some runtimes (Deno's rustls) say only "unable to verify" for them.
  const now = Date.now();
  if (chain.some((c) => Date.parse(c.notAfter) < now)) reasons.push("expired");
  else if (chain.some((c) => Date.parse(c.notBefore) > now)) reasons.push("not_yet_valid");
  const fromCode = chainReason(code, chain);
  if (fromCode && !reasons.includes(fromCode)) {
    const datesOnly = reasons.length > 0 && (code === "UNABLE_TO_VERIFY_LEAF_SIGNATURE") &&
      chain.length > 1;
    if (!datesOnly) reasons.push(fromCode);
  }
  const checkedName = servername ?? hostname;
  let hostnameMatches = false;
  const peer = s.getPeerCertificate(false) as tls.PeerCertificate;
  if (peer && Object.keys(peer).length) {
    hostnameMatches =
      tls.checkServerIdentity(checkedName.replace(/^\[|\]$/g, ""), peer) === undefined;
  }
  if (!hostnameMatches) reasons.push("hostname_mismatch");
  const cipher = s.getCipher() as { name?: string; standardName?: string } | undefined;
  return {
    protocol: s.getProtocol() ?? "unknown",
    cipher: cipher?.standardName ?? cipher?.name ?? "unknown",
    alpnOffered: [...alpnOffered],
    alpn: typeof s.alpnProtocol === "string" ? s.alpnProtocol : null,
    servername,
    chain,
    authorized: reasons.length === 0 && (s.authorized || code === "ERR_TLS_CERT_ALTNAME_INVALID"),
    authorizationError: code,
    reasons,
    checkedName,
    hostnameMatches,
    insecure,
  };
}

type Detailed = tls.DetailedPeerCertificate & {
  bits?: number;
  asn1Curve?: string;
  nistCurve?: string;
  modulus?: string;
};

function peerChain(s: tls.TLSSocket): TlsCertificate[] {
  const out: TlsCertificate[] = [];
  const seen = new Set<string>();
  let cur = s.getPeerCertificate(true) as Detailed | undefined;
  while (cur && cur.raw && out.length < 16) {
    const fp = cur.fingerprint256;
    if (seen.has(fp)) break;
    seen.add(fp);
    out.push(describeCert(cur));
    cur = cur.issuerCertificate as Detailed | undefined;
  }
  return out;
}

function dn(name: unknown): string {
  if (!name || typeof name !== "object") return "";
  return Object.entries(name as Record<string, string | string[]>)
    .map(([k, v]) => Array.isArray(v) ? v.map((x) => `${k}=${x}`).join(", ") : `${k}=${v}`)
    .join(", ");
}

function compressIp(ip: string): string {
  if (!ip.includes(":")) return ip;
  try {
    return new URL(`http://[${ip}]/`).hostname.slice(1, -1);
  } catch {
    return ip;
  }
}

/** `DNS:a, IP Address:1.2.3.4` (runtime) → `["DNS:a", "IP:1.2.3.4"]`. */
export function parseSubjectAltNames(text: string | undefined): string[] {
  if (!text) return [];
  return text.split(/,\s*/).filter(Boolean).map((part) => {
    const i = part.indexOf(":");
    const kind = part.slice(0, i).trim();
    const value = part.slice(i + 1).trim().replace(/^"|"$/g, "");
    if (kind === "IP Address") return `IP:${compressIp(value)}`;
    return `${kind}:${value}`;
  });
}

function iso(text: string): string {
  const t = Date.parse(text.replace(/\s+/g, " "));
  return Number.isNaN(t) ? text : new Date(t).toISOString();
}

function keyOf(c: Detailed): TlsKeyInfo {
  if (c.modulus) return { type: "RSA", bits: c.bits };
  if (c.asn1Curve || c.nistCurve) {
    return { type: "EC", bits: c.bits, curve: c.nistCurve ?? c.asn1Curve };
  }
  try {
    const key = new X509Certificate(c.raw).publicKey;
    const type = key.asymmetricKeyType ?? "unknown";
    return {
      type: type === "ed25519" ? "Ed25519" : type === "ed448" ? "Ed448" : type,
      bits: c.bits,
    };
  } catch {
    return { type: "unknown", bits: c.bits };
  }
}

function describeCert(c: Detailed): TlsCertificate {
  const notBefore = iso(c.valid_from);
  const notAfter = iso(c.valid_to);
  let subject = dn(c.subject);
  let issuer = dn(c.issuer);
  try {
    // X509Certificate keeps the DN's order (the runtime's object may not).
    const x = new X509Certificate(c.raw);
    subject = x.subject.split("\n").join(", ");
    issuer = x.issuer.split("\n").join(", ");
  } catch {
    // keep the runtime's object order
  }
  const b64 = btoa(String.fromCharCode(...new Uint8Array(c.raw)));
  return {
    subject,
    issuer,
    subjectAltNames: parseSubjectAltNames(c.subjectaltname),
    serial: String(c.serialNumber).toUpperCase().replace(/^0+(?=.)/, ""),
    notBefore,
    notAfter,
    daysLeft: Math.floor((Date.parse(notAfter) - Date.now()) / 86_400_000),
    sha256: c.fingerprint256.toUpperCase(),
    key: keyOf(c),
    selfIssued: subject === issuer,
    pem: `-----BEGIN CERTIFICATE-----\n${
      b64.replace(/.{64}/g, "$&\n")
    }\n-----END CERTIFICATE-----\n`
      .replace("\n\n", "\n"),
  };
}

interface StreamReader {
  readChunk(): Promise<Uint8Array | null>;
}

/** Queues what the socket receives from the start (some runtimes emit data before secureConnect). */
function streamReader(s: tls.TLSSocket, address: string): StreamReader {
  const queue: Uint8Array[] = [];
  let ended = false;
  let failure: unknown;
  let waiter: (() => void) | undefined;
  const wake = () => {
    const w = waiter;
    waiter = undefined;
    w?.();
  };
  s.on("data", (chunk: Uint8Array) => {
    queue.push(chunk);
    if (queue.length > 8) s.pause();
    wake();
  });
  s.on("end", () => {
    ended = true;
    wake();
  });
  s.on("close", () => {
    ended = true;
    wake();
  });
  s.on("error", (error: Error & { code?: string }) => {
    failure = new NetError(toNetErrorCode(error.code) as NetErrorCode, "read", address, {
      cause: error,
      systemCode: error.code,
    });
    wake();
  });
  return {
    async readChunk() {
      while (true) {
        if (queue.length) {
          const chunk = queue.shift()!;
          if (queue.length <= 8) s.resume();
          return chunk;
        }
        if (failure) throw failure;
        if (ended) return null;
        await new Promise<void>((r) => (waiter = r));
      }
    },
  };
}

function wrap(
  s: tls.TLSSocket,
  reader: StreamReader,
  handshake: TlsHandshake,
  tcpMs: number,
  tlsMs: number,
  address: string,
): TlsConnection {
  return {
    handshake,
    tcpMs,
    tlsMs,
    remoteAddress: address,
    readChunk: () => reader.readChunk(),
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
  const handshake = describeHandshake(s, servername, servername, [], insecure);
  return wrap(s, streamReader(s, servername), handshake, 0, tlsMs, servername);
}
