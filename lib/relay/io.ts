/**
 * What a relay reads from and writes to: input sources (a byte stream, fixed bytes, a file) and
 * output sinks (any function taking bytes; a hex+ASCII listing). The relay never touches the
 * process's standard streams: the caller passes the source and the sink in.
 * @module
 */
import { open } from "node:fs/promises";
import { formatHexDump } from "../core/hex_dump.ts";

const FILE_CHUNK = 64 * 1024;

/**
 * A pull source of input chunks that successive connections can share (`listen --keep-open`):
 * a chunk read while one connection ends is kept for the next. `peek` waits for the next chunk
 * (null at the end of the input) without taking it; `consume` takes it.
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

/** A source reading a byte stream (standard input, a socket's readable side, …). */
export function streamSource(stream: ReadableStream<Uint8Array>): InputSource {
  let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
  return new InputSource(async () => {
    reader ??= stream.getReader();
    const { done, value } = await reader.read();
    return done ? null : value;
  });
}

/** A source giving `bytes` once. */
export function bytesSource(bytes: Uint8Array): InputSource {
  let given = false;
  return new InputSource(() => {
    if (given) return Promise.resolve(null);
    given = true;
    return Promise.resolve(bytes);
  });
}

/** A source reading a file in 64 KiB chunks; the file is opened on first use. */
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

/**
 * Where received bytes go. The relay waits for the returned promise before it reads on, so a
 * slow sink slows the peer down instead of filling memory. The bytes are the sink's only until
 * it returns (or its promise settles): keep a copy to hold on to them.
 */
export type Sink = (bytes: Uint8Array) => void | Promise<void>;

/**
 * A sink that writes a hex+ASCII listing (like `hexdump -C`) of the bytes through `write`,
 * numbering offsets across successive chunks.
 */
export function hexDumpSink(write: (text: string) => void | Promise<void>): Sink {
  let offset = 0;
  return (bytes) => {
    const text = formatHexDump(bytes, offset);
    offset += bytes.length;
    return write(text);
  };
}
