/**
 * The connect stage of a hop: happy eyeballs over the resolved addresses (or one Unix socket),
 * each attempt a TCP connect or TCP + TLS (lib/net/tls.ts, loaded only for TLS targets); and
 * `allAddrs`' connect to every address in turn.
 * @module
 */
import { ipFamily } from "../net/host_lookup.ts";
import type { TlsConnection } from "../net/tls.ts";
import { type Connection, type NetAdapter, NetError } from "../net/types.ts";
import { type Address, type Attempt, ConnectFailed, happyEyeballs, interleave } from "./connect.ts";
import type { StageFailure } from "./stage_failure.ts";
import type {
  CheckOptions,
  CheckReason,
  CheckTarget,
  ConnectAttempt,
  ConnectStage,
} from "./types.ts";

/** A connection for the HTTP exchange: plain or TLS. */
export type Stream = Connection | TlsConnection;

/** The outcome of {@link connectStage}: the stage, and the winner's connection to come. */
export interface ConnectOutcome {
  readonly stage: ConnectStage;
  /** Settles when the winner's TLS handshake ends (at once without TLS). */
  readonly done?: Promise<Stream>;
  readonly fail?: StageFailure;
}

/** What an attempt connects to: an address and port, or a Unix socket path. */
type Peer = { readonly address: Address } | { readonly path: string };

/** Whether the hop shakes hands over TLS. */
export function usesTls(target: CheckTarget, options: CheckOptions): boolean {
  return target.scheme === "https" || (target.scheme === "tcp" && !!options.tls);
}

/** Connects (see the module); never rejects for a network failure, only on abort. */
export async function connectStage(
  adapter: NetAdapter,
  target: CheckTarget,
  options: CheckOptions,
  addresses: readonly Address[],
  signal?: AbortSignal,
): Promise<ConnectOutcome> {
  const tls = usesTls(target, options) ? await import("../net/tls.ts") : undefined;
  const start = (peer: Peer): Attempt<Stream> =>
    tls
      ? startTls(tls.openTls, target, options, peer, signal)
      : startTcp(adapter, target, options, peer, signal);
  const path = target.socketPath ?? options.unixSocket;
  const port = path === undefined ? target.port : 0;
  const t0 = performance.now();
  try {
    if (path !== undefined) {
      const attempt = start({ path });
      const ms = await attempt.tcp;
      return { stage: { status: "ok", ms, address: path, port, attempts: [] }, done: attempt.done };
    }
    const ordered = options.family ? addresses : interleave(addresses);
    const raced = await happyEyeballs(
      ordered,
      (address) => start({ address }),
      options.attemptDelayMs ?? 250,
      signal,
    );
    const ms = raced.attempts.find((a) => a.status === "ok")!.startedMs + raced.tcpMs;
    const address = raced.address.address;
    const stage = { status: "ok" as const, ms, address, port, attempts: raced.attempts };
    return { stage, done: raced.attempt.done };
  } catch (error) {
    signal?.throwIfAborted();
    const attempts = error instanceof ConnectFailed ? error.attempts : [];
    const detail = error instanceof Error ? error.message : String(error);
    const codes = error instanceof ConnectFailed
      ? attempts.filter((a) => a.status === "failed").map((a) => a.code)
      : [error instanceof NetError ? error.code : "UNKNOWN"];
    const ms = performance.now() - t0;
    return {
      stage: {
        status: "failed",
        ms,
        ...(path !== undefined ? { address: path } : {}),
        port,
        attempts,
        error: detail,
      },
      fail: { stage: "connect", reason: connectReason(codes), detail },
    };
  }
}

/** Refused everywhere (or no socket at the path: nothing listens), a timeout, or another failure. */
function connectReason(codes: readonly (string | undefined)[]): CheckReason {
  if (codes.length && codes.every((c) => c === "ECONNREFUSED" || c === "ENOENT")) {
    return "tcp_refused";
  }
  if (codes.includes("ETIMEDOUT")) return "tcp_timeout";
  return "tcp_failed";
}

function startTls(
  openTls: typeof import("../net/tls.ts").openTls,
  target: CheckTarget,
  options: CheckOptions,
  peer: Peer,
  signal?: AbortSignal,
): Attempt<Stream> {
  return openTls({
    hostname: "path" in peer ? target.host : peer.address.address,
    port: target.port,
    ...("path" in peer ? { path: peer.path } : {}),
    servername: options.servername ?? (ipFamily(target.host) ? undefined : target.host),
    alpn: options.alpn ?? (target.scheme === "tcp" ? [] : ["http/1.1"]),
    ...(options.ca ? { ca: options.ca } : {}),
    insecure: options.insecure,
    ...(options.tlsMinVersion ? { minVersion: options.tlsMinVersion } : {}),
    timeoutMs: options.timeoutMs ?? 10_000,
    signal,
  });
}

function startTcp(
  adapter: NetAdapter,
  target: CheckTarget,
  options: CheckOptions,
  peer: Peer,
  signal?: AbortSignal,
): Attempt<Stream> {
  const ac = new AbortController();
  const stop = () => ac.abort();
  signal?.addEventListener("abort", stop, { once: true });
  const t0 = performance.now();
  const common = { timeoutMs: options.timeoutMs ?? 10_000, signal: ac.signal };
  const done = adapter.connect(
    "path" in peer
      ? { transport: "unix", path: peer.path, ...common }
      : { transport: "tcp", hostname: peer.address.address, port: target.port, ...common },
  ).finally(() => signal?.removeEventListener("abort", stop));
  let conn: Connection | undefined;
  done.then((c) => (conn = c), () => {});
  return {
    tcp: done.then(() => performance.now() - t0),
    done,
    cancel: () => (conn ? conn.close() : ac.abort()),
  };
}

/** `allAddrs`: a TCP connect to every address in turn, each reported (the socket closed at once). */
export async function connectEvery(
  adapter: NetAdapter,
  addresses: readonly Address[],
  port: number,
  options: CheckOptions,
  signal?: AbortSignal,
): Promise<ConnectAttempt[]> {
  const every: ConnectAttempt[] = [];
  const t0 = performance.now();
  for (const a of addresses) {
    const s = performance.now();
    const base = { address: a.address, family: a.family, startedMs: s - t0 };
    try {
      const c = await adapter.connect({
        transport: "tcp",
        hostname: a.address,
        port,
        timeoutMs: options.timeoutMs ?? 10_000,
        signal,
      });
      c.close();
      every.push({ ...base, status: "ok", ms: performance.now() - s });
    } catch (error) {
      signal?.throwIfAborted();
      const code = error instanceof NetError ? error.code : "UNKNOWN";
      every.push({ ...base, status: "failed", ms: performance.now() - s, code });
    }
  }
  return every;
}
