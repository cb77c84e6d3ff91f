import { ExitCode } from "../core/exit_code.ts";
import type { Io, OutStream } from "../runtime/io.ts";
import type { OutputFormat } from "./format.ts";
import { colorEnabled, createStyle, type Style } from "./style.ts";

/** Where results go: the process streams and the exit code the command will end with. */
export interface OutputTarget {
  readonly io: Io;
  readonly process: { exitCode?: number | string | null };
}

/** How one kind of result is shown to a person and which exit code it means. */
export interface View<T> {
  /** Renders the result as human text (ending in a newline, or empty). */
  human(result: T, style: Style): string;
  /** The exit code the result stands for; default {@link ExitCode.Ok}. */
  exitCode?(result: T): ExitCode;
}

/**
 * The style for a stream of this target: colour only on a terminal and without `NO_COLOR`.
 * Decided on first use, so that output which never styles anything never asks for a terminal.
 */
export function styleFor(target: OutputTarget, stream: OutStream = "stdout"): Style {
  const { io } = target;
  let style: Style | undefined;
  const get = () =>
    style ??= createStyle(colorEnabled({
      isTerminal: io.isTerminal(stream),
      noColor: io.env("NO_COLOR"),
      forceColor: io.env("FORCE_COLOR"),
      term: io.env("TERM"),
    }));
  return {
    get enabled() {
      return get().enabled;
    },
    bold: (t) => get().bold(t),
    dim: (t) => get().dim(t),
    red: (t) => get().red(t),
    green: (t) => get().green(t),
    yellow: (t) => get().yellow(t),
    cyan: (t) => get().cyan(t),
  };
}

/** Serialises a result as one JSON document (two-space indent, trailing newline). */
export function toJson(result: unknown): string {
  return JSON.stringify(result, null, 2) + "\n";
}

/** Serialises a value as one NDJSON line. */
export function toNdjsonLine(value: unknown): string {
  return JSON.stringify(value) + "\n";
}

/**
 * Writes one result to stdout in the chosen format and sets the exit code it stands for.
 * `ndjson` writes the result as one line. Returns the exit code. Superseded by
 * `emitDocument` (./document_emit.ts, the one result model); goes once every command has moved.
 */
export function emitResult<T>(
  target: OutputTarget,
  format: OutputFormat,
  result: T,
  view: View<T>,
): ExitCode {
  const text = format === "json"
    ? toJson(result)
    : format === "ndjson"
    ? toNdjsonLine(result)
    : view.human(result, styleFor(target));
  if (text) target.io.write("stdout", text);
  const code = view.exitCode?.(result) ?? ExitCode.Ok;
  target.process.exitCode = code;
  return code;
}

/** Writes one diagnostic line to stderr (progress, reports, warnings), never to stdout. */
export function diagnostic(target: OutputTarget, line: string): void {
  target.io.write("stderr", line.endsWith("\n") ? line : line + "\n");
}
