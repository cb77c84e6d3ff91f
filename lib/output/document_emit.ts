/**
 * Writes results in the one result model ({@link ResultDocument}): human text through a view,
 * `--json` as one document, `--ndjson` as typed lines. Every command prints through here (or
 * through {@link openDocumentStream} when it streams), so every command's machine output has
 * the same envelope.
 * @module
 */
import { ExitCode } from "../core/exit_code.ts";
import { resultDocument, resultLine, summaryLine } from "./document.ts";
import { type OutputTarget, styleFor, toJson, toNdjsonLine } from "./emit.ts";
import type { OutputFormat } from "./format.ts";
import type { Style } from "./style.ts";

/** The two parts of a result that go into its document. */
export interface DocumentParts<R = unknown, S = unknown> {
  /** Counts and totals (an empty object where there are none). */
  readonly summary: S;
  /** The results, in the order they are reported. */
  readonly results: readonly R[];
}

/** How one command's result is shown to a person and put into its document. */
export interface DocumentView<T> {
  /** The command as typed: `service`, `echo test`. */
  readonly command: string;
  /** Renders the result as human text (ending in a newline, or empty). */
  human(result: T, style: Style): string;
  /** The exit code the result stands for; default {@link ExitCode.Ok}. */
  exitCode?(result: T): number;
  /** The document's parts; default: an empty summary and the result as the only result. */
  parts?(result: T): DocumentParts;
}

/**
 * Writes one result to stdout in the chosen format and sets the exit code it stands for:
 * human text, one {@link ResultDocument} (`json`), or its results as `result` lines and a
 * `summary` line (`ndjson`). Returns the exit code.
 */
export function emitDocument<T>(
  target: OutputTarget,
  format: OutputFormat,
  result: T,
  view: DocumentView<T>,
): number {
  const code = view.exitCode?.(result) ?? ExitCode.Ok;
  const parts = view.parts?.(result) ?? { summary: {}, results: [result] };
  let text: string;
  if (format === "json") {
    text = toJson(resultDocument(view.command, code, parts.summary, parts.results));
  } else if (format === "ndjson") {
    text = parts.results.map((r) => toNdjsonLine(resultLine(r as object))).join("") +
      toNdjsonLine(summaryLine(view.command, code, parts.summary));
  } else {
    text = view.human(result, styleFor(target));
  }
  if (text) target.io.write("stdout", text);
  target.process.exitCode = code;
  return code;
}

/** How a streaming command shows each result as it completes and its closing summary. */
export interface DocumentStreamView<I, S> {
  /** The command as typed: `probe`, `resolve`. */
  readonly command: string;
  /** Human text for one result as it completes (may be empty). */
  item(item: I, style: Style): string;
  /** Human text for the summary (told whether the work was interrupted). */
  summary(summary: S, style: Style, interrupted: boolean): string;
  /** The exit code the summary stands for; default {@link ExitCode.Ok}. */
  exitCode?(summary: S): number;
}

/** A writer for streaming commands: results as they complete, then one summary. */
export interface DocumentStream<I, S> {
  /** Emits one result (human: its text; ndjson: one line; json: kept for the document). */
  item(item: I): void;
  /**
   * Emits the summary and sets the exit code (with `interrupted`: 130, and the document or
   * summary line marked `"interrupted": true`). Returns the exit code.
   */
  end(summary: S, interrupted?: boolean): number;
}

/** The exit code after SIGINT/SIGTERM stopped a command's work (128 + SIGINT). */
export const INTERRUPTED_EXIT_CODE = 130;

/**
 * Opens a result stream. With `--json` results are kept and written with the summary as one
 * document at the end; with `--ndjson` each is a `result` line as it completes and the summary
 * the last line; human text goes out as it comes.
 */
export function openDocumentStream<I, S>(
  target: OutputTarget,
  format: OutputFormat,
  view: DocumentStreamView<I, S>,
): DocumentStream<I, S> {
  const style = styleFor(target);
  const items: I[] = [];
  const write = (text: string) => text && target.io.write("stdout", text);
  return {
    item(item) {
      if (format === "json") items.push(item);
      else if (format === "ndjson") write(toNdjsonLine(resultLine(item as object)));
      else write(view.item(item, style));
    },
    end(summary, interrupted = false) {
      const code = interrupted ? INTERRUPTED_EXIT_CODE : view.exitCode?.(summary) ?? ExitCode.Ok;
      if (format === "json") {
        write(toJson(resultDocument(view.command, code, summary, items, { interrupted })));
      } else if (format === "ndjson") {
        write(toNdjsonLine(summaryLine(view.command, code, summary, interrupted)));
      } else write(view.summary(summary, style, interrupted));
      target.process.exitCode = code;
      return code;
    },
  };
}
