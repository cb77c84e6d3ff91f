/**
 * The check engine's vocabulary: options, stage results, timings, the verdict and its reasons.
 * @module
 */
import type { LookupSource, SourceChoice } from "../resolve/mod.ts";
import type { TlsHandshake } from "../net/tls.ts";
import type { HttpResponse } from "./http.ts";

/**
 * Why a check failed, by stage. Negative answers (exit 1): `dns_nxdomain`, `dns_no_data`,
 * `tcp_refused`, every `tls_cert_*`, `tls_hostname_mismatch`, `http_status`,
 * `http_body_mismatch`, `http_too_many_redirects`, `slo_exceeded`. Timeouts and network
 * failures (exit 3): `dns_timeout`, `dns_failure`, `tcp_timeout`, `tcp_failed`,
 * `tls_handshake_failed`, `tls_timeout`, `http_timeout`, `http_failed`, `http_protocol_error`.
 */
export type CheckReason =
  | "dns_nxdomain"
  | "dns_no_data"
  | "dns_timeout"
  | "dns_failure"
  | "tcp_refused"
  | "tcp_timeout"
  | "tcp_failed"
  | "tls_handshake_failed"
  | "tls_timeout"
  | "tls_cert_expired"
  | "tls_cert_not_yet_valid"
  | "tls_cert_untrusted"
  | "tls_cert_incomplete_chain"
  | "tls_cert_expiring"
  | "tls_hostname_mismatch"
  | "http_status"
  | "http_body_mismatch"
  | "http_too_many_redirects"
  | "http_timeout"
  | "http_failed"
  | "http_protocol_error"
  | "slo_exceeded";

/** Reasons that are a negative answer (exit 1); every other reason is a failure (exit 3). */
export const NEGATIVE_REASONS: ReadonlySet<CheckReason> = new Set<CheckReason>([
  "dns_nxdomain",
  "dns_no_data",
  "tcp_refused",
  "tls_cert_expired",
  "tls_cert_not_yet_valid",
  "tls_cert_untrusted",
  "tls_cert_incomplete_chain",
  "tls_cert_expiring",
  "tls_hostname_mismatch",
  "http_status",
  "http_body_mismatch",
  "http_too_many_redirects",
  "slo_exceeded",
]);

/** The stages, in order. */
export type CheckStage = "resolve" | "connect" | "tls" | "http" | "expect";

/** A stage's outcome. */
export type StageStatus = "ok" | "failed" | "skipped";

/** What to check, parsed from TARGET. */
export interface CheckTarget {
  /** `http`/`https` for URLs, `tcp` for host:port (TLS with {@link CheckOptions.tls}). */
  readonly scheme: "http" | "https" | "tcp";
  /** The host as given (no brackets). */
  readonly host: string;
  readonly port: number;
  /** Path and query, for URLs. */
  readonly path: string;
  /** The URL (for http/https). */
  readonly url?: string;
  /**
   * A Unix socket target (`unix:/path`, or a path with a `/`): connect to this path, no resolve
   * stage; `scheme` is `tcp`, `host` is `localhost` (the name for `tls`), `port` 0.
   */
  readonly socketPath?: string;
}

/** A status range of {@link CheckOptions.expectStatus}. */
export interface StatusRange {
  readonly from: number;
  readonly to: number;
}

/** Limits of {@link CheckOptions.slo}, in milliseconds, by phase (curl's cumulative names). */
export interface Slo {
  readonly namelookup?: number;
  readonly connect?: number;
  readonly appconnect?: number;
  readonly pretransfer?: number;
  readonly starttransfer?: number;
  readonly total?: number;
}

/** Options of `check`. Every time is in milliseconds. */
export interface CheckOptions {
  /** A URL (`http://`, `https://`), a bare host (https), `host:port` (TCP) or a Unix path. */
  readonly target: string;
  /** A TLS handshake for a `host:port` target. */
  readonly tls?: boolean;
  /** Only IPv4 or IPv6 addresses. */
  readonly family?: 4 | 6;
  /** Connect to every address and report each (the first success carries TLS and HTTP). */
  readonly allAddrs?: boolean;
  /** curl's `--resolve HOST:PORT:ADDR[,ADDR…]` entries: skip resolution for HOST:PORT. */
  readonly resolve?: readonly string[];
  /** Where to resolve: default `system` (getaddrinfo). */
  readonly source?: SourceChoice;
  /** DNS server for source `dns`; hosts file for `hosts`. */
  readonly server?: string;
  readonly hostsFile?: string;
  /** SNI and the name verified; default the target's host. */
  readonly servername?: string;
  /** ALPN protocols offered; default `["http/1.1"]` for URLs, none for TCP. */
  readonly alpn?: readonly string[];
  /** Trust anchors (PEM text) instead of the system store. */
  readonly ca?: string;
  /** Report verification problems without failing on them. */
  readonly insecure?: boolean;
  /** HTTP method; default GET. */
  readonly method?: string;
  /** Extra request headers, `Name: value`. */
  readonly headers?: readonly string[];
  /** Follow redirects (each hop checked and timed on its own). */
  readonly follow?: boolean;
  /** At most this many redirects; default 10. */
  readonly maxRedirects?: number;
  /** Read at most this many body bytes; default 1 MiB. */
  readonly maxBodyBytes?: number;
  /** Time limit of each stage (lookup, connect, handshake, response); default 10 000. */
  readonly timeoutMs?: number;
  /** Stagger of happy-eyeballs attempts; default 250 (RFC 8305). */
  readonly attemptDelayMs?: number;
  /** Accepted statuses; default 200-399. */
  readonly expectStatus?: readonly StatusRange[];
  /** The leaf certificate must be valid for at least this many more days. */
  readonly certMinDays?: number;
  /** The body (first maxBodyBytes) must match. */
  readonly expectBody?: RegExp;
  /** Time limits. */
  readonly slo?: Slo;
  /** A request body (sent with a Content-Length); default none. */
  readonly body?: string;
  /** The lowest TLS version offered; default the runtime's. */
  readonly tlsMinVersion?: "TLSv1" | "TLSv1.1" | "TLSv1.2" | "TLSv1.3";
  /**
   * Connect every hop to this Unix socket instead of the URL's host and port, as curl's
   * `--unix-socket` (the URL still gives the Host header, the path and the TLS name).
   */
  readonly unixSocket?: string;
}

