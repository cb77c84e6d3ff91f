/**
 * The stream relay: an input source to a connection, the connection to a sink, with half-close
 * at the end of the input, an idle timeout and a stop signal.
 * @module
 */
import type { Connection } from "../net/types.ts";
import type { InputSource, Sink } from "./io.ts";
import type { RelayEnd, RelayResult } from "./result.ts";

/** Options of {@link relay}. */
export interface RelayOptions {
  /** What to send; null or absent: nothing (the write side is half-closed at once). */
  readonly input?: InputSource | null;
  /** Close after this many milliseconds without bytes either way; default: no limit. */
  readonly idleTimeoutMs?: number;
  /**
   * When the peer closes first, keep sending the rest of the input before returning (for piped
   * input and fixed bytes; an interactive terminal should not hold the relay open). Default false.
   */
  readonly drainInput?: boolean;
  /** Read buffer size in bytes; default 64 KiB. */
  readonly bufferSize?: number;
}

/** Callbacks of {@link relay}. */
export interface RelayHooks {
  /** The output sink: each piece of the peer's bytes, in order (see {@link Sink}). */
  onData?: Sink;
}

/**
 * Relays `options.input` to `connection` and the connection to `hooks.onData` until the peer
 * closes its side: at the end of the input the write side is half-closed and reading goes on.
 * Never rejects: a failed read ends it with `error`, `signal` with `stopped`, the idle timeout
 * with `idle`. Write errors after the peer has gone are not errors (the read side tells how the
 * connection ended). The connection is closed on return.
 *
 * @example
 * ```ts ignore
 * const result = await relay(connection, { input: bytesSource(request) }, { onData: save });
 * result.end; // "peer"
 * ```
 */
export async function relay(
  connection: Connection,
  options: RelayOptions = {},
  hooks: RelayHooks = {},
  signal?: AbortSignal,
): Promise<RelayResult> {
  const started = performance.now();
  const input = options.input ?? null;
  let bytesSent = 0;
  let bytesReceived = 0;
  let finished = false;
  let ending: RelayEnd | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let onStop: () => void = () => {};
  const stopped = new Promise<void>((resolve) => (onStop = resolve));
  const stop = (why: RelayEnd) => {
    ending ??= why;
    connection.close();
    onStop();
  };
  const touch = () => {
    if (options.idleTimeoutMs === undefined || finished) return;
    clearTimeout(timer);
    timer = setTimeout(() => stop("idle"), options.idleTimeoutMs);
  };
  const onAbort = () => stop("stopped");
  signal?.addEventListener("abort", onAbort, { once: true });
  if (signal?.aborted) stop("stopped");
  touch();

  const writer = (async () => {
    try {
      if (!input) return await connection.closeWrite();
      for (;;) {
        const chunk = await input.peek();
        if (finished) return;
        input.consume();
        if (chunk === null) return await connection.closeWrite();
        if (chunk.length === 0) continue;
        await connection.write(chunk);
        bytesSent += chunk.length;
        touch();
      }
    } catch {
      // The peer went away: the read side reports how the connection ended.
    }
  })();

  const buffer = new Uint8Array(options.bufferSize ?? 64 * 1024);
  let error: unknown;
  try {
    for (;;) {
      const n = await connection.read(buffer);
      if (n === null) break;
      bytesReceived += n;
      touch();
      await hooks.onData?.(buffer.subarray(0, n));
    }
  } catch (e) {
    error = e;
  }
  if (error === undefined && ending === undefined && options.drainInput) {
    await Promise.race([writer, stopped]);
  }
  finished = true;
  clearTimeout(timer);
  signal?.removeEventListener("abort", onAbort);
  connection.close();
  const end: RelayEnd = ending ?? (error === undefined ? "peer" : "error");
  return {
    bytesSent,
    bytesReceived,
    durationMs: performance.now() - started,
    end,
    ...(end === "error" ? { error } : {}),
  };
}
