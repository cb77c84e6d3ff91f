/**
 * `runEchoTest` for library users: measures an echo server (round trips, or bulk throughput) and
 * verifies every echoed byte, on the runtime's socket adapter.
 * @module
 */
import { maxUdpMessageSize, parseHostPort, UDP_SEQUENCE_BYTES } from "../core/echo_test.ts";
import { InputError, quote } from "../core/errors.ts";
import {
  type EchoTarget,
  type EchoTestHooks,
  type EchoTestResult,
  runEchoTest as runEngine,
} from "../echo/mod.ts";

export type { EchoTestHooks };
import { netAdapter } from "../net/mod.ts";

/**
 * Where an echo test sends: `"HOST:PORT"` / `"[IPv6]:PORT"` text (TCP), an IP endpoint
 * (`address` is an IP address or a host name; `transport` defaults to `tcp`; an
 * `EchoServerHandle` fits), or a Unix socket's `path`.
 */
export type EchoTestTarget =
  | string
  | { readonly address: string; readonly port: number; readonly transport?: "tcp" | "udp" }
  | { readonly path: string };

/** Options of {@link runEchoTest}. Only `target` is required. */
export interface EchoTestOptions {
  /** The echo server to test. */
  readonly target: EchoTestTarget;
  /** Speak netdiag's framing protocol (the server must too); default false. */
  readonly framed?: boolean;
  /** Bulk full-duplex streaming instead of ping-pong (TCP or Unix, not framed); default false. */
  readonly stream?: boolean;
  /** Messages per connection (ping-pong); default 100, unlimited when only `durationMs` is set. */
  readonly count?: number;
  /** Stop after this many milliseconds; default no limit. */
  readonly durationMs?: number;
  /**
   * Message size in bytes (ping-pong; UDP: 8-65507) or write size (stream); default 64 / 128 KiB.
   */
  readonly size?: number;
  /** Bytes to stream per connection (stream mode); default 64 MiB unless `durationMs` is set. */
  readonly totalBytes?: number;
  /** Parallel connections (UDP: sockets); default 1. */
  readonly connections?: number;
  /** Pause between messages on a connection, in milliseconds (ping-pong); default 0. */
  readonly intervalMs?: number;
  /**
   * Wait this many milliseconds for a connect or a reply; default 5 000 (UDP: 1 000, after which
   * the message counts as lost).
   */
  readonly timeoutMs?: number;
  /** Ends the test early: the result covers what was done and says `interrupted: true`. */
  readonly signal?: AbortSignal;
}

function toEngineTarget(target: EchoTestTarget): EchoTarget {
  if (typeof target === "string") return { transport: "tcp", ...parseHostPort(target) };
  if ("path" in target) return { transport: "unix", path: target.path };
  const hostname = target.address.replace(/^\[(.*)\]$/, "$1");
  return { transport: target.transport ?? "tcp", hostname, port: target.port };
}

function check(options: EchoTestOptions, target: EchoTarget): void {
  if (options.stream) {
    if (target.transport === "udp") {
      throw new InputError('conflicting options "stream" and UDP: streaming needs TCP or Unix');
    }
    if (options.framed) {
      throw new InputError('conflicting options "stream" and "framed": a stream is plain bytes');
    }
  }
  if (target.transport === "udp") {
    const size = options.size ?? 64;
    const limit = maxUdpMessageSize(options.framed ?? false);
    if (size < UDP_SEQUENCE_BYTES || size > limit) {
      throw new InputError(
        `size ${quote(size)} does not fit UDP: expected ${UDP_SEQUENCE_BYTES}-${limit} bytes`,
      );
    }
  }
}

/**
 * Runs an echo test and resolves with what it measured; `hooks.onConnection` hears each
 * connection's own counts as it ends. Network trouble does not reject: the
 * result says `error` (a refused connect, a timeout, a reset) or `mismatch` (the first byte that
 * came back wrong). Rejects with an `InputError` for options that cannot work together and with
 * the signal's reason when it is already aborted.
 *
 * @example Test a local echo server with 10 messages
 * ```ts
 * import { runEchoTest, startEchoServer } from "@netdiag/netdiag";
 * await using server = await startEchoServer();
 * const result = await runEchoTest({ target: server, count: 10 });
 * console.log(result.messagesVerified, result.rtt?.p50Ms); // 10 and the median in ms
 * ```
 */
export async function runEchoTest(
  options: EchoTestOptions,
  hooks: EchoTestHooks = {},
): Promise<EchoTestResult> {
  options.signal?.throwIfAborted();
  const target = toEngineTarget(options.target);
  check(options, target);
  const adapter = await netAdapter();
  return await runEngine(
    adapter,
    {
      target,
      framed: options.framed,
      stream: options.stream,
      count: options.count,
      durationMs: options.durationMs,
      size: options.size,
      totalBytes: options.totalBytes,
      connections: options.connections,
      intervalMs: options.intervalMs,
      timeoutMs: options.timeoutMs,
    },
    hooks,
    options.signal,
  );
}
