/**
 * The byte relay behind `connect` and `listen`: input (stdin, `--send`, `--send-file`) to a
 * connection, the connection to an output (stdout, raw or as a hex dump), with half-close on
 * input EOF and an idle timeout. Loaded only by the `_run` modules.
 * @module
 */
import { open } from "node:fs/promises";
import type { Connection } from "../net/types.ts";
import { formatHexDump } from "../core/hex_dump.ts";
import type { Io } from "../runtime/io.ts";

const FILE_CHUNK = 64 * 1024;

/**
 * A pull source of input chunks that can be shared by successive connections (`listen
 * --keep-open`): a chunk read while one connection ends is kept for the next. `peek` waits for
 * the next chunk (null at end of input) without taking it; `consume` takes it.
 */
export class InputSource {
  #pending: Promise<Uint8Array | null> | undefined;
  #ended = false;
  readonly #pull: () => Promise<Uint8Array | null>;

  /** Creates a source from a function giving the next chunk, or null at the end. */
  constructor(pull: () => Promise<Uint8Array | null>) {
    this.#pull = pull;
  }

  /** Waits for the next chunk without taking it. */
  peek(): Promise<Uint8Array | null> {
    if (this.#ended) return Promise.resolve(null);
    this.#pending ??= this.#pull().then((chunk) => {
      if (chunk === null) this.#ended = true;
      return chunk;
    });
    return this.#pending;
  }

  /** Takes the chunk the last {@link peek} resolved to. */
  consume(): void {
    this.#pending = undefined;
  }
}

/** A source reading a byte stream (standard input). */
export function streamSource(stream: ReadableStream<Uint8Array>): InputSource {
  let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
  return new InputSource(async () => {
    reader ??= stream.getReader();
    const { done, value } = await reader.read();
    return done ? null : value;
  });
}

/** A source giving `bytes` once (`--send`). */
export function bytesSource(bytes: Uint8Array): InputSource {
  let given = false;
  return new InputSource(() => {
    if (given) return Promise.resolve(null);
    given = true;
    return Promise.resolve(bytes);
  });
}

/** A source reading a file in 64 KiB chunks (`--send-file`); the file is opened on first use. */
export function fileSource(path: string): InputSource {
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  let done = false;
  return new InputSource(async () => {
    if (done) return null;
    handle ??= await open(path, "r");
    const buffer = new Uint8Array(FILE_CHUNK);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
    if (bytesRead === 0) {
      done = true;
      await handle.close();
      return null;
    }
    return buffer.subarray(0, bytesRead);
  });
}

/** Where received bytes go. */
export type Sink = (bytes: Uint8Array) => Promise<void>;

/** Standard output as a sink: the raw bytes, or with `hex` a hex+ASCII listing. */
export function stdoutSink(io: Io, hex: boolean): Sink {
  if (!hex) return (bytes) => io.writeBytes("stdout", bytes);
  let offset = 0;
  return (bytes) => {
    io.write("stdout", formatHexDump(bytes, offset));
    offset += bytes.length;
    return Promise.resolve();
  };
}

/** How a relayed connection ended. */
export type RelayEnd = "peer" | "idle" | "error" | "stopped";

/** What a relay moved and how it ended. */
export interface RelayStats {
  /** Bytes written to the connection. */
  readonly sent: number;
  /** Bytes read from the connection. */
  readonly received: number;
  /** Milliseconds from the start of the relay to its end. */
  readonly ms: number;
  /** peer: the peer closed; idle: the idle timeout fired; error: a read failed; stopped: {@link RelayOptions.signal}. */
  readonly end: RelayEnd;
  /** The error that ended it (for `error`). */
  readonly error?: unknown;
}

/** Options of {@link relayConnection}. */
export interface RelayOptions {
  /** Close after this long without bytes either way; undefined for no limit. */
  readonly idleTimeoutMs?: number;
  /** Stop the relay (shutdown signal). */
  readonly signal?: AbortSignal;
  /**
   * When the peer closes first, keep sending the rest of the input before returning (for piped
   * input and `--send`; an interactive terminal should not hold the command open). Default false.
   */
  readonly drainInput?: boolean;
  /** Read buffer size; default 64 KiB. */
  readonly bufferSize?: number;
}

/**
 * Relays `input` to `conn` and `conn` to `output` until the peer closes its side: at the end of
 * input the write side is half-closed and reading goes on. Resolves with the byte counts; the
 * connection is closed on return. Write errors after the peer has closed are not errors.
 */
export async function relayConnection(
  conn: Connection,
  input: InputSource | null,
  output: Sink,
  options: RelayOptions = {},
): Promise<RelayStats> {
  const started = performance.now();
  let sent = 0;
  let received = 0;
  let finished = false;
  let ending: RelayEnd | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let onStop: () => void = () => {};
  const stopped = new Promise<void>((resolve) => (onStop = resolve));
  const stop = (why: RelayEnd) => {
    ending ??= why;
    conn.close();
    onStop();
  };
  const touch = () => {
    if (options.idleTimeoutMs === undefined || finished) return;
    clearTimeout(timer);
    timer = setTimeout(() => stop("idle"), options.idleTimeoutMs);
  };
  const onAbort = () => stop("stopped");
  options.signal?.addEventListener("abort", onAbort, { once: true });
  if (options.signal?.aborted) stop("stopped");
  touch();

  const writer = (async () => {
    try {
      if (!input) return await conn.closeWrite();
      for (;;) {
        const chunk = await input.peek();
        if (finished) return;
        input.consume();
        if (chunk === null) return await conn.closeWrite();
        if (chunk.length === 0) continue;
        await conn.write(chunk);
        sent += chunk.length;
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
      const n = await conn.read(buffer);
      if (n === null) break;
      received += n;
      touch();
      await output(buffer.subarray(0, n));
    }
  } catch (e) {
    error = e;
  }
  if (error === undefined && ending === undefined && options.drainInput) {
    await Promise.race([writer, stopped]);
  }
  finished = true;
  clearTimeout(timer);
  options.signal?.removeEventListener("abort", onAbort);
  conn.close();
  const end: RelayEnd = ending ?? (error === undefined ? "peer" : "error");
  return {
    sent,
    received,
    ms: performance.now() - started,
    end,
    ...(end === "error" ? { error } : {}),
  };
}
