/**
 * The one result model every command's machine output follows. `--json` prints one
 * {@link ResultDocument}; `--ndjson` prints one {@link NdjsonLine} per result, then a summary
 * line (or an error line), each with a `type`. The library's engines return the `results`
 * and `summary` parts; the CLI only wraps them. Negative answers and failures print their
 * document too, with `ok: false` and the `error`, so a script never has to parse stderr.
 *
 * Vocabulary shared by every document: durations are numbers of milliseconds named `…Ms`;
 * sizes are numbers of bytes named `…Bytes` or `bytes…`; an address is `address` (text, as
 * inet_ntop writes it) with `port` (number) and `family` (4 or 6), or `path` for a Unix
 * socket; times of day are ISO 8601 strings named `…At`.
 * @module
 */
import { ExitCode } from "../core/exit_code.ts";

/** What kind of failure an error document reports, from its exit code. */
export type ErrorKind = "negative" | "usage" | "failure" | "interrupted";

/** The error part of a document whose command did not succeed. */
export interface ErrorInfo {
  /** The kind of failure (1 negative, 2 usage, 3 failure, 130 interrupted). */
  readonly kind: ErrorKind;
  /** The same one-line message stderr shows, without the `netdiag: ` prefix. */
  readonly message: string;
}

/** One command's whole machine-readable answer (`--json`). */
export interface ResultDocument<R = unknown, S = Record<string, unknown>> {
  /** The command as typed without arguments: `probe`, `echo test`. */
  readonly command: string;
  /** Whether the command succeeded: `exitCode` is 0. */
  readonly ok: boolean;
  /** The process exit code netdiag ends with. */
  readonly exitCode: number;
  /** Present and true when SIGINT/SIGTERM stopped the work before it was done. */
  readonly interrupted?: true;
  /** Counts and totals over the results (an empty object where there are none). */
  readonly summary: S;
  /** The results in the order the command reports them. */
  readonly results: readonly R[];
  /** Why the command did not succeed, when it did not and a message says why. */
  readonly error?: ErrorInfo;
}

/** One line of `--ndjson`: a result, the closing summary, or an error. */
export type NdjsonLine<R = unknown, S = Record<string, unknown>> =
  | ({ readonly type: "result" } & R)
  | {
    readonly type: "summary";
    readonly command: string;
    readonly ok: boolean;
    readonly exitCode: number;
    readonly interrupted?: true;
    readonly summary: S;
  }
  | {
    readonly type: "error";
    readonly command: string;
    readonly ok: false;
    readonly exitCode: number;
    readonly error: ErrorInfo;
  };

/** Options of {@link resultDocument}. */
export interface DocumentOptions {
  /** The work was interrupted; default false. */
  readonly interrupted?: boolean;
  /** The error to report; default none. */
  readonly error?: ErrorInfo;
}

/**
 * Builds a command's {@link ResultDocument}.
 *
 * @example
 * ```ts
 * import { resultDocument } from "./document.ts";
 * const doc = resultDocument("htons", 0, {}, [{ input: 20000, output: 8270 }]);
 * doc.ok; // true
 * ```
 */
export function resultDocument<R, S>(
  command: string,
  exitCode: number,
  summary: S,
  results: readonly R[],
  options: DocumentOptions = {},
): ResultDocument<R, S> {
  return {
    command,
    ok: exitCode === ExitCode.Ok,
    exitCode,
    ...(options.interrupted ? { interrupted: true as const } : {}),
    summary,
    results,
    ...(options.error ? { error: options.error } : {}),
  };
}

/**
 * The document of a command that ended in an error before it had results.
 *
 * @example
 * ```ts
 * import { errorDocument } from "./document.ts";
 * errorDocument("service", 1, 'service "no-such" not found').error?.kind; // "negative"
 * ```
 */
export function errorDocument(
  command: string,
  exitCode: number,
  message: string,
): ResultDocument<never, Record<string, never>> {
  const kind = errorKind(exitCode);
  return resultDocument(command, exitCode, {}, [], {
    interrupted: kind === "interrupted",
    error: { kind, message },
  });
}

/** The NDJSON line of one result. */
export function resultLine<R extends object>(result: R): NdjsonLine<R> {
  return { type: "result", ...result };
}

/** The closing NDJSON line: the summary with the command's outcome. */
export function summaryLine<S>(
  command: string,
  exitCode: number,
  summary: S,
  interrupted = false,
): NdjsonLine<never, S> {
  return {
    type: "summary",
    command,
    ok: exitCode === ExitCode.Ok,
    exitCode,
    ...(interrupted ? { interrupted: true as const } : {}),
    summary,
  };
}

/** The NDJSON line of a command that ended in an error. */
export function errorLine(command: string, exitCode: number, message: string): NdjsonLine {
  return {
    type: "error",
    command,
    ok: false,
    exitCode,
    error: { kind: errorKind(exitCode), message },
  };
}

/** The {@link ErrorKind} an exit code stands for. */
export function errorKind(exitCode: number): ErrorKind {
  if (exitCode === ExitCode.Negative) return "negative";
  if (exitCode === ExitCode.Usage) return "usage";
  if (exitCode >= 128) return "interrupted";
  return "failure";
}
