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
 * `ndjson` writes the result as one line. Returns the exit code.
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

/** How a streaming command shows each item and its closing summary. */
export interface StreamView<I, S> {
  /** Human text for one item as it completes (may be empty). */
  item(item: I, style: Style): string;
  /** Human text for the summary. */
  summary(summary: S, style: Style): string;
  /** The exit code the summary stands for; default {@link ExitCode.Ok}. */
  exitCode?(summary: S): ExitCode;
}

/** A writer for streaming commands: items as they complete, then one summary. */
export interface ResultStream<I, S> {
  /** Emits one item (human: its line; ndjson: one line; json: kept for the final document). */
  item(item: I): void;
  /** Emits the summary and sets the exit code; json writes `{ ...summary, [itemsKey]: items }`. */
  end(summary: S): ExitCode;
}

/**
 * Opens a result stream. With `--json` items are collected and written with the summary as one
 * document under `itemsKey`; with `--ndjson` each item is a line and the summary is the last line,
 * marked `"type": "summary"`.
 */
export function openStream<I, S extends object>(
  target: OutputTarget,
  format: OutputFormat,
  view: StreamView<I, S>,
  itemsKey = "results",
): ResultStream<I, S> {
  const style = styleFor(target);
  const items: I[] = [];
  const write = (text: string) => text && target.io.write("stdout", text);
  return {
    item(item) {
      if (format === "json") items.push(item);
      else if (format === "ndjson") write(toNdjsonLine(item));
      else write(view.item(item, style));
    },
    end(summary) {
      if (format === "json") write(toJson({ ...summary, [itemsKey]: items }));
      else if (format === "ndjson") write(toNdjsonLine({ type: "summary", ...summary }));
      else write(view.summary(summary, style));
      const code = view.exitCode?.(summary) ?? ExitCode.Ok;
      target.process.exitCode = code;
      return code;
    },
  };
}

/** Writes one diagnostic line to stderr (progress, reports, warnings), never to stdout. */
export function diagnostic(target: OutputTarget, line: string): void {
  target.io.write("stderr", line.endsWith("\n") ? line : line + "\n");
}
