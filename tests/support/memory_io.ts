/**
 * An in-memory {@link Io} for running the CLI in-process (`runCli(args, io)`): what it writes is
 * collected as text, stdin is empty and closed, no stream is a terminal, no variable is set.
 */
import type { Io } from "../../lib/runtime/io.ts";

/** An {@link Io} that keeps stdout and stderr in `out` and `err`. */
export interface MemoryIo extends Io {
  /** Everything written to stdout. */
  out: string;
  /** Everything written to stderr. */
  err: string;
}

/** Creates an empty {@link MemoryIo}. */
export function memoryIo(): MemoryIo {
  const decoder = new TextDecoder();
  const io: MemoryIo = {
    out: "",
    err: "",
    write(stream, text) {
      if (stream === "stdout") io.out += text;
      else io.err += text;
    },
    writeBytes(stream, bytes) {
      io.write(stream, decoder.decode(bytes));
      return Promise.resolve();
    },
    flush: () => Promise.resolve(),
    isTerminal: () => false,
    env: () => undefined,
    stdin: () => new ReadableStream<Uint8Array>({ start: (c) => c.close() }),
  };
  return io;
}