/** The resolve stage. */
export interface ResolveStage {
  readonly status: StageStatus;
  readonly ms: number;
  /** Where the addresses came from: a source, or `resolve` (the resolve option), `literal`. */
  readonly source: LookupSource | "resolve" | "literal";
  readonly from?: string;
  readonly addresses: readonly { address: string; family: 4 | 6 }[];
  readonly canonicalName?: string;
  readonly aliases?: readonly string[];
  readonly error?: string;
}

/** One TCP attempt. */
export interface ConnectAttempt {
  readonly address: string;
  readonly family: 4 | 6;
  /** Milliseconds after the stage started that it began. */
  readonly startedMs: number;
  readonly status: "ok" | "failed" | "cancelled";
  readonly ms?: number;
  /** `ECONNREFUSED`, `ETIMEDOUT`, … */
  readonly code?: string;
}

/** The connect stage. */
export interface ConnectStage {
  readonly status: StageStatus;
  readonly ms: number;
  /** The address used for the rest (a Unix socket's path). */
  readonly address?: string;
  /** The port (0 for a Unix socket). */
  readonly port: number;
  readonly attempts: readonly ConnectAttempt[];
  readonly error?: string;
}

/** The TLS stage. */
export interface TlsStage {
  readonly status: StageStatus;
  readonly ms: number;
  readonly handshake?: TlsHandshake;
  readonly error?: string;
}

/** Response headers that matter. */
export interface HttpHeadersOfNote {
  readonly server?: string;
  readonly contentType?: string;
  readonly contentLength?: number;
  readonly location?: string;
  readonly strictTransportSecurity?: string;
  readonly cacheControl?: string;
}

/** The HTTP stage of one hop. */
export interface HttpStage {
  readonly status: StageStatus;
  readonly ms: number;
  readonly method: string;
  readonly url: string;
  readonly statusCode?: number;
  readonly statusText?: string;
  readonly httpVersion?: string;
  readonly headers?: HttpHeadersOfNote;
  /** Body bytes read (at most maxBodyBytes). */
  readonly bodyBytes?: number;
  /** The body was longer than maxBodyBytes (reading stopped). */
  readonly bodyTruncated?: boolean;
  readonly error?: string;
}

/** Per-phase and cumulative timings (ms; `curl` in seconds as `curl -w` prints them). */
export interface CheckTimings {
  readonly dnsMs: number;
  readonly connectMs: number;
  readonly tlsMs: number;
  readonly serverMs: number;
  readonly transferMs: number;
  readonly cumulativeMs: Required<Slo>;
  readonly curl: Required<Slo>;
}

/** One request: the stages and their timings (a check has one per redirect hop). */
export interface CheckHop {
  readonly target: CheckTarget;
  readonly resolve: ResolveStage;
  readonly connect: ConnectStage;
  readonly tls?: TlsStage;
  readonly http?: HttpStage;
  readonly timings: CheckTimings;
}

/** An expectation and whether it held. */
export interface ExpectationResult {
  readonly name: "status" | "certMinDays" | "body" | "slo";
  readonly ok: boolean;
  readonly detail: string;
}

/** The verdict: ok, or the stage that failed and why. */
export type CheckVerdict =
  | { readonly ok: true }
  | {
    readonly ok: false;
    readonly stage: CheckStage;
    readonly reason: CheckReason;
    readonly detail: string;
  };

/** What `check` returns. */
export interface CheckResult {
  readonly target: CheckTarget;
  /** Each request made, the first and then each redirect hop. */
  readonly hops: readonly CheckHop[];
  /** Every address's own connect, with allAddrs. */
  readonly allAddrs?: readonly ConnectAttempt[];
  readonly expectations: readonly ExpectationResult[];
  readonly verdict: CheckVerdict;
  /** 0 ok, 1 negative answer, 3 timeout or network failure. */
  readonly exitCode: 0 | 1 | 3;
  /** Milliseconds for the whole check (every hop). */
  readonly totalMs: number;
}

/** Callbacks of `check`. */
export interface CheckHooks {
  /** A stage of a hop has ended. */
  onStage?(hop: number, stage: CheckStage, result: unknown): void;
  /** A hop's HTTP response has been read: every header and the body kept. */
  onResponse?(hop: number, response: HttpResponse): void;
}
