/**
 * What a command does to the terminal besides its report, drawn here in the output layer: a
 * progress line on stderr, redrawn in place, and stdout buffered into chunks (a scan's NDJSON is
 * a line per endpoint, which should not cost a system call each).
 * @module
 */
import type { OutputTarget } from "./emit.ts";

const PROGRESS_EVERY_MS = 250;
const CHUNK_CHARS = 65_536;
const FLUSH_AFTER_MS = 50;

/** A redrawn line on stderr; {@link ProgressLine.stop} clears it. */
export interface ProgressLine {
  /** Stops redrawing and clears the line. */
  stop(): void;
}

/** Draws `render()` on stderr every 250 ms until stopped (use only when stderr is a terminal). */
export function progressLine(target: OutputTarget, render: () => string): ProgressLine {
  const draw = () => target.io.write("stderr", `\r\x1b[K${render()}`);
  const timer = setInterval(draw, PROGRESS_EVERY_MS);
  return {
    stop() {
      clearInterval(timer);
      target.io.write("stderr", "\r\x1b[K");
    },
  };
}

/** An output target whose stdout is written in chunks; `flush()` writes what is held. */
export interface BufferedTarget extends OutputTarget {
  /** Writes what is held now. */
  flush(): void;
}

/** Buffers the target's stdout: written at 64 Ki characters, after 50 ms, or on `flush()`. */
export function bufferedStdout(target: OutputTarget): BufferedTarget {
  let buffer = "";
  let timer: ReturnType<typeof setTimeout> | undefined;
  const flush = () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    if (buffer) target.io.write("stdout", buffer);
    buffer = "";
  };
  const write = (stream: "stdout" | "stderr", text: string) => {
    if (stream === "stderr") return target.io.write(stream, text);
    buffer += text;
    if (buffer.length >= CHUNK_CHARS) flush();
    else timer ??= setTimeout(flush, FLUSH_AFTER_MS);
  };
  return { io: { ...target.io, write }, process: target.process, flush };
}
